"""What the tracking register (Mẫu 06) and the HTML pages show beside the desk: the officers' hints, the date to
supplement by, the appointment, the day a dossier went to the council and each notice's delivery state. Read from
the store once per report; kept apart from the desk until models.py is split. Writes nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..campaign import forwarded, result_due, supplement_by
from ..judging import Hint, RuleSet
from ..store import Store
from .models import Desk

SENT_STATES = frozenset({"sent"})
"""Delivery states in which a notice reached the enterprise's mail server (only these count as "sent")."""
LIVE_STATES = frozenset({"written", "pending", "sending", "sent", "unconfirmed", "failed"})
"""Notices still in force (not superseded or withdrawn)."""


@dataclass(frozen=True)
class NoticeState:
    """One notice as the register shows it."""

    kind: str
    """Notice kind (forms.FORMS)."""
    number: str
    """Its number ("01/PYCBS-TĐC")."""
    created_at: datetime
    """When it was written."""
    state: str
    """Delivery state (written, pending, sent, ...)."""
    sent_at: datetime | None = None
    """When the mail server accepted it, if it did."""


@dataclass(frozen=True)
class Ledger:
    """One dossier's lines of the register beyond its sheet."""

    hints: tuple[Hint, ...] = ()
    """The officers' hints (category vs headcount, seals not checked, short operation)."""
    supplement_by: date | None = None
    """Date to supplement by, from the request in force (an incomplete dossier only)."""
    result_due: date | None = None
    """Appointment printed on Mẫu 01 (a complete dossier only)."""
    forwarded_on: datetime | None = None
    """When it went to the council (intake closed, the dossier on the list), else None."""
    notices: tuple[NoticeState, ...] = ()
    """Every notice, oldest first."""


def supplement_date(notices: Sequence[Any], status: str, rules: RuleSet) -> date | None:
    """The date to supplement by of the request in force: the newest request still live (not replaced, not waiting
    for the leader), for an incomplete dossier only. The queue and the register both say this one (audit 23: the
    queue gave a date from a request never sent)."""
    request = next((n for n in reversed(notices) if n.kind == "deficiency" and n.state in LIVE_STATES), None)
    return supplement_by(request.created_at, rules) if request is not None and status != "complete" else None


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def read_ledger(store: Store, rules: RuleSet, desk: Desk) -> dict[str, Ledger]:
    """Each dossier's ledger, by receipt number."""
    readings = {row.receipt_no: row.reading or {} for row in store.dossiers.all()}
    sent = set()
    closed = desk.campaign_status.closed_at if desk.campaign_status else None
    if desk.campaign_status is not None and closed is not None:
        sent = {d.receipt_no for d in forwarded(desk.campaign_status)[0]}
    ledgers = {}
    for sheet in desk.dossiers:
        row = store.dossiers.by_receipt(sheet.receipt_no)
        notices = tuple(
            NoticeState(n["kind"], n.get("number") or "", datetime.fromisoformat(n["created_at"]),
                        n.get("state") or "", _at(n.get("sent_at")))
            for n in (store.outbox.all(row.id) if row is not None else ())
        )
        hints = tuple(Hint(h["code"], h["message"], h.get("document"), h.get("file"))
                      for h in readings.get(sheet.receipt_no, {}).get("hints", []))
        ledgers[sheet.receipt_no] = Ledger(
            hints=hints,
            supplement_by=supplement_date(notices, sheet.status, rules),
            result_due=result_due(rules) if sheet.status == "complete" else None,
            forwarded_on=closed if sheet.receipt_no in sent else None,
            notices=notices,
        )
    return ledgers


def of(ledger: Mapping[str, Ledger] | None, receipt_no: str) -> Ledger:
    """A dossier's ledger, empty when there is none."""
    return (ledger or {}).get(receipt_no) or Ledger()
