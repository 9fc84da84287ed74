"""Judge a whole dossier against the rule set: documents found, content checks, deficiencies; pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from dataclasses import dataclass

from ..folding import (
    fold, phrase_score, prefix_score, vietnamese_sort_key,
)
from .criteria import criteria_deficiencies
from .enclosures import enclosed_deficiencies, with_members
from .undone import YEAR, without_undone
from .header import heading, parse_header, without_issue
from .models import Hint
from .revisions import in_force, revisions
from .ruleset import Check, Component, RuleSet
from ..models import Deficiency, Match, Override, ReceivedFile, Verdict

CONTENT_CODES = frozenset({"missing_criteria", "missing_years"})
"""Deficiencies of a component's content (what its pages say), as opposed to its absence."""

BLOCKING_CODES = frozenset({"missing_document", "missing_criteria", "missing_years", "missing_seal",
                            "incomplete_form"})
"""Deficiencies that keep a dossier incomplete; the others are reported but a dossier can be complete with them."""


def _fmt_time(moment: datetime) -> str:
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def file_deficiencies(files: list[ReceivedFile], min_confidence: float) -> list[Deficiency]:
    """Deficiencies of the files themselves: unreadable (an archive's members named), unsupported, illegible."""
    found = []
    for f in sorted(files, key=lambda f: f.path):
        problem = f.extraction.problem
        if problem is not None:
            reason = with_members(problem.reason, f.extraction.enclosed)
            found.append(Deficiency(problem.code, f"Tệp «{f.path}»: {reason}.", file=f.path))
            continue
        illegible = [
            p.number for p in f.extraction.pages
            if p.method == "ocr" and p.confidence is not None and p.confidence < min_confidence
        ]
        if illegible:
            where = "trang " + ", ".join(map(str, illegible)) if len(f.extraction.pages) > 1 else "nội dung"
            found.append(Deficiency(
                "illegible",
                # A photo of a workshop reads as nothing too (audit 25): the enterprise is asked only about papers.
                f"Tệp «{f.path}»: {where} không đọc được chữ (chất lượng bản quét thấp, hoặc là ảnh không có chữ); "
                "nếu là văn bản của hồ sơ, đề nghị quét lại rõ nét ở độ phân giải 300 dpi.",
                file=f.path
            ))
    return found


_YEAR_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*(?:-|–|—|đến|tới|to)\s*(?:\(?hết\)?\s*)?"
    r"(?:năm\s*|ngày\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*|ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*"
    r"|(?:tháng\s*)?\d{1,2}\s*/\s*)?((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
"""A span of years as written: "2017 - 2019", "giai đoạn 2017–2019", "từ năm 2017 đến năm 2019", "từ tháng 01/2017
đến (hết) tháng 12/2019", "01/2017 - 12/2019", "từ ngày 01/01/2017 đến ngày 31/12/2019"."""


