"""What happened in the shared folder reaches the officers: a file replaced, a folder renamed, a look-alike folder
received as another dossier, two files named alike but for Unicode normalisation — on the desk's dossier page, in
the HTML report and in the JSON report, escaped like every name from the share."""

from __future__ import annotations

import json
import os
import random
import unicodedata

from click.testing import CliRunner

import dossiers
from conftest import BEFORE_DEADLINE, Service
from intake.cli import main
from intake.desk import collect, render_html
from intake.web import accounts
from intake.web.app import apply_now, create_app
from test_web import PASSWORD, signed_in


def test_folder_events_are_shown_to_officers(tmp_path, rules):
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(31)
        hostile = "Công ty <b>Thép & Co Namm"
        dossiers.write_dossier(service.inbox / hostile, dossiers.make_enterprise(rng), rng, formats={"*": "pdf"})
        dossiers.write_dossier(service.inbox / "Công ty Khác", dossiers.make_enterprise(rng), rng,
                               formats={"*": "pdf"})
        service.scan()
        renamed = service.inbox / "Công ty <b>Thép & Co Nam"
        os.rename(service.inbox / hostile, renamed)
        service.scan()
        # A file replaced by another version, and a second file whose name differs only in its encoding (NFD).
        replaced = sorted(renamed.iterdir())[0]
        replaced.write_bytes(replaced.read_bytes() + b"\n% second version\n")
        twin = unicodedata.normalize("NFD", "Giấy chứng nhận ISO.pdf")
        (renamed / unicodedata.normalize("NFC", twin)).write_bytes(b"%PDF-1.4 first")
        (renamed / twin).write_bytes(b"%PDF-1.4 second")
        # The other dossier's folder copied under a new name with one file changed, the old one removed.
        dossiers.move_with_one_change(service.inbox / "Công ty Khác", service.inbox / "Công ty Khác (sửa)")
        service.scan()
        desk = collect(service.store, rules, BEFORE_DEADLINE)
        sheets = {d.folder: d for d in desk.dossiers}
        thep = [e.message for e in sheets["Công ty <b>Thép & Co Nam"].events]
        assert len(thep) == 3, thep
        assert thep[0] == ("Thư mục hồ sơ được đổi tên từ «Công ty <b>Thép & Co Namm» thành «Công ty <b>Thép & Co Nam»; "
                           "hồ sơ giữ nguyên mã hồ sơ và các tệp đã nhận")
        assert f"Tệp «{replaced.name}» được thay bằng một bản có nội dung khác" in thep[1]
        assert "Có hai tệp cùng tên «Giấy chứng nhận ISO.pdf»" in thep[2] and "(trùng tên" in thep[2]
        other = [e.message for e in sheets["Công ty Khác"].events]
        assert len(other) == 1 and "thư mục «Công ty Khác (sửa)» xuất hiện" in other[0]
        assert sheets["Công ty Khác (sửa)"].events == ()  # a new dossier: nothing happened to it yet

        # The HTML report's dossier page (names escaped), the JSON report (`folder_events`).
        pages = render_html(desk)
        receipt = sheets["Công ty <b>Thép & Co Nam"].receipt_no
        page = next(text for text in pages.values() if f"<h1>Hồ sơ {receipt}</h1>" in text)
        assert "<h2>Diễn biến trong thư mục chung</h2>" in page and "<b>Thép" not in page
        assert "từ «Công ty &lt;b&gt;Thép &amp; Co Namm»" in page
        result = CliRunner().invoke(main, ["report", "--data", str(service.settings.data), "--format", "json"],
                                    catch_exceptions=False)

        report = {d["folder"]: d for d in json.loads(result.output)["dossiers"]}
        assert [e["message"] for e in report["Công ty <b>Thép & Co Nam"]["folder_events"]] == thep
        assert report["Công ty Khác (sửa)"]["folder_events"] == []
        dossier_id = service.store.dossiers.by_receipt(receipt).id
        accounts.add_user(service.store, "lan", "officer", PASSWORD, at=BEFORE_DEADLINE)
    finally:
        service.close()

    # The desk's dossier page.
    data = tmp_path / "data"
    app = create_app(data, rules, clock=lambda: BEFORE_DEADLINE, applier=apply_now(data, rules, lambda: BEFORE_DEADLINE),
                     testing=True)
    client = signed_in(app)
    assert receipt in client.get("/").text
    text = client.get(f"/ho-so/{dossier_id}").text
    assert "Diễn biến trong thư mục chung" in text and "<b>Thép" not in text
    assert "được thay bằng một bản có nội dung khác" in text and "Có hai tệp cùng tên" in text


