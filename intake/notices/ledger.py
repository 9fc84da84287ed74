"""Queries the e-mail delivery needs that the store does not offer yet (they move into `store.outbox` once the
lead's split of models and store is done). Reads only; no business rules."""

from __future__ import annotations

from ..store import Store


def first_message_id(store: Store, notice_id: int) -> str | None:
    """The Message-ID a notice was already e-mailed with (sent or unconfirmed), if any: a resend keeps it."""
    row = store.db.execute("SELECT message_id FROM notices WHERE id = ?", [notice_id]).fetchone()
    return row[0] if row and row[0] else None
