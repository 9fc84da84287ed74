"""Certificates past their expiry for the officer: the date a certificate copy says it is valid until, read after
the phrases its component's rule lists (`expiry_labels`), against the campaign deadline. Pure; a hint is never a
deficiency and is never sent to the enterprise."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from ..folding import fold
from ..models import Match, ReceivedFile
from .models import Hint
from .ruleset import RuleSet

_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
# On folded text ("." and "-" are spaces there, "/" is kept): 31/01/2020, 31 01 2020, ngay 31 thang 01 nam 2020,
# 2020 01 31, 31 january 2020, january 31 2020.
_DATE = re.compile(
    r"\b(?:ngay )?(?P<d>\d{1,2})(?: ?/ ?| | thang )(?P<m>\d{1,2})(?: ?/ ?| | nam )(?P<y>(?:19|20)\d\d)\b"
    r"|\b(?P<y2>(?:19|20)\d\d) (?P<m2>\d{1,2}) (?P<d2>\d{1,2})\b"
    rf"|\b(?P<d3>\d{{1,2}}){_ORDINAL} (?:of )?(?P<n3>{_MONTH}) (?P<y3>(?:19|20)\d\d)\b"
    rf"|\b(?P<n4>{_MONTH}) (?P<d4>\d{{1,2}}){_ORDINAL} (?P<y4>(?:19|20)\d\d)\b"
)
_UNTIL = re.compile(r"^\s*(?:den(?: ngay)?|to|until|till)?\s*$")
"""Between a validity's first and second date ("có hiệu lực từ ngày … đến ngày …", "valid from … to …",
"15.03.2018 - 14.03.2021")."""
_FROM = re.compile(r"\b(?:tu|from|since)\b")
"""Before a date that starts a validity ("có hiệu lực 3 năm kể từ ngày …"): not when it ends."""


def _day(found: re.Match[str]) -> date | None:
    groups = found.groupdict()
    if groups["y"]:
        day, month, year = int(groups["d"]), int(groups["m"]), int(groups["y"])
        if month > 12 >= day:  # written month first (an American body's 03/31/2020)
            day, month = month, day
    elif groups["y2"]:
        day, month, year = int(groups["d2"]), int(groups["m2"]), int(groups["y2"])
    elif groups["y3"]:
        day, month, year = int(groups["d3"]), _MONTHS[groups["n3"]], int(groups["y3"])
    else:
        day, month, year = int(groups["d4"]), _MONTHS[groups["n4"]], int(groups["y4"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_after(text: str) -> date | None:
    """The first date in `text`, or the second where the first opens a span ("từ … đến ngày …")."""
    dates = list(_DATE.finditer(text))
    if not dates:
        return None
    first = dates[0]
    if len(dates) > 1 and _UNTIL.match(text[first.end():dates[1].start()]):
        return _day(dates[1])
    return None if _FROM.search(text[:first.start()]) else _day(first)


def expiry_dates(lines: Iterable[str], labels: tuple[str, ...]) -> Iterator[date]:
    """Every date a page gives after one of `labels` (folded phrases): on the label's line, or on the next where
    the label ends its line (a table's label cell)."""
    folded = [fold(line) for line in lines]
    for i, line in enumerate(folded):
        for label in labels:
            at = line.find(label)
            if at < 0 or (at and line[at - 1] != " "):
                continue
            rest = line[at + len(label):]
            if not rest.strip() and i + 1 < len(folded):  # the date is the next line's beginning, or not there
                rest = folded[i + 1] if _DATE.match(folded[i + 1]) else ""
            found = _date_after(rest)
            if found:
                yield found
            break


def expiry_hints(files: Iterable[ReceivedFile], matches: Iterable[Match], rules: RuleSet) -> tuple[Hint, ...]:
    """A hint per component whose every certificate copy read says it expires before the campaign deadline
    (one still valid among them: none; no expiry read: none)."""
    pages = {f.path: {p.number: p.text for p in f.extraction.pages} for f in files}
    deadline = rules.campaign.deadline.date()
    hints = []
    for component in rules.components:
        if not component.expiry_labels:
            continue
        read = [(day, m, number) for m in matches if m.component == component.id
                for number in range(m.first_page, m.last_page + 1)
                for day in expiry_dates(pages.get(m.file, {}).get(number, "").splitlines(), component.expiry_labels)]
        if not read or max(day for day, _, _ in read) >= deadline:
            continue
        day, match, number = max(read, key=lambda r: r[0])
        hints.append(Hint(
            "expired_certificate",
            f"{component.title}: giấy chứng nhận trong tệp «{match.file}» (trang {number}) ghi hiệu lực đến ngày "
            f"{day:%d/%m/%Y}, trước hạn nộp hồ sơ ({deadline:%d/%m/%Y}); không thấy giấy chứng nhận nào còn hiệu "
            "lực. Đề nghị cán bộ kiểm tra và yêu cầu bản còn hiệu lực nếu cần.",
            document=component.id, file=match.label,
        ))
    return tuple(hints)
