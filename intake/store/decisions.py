"""Officers' decisions on components and page ranges (never deleted: undoing or replacing one closes it). Queries only:
no business rules."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from ..judging import Assignment
from ..models import Override
from .base import Part

REPLACED_NOTE = "thay bằng quyết định mới"
"""Why a decision stopped applying when a newer one on the same component replaced it."""


def _decided(row: dict[str, Any]) -> dict[str, Any]:
    """What every decision keeps (`OfficerDecision`), from its row."""
    return dict(officer=row["officer"], note=row["note"], at=datetime.fromisoformat(row["at"]), id=row["id"],
                undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
                undone_by=row["undone_by"], undo_note=row["undo_note"])


def request_judgement(conn: sqlite3.Connection, dossier_id: int) -> None:
    """Within a transaction: ask for the dossier's judgement at the next pass (the desk's or the watcher's), after
    an officer's decision or a leader's approval."""
    conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('rejudge', 0)")
    conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'rejudge'")
    token = conn.execute("SELECT value FROM counters WHERE name = 'rejudge'").fetchone()[0]
    conn.execute("INSERT OR REPLACE INTO rejudge (dossier_id, token) VALUES (?, ?)", [dossier_id, token])


class Decisions(Part):
    """Officers' decisions on components (never deleted: undoing or replacing one closes it)."""

    def add_override(self, dossier_id: int, override: Override) -> int:
        """Record an officer's decision in one transaction: the decision it replaces on the same component is
        closed (kept), the dossier is queued to be judged again, an event is logged. Returns the new row id."""
        at = override.at.isoformat()
        with self.transaction() as conn:
            conn.execute(
                "UPDATE overrides SET undone_at = ?, undone_by = ?, undo_note = ? "
                "WHERE dossier_id = ? AND component = ? AND undone_at IS NULL",
                [at, override.officer, REPLACED_NOTE, dossier_id, override.component],
            )
            row_id = conn.execute(
                "INSERT INTO overrides (dossier_id, component, decision, officer, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                [dossier_id, override.component, override.decision, override.officer, override.note, at],
            ).lastrowid
            request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'override', ?)",
                [at, dossier_id, f"{override.decision} {override.component} #{row_id}"],
            )
        return int(row_id)

    def undo_override(self, dossier_id: int, component: str, *, officer: str, note: str, at: datetime) -> int | None:
        """Close the decision in force on a component (kept, with who, when and why) and queue the dossier to
        be judged again. Returns its row id, or None when no decision is in force."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id FROM overrides WHERE dossier_id = ? AND component = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                [dossier_id, component],
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE overrides SET undone_at = ?, undone_by = ?, undo_note = ? WHERE id = ?",
                [at.isoformat(), officer, note, row[0]],
            )
            request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'override_undone', ?)",
                [at.isoformat(), dossier_id, f"{component} #{row[0]}"],
            )
        return int(row[0])

    def overrides(self, dossier_id: int, *, active_only: bool = False) -> tuple[Override, ...]:
        """Officers' decisions on a dossier, oldest first (only those in force with `active_only`)."""
        where = "dossier_id = ?" + (" AND undone_at IS NULL" if active_only else "")
        return tuple(
            Override(component=row["component"], decision=row["decision"], **_decided(row))
            for row in self.db["overrides"].rows_where(where, [dossier_id], order_by="id")
        )

    def active_overrides(self, dossier_id: int) -> tuple[Override, ...]:
        """The decisions in force on a dossier (at most one per component)."""
        return self.overrides(dossier_id, active_only=True)

    # ---- page ranges an officer counts as a component --------------------------------------------------------

    def add_assignment(self, dossier_id: int, assignment: Assignment) -> int:
        """Record that a page range of a file counts as a component (one transaction with its event); the dossier
        is queued to be judged again. Returns the new row id."""
        at = assignment.at.isoformat()
        with self.transaction() as conn:
            row_id = conn.execute(
                "INSERT INTO assignments (dossier_id, file, first_page, last_page, component, officer, note, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [dossier_id, assignment.file, assignment.first_page, assignment.last_page, assignment.component,
                 assignment.officer, assignment.note, at],
            ).lastrowid
            request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, 'assignment', ?)",
                [at, dossier_id, assignment.file,
                 f"p{assignment.first_page}-{assignment.last_page} {assignment.component} #{row_id}"],
            )
        return int(row_id)

    def undo_assignment(self, dossier_id: int, assignment_id: int, *, officer: str, note: str,
                        at: datetime) -> bool:
        """Close an assignment in force (kept, with who, when and why) and queue the dossier to be judged again;
        False when this dossier has no such assignment in force."""
        with self.transaction() as conn:
            if not conn.execute(
                "UPDATE assignments SET undone_at = ?, undone_by = ?, undo_note = ? "
                "WHERE id = ? AND dossier_id = ? AND undone_at IS NULL",
                [at.isoformat(), officer, note, assignment_id, dossier_id],
            ).rowcount:
                return False
            request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'assignment_undone', ?)",
                [at.isoformat(), dossier_id, f"#{assignment_id}"],
            )
        return True

    def assignments(self, dossier_id: int, *, active_only: bool = False) -> tuple[Assignment, ...]:
        """The page-range assignments of a dossier, oldest first (only those in force with `active_only`)."""
        where = "dossier_id = ?" + (" AND undone_at IS NULL" if active_only else "")
        return tuple(
            Assignment(file=row["file"], first_page=row["first_page"], last_page=row["last_page"],
                       component=row["component"], **_decided(row))
            for row in self.db["assignments"].rows_where(where, [dossier_id], order_by="id")
        )

    def active_assignments(self, dossier_id: int) -> tuple[Assignment, ...]:
        """The page-range assignments in force on a dossier."""
        return self.assignments(dossier_id, active_only=True)
    def confirm_contact(self, dossier_id: int, field: str, value: str, *, officer: str, at: datetime) -> int:
        """Record an officer's confirmation of a dossier's contact value; for an e-mail address, its pending
        notices go to it at once and its unsent ones carry it (one transaction, with its event). Returns how many
        pending notices were released."""
        stamp = at.isoformat()
        with self.transaction() as conn:
            conn.execute("INSERT INTO contact_confirmations (dossier_id, field, value, officer, at) "
                         "VALUES (?, ?, ?, ?, ?)", [dossier_id, field, value, officer, stamp])
            released = 0
            if field == "email":
                released = conn.execute(
                    "UPDATE notices SET address = ?, last_error = NULL, next_attempt_at = NULL "
                    "WHERE dossier_id = ? AND state = 'pending'", [value, dossier_id]).rowcount
                # due_notices takes a dossier's newest recorded address: every unsent notice carries this one.
                conn.execute("UPDATE notices SET address = ? WHERE dossier_id = ? AND state = 'written'",
                             [value, dossier_id])
            conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'contact_confirmed', ?)",
                         [stamp, dossier_id, f"{field} by {officer}"])
        return int(released)

    def contact_confirmations(self, field: str = "email") -> dict[int, tuple[str, str, str]]:
        """Each dossier's latest confirmed value of a contact field: dossier id → (value, officer, ISO time)."""
        found: dict[int, tuple[str, str, str]] = {}
        for dossier_id, value, officer, at in self.db.execute(
                "SELECT dossier_id, value, officer, at FROM contact_confirmations WHERE field = ? ORDER BY id", [field]):
            found[dossier_id] = (value, officer, at)
        return found

    def contact_confirmation(self, dossier_id: int, field: str = "email") -> tuple[str, str, str] | None:
        """A dossier's latest confirmed value of a contact field: (value, officer, ISO time), or None."""
        row = self.db.execute(
            "SELECT value, officer, at FROM contact_confirmations WHERE dossier_id = ? AND field = ? "
            "ORDER BY id DESC LIMIT 1", [dossier_id, field]).fetchone()
        return (row[0], row[1], row[2]) if row else None
