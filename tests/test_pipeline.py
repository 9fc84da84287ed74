"""End to end on generated inboxes: receipts, text, classification, verdicts, notices, idempotence."""

from __future__ import annotations

import hashlib
import os
import random
import unicodedata
from datetime import datetime
from pathlib import Path

import docx
from pypdf import PdfWriter

import dossiers
from conftest import AFTER_DEADLINE, TZ, assert_never_complete_with_missing
from intake.store.schema import SCHEMA_VERSION


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def write(service, folder: str, seed: int, **kwargs) -> dict[str, str]:
    rng = random.Random(seed)
    return dossiers.write_dossier(service.inbox / folder, dossiers.make_enterprise(rng), rng, **kwargs)


def test_a_realistic_inbox(service):
    mixed = {"registration_form": "scan", "company_profile": "docx", "self_assessment": "pdf",
             "quality_system": "jpg", "product_conformity": "docx_scan", "environment": "pdf",
             "tax_insurance": "png", "other_evidence": "tiff"}
    write(service, "Công ty Cổ phần May Bắc Giang", 1, formats=mixed)
    write(service, "Công ty TNHH Thiếu hồ sơ", 2, omit=("quality_system", "tax_insurance"))
    write(service, "Công ty Tự đánh giá thiếu", 3, criteria=(1, 2, 3, 4))
    write(service, "Công ty Môi trường hai năm", 4, env_years=(2018, 2019))
    (service.inbox / "Công ty Cổ phần May Bắc Giang" / "~$Don dang ky.docx").write_bytes(b"lock")
    (service.inbox / "Công ty Cổ phần May Bắc Giang" / "Thumbs.db").write_bytes(b"junk")
    before = tree_digest(service.inbox)

    summary = service.scan()
    report = service.report()
    assert_never_complete_with_missing(report)
    assert summary.evaluated == 4

    full = report["Công ty Cổ phần May Bắc Giang"]
    assert full["status"] == "complete", full["deficiencies"]
    assert sorted(full["documents"]) == sorted(dossiers.COMPONENT_IDS)
    assert not any("Cong van" in f or "~$" in f for files in full["documents"].values() for f in files)

    assert report["Công ty TNHH Thiếu hồ sơ"]["missing"] == ["quality_system", "tax_insurance"]
    criteria = [d for d in report["Công ty Tự đánh giá thiếu"]["deficiencies"] if d["code"] == "missing_criteria"]
    assert len(criteria) == 3 and all(d["document"] == "self_assessment" for d in criteria)
    assert [d["message"] for d in report["Công ty Môi trường hai năm"]["deficiencies"]] == [
        "Thiếu kết quả quan trắc môi trường năm 2017."]

    # Receipts are sequential in discovery order; times are the service clock.
    assert sorted(d["receipt_no"] for d in report.values()) == [f"GTCLQG-2020-000{i}" for i in range(1, 5)]
    assert {d["received_at"] for d in report.values()} == {service.now.isoformat()}
    # The inbox is untouched; every received file has an archive copy.
    assert tree_digest(service.inbox) == before
    archived = {p.name for p in service.settings.archive.rglob("*") if p.is_file()}
    assert {h for h in before.values()} - {hashlib.sha256(b"lock").hexdigest(), hashlib.sha256(b"junk").hexdigest()} <= archived

    # Notices: an acknowledgement for every dossier, a request to supplement for each incomplete one, and the
    # receipt with an appointment (Mẫu 01) for the complete one.
    kinds = {(n["folder"], n["kind"]) for n in service.store.outbox.notice_listing()}
    incomplete = {"Công ty TNHH Thiếu hồ sơ", "Công ty Tự đánh giá thiếu", "Công ty Môi trường hai năm"}
    assert {f for f, k in kinds if k == "acknowledgement"} == set(report)
    assert {f for f, k in kinds if k == "deficiency"} == incomplete
    assert {f for f, k in kinds if k == "receipt"} == {"Công ty Cổ phần May Bắc Giang"}

    # A second scan changes nothing.
    counts = {t: service.store.db[t].count for t in ("files", "pages", "deficiencies", "notices", "events")}
    again = service.scan()
    assert again.received == 0 and again.extracted == 0 and again.notices == 0
    assert {t: service.store.db[t].count for t in counts} == counts
    assert service.report() == report