_CITED_DATE = r"\s*,?\s*ngày\s*(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+)(?:19|20)\d\d"
"""The date written after a cited document's number ("… ngày 01/9/2017", "… ngày 20 tháng 4 năm 2018")."""
_MORE_YEARS = r"(?:\s*(?:,|và|-|–)\s*(?:năm\s+)?(?:19|20)\d\d)*"
"""More years of a list after the first: ", 2018", " và năm 2018" (audit 45: "năm 2017 và năm 2018")."""
_CITATION = re.compile(
    # a legal document's number, and its date: "Thông tư 24/2017/TT-BTNMT ngày 01/9/2017", "40/2019/NĐ-CP"
    rf"\d{{1,5}}/(?:19|20)\d\d/[\w.-]++(?:{_CITED_DATE})?"
    r"|\b\d{1,5}(?:-\d{1,2})?:(?:19|20)\d\d\b"  # a standard: "QCVN 05:2013", "ISO 9001:2015"
    # a cited document's number and date: "1015/QĐ-BTNMT ngày 20/4/2018", "55/2014/QH13 ngày 23/6/2014"
    # (possessive: a page's text is the enterprise's, and a long token must not make the match backtrack)
    rf"|\d{{1,5}}/(?:[\w.-]++/)*+(?=[\w.-]*?[^\W\d_])[\w.-]++{_CITED_DATE}"
    # a comparison with another year: "so với (cùng kỳ) năm 2017", "tương đương năm 2018"
    + r"|(?:so\s+với|so\s+sánh\s+với|tương\s+đương|cùng\s+kỳ)(?:\s+cùng\s+kỳ)?\s+(?:các\s+)?(?:năm\s+)?"
      rf"(?:19|20)\d\d{_MORE_YEARS}"
    # … what is compared named in between, kept: "so sánh kết quả quan trắc năm 2019 với kết quả các năm 2017 và
    # 2018" (audit 45)
    + r"|(?P<compared>so\s+sánh(?:\s+[^\W\d_]+|\s+(?:19|20)\d\d){1,8}?\s+với)\s+(?:kết\s+quả\s+|số\s+liệu\s+)?"
      rf"(?:của\s+)?(?:các\s+)?(?:năm\s+)?(?:19|20)\d\d{_MORE_YEARS}"
    # … with another year's results: "thấp hơn kết quả đợt quan trắc cuối năm 2018", "so với số liệu năm 2017"
    r"|(?:(?:thấp|cao|kém|lớn|nhỏ|tốt)\s+hơn\s+(?:so\s+với\s+)?|so\s+với\s+)(?:kết\s+quả|số\s+liệu|giá\s+trị|mức)"
    rf"(?:\s+(?!năm\b)[^\W\d_]+){{0,5}}?\s+(?:các\s+)?(?:năm\s+)?(?:19|20)\d\d{_MORE_YEARS}"
    r"|(?:19|20)\d\d\s*\(\s*(?:đối\s+chiếu|so\s+sánh|tham\s+chiếu)\s*\)"  # a column "Năm 2018 (đối chiếu)"
    # another year's results said to be reported elsewhere, not sent here: "Kết quả quan trắc năm 2018 đã được Công
    # ty báo cáo Sở Tài nguyên và Môi trường theo quy định" (audit 24: it counted 2018 as covered)
    r"|(?:kết\s+quả|báo\s+cáo|số\s+liệu)(?:\s+(?!năm\b)[^\W\d_]+){0,4}?\s+(?:năm\s+)?(?:19|20)\d\d"
    rf"{_MORE_YEARS}(?=\s+(?:cũng\s+)?đã\s+(?:được\s+)?(?:[^\W\d_]+\s+){{0,3}}?"
    r"(?:báo\s+cáo|gửi|nộp|lưu))"
    # what is planned, not done: "Kế hoạch quan trắc năm 2020", "dự kiến năm 2019"
    r"|(?:kế\s+hoạch|dự\s+kiến|phương\s+hướng|định\s+hướng)(?:\s+(?!năm\b)[^\W\d_]+){0,3}?\s+(?:năm\s+)?"
    r"(?:19|20)\d\d(?!\d)",
    re.IGNORECASE)
"""Years that belong to what a line cites (a circular, a standard, a decision and its date), compares with (an
earlier year's results) or plans, not to the period it reports on."""

_PLAN_HEADING = re.compile(
    r"^\s*(?:(?P<roman>[IVX]{1,4})|(?P<number>\d{1,2}))\s*[.):]?\s*(?:kế\s+hoạch|phương\s+hướng|dự\s+kiến|định\s+hướng"
    r"|nhiệm\s+vụ\s+(?:năm|trong|thời)|kiến\s+nghị\s+và\s+kế\s+hoạch)\b", re.IGNORECASE)
