"""Notices written to the outbox and their e-mail delivery. Queries only: no business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..models import Outgoing
from .base import Part, utc


class Outbox(Part):
    """Notices written to the outbox and their e-mail delivery."""

    def all(self, dossier_id: int | None = None) -> list[dict[str, Any]]:
        """Notices written, newest last."""
        where, args = ("dossier_id = ?", [dossier_id]) if dossier_id is not None else ("1", [])
        return list(self.db["notices"].rows_where(where, args, order_by="id"))

    def last_notice_hash(self, dossier_id: int, kind: str) -> str | None:
        """Content hash of the newest notice of this kind for a dossier."""
        row = self.db.execute(
            "SELECT content_hash FROM notices WHERE dossier_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
            [dossier_id, kind],
        ).fetchone()
        return row[0] if row else None

    def add_notice(self, dossier_id: int, kind: str, content_hash: str, path: str, created_at: datetime) -> None:
        """Record a notice written to the outbox."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO notices (dossier_id, kind, content_hash, path, created_at, state, attempts) "
                "VALUES (?, ?, ?, ?, ?, 'written', 0)",
                [dossier_id, kind, content_hash, path, created_at.isoformat()],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [created_at.isoformat(), dossier_id, kind],
            )

    def next_notice_sequence(self, kind: str) -> int:
        """The number the next notice of this kind gets (1, 2, … across the campaign)."""
        return int(self.db.execute("SELECT count(*) FROM notices WHERE kind = ?", [kind]).fetchone()[0]) + 1

    def record_notice(self, dossier_id: int, *, kind: str, content_hash: str, number: str, path: str,
                      document_sha256: str, address: str | None, subject: str, body: str, created_at: datetime,
                      state: str) -> int:
        """Record a notice just written to the outbox (one transaction with its event). Returns its id."""
        at = created_at.isoformat()
        with self.transaction() as conn:
            notice_id = conn.execute(
                "INSERT INTO notices (dossier_id, kind, content_hash, path, created_at, state, attempts, number, "
                "document_sha256, address, subject, body, resends) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
                [dossier_id, kind, content_hash, path, at, state, number, document_sha256, address or None,
                 subject, body],
            ).lastrowid
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [at, dossier_id, f"{kind} {number}"],
            )
        return int(notice_id)

    def notice_listing(self) -> list[dict[str, Any]]:
        """Every notice with its dossier's receipt number and folder, in dossier then notice order."""
        return list(self.db.query(
            "SELECT n.*, coalesce(d.receipt_no, '-') AS receipt_no, coalesce(d.folder, i.folder) AS folder "
            "FROM notices n LEFT JOIN dossiers d ON d.id = n.dossier_id LEFT JOIN invitees i ON i.id = n.invitee_id "
            "ORDER BY d.id IS NULL, d.id, n.invitee_id, n.id"
        ))

    def recover_interrupted_sends(self, at: datetime, detail: str) -> int:
        """Notices left `sending` by a run that stopped mid-send become `unconfirmed` (never sent again by
        themselves: the message may have been delivered). Call only while nothing is being sent."""
        with self.transaction() as conn:
            ids = [i for (i,) in conn.execute("SELECT id FROM notices WHERE state = 'sending'")]
            conn.executemany(
                "UPDATE notices SET state = 'unconfirmed', last_error = ? WHERE id = ?", [(detail, i) for i in ids]
            )
            conn.executemany(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_unconfirmed', ? "
                "FROM notices WHERE id = ?", [(at.isoformat(), detail, i) for i in ids],
            )
        return len(ids)

    def supersede_notices(self, kinds: tuple[str, ...], at: datetime) -> int:
        """Unsent notices of these kinds that a newer one of these kinds for the same dossier replaced."""
        marks = ", ".join("?" for _ in kinds)
        with self.transaction() as conn:
            changed = conn.execute(
                f"UPDATE notices SET state = 'superseded', next_attempt_at = NULL WHERE state = 'pending' "
                f"AND kind IN ({marks}) AND id < (SELECT max(n2.id) FROM notices n2 "
                f"WHERE n2.dossier_id = notices.dossier_id AND n2.kind IN ({marks}))",
                [*kinds, *kinds],
            ).rowcount
            if changed:
                conn.execute(
                    "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'notices_superseded', ?)",
                    [at.isoformat(), str(changed)],
                )
        return int(changed)

    def due_notices(self, now: datetime) -> list[Outgoing]:
        """Notices to e-mail now (pending, their next attempt not in the future), oldest first, each with the
        newest e-mail address read from its dossier's registration form."""
        rows = self.db.execute(
            "SELECT n.id, n.dossier_id, coalesce(d.folder, i.folder), coalesce(d.receipt_no, ''), n.kind, n.path, "
            "n.document_sha256, n.subject, "
            "n.body, coalesce((SELECT n2.address FROM notices n2 WHERE n2.dossier_id = n.dossier_id AND n2.address IS "
            "NOT NULL ORDER BY n2.id DESC LIMIT 1), n.address), n.attempts, coalesce(n.resends, 0) "
            "FROM notices n LEFT JOIN dossiers d ON d.id = n.dossier_id LEFT JOIN invitees i ON i.id = n.invitee_id "
            "WHERE n.state = 'pending' AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= ?) ORDER BY n.id",
            [utc(now)],
        ).fetchall()
        return [Outgoing(*row) for row in rows]

    def claim_notice(self, notice_id: int, at: datetime, recipient: str) -> bool:
        """Mark a pending notice `sending` (one more attempt) just before e-mailing it; False if it is no longer
        pending. Committed before the first byte goes out, so a crash mid-send leaves it `sending`."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE notices SET state = 'sending', attempts = attempts + 1, last_attempt_at = ?, recipient = ? "
                "WHERE id = ? AND state = 'pending'",
                [at.isoformat(), recipient, notice_id],
            ).rowcount == 1

    def settle_notice(self, notice_id: int, *, state: str, at: datetime, detail: str = "",
                      retry_at: datetime | None = None, message_id: str | None = None) -> None:
        """What became of a claimed notice: `sent`, `pending` again (retry at `retry_at`), `failed` or
        `unconfirmed`; with its event, in one transaction."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET state = ?, last_error = ?, next_attempt_at = ?, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "message_id = coalesce(?, message_id) WHERE id = ? AND state = 'sending'",
                [state, None if state == "sent" else detail, utc(retry_at) if retry_at else None, state,
                 at.isoformat(), message_id, notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, ?, ? FROM notices "
                "WHERE id = ?",
                [at.isoformat(), f"notice_{state}", f"#{notice_id} {detail}".strip(), notice_id],
            )

    def postpone_notice(self, notice_id: int, *, detail: str, retry_at: datetime, attempted: bool) -> None:
        """Leave a pending notice for later: the server was unreachable (`attempted`: counts as an attempt) or
        there is no address to send it to yet (does not)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET attempts = attempts + ?, last_error = ?, next_attempt_at = ? "
                "WHERE id = ? AND state = 'pending'",
                [int(attempted), detail, utc(retry_at), notice_id],
            )

    def fail_notice(self, notice_id: int, *, at: datetime, detail: str) -> None:
        """Give up on a pending notice (attempts exhausted while the server was unreachable)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET state = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL "
                "WHERE id = ? AND state = 'pending'",
                [detail, notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_failed', ? "
                "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} {detail}", notice_id],
            )

    def requeue_notice(self, notice_id: int, at: datetime) -> str:
        """An officer asks for a notice to be e-mailed (again): it becomes pending with fresh attempts. A notice
        that was sent counts one more resend (its e-mail gets a new Message-ID). Returns its former state; one
        being sent right now is left alone."""
        with self.transaction() as conn:
            row = conn.execute("SELECT state FROM notices WHERE id = ?", [notice_id]).fetchone()
            if row is None:
                raise KeyError(notice_id)
            if row[0] == "sending":  # the running service is e-mailing it this very moment: leave it be
                return "sending"
            conn.execute(
                "UPDATE notices SET state = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL, "
                "resends = coalesce(resends, 0) + ? WHERE id = ?",
                [int(row[0] == "sent"), notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_requeued', ? "
                "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} was {row[0]}", notice_id],
            )
        return str(row[0])

    def expire_notices(self, notice_ids: Sequence[int], *, at: datetime, detail: str) -> int:
        """Notices no longer worth sending (a reminder once the deadline passed or its enterprise needs it no more)
        become `expired` unless they are no longer pending."""
        with self.transaction() as conn:
            changed = 0
            for notice_id in notice_ids:
                if conn.execute(
                    "UPDATE notices SET state = 'expired', next_attempt_at = NULL, last_error = ? "
                    "WHERE id = ? AND state = 'pending'", [detail, notice_id],
                ).rowcount:
                    changed += 1
                    conn.execute(
                        "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_expired', ? "
                        "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} {detail}", notice_id],
                    )
        return changed