def test_scanned_dossier_with_meaningless_names_is_read_by_content(service):
    formats = {c: "scan" for c in dossiers.COMPONENT_IDS}
    written = write(service, "HS 05", 5, formats=formats, names="meaningless")
    assert all(name.startswith("scan_") for name in written.values())
    dossier = service.scan() and service.report()["HS 05"]
    assert dossier["status"] == "complete", dossier["deficiencies"]
    cover = written["cover_letter"]
    assert all(cover not in files for files in dossier["documents"].values())
    methods = service.store.db.execute(
        "SELECT DISTINCT p.method FROM pages p JOIN files f ON f.sha256 = p.sha256 WHERE f.path != ?", [cover]
    ).fetchall()
    assert methods == [("ocr",)]


def test_unreadable_files_become_deficiencies_and_the_service_goes_on(service, tmp_path):
    written = write(service, "Công ty Hỏng", 6)
    folder = service.inbox / "Công ty Hỏng"
    tax = folder / written["tax_insurance"]
    locked = PdfWriter(clone_from=str(tax)) if tax.suffix == ".pdf" else None
    tax_name = written["tax_insurance"]
    # Replace the tax evidence with a password-protected copy, and add a truncated PDF.
    if locked is None:
        source = tmp_path / "tax.pdf"
        rng = random.Random(6)
        dossiers.write_digital_pdf(source, dossiers.component_pages("tax_insurance", dossiers.make_enterprise(rng), rng))
        locked = PdfWriter(clone_from=str(source))
    tax.unlink()
    locked.encrypt(user_password="1234", owner_password="x", algorithm="AES-128")
    locked.write(folder / "Thuế BHXH có mật khẩu.pdf")
    whole = (folder / written["registration_form"]).read_bytes()
    (folder / "Ban dang ky (loi).pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    (folder / "Bang tinh.xlsx").write_bytes(b"not really")
    write(service, "Công ty Bình thường", 7)

    service.scan()
    report = service.report()
    broken = report["Công ty Hỏng"]
    by_code = {}
    for d in broken["deficiencies"]:
        by_code.setdefault(d["code"], []).append(d)
    assert {d["file"] for d in by_code["unreadable_file"]} == {"Thuế BHXH có mật khẩu.pdf", "Ban dang ky (loi).pdf"}
    assert any("mật khẩu" in d["message"] for d in by_code["unreadable_file"])
    assert by_code["unsupported_format"][0]["file"] == "Bang tinh.xlsx"
    assert broken["missing"] == ["tax_insurance"] and tax_name not in str(broken["documents"])
    assert report["Công ty Bình thường"]["status"] == "complete"
    assert whole  # the original registration form is still there and still counts
    assert "registration_form" in broken["documents"]


def test_supplement_loop_and_deficiency_history(service):
    written = write(service, "Công ty Bổ sung", 8, omit=("environment",))
    service.scan()
    first = service.report()["Công ty Bổ sung"]
    assert first["missing"] == ["environment"]
    notice_files = list((service.settings.outbox / "Công ty Bổ sung").glob("*-yeu-cau-bo-sung*.docx"))
    assert len(notice_files) == 1
    document = docx.Document(notice_files[0])
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)" in text and "GTCLQG-2020-0001" in text

    # Days later the enterprise adds the missing report.
    service.now = datetime(2020, 6, 20, 14, 0, tzinfo=TZ)
    rng = random.Random(99)
    dossiers.write_digital_pdf(service.inbox / "Công ty Bổ sung" / "Bổ sung môi trường.pdf",
                               dossiers.component_pages("environment", dossiers.make_enterprise(rng), rng))
    service.scan()
    second = service.report()["Công ty Bổ sung"]
    assert second["status"] == "complete" and second["receipt_no"] == first["receipt_no"]
    assert second["documents"]["environment"] == ["Bổ sung môi trường.pdf"]
    history = service.store.verdicts.deficiency_history(service.store.dossiers.get("Công ty Bổ sung").id)
    assert [(h["code"], h["resolved_at"]) for h in history] == [("missing_document", service.now.isoformat())]
    file_times = {r["path"]: r["received_at"] for r in service.store.dossiers.file_rows(service.store.dossiers.get("Công ty Bổ sung").id)}
    assert file_times["Bổ sung môi trường.pdf"] == service.now.isoformat()
    assert file_times[written["registration_form"]] != service.now.isoformat()