"""A report's numbered section of what comes next ("III. KẾ HOẠCH NĂM 2019", "5. Phương hướng, nhiệm vụ …"), when it
names a year or a time to come (`_AHEAD`): "2. Kế hoạch quan trắc" of a monitoring report describes what was done."""
_AHEAD = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|năm\s+(?:tới|sau)|tiếp\s+theo|sắp\s+tới|thời\s+gian\s+tới",
                    re.IGNORECASE)
_ROMAN_HEADING = re.compile(r"^\s*[IVX]{1,4}\s*[.):]\s*\S")


def _without_plans(lines: list[str]) -> list[str]:
    """The lines with the years of a report's plan section taken out: "III. KẾ HOẠCH NĂM 2019" and what follows it,
    up to the next section of its level ("IV.", or "4." after "3."), say what the year will bring ("Năm 2019 Công ty
    tiếp tục … quan trắc định kỳ 02 lần/năm"), not what was monitored (audit 15: a 2018 report covered 2019)."""
    out, until = [], None
    for line in lines:
        if until is not None and until(line):
            until = None
        plan = _PLAN_HEADING.match(line)
        if plan is not None and _AHEAD.search(line):
            if plan["roman"]:
                until = _ROMAN_HEADING.match
            else:
                following = re.compile(rf"^\s*{int(plan['number']) + 1}\s*[.):]\s*\S")
                until = following.match
        out.append(YEAR.sub(" ", line) if until is not None else line)
    return out


def _with_years(line: str, previous: str = "") -> str:
    """A folded line (what it cites already taken out: `_folded_years`), with every year of each span it writes
    ("2017–2019") spelled out after it (folding would otherwise turn "2017–2019" into "2017 2019", losing 2018), and
    of a span the previous line begins ("… từ năm 2017" / "đến năm 2019 …")."""
    folded = fold(line)
    spans = [range(int(a), int(b) + 1) for a, b in _YEAR_RANGE.findall(line) if 0 < int(b) - int(a) <= 10]
    if previous:
        joined, cut = f"{previous} {line}", len(previous)
        spans += [range(int(m[1]), int(m[2]) + 1) for m in _YEAR_RANGE.finditer(joined)
                  if m.start() < cut < m.end() and 0 < int(m[2]) - int(m[1]) <= 10]
    return folded + "".join(" " + " ".join(map(str, span)) for span in spans)


_MONTH_END = r"(?:hết\s+)?(?:ngày\s*\d{1,2}\s*[/.-]\s*|tháng\s*)?(?P<m>\d{1,2})\s*[/.-]\s*(?P<b>(?:19|20)\d\d)"
_PART_SPAN = re.compile(
    r"(?:từ\s+)?(?:ngày\s*\d{1,2}\s*[/.-]\s*|tháng\s*)?(?:\d{1,2}\s*[/.-]\s*)?(?:năm\s+)?(?P<a>(?:19|20)\d\d)\s*"
    rf"(?:-|–|—|đến|tới)\s*{_MONTH_END}", re.IGNORECASE)
"""A span that ends within a year: "từ ngày 01/01/2017 đến hết tháng 6/2019", "01/2017 - 06/2019"."""
_PART_END = re.compile(rf"(?:tính\s+)?(?:đến|tới)\s+{_MONTH_END}", re.IGNORECASE)
"""An end within a year: "tính đến hết ngày 31/3/2019", "đến tháng 6/2019"."""
_PART_START = re.compile(
    r"(?:kể\s+)?từ\s+(?:ngày\s*\d{1,2}\s*[/.-]\s*|tháng\s*)(?P<m>\d{1,2})\s*[/.-]\s*(?P<b>(?:19|20)\d\d)"
    r"(?!\s*(?:-|–|—|đến|tới))", re.IGNORECASE)
"""A start within a year that no end follows: "Từ tháng 7/2019 đơn vị chưa đóng …" (audit 45: it covered 2019)."""
_PART_OF_YEAR = re.compile(
    r"\b(?:(?P<n>\d{1,2})|sáu|chín|ba)\s+tháng\s+(?:đầu\s+|cuối\s+)?năm\s+(?P<y>(?:19|20)\d\d)", re.IGNORECASE)
