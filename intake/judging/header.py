"""Read the header at the top of a page as an officer does (issuer, number, date, type, summary, addressee); pure,
never decides which component a page is."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..folding import drop_speck, fold, upper_share
from ..models import DocumentHeader
from .ruleset import HeaderRules

log = logging.getLogger(__name__)


_CONTINUING = frozenset({"tinh", "huyen", "thanh", "thi", "quan", "xa", "phuong", "tp"})
"""First words of an issuer's second line that continue its first ("TỈNH BẮC GIANG")."""


def heading(header: DocumentHeader) -> str:
    """Folded type and summary together: what names a component."""
    return fold(f"{header.type} {header.summary}")


def subject_opens(header: DocumentHeader, phrases: tuple[str, ...], rules: HeaderRules) -> str:
    """The phrase (folded) the summary opens with once its "Về việc" / "V/v" (or a bare "Về", as a notice "Về tiền
    thuế nợ, tiền phạt …" has it) is taken off: what the document does about its subject ("đôn đốc nộp báo cáo …",
    "xử phạt …"); "" for none."""
    misread = _VV_MISREAD.match(header.summary)  # "V⁄ đề nghị xác nhận …": what follows is what it does
    folded = fold(header.summary[misread.end():] if misread else header.summary)
    prefix = "" if misread else (_starts(folded, rules.summary_prefixes) or ("ve" if folded.startswith("ve ") else ""))
    return _starts(folded[len(prefix):].strip(" :") if prefix else folded, phrases)


def cite(header: DocumentHeader) -> str:
    """How an officer cites a document: "Cục Thuế tỉnh Bắc Giang, V/v …, số 1532/CTBGI-KK, ngày 12/5/2020"."""
    parts = []
    if header.issuer:
        # "ỦY BAN NHÂN DÂN" / "TỈNH BẮC GIANG": the second line alone does not name the issuer.
        last = header.issuer[-1]
        if len(header.issuer) > 1 and fold(last).split()[:1] and fold(last).split()[0] in _CONTINUING:
            last = f"{header.issuer[-2]} {last}"
        parts.append(last)
    title = " ".join(p for p in (header.type, header.summary) if p)
    if title:
        parts.append(title if len(title) <= 160 else title[:157].rstrip() + "…")
    if header.number:
        parts.append(f"số {header.number}")
    if header.date:
        parts.append(f"ngày {header.date}" if header.date.count("/") == 2 else f"tháng {header.date}")
    return ", ".join(parts)

_NUMBER = re.compile(
    r"^s(?:[oóòỏõọôốồổỗộơớờởỡợ0]|ô)(?:\s*/\s*no\b\.?)?\s*(?:[:.;]\s*|\s+)"  # "Số /No.: 1208/2019/…"
    r"(?P<no>(?:[A-Za-zĐđ]{1,5}\s)?[0-9][0-9A-Za-zÀ-ỹĐđ.]*(?:\s*/\s*[0-9A-Za-zÀ-ỹĐđ.\-]+)*"
    r"|/\s*[0-9A-Za-zÀ-ỹĐđ.\-]+(?:/[0-9A-Za-zÀ-ỹĐđ.\-]+)*)",  # or a number left blank, to be written by hand
    re.IGNORECASE)
_WORD = re.compile(r"\S+")
_ENUMERATED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[a-hđ]|[IVXLC]{1,5})[.):]\s")
"""A numbered line as printed ("1. ", "1.1. ", "a) ", "II. "): the body has begun (folding would take the "vị" of a
wrapped "đơn / vị" for the roman numeral six)."""
_VV_MISREAD = re.compile(
    r"^['\"‘’`]?\s*V\s*(?:[/⁄∕#&|\\%]{1,2}\s*[vVwW]?|[xX][/⁄∕%]{1,2}\s*[vVwW]|[ỈIlÍÌ1][vV])\s+(?=\S)")
"""A letter's "V/v" as OCR reads it from a poor copy: "'V# xác nhận", "'VỈv xác nhận", "V& …", "Vlv …", and an italic
one: "V⁄%v", "VX%v", "V⁄%w", "V⁄ …" (audit 25) (a separator or a 'v' is needed: "VI KẾT LUẬN" and "V. KẾT QUẢ" are
headings, not summaries)."""
_STAMP = re.compile(r"^(?:so \d{1,5}|ngay \d{1,2}/\d{1,2}(?:/\d{2,4})?)$")
"""Folded lines of an incoming-mail stamp (ĐẾN, số, ngày) besides the one its noise prefix skips."""
_STAMP_HEAD = re.compile(r"^(?:cong van |cv |van ban )?den(?: so \d{1,5})?$")
"""A folded incoming-mail stamp's head ("CÔNG VĂN ĐẾN", "ĐẾN"), above its own number and date lines."""
_STAMP_FIELDS = re.compile(
    r"^(?:so \d{1,6}|ngay \d{1,2}[ /.-]\d{1,2}(?:[ /.-]\d{2,4})?|chuyen\b.*)"
    r"(?: ngay \d{1,2}[ /.-]\d{1,2}(?:[ /.-]\d{2,4})?)?$")