def test_late_dossier(service):
    service.now = AFTER_DEADLINE
    write(service, "Công ty Nộp muộn", 9)
    service.scan()
    dossier = service.report()["Công ty Nộp muộn"]
    assert dossier["late"] is True and dossier["status"] == "complete"
    assert [d["code"] for d in dossier["deficiencies"]] == ["late_submission"]


def test_after_the_deadline_an_on_time_dossier_is_judged_as_it_stood_then(service, rules, tmp_path):
    """A dossier received on time, incomplete at the deadline, gets its missing file two days after it, and its
    complete self-assessment replaced by one without criterion 2: neither counts. It stays as judged at the
    deadline, the officer is told what came later, and the hand-off carries the files as they were then."""
    from intake.desk.export import export_complete

    before = datetime(2020, 6, 24, 10, 0, tzinfo=TZ)
    service.now = before
    written = write(service, "Công ty Bổ sung muộn", 12, formats={"*": "pdf"}, omit=("tax_insurance",))
    folder = service.inbox / "Công ty Bổ sung muộn"
    service.scan()
    assert service.report()["Công ty Bổ sung muộn"]["missing"] == ["tax_insurance"]
    original = (folder / written["self_assessment"]).read_bytes()

    service.now = AFTER_DEADLINE
    rng = random.Random(98)
    ent = dossiers.make_enterprise(rng)
    dossiers.write_digital_pdf(folder / "Thue BHXH.pdf", dossiers.component_pages("tax_insurance", ent, rng))
    # Put in the share before the deadline by its own time (audit 47), scanned after it: told, not counted.
    stated = datetime(2020, 6, 30, 22, 0, tzinfo=TZ).timestamp()
    os.utime(folder / "Thue BHXH.pdf", (stated, stated))
    dossiers.write_digital_pdf(folder / written["self_assessment"],
                               dossiers.component_pages("self_assessment", ent, rng, criteria=(1, 3, 4, 5, 6, 7)))
    notices = len(service.store.outbox.all())
    service.scan()
    dossier = service.report()["Công ty Bổ sung muộn"]
    assert dossier["status"] == "incomplete" and dossier["missing"] == ["tax_insurance"] and not dossier["late"]
    assert dossier["judged_as_of"] == rules.campaign.deadline.isoformat()
    assert [d["code"] for d in dossier["deficiencies"]] == ["missing_document"]  # not criterion 2
    (late,) = [h for h in dossier["hints"] if h["code"] == "after_deadline"]
    assert ("«Thue BHXH.pdf» (08:00 02/07/2020; tệp ghi thời gian sửa đổi 22:00 30/06/2020, trước hạn (theo máy của "
            "doanh nghiệp))") in late["message"] and written["self_assessment"] in late["message"], late["message"]
    assert f"«{written['self_assessment']}» (08:00 02/07/2020)" in late["message"]  # its own time is after
    # Only that its files came after the deadline and are not counted (audit 27: late files got no word).
    (told,) = service.store.outbox.all()[notices:]
    assert told["kind"] == "supplement" and "nên không được xét: «" in told["body"]
    assert "«Thue BHXH.pdf»" in told["body"] and f"«{written['self_assessment']}»" in told["body"]
    # Nothing of it is considered: no result of a new check is promised (audit 43).
    assert "theo các tài liệu đã nhận đến hết thời hạn" in told["body"] and "kiểm tra lại" not in told["body"]

    # An officer accepts the late confirmation: complete, and handed over as it stood at the deadline.
    from intake.models import Override
    service.store.decisions.add_override(service.store.dossiers.get("Công ty Bổ sung muộn").id, Override(
        "tax_insurance", "accept", officer="Trần Văn Bình", note="Chi cục cho bổ sung đến 02/7", at=service.now))
    service.scan()
    assert service.report()["Công ty Bổ sung muộn"]["status"] == "complete"
    (exported,) = export_complete(service.store, rules, service.settings.archive, tmp_path / "hoi-dong",
                                  service.now)
    sources = {f.source: f for f in exported.files}
    assert "Thue BHXH.pdf" not in sources
    copied = exported.folder / sources[written["self_assessment"]].name
    assert copied.read_bytes() == original