"""Months of a year: "6 tháng đầu năm 2019", "9 tháng năm 2019"."""


def _keeping_lines(pattern: re.Pattern, replace: Callable[[re.Match], str], text: str) -> str:
    """`pattern.sub(replace, text)` that keeps the text's line breaks (each replacement followed by the breaks it
    took): a phrase wrapped over two lines is found, and the lines stay where they were."""
    return pattern.sub(lambda m: (kept := replace(m)) + (
        "\n" * (m.group(0).count("\n") - kept.count("\n")) if kept != m.group(0) else ""), text)


def _ends_within_year(m: re.Match) -> bool:
    return int(m["m"]) < 12


def _starts_within_year(m: re.Match) -> bool:
    return int(m["m"]) > 1


def _months_of_year(m: re.Match) -> bool:
    return not (m["n"] and int(m["n"]) >= 12)


_PARTS: tuple[tuple[re.Pattern, str, Callable[[re.Match], bool]], ...] = (
    (_PART_SPAN, "b", _ends_within_year), (_PART_END, "b", _ends_within_year),
    (_PART_START, "b", _starts_within_year), (_PART_OF_YEAR, "y", _months_of_year))
"""What covers part of a year only, in the order `_whole_years_only` takes it out: (pattern, the group of the year
covered in part, whether a match is in part)."""


def _whole_years_only(text: str) -> str:
    """A text with what covers part of a year only taken out (for a check of `whole_years`): a span ending within
    a year keeps its whole years ("từ 01/01/2017 đến hết tháng 6/2019" → 2017 and 2018), an end within a year and a
    count of months go (audit 18: a confirmation "đến hết tháng 6/2019", a row "6 tháng đầu năm 2019", a closing
    "Tính đến hết ngày 31/3/2019, đơn vị … không còn nợ" each covered 2019), so does a start within a year that
    no end follows ("Từ tháng 7/2019 …")."""
    def span(m: re.Match) -> str:
        if not _ends_within_year(m):
            return m.group(0)
        first, last = int(m["a"]), int(m["b"]) - 1
        return f"năm {first} đến năm {last}" if last > first else f"năm {first}" if last == first else " "

    for pattern, _, in_part in _PARTS:
        text = _keeping_lines(pattern, span if pattern is _PART_SPAN else (
            lambda m, in_part=in_part: " " if in_part(m) else m.group(0)), text)
    return text


def part_years(text: str) -> frozenset[int]:
    """The years a text covers in part only, as `_whole_years_only` takes them out ("6 tháng đầu năm 2019", "tính
    đến ngày 30/6/2019"): what a missing year's message says was confirmed instead (audit 41)."""
    return frozenset(int(m[year]) for pattern, year, in_part in _PARTS for m in pattern.finditer(text) if in_part(m))


def _folded_years(lines: list[str], whole_years: bool = False) -> list[str]:
    """The non-empty lines folded by `_with_years`, each with the one before it (only whole years where the
    component's checks count whole years only). What a line cites is taken out of the whole text first, so that a
    citation wrapped before its date ("Công văn số 64/CV-BS ngày" / "08/7/2019 của Công ty …") goes too."""
    text = _keeping_lines(_CITATION, lambda m: f"{m['compared']} " if m["compared"] else " ",
                          without_undone("\n".join(_without_plans([line for line in lines if line.strip()]))))
    if whole_years:
        text = _whole_years_only(text)
    lines = text.split("\n")
    return [f for f in (_with_years(line, lines[i - 1] if i else "") for i, line in enumerate(lines)) if f]


@dataclass(frozen=True)
class _Part:
    """One document within a component (a page with a header, and the pages up to the next one)."""

    heading: str
    """Folded type and summary of its header ("" when none was read)."""
    lines: tuple[str, ...]
    """Its folded lines, spans of years spelled out."""
    undated: tuple[str, ...]
    """The same without its header's date and number (when it was issued, not what it is about)."""
    partial: frozenset[int] = frozenset()
    """Years it covers in part only (`part_years`), where the component's checks count whole years only."""


