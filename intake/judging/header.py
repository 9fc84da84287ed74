"""Read the header at the top of a page as an officer does (issuer, number, date, type, summary, addressee); pure,
never decides which component a page is."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .folding import fold, is_list_item

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeaderRules:
    """What a page's header is made of (the rule file's `[recognition]` table), every phrase folded."""

    zone_lines: int = 24
    """Non-empty lines at the top of a page read as its header (after the noise before it)."""
    noise_prefixes: tuple[str, ...] = ()
    """Line beginnings that are no part of a header: e-signature stamps, received-mail stamps, a web page's table."""
    national: tuple[str, ...] = ()
    """Quốc hiệu and tiêu ngữ, removed wherever they stand (often merged on the issuer's line)."""
    types: tuple[str, ...] = ()
    """Document types that open a type line (longest first): "giay xac nhan", "quyet dinh", "certificate of …"."""
    summary_prefixes: tuple[str, ...] = ()
    """Beginnings of a summary (trích yếu): "ve viec", "v/v"."""
    summary_stops: tuple[str, ...] = ()
    """Line beginnings that end a summary (the body begins): "kinh gui", "can cu"."""
    addressee_prefixes: tuple[str, ...] = ()
    """Beginnings of the addressee line: "kinh gui"."""
    summary_max_lines: int = 4
    """Lines a summary (or a cover's title) may run over."""


@dataclass(frozen=True)
class Naming:
    """How a header names one component (the component's `header_*` keys); types and symbols folded, phrases as
    written (they are shown to officers)."""

    component: str
    """Component id."""
    types: tuple[str, ...] = ()
    """Type lines that may name it ("cong van": a letter with no type line)."""
    summaries: tuple[str, ...] = ()
    """Phrases that, in the type and summary together, name it."""
    body_types: tuple[str, ...] = ()
    """Types whose body names it when the summary does not (a certificate: "This is to certify that the …")."""
    issuers: tuple[str, ...] = ()
    """Issuers whose documents of an allowed type are it even when the summary says nothing."""
    symbols: tuple[str, ...] = ()
    """Parts of the symbol after the number ("BHXH" in "12/BHXH-TCKT") that do the same."""


@dataclass(frozen=True)
class RecognitionRules:
    """The rule file's `[recognition]` table and every component's `header_*` keys."""

    header: HeaderRules = HeaderRules()
    """How a header is read."""
    namings: tuple[Naming, ...] = ()
    """How headers name each component, in component order."""
    cover_summaries: tuple[str, ...] = ()
    """Summaries of a letter that sends or registers the dossier: a cover letter."""
    cover_types: tuple[str, ...] = ("cong van",)
    """Types (besides a letter's none) that a cover letter may bear."""
    cover_min_components: int = 3
    """A page enumerating this many different components is a cover letter."""
    require_naming: bool = False
    """Whether a component needs a title or header naming it (key phrases and file names alone never do)."""