def test_nfd_names_duplicates_and_overwrites(service):
    nfc_folder = "Công ty Đông Á"
    written = write(service, unicodedata.normalize("NFD", nfc_folder), 10)
    folder = service.inbox / unicodedata.normalize("NFD", nfc_folder)
    profile = folder / written["company_profile"]
    (folder / "copy of profile.pdf").write_bytes(profile.read_bytes())
    nfd_file = unicodedata.normalize("NFD", "Giấy khen.pdf")
    rng = random.Random(11)
    dossiers.write_digital_pdf(folder / nfd_file, dossiers.component_pages("other_evidence", dossiers.make_enterprise(rng), rng))
    service.scan()
    report = service.report()
    assert list(report) == [nfc_folder]
    dossier = report[nfc_folder]
    assert dossier["documents"]["company_profile"] == [unicodedata.normalize("NFC", written["company_profile"])]
    assert "Giấy khen.pdf" in dossier["documents"]["other_evidence"]
    rows = service.store.dossiers.file_rows(service.store.dossiers.get(nfc_folder).id)
    assert [r["duplicate_of"] for r in rows if r["path"] == "copy of profile.pdf"] == [
        unicodedata.normalize("NFC", written["company_profile"])]

    # The enterprise overwrites a file with other bytes: a new version, the newest one is judged.
    profile.write_bytes(b"%PDF-1.4 broken")
    service.scan()
    dossier = service.report()[nfc_folder]
    assert any(d["code"] == "unreadable_file" for d in dossier["deficiencies"])
    # ...the duplicate still carries the profile, and the archive still has the first version.
    assert dossier["documents"]["company_profile"] == ["copy of profile.pdf"]
    assert len([r for r in service.store.dossiers.file_rows(service.store.dossiers.get(nfc_folder).id)
                if r["path"] == unicodedata.normalize("NFC", written["company_profile"])]) == 2


def test_receipt_numbers_survive_a_restart(tmp_path, rules):
    from conftest import Service

    first = Service(tmp_path, rules)
    write(first, "A", 12, omit=("other_evidence",))
    first.scan()
    first.close()
    second = Service(tmp_path, rules)
    write(second, "B", 13)
    second.scan()
    numbers = {f: d["receipt_no"] for f, d in second.report().items()}
    second.close()
    assert numbers == {"A": "GTCLQG-2020-0001", "B": "GTCLQG-2020-0002"}


def test_files_are_read_while_the_next_ones_are_still_being_received(service, monkeypatch):
    """A pass does not archive the whole inbox before it reads anything: each new content goes to the readers
    as soon as it is archived (the OCR of a large intake starts at its first file, not after the last one)."""
    import threading

    from intake import pipeline

    write(service, "Công ty Đọc sớm", 5)
    reading_started = threading.Event()
    real_extract, real_receive = pipeline.extract_text, pipeline.receive_one
    waited: list[bool] = []

    def extract(*args, **kwargs):
        reading_started.set()
        return real_extract(*args, **kwargs)

    received = 0

    def receive_one(ctx, candidate):
        nonlocal received
        received += 1
        if received == 3:  # the third file is held until a reading has begun (or 20 s passed)
            waited.append(reading_started.wait(20))
        return real_receive(ctx, candidate)

    monkeypatch.setattr(pipeline, "extract_text", extract)
    monkeypatch.setattr(pipeline, "receive_one", receive_one)
    service.scan()
    assert waited == [True] and received >= 3
    assert service.report()["Công ty Đọc sớm"]["status"] == "complete"


