"""The tracking register (Mẫu 06) workbook and CSV, the always-current report folder, `intake report` formats."""

from __future__ import annotations

import csv
import html
import io
import json
import random
from datetime import datetime
from pathlib import Path

import dossiers
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AFTER_DEADLINE

from intake.desk import publish
from intake.cli import main
from intake.desk.collect import collect
from intake.errors import ExitCode
from intake.models import Override
from intake.desk.ledger import read_ledger
from intake.desk.register import render_register, render_register_csv
from intake.desk.report import build_report, with_sheets

REGISTER_HEADINGS = [
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tổ chức, doanh nghiệp; địa chỉ, điện thoại, email",
    "Số lượng hồ sơ (bộ)", "Ngày, giờ nhận hồ sơ", "Nộp muộn", "Hạn bổ sung hồ sơ", "Ngày hẹn trả kết quả",
    "Ngày chuyển Hội đồng sơ tuyển", "Kết quả", "Ghi chú (gợi ý kiểm tra, quyết định của cán bộ)",
]
DETAIL_HEADINGS = ["STT", "Mã hồ sơ", "Thư mục hồ sơ", "Tình trạng hồ sơ", "Thành phần cần bổ sung",
                   "Nội dung cần bổ sung, hoàn thiện", "Thông báo (tình trạng gửi)"]
CSV_HEADINGS = REGISTER_HEADINGS + DETAIL_HEADINGS[2:]
DEFICIENCY_HEADINGS = [
    "STT", "Mã hồ sơ", "Tên tổ chức, doanh nghiệp", "Loại thiếu sót", "Mã thiếu sót", "Thành phần hồ sơ", "Tệp",
    "Nội dung", "Phát hiện lúc", "Khắc phục lúc", "Tình trạng",
]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(service, folder: str, seed: int, **kwargs) -> dossiers.Enterprise:
    rng = random.Random(seed)
    enterprise = dossiers.make_enterprise(rng)
    dossiers.write_dossier(service.inbox / folder, enterprise, rng, formats={"*": "pdf"}, **kwargs)
    return enterprise


@pytest.fixture
def campaign(service):
    """Three dossiers: complete, missing the environment report, and (received late) complete."""
    service.store.set_meta("campaign", "gtclqg-2020")  # as `intake scan` and `intake watch` record it
    enterprises = {
        "Công ty A": write(service, "Công ty A", 41),
        "Công ty B": write(service, "Công ty B", 42, omit=("environment",), criteria=(1, 2, 3, 4, 5, 6)),
    }
    service.scan()
    service.now = AFTER_DEADLINE
    enterprises["Công ty C"] = write(service, "Công ty C", 43)
    service.scan()
    return service, enterprises


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]


