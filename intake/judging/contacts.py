"""Who submitted a dossier and where to e-mail them: the registration form's text, or a contacts file that
overrides it. Pure functions of text, except `load_contacts`, which reads the file; never sends anything."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import ConfigError
from .fields import EMAIL, REGISTRATION_FORM, read_registration
from ..folding import nfc
from .models import Contact
from ..models import Match, ReceivedFile


def registration_text(files: list[ReceivedFile], matches: tuple[Match, ...]) -> str:
    """The text of the pages recognised as the registration form (empty when there is none)."""
    by_path = {f.path: f for f in files}
    texts = []
    for m in matches:
        if m.component == REGISTRATION_FORM and m.file in by_path:
            texts += [p.text for p in by_path[m.file].extraction.pages if m.first_page <= p.number <= m.last_page]
    return "\n".join(texts)


def find_email(text: str) -> str:
    """The enterprise's e-mail address: the valid one on an "Email:" line, else the only address anywhere when
    no line is labelled so; "" if none (an address OCR broke is never used)."""
    return read_registration(text).value("email")


def read_contact(text: str, default_name: str) -> Contact:
    """The fields of a registration form (read by `fields.read_registration`, only those that are valid);
    `default_name` when no name is given."""
    form = read_registration(text)
    return Contact(
        enterprise=form.value("enterprise") or default_name,
        address=form.value("address"),
        phone=form.value("phone"),
        email=form.value("email"),
        representative=form.value("representative"),
        tax_code=form.value("tax_code"),
    )


def parse_contacts(text: str, source: str) -> dict[str, str]:
    """A contacts file (CSV: dossier folder, e-mail; an optional header; `,` or `;`) as folder (NFC) → address."""
    text = nfc(text.lstrip("\ufeff"))
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    contacts: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2:
            raise ConfigError(f"{source}: line {number}: expected `folder{delimiter}email`")
        folder, address = cells[0], cells[1]
        if number == 1 and "@" not in address:
            continue  # the header
        if not folder or not EMAIL.fullmatch(address):
            raise ConfigError(f"{source}: line {number}: {address!r} is not an e-mail address")
        contacts[folder] = address
    return contacts


def load_contacts(path: Path | str) -> dict[str, str]:
    """Read and parse a contacts file (UTF-8, as Excel saves "CSV UTF-8")."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as UTF-8 text: {exc}") from exc
    return parse_contacts(text, str(path))


def recipient(folder: str, registration_address: str | None, contacts: dict[str, str]) -> str | None:
    """Where a dossier's notices go: the contacts file's address for its folder, else the registration form's."""
    return contacts.get(nfc(folder)) or registration_address or None
