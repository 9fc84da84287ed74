"""Notices a leader approves before they are e-mailed (the rule file's `notices.approval = "leader"`): the state a
new notice starts in, what waits, and approving; sends nothing, renders nothing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..judging import RuleSet
from ..store import Store
from .forms import STATUS_KINDS

log = logging.getLogger(__name__)

HELD_KINDS = frozenset({"deficiency", "complete", "refusal"})
"""Notices that carry the leader's signature block and so wait for approval; the acknowledgement and reminders do
not, nor Mẫu 01 when it is the first notice (`notices.receipt = "first"`). With the decree's default it is the
notice that the dossier became complete, and waits like the others."""

AWAITING = "awaiting_approval"
APPROVED = "approved"
"""Approved, to be written again dated the day of its approval at its dossier's next judgement (audit 23: dated
the day it was made, it gave the enterprise fewer days to supplement), then e-mailed or written."""


def initial_state(kind: str, rules: RuleSet, *, email: bool) -> str:
    """The state a notice of this kind is recorded in: waiting for approval, or as before (to e-mail or written)."""
    held = HELD_KINDS | ({"receipt"} if rules.notices.receipt == "complete" else set())  # Mẫu 01: it is complete
    if kind in held and rules.notices.approval == "leader":
        return AWAITING
    return "pending" if email else "written"


def hold(store: Store, notice_id: int, state: str, *, email: bool) -> None:
    """For a notice recorded waiting for approval: remember what it becomes once approved."""
    if state == AWAITING:
        store.outbox.hold_for_approval(notice_id, "pending" if email else "written")


REPLACING_KINDS = (*STATUS_KINDS, "receipt")
"""Kinds whose newer notice replaces a held one: Mẫu 01 issued when a dossier became complete replaces a held
request to supplement (with `notices.receipt = "first"` the receipt comes first and so replaces nothing)."""


def awaiting(store: Store) -> list[dict[str, Any]]:
    """Notices waiting for a leader's approval, oldest first (those a newer notice replaced left out)."""
    return store.outbox.awaiting_approval(REPLACING_KINDS)


def approve(store: Store, notice_ids: Sequence[int], *, by: str, at: datetime) -> int:
    """Approve notices waiting: each is written again dated `at` at its dossier's next judgement (asked for here;
    the desk's or the watcher's), then e-mailed; one a newer notice on where its dossier stands replaced is not
    sent. Returns how many were approved."""
    approved = store.outbox.approve(list(notice_ids), by=by, at=at, status_kinds=REPLACING_KINDS)
    log.info("%d notices approved", approved)
    return approved
