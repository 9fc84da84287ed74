"""Officers' decisions: accept / reject / undo a component, pure and through the CLI, with the audit trail."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

import docx
import dossiers
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import BEFORE_DEADLINE, text_file
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.receiving import lock
from intake.judging.classify import classify_dossier
from intake.cli import main
from intake.judging.completeness import ACCEPTED_LABEL, evaluate
from intake.errors import ExitCode
from intake.models import Override
from intake.notices.rows import action_rows

OFFICER = "Nguyễn Thị Hương"
DIGITAL = {"*": "pdf"}  # text-layer PDFs: no OCR, fast


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def decision(component: str, kind: str, minutes: int = 0, **kwargs) -> Override:
    return Override(component, kind, officer=OFFICER, note="ghi chú", at=BEFORE_DEADLINE + timedelta(minutes=minutes),
                    **kwargs)


# ---- pure: completeness.evaluate(..., overrides=...) -----------------------------------------------------


@pytest.fixture
def thin_dossier(rules):
    """A dossier with only a registration form and a company profile (digital text)."""
    rng = random.Random(3)
    ent = dossiers.make_enterprise(rng)
    files = [text_file(f"{c}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng)))
             for c in ("registration_form", "company_profile")]
    return files, classify_dossier(files, rules)


def test_accept_counts_as_present_and_says_so(rules, thin_dossier):
    files, matches = thin_dossier
    before = evaluate(files, matches, rules, received_at=BEFORE_DEADLINE)
    assert "tax_insurance" in before.missing
    after = evaluate(files, matches, rules, received_at=BEFORE_DEADLINE,
                     overrides=(decision("tax_insurance", "accept"), decision("self_assessment", "accept")))
    assert "tax_insurance" not in after.missing
    assert after.documents["tax_insurance"] == (ACCEPTED_LABEL.format(officer=OFFICER),)
    # An accepted self-assessment raises no missing_criteria: its content checks are waived.
    assert not [d for d in after.deficiencies if d.document in ("tax_insurance", "self_assessment")]


def test_reject_counts_as_missing_even_if_recognised(rules, thin_dossier):
    files, matches = thin_dossier
    verdict = evaluate(files, matches, rules, received_at=BEFORE_DEADLINE,
                       overrides=(Override("registration_form", "reject", officer=OFFICER,
                                           note="Đơn chưa có chữ ký, đóng dấu.", at=BEFORE_DEADLINE),))
    assert "registration_form" in verdict.missing and "registration_form" not in verdict.documents
    rejected = [d for d in verdict.deficiencies if d.document == "registration_form"]
    assert [d.code for d in rejected] == ["missing_document"]
    assert rejected[0].message.endswith("Lý do: Đơn chưa có chữ ký, đóng dấu.")
    assert "registration_form" in {m.component for m in verdict.matches}  # the recognition stays visible
    # The enterprise's request row names what it sent and why it is refused, not "Chưa nhận".
    (row,) = [r for r in action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
              if r.problems and "không được chấp nhận" in r.problems[0]]
    assert row.received == "«registration_form.pdf»" and "Đơn chưa có chữ ký, đóng dấu" in row.problems[0]


def test_a_component_sent_again_after_its_rejection_is_judged_on_the_new_files(rules, thin_dossier):
    """The officer rejected the unsigned form; the enterprise sends a signed one: it is judged (not the old one),
    the dossier no longer lacks the form, and the officer is told to look at it."""
    from dataclasses import replace as copy

    from intake.judging.officer import resent_hints

    files, _ = thin_dossier
    rejected = Override("registration_form", "reject", officer=OFFICER, note="Đơn chưa có chữ ký, đóng dấu.",
                        at=BEFORE_DEADLINE + timedelta(hours=1))
    form = next(f for f in files if f.path == "registration_form.pdf")
    signed = copy(form, path="Don dang ky (da ky dong dau).pdf", sha256="1" * 64,
                  received_at=BEFORE_DEADLINE + timedelta(hours=3))
    files = files + [signed]
    verdict = evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE,
                       overrides=(rejected,))
    assert "registration_form" not in verdict.missing
    assert verdict.documents["registration_form"] == ("Don dang ky (da ky dong dau).pdf",)
    (hint,) = resent_hints(files, verdict, (rejected,), rules)
    assert hint.code == "resent_after_rejection" and "«Don dang ky (da ky dong dau).pdf»" in hint.message
    # Sent before the rejection: the rejection stands.
    early = copy(signed, received_at=BEFORE_DEADLINE)
    files[-1] = early
    verdict = evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE,
                       overrides=(rejected,))
    assert "registration_form" in verdict.missing and resent_hints(files, verdict, (rejected,), rules) == ()


def test_only_the_newest_decision_in_force_applies(rules, thin_dossier):
    files, matches = thin_dossier
    undone = decision("tax_insurance", "accept", 0, undone_at=BEFORE_DEADLINE + timedelta(minutes=1))
    assert "tax_insurance" in evaluate(files, matches, rules, received_at=BEFORE_DEADLINE,
                                       overrides=(undone,)).missing
    newest_last = (decision("company_profile", "reject", 5, id=2), decision("company_profile", "accept", 1, id=1))
    verdict = evaluate(files, matches, rules, received_at=BEFORE_DEADLINE, overrides=newest_last)
    assert "company_profile" in verdict.missing
    assert evaluate(files, matches, rules, received_at=BEFORE_DEADLINE, overrides=()) == evaluate(
        files, matches, rules, received_at=BEFORE_DEADLINE)


@given(st.dictionaries(st.sampled_from(dossiers.COMPONENT_IDS), st.sampled_from(["accept", "reject"])),
       st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_decisions_always_win_and_their_order_does_not_matter(rules, decided, rnd):
    files, matches = _thin(rules)
    overrides = [Override(c, kind, officer=OFFICER, note="x", at=BEFORE_DEADLINE + timedelta(minutes=i), id=i + 1)
                 for i, (c, kind) in enumerate(decided.items())]
    verdict = evaluate(files, matches, rules, received_at=BEFORE_DEADLINE, overrides=tuple(overrides))
    for component, kind in decided.items():
        if kind == "accept":
            assert component not in verdict.missing and component in verdict.documents
        else:
            assert component not in verdict.documents
            assert (component in verdict.missing) == rules.component(component).required
    rnd.shuffle(overrides)
    assert evaluate(files, matches, rules, received_at=BEFORE_DEADLINE, overrides=tuple(overrides)) == verdict


_THIN: dict[int, tuple] = {}


def _thin(rules):
    """The thin dossier of the fixture, built once (hypothesis runs the test many times)."""
    if not _THIN:
        rng = random.Random(3)
        ent = dossiers.make_enterprise(rng)
        files = [text_file(f"{c}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng)))
                 for c in ("registration_form", "company_profile")]
        _THIN[0] = (files, classify_dossier(files, rules))
    return _THIN[0]


# ---- through the CLI -------------------------------------------------------------------------------------


@pytest.fixture
def scanned(tmp_path):
    """An inbox of two dossiers scanned through the CLI: 0001 complete, 0002 without tax evidence."""
    for folder, seed, omit in (("Công ty A Đủ", 21, ()), ("Công ty B Thiếu thuế", 22, ("tax_insurance",))):
        rng = random.Random(seed)
        dossiers.write_dossier(tmp_path / "inbox" / folder, dossiers.make_enterprise(rng), rng, formats=DIGITAL,
                               omit=omit)
    data = tmp_path / "data"
    result = run("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(data), "--now", "2020-06-15T09:30:00")
    assert result.exit_code == 0, result.output
    return data


def deficiency_notices(data: Path, receipt_no: str) -> list[Path]:
    """The deficiency notices (Mẫu 02) written for a dossier, oldest first."""
    from intake.store import Store

    store = Store(data / "intake.db")
    try:
        dossier = store.dossiers.by_receipt(receipt_no)
        return [data / "outbox" / n["path"] for n in store.outbox.all(dossier.id) if n["kind"] == "deficiency"]
    finally:
        store.close()


def report(data: Path) -> dict:
    result = run("report", "--data", str(data), "--format", "json")
    assert result.exit_code == 0
    return {d["receipt_no"]: d for d in json.loads(result.output)["dossiers"]}


def test_override_round_trip(scanned):
    data = str(scanned)
    assert report(scanned)["GTCLQG-2020-0002"]["missing"] == ["tax_insurance"]
    assert len(deficiency_notices(scanned, "GTCLQG-2020-0002")) == 1

    # Accept what the service missed: complete at once; the documents list says who accepted it.
    result = run("override", "GTCLQG-2020-0002", "tax_insurance", "--accept", "--officer", OFFICER,
                 "--note", "Bản xác nhận thuế nộp bản giấy ngày 14/6", "--data", data, "--now", "2020-06-16T08:00:00")
    assert result.exit_code == 0, result.output
    assert "GTCLQG-2020-0002: complete" in result.output
    dossier = report(scanned)["GTCLQG-2020-0002"]
    assert dossier["status"] == "complete" and dossier["missing"] == []
    assert dossier["documents"]["tax_insurance"] == [f"[Cán bộ {OFFICER} chấp nhận]"]

    # Reject what the service recognised: incomplete, and a new notice gives the enterprise the reason.
    result = run("override", "GTCLQG-2020-0001", "registration_form", "--reject", "--officer", "Trần Văn Bình",
                 "--note", "Đơn chưa đóng dấu", "--data", data, "--now", "2020-06-16T09:00:00")
    assert result.exit_code == 0, result.output
    first = report(scanned)["GTCLQG-2020-0001"]
    assert first["status"] == "incomplete" and first["missing"] == ["registration_form"]
    notices = deficiency_notices(scanned, "GTCLQG-2020-0001")
    assert len(notices) == 1
    text = "\n".join(c.text for t in docx.Document(notices[0]).tables for r in t.rows for c in r.cells)
    assert "Đơn chưa đóng dấu" in text

    # Undo: back to what the service recognised; the decision is kept with who, when and why it was undone.
    result = run("override", "GTCLQG-2020-0001", "registration_form", "--undo", "--officer", "Trần Văn Bình",
                 "--note", "Doanh nghiệp đã gửi bản có dấu", "--data", data, "--now", "2020-06-17T10:00:00")
    assert result.exit_code == 0, result.output
    assert report(scanned)["GTCLQG-2020-0001"]["status"] == "complete"

    # The audit trail in the reports written after each decision.
    book = openpyxl.load_workbook(scanned / "reports" / "so-theo-doi-ho-so.xlsx")
    sheet = book["Quyết định của cán bộ"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[1], r[4], r[5], r[8]) for r in rows] == [
        ("GTCLQG-2020-0002", "Chấp nhận", OFFICER, "Đang áp dụng"),
        ("GTCLQG-2020-0001", "Không chấp nhận", "Trần Văn Bình", "Đã hủy"),
    ]
    assert rows[1][7] == "Đơn chưa đóng dấu" and rows[1][11] == "Doanh nghiệp đã gửi bản có dấu"
    assert rows[1][9].isoformat() == "2020-06-17T10:00:00"
    register = book["Sổ theo dõi hồ sơ"]
    notes = {row[1].value: row[-1].value for row in register.iter_rows(min_row=4)}
    # The notes column holds the decisions in force (and the officers' hints): none is in force on 0001 (undone).
    assert OFFICER in notes["GTCLQG-2020-0002"] and "Trần Văn Bình" not in (notes["GTCLQG-2020-0001"] or "")
    page = next((scanned / "reports" / "ho-so").glob("*GTCLQG-2020-0001.html")).read_text(encoding="utf-8")
    assert "Doanh nghiệp đã gửi bản có dấu" in page and "Đã hủy" in page
    index = (scanned / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'Chấp nhận: <span title="Xác nhận kết quả thực hiện nghĩa vụ thuế' in index and OFFICER in index


def test_a_newer_decision_replaces_the_one_in_force(scanned):
    data = str(scanned)
    for flag, at in (("--reject", "2020-06-16T08:00:00"), ("--accept", "2020-06-16T08:30:00")):
        assert run("override", "GTCLQG-2020-0001", "environment", flag, "--officer", OFFICER, "--note", "x",
                   "--data", data, "--now", at).exit_code == 0
    assert report(scanned)["GTCLQG-2020-0001"]["status"] == "complete"
    from intake.store import Store

    store = Store(scanned / "intake.db")
    try:
        trail = store.decisions.overrides(store.dossiers.by_receipt("GTCLQG-2020-0001").id)
    finally:
        store.close()
    assert [(o.decision, o.active, o.undo_note) for o in trail] == [
        ("reject", False, "thay bằng quyết định mới"), ("accept", True, None)]


def test_override_errors(scanned, tmp_path):
    data = str(scanned)
    base = ("--officer", OFFICER, "--note", "x", "--data", data)
    unknown_receipt = run("override", "GTCLQG-2020-0099", "tax_insurance", "--accept", *base)
    assert unknown_receipt.exit_code == ExitCode.not_found and "GTCLQG-2020-0099" in unknown_receipt.output
    unknown_component = run("override", "GTCLQG-2020-0001", "photos", "--accept", *base)
    assert unknown_component.exit_code == ExitCode.not_found and "registration_form" in unknown_component.output
    nothing_to_undo = run("override", "GTCLQG-2020-0001", "tax_insurance", "--undo", *base)
    assert nothing_to_undo.exit_code == ExitCode.not_found
    assert run("override", "GTCLQG-2020-0001", "tax_insurance", *base).exit_code == ExitCode.usage
    assert run("override", "GTCLQG-2020-0001", "tax_insurance", "--accept", "--reject", *base).exit_code == ExitCode.usage
    assert run("override", "GTCLQG-2020-0001", "tax_insurance", "--accept", "--note", "x",
               "--data", data).exit_code == ExitCode.usage
    assert run("override", "GTCLQG-2020-0001", "tax_insurance", "--accept", "--officer", " ", "--note", "x",
               "--data", data).exit_code == ExitCode.usage
    no_data = run("override", "GTCLQG-2020-0001", "tax_insurance", "--accept", "--officer", OFFICER, "--note", "x",
                  "--data", str(tmp_path / "nowhere"))
    assert no_data.exit_code == ExitCode.not_found
    # Nothing was recorded by the failed attempts.
    assert report(scanned)["GTCLQG-2020-0001"]["status"] == "complete"


def test_while_the_service_runs_its_next_pass_applies_the_decision(scanned, tmp_path, rules):
    from conftest import Service

    handle = lock.acquire(scanned)  # as a running `intake watch` holds it
    try:
        result = run("override", "GTCLQG-2020-0002", "tax_insurance", "--accept", "--officer", OFFICER,
                     "--note", "bản giấy", "--data", str(scanned))
    finally:
        handle.close()
    assert result.exit_code == 0 and "next pass" in result.output
    assert report(scanned)["GTCLQG-2020-0002"]["status"] == "incomplete"

    service = Service(tmp_path, rules)  # same inbox and data folder: the running service's next pass
    try:
        from intake.pipeline import scan

        summary = scan(service.ctx)  # nothing changed in the inbox; only the decision is pending
        assert summary.received == 0 and summary.evaluated == 1
        assert service.report()["Công ty B Thiếu thuế"]["status"] == "complete"
        assert service.store.verdicts.rejudge_requests() == {}
    finally:
        service.close()


def test_a_rejected_component_sent_again_says_so_on_the_desk(rules):
    """Audit 23: the dossier was complete on the new files while the component's row still said "Cán bộ không chấp
    nhận"; it now says they were sent again."""
    from intake.desk.collect import STATE_VI, _components

    rejected = Override("quality_system", "reject", officer=OFFICER, note="Không có dấu.", at=BEFORE_DEADLINE)
    resent = frozenset({"quality_system"})
    states = {e.id: e.state for e in _components(rules, (), {"quality_system": rejected}, resent)}
    assert states["quality_system"] == "resent" and STATE_VI["resent"].startswith("Đã gửi lại")
    assert {e.id: e.state for e in _components(rules, (), {"quality_system": rejected})}["quality_system"] == "rejected"