_CONTENTS_LINES = 5
"""Lines at the top of a page where "MỤC LỤC" makes it a table of contents."""


def _component_parts(component_id: str, matches: tuple[Match, ...], files: dict[str, ReceivedFile],
                     rules: RuleSet) -> list[_Part]:
    """Every page of every range recognised as the component (attached pages included), as the documents their
    headers begin."""
    header_rules = rules.recognition.header
    parts: list[_Part] = []
    own = {(m.file, n) for m in matches if m.component == component_id for n in range(m.first_page, m.last_page + 1)}
    component = rules.component(component_id)
    whole = any(c.whole_years for c in component.checks)
    for m in matches:
        if m.component != component_id or m.file not in files:
            continue
        if component.checks and (m.file, m.first_page - 1) not in own and (
                lead := _lead_in(files[m.file], m.first_page - 1, component, rules)):
            parts.append(_Part("", lead, lead))
        named, lines, undated, partial = "", [], [], frozenset()
        for page in files[m.file].extraction.pages:
            if not m.first_page <= page.number <= m.last_page:
                continue
            # What the enterprise typed as the caption of a pasted scan says what it is meant to be, not what it is.
            text = "\n".join(line for line in page.text.splitlines() if line.strip() not in page.captions) \
                if page.captions else page.text
            header = parse_header(text, header_rules)
            if header.kind and lines:
                parts.append(_Part(named, tuple(lines), tuple(undated), partial))
                named, lines, undated, partial = "", [], [], frozenset()
            if whole:
                partial |= part_years(text)
            if header.kind:
                named = heading(header)
            # The noise before the header (an e-signature's "Thời gian ký: 15.01.2019", a web copy's table) is when
            # the document was signed or published, not what it covers.
            folded = _folded_years(text.splitlines(), whole)[header.skipped:]
            if any(line.startswith("muc luc") for line in folded[:_CONTENTS_LINES]):
                continue  # a table of contents names what the report should hold, not what it does
            lines.extend(folded)
            # Folded again only where the header has a date or number to take out (else the lines are the same).
            undated.extend(_folded_years(without_issue(text, header), whole)[header.skipped:]
                           if header.date or header.number else folded)
        if lines:
            parts.append(_Part(named, tuple(lines), tuple(undated), partial))
    return parts


def _lead_in(file: ReceivedFile, number: int, component: Component, rules: RuleSet) -> tuple[str, ...]:
    """The lines of page `number` from a title of `component` on, where the component begins below the top of that
    page (another range's last page): a self-assessment pasted right after the profile's last section, its title
    and criterion 1 mid-page (audit 16: criterion 1 was asked for)."""
    page = next((p for p in file.extraction.pages if p.number == number), None)
    if page is None:
        return ()
    lines = _folded_years(page.text.splitlines())
    cutoff = max(rules.classification.min_phrase_score, _LEAD_IN_SCORE)
    titles = [fold(t) for t in component.titles if len(t.split()) >= _LEAD_IN_WORDS]
    for index, line in enumerate(lines[1:], start=1):
        if any(prefix_score(title, line, cutoff=cutoff) >= cutoff for title in titles):
            return tuple(lines[index:])
    return ()


_LEAD_IN_SCORE = 92.0
_LEAD_IN_WORDS = 4
"""A title that begins a component mid-page: a close match of one of its titles of four words or more ("báo cáo tự
đánh giá", not "tiêu chí 1", which a profile's text may begin a line with)."""


def _names_any(phrases: tuple[str, ...], text: str, threshold: float) -> bool:
    return bool(text) and any(phrase_score(fold(n), text, cutoff=threshold) >= threshold for n in phrases)


_YEAR_ROW = re.compile(r"^(?:19|20)\d\d(?!\d)")
"""A table row that begins with its year ("2018  2 đợt  198  66  38")."""