def test_word_files_read_by_an_older_version_are_read_again_after_the_upgrade(tmp_path, rules):
    """Schema 6 reads text inserted with changes tracked and page breaks of paragraph styles in Word files, and OCRs
    text-only PDFs whose text layer is a pre-Unicode font's: a data folder of schema 5 forgets its Word readings and
    its PDFs' text-layer readings on opening, and the next pass reads them again and judges their dossiers again;
    what was OCR'd is kept (it would read the same)."""
    from conftest import Service

    first = Service(tmp_path, rules)
    formats = {c: "pdf" for c in dossiers.COMPONENT_IDS} | {"company_profile": "docx", "other_evidence": "scan"}
    write(first, "Công ty Hồ sơ Word", 21, formats=formats, cover_letter=False)
    first.scan()
    assert first.report()["Công ty Hồ sơ Word"]["status"] == "complete"
    store = first.store
    word = {sha for (sha,) in store.db.execute("SELECT sha256 FROM extractions WHERE kind = 'docx'")}
    layers = {sha for (sha,) in store.db.execute("SELECT DISTINCT sha256 FROM pages WHERE method = 'text'")}
    scanned = {sha for (sha,) in store.db.execute("SELECT DISTINCT sha256 FROM pages WHERE method = 'ocr'")}
    assert len(word) == 1 and len(layers) >= 5 and len(scanned) == 1
    # As an older reader left it: the profile's title was in a text box it did not read.
    with store.transaction() as conn:
        conn.execute("UPDATE pages SET text = 'Công ty luôn chú trọng nâng cao chất lượng sản phẩm.' "
                     "WHERE sha256 = ?", list(word))
        conn.execute("INSERT INTO rejudge (dossier_id, token) SELECT id, 1 FROM dossiers")
        conn.execute("UPDATE counters SET value = 5 WHERE name = 'schema_version'")
    first.scan()
    report = first.report()["Công ty Hồ sơ Word"]
    assert report["status"] == "incomplete" and report["missing"] == ["company_profile"]
    first.close()

    second = Service(tmp_path, rules)  # the upgrade opens the data folder
    assert second.store.pages.pending_extractions().keys() == word | layers
    assert second.store.pages.extracted(next(iter(scanned)))
    second.scan()
    assert second.report()["Công ty Hồ sơ Word"]["status"] == "complete"
    assert second.store.db.execute("SELECT value FROM counters WHERE name = 'schema_version'").fetchone()[0] == SCHEMA_VERSION
    second.close()


def test_a_dossier_with_a_file_still_being_written_gets_no_notice_until_it_is_whole(service):
    """Audit 43: `scan` left a file still being written for its next run but sent its dossier a request for the very
    component that file was: the dossier is judged, its notices wait; another dossier's are written."""
    from intake.pipeline import scan

    rng = random.Random(431)
    writing = dossiers.write_dossier(service.inbox / "Công ty Đang ghi", dossiers.make_enterprise(rng), rng)
    dossiers.write_dossier(service.inbox / "Công ty Đủ tệp", dossiers.make_enterprise(rng), rng)
    late = writing["product_conformity"]
    summary = scan(service.ctx, evaluate_all=True, ready=lambda c: c.path != late)
    kinds = {d.folder: [n["kind"] for n in service.store.outbox.all(d.id)] for d in service.store.dossiers.all()}
    assert kinds["Công ty Đang ghi"] == [] and kinds["Công ty Đủ tệp"], kinds
    assert summary.received == len(writing) * 2 - 1
    service.scan()  # the file is whole: received, and the dossier, complete, told so once
    kinds = {d.folder: [n["kind"] for n in service.store.outbox.all(d.id)] for d in service.store.dossiers.all()}
    assert "deficiency" not in kinds["Công ty Đang ghi"] and kinds["Công ty Đang ghi"], kinds
    assert service.report()["Công ty Đang ghi"]["status"] == "complete"
