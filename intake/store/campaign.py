"""The campaign calendar: invited enterprises, reminders written, closing. Queries only: no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ..models import Invitee
from .base import Part


class Campaign(Part):
    """The campaign calendar: invited enterprises, reminders written, closing."""

    def save_invitees(self, invitees: Sequence[tuple[tuple[str, ...], Invitee]], at: datetime) -> tuple[int, int, int]:
        """Import an invitation list in one transaction. Each invitee comes with its keys, best first (tax code,
        then folder): the first stored under one of them is updated (and re-keyed), else it is new; never a
        duplicate, never a deletion. Returns (new, updated, unchanged)."""
        new = updated = unchanged = 0
        fields = ("name", "tax_code", "email", "phone", "folder", "address")
        with self.transaction() as conn:
            for keys, invitee in invitees:
                row = None
                for key in keys:
                    row = conn.execute(f"SELECT id, key, {', '.join(fields)} FROM invitees WHERE key = ?",
                                       [key]).fetchone()
                    if row is not None:
                        break
                values = [getattr(invitee, f) for f in fields]
                if row is None:
                    conn.execute(
                        f"INSERT INTO invitees (key, {', '.join(fields)}, imported_at, updated_at) "
                        f"VALUES (?, {', '.join('?' for _ in fields)}, ?, ?)",
                        [keys[0], *values, at.isoformat(), at.isoformat()],
                    )
                    new += 1
                elif (row[1], *row[2:]) == (keys[0], *values):
                    unchanged += 1
                else:
                    conn.execute(
                        f"UPDATE invitees SET key = ?, {', '.join(f + ' = ?' for f in fields)}, updated_at = ? "
                        "WHERE id = ?",
                        [keys[0], *values, at.isoformat(), row[0]],
                    )
                    updated += 1
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'invitations_imported', ?)",
                [at.isoformat(), f"{new} new, {updated} updated, {unchanged} unchanged"],
            )
        return new, updated, unchanged

    def invitees(self) -> list[Invitee]:
        """Every invited enterprise, in import order."""
        return [
            Invitee(name=row["name"], tax_code=row["tax_code"] or "", email=row["email"] or "",
                    phone=row["phone"] or "", folder=row["folder"] or "", address=row["address"] or "",
                    id=row["id"], imported_at=datetime.fromisoformat(row["imported_at"]))
            for row in self.db["invitees"].rows_where(order_by="id")
        ]

    def reminders_written(self) -> set[tuple[date, str]]:
        """(reminder day, target) of every reminder written: each is written once, across restarts."""
        return {(date.fromisoformat(day), target)
                for day, target in self.db.execute("SELECT day, target FROM reminders")}

    def reminder_count(self) -> int:
        """Reminders written so far."""
        return int(self.db.execute("SELECT count(*) FROM reminders").fetchone()[0])

    def invitee_notices(self, invitee_id: int) -> list[dict[str, Any]]:
        """Notices written to an invitee that had no dossier yet, oldest first."""
        return list(self.db["notices"].rows_where("invitee_id = ? AND dossier_id IS NULL", [invitee_id],
                                                  order_by="id"))

    def record_reminder(self, *, day: date, days_before: int, target: str, dossier_id: int | None,
                        invitee_id: int | None, number: str, path: str, document_sha256: str, address: str | None,
                        subject: str, body: str, created_at: datetime, state: str) -> int | None:
        """Record a reminder just written to the outbox: the notice, its place in the schedule and its event, in
        one transaction. Returns the notice id, or None (nothing recorded) when this day's reminder to this target
        was already written."""
        at = created_at.isoformat()
        with self.transaction() as conn:
            claimed = conn.execute(
                "INSERT OR IGNORE INTO reminders (day, days_before, target, written_at) VALUES (?, ?, ?, ?)",
                [day.isoformat(), days_before, target, at],
            )
            if not claimed.rowcount:
                return None
            notice_id = conn.execute(
                "INSERT INTO notices (dossier_id, invitee_id, kind, content_hash, path, created_at, state, attempts, "
                "number, document_sha256, address, subject, body, resends) "
                "VALUES (?, ?, 'reminder', ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
                [dossier_id, invitee_id, f"{day.isoformat()}|{target}", path, at, state, number, document_sha256,
                 address or None, subject, body],
            ).lastrowid
            conn.execute("UPDATE reminders SET notice_id = ? WHERE id = ?", [notice_id, claimed.lastrowid])
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [at, dossier_id, f"reminder {number} {target}"],
            )
        return int(notice_id)

    def unsent_reminders(self) -> list[tuple[int, str]]:
        """(notice id, target) of reminders still waiting to be e-mailed."""
        return [(int(i), str(t)) for i, t in self.db.execute(
            "SELECT n.id, r.target FROM reminders r JOIN notices n ON n.id = r.notice_id WHERE n.state = 'pending' "
            "ORDER BY n.id"
        )]

    def close_intake(self, at: datetime, *, forward_late: bool = False) -> datetime:
        """Record that intake is closed (the first time only) and whether the council's list includes complete
        dossiers received late (as the last closing chose). Returns when it was closed."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('forward_late', ?)",
                         ["1" if forward_late else ""])
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('closed_at', ?)", [at.isoformat()])
            value = conn.execute("SELECT value FROM meta WHERE key = 'closed_at'").fetchone()[0]
            if value == at.isoformat():
                conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'intake_closed', '')",
                             [value])
        return datetime.fromisoformat(value)

    def forward_late(self) -> bool:
        """Whether the last closing forwarded complete dossiers received late too."""
        return bool(self._store.meta("forward_late"))

    def closed_at(self) -> datetime | None:
        """When intake was closed, or None while it is open."""
        value = self._store.meta("closed_at")
        return datetime.fromisoformat(value) if value else None