def test_a_file_moved_out_of_the_wrong_folder_stops_counting_there(tmp_path, rules):
    """Audit 27: Cơ khí Việt Yên's registration form uploaded into An Phú's folder, then moved to its own: An Phú's
    dossier kept it (an archived file stays evidence), took Việt Yên's name, and its notices went to Việt Yên."""
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(47)
        host = dossiers.make_enterprise(rng)
        guest = dossiers.make_enterprise(rng)
        written = dossiers.write_dossier(service.inbox / "Công ty An Phú", host, rng, formats={"*": "pdf"})
        own = dossiers.write_dossier(service.inbox / "Công ty Việt Yên", guest, rng, formats={"*": "pdf"},
                                     omit=("registration_form",))
        assert "registration_form" not in own
        form = service.inbox / "Công ty Việt Yên" / "tmp.pdf"
        dossiers.write_digital_pdf(form, dossiers.component_pages("registration_form", guest, rng))
        misplaced = service.inbox / "Công ty An Phú" / "Don dang ky Viet Yen.pdf"
        os.rename(form, misplaced)
        service.scan()
        assert "Don dang ky Viet Yen.pdf" in service.report()["Công ty An Phú"]["documents"]["registration_form"]
        os.rename(misplaced, service.inbox / "Công ty Việt Yên" / "Don dang ky Viet Yen.pdf")
        service.scan()
        report = service.report()
        assert report["Công ty An Phú"]["documents"]["registration_form"] == [written["registration_form"]]
        assert report["Công ty Việt Yên"]["documents"]["registration_form"] == ["Don dang ky Viet Yen.pdf"]
        desk = {d.folder: d for d in collect(service.store, rules, BEFORE_DEADLINE).dossiers}
        assert desk["Công ty An Phú"].contact.enterprise == host.name
        left = [e.message for e in desk["Công ty An Phú"].events]
        arrived = [e.message for e in desk["Công ty Việt Yên"].events]
        assert any("đã được chuyển sang thư mục «Công ty Việt Yên»" in m for m in left), left
        assert any("được chuyển đến từ thư mục «Công ty An Phú»" in m for m in arrived), arrived
        # The same bytes in two folders that are both still there are two copies: nothing moves.
        (service.inbox / "Công ty An Phú" / "Ban sao.pdf").write_bytes(
            (service.inbox / "Công ty Việt Yên" / "Don dang ky Viet Yen.pdf").read_bytes())
        service.scan()
        assert "Don dang ky Viet Yen.pdf" in service.report()["Công ty Việt Yên"]["documents"]["registration_form"]
    finally:
        service.close()


def test_a_file_deleted_from_the_share_is_in_the_dossiers_history_and_still_counts(tmp_path, rules):
    """Audit 27: a file deleted from the share left no trace; the dossier still counted the version it received,
    with nothing telling the officer why its folder no longer shows it."""
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(53)
        written = dossiers.write_dossier(service.inbox / "Công ty Xóa nhầm", dossiers.make_enterprise(rng), rng,
                                         formats={"*": "pdf"})
        service.scan()
        deleted = service.inbox / "Công ty Xóa nhầm" / written["quality_system"]
        kept = deleted.read_bytes()
        deleted.unlink()
        service.scan()
        service.scan()  # once, not at every pass
        assert service.report()["Công ty Xóa nhầm"]["documents"]["quality_system"] == [written["quality_system"]]

        def history() -> list[str]:
            desk = {d.folder: d for d in collect(service.store, rules, BEFORE_DEADLINE).dossiers}
            return [e.message for e in desk["Công ty Xóa nhầm"].events]

        assert history() == [f"Tệp «{written['quality_system']}» không còn trong thư mục của doanh nghiệp (đã bị xóa "
                             "hoặc chuyển đi): hồ sơ vẫn giữ và xét bản đã nhận"]
        deleted.write_bytes(kept)
        service.scan()
        assert history()[1:] == [f"Tệp «{written['quality_system']}» lại có trong thư mục của doanh nghiệp"]
        deleted.unlink()
        service.scan()
        assert len(history()) == 3 and "không còn trong thư mục" in history()[2]
    finally:
        service.close()