"""A folded line under a stamp's head: "Số: 125", "Ngày: 22/01/2020", "Số: 125 Ngày 22/01/2020", "Chuyển: P.KT"
(a number with no symbol: the document's own "Số: 402/CTBGI-KK" is no stamp's)."""
_STAMP_FIELD_LINES = 3
_MERGED_STAMP = re.compile(
    r"\s+(?:ĐẾN|ĐÉN|ĐEN)\s+S[ốô]\s*[:.]?\s*\d{1,6}(?:\s+Ngày\s*[:.]?\s*\d{1,2}/\d{1,2}(?:/\d{2,4})?)?(?=\s|$)")
"""An incoming-mail stamp's head and number text extraction merged into a summary's line ("V/v xác nhận tình hình
thực hiện ĐẾN Số: 125")."""


def _title_case(text: str) -> bool:
    """Whether every word of more than two letters begins with a capital ("Certificate of Registration")."""
    return all(w[:1].isupper() for w in text.split() if len(w) > 2)


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
def _by_length(prefixes: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[int, dict[str, list[str]]], ...]]:
    """Prefixes as `_starts` tries them: exact forms ("p" and "p "), and the long ones grouped by length, then by
    first letter (a fuzzy reading keeps it: "về doanh nghiệp" is not "tên doanh nghiệp" misread)."""
    exact = tuple(p + " " for p in prefixes) + tuple(p for p in prefixes if p.endswith("/"))
    groups: dict[int, dict[str, list[str]]] = {}
    for p in prefixes:
        if len(p) >= 8:
            groups.setdefault(len(p), {}).setdefault(p[0], []).append(p)
    return exact, tuple(sorted(groups.items()))


def _starts(folded: str, prefixes: tuple[str, ...]) -> str:
    """The first prefix `folded` starts with (a whole word), fuzzily for long ones; "" for none."""
    if not prefixes or not folded:
        return ""
    exact, groups = _by_length(prefixes)
    if folded in prefixes:
        return folded
    if folded.startswith(exact):
        return next(p for p in prefixes if folded.startswith(p + " ") or (p.endswith("/") and folded.startswith(p)))
    for length, by_letter in groups:
        if folded[length : length + 1] not in ("", " ") or folded[0] not in by_letter:
            continue
        found = process.extractOne(folded[:length], by_letter[folded[0]], scorer=fuzz.ratio, score_cutoff=88)
        if found is not None:
            return found[0]
    return ""


@lru_cache(maxsize=16)
def _by_size(types: tuple[str, ...]) -> tuple[tuple[int, frozenset[str], tuple[str, ...]], ...]:
    """Document types grouped by their number of words: (words, all of them, the long ones read fuzzily)."""
    sizes = sorted({len(t.split()) for t in types})
    return tuple((n, frozenset(t for t in types if len(t.split()) == n),
                  tuple(t for t in types if len(t.split()) == n and len(t) >= 8)) for n in sizes)


def _type_of(line: str, rules: HeaderRules) -> tuple[str, str, str] | None:
    """(type as written, the rule's type, rest of the line) when `line` opens with a document type in capitals."""
    words = _words(line)
    # The types the line's first words read as: equal, or (8 letters or more) close; one comparison per count
    # of words, not per type.
    matched: set[str] = set()
    for size, group, long in _by_size(rules.types):
        if len(words) < size:
            continue
        head = " ".join(f for _, f in words[:size])
        if head in group:
            matched.add(head)
        matched.update(found[0] for found in process.extract(head, long, scorer=fuzz.ratio, score_cutoff=88,
                                                              limit=None))
    if not matched:
        return None
    for t in rules.types:  # in the rules' order (longest first): the first that reads as a type line
        if t not in matched:
            continue
        size = len(t.split())
        typed = " ".join(w for w, _ in words[:size])
        rest = " ".join(w for w, _ in words[size:])
        if upper_share(typed) < 0.7 and (rest or not _title_case(typed)):
            continue  # in capitals, or a line of its own in title case ("Certificate of Registration")
        if rest and upper_share(rest.split()[0]) < 0.5 and not _starts(fold(rest), rules.summary_prefixes):
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


