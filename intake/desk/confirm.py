"""Officers' confirmations of a dossier's e-mail address (`intake contact`, later the web desk): checked, then
recorded as a decision with who and when (store.decisions), which releases the dossier's notices held for an
uncertain address. Never sends anything."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from ..errors import NotFoundError
from ..judging import Confirmation, valid_email
from ..store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Confirmed:
    """What confirming an address did."""

    receipt_no: str
    """The dossier's receipt number."""
    email: str
    """The address notices now go to."""
    released: int
    """Pending notices that now go to `email`."""


def confirmation(store: Store, dossier_id: int) -> Confirmation | None:
    """The latest officer's confirmation of a dossier's e-mail address, if any."""
    found = store.decisions.contact_confirmation(dossier_id, "email")
    return Confirmation(*found) if found else None


def confirm_email(store: Store, receipt_no: str, email: str, *, officer: str, at: datetime) -> Confirmed:
    """An officer confirms (or corrects) the address a dossier's notices go to: recorded with who and when, its
    pending notices released to it at once. NotFoundError for an unknown receipt number; ValueError when the
    address is not one (email-validator, no network) or no officer is named."""
    email, officer = email.strip(), officer.strip()
    dossier = store.dossiers.by_receipt(receipt_no)
    if dossier is None:
        raise NotFoundError(f"no dossier has the receipt number {receipt_no!r}")
    if not valid_email(email):
        raise ValueError(f"{email!r} is not an e-mail address")
    if not officer:
        raise ValueError("--officer: say who confirms the address")
    released = store.decisions.confirm_contact(dossier.id, "email", email, officer=officer, at=at)
    log.info("e-mail address confirmed dossier=%d released=%d", dossier.id, released)
    return Confirmed(dossier.receipt_no, email, released)