def test_a_split_dossier_merged_into_its_first_folder_leaves_no_phantom(tmp_path, rules):
    """Audit 30: every file of "Công ty … - bổ sung" moved into the enterprise's first folder, the emptied folder
    left in place: the second dossier kept counting them, was asked for the rest and reminded. Now its files moved
    (an event each), it counts nothing, gets no notice and no reminder; the first dossier counts them."""
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(61)
        ent = dossiers.make_enterprise(rng)
        first = service.inbox / "Công ty Phú Lâm"
        second = service.inbox / "Công ty Phú Lâm - bổ sung"
        written = dossiers.write_dossier(first, ent, rng, formats={"*": "pdf"})
        second.mkdir()
        for cid in ("environment", "tax_insurance"):
            os.rename(first / written[cid], second / written[cid])
        service.scan()
        assert service.report()["Công ty Phú Lâm"]["status"] == "incomplete"
        notices = service.store.db["notices"].count
        for path in second.iterdir():
            os.rename(path, first / path.name)
        service.scan()
        report = service.report()
        assert report["Công ty Phú Lâm"]["status"] == "complete"
        assert report["Công ty Phú Lâm - bổ sung"]["documents"] == {}
        emptied = service.store.dossiers.get("Công ty Phú Lâm - bổ sung")
        assert emptied.id in service.store.dossiers.taken_for_another()
        written_since = [n for n in service.store.outbox.all()[notices:] if n["dossier_id"] == emptied.id]
        assert written_since == []  # no request for what the first folder holds
        desk = {d.folder: d for d in collect(service.store, rules, BEFORE_DEADLINE).dossiers}
        moved = [e.message for e in desk["Công ty Phú Lâm - bổ sung"].events]
        assert len(moved) == 2 and all("đã được chuyển sang thư mục «Công ty Phú Lâm»" in m for m in moved), moved
    finally:
        service.close()


def test_files_left_at_the_top_of_the_share_are_listed_for_the_officer(tmp_path, rules):
    """Audit 30: a registration form and a zipped dossier left at the share's top level, in no enterprise's
    folder, were in no report: the enterprise was judged to lack its form, or to have sent nothing. They are never
    read (whose they are is the officer's call) but listed in the reports and on the desk's queue, escaped."""
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(67)
        dossiers.write_dossier(service.inbox / "Công ty Hữu Cơ", dossiers.make_enterprise(rng), rng,
                               formats={"*": "pdf"}, omit=("registration_form",))
        (service.inbox / "Don dang ky - Hữu Cơ <b>.pdf").write_bytes(b"%PDF-1.4 a form")
        (service.inbox / "Ho so Hoa Mai.zip").write_bytes(b"PK\x03\x04")
        (service.inbox / "Thumbs.db").write_bytes(b"junk")
        service.scan()
        listed = ["Don dang ky - Hữu Cơ <b>.pdf", "Ho so Hoa Mai.zip"]
        report = service.settings.reports / "bao-cao.json"
        assert json.loads(report.read_text(encoding="utf-8"))["loose_files"] == listed
        assert service.store.db["files"].count == len(list((service.inbox / "Công ty Hữu Cơ").iterdir()))
        index = (service.settings.reports / "index.html").read_text(encoding="utf-8")
        assert "Tệp đặt ngoài thư mục hồ sơ (2)" in index and "Hữu Cơ &lt;b&gt;.pdf" in index
        accounts.add_user(service.store, "lan", "officer", PASSWORD, at=BEFORE_DEADLINE)
        (service.inbox / "Ho so Hoa Mai.zip").unlink()
        (service.inbox / "Don dang ky - Hữu Cơ <b>.pdf").rename(service.inbox / "Công ty Hữu Cơ" / "Don dang ky.pdf")
        service.scan()
        assert "loose_files" not in json.loads(report.read_text(encoding="utf-8"))
        index = (service.settings.reports / "index.html").read_text(encoding="utf-8")
        assert "Tệp đặt ngoài thư mục hồ sơ" not in index
        (service.inbox / "Ghi chu.txt").write_text("x")
        service.scan()
    finally:
        service.close()
    data = tmp_path / "data"
    app = create_app(data, rules, clock=lambda: BEFORE_DEADLINE,
                     applier=apply_now(data, rules, lambda: BEFORE_DEADLINE), testing=True)
    text = signed_in(app).get("/").text
    assert "Tệp đặt ngoài thư mục hồ sơ (1)" in text and "<li>Ghi chu.txt</li>" in text