def without_issue(text: str, header: DocumentHeader) -> list[str]:
    """The page's lines with its header's date and number taken out ("Xuân Lộc, ngày 12 tháng 01 năm 2018",
    "Số: 03/2018/BC-XL"): they say when the document was issued, not the period it is about."""
    lines = text.splitlines()
    date, number = header.date, header.number
    for i, line in enumerate(lines):
        if not (date or number):
            break
        if date:
            rest, _, found = _split_date(line.strip())
            if found == date:
                line, date = rest, ""
        line = line.strip()
        numbered = _NUMBER.match(line) if number else None
        if numbered and re.sub(r"\s+", "", numbered["no"]).strip(".-") == number:
            line, number = line[:numbered.start()] + line[numbered.end():], ""
        lines[i] = line
    return lines


@lru_cache(maxsize=4096)
def parse_header(text: str, rules: HeaderRules) -> DocumentHeader:
    """The header read at the top of a page's text (fields empty where nothing is found)."""
    lines: list[str] = []
    skipped = 0
    stamp = 0  # lines left under an incoming-mail stamp's head that may be its fields
    for line in (drop_speck(line.strip()) for line in text.splitlines()):
        if len(lines) >= rules.zone_lines:
            break
        if not line:
            continue
        folded = fold(line)
        if _starts(folded, rules.noise_prefixes) or (stamp and _STAMP_FIELDS.match(folded)):
            skipped += 0 if lines else 1
            stamp = _STAMP_FIELD_LINES if _STAMP_HEAD.match(folded) else max(stamp - 1, 0)
            continue
        stamp = 0
        lines.append(line)
    issuer: list[str] = []
    number = symbol = place = date = typed = kind = addressee = ""
    summary: list[str] = []
    prefixed = letter = addressed = between = False
    state = "top"  # top → summary → after → (body: stop)
    for index, line in enumerate(lines):
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
            addressed = bool(number) and not between
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
        prefix = _starts(folded, rules.summary_prefixes) or ("v/v" if _VV_MISREAD.match(stripped) else "")
        if state == "top":
            typed_line = _type_of(stripped, rules) if not _starts(folded, rules.not_types) else None
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
            if (not number and not date and upper_share(stripped) >= 0.7
                    and len(folded) < 70 and len(issuer) < 3):
                issuer.append(stripped)
                continue
            if len(folded) <= 90 or (not issuer and not number and upper_share(stripped) >= 0.7):
                between = between or bool(number)
                # A short line of no part (an OCR'd speck, a stamp's remains, a rule), or a long one in capitals
                # above everything (a bound dossier's running header: "CÔNG TY … — HỒ SƠ THAM DỰ … — TÀI LIỆU …").
                continue
            if not typed and not summary and any(_strip_national(below, rules.national)[1]
                                                 for below in lines[index + 1:]):
                # A portal's or a browser's lines above a letter printed from the web ("THUẾ ĐIỆN TỬ - eTax |
                # Trang chủ | Khai thuế | …", audit 48): the quốc hiệu below opens the header; what came before is
                # none of it.
                issuer, number, symbol, place, date, between = [], "", "", "", "", False
                continue
            break  # prose before any type or summary: no header here
        if state in ("summary", "after"):
            if _starts(folded, rules.summary_stops) or _ENUMERATED.match(stripped):
                break
            if state == "after" and _STAMP.match(folded):
                continue
            if state == "after" and not prefix and not (prefixed and len(stripped) <= 60):
                # A letter's wrapped "V/v" goes on after the right column's date merged in between.
                break
            if len(summary) >= rules.summary_max_lines or (len(folded) > 160 and not prefix):
                break
            if summary and not prefix and (summary[-1].endswith(".") or (
                    # a title (no "Về việc") goes on in its own case; a "Về việc" summary until a sentence begins
                    (upper_share(stripped) >= 0.7) != (upper_share(summary[-1]) >= 0.7) if not prefixed
                    else stripped[:1].isupper() and (len(stripped) > 55 or stripped.endswith(".")))):
                break
            summary.append(stripped)
            prefixed = prefixed or bool(prefix)
            state = "summary"
    # An issuer, a number and "Kính gửi" right after it, with no type line, are a letter though its "V/v" was lost
    # (a highlighter stroke over it, audit 20): its issuer may still name what it is. A line between them (a form's
    # title OCR could not read as a type) makes it no letter.
    letter = letter or bool(not typed and issuer and number and addressed)
    return DocumentHeader(
        issuer=tuple(issuer[-2:]), number=number, symbol=symbol, place=place, date=date, type=typed,
        kind=kind or ("cong van" if letter else ""),
        summary=_MERGED_STAMP.sub("", " ".join(summary)).strip(), addressee=addressee, letter=letter and not typed, skipped=skipped,
    )
