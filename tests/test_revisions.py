"""A corrected file sent again under the same name replaces the earlier one for every content check (audit 47)."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

import dossiers
from conftest import BEFORE_DEADLINE, text_file

from intake.judging.classify import classify_dossier
from intake.judging.completeness import evaluate
from intake.judging.fields import dossier_registration
from intake.judging.revisions import revision_hints, revisions

LATER = BEFORE_DEADLINE + timedelta(days=6)


def _file(path: str, *pages: str, at=BEFORE_DEADLINE):
    return dataclasses.replace(text_file(path, *pages), received_at=at)


def test_which_files_a_later_one_revises():
    first, fixed = _file("03. Bao cao tu danh gia.pdf", "x"), _file("Bổ sung/03. Bao cao tu danh gia_sửa.pdf", "y",
                                                                      at=LATER)
    assert revisions([first, fixed]) == {first.path: fixed.path}
    # Received together: the one marked as revised ("(bản sửa)", a copy number) replaces the other.
    marked = _file("Đơn đăng ký tham dự (bản sửa).docx", "x")
    assert revisions([_file("Đơn đăng ký tham dự.docx", "y"), marked]) == {"Đơn đăng ký tham dự.docx": marked.path}
    # Marked as revised, under a shorter name.
    form = _file("01. Don dang ky tham du GTCLQG 2020.pdf", "x")
    fixed = _file("Bo sung/01. Don dang ky tham du_sửa.pdf", "y", at=LATER)
    assert revisions([form, fixed]) == {form.path: fixed.path}
    # The Word file and its PDF, together: nothing replaced; a scanner's names are no names an enterprise gave.
    assert revisions([_file("Bao cao tu danh gia.docx", "x"), _file("Bao cao tu danh gia.pdf", "y")]) == {}
    assert revisions([_file("scan0001.pdf", "x"), _file("Bo sung/scan0001.pdf", "y", at=LATER)]) == {}
    # Other names stay other documents: two reports of different years, an addendum.
    assert revisions([_file("Quan trac moi truong 2018.pdf", "x"),
                      _file("Quan trac moi truong 2019.pdf", "y", at=LATER),
                      _file("Bo sung tieu chi 6.pdf", "z", at=LATER)]) == {}


def _dossier(seed: int, **content):
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng)
    return ent, rng, [
        _file(f"{i:02d}. Ho so {c.replace('_', ' ')}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng,
                                                                                                    **content)))
        for i, c in enumerate(dossiers.COMPONENT_IDS)]


def test_the_checks_read_the_corrected_self_assessment_not_the_one_it_replaces(rules):
    """Audit 47: the corrected report lacked criterion 6 that the original had; the dossier was judged complete."""
    ent, rng, files = _dossier(7)
    (original,) = [f for f in files if "self assessment" in f.path]
    fixed = _file(f"Bổ sung 15-6/{original.path[:-4]}_sửa.pdf", *(
        "\n".join(p) for p in dossiers.component_pages("self_assessment", ent, rng, criteria=(1, 2, 3, 4, 5, 7))),
        at=LATER)
    assert evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE).status == "complete"
    both = files + [fixed]
    matches = classify_dossier(both, rules)
    verdict = evaluate(both, matches, rules, received_at=BEFORE_DEADLINE)
    assert verdict.status == "incomplete"
    (criterion,) = [d.message for d in verdict.deficiencies if d.code == "missing_criteria"]
    assert criterion.endswith("chưa đề cập tiêu chí 6: Quản lý quá trình hoạt động."), criterion
    assert set(verdict.documents["self_assessment"]) == {original.path, fixed.path}  # both still listed
    (hint,) = revision_hints(both, matches)
    assert hint.code == "revised_file" and hint.file == original.path and f"«{fixed.path}»" in hint.message
    # Sent the other way round (the corrected one first, the old one again later): the later one counts.
    swapped = [dataclasses.replace(original, received_at=LATER + timedelta(days=1)) if f is original else f
               for f in both]
    assert evaluate(swapped, classify_dossier(swapped, rules), rules, received_at=BEFORE_DEADLINE).status == \
        "complete"


def test_a_corrected_form_gives_the_contacts(rules):
    """Audit 47: a form sent again with a new e-mail address; the notices kept going to the old one."""
    ent, rng, files = _dossier(11)
    (form,) = [f for f in files if "registration form" in f.path]
    old = next(line for line in form.extraction.pages[0].text.splitlines() if "@" in line)
    address = old.split(":", 1)[1].strip()
    fixed = _file("Bổ sung/" + form.path[:-4] + " (bản sửa).pdf",
                  *(p.text.replace(address, "chatluong@duocbacgiang.vn") for p in form.extraction.pages), at=LATER)
    assert dossier_registration(files, classify_dossier(files, rules)).field("email").value == address
    both = files + [fixed]
    registration = dossier_registration(both, classify_dossier(both, rules))
    assert registration.field("email").value == "chatluong@duocbacgiang.vn"
    assert registration.source == fixed.path
