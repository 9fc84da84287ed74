"""Shared folders as consultants and enterprises use them (audit 55): two organisations' dossiers in one folder, and
two rounds of one dossier copied into the share at once."""

from __future__ import annotations

import random

import dossiers
from conftest import BEFORE_DEADLINE, Service, text_file

from intake.desk.collect import dossier_identity
from intake.judging.applicants import applicants, applicants_hint
from intake.judging.classify import classify_dossier
from intake.judging.revisions import revisions


def _form(path: str, seed: int):
    ent = dossiers.make_enterprise(random.Random(seed))
    return ent, text_file(path, "\n".join(dossiers.component_pages("registration_form", ent, random.Random(seed))[0]))


def test_the_forms_of_two_organisations_are_told_and_one_organisation_s_are_not(rules):
    (first, form), (second, other) = _form("Go Viet/01 Don dang ky.pdf", 71), _form("Dien tu/01 Don dang ky.pdf", 72)
    found = applicants([form, other], classify_dossier([form, other], rules))
    assert [(file, code) for file, _, code in found] == [("Dien tu/01 Don dang ky.pdf", second.tax_code),
                                                         ("Go Viet/01 Don dang ky.pdf", first.tax_code)]
    (hint,) = applicants_hint(found)
    assert hint.code == "several_applicants" and first.tax_code in hint.message and second.name in hint.message
    # The same organisation's form as Word and as PDF: one applicant, no hint.
    _, word = _form("01 Don dang ky.docx", 71)
    assert applicants_hint(applicants([form, word], classify_dossier([form, word], rules))) == ()


def test_a_folder_of_two_enterprises_dossiers_holds_its_notices_for_the_officer(tmp_path, rules):
    """Audit 55: a consultant's folder with two enterprises' complete dossiers in sub-folders was one complete
    dossier, whose Mẫu 01 went to the enterprise whose sub-folder sorted first; the other got nothing."""
    service = Service(tmp_path, rules)
    try:
        folder = "Tu van Hoang Long"
        for sub, seed in (("Phan bon Ha Bac", 73), ("Co khi Yen Dung", 74)):
            rng = random.Random(seed)
            dossiers.write_dossier(service.inbox / folder / sub, dossiers.make_enterprise(rng), rng,
                                   formats={"*": "pdf"}, cover_letter=False)
        service.scan()
        report = service.report()[folder]
        assert [h["code"] for h in report["hints"] if h["code"] == "several_applicants"] == ["several_applicants"]
        (row,) = service.store.dossiers.all()
        identity = dossier_identity(service.store, row)
        assert identity.email_hold and identity.mail_to is None
    finally:
        service.close()


def test_a_later_round_s_folder_revises_a_file_of_the_same_name_received_with_it():
    """Audit 55: "1 Ho so/01 Don dang ky.pdf" and "Bo sung 20-6/01 Don dang ky.pdf" copied into the share at once:
    the first round's form (and its old e-mail address) was the one read."""
    old, new = text_file("1 Ho so/01 Don dang ky.pdf", "x"), text_file("Bo sung 20-6/01 Don dang ky.pdf", "y")
    assert old.received_at == new.received_at == BEFORE_DEADLINE
    assert revisions([old, new]) == {old.path: new.path}
    first, second = text_file("Lan 1/01 Don dang ky.pdf", "x"), text_file("Lan 2 bo sung/01 Don dang ky.pdf", "y")
    assert revisions([second, first]) == {first.path: second.path}
