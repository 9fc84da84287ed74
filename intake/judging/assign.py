"""Officers' page-range assignments applied to a dossier's classification before completeness; pure, reads no store."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..models import Evidence, Match, OfficerDecision

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Assignment(OfficerDecision):
    """An officer's decision that pages `first_page`..`last_page` of a file are (part of) a component."""

    file: str
    """Path of the file relative to the dossier folder (as `Match.file`)."""
    first_page: int
    """First page of the range (1-based)."""
    last_page: int
    """Last page of the range (inclusive)."""
    component: str
    """Component id the range counts as."""


def _piece(match: Match, first: int, last: int) -> Match:
    """The part `first`..`last` of a match, keeping only the evidence found on those pages."""
    return replace(match, first_page=first, last_page=last,
                   evidence=tuple(e for e in match.evidence if first <= e.page <= last))


def _apply_one(matches: list[Match], assignment: Assignment) -> list[Match]:
    page_count = next((m.page_count for m in matches if m.file == assignment.file), None)
    if page_count is None:
        return matches  # the file is gone (replaced or removed): the assignment has nothing to act on
    first, last = max(1, assignment.first_page), min(assignment.last_page, page_count)
    if first > last:
        return matches
    result: list[Match] = []
    for match in matches:
        if match.file != assignment.file or match.last_page < first or match.first_page > last:
            result.append(match)
            continue
        if match.first_page < first:
            result.append(_piece(match, match.first_page, first - 1))
        if match.last_page > last:
            result.append(_piece(match, last + 1, match.last_page))
    why = f"{assignment.officer}: {assignment.note.strip()}" if assignment.note.strip() else assignment.officer
    result.append(Match(assignment.file, first, last, page_count, assignment.component, 0.0,
                        (Evidence("officer", why, first, 100.0),)))
    return result


def apply_assignments(matches: tuple[Match, ...], assignments: Iterable[Assignment]) -> tuple[Match, ...]:
    """The classification with every active assignment applied, oldest first: the assigned range becomes a match
    of its component (so completeness runs that component's content checks on its text); what the range cut out
    of other matches keeps their component on the pages left. Matches stay ordered by file and first page."""
    current = list(matches)
    for assignment in sorted((a for a in assignments if a.active), key=lambda a: (a.at, a.id)):
        current = _apply_one(current, assignment)
    return tuple(sorted(current, key=lambda m: (m.file, m.first_page)))
