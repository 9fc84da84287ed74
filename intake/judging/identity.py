"""One enterprise identity per dossier: name, address, tax code, phone, e-mail (and representative) chosen once
from every source that states them, each value with its source and status, the sources' disagreements and
other dossiers sharing its tax code or name. Pure: reads no file, no store; never sends anything."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import phonenumbers

from ..folding import fold, nfc
from ..models import Invitee
from .checks import DIGITAL_SOURCES, METHOD_SOURCE, UNCERTAIN_EMAIL, valid_email, valid_tax_code
from .models import Contact, Registration

log = logging.getLogger(__name__)

CONTACT_FIELDS = ("enterprise", "address", "phone", "email", "tax_code", "representative")
"""The identity's fields, in the order of `models.Contact`."""

RECONCILED = ("email", "tax_code", "phone")
"""Fields whose sources are compared (a disagreement is shown to the officer); the others are names and
addresses, which sources word differently without disagreeing."""

USABLE = frozenset({"ok", "corrected"})
"""Statuses of a value that may be used without an officer looking at it (and e-mailed to)."""

SOURCE_VI = {
    "docx": "đơn đăng ký (Word)",
    "text_layer": "đơn đăng ký (PDF)",
    "ocr": "đơn đăng ký (bản quét, OCR)",
    "invitation": "danh sách mời",
    "contacts_file": "tệp danh bạ",
    "cover_letter": "công văn gửi kèm",
    "folder": "tên thư mục",
    "officer": "cán bộ xác nhận",
}
"""Each source, as officers read it."""

STATUS_VI = {"ok": "Hợp lệ", "uncertain": "Chưa chắc chắn", "invalid": "Không hợp lệ", "corrected": "Đã sửa lỗi OCR",
             "missing": "Không có"}
"""Each status, as officers read it."""

FIELD_VI = {"enterprise": "Tên doanh nghiệp", "address": "Địa chỉ", "phone": "Điện thoại", "email": "Email",
            "tax_code": "Mã số thuế", "representative": "Người đại diện"}
"""Each field, as officers read it."""


@dataclass(frozen=True)
class ContactField:
    """One contact value of a dossier with where it came from and how sure it is."""

    name: str
    """Field id: enterprise, address, phone, email, tax_code, representative."""
    value: str = ""
    """The value ("" when no source gives one)."""
    source: str = ""
    """docx, text_layer, ocr, invitation, contacts_file, cover_letter, folder or officer ("" when missing)."""
    status: str = "missing"
    """ok, uncertain, invalid, corrected or missing."""
    note: str = ""
    """Vietnamese, for the officer: why uncertain or invalid, what was corrected, who confirmed it."""


@dataclass(frozen=True)
class Identity(Contact):
    """Who submitted a dossier, chosen once from every source: the `Contact` every notice, page, sheet and table
    shows, with each value's source and status, and what the officer should look at."""

    fields: tuple[ContactField, ...] = ()
    """Each field of `CONTACT_FIELDS` with its provenance."""
    mismatches: tuple[str, ...] = ()
    """Vietnamese lines: sources that disagree on an e-mail, tax code or phone, and which value was used."""
    duplicates: tuple[str, ...] = ()
    """Vietnamese lines: other dossiers with the same tax code or the same (folded) enterprise name."""

    def field(self, name: str) -> ContactField:
        """The field with this id (a missing one if unknown)."""
        return next((f for f in self.fields if f.name == name), ContactField(name))

    @property
    def mail_to(self) -> str | None:
        """The address notices may be e-mailed to: an e-mail that is ok (typed, confirmed by an officer or by a
        second source, or read cleanly); None when there is none or it is only `uncertain`."""
        email = self.field("email")
        return email.value if email.value and email.status in USABLE else None

    @property
    def email_hold(self) -> str:
        """Why notices are kept from being e-mailed ("" when they are not held): the only address is uncertain."""
        email = self.field("email")
        return UNCERTAIN_EMAIL if email.value and email.status == "uncertain" else ""

    @property
    def flags(self) -> tuple[str, ...]:
        """Everything the officer should look at about who this is (uncertain or invalid values, disagreements,
        duplicates), in Vietnamese."""
        lines = [f"{FIELD_VI[f.name]}: {STATUS_VI[f.status]} — {f.note}" for f in self.fields
                 if f.status in ("uncertain", "invalid", "corrected") and f.name in RECONCILED]
        return (*lines, *self.mismatches, *self.duplicates)


