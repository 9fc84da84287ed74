"""What judging reads from a dossier besides the verdict: contacts, registration fields, seals, hints;
frozen data, no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    """Who submitted a dossier, as the registration form states (folder name until it is read)."""

    enterprise: str
    """Enterprise name."""
    address: str = ""
    """Head-office address."""
    phone: str = ""
    """Telephone."""
    email: str = ""
    """E-mail."""
    representative: str = ""
    """Legal representative."""
    tax_code: str = ""
    """Tax code (mã số thuế) as written on the form."""


@dataclass(frozen=True)
class RegistrationField:
    """One field of the registration form as read, with whether it could be trusted."""

    name: str
    """Field id: enterprise, address, phone, email, tax_code, representative, category, employees, founded."""
    value: str = ""
    """The value (normalised where validated: tax code digits, ISO date, category wording); "" if missing."""
    status: str = "missing"
    """"ok", "missing" (no such line, or left blank) or "invalid" (present but unreadable or failing validation)."""
    note: str = ""
    """Vietnamese explanation for the officer when not "ok" (or how the value was normalised)."""
    raw: str = ""
    """The text as read from the form (for "invalid": what the officer should look at)."""


@dataclass(frozen=True)
class Registration:
    """The registration form's fields, each with its status; every field is present, "missing" if not read."""

    fields: tuple[RegistrationField, ...]
    """In the order of `fields.FIELDS`."""
    source: str | None = None
    """Label of the file (or page range) the form was read from; None when the dossier has no form."""
    ocr: bool = False
    """Whether its pages were OCR'd (a field not read may then be there, unread)."""

    def field(self, name: str) -> RegistrationField:
        """The field with this id (a "missing" one if unknown)."""
        return next((f for f in self.fields if f.name == name), RegistrationField(name))

    def value(self, name: str) -> str:
        """The value of a field that is "ok", else ""."""
        found = self.field(name)
        return found.value if found.status == "ok" else ""


@dataclass(frozen=True)
class SealFinding:
    """Whether a seal was seen on one range recognised as a component that must be sealed."""

    component: str
    """Component id."""
    file: str
    """Label of the file or page range."""
    found: bool
    """A seal was seen on one of its pages."""
    page: int | None = None
    """The page it was seen on."""
    box: tuple[float, float, float, float] | None = None
    """Where on that page (fractions of width and height)."""
    colour: bool = True
    """At least one of its pages is in colour (False: no seal could be seen either way)."""
    signed_by: str = ""
    """Who its e-signature stamp says signed it ("Ký bởi: Cục Thuế tỉnh Bắc Giang"): a digitally signed document,
    which carries no seal to see."""


@dataclass(frozen=True)
class Hint:
    """Something the officer should look at (eligibility, a seal not seen): never a deficiency, never sent."""

    code: str
    """Stable code (see README)."""
    message: str
    """Vietnamese message for the officer."""
    document: str | None = None
    """Component id concerned, if any."""
    file: str | None = None
    """File (or page range) concerned, if any."""