@dataclass(frozen=True)
class DocumentHeader:
    """The header of a document as read at the top of a page; every field as written (NFC), "" when absent."""

    issuer: tuple[str, ...] = ()
    """Issuing agency or company, one entry per line ("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG")."""
    number: str = ""
    """Number and symbol as written after "Số:" ("1532/CTBGI-KK")."""
    symbol: str = ""
    """The symbol after the number's first slash ("CTBGI-KK"), telling issuer and kind."""
    place: str = ""
    """Place name before the date ("Bắc Giang")."""
    date: str = ""
    """Date as d/m/yyyy (or m/yyyy on a report cover)."""
    type: str = ""
    """Type line ("GIẤY XÁC NHẬN", "QUYẾT ĐỊNH", "BÁO CÁO"); "" for a letter (công văn) or no header."""
    kind: str = ""
    """The rule file's (folded) type the type line was read as ("giay xac nhan", even from "GIÂY XÁC NHẠN");
    "cong van" for a letter."""
    summary: str = ""
    """Summary (trích yếu) or the rest of a title, its lines joined ("Về việc thực hiện nghĩa vụ thuế")."""
    addressee: str = ""
    """After "Kính gửi:"."""
    letter: bool = False
    """A công văn: a "V/v" summary under the number and no type line."""
    skipped: int = 0
    """Lines of noise skipped before the header (stamps, a web page's table)."""

    @property
    def found(self) -> bool:
        """Whether anything of a header was read."""
        return bool(self.type or self.summary or self.number or self.letter)

    @property
    def heading(self) -> str:
        """Folded type and summary together, what names a component."""
        return fold(f"{self.type} {self.summary}")

    @property
    def display(self) -> str:
        """How an officer cites it: "Cục Thuế tỉnh Bắc Giang, số 1532/CTBGI-KK, ngày 12/5/2020"."""
        parts = []
        if self.issuer:
            # "ỦY BAN NHÂN DÂN" / "TỈNH BẮC GIANG": the second line alone does not name the issuer.
            last = self.issuer[-1]
            if len(self.issuer) > 1 and fold(last).split()[0] in _CONTINUING:
                last = f"{self.issuer[-2]} {last}"
            parts.append(last)
        title = " ".join(p for p in (self.type, self.summary) if p)
        if title:
            parts.append(title if len(title) <= 160 else title[:157].rstrip() + "…")
        if self.number:
            parts.append(f"số {self.number}")
        if self.date:
            parts.append(f"ngày {self.date}" if self.date.count("/") == 2 else f"tháng {self.date}")
        return ", ".join(parts)

    def record(self) -> dict[str, object]:
        """As the JSON report shows it."""
        return {"issuer": list(self.issuer), "number": self.number, "symbol": self.symbol, "place": self.place,
                "date": self.date, "type": self.type, "summary": self.summary, "addressee": self.addressee,
                "letter": self.letter}


_CONTINUING = frozenset({"tinh", "huyen", "thanh", "thi", "quan", "xa", "phuong", "tp"})
"""First words of an issuer's second line that continue its first ("TỈNH BẮC GIANG")."""

_NUMBER = re.compile(
    r"^s(?:[oóòỏõọôốồổỗộơớờởỡợ0]|ô)\s*(?:[:.;]\s*|\s+)"
    r"(?P<no>(?:[A-Za-zĐđ]{1,5}\s)?[0-9][0-9A-Za-zÀ-ỹĐđ.]*(?:\s*/\s*[0-9A-Za-zÀ-ỹĐđ.\-]+)*"
    r"|/\s*[0-9A-Za-zÀ-ỹĐđ.\-]+(?:/[0-9A-Za-zÀ-ỹĐđ.\-]+)*)",  # or a number left blank, to be written by hand
    re.IGNORECASE)
_WORD = re.compile(r"\S+")
_STAMP = re.compile(r"^(?:so \d{1,5}|ngay \d{1,2}/\d{1,2}(?:/\d{2,4})?)$")
"""Folded lines of an incoming-mail stamp (ĐẾN, số, ngày) besides the one its noise prefix skips."""


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _words(line: str) -> list[tuple[str, str]]:
    """Each word of a line with its folded form (punctuation-only words dropped)."""
    return [(w, f) for w in _WORD.findall(line) if (f := fold(w))]


def _strip_national(line: str, national: tuple[str, ...]) -> tuple[str, bool]:
    """The line without any quốc hiệu / tiêu ngữ it holds (OCR-tolerant, word-aligned), and whether one was."""
    folded = fold(line)
    present = [p for p in national if p in folded or fuzz.partial_ratio(p, folded, score_cutoff=75)]
    if not present:
        return line, False
    words = _words(line)
    found = False
    for phrase in present:
        size = len(phrase.split())
        best: tuple[float, int, int] = (0.0, 0, 0)
        for width in (size, size - 1, size + 1):
            for start in range(0, max(len(words) - width + 1, 0)):
                window = " ".join(f for _, f in words[start : start + width])
                score = fuzz.ratio(phrase, window, score_cutoff=80)
                if score > best[0]:
                    best = (score, start, width)
            if best[0] == 100:
                break
        if best[0] >= 80:
            found = True
            words = words[: best[1]] + words[best[1] + best[2]:]
    return " ".join(w for w, _ in words).strip(" -–—_:;,."), found


