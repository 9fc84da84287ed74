"""Notices written to the outbox and their e-mail delivery. Queries only: no business rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ..models import Outgoing
from .base import Part, utc
from .decisions import request_judgement

_DUE = "n.state = 'pending' AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= ?)"
"""A notice to e-mail now: pending, its next attempt not in the future."""


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
        """Unsent notices of these kinds (to e-mail, or waiting for a leader's approval) that a newer one of these
        kinds for the same dossier replaced: they will never be sent, and say so everywhere."""
        marks = ", ".join("?" for _ in kinds)
        with self.transaction() as conn:
            changed = conn.execute(
                f"UPDATE notices SET state = 'superseded', next_attempt_at = NULL "
                f"WHERE state IN ('pending', 'awaiting_approval', 'approved') "
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

    def due_now(self, now: datetime) -> frozenset[tuple[int, int]]:
        """The notices `due_notices` would e-mail now, as (id, attempts so far): cheap enough for the watcher to
        ask between its passes, so that a notice approved, resent or confirmed in another process, or whose retry
        has come, goes out at once rather than at the next full rescan."""
        rows = self.db.execute(f"SELECT n.id, n.attempts FROM notices n WHERE {_DUE}", [utc(now)]).fetchall()
        return frozenset((int(i), int(a or 0)) for i, a in rows)

    def due_notices(self, now: datetime) -> list[Outgoing]:
        """Notices to e-mail now (pending, their next attempt not in the future), oldest first, each with the
        newest e-mail address read from its dossier's registration form."""
        rows = self.db.execute(
            "SELECT n.id, n.dossier_id, coalesce(d.folder, i.folder), coalesce(d.receipt_no, ''), n.kind, n.path, "
            "n.document_sha256, n.subject, "
            "n.body, coalesce((SELECT n2.address FROM notices n2 WHERE n2.dossier_id = n.dossier_id AND n2.address IS "
            "NOT NULL ORDER BY n2.id DESC LIMIT 1), n.address), n.attempts, coalesce(n.resends, 0) "
            "FROM notices n LEFT JOIN dossiers d ON d.id = n.dossier_id LEFT JOIN invitees i ON i.id = n.invitee_id "
            f"WHERE {_DUE} ORDER BY n.id",
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

    def message_id_of(self, notice_id: int) -> str | None:
        """The Message-ID a notice was already e-mailed with (sent or unconfirmed), if any: a resend keeps it."""
        row = self.db.execute("SELECT message_id FROM notices WHERE id = ?", [notice_id]).fetchone()
        return row[0] if row and row[0] else None

    def requeue_notice(self, notice_id: int, at: datetime) -> str:
        """An officer asks for a notice to be e-mailed (again): it becomes pending with fresh attempts. A notice
        that was sent counts one more resend (its e-mail keeps the Message-ID it was first sent with: a copy can be
        recognised). Returns its former state; one being sent right now is left alone."""
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

    # ---- notices held for a leader's approval ----------------------------------------------------------------

    def hold_for_approval(self, notice_id: int, becomes: str) -> None:
        """Remember what a notice recorded `awaiting_approval` becomes once approved (`pending` or `written`)."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO approvals (notice_id, becomes) VALUES (?, ?)", [notice_id, becomes])

    def _replaced(self, conn: sqlite3.Connection, notice_id: int, dossier_id: int | None,
                  kinds: tuple[str, ...]) -> bool:
        marks = ", ".join("?" for _ in kinds)
        return conn.execute(f"SELECT 1 FROM notices WHERE dossier_id = ? AND id > ? AND kind IN ({marks})",
                            [dossier_id, notice_id, *kinds]).fetchone() is not None

    def awaiting_approval(self, status_kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        """Notices waiting for approval, oldest first, with their dossier's receipt number and folder; one of
        `status_kinds` that a newer one of them replaced is left out (it will not be sent)."""
        rows = list(self.db.query(
            "SELECT n.*, coalesce(d.receipt_no, '-') AS receipt_no, d.folder AS folder FROM notices n "
            "LEFT JOIN dossiers d ON d.id = n.dossier_id WHERE n.state = 'awaiting_approval' ORDER BY n.id"
        ))
        conn = self.db.conn
        return [n for n in rows
                if n["kind"] not in status_kinds or not self._replaced(conn, n["id"], n["dossier_id"], status_kinds)]

    def approve(self, notice_ids: list[int], *, by: str, at: datetime, status_kinds: tuple[str, ...]) -> int:
        """Approve notices waiting: each becomes `approved` (written again, dated the day of approval, at its
        dossier's next judgement, which this asks for; then the state it was held for), or `superseded` when a
        newer one of `status_kinds` replaced it; with who and when. Returns how many were approved."""
        approved = 0
        with self.transaction() as conn:
            for notice_id in notice_ids:
                row = conn.execute("SELECT dossier_id, kind FROM notices WHERE id = ? AND state = 'awaiting_approval'",
                                   [notice_id]).fetchone()
                if row is None:
                    continue
                dossier_id, kind = row
                held = conn.execute("SELECT becomes FROM approvals WHERE notice_id = ?", [notice_id]).fetchone()
                replaced = kind in status_kinds and self._replaced(conn, notice_id, dossier_id, status_kinds)
                becomes = "superseded" if replaced else (held[0] if held else "pending")
                state = "superseded" if replaced else "approved"
                conn.execute("UPDATE notices SET state = ?, next_attempt_at = NULL WHERE id = ?", [state, notice_id])
                conn.execute(
                    "INSERT INTO approvals (notice_id, becomes, approved_by, approved_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (notice_id) DO UPDATE SET approved_by = excluded.approved_by, "
                    "approved_at = excluded.approved_at", [notice_id, becomes, by, at.isoformat()],
                )
                if not replaced and dossier_id is not None:  # its judgement writes it again, dated today
                    request_judgement(conn, dossier_id)
                conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_approved', ?)",
                             [at.isoformat(), dossier_id, f"#{notice_id} by {by} -> {state}"])
                approved += not replaced
        return approved

    def approval(self, notice_id: int) -> tuple[str, datetime] | None:
        """(the state an approved notice becomes, when it was approved), or None before its approval."""
        row = self.db.execute("SELECT becomes, approved_at FROM approvals WHERE notice_id = ? AND approved_at IS NOT "
                              "NULL", [notice_id]).fetchone()
        return (str(row[0]), datetime.fromisoformat(row[1])) if row else None

    def reissue(self, notice_id: int, *, state: str, issued_at: datetime, document_sha256: str, subject: str,
                body: str, at: datetime) -> None:
        """An approved notice written again, dated `issued_at` (its approval): it takes the state it was held for,
        and is issued then (the date to supplement by counts from it)."""
        with self.transaction() as conn:
            conn.execute("UPDATE notices SET state = ?, created_at = ?, document_sha256 = ?, subject = ?, body = ?, "
                         "next_attempt_at = NULL WHERE id = ? AND state = 'approved'",
                         [state, issued_at.isoformat(), document_sha256, subject, body, notice_id])
            conn.execute("INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_reissued', "
                         "number FROM notices WHERE id = ?", [at.isoformat(), notice_id])

    def get(self, notice_id: int) -> dict[str, Any] | None:
        """One notice."""
        rows = list(self.db["notices"].rows_where("id = ?", [notice_id]))
        return rows[0] if rows else None

    def states_by_dossier(self) -> dict[int, list[str]]:
        """Dossier id → the states of its notices, oldest first."""
        found: dict[int, list[str]] = {}
        for dossier_id, state in self.db.execute(
            "SELECT dossier_id, state FROM notices WHERE dossier_id IS NOT NULL ORDER BY id"
        ):
            found.setdefault(int(dossier_id), []).append(str(state))
        return found

