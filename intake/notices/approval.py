"""Notices a leader approves before they are e-mailed (the rule file's `notices.approval = "leader"`): the state a
new notice starts in, what waits, and the approval itself (table `approvals`); sends nothing, renders nothing."""

from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import RulesError
from ..models import RuleSet
from ..store import Store
from .forms import STATUS_KINDS

log = logging.getLogger(__name__)

MODES = ("none", "leader")
"""`notices.approval`: "none" (today's behaviour: every notice goes out at once) or "leader"."""

HELD_KINDS = frozenset({"deficiency", "complete", "refusal"})
"""Notices that carry the leader's signature block and so wait for approval; the receipt and reminders do not."""

AWAITING = "awaiting_approval"


@functools.lru_cache(maxsize=8)
def _mode_in_file(source: str) -> str:
    path = Path(source)
    if not path.is_file():
        return "none"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("notices", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "none"  # load_rules has read this very file: it reports any such problem itself
    mode = table.get("approval", "none") if isinstance(table, dict) else "none"
    if mode not in MODES:
        raise RulesError(source, "notices.approval", f"must be one of {', '.join(MODES)}, not {mode!r}")
    return str(mode)


def approval_mode(rules: RuleSet) -> str:
    """The rule set's `notices.approval` (read from its file until the rule models carry it)."""
    mode = getattr(rules.notices, "approval", None)
    return str(mode) if mode is not None else _mode_in_file(rules.source)


def initial_state(kind: str, rules: RuleSet, *, email: bool) -> str:
    """The state a notice of this kind is recorded in: waiting for approval, or as before (to e-mail or written)."""
    if kind in HELD_KINDS and approval_mode(rules) == "leader":
        return AWAITING
    return "pending" if email else "written"


def _ensure_schema(store: Store) -> None:
    if "approvals" in store.db.table_names():
        return
    # Per held notice: the state it takes once approved (pending: e-mail it; written: SMTP is not configured),
    # and who approved it and when.
    store.db["approvals"].create({"notice_id": int, "becomes": str, "approved_by": str, "approved_at": str},
                                 pk="notice_id", if_not_exists=True)


def remember(store: Store, notice_id: int, state: str, *, email: bool) -> None:
    """For a notice recorded waiting for approval: what it becomes once approved."""
    if state != AWAITING:
        return
    _ensure_schema(store)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO approvals (notice_id, becomes) VALUES (?, ?)",
                     [notice_id, "pending" if email else "written"])


def awaiting(store: Store) -> list[dict[str, Any]]:
    """Notices waiting for a leader's approval, oldest first, with their dossier's receipt number and folder."""
    rows = list(store.db.query(
        "SELECT n.*, coalesce(d.receipt_no, '-') AS receipt_no, d.folder AS folder FROM notices n "
        "LEFT JOIN dossiers d ON d.id = n.dossier_id WHERE n.state = ? ORDER BY n.id", [AWAITING]
    ))
    return [n for n in rows if not _replaced(store.db.conn, n["id"], n["dossier_id"], n["kind"])]


def _replaced(conn: Any, notice_id: int, dossier_id: int | None, kind: str) -> bool:
    """Whether a newer notice on where the dossier stands makes this one pointless to send."""
    if kind not in STATUS_KINDS:
        return False
    marks = ", ".join("?" for _ in STATUS_KINDS)
    return conn.execute(f"SELECT 1 FROM notices WHERE dossier_id = ? AND id > ? AND kind IN ({marks})",
                        [dossier_id, notice_id, *STATUS_KINDS]).fetchone() is not None


def approve(store: Store, notice_ids: Sequence[int], *, by: str, at: datetime) -> int:
    """Approve notices waiting: each becomes `pending` (e-mailed at the service's next pass) or `written`; one that
    a newer notice on where its dossier stands replaced meanwhile becomes `superseded` instead. Returns how many
    were approved."""
    _ensure_schema(store)
    approved = 0
    with store.transaction() as conn:
        for notice_id in notice_ids:
            row = conn.execute("SELECT dossier_id, kind FROM notices WHERE id = ? AND state = ?",
                               [notice_id, AWAITING]).fetchone()
            if row is None:
                continue
            dossier_id, kind = row
            newer = _replaced(conn, notice_id, dossier_id, kind)
            then = conn.execute("SELECT becomes FROM approvals WHERE notice_id = ?", [notice_id]).fetchone()
            state = "superseded" if newer else (then[0] if then else "pending")
            conn.execute("UPDATE notices SET state = ?, next_attempt_at = NULL WHERE id = ?", [state, notice_id])
            conn.execute("INSERT INTO approvals (notice_id, becomes, approved_by, approved_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (notice_id) DO UPDATE SET approved_by = excluded.approved_by, "
                         "approved_at = excluded.approved_at",
                         [notice_id, state, by, at.isoformat()])
            conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_approved', ?)",
                         [at.isoformat(), dossier_id, f"#{notice_id} by {by} -> {state}"])
            approved += state != "superseded"
    log.info("%d notices approved", approved)
    return approved