@lru_cache(maxsize=64)
def _by_length(prefixes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...]]:
    """Prefixes as `_starts` tries them: exact forms ("p" and "p "), and the long ones grouped by length."""
    exact = tuple(p + " " for p in prefixes) + tuple(p for p in prefixes if p.endswith("/"))
    groups: dict[int, list[str]] = {}
    for p in prefixes:
        if len(p) >= 8:
            groups.setdefault(len(p), []).append(p)
    return exact, tuple((n, tuple(ps)) for n, ps in sorted(groups.items()))


def _starts(folded: str, prefixes: tuple[str, ...]) -> str:
    """The first prefix `folded` starts with (a whole word), fuzzily for long ones; "" for none."""
    if not prefixes:
        return ""
    exact, groups = _by_length(prefixes)
    if folded in prefixes:
        return folded
    if folded.startswith(exact):
        return next(p for p in prefixes if folded.startswith(p + " ") or (p.endswith("/") and folded.startswith(p)))
    for length, group in groups:
        if folded[length : length + 1] not in ("", " "):
            continue
        found = process.extractOne(folded[:length], group, scorer=fuzz.ratio, score_cutoff=88)
        if found is not None:
            return found[0]
    return ""


def _type_of(line: str, rules: HeaderRules) -> tuple[str, str, str] | None:
    """(type as written, the rule's type, rest of the line) when `line` opens with a document type in capitals."""
    words = _words(line)
    for t in rules.types:
        size = len(t.split())
        if len(words) < size:
            continue
        head = " ".join(f for _, f in words[:size])
        if head != t and (len(t) < 8 or fuzz.ratio(head, t) < 88):
            continue
        typed = " ".join(w for w, _ in words[:size])
        if _upper_share(typed) < 0.7:
            continue
        rest = " ".join(w for w, _ in words[size:])
        if rest and _upper_share(rest.split()[0]) < 0.5 and not _starts(fold(rest), rules.summary_prefixes):
            # "Quyết định số 12 …", "Báo cáo này …": a sentence, not a type line.
            if fold(rest).split()[0] not in ("of", "cua"):
                continue
        return typed, t, rest
    return None


