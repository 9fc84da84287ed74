"""Where to e-mail a dossier's notices: a contacts file (folder → address) that overrides what the dossier's
identity gives. Pure functions of text, except `load_contacts`, which reads the file; never sends anything."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import ConfigError
from .fields import EMAIL
from ..folding import nfc


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
