"""Officers' page-range assignments as recorded decisions (table `assignments`): record, undo, read; never judges.

Kept apart from store.py while the store is being split; the writes follow its rules (one transaction each, an
event each, the dossier queued to be judged again, nothing ever deleted).
"""

from __future__ import annotations

import logging
from datetime import datetime

from ..judging.assign import Assignment
from ..store import Store

log = logging.getLogger(__name__)


def ensure_schema(store: Store) -> None:
    """Create the `assignments` table if this data folder has none yet (a read when it exists)."""
    if "assignments" in store.db.table_names():
        return
    store.db["assignments"].create(
        {"id": int, "dossier_id": int, "file": str, "first_page": int, "last_page": int, "component": str,
         "officer": str, "note": str, "at": str, "undone_at": str, "undone_by": str, "undo_note": str},
        pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
    )
    store.db["assignments"].create_index(["dossier_id"], if_not_exists=True)


def add_assignment(store: Store, dossier_id: int, assignment: Assignment) -> int:
    """Record that a page range of a file counts as a component (one transaction with its event); the dossier is
    queued to be judged again. Returns the new row id."""
    ensure_schema(store)
    at = assignment.at.isoformat()
    with store.transaction() as conn:
        row_id = conn.execute(
            "INSERT INTO assignments (dossier_id, file, first_page, last_page, component, officer, note, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [dossier_id, assignment.file, assignment.first_page, assignment.last_page, assignment.component,
             assignment.officer, assignment.note, at],
        ).lastrowid
        store.decisions._request_judgement(conn, dossier_id)
        conn.execute(
            "INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, 'assignment', ?)",
            [at, dossier_id, assignment.file,
             f"p{assignment.first_page}-{assignment.last_page} {assignment.component} #{row_id} by {assignment.officer}"],
        )
    log.info("assignment #%d recorded for dossier=%d", row_id, dossier_id)
    return int(row_id)


def undo_assignment(store: Store, dossier_id: int, assignment_id: int, *, officer: str, note: str,
                    at: datetime) -> bool:
    """Close an assignment in force (kept, with who, when and why) and queue the dossier to be judged again.
    False when no such assignment of this dossier is in force."""
    ensure_schema(store)
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE assignments SET undone_at = ?, undone_by = ?, undo_note = ? "
            "WHERE id = ? AND dossier_id = ? AND undone_at IS NULL",
            [at.isoformat(), officer, note, assignment_id, dossier_id],
        ).rowcount
        if not changed:
            return False
        store.decisions._request_judgement(conn, dossier_id)
        conn.execute(
            "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'assignment_undone', ?)",
            [at.isoformat(), dossier_id, f"#{assignment_id} by {officer}"],
        )
    return True


def assignments(store: Store, dossier_id: int, *, active_only: bool = False) -> tuple[Assignment, ...]:
    """The assignments of a dossier, oldest first (only those in force with `active_only`)."""
    if "assignments" not in store.db.table_names():
        return ()
    where = "dossier_id = ?" + (" AND undone_at IS NULL" if active_only else "")
    return tuple(
        Assignment(
            file=row["file"], first_page=row["first_page"], last_page=row["last_page"], component=row["component"],
            officer=row["officer"], note=row["note"], at=datetime.fromisoformat(row["at"]), id=row["id"],
            undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
            undone_by=row["undone_by"], undo_note=row["undo_note"],
        )
        for row in store.db["assignments"].rows_where(where, [dossier_id], order_by="id")
    )


def active_assignments(store: Store, dossier_id: int) -> tuple[Assignment, ...]:
    """The assignments in force on a dossier."""
    return assignments(store, dossier_id, active_only=True)
