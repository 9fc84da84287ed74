"""Which of the award's criteria a self-assessment addresses: a criterion is addressed where a heading names it
(its name, or its number with a short name: "Tiêu chí 1: Lãnh đạo", "IV. ĐO LƯỜNG …", "4.1 Đo lường …", "3. KHÁCH
HÀNG VÀ THỊ TRƯỜNG / CUSTOMERS AND MARKETS") and something is written under it: not a heading with only "(Đang cập
nhật)" below it, nor a row of a score table, unless the report is nothing but its score table. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from ..folding import fold, prefix_score, strip_enumerator
from ..models import Deficiency
from .ruleset import Check, Component, Criterion

_NUMBERED_HEADING = re.compile(
    r"^(?:(?:tieu chi|hang muc|phan|muc|chuong) )?(?P<n>[1-7]|i{1,3}|iv|vi{0,2})(?P<sub> [1-9])? (?P<rest>\S.*)$")
"""A folded heading that begins with a criterion's number ("6 qua trinh", "tieu chi 1 lanh dao", "vi qua trinh"),
or with one of its sub-items' ("4 1 do luong phan tich va cai tien": `sub`)."""
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}


_ENGLISH = frozenset("""business results leadership senior organizational governance strategy strategic planning
development customer customers market markets focus engagement measurement analysis and of knowledge management
workforce human resource resources operations operation process processes operational effectiveness the""".split())
"""English words of the criteria's names as bilingual reports add them ("7. KẾT QUẢ KINH DOANH (BUSINESS RESULTS)")."""

_NOT_YET = r"(?:dang|chua|se) (?:duoc )?(?:cap nhat|bo sung|hoan thien)"
"""What stands in place of content, folded: "đang cập nhật", "sẽ được bổ sung", "đang hoàn thiện"."""
_PLACEHOLDER = re.compile(rf"^(?:noi dung |so lieu )?{_NOT_YET}|^(?:noi dung )?bo sung sau|^khong co$")
"""A line written under a heading in place of its content: "(Đang cập nhật)", "Sẽ bổ sung sau", "(Đang cập nhật số
liệu năm 2019, Công ty sẽ bổ sung sau)", "Đang hoàn thiện" (folded, so without its brackets; a short line:
`_PLACEHOLDER_WORDS`)."""
_PLACEHOLDER_WORDS = 16
_IN_ROW = re.compile(rf"\b(?:{_NOT_YET}|bo sung sau)\b")
"""A placeholder in a table row beside the criterion's heading ("6. Quản lý quá trình hoạt động (85 điểm) | Đang
hoàn thiện |": audit 54)."""
_ROW_TEXT_WORDS = 20
"""Words of a heading's own line from which it is a table row holding what the report says of the criterion, not a
score table's row ("1. Vai trò của lãnh đạo (120 điểm) | Ban Giám đốc xác định tầm nhìn … | 90": audit 54)."""

_SCORE_ROW = re.compile(r"(?:\s\d{1,4}(?:[.,]\d+)?){1,4}$")
"""A heading followed by numbers only: a row of a score table ("4 Đo lường … 90 45") or of a table of contents."""

_NUMBERS = re.compile(r"^(?=.*\d\d)\d{1,4}(?:[.,]\d+)?(?: \d{1,4}(?:[.,]\d+)?){0,3}$")
"""A line of numbers only, one of two digits or more: a wrapped table row's scores (not a sub-item's "1.1")."""

_FOLLOWING = 3
"""Lines looked at under a heading for what is written there."""


class _Lines(Protocol):
    lines: tuple[str, ...]


def _short_heading(rest: str, short: str, sub: bool = False) -> bool:
    """Whether what follows a heading's number is a criterion's short name, a few words at most after it ("khach
    hang va thi truong"), not a sentence that begins like it ("ket qua kinh doanh nam 2019 doanh thu …"); an English
    name after it, or after a slash, is no word of it (audit 25, audit 40). A sub-item's title ("4.1 Đo lường, phân
    tích và cải tiến …") may run on."""
    words, name = rest.split(" / ")[0].split(), short.split()
    while len(words) > len(name) and words[-1] in _ENGLISH:
        words.pop()
    return words[: len(name)] == name and (sub or len(words) <= len(name) + 3)


def _bilingual(lines: list[str]) -> list[str]:
    """The lines, each followed by what it says from a mid-line "tiêu chí N" on: a bilingual heading that gives the
    English first ("Criterion 1. Leadership - Tiêu chí 1. Vai trò của lãnh đạo", audit 25)."""
    out = []
    for line in lines:
        out.append(line)
        at = line.find(" tieu chi ", 1)
        if at > 0 and re.match(r"tieu chi [1-7] ", line[at + 1:]):
            out.append(line[at + 1:])
    return out