def test_workbook_is_the_tracking_register(campaign, rules):
    service, enterprises = campaign
    desk = collect(service.store, rules, service.now)
    book = openpyxl.load_workbook(io.BytesIO(render_register(desk, read_ledger(service.store, rules, desk))))
    assert book.sheetnames == ["Sổ theo dõi hồ sơ", "Chi tiết hồ sơ", "Thiếu sót", "Quyết định của cán bộ"]
    register = book["Sổ theo dõi hồ sơ"]
    assert register["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Giải thưởng Chất lượng Quốc gia năm 2020" in register["A2"].value and "2.001269" in register["A2"].value
    assert [c.value for c in register[3]] == REGISTER_HEADINGS
    assert register.freeze_panes == "C4"
    assert register.auto_filter.ref == "A3:L6"
    assert register.print_title_rows == "$3:$3"
    assert register.page_setup.orientation == "landscape" and register.page_setup.fitToWidth == 1

    table = {row[1]: dict(zip(REGISTER_HEADINGS, row)) for row in rows(register)}
    assert list(table) == ["GTCLQG-2020-0001", "GTCLQG-2020-0002", "GTCLQG-2020-0003"]
    a, b, c = table.values()
    assert [a["STT"], b["STT"], c["STT"]] == [1, 2, 3]
    assert a["Tên thủ tục hành chính"].startswith(rules.campaign.procedure) and a["Số lượng hồ sơ (bộ)"] == 1
    # Enterprise and contact as the registration form states them.
    who = a["Tổ chức, doanh nghiệp; địa chỉ, điện thoại, email"].splitlines()
    e = enterprises["Công ty A"]
    assert who == [e.name, f"Địa chỉ: {e.address}", f"ĐT: {e.phone}; Email: {e.email}"]
    # Dates are real Excel dates, in the campaign's time zone; the appointment is a working day.
    assert a["Ngày, giờ nhận hồ sơ"] == datetime(2020, 6, 15, 9, 30)
    assert c["Ngày, giờ nhận hồ sơ"] == datetime(2020, 7, 2, 8, 0)
    assert register.cell(row=4, column=6).number_format == "dd/mm/yyyy hh:mm"
    assert a["Ngày hẹn trả kết quả"] == datetime(2020, 8, 28) and b["Ngày hẹn trả kết quả"] is None
    assert b["Hạn bổ sung hồ sơ"] == datetime(2020, 6, 22) and a["Hạn bổ sung hồ sơ"] is None
    assert register.cell(row=5, column=8).number_format == "dd/mm/yyyy"
    # Cells take their formatting from the workbook's named styles, which officers see in Excel's cell styles.
    head, number, text = register["B3"], register["A4"], register["D4"]
    assert head.font.b and head.fill.fgColor.rgb.endswith("DDE4EE") and head.alignment.horizontal == "center"
    assert all(c.border.left.style == c.border.bottom.style == "thin" for c in (head, number, text))
    assert all(c.font.name == "Times New Roman" and c.font.sz == 10 for c in (number, text))
    assert text.alignment.vertical == "top" and text.alignment.wrap_text and not number.alignment.wrap_text
    assert {"Bảng: tiêu đề cột", "Bảng: nội dung", "Bảng: nội dung, xuống dòng",
            "Bảng: nội dung, ngày giờ, xuống dòng"} <= set(book.named_styles)
    assert (a["Kết quả"], b["Kết quả"], c["Kết quả"]) == ("Đầy đủ", "Chưa đầy đủ", "Đầy đủ")
    assert (a["Nộp muộn"], b["Nộp muộn"], c["Nộp muộn"]) == ("Không", "Không", "Có")  # never blank

    detail = {row[1]: dict(zip(DETAIL_HEADINGS, row)) for row in rows(book["Chi tiết hồ sơ"])}
    bd = detail["GTCLQG-2020-0002"]
    # Both open deficiencies' components are listed (the missing one and the one lacking a criterion).
    needed = bd["Thành phần cần bổ sung"].splitlines()
    assert len(needed) == 2 and needed[0].startswith("• Báo cáo tự đánh giá") and needed[1].endswith("(thiếu)")
    assert "chưa đề cập tiêu chí 7" in bd["Nội dung cần bổ sung, hoàn thiện"]
    # Nothing was e-mailed (no SMTP): a notice only written is never "sent".
    notices = bd["Thông báo (tình trạng gửi)"].splitlines()
    assert notices == ["• Giấy biên nhận hồ sơ 02/BNHS-TĐC: đã lập (lập 15/06/2020)",
                       "• Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ 01/PYCBS-TĐC: đã lập (lập 15/06/2020)"]

    deficiencies = book["Thiếu sót"]
    assert [c.value for c in deficiencies[3]] == DEFICIENCY_HEADINGS
    assert deficiencies.freeze_panes == "C4" and deficiencies.auto_filter.ref.startswith("A3:K")
    listed = rows(deficiencies)
    stored = service.store.db.execute("SELECT count(*) FROM deficiencies").fetchone()[0]
    assert len(listed) == stored == 3  # B: environment, criterion 7; C: late
    by_code = {row[4]: row for row in listed}
    assert by_code["missing_document"][3] == "Thiếu thành phần hồ sơ"
    assert by_code["missing_document"][5].startswith("Báo cáo đánh giá tác động môi trường")
    assert by_code["late_submission"][1] == "GTCLQG-2020-0003"
    assert by_code["late_submission"][8] == datetime(2020, 7, 2, 8, 0)
    assert all(row[10] == "Chưa khắc phục" and row[9] is None for row in listed)


def test_resolved_deficiencies_stay_in_the_register(campaign, rules):
    """B's missing report accepted by an officer after the deadline (a file sent then no longer counts by itself):
    the deficiency is resolved and stays in the register, with when."""
    service, _ = campaign
    service.now = datetime(2020, 7, 3, 10, 15, tzinfo=AFTER_DEADLINE.tzinfo)
    service.store.decisions.add_override(service.store.dossiers.get("Công ty B").id, Override(
        "environment", "accept", officer="Trần Văn Bình", note="bản giấy nộp trực tiếp ngày 29/6", at=service.now))
    service.scan()
    book = openpyxl.load_workbook(service.settings.reports / "so-theo-doi-ho-so.xlsx")
    listed = {row[4]: row for row in rows(book["Thiếu sót"])}
    assert listed["missing_document"][9] == datetime(2020, 7, 3, 10, 15)
    assert listed["missing_document"][10] == "Đã khắc phục"
    assert listed["missing_criteria"][10] == "Chưa khắc phục"


def test_reports_folder_follows_every_change(campaign, rules):
    service, _ = campaign
    folder = service.settings.reports
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"index.html", "so-theo-doi-ho-so.xlsx", "so-theo-doi-ho-so.csv", "thieu-sot.csv", "bao-cao.json"} <= names
    assert len([n for n in names if n.startswith("ho-so/")]) == 3
    assert not [n for n in names if n.endswith(".tmp")]
    # bao-cao.json is exactly the JSON contract.
    assert json.loads((folder / "bao-cao.json").read_text(encoding="utf-8")) == with_sheets(build_report(
        "gtclqg-2020", service.store.dossiers.all()), collect(service.store, rules, service.now))
    workbook = openpyxl.load_workbook(folder / "so-theo-doi-ho-so.xlsx")
    assert len(rows(workbook["Sổ theo dõi hồ sơ"])) == 3
    # Nothing changed: nothing rewritten.
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    service.scan()
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} == before
    # Deleted by someone: written again at the next pass.
    (folder / "index.html").unlink()
    service.scan()
    assert (folder / "index.html").exists()