_LEGAL_BASIS = re.compile(r"^can cu (?:bo luat|luat|nghi dinh|thong tu|quyet dinh|cong van|van ban|chi thi|dieu)\b")
"""A folded line citing a legal basis ("căn cứ Luật …", "căn cứ Quyết định số …"); not "căn cứ dữ liệu quản lý
thuế, Cục Thuế xác nhận …", which is the confirmation itself."""


def _surroundings(lines: list[str] | tuple[str, ...]) -> list[tuple[int, int]]:
    """Each line's surroundings, where a phrase makes its years count: two lines either side; for a row of a table
    of years, two lines either side of the whole table (its title names every row's year)."""
    around = [(max(0, i - 2), i + 3) for i in range(len(lines))]
    start = 0
    while start < len(lines):
        end = start
        while _YEAR_ROW.match(lines[start]) and end + 1 < len(lines) and _YEAR_ROW.match(lines[end + 1]):
            end += 1
        for i in range(start, end + 1):
            around[i] = (max(0, start - 2), end + 3)
        start = end + 1
    return around


def _covered(years: tuple[int, ...], lines: tuple[str, ...], near: list[str] | None, threshold: float) -> set[int]:
    """The years one document's lines cover: anywhere in them (`near` None: its header names what is checked), or
    within a line's surroundings that hold a `near` phrase."""
    around = _surroundings(lines)
    covered = set()
    for year in years:
        token = re.compile(rf"(?<!\d){year}(?!\d)")
        if any(token.search(line) and (near is None or any(
                phrase_score(n, " ".join(lines[slice(*around[i])]), cutoff=threshold) >= threshold for n in near))
               for i, line in enumerate(lines)):
            covered.add(year)
    return covered


def _years_deficiencies(component: Component, check: Check, parts: list[_Part],
                        threshold: float) -> list[Deficiency]:
    """Each year is covered where it stands within two lines of a `near` phrase (of the whole table, for a table of
    years), or anywhere in a document whose header names what is checked and nothing else the component checks
    ("Về việc xác nhận tình hình tham gia BHXH" covers the years its body lists). A document's date and number
    count only for a document that names no year of its own: a report on 2017 dated January 2018 does not cover
    2018, a monitoring report of "đợt 1" dated June 2019 covers 2019; and never for one whose heading names a
    `dateless_headings` phrase (the plan's registration, dated 2017, monitors nothing), nor for a check of whole
    years."""
    near = [fold(n) for n in check.near]
    others = _other_near(component, check)
    covered: set[int] = set()
    for part in parts:
        if any(prefix_score(fold(p), part.heading, cutoff=threshold) >= threshold for p in check.planned_headings):
            continue  # a plan of what is to be monitored covers no year (audit 53)
        scoped = _names_any(check.near, part.heading, threshold) and not _names_any(others, part.heading, threshold)
        # The legal bases a confirmation cites ("Căn cứ Luật Quản lý thuế … năm 2017") are not years it confirms.
        # Within each document: a year at the end of one is not named by the title of the next.
        own, dated = (_without(check.not_near, [line for line in lines if not _LEGAL_BASIS.match(line)])
                      for lines in (part.undated, part.lines))
        # A confirmation of whole years is never dated after the year it confirms within that year: its date covers
        # nothing (audit 45: a letter "trong 6 tháng đầu năm 2019 …" dated 15/7/2019 covered 2019).
        by_date = not check.whole_years and not _names_any(check.dateless_headings, part.heading, threshold)
        scope = None if scoped else near
        covered |= (_covered(check.years, tuple(own), scope, threshold)
                    or (_covered(check.years, tuple(dated), scope, threshold) if by_date else set()))
    # What a part covers in part is told for the documents this check reads: a BHXH letter up to June 2019 makes
    # no tax confirmation of 2019 partial.
    read = [part for part in parts if _reads_heading(component, check, part.heading, threshold)]
    partial = frozenset().union(*(part.partial for part in read)) if check.whole_years else frozenset()
    return [Deficiency(check.code, f"Thiếu {check.label} năm {year}" + (
        f" (văn bản đã nộp chỉ xác nhận một phần năm {year})." if year in partial else "."), document=component.id)
            for year in check.years if year not in covered]