def _headed(criterion: Criterion, lines: list[str], threshold: float) -> list[tuple[int, int]]:
    """Where a heading names the criterion: (its first line, the line after it), by number and short name, or by
    name on its line or over two."""
    names = [fold(n) for n in criterion.names]
    shorts = [fold(s) for s in criterion.short]
    found = []
    for i, line in enumerate(lines):
        if _NUMBERS.match(line):
            continue  # a table's scores, before the next row
        heading = _NUMBERED_HEADING.match(line)
        if heading is not None and (_ROMAN.get(heading["n"]) or int(heading["n"])) == criterion.number and any(
                _short_heading(heading["rest"], short, bool(heading["sub"])) for short in shorts):
            found.append((i, i + 1))
            continue
        for end in (i + 1, i + 2)[: len(lines) - i]:
            window = strip_enumerator(" ".join(lines[i:end]))
            if any(prefix_score(n, window, cutoff=threshold) >= threshold for n in names):
                found.append((i, end))
                break
    return found


def _written_under(lines: list[str], start: int, end: int, headings: set[int]) -> str:
    """What a heading has under it: "score" (it is a row of a score table or a table of contents: numbers end it
    and a row beside it, another criterion's, a wrapped row's scores or the total; a heading's points alone, "IV.
    ĐO LƯỜNG … 90" over "điểm", are no table), "placeholder" (nothing but "(Đang cập nhật)" or the like before the
    next criterion's heading), else "text" (also when nothing follows it, or another heading at once: what was under
    it may be a table or a picture text was not read from). A table row that holds the criterion's text beside its
    heading is "text", one that holds a placeholder there, or nothing between rows that hold text, "placeholder"."""
    if end == start + 1:  # a heading on one line, maybe a table's row
        words = len(lines[start].split())
        if words >= _ROW_TEXT_WORDS:
            return "text"
        if words <= _PLACEHOLDER_WORDS and (_IN_ROW.search(lines[start], 1) or not _SCORE_ROW.search(lines[start])
                                            and any(k in headings and len(lines[k].split()) >= _ROW_TEXT_WORDS
                                                    for k in (start - 1, end))):
            return "placeholder"
    if end == start + 1 and _SCORE_ROW.search(lines[start]) and any(
            0 <= k < len(lines) and _SCORE_ROW.search(lines[k]) and (
                k in headings or _NUMBERS.match(lines[k]) or lines[k].startswith("tong")) for k in (start - 1, end)):
        return "score"
    below = lines[end:end + _FOLLOWING]
    # A table row wrapped in its cell: "4 Đo lường, phân tích và" / "quản lý tri thức" / "90 45".
    numbers = next((k for k, line in enumerate(below[:2]) if _NUMBERS.match(line)), None)
    if numbers is not None and all(len(line.split()) <= 4 for line in below[:numbers]):
        return "score"
    below = [line for line in below[:next((k for k in range(len(below)) if end + k in headings), len(below))]
             if line.strip()]
    return "placeholder" if below and all(
        _PLACEHOLDER.search(line) and len(line.split()) <= _PLACEHOLDER_WORDS for line in below) else "text"


def written_under_headings(check: Check, folded_lines: Sequence[str], threshold: float) -> dict[int, set[str]]:
    """Criterion number → what its headings in these folded lines have under them (`_written_under`'s kinds;
    empty: no heading names it)."""
    # Headings only, not a foreword's enumeration of the criteria (several named on one line), which names
    # criteria the report may not address (a table of contents is left out of the parts).
    named = [[fold(n) for n in criterion.names] for criterion in check.criteria]
    lines = _bilingual([line for line in folded_lines
                        if sum(1 for names in named if any(n in line for n in names)) < 2])
    headed = {criterion.number: _headed(criterion, lines, threshold) for criterion in check.criteria}
    starts = {i for spans in headed.values() for i, _ in spans}
    return {number: {_written_under(lines, i, end, starts) for i, end in spans} for number, spans in headed.items()}


def criteria_deficiencies(component: Component, check: Check, parts: Sequence[_Lines],
                          threshold: float) -> list[Deficiency]:
    """One deficiency for each criterion of `check` the component's parts do not address."""
    written = written_under_headings(check, [line for part in parts for line in part.lines], threshold)
    # A report that is only its score table addresses the criteria it scores.
    table_only = not any("text" in kinds for kinds in written.values())
    found = []
    for criterion in check.criteria:
        kinds = written[criterion.number]
        if "text" not in kinds and not (table_only and "score" in kinds):
            found.append(Deficiency(
                check.code,
                f"{component.title} chưa đề cập tiêu chí {criterion.number}: "
                f"{criterion.names[0][:1].upper()}{criterion.names[0][1:]}.",
                document=component.id,
            ))
    return found
