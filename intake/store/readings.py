"""What was read from a dossier beyond the verdict: registration fields, seals, hints. Queries only: no business rules."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..judging import Registration, RegistrationField
from ..models import SealMark
from .base import Part

SAVE_SEAL_MARK = ("INSERT OR REPLACE INTO seal_marks (sha256, page, detector, found, colour, x0, y0, x1, y1, score) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def seal_mark_row(sha256: str, page: int, detector: str, mark: SealMark) -> list[Any]:
    """The `SAVE_SEAL_MARK` parameters of a page's seal mark."""
    return [sha256, page, detector, int(mark.found), int(mark.colour), *(mark.box or (None,) * 4), mark.score]


class Readings(Part):
    """What was read from a dossier beyond the verdict: registration fields, seals, hints."""

    def save_reading(self, dossier_id: int, record: dict[str, Any], registration: Registration,
                     at: datetime) -> None:
        """Replace what was read from a dossier (one transaction): its report record and registration fields."""
        stamp = at.isoformat()
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO readings (dossier_id, record, read_at) VALUES (?, ?, ?)",
                         [dossier_id, json.dumps(record, ensure_ascii=False, sort_keys=True), stamp])
            conn.execute("DELETE FROM registration_fields WHERE dossier_id = ?", [dossier_id])
            conn.executemany(
                "INSERT INTO registration_fields (dossier_id, field, value, status, note, raw, source, read_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(dossier_id, f.name, f.value, f.status, f.note, f.raw, registration.source, stamp)
                 for f in registration.fields],
            )

    def all(self) -> dict[int, dict[str, Any]]:
        """Dossier id → what was last read from it (stored JSON)."""
        return {d: json.loads(r) for d, r in self.db.execute("SELECT dossier_id, record FROM readings")}

    def registration(self, dossier_id: int) -> Registration | None:
        """The registration form's fields of a dossier as last read; None before it was first judged."""
        rows = self.db.execute(
            "SELECT field, value, status, note, raw, source FROM registration_fields WHERE dossier_id = ? "
            "ORDER BY rowid", [dossier_id],
        ).fetchall()
        if not rows:
            return None
        return Registration(tuple(RegistrationField(*row[:5]) for row in rows), rows[0][5])

    def seal_mark(self, sha256: str, page: int, detector: str) -> SealMark | None:
        """The cached seal check of a page of these bytes by this detector version, if any."""
        row = self.db.execute(
            "SELECT found, colour, x0, y0, x1, y1, score FROM seal_marks WHERE sha256 = ? AND page = ? "
            "AND detector = ?", [sha256, page, detector],
        ).fetchone()
        if row is None:
            return None
        found, colour, x0, y0, x1, y1, score = row
        return SealMark(bool(found), bool(colour), None if x0 is None else (x0, y0, x1, y1), score or 0.0)

    def save_seal_mark(self, sha256: str, page: int, detector: str, mark: SealMark) -> None:
        """Cache a seal check of a page."""
        with self.transaction() as conn:
            conn.execute(SAVE_SEAL_MARK, seal_mark_row(sha256, page, detector, mark))