def delivery_line(contact: Contact) -> str:
    """The sentence a receipt prints to say where notices will be e-mailed (Vietnamese)."""
    if isinstance(contact, Identity) and contact.email_hold:
        return (f"Địa chỉ thư điện tử đọc được trên đơn ({contact.email}) chưa chắc chắn: các thông báo chỉ được gửi "
                "qua thư điện tử sau khi cán bộ tiếp nhận xác nhận địa chỉ.")
    address = contact.mail_to if isinstance(contact, Identity) else contact.email
    if address:
        return f"Các thông báo về hồ sơ được gửi tới địa chỉ thư điện tử: {address}."
    return "Hồ sơ chưa có địa chỉ thư điện tử: các thông báo được lưu tại cơ quan tiếp nhận."


@dataclass(frozen=True)
class Confirmation:
    """An officer's confirmation or correction of a dossier's e-mail address."""

    email: str
    """The address the officer confirmed."""
    officer: str
    """Who."""
    at: str
    """When (ISO timestamp, service clock)."""


def _key(name: str, value: str) -> str:
    """A value as compared across sources: e-mail lower-cased, tax code and phone as digits."""
    if name == "email":
        return value.strip().lower()
    if name == "phone":
        try:
            number = phonenumbers.parse(value, "VN")
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            return re.sub(r"\D", "", value)
    if name == "tax_code":
        return re.sub(r"[^\d-]", "", value)
    return fold(value)


STATE_DOMAIN = ".gov.vn"
"""E-mail addresses of state agencies (tax, social insurance, the Sở): no enterprise's."""


def _from_form(form: Registration | None, source: str) -> dict[str, ContactField]:
    if form is None:
        return {}
    out = {}
    for name in CONTACT_FIELDS:
        found = form.field(name)
        if found.status in ("ok", "corrected", "uncertain") and found.value:
            out[name] = ContactField(name, found.value, source, found.status, found.note)
        elif found.status == "invalid":
            out[name] = ContactField(name, "", source, "invalid", found.note)
    return out


def _from_invitee(invitee: Invitee | None) -> dict[str, ContactField]:
    if invitee is None:
        return {}
    values = {"enterprise": invitee.name, "address": invitee.address, "phone": invitee.phone,
              "email": invitee.email, "tax_code": invitee.tax_code}
    out = {}
    for name, value in values.items():
        if not value:
            continue
        ok = (name != "email" or valid_email(value)) and (name != "tax_code" or valid_tax_code(value))
        out[name] = ContactField(name, nfc(value), "invitation", "ok" if ok else "invalid",
                                 "" if ok else "danh sách mời ghi giá trị không hợp lệ")
    return out


def _candidates(name: str, sources: dict[str, dict[str, ContactField]]) -> list[ContactField]:
    """Every source's value of a field, in the order that decides between them."""
    if name in RECONCILED:
        order = ["officer", "contacts_file", "invitation", "form", "cover_letter"]
    else:
        order = ["officer", "contacts_file", "form", "invitation", "cover_letter", "folder"]
    return [sources[s][name] for s in order if name in sources.get(s, {})]


def _choose(name: str, candidates: list[ContactField]) -> tuple[ContactField, str]:
    """The value used and, when the sources disagree, the Vietnamese line saying so."""
    if not candidates:
        return ContactField(name), ""
    chosen = next((c for c in candidates if c.status in USABLE), None)
    if chosen is not None and chosen.source == "folder":
        # The folder's name is the last resort: a name the form gives, even one OCR was unsure of, is the name
        # ("Co khi Viet Yen - ho so GTCLQG 2020" is not, audit 40); it stays uncertain for the officer.
        chosen = next((c for c in candidates if c.status == "uncertain" and c.value), chosen)
    if chosen is None:
        chosen = next((c for c in candidates if c.status == "uncertain"), candidates[0])
    if chosen.status == "uncertain":
        # A value OCR was unsure of is ok when another, typed source gives the very same one.
        agreeing = [c for c in candidates if c is not chosen and c.source in DIGITAL_SOURCES
                    and c.status in USABLE and _key(name, c.value) == _key(name, chosen.value)]
        if agreeing:
            chosen = replace(chosen, status="ok",
                             note=f"khớp với {SOURCE_VI.get(agreeing[0].source, agreeing[0].source)}")
    mismatch = ""
    if name in RECONCILED:
        heard = [c for c in candidates if c.value and c.status in ("ok", "corrected", "uncertain")]
        if len({_key(name, c.value) for c in heard}) > 1:
            said = "; ".join(f"{SOURCE_VI.get(c.source, c.source)}: «{c.value}»" for c in heard)
            mismatch = (f"{FIELD_VI[name]} khác nhau giữa các nguồn ({said}); dùng «{chosen.value}» "
                        f"({SOURCE_VI.get(chosen.source, chosen.source)})")
    return chosen, mismatch


