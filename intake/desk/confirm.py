"""Officers' confirmations of a dossier's e-mail address (`intake contact`, later the web desk): recorded as a
decision with who and when, and releasing the dossier's notices held for an uncertain address. The only SQL
about confirmations (kept here until the store's split gives it a part of its own); never sends anything."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from ..judging.fields import valid_email
from ..judging.identity import Confirmation
from ..store import Store

log = logging.getLogger(__name__)

_TABLE = "contact_confirmations"


@dataclass(frozen=True)
class Confirmed:
    """What confirming an address did."""

    receipt_no: str
    """The dossier's receipt number."""
    email: str
    """The address notices now go to."""
    previous: str
    """The address the dossier's notices were recorded with before ("" when none)."""
    released: int
    """Pending notices that now go to `email`."""


def _ensure(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {_TABLE} (id INTEGER PRIMARY KEY, dossier_id INTEGER NOT NULL "
            "REFERENCES dossiers(id), field TEXT NOT NULL, value TEXT NOT NULL, officer TEXT NOT NULL, "
            "at TEXT NOT NULL)"
        )


def confirmation(store: Store, dossier_id: int) -> Confirmation | None:
    """The latest officer's confirmation of a dossier's e-mail address, if any."""
    _ensure(store)
    row = store.db.execute(
        f"SELECT value, officer, at FROM {_TABLE} WHERE dossier_id = ? AND field = 'email' ORDER BY id DESC LIMIT 1",
        [dossier_id],
    ).fetchone()
    return Confirmation(*row) if row else None


def confirmations(store: Store) -> dict[int, Confirmation]:
    """Every dossier's latest e-mail confirmation, by dossier id."""
    _ensure(store)
    found: dict[int, Confirmation] = {}
    for dossier_id, value, officer, at in store.db.execute(
            f"SELECT dossier_id, value, officer, at FROM {_TABLE} WHERE field = 'email' ORDER BY id"):
        found[dossier_id] = Confirmation(value, officer, at)
    return found


def confirm_email(store: Store, receipt_no: str, email: str, *, officer: str, at: datetime) -> Confirmed:
    """An officer confirms (or corrects) the address a dossier's notices go to: recorded with who and when, its
    pending notices released to it at once. ValueError when the dossier is unknown, the address is not one
    (email-validator, no network) or no officer is named."""
    email, officer = email.strip(), officer.strip()
    dossier = store.dossier_by_receipt(receipt_no)
    if dossier is None:
        raise ValueError(f"no dossier with receipt number {receipt_no!r}")
    if not valid_email(email):
        raise ValueError(f"{email!r} is not an e-mail address")
    if not officer:
        raise ValueError("--officer: say who confirms the address")
    _ensure(store)
    stamp = at.isoformat()
    with store.transaction() as conn:
        previous = conn.execute(
            "SELECT address FROM notices WHERE dossier_id = ? AND address IS NOT NULL ORDER BY id DESC LIMIT 1",
            [dossier.id]).fetchone()
        conn.execute(f"INSERT INTO {_TABLE} (dossier_id, field, value, officer, at) VALUES (?, 'email', ?, ?, ?)",
                     [dossier.id, email, officer, stamp])
        released = conn.execute(
            "UPDATE notices SET address = ?, last_error = NULL, next_attempt_at = NULL "
            "WHERE dossier_id = ? AND state = 'pending'", [email, dossier.id]).rowcount
        # Later notices of this dossier are recorded with the address the officer gave (due_notices takes the
        # newest address of a dossier's notices), so every notice row carries it from now on.
        conn.execute("UPDATE notices SET address = ? WHERE dossier_id = ? AND state IN ('written', 'pending')",
                     [email, dossier.id])
        conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'contact_confirmed', ?)",
                     [stamp, dossier.id, f"email by {officer}"])
    log.info("e-mail address confirmed dossier=%d released=%d", dossier.id, released)
    return Confirmed(dossier.receipt_no, email, (previous or [""])[0] or "", int(released))