def _other_near(component: Component, check: Check) -> tuple[str, ...]:
    """The phrases the component's other years checks read their years near."""
    return tuple(n for c in component.checks if c is not check and c.kind == "years" for n in c.near)


def _reads_heading(component: Component, check: Check, named: str, threshold: float) -> bool:
    """Whether a years check reads the document headed `named` (folded type and summary) as its own: not one that
    names what another years check of the component reads and nothing this one does ("V/v xác nhận tình hình tham
    gia BHXH" for the tax check). Its years still count where the check's phrases stand near them; but its part
    years are not the check's, nor is its file where the check's missing years were looked for."""
    return not (_names_any(_other_near(component, check), named, threshold)
                and not _names_any(check.near, named, threshold))


def headed_as_another(component: Component, label: str, matches: Iterable[Match], threshold: float) -> frozenset[str]:
    """The ranges (labels) recognised as the component whose header names what another of its years checks reads,
    not the check `label` (`_reads_heading`): not where a Mẫu 02 says that check's missing years were looked for
    (a tax year was "not found in" the BHXH letter as well)."""
    check = next((c for c in component.checks if c.kind == "years" and c.label == label), None)
    return frozenset(m.label for m in matches if m.component == component.id and check is not None
                     and m.header is not None and not _reads_heading(component, check, heading(m.header), threshold))


def _without(phrases: tuple[str, ...], lines: list[str]) -> list[str]:
    """Folded lines with every one of `phrases` (folded) blanked out."""
    for phrase in phrases:
        lines = [re.sub(rf"\b{re.escape(phrase)}\b", " ", line) for line in lines]
    return lines


def years_a_page_covers(component: Component, check: Check, text: str, rules: RuleSet) -> set[int]:
    """The years of a years check that one page's text covers by itself, as the check reads it (what it cites,
    compares with or plans taken out, a phrase it needs within two lines): where the desk points an officer for the
    proof of a year (audit 19: it pointed at the first page the year appeared on, a decision's date)."""
    lines = _without(check.not_near, [line for line in _folded_years(text.splitlines(),
                                                                     any(c.whole_years for c in component.checks))
                                      if not _LEGAL_BASIS.match(line)])
    threshold = rules.classification.min_phrase_score
    return _covered(check.years, tuple(lines), [fold(n) for n in check.near], threshold)


CHECKS = {"criteria": criteria_deficiencies, "years": _years_deficiencies}


def decisions_in_force(overrides: Iterable[Override]) -> dict[str, Override]:
    """Component id → the officer's decision that applies to it: the newest one not undone."""
    return {o.component: o for o in sorted(overrides, key=lambda o: (o.at, o.id)) if o.active}


def sent_after(component_id: str, decision: Override, matches: tuple[Match, ...],
               files: dict[str, ReceivedFile]) -> frozenset[str]:
    """The files recognised as a component that were received after an officer's decision on it."""
    return frozenset(m.file for m in matches if m.component == component_id and m.file in files
                     and files[m.file].received_at > decision.at)


ACCEPTED_LABEL = "[Cán bộ {officer} chấp nhận]"
"""What `documents` lists for a component an officer accepted (after any files recognised as it)."""


def _rejected(component: Component, override: Override) -> Deficiency:
    return Deficiency(
        "missing_document",
        f"Thành phần hồ sơ không được chấp nhận: {component.title}. Lý do: {override.note.strip().rstrip('.')}.",
        document=component.id,
    )


