"""A folder that holds the registration forms of several organisations (a consultant's folder of two enterprises'
dossiers, side by side or in sub-folders; another enterprise's form dropped in by mistake): the dossier is judged as
one, so the officer is told, and its notices wait for the officer to confirm whom they go to (audit 55: the forms
of two enterprises were one dossier, complete, whose notices went to the company whose file name sorted first; one
stray form made another enterprise's complete dossier "incomplete" and its request went to the stray form's
company). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..folding import fold
from ..models import Match, ReceivedFile
from .fields import REGISTRATION_FORM, pages_reading, read_registration
from .identity import Identity
from .models import Hint
from .revisions import in_force, revisions


def applicants(files: list[ReceivedFile], matches: Iterable[Match]) -> tuple[tuple[str, str, str], ...]:
    """(file, organisation, tax code) of each registration form in force that names another organisation than the
    forms before it (by tax code where both give one, else by name); one entry when all forms are one's."""
    by_path = {f.path: f for f in files}
    forms: dict[str, list[Match]] = {}
    for m in in_force(matches, revisions(files)):
        if m.component == REGISTRATION_FORM and m.file in by_path:
            forms.setdefault(m.file, []).append(m)
    found: list[tuple[str, str, str]] = []
    for file in sorted(forms):
        text, *read = pages_reading(p for m in forms[file] for p in by_path[file].extraction.pages
                                    if m.first_page <= p.number <= m.last_page)
        registration = read_registration(text, file, *read)
        name, code = registration.value("enterprise"), registration.field("tax_code").value
        if not name and not code:
            continue
        if not any((code and other_code and code == other_code) or (not (code and other_code) and name
                                                                  and fold(name) == fold(other_name))
                   for _, other_name, other_code in found):
            found.append((file, name, code))
    return tuple(found)


def applicants_hint(found: tuple[tuple[str, str, str], ...]) -> tuple[Hint, ...]:
    """The officer's hint when the forms name several organisations."""
    if len(found) < 2:
        return ()
    named = "; ".join(f"«{name or '(không đọc được tên)'}»" + (f" (mã số thuế {code})" if code else "")
                      + f" trong tệp «{file}»" for file, name, code in found)
    return (Hint("several_applicants",
                 f"Thư mục có đơn đăng ký của {len(found)} tổ chức, doanh nghiệp khác nhau: {named}. Hồ sơ đang được "
                 "xét như của một đơn vị và thông báo chưa được gửi: đề nghị tách thành mỗi đơn vị một thư mục, hoặc "
                 "xác nhận địa chỉ nhận thông báo.", REGISTRATION_FORM),)


def held_for_applicants(identity: Identity, found: tuple[tuple[str, str, str], ...]) -> Identity:
    """The identity with its e-mail held (uncertain) when the forms name several organisations and no officer has
    confirmed the address: its notices wait for the officer."""
    email = identity.field("email")
    if len(found) < 2 or not email.value or email.source == "officer":
        return identity
    held = replace(email, status="uncertain", note="thư mục có đơn đăng ký của nhiều tổ chức, doanh nghiệp")
    return replace(identity, fields=tuple(held if f.name == "email" else f for f in identity.fields))
