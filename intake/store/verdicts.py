"""Verdicts and the deficiencies they open and resolve (history kept), and requests to judge again. Queries only: no business rules."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..models import Deficiency, Verdict
from .base import Part


class Verdicts(Part):
    """Verdicts and the deficiencies they open and resolve (history kept), and requests to judge again."""

    def open_deficiencies(self, dossier_id: int) -> list[dict[str, Any]]:
        """Deficiencies not yet resolved."""
        return list(self.db["deficiencies"].rows_where(
            "dossier_id = ? AND resolved_at IS NULL", [dossier_id], order_by="id"
        ))

    def deficiency_history(self, dossier_id: int) -> list[dict[str, Any]]:
        """Every deficiency ever opened for a dossier, resolved ones included."""
        return list(self.db["deficiencies"].rows_where("dossier_id = ?", [dossier_id], order_by="id"))

    def save_verdict(self, dossier_id: int, verdict: Verdict, verdict_json: dict[str, Any],
                     deficiency_hash: str, evaluated_at: datetime) -> tuple[list[Deficiency], list[str]]:
        """Store a verdict; open new deficiencies and resolve vanished ones (history is never deleted).
        Returns (opened, resolved keys)."""
        at = evaluated_at.isoformat()
        with self.transaction() as conn:
            conn.execute(
                "UPDATE dossiers SET status = ?, late = ?, verdict = ?, deficiency_hash = ?, evaluated_at = ? "
                "WHERE id = ?",
                [verdict.status, int(verdict.late), json.dumps(verdict_json, ensure_ascii=False),
                 deficiency_hash, at, dossier_id],
            )
            open_keys = {
                key for (key,) in conn.execute(
                    "SELECT key FROM deficiencies WHERE dossier_id = ? AND resolved_at IS NULL", [dossier_id]
                )
            }
            current = {d.key: d for d in verdict.deficiencies}
            opened = [d for k, d in current.items() if k not in open_keys]
            resolved = sorted(open_keys - current.keys())
            conn.executemany(
                "INSERT INTO deficiencies (dossier_id, key, code, document, file, message, opened_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(dossier_id, d.key, d.code, d.document, d.file, d.message, at) for d in opened],
            )
            conn.executemany(
                "UPDATE deficiencies SET resolved_at = ? WHERE dossier_id = ? AND key = ? AND resolved_at IS NULL",
                [(at, dossier_id, k) for k in resolved],
            )
            if opened or resolved:
                conn.execute(
                    "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'verdict', ?)",
                    [at, dossier_id, f"{verdict.status}: +{len(opened)} -{len(resolved)} deficiencies"],
                )
        return opened, resolved

    def rejudge_requests(self) -> dict[int, int]:
        """Dossiers waiting to be judged again → the token of their newest request."""
        return dict(self.db.execute("SELECT dossier_id, token FROM rejudge").fetchall())

    def clear_rejudge(self, requests: dict[int, int]) -> None:
        """Forget the requests that were served; a newer request (another token) made meanwhile stays."""
        if requests:
            with self.transaction() as conn:
                conn.executemany("DELETE FROM rejudge WHERE dossier_id = ? AND token = ?", list(requests.items()))