def test_a_failing_report_never_affects_intake(service, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish, "write_reports", broken)
    write(service, "Công ty D", 44, omit=("tax_insurance",))
    summary = service.scan()
    assert summary.evaluated == 1 and summary.notices >= 1  # the deficiency notice went out all the same
    assert service.report()["Công ty D"]["missing"] == ["tax_insurance"]
    assert "reports could not be written" in caplog.text


def test_a_report_file_that_cannot_be_replaced_is_skipped(service, monkeypatch, rules, caplog):
    write(service, "Công ty E", 45)
    service.scan()
    real = publish.write_atomically

    def locked(path, content):
        if path.suffix == ".xlsx":  # Excel holds it open on a Windows share
            raise PermissionError(13, "Permission denied")
        real(path, content)

    monkeypatch.setattr(publish, "write_atomically", locked)
    written = publish.write_reports(service.store, rules, service.settings.reports, service.now)
    assert written >= 5 and "so-theo-doi-ho-so.xlsx could not be written" in caplog.text


def test_report_command_formats(campaign, tmp_path, rules):
    service, _ = campaign
    data = str(service.settings.data)
    book_path = tmp_path / "so.xlsx"
    assert run("report", "--data", data, "--format", "xlsx", "--output", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path)
    assert [c.value for c in book["Sổ theo dõi hồ sơ"][3]] == REGISTER_HEADINGS

    result = run("report", "--data", data, "--format", "csv")
    assert result.exit_code == 0
    table = list(csv.reader(io.StringIO(result.output)))
    assert table[0] == CSV_HEADINGS and len(table) == 4
    # Dates Excel reads as dates in any locale (an ISO offset would make them text).
    assert table[1][5] == "2020-06-15 09:30" and table[2][7] == "2020-06-22" and table[2][10] == "Chưa đầy đủ"
    assert table[1][6] == "Không" and table[3][6] == "Có"
    out = tmp_path / "so.csv"
    assert run("report", "--data", data, "--format", "csv", "--output", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == table

    html = tmp_path / "bao cao.html"
    assert run("report", "--data", data, "--format", "html", "--output", str(html)).exit_code == 0
    assert html.exists() and len(list((tmp_path / "bao cao-ho-so").glob("*.html"))) == 3
    assert 'href="bao cao-ho-so/0001-GTCLQG-2020-0001.html"' in html.read_text(encoding="utf-8")

    json_report = run("report", "--data", data, "--format", "json")
    assert json.loads(json_report.output) == with_sheets(
        build_report("gtclqg-2020", service.store.dossiers.all()), collect(service.store, rules, service.now))
    assert run("report", "--data", data, "--format", "xlsx").exit_code == ExitCode.usage
    assert run("report", "--data", data, "--format", "html").exit_code == ExitCode.usage
    assert run("report", "--data", str(tmp_path / "none"), "--format", "xlsx", "--output",
               str(book_path)).exit_code == ExitCode.not_found


HOSTILE = '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"evil.example/x","Bấm vào đây")'


def test_hostile_names_stay_text_in_every_workbook_and_csv(service, rules, tmp_path):
    """Folder names and enterprise names that spreadsheets would run as formulas (issue 14, item 2)."""
    from intake.desk.cells import csv_cell
    from intake.desk.council import render_council_workbook
    service.store.set_meta("campaign", "gtclqg-2020")
    folders = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"]
    for n, folder in enumerate(folders):
        write(service, folder, 60 + n)
    service.scan()
    desk = collect(service.store, rules, service.now)
    desk = desk.__class__(**{**desk.__dict__, "dossiers": tuple(
        d.__class__(**{**d.__dict__, "contact": d.contact.__class__(HOSTILE, HOSTILE, "=1", "@x")})
        if d.number == 1 else d.__class__(**{**d.__dict__, "contact": d.contact.__class__(
            "Công ty\x0bXanh\x01", "", "", "")}) if d.number == 2 else d for d in desk.dossiers)})
    ledger = read_ledger(service.store, rules, desk)
    books = {"register": render_register(desk, ledger), "council": render_council_workbook(desk),
             "reports": (service.settings.reports / "so-theo-doi-ho-so.xlsx").read_bytes()}
    for name, content in books.items():
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
        values = {c.value for s in book.worksheets for row in s.iter_rows() for c in row}
        assert values & {"=1+2", HOSTILE}, name  # the text itself is kept, as text
        if name == "register":  # a control character read from a PDF (openpyxl refuses it) is written as a space
            assert any("Công ty Xanh " in str(v) for v in values), name
    for text in (render_register_csv(desk, ledger), service.settings.reports.joinpath("so-theo-doi-ho-so.csv")
                 .read_text(encoding="utf-8-sig"), service.settings.reports.joinpath("thieu-sot.csv")
                 .read_text(encoding="utf-8-sig")):
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    assert csv_cell("=1+2") == "'=1+2" and csv_cell("\tx") == "'\tx" and csv_cell(5) == 5


def test_resend_after_the_deadline_asks_for_force(campaign):
    service, _ = campaign
    data = str(service.settings.data)
    late = ["notices", "--data", data, "--resend", "GTCLQG-2020-0002", "--kind", "deficiency",
            "--now", "2020-07-05T09:00:00+07:00"]
    refused = CliRunner().invoke(main, late)
    assert refused.exit_code == ExitCode.usage
    assert "deadline for dossiers (23:59 30/06/2020) has passed" in refused.output and "--force" in refused.output
    assert "date to supplement" in refused.output
    assert run(*late, "--force").exit_code == 0
    assert run("notices", "--data", data, "--resend", "GTCLQG-2020-0002", "--kind", "deficiency",
               "--now", "2020-06-20T09:00:00+07:00").exit_code == 0


def _printed_sizes(pdf) -> list[float]:
    """The size (pt) at which each piece of text of a PDF is printed: font size through the text and page matrices."""
    from pypdf import PdfReader
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            b, d = tm[1] * cm[0] + tm[3] * cm[2], tm[1] * cm[1] + tm[3] * cm[3]
            sizes.append(size * (b * b + d * d) ** 0.5)
    reader = PdfReader(pdf)
    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.slow
def test_the_workbook_prints_on_a4_landscape_at_nine_points_or_more(campaign, rules, tmp_path):
    """LibreOffice prints every sheet of the register: A4 landscape pages, no text below 9 pt, every column."""
    import shutil
    import subprocess

    from pypdf import PdfReader
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by `scripts/setup test`")
    service, _ = campaign
    desk = collect(service.store, rules, service.now)
    book = tmp_path / "so-theo-doi-ho-so.xlsx"
    book.write_bytes(render_register(desk, read_ledger(service.store, rules, desk)))
    for sheet in openpyxl.load_workbook(book).worksheets:  # the sheet's own sizes: ≥ 9 pt before any fitting
        assert all((c.font.size or 11) >= 9 for row in sheet.iter_rows() for c in row if c.value is not None)
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "so-theo-doi-ho-so.pdf"
    reader = PdfReader(pdf)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, (width, height)  # A4 landscape
    sizes = _printed_sizes(pdf)
    assert sizes and min(sizes) >= 9 - 0.05, min(sizes)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in REGISTER_HEADINGS[1:] + DETAIL_HEADINGS[2:]:  # every column is printed (one page wide)
        assert heading.split()[0] in text, heading
    shutil.copyfile(pdf, Path(__file__).parent / "output" / "so-theo-doi-ho-so.pdf")


@pytest.mark.slow
def test_one_enterprise_identity_in_every_output(service, rules, tmp_path):
    """The enterprise's name and contacts read from its registration form appear the same in the JSON, the HTML
    pages, the workbook, the CLI table and every notice — including a dossier scanned into one PDF whose cover
    letter comes first, in a folder named otherwise ("05 …")."""
    import docx as python_docx
    service.store.set_meta("campaign", "gtclqg-2020")
    rng = random.Random(71)
    merged = dossiers.make_enterprise(rng)
    dossiers.write_merged_dossier(service.inbox / "05 Hồ sơ gửi Sở", merged, rng, fmt="pdf", omit=("environment",))
    plain = write(service, "Công ty Một", 72)
    service.scan()
    report = json.loads(run("report", "--data", str(service.settings.data), "--format", "json").output)
    table = run("report", "--data", str(service.settings.data)).output
    book = tmp_path / "so.xlsx"
    run("report", "--data", str(service.settings.data), "--format", "xlsx", "--output", str(book))
    cells = [c.value for row in openpyxl.load_workbook(book)["Sổ theo dõi hồ sơ"].iter_rows(min_row=4) for c in row]
    register = "\n".join(str(v) for v in cells if v is not None)
    by_folder = {d["folder"]: d for d in report["dossiers"]}
    for folder, enterprise in (("05 Hồ sơ gửi Sở", merged), ("Công ty Một", plain)):
        fields = by_folder[folder]["registration"]["fields"]
        assert fields["enterprise"]["value"] == enterprise.name, folder  # JSON
        assert enterprise.name in table, folder  # CLI table
        receipt = by_folder[folder]["receipt_no"]
        page = next((service.settings.reports / "ho-so").glob(f"*-{receipt}.html")).read_text(encoding="utf-8")
        for value in (enterprise.name, enterprise.address, enterprise.phone, enterprise.email):
            assert value in register, (folder, value)  # workbook
            assert html.escape(value) in page, (folder, value)  # HTML
        notices = sorted((service.settings.outbox / folder).glob("*.docx"))
        assert notices, folder
        for notice in notices:  # every notice
            document = python_docx.Document(str(notice))
            text = "\n".join([p.text for p in document.paragraphs] + [
                p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs])
            for value in (enterprise.name, enterprise.address, enterprise.email):
                assert value in text, (notice.name, value)
            assert folder not in text.split("thư mục «")[0], notice.name  # never "Kính gửi: 05 …"


def test_seal_hints_of_one_kind_share_one_line_of_the_notes():
    """Audit 13: a line per file ("Không kiểm tra được con dấu trên «a» …", again for «b», «c») made a register row
    a page tall; one line lists the files, other hints stay as they are, in order."""
    from intake.desk.register import hint_lines
    from intake.judging import Hint
    hints = [Hint("seal_unverifiable", "x", "tax_insurance", "Thue.pdf"), Hint("founded_recently", "Thành lập 2019."),
             Hint("seal_unverifiable", "y", "environment", "Moi truong.pdf"),
             Hint("seal_not_found", "z", "quality_system", "ISO.jpg"),
             Hint("seal_unverifiable", "x", "tax_insurance", "Thue.pdf")]
    assert hint_lines(hints) == [
        "Không kiểm tra được con dấu trên «Thue.pdf», «Moi truong.pdf»: bản không có màu (bản quét đen trắng hoặc văn "
        "bản điện tử); đề nghị kiểm tra bằng mắt.", "Thành lập 2019.",
        "Không thấy dấu đỏ (con dấu) trên «ISO.jpg»; đề nghị kiểm tra chữ ký và con dấu."]