def evaluate(
    files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet, *, received_at: datetime,
    overrides: tuple[Override, ...] = (), as_of: datetime | None = None,
) -> Verdict:
    """The verdict on a dossier whose files (as they stood at `as_of`) were classified into `matches`, received
    first at `received_at`.

    `overrides` are officers' decisions (the newest active one per component applies): an accepted component
    counts as present and its content checks are waived; a rejected one counts as missing even if recognised,
    until files of it come after the rejection (the enterprise sent it again): then those files alone are judged.
    """
    by_path = {f.path: f for f in files}
    threshold = rules.classification.min_phrase_score
    decisions = decisions_in_force(overrides)
    revised = revisions(files)  # the checks read a corrected file, not the one it replaces
    documents: dict[str, tuple[str, ...]] = {}
    deficiencies: list[Deficiency] = []
    missing = []
    for component in rules.components:
        decision = decisions.get(component.id)
        own = tuple(m for m in matches if m.component == component.id)
        if decision is not None and decision.decision == "reject" and (
                resent := sent_after(component.id, decision, own, by_path)):
            own, decision = tuple(m for m in own if m.file in resent), None
        labels = tuple(sorted((m.label for m in own), key=vietnamese_sort_key))
        if decision is not None and decision.decision == "accept":
            documents[component.id] = labels + (ACCEPTED_LABEL.format(officer=decision.officer),)
        elif decision is not None and decision.decision == "reject":
            if component.required:
                missing.append(component.id)
                deficiencies.append(_rejected(component, decision))
        elif labels:
            documents[component.id] = labels
            parts = _component_parts(component.id, in_force(own, revised), by_path, rules)
            for check in component.checks:
                deficiencies += CHECKS[check.kind](component, check, parts, threshold)
        elif component.required:
            missing.append(component.id)
            deficiencies.append(Deficiency(
                "missing_document", f"Thiếu thành phần hồ sơ: {component.title}.", document=component.id
            ))
    deficiencies += file_deficiencies(files, rules.classification.min_confidence)
    deficiencies += enclosed_deficiencies(files, rules, missing, documents)
    deadline = rules.campaign.deadline
    late = received_at > deadline
    if late:
        deficiencies.append(Deficiency(
            "late_submission",
            f"Hồ sơ được tiếp nhận lúc {_fmt_time(received_at.astimezone(deadline.tzinfo))}, "
            f"sau thời hạn tiếp nhận ({_fmt_time(deadline)}).",
        ))
    blocking = any(d.code in BLOCKING_CODES for d in deficiencies)
    return Verdict(
        status="incomplete" if blocking or missing else "complete",
        late=late,
        documents=documents,
        missing=tuple(missing),
        deficiencies=tuple(deficiencies),
        matches=matches,
        as_of=as_of,
    )


def _pages(ranges: list[Match]) -> str:
    return ", ".join(f"{m.first_page}" if m.first_page == m.last_page else f"{m.first_page}–{m.last_page}"
                     for m in ranges)


def recognition_hints(verdict: Verdict, rules: RuleSet) -> tuple[Hint, ...]:
    """For the officer: a content check failed on a component while the same file has pages recognised as
    nothing (what is missing may be there, unread)."""
    failed = {d.document for d in verdict.deficiencies if d.code in CONTENT_CODES and d.document}
    unread: dict[str, list[Match]] = {}
    for m in verdict.matches:
        if m.role == "unrecognised":
            unread.setdefault(m.file, []).append(m)
    hints = []
    for component in rules.components:
        if component.id not in failed:
            continue
        for path in sorted({m.file for m in verdict.matches if m.component == component.id}):
            if path in unread:
                hints.append(Hint(
                    "unrecognised_pages",
                    f"{component.title}: nội dung còn thiếu có thể nằm ở trang {_pages(unread[path])} của tệp "
                    f"«{path}», các trang này chưa nhận dạng được; đề nghị cán bộ kiểm tra trước khi yêu cầu "
                    "bổ sung.",
                    document=component.id, file=path,
                ))
    return tuple(hints)