_RAW_DATE = re.compile(
    r"(?:,\s*|\s|^)(?:(?P<ngay>n\w{1,3}y)\s*(?P<d>\d{1,2})?[\s.…_—–-]*)?(?P<thang>th\w{2,4})\s*(?P<m>\d{1,2})\s*"
    r"n\w{1,3}\s*(?P<y>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)


def _split_date(line: str) -> tuple[str, str, str]:
    """(the line without its place and date, place, date d/m/yyyy or m/yyyy) of a line holding "Bắc Giang, ngày
    12 tháng 5 năm 2020" (or "…, tháng 6 năm 2019"), possibly merged with a number, issuer or summary."""
    for found in _RAW_DATE.finditer(line):
        if fold(found["thang"]) != "thang" or (found["ngay"] and fold(found["ngay"]) != "ngay"):
            continue
        if not found["ngay"] and not found.group(0).lstrip().startswith(","):
            # "tháng 6 năm 2019" with no comma before it: only a whole short line is a cover's date.
            if len(line) > 40:
                continue
        date = f"{int(found['d'])}/{int(found['m'])}/{found['y']}" if found["d"] else f"{int(found['m'])}/{found['y']}"
        before = line[: found.start()].rstrip()
        words = before.split()
        place_words: list[str] = []
        while words and len(place_words) < 4 and words[-1][:1].isupper() and not (
                len(words[-1]) > 1 and words[-1].isupper() and not words[-1].endswith(".")):
            place_words.insert(0, words.pop())
        rest = (" ".join(words) + " " + line[found.end():]).strip(" ,;-")
        return rest, " ".join(place_words), date
    return line, "", ""


@lru_cache(maxsize=4096)
def parse_header(text: str, rules: HeaderRules) -> DocumentHeader:
    """The header read at the top of a page's text (fields empty where nothing is found)."""
    lines: list[str] = []
    skipped = 0
    for line in (line.strip() for line in text.splitlines()):
        if len(lines) >= rules.zone_lines:
            break
        if not line:
            continue
        if _starts(fold(line), rules.noise_prefixes):
            skipped += 0 if lines else 1
            continue
        lines.append(line)
    issuer: list[str] = []
    number = symbol = place = date = typed = kind = addressee = ""
    summary: list[str] = []
    prefixed = letter = False
    state = "top"  # top → summary → after → (body: stop)
    for line in lines:
        stripped, national = _strip_national(line, rules.national)
        if not date:
            remainder, p, d = _split_date(stripped)
            if d:
                place, date = p, d
                if state == "summary" and not remainder:
                    state = "after"
                stripped = remainder
        folded = fold(stripped)
        if not folded:
            continue
        if _starts(folded, rules.addressee_prefixes):
            addressee = stripped.split(":", 1)[1].strip() if ":" in stripped else stripped
            if typed or summary:
                break
            continue
        if state == "summary" and _STAMP.match(folded):
            continue  # an incoming-mail stamp OCR'd into the summary ("Số: 123", "Ngày: 5/6/20")
        numbered = _NUMBER.match(stripped)
        if numbered and not number and state != "after":
            number = re.sub(r"\s+", "", numbered["no"]).strip(".-")
            symbol = number.split("/", 1)[1] if "/" in number else ""
            if state == "summary":
                state = "after"
            continue
        prefix = _starts(folded, rules.summary_prefixes)
        if state == "top":
            typed_line = _type_of(stripped, rules)
            if typed_line is not None:
                typed, kind, rest = typed_line
                state = "summary"
                if rest:
                    summary.append(rest)
                    prefixed = bool(_starts(fold(rest), rules.summary_prefixes))
                continue
            if prefix:
                letter = prefixed = True
                summary.append(stripped)
                state = "summary"
                continue
            if (not number and not date and _upper_share(stripped) >= 0.7
                    and len(folded) < 70 and len(issuer) < 3):
                issuer.append(stripped)
                continue
            if len(folded) <= 90:
                continue  # a short line of no part: an OCR'd speck, a stamp's remains, a rule
            break  # prose before any type or summary: no header here
        if state in ("summary", "after"):
            if _starts(folded, rules.summary_stops) or is_list_item(folded):
                break
            if state == "after" and not prefix:
                break
            if len(summary) >= rules.summary_max_lines or len(folded) > 160:
                break
            if summary and not prefix and (summary[-1].endswith(".") or (
                    # a title (no "Về việc") goes on in its own case; a "Về việc" summary until a sentence begins
                    (_upper_share(stripped) >= 0.7) != (_upper_share(summary[-1]) >= 0.7) if not prefixed
                    else stripped[:1].isupper() and (len(stripped) > 55 or stripped.endswith(".")))):
                break
            summary.append(stripped)
            prefixed = prefixed or bool(prefix)
            state = "summary"
    return DocumentHeader(
        issuer=tuple(issuer[-2:]), number=number, symbol=symbol, place=place, date=date, type=typed,
        kind=kind or ("cong van" if letter else ""),
        summary=" ".join(summary).strip(), addressee=addressee, letter=letter and not typed, skipped=skipped,
    )