def choose_identity(folder: str, *, registration: Registration | None = None, registration_method: str = "text",
                    cover_letter: Registration | None = None, invitee: Invitee | None = None,
                    contacts_email: str | None = None, confirmation: Confirmation | None = None) -> Identity:
    """A dossier's identity from its sources. Names, addresses and representative: registration form, then the
    invitation list, the cover letter, the folder name. E-mail, tax code and phone: an officer's confirmation,
    then the contacts file, the invitation list, the registration form (typed before OCR'd), the cover letter;
    a value is used only when `ok` or `corrected`, else the first `uncertain` one is shown (and never mailed)."""
    form_source = METHOD_SOURCE.get(registration_method, "text_layer")
    sources: dict[str, dict[str, ContactField]] = {
        "form": _from_form(registration, form_source),
        "invitation": _from_invitee(invitee),
        # An agency's letter read as the cover letter gives the agency's address (a tax letter's signature box
        # "Email: ctbgi@gdt.gov.vn", audit 48): a state address is never the enterprise's.
        "cover_letter": {k: replace(v, source="cover_letter") for k, v in _from_form(cover_letter, "cover_letter")
                         .items() if not (k == "email" and v.value.casefold().endswith(STATE_DOMAIN))},
        "folder": {"enterprise": ContactField("enterprise", nfc(folder), "folder", "ok",
                                              "chưa có tài liệu nào ghi tên doanh nghiệp; dùng tên thư mục")},
    }
    if contacts_email:
        sources["contacts_file"] = {"email": ContactField("email", contacts_email, "contacts_file", "ok")}
    if confirmation is not None:
        sources["officer"] = {"email": ContactField(
            "email", confirmation.email, "officer", "ok", f"cán bộ {confirmation.officer} xác nhận lúc {confirmation.at}")}
    chosen, mismatches = [], []
    for name in CONTACT_FIELDS:
        field, mismatch = _choose(name, _candidates(name, sources))
        chosen.append(field)
        if mismatch:
            mismatches.append(mismatch)
    shown = {f.name: f.value if f.status != "invalid" else "" for f in chosen}
    return Identity(**shown, fields=tuple(chosen), mismatches=tuple(mismatches))


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"^(?:\d+\W*\s)?", "", fold(name)).split())


def flag_duplicates(identities: Sequence[tuple[str, str, Identity]]) -> list[Identity]:
    """Each (receipt number, folder, identity) given back with `duplicates` naming the other dossiers that share
    its tax code or its folded enterprise name (same order as given)."""
    by_tax: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, (_, _, identity) in enumerate(identities):
        if identity.tax_code and identity.field("tax_code").status in USABLE | {"uncertain"}:
            by_tax.setdefault(_key("tax_code", identity.tax_code), []).append(index)
        if identity.enterprise and identity.field("enterprise").source != "folder":
            by_name.setdefault(_name_key(identity.enterprise), []).append(index)
    out = []
    for index, (_, _, identity) in enumerate(identities):
        lines = []
        for groups, key, what in ((by_tax, _key("tax_code", identity.tax_code), "cùng mã số thuế"),
                                  (by_name, _name_key(identity.enterprise), "cùng tên doanh nghiệp")):
            others = [i for i in groups.get(key, []) if i != index] if key else []
            lines += [f"{what} với hồ sơ {identities[i][0]} (thư mục «{identities[i][1]}»)" for i in others]
        out.append(replace(identity, duplicates=tuple(lines)) if lines else identity)
    return out
