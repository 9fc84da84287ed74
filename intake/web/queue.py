"""The desk's work queue: one row per dossier from the frozen Desk view, filtered, searched and sorted; pure, no
business rule of its own (statuses, deficiencies and dates come from intake/desk and intake/notices)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..desk import Desk, DossierSheet, deficiency_topic, supplement_date
from ..folding import fold, vietnamese_sort_key
from ..judging import RuleSet

log = logging.getLogger(__name__)

WAITING_STATES = frozenset({"awaiting_approval", "approved", "pending", "sending", "unconfirmed", "failed"})
"""Notice states that still need something to happen (approval, e-mail, or an officer's look)."""

TROUBLE_STATES = frozenset({"unconfirmed", "failed"})
"""Notice states an officer must look at."""


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    id: int
    """Dossier row id (for links)."""
    receipt_no: str
    """Receipt number (mã hồ sơ)."""
    enterprise: str
    """The enterprise's name as read from its registration form (else its folder name)."""
    folder: str
    """Dossier folder name."""
    received_at: datetime
    """When its first file was received."""
    status: str
    """"complete", "incomplete" or "pending"."""
    late: bool
    """Received after the deadline."""
    missing: str
    """What is missing or wrong, in one line ("" when nothing)."""
    supplement_by: date | None
    """The date its newest request to supplement gives (None: no such request)."""
    overdue: bool
    """Still incomplete after that date."""
    hints: tuple[str, ...]
    """Hints for the officer (eligibility, seals) as read at the last judgement."""
    waiting: tuple[str, ...]
    """States of its notices still waiting (awaiting approval, to e-mail, failed…)."""
    invited: bool
    """It matches an invited enterprise."""
    deciding: bool
    """An officer's decision waits to be applied by the service."""

    @property
    def needs_look(self) -> bool:
        """Something for an officer to look at: hints, a notice in trouble or awaiting approval."""
        return bool(self.hints) or any(s in TROUBLE_STATES or s == "awaiting_approval" for s in self.waiting)


def missing_line(sheet: DossierSheet) -> str:
    """Every current deficiency of a dossier in one line, each topic once (the same topics the reports count)."""
    topics: list[str] = []
    for deficiency in sheet.deficiencies:
        topic = deficiency_topic(deficiency)
        if topic not in topics:
            topics.append(topic)
    return "; ".join(t.rstrip(".") for t in topics)


def duplicate_lines(sheet: DossierSheet) -> list[str]:
    """The other dossiers that share this one's tax code or enterprise name, as hints (known across dossiers only:
    the desk's full reading flags them; audit 19: shown in the reports, not on the desk)."""
    return [f"Có thể trùng doanh nghiệp: {line}." for line in getattr(sheet.contact, "duplicates", ())]


def queue_rows(desk: Desk, ids: dict[str, int], readings: dict[int, dict[str, Any]],
               notice_states: dict[int, list[str]],
               deciding: set[int], rules: RuleSet, today: date) -> list[QueueRow]:
    """The queue's rows in receipt order. `ids`: receipt number → dossier id; `readings`: dossier id → what was
    read at its last judgement; `notice_states`: dossier id → its notices' states, oldest first."""
    status = desk.campaign_status
    # Without an invitation list nobody is "not on it" (audit 23: every row was flagged).
    uninvited = {d.receipt_no for d in status.unmatched} if status is not None and status.invitees else set()
    rows = []
    for sheet in desk.dossiers:
        dossier_id = ids[sheet.receipt_no]
        due = supplement_date(sheet.notices, sheet.status, rules)
        hints = tuple(h.get("message", "") for h in (readings.get(dossier_id) or {}).get("hints", [])) + tuple(
            duplicate_lines(sheet))
        rows.append(QueueRow(
            id=dossier_id, receipt_no=sheet.receipt_no, enterprise=sheet.contact.enterprise or sheet.folder,
            folder=sheet.folder, received_at=sheet.received_at, status=sheet.status, late=sheet.late,
            missing=missing_line(sheet), supplement_by=due,
            overdue=due is not None and sheet.status != "complete" and today > due,
            hints=hints, waiting=tuple(s for s in notice_states.get(dossier_id, []) if s in WAITING_STATES),
            invited=sheet.receipt_no not in uninvited, deciding=dossier_id in deciding,
        ))
    return rows


FILTERS = {
    "complete": lambda r: r.status == "complete",
    "incomplete": lambda r: r.status == "incomplete",
    "pending": lambda r: r.status == "pending" or r.deciding,
    "late": lambda r: r.late,
    "overdue": lambda r: r.overdue,
    "look": lambda r: r.needs_look,
    "uninvited": lambda r: not r.invited,
    "awaiting": lambda r: "awaiting_approval" in r.waiting,
}
"""Queue filters by name (query parameter `loc`)."""

SORTS = {
    "receipt": lambda r: (r.id,),
    "received": lambda r: (r.received_at,),
    "enterprise": lambda r: (vietnamese_sort_key(r.enterprise), r.id),
    "status": lambda r: (r.status, r.id),
    "supplement": lambda r: (r.supplement_by is None, r.supplement_by or date.min, r.id),
}
"""Queue orders by name (query parameter `xep`)."""


def select(rows: list[QueueRow], *, filters: tuple[str, ...] = (), query: str = "", sort: str = "receipt",
           descending: bool = False) -> list[QueueRow]:
    """The rows passing every filter and containing every word of `query` (receipt number, enterprise, folder,
    what is missing; with or without diacritics), in the order asked."""
    words = fold(query).split()
    chosen = []
    for row in rows:
        if not all(FILTERS[f](row) for f in filters if f in FILTERS):
            continue
        haystack = fold(" ".join((row.receipt_no, row.enterprise, row.folder, row.missing)))
        if all(w in haystack for w in words):
            chosen.append(row)
    return sorted(chosen, key=SORTS.get(sort, SORTS["receipt"]), reverse=descending)


FILTER_VI = {
    "incomplete": "Chưa đầy đủ", "complete": "Đầy đủ", "pending": "Đang xử lý", "late": "Nộp muộn",
    "overdue": "Quá hạn bổ sung", "look": "Cần xem", "uninvited": "Không có trong danh sách mời",
    "awaiting": "Thông báo chờ duyệt",
}
SORT_VI = {"receipt": "Mã hồ sơ", "received": "Ngày nhận", "enterprise": "Doanh nghiệp", "status": "Trạng thái",
           "supplement": "Hạn bổ sung"}
"""How the queue names its filters and orders."""
