"""Whose document a range is: a range of a component that checks its holder's tax code (`holder_tax_code`) and
names only valid tax codes other than the enterprise's own (its registration form's) is another entity's document
(a branch's, a similarly named company's: audit 28) and no range of that component; so is a certificate of a
component that checks its holder's name (`holder_name`) whose first pages name companies, none of them the
enterprise (its form's name, former, English or trading name): a parent corporation's, a supplier's, a namesake's.
Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from ..folding import fold, fold_chars, upper_share
from ..models import DocumentHeader, Evidence, Match, Page, ReceivedFile
from .checks import valid_tax_code
from .fields import REGISTRATION_FORM, ROW_NUMBERING, dossier_registration
from .header import parse_header
from .ruleset import RuleSet

_NAMED_TAX_CODE = re.compile(
    r"(?:ma\s*so\s*thue|\bmst|ma\s*so\s*doanh\s*nghiep)\s*(?:cua\s*(?:don\s*vi|doanh\s*nghiep)\s*)?[:.]?\s*"
    r"(\d(?:[\s.]?\d){9}(?:\s*-\s*\d{3})?)(?!\d)")
"""A tax code as a document names it, on its text without diacritics (`fold_chars`: a branch's "-001" kept):
"Mã số thuế: 2400333448-001", "(MST 0100 111 225)"."""

HOLDER = "holder"
"""Evidence kind of a range set aside as another entity's document (`phrase`: "component: the tax code it names")."""

HOLDER_NAME = "holder_name"
"""Evidence kind of a certificate set aside as another company's (`phrase`: "component: the company it names")."""

HELD_BY = "held_by"
"""Evidence kind of a certificate's holder found to be the enterprise (`phrase`: the name as the page gives it), for
the officer to see whose it is."""


def named_tax_codes(text: str) -> list[str]:
    """The valid tax codes a text names after their label, normalised ("2400333448", "2400333448-001")."""
    found = []
    for m in _NAMED_TAX_CODE.finditer(fold_chars(text)):
        digits = re.sub(r"[^\d]", "", m[1])
        code = digits[:10] + (f"-{digits[10:]}" if len(digits) == 13 else "")
        if valid_tax_code(code) and code not in found:
            found.append(code)
    return found


def _ours(code: str, own: str) -> bool:
    """Whether a tax code a document names is the enterprise's: the same, or its head office's when the form is a
    branch's (a branch's own code under the form's is a branch's, not the enterprise's)."""
    return code == own or (len(own) == 14 and code == own[:10])


def set_aside_foreign(files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet) -> tuple[Match, ...]:
    """The matches, each range another entity's document (`set_aside_by_code`, `set_aside_by_name`) made no
    component, with evidence naming what it names instead of the enterprise."""
    return set_aside_by_addressee(files, set_aside_by_name(files, set_aside_by_code(files, matches, rules), rules),
                                  rules)


def set_aside_by_code(files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet) -> tuple[Match, ...]:
    """The matches, each range of a `holder_tax_code` component whose pages name valid tax codes, none of them the
    enterprise's form's, made no component, with `holder` evidence naming the first such code. Nothing changes
    when the form gives no tax code it read with certainty."""
    checked = {c.id for c in rules.components if c.holder_tax_code}
    if not any(m.component in checked for m in matches):
        return matches
    field = dossier_registration(files, matches).field("tax_code")
    if field.status not in ("ok", "corrected") or not valid_tax_code(field.value):
        return matches
    by_path = {f.path: f for f in files}
    out = []
    for m in matches:
        if m.component in checked and m.file in by_path:
            pages = [p for p in by_path[m.file].extraction.pages if m.first_page <= p.number <= m.last_page]
            named = [(p.number, code) for p in pages for code in named_tax_codes(p.text)]
            if named and not any(_ours(code, field.value) for _, code in named):
                page, code = named[0]
                m = replace(m, component=None,
                            evidence=(*m.evidence, Evidence(HOLDER, f"{m.component}: {code}", page, 100.0)))
        out.append(m)
    return tuple(out)


_COMPANY = re.compile(r"\b(?:chi nhanh (?:tong cong ty|cong ty|cty)|tong cong ty|tap doan|cong ty|cty|ctcp|"
                      r"hop tac xa|htx|doanh nghiep tu nhan|dntn|benh vien)\b")
"""Where a Vietnamese organisation's name begins, on a folded line: a company, a branch of one, a cooperative, a
private enterprise, a hospital (audit 49: a cooperative's certificate issued to another cooperative counted; a
branch's own certificate was read as its parent company's)."""

_COPY_STAMP = re.compile(r"(?:sao y ban chinh|sao y|ban sao dung voi ban chinh|chung thuc ban sao)\b")
_COPY_STAMP_LINES = 2
"""A certified copy's stamp and the lines under it that name who certified it ("SAO Y BẢN CHÍNH" / "HỢP TÁC XÃ CHÈ
LA BẰNG" / "CHỦ NHIỆM HTX"): the enterprise, on another's certificate it copied (audit 49)."""

_NOUNS = ("hop tac xa", "doanh nghiep tu nhan", "benh vien")
"""Heads that are common nouns too: a name only where it is capitalised ("Bệnh viện Đa khoa …")."""

_BRANCH = "chi nhanh"
"""Head of a branch's name: "Chi nhánh Công ty … tại Bắc Giang" is not the company."""

_PARENT = ("tong cong ty", "tap doan")
"""Heads of a parent corporation's name: "Tổng công ty May 10" is not "Công ty Cổ phần May 10"."""

_LEGAL = tuple(sorted((
    "tong cong ty", "tap doan", "cong ty", "cty", "ctcp", "co phan", "cp", "trach nhiem huu han", "tnhh",
    "mot thanh vien", "hai thanh vien tro len", "hai thanh vien", "mtv", "doanh nghiep tu nhan", "dntn",
    "lien doanh", "100 von nuoc ngoai", "the", "hop tac xa", "htx",
), key=len, reverse=True))
"""Legal-form words that begin a name, in any order ("Công ty TNHH MTV", "CTCP")."""

_ENGLISH_LEGAL = tuple(sorted((
    "joint stock company", "company limited", "co ltd", "ltd", "limited", "jsc", "corporation", "corp", "company",
    "co", "inc", "one member", "llc", "j s c", "cooperative", "private enterprise",
), key=len, reverse=True))
"""English legal-form words that end a name ("… JOINT STOCK COMPANY", "… CO., LTD")."""

_ENGLISH_COMPANY = re.compile(
    r"\b(?:joint stock company|company limited|co ltd|jsc|corporation|company|cooperative|private enterprise)\b")
"""An English company name on a folded line."""

_BODIES = re.compile(
    r"\b(?:chung nhan|giam dinh|kiem dinh|thu nghiem|certification|certificat|inspection|testing|quacert|vinacert|"
    r"bureau veritas|sgs|tuv|intertek|dnv|bsi|lrqa|lloyd|kiwa|nqa|rheinland|tieu chuan|do luong|cong nhan|"
    r"accreditation|assessment|assurance|registrar|standards)\b")
"""Words of a certification or accreditation body's name: a company named so is the issuer, not the holder."""

_NAME_END = re.compile(
    r"\s*(?:[(),;:]|\s[-–—]\s|\b(?:dia chi|tru so|address|located|da duoc|has been|have been|is|for the|for|"
    r"ma so|tax code|website|tel|dien thoai|theo|phu hop|in conformity|cong hoa xa hoi chu nghia|socialist republic)"
    r"\b)")
"""Where a company's name ends on its line: a bracket, a comma, a spaced dash or the words that follow it (the
quốc hiệu of a header whose two columns text extraction merged: "CÔNG TY TNHH … CỘNG HÒA XÃ HỘI CHỦ NGHĨA …")."""

_FORM_NAME_LABELS = (
    "ten cong ty truoc khi thay doi", "ten truoc khi thay doi", "ten doanh nghiep truoc day", "ten truoc day",
    "ten cu", "ten tieng anh", "ten giao dich quoc te", "ten giao dich", "ten bang tieng anh",
    "ten viet bang tieng nuoc ngoai", "ten nuoc ngoai", "ten quoc te", "english name", "ten viet tat",
)
"""Labels of the other names a registration form gives the enterprise (folded): former, English, trading."""

_ENGLISH_LABELS = ("ten tieng anh", "ten giao dich quoc te", "ten giao dich tieng anh", "ten bang tieng anh",
                   "ten viet bang tieng nuoc ngoai", "ten nuoc ngoai", "ten quoc te", "english name")
"""Those of them that give its name in English ("Tên giao dịch quốc tế"), not its former name, its abbreviation or
a trading name ("Tên giao dịch: HHP")."""

_LABEL_WORDS = 9
"""Words of a form's line at most that can be its label."""


def _other_name(line: str, below: str) -> tuple[str, bool] | None:
    """The name a form's line gives after one of `_FORM_NAME_LABELS` (the longest that fits), whatever numbers the
    row and whether a colon or a table's cell edge ends the label ("2. Tên giao dịch quốc tế  VIET YEN CERAMICS
    JSC", audit 42), or on the line below when the label's cell is alone on its line; with whether it is the
    enterprise's name in English (an English label, and hardly a Vietnamese letter in it)."""
    body = ROW_NUMBERING.sub("", line, count=1)
    head, colon, after = body.partition(":")
    label = fold(head.split("/")[0]) if colon else ""
    if label.startswith(_FORM_NAME_LABELS):  # "Tên giao dịch tiếng Anh / International name: …"
        name = after.strip()
    else:
        words = body.split()
        count = max((n for n in range(1, min(len(words), _LABEL_WORDS) + 1)
                     if fold(" ".join(words[:n])) in _FORM_NAME_LABELS), default=0)
        if not count:
            return None
        label = fold(" ".join(words[:count]))
        name = " ".join(words[count:]).lstrip(":;：-–— ").strip()
        name = name or (below if below and ":" not in below and not fold(below).startswith("ten ") else "")
    english = label.startswith(_ENGLISH_LABELS) and sum(ord(c) > 127 for c in name) <= 1 and len(name.split()) > 1
    return (name, english) if name else None


_ADDRESS_LINE = re.compile(r"(?:lo|lot|no|so|thon|xom|ap|cum|khu|kcn|ccn|duong|street|road|dia chi|address)\b")
"""A folded line that begins an address, not the rest of a name wrapped above it ("Lô B2, Khu công nghiệp …",
"No. 12, Lane 102 …", "Thôn Kim Thanh, …": audit 42's Mẫu 02 said «… JOINT STOCK COMPANY No. 12»)."""

SAME_NAME = 0.88
"""Least similarity of two names' letters (spaces left out, OCR's "rn" for "m" mended) for one company."""

MIN_CONFIDENCE = 75.0
"""An OCR'd page read with less mean confidence names no holder: its misreads could make the enterprise another."""


def _strip(words: list[str], phrases: tuple[str, ...], end: bool = False) -> list[str]:
    """`words` without the `phrases` at their head (or end), as many as there are, by letters: OCR's split words
    ("CÔNG T: Y") too."""
    letters = [p.replace(" ", "") for p in phrases]
    changed = True
    while changed and words:
        changed = False
        for phrase in letters:
            for n in range(1, min(len(words), len(phrase)) ):
                part = words[-n:] if end else words[:n]
                if "".join(part) == phrase:
                    words = words[:-n] if end else words[n:]
                    changed = True
                    break
                if len("".join(part)) > len(phrase):
                    break
            if changed:
                break
    return words


@dataclass(frozen=True)
class _Name:
    """A company's name reduced to what tells it apart: its words without legal form or "Việt Nam"."""

    core: tuple[str, ...]
    parent: bool
    shown: str
    branch: bool = False


def _name(text: str) -> _Name | None:
    """A company name as `_Name` (None when nothing is left but legal-form words)."""
    folded = fold(text).replace("viet nam", " ").replace("vietnam", " ").replace("rn", "m")
    words = folded.split()
    branch = " ".join(words[:2]) == _BRANCH
    words = words[2:] if branch else words
    parent = " ".join(words[:3]).startswith(_PARENT)
    core = _strip(_strip(words, _LEGAL), _ENGLISH_LEGAL, end=True)
    if " ".join(core) in _LEGAL or " ".join(core) in _ENGLISH_LEGAL:
        return None  # "HTX" alone ("CHỦ NHIỆM HTX"), "COMPANY" wrapped from a sentence (audit 52): no name
    shown = text.split()
    # A name's own words are capitalised ("Công ty Cổ phần May Bắc Giang"); "Công ty có trách nhiệm …" is a sentence.
    if not core or sum(w[:1].isupper() or w[:1].isdigit() for w in shown[-len(core):]) * 2 < len(core):
        return None
    return _Name(tuple(core), parent, " ".join(shown), branch)


def _same(holder: _Name, ours: _Name) -> bool:
    """Whether a name a certificate gives is the enterprise's: the same head (a parent corporation is another
    company), and the enterprise's name in its letters but for a misread or two (words merged or split by OCR, a
    misread legal-form word left in either name, words after the name such as a place or an address)."""
    if holder.parent != ours.parent or holder.branch != ours.branch:
        return False
    letters = "".join(ours.core)
    starts = ["".join(holder.core[j:]) for j in range(min(len(holder.core), 4))]
    for i in range(min(len(ours.core), 3)):
        target = "".join(ours.core[i:])
        if len(target) < max(3, 0.7 * len(letters)):
            break
        if any(Levenshtein.normalized_similarity(target, start[:len(target) + d]) >= SAME_NAME
               for start in starts for d in (-2, -1, 0, 1, 2)):
            return True
    return False


def _cut(text: str) -> str:
    """A name as it stands on a line: up to where `_NAME_END` says it ends."""
    folded = fold_chars(text)
    found = _NAME_END.search(folded, 4)
    return text[:found.start()] if found else text


_HOLDER_LABEL = re.compile(r"(?:certificate holder|holder|name of (?:the )?organi[sz]ation|organi[sz]ation name|"
                           r"company name|client name)\s*[:\-]?\s+", re.IGNORECASE)
"""The label before the holder's name in a certification body's online register (a row without a colon)."""
_ENGLISH_LEGAL_HEAD = re.compile(r"^(?:company|co ltd|co|ltd|limited|jsc|corporation|corp|inc|llc)\b")
"""A folded English name that begins with its legal form: the rest of a name wrapped from the line above."""
_ENGLISH_LEGAL_TAIL = re.compile(r"\b(?:company|co ltd|ltd|limited|jsc|corporation|corp|inc|llc)$")
"""A folded English name that ends with its legal form: whole (the next line is its address)."""


def _wrapped_above(line: str) -> bool:
    """Whether a line can be the first part of an English name wrapped onto the next one: in capitals, no label or
    sentence ("… System of:"), no company of its own."""
    folded = fold(line)
    return (upper_share(line) >= 0.8 and not re.search(r"[:;.]$", line.strip())
            and not _ENGLISH_COMPANY.search(folded) and not _COMPANY.search(fold_chars(line))
            and not _BODIES.search(folded))


def named_companies(page: Page) -> list[tuple[_Name, bool]]:
    """The companies a certificate page names, each with whether it is a Vietnamese name ("CÔNG TY …", else an
    English one: "… CO., LTD"), certification and accreditation bodies left out; a name wrapped onto the next line
    read whole."""
    lines = [line.strip() for line in page.text.splitlines() if line.strip()]
    found = []
    stamp = -1  # the last line of a certified copy's stamp: who certified the copy, not whose the certificate is
    for i, line in enumerate(lines):
        folded = fold_chars(line)
        if _COPY_STAMP.match(fold(line)):
            stamp = i + _COPY_STAMP_LINES
            continue
        if i <= stamp:
            continue
        head = _COMPANY.search(folded)
        if head is not None and head.group(0).startswith(_NOUNS) and not line[head.start()].isupper():
            head = None  # "bệnh viện" as a common noun ("kết quả đánh giá chất lượng bệnh viện năm 2019")
        if head is not None and len(folded[:head.start()].split()) <= 10:
            start = head.start()
        elif _ENGLISH_COMPANY.search(fold(line)):
            start = len(line) - len(line.lstrip(" .:-"))
            start = next((m.end() for m in re.finditer(r":\s*", line)), start)
            label = _HOLDER_LABEL.match(line, start)
            start = label.end() if label else start  # "Certificate holder MINH LONG …" (a register's row, audit 48)
        else:
            continue
        rest = line[start:]
        english = head is None
        if english and i and _ENGLISH_LEGAL_HEAD.match(fold(rest)) and _wrapped_above(lines[i - 1]):
            rest = f"{lines[i - 1]} {rest}"  # "SONG KHE TECHNICAL PLASTICS JOINT STOCK" / "COMPANY" (audit 43)
        if (i + 1 < len(lines) and not re.search(r"[(),;:]", rest) and not _COMPANY.search(fold_chars(lines[i + 1]))
                and not _ADDRESS_LINE.match(fold(lines[i + 1]))
                and not (english and _ENGLISH_LEGAL_TAIL.search(fold(rest)))):
            rest = f"{rest} {lines[i + 1]}"  # "CÔNG TY CỔ PHẦN DƯỢC PHẨM" / "BẮC GIANG"
        text = _cut(rest)
        if _BODIES.search(fold(text)):
            continue
        name = _name(text)
        if name is not None:
            found.append((name, head is not None))
    return found


def _form_names(files: list[ReceivedFile], matches: tuple[Match, ...], enterprise: str) -> list[tuple[_Name, bool]]:
    """The enterprise's names: its form's, and the former, English and trading names the form gives, each with
    whether it is its name in English (`_other_name`)."""
    by_path = {f.path: f for f in files}
    texts = [(enterprise, False)]
    for m in matches:
        if m.component == REGISTRATION_FORM and m.file in by_path:
            for page in by_path[m.file].extraction.pages:
                if m.first_page <= page.number <= m.last_page:
                    lines = [line.strip() for line in page.text.splitlines() if line.strip()]
                    texts += [found for i, line in enumerate(lines)
                              if (found := _other_name(line, lines[i + 1] if i + 1 < len(lines) else ""))]
    # "Công ty Cổ phần Giáo dục Đức Trí (Trường Liên cấp Đức Trí)": the name, and the name in brackets.
    texts += [(inside, english) for text, english in texts for inside in re.findall(r"\(([^()]{4,})\)", text)]
    # The form's name as the form gives it (a colon in it is OCR's), the others up to where they end.
    cut = [(text.split("(")[0] if k == 0 else _cut(text.strip(" :")), english)
           for k, (text, english) in enumerate(texts)]
    return [(name, english) for text, english in cut if (name := _name(text)) is not None]


def _our_names(files: list[ReceivedFile], matches: tuple[Match, ...]) -> list[tuple[_Name, bool]]:
    """The enterprise's names its form gives (`_form_names`); none when the form gives no name. A name OCR was
    unsure of is still compared: the comparison allows a misread or two, and a name it cannot match keeps the
    document."""
    field = dossier_registration(files, matches).field("enterprise")
    if field.status not in ("ok", "corrected", "uncertain"):
        return []
    return _form_names(files, matches, field.value)


def set_aside_by_addressee(files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet
                           ) -> tuple[Match, ...]:
    """The matches, each document of a `holder_tax_code` component's range (from one header to the next)
    addressed to another organisation than the enterprise ("Kính gửi: Công ty Cổ phần May Sông Hồng" in a branch's
    dossier, a member company's in a cooperative's, a namesake's: audit 49) made a range of its own that is no
    component, with `holder_name` evidence naming the addressee; its other documents stay the component."""
    checked = {c.id for c in rules.components if c.holder_tax_code}
    if not any(m.component in checked for m in matches):
        return matches
    registration = dossier_registration(files, matches)
    enterprise = registration.field("enterprise")
    if registration.ocr or enterprise.status not in ("ok", "corrected"):
        return matches  # a name OCR read may be misread ("CônØ ty …"): too weak to refuse a confirmation by
    ours = [name for name, _ in _form_names(files, matches, enterprise.value)]
    if not ours:
        return matches
    field = registration.field("tax_code")
    own_code = field.value if field.status in ("ok", "corrected") and valid_tax_code(field.value) else ""
    by_path = {f.path: f for f in files}
    out: list[Match] = []
    for m in matches:
        if m.component not in checked or m.file not in by_path:
            out.append(m)
            continue
        pages = {p.number: p for p in by_path[m.file].extraction.pages if m.first_page <= p.number <= m.last_page}
        starts = sorted({m.first_page} | {e.page for e in m.evidence if e.kind == "header" and e.page in pages})
        parts = [(first, (starts[i + 1] - 1) if i + 1 < len(starts) else m.last_page) for i, first in enumerate(starts)]
        headers = {first: parse_header(pages[first].text, rules.recognition.header) for first, _ in parts}
        foreign = {first: name for first, last in parts
                   if (name := _addressed(pages[first], headers[first])) is not None
                   and not any(_same(name, own) for own in ours)
                   and not _names_us([pages[n] for n in range(first, last + 1)], ours, own_code)}
        if not foreign:
            out.append(m)
            continue
        for first, last in parts:
            mine = tuple(e for e in m.evidence if first <= e.page <= last or (e.page == 0 and first not in foreign))
            header = headers[first] if headers[first].found else None
            if first in foreign:
                mine += (Evidence(HOLDER_NAME, f"{m.component}: {foreign[first].shown}", first, 100.0),)
                out.append(replace(m, first_page=first, last_page=last, component=None, evidence=mine, header=header))
            elif out and out[-1].file == m.file and out[-1].component == m.component and out[-1].last_page == first - 1:
                out[-1] = replace(out[-1], last_page=last, evidence=out[-1].evidence + mine)
            else:
                out.append(replace(m, first_page=first, last_page=last, evidence=mine, header=header))
    return tuple(out)


def _names_us(pages: list[Page], ours: list[_Name], own_code: str) -> bool:
    """Whether a document names the enterprise anyway: its name (in its body, the addressee misread) or its tax
    code."""
    return any(_same(name, own) for page in pages for name, _ in named_companies(page) for own in ours) or bool(
        own_code and any(_ours(code, own_code) for page in pages for code in named_tax_codes(page.text)))


def _addressed(page: Page, header: DocumentHeader) -> _Name | None:
    """The organisation a document's first page is addressed to ("Kính gửi: …"), where it names one in Vietnamese
    in a text layer or a Word file: OCR misreads names at any confidence (audit 12's "Công ty Cổ phần UÐREMN Bắc"
    for "May Hà Bắc", read at 91)."""
    if page.method == "ocr":
        return None
    addressee = header.addressee
    named = [name for name, vietnamese in named_companies(Page(page.number, addressee, page.method, None))
             if vietnamese] if addressee else []
    return named[0] if named else None


def set_aside_by_name(files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet) -> tuple[Match, ...]:
    """The matches, each range of a `holder_name` component whose first two pages name Vietnamese companies and
    no company that is the enterprise, made no component, with `holder_name` evidence naming the first such
    company; a certificate naming the enterprise gets `held_by` evidence naming it as the page does. Nothing
    changes when the form gives no name, or on a page OCR read with little confidence."""
    checked = {c.id for c in rules.components if c.holder_name}
    if not any(m.component in checked for m in matches):
        return matches
    names = _our_names(files, matches)
    if not names:
        return matches
    ours = [name for name, _ in names]
    # An English holder decides only where the form gives the enterprise's English name to compare: else it may be
    # the enterprise's, translated (audit 42: a parent's English-only certificate counted).
    # An abbreviation ("VYC CO., LTD") compares with nothing: two words of a name at least.
    english_decides = any(english and len(name.core) > 1 for name, english in names)
    by_path = {f.path: f for f in files}
    out = []
    for m in matches:
        if m.component in checked and m.file in by_path:
            pages = [p for p in by_path[m.file].extraction.pages
                     if m.first_page <= p.number <= min(m.last_page, m.first_page + 1)]
            if not any(p.method == "ocr" and (p.confidence or 0.0) < MIN_CONFIDENCE for p in pages):
                named = [(p.number, name, vietnamese) for p in pages for name, vietnamese in named_companies(p)]
                others = [(page, name) for page, name, vietnamese in named if vietnamese or english_decides]
                held = next(((page, name) for page, name, _ in named if any(_same(name, own) for own in ours)), None)
                if held is not None:
                    m = replace(m, evidence=(*m.evidence, Evidence(HELD_BY, held[1].shown, held[0], 100.0)))
                elif others:
                    page, name = others[0]
                    m = replace(m, component=None, evidence=(
                        *m.evidence, Evidence(HOLDER_NAME, f"{m.component}: {name.shown}", page, 100.0)))
        out.append(m)
    return tuple(out)
