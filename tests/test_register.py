"""The tracking register (Mẫu 06) workbook and CSV, the always-current report folder, `intake report` formats."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime

import dossiers
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AFTER_DEADLINE

from intake.desk import publish
from intake.cli import main
from intake.desk.collect import collect
from intake.errors import ExitCode
from intake.desk.register import render_register
from intake.desk.report import build_report, with_identities

REGISTER_HEADINGS = [
    "STT", "Mã hồ sơ", "Tên tổ chức, doanh nghiệp", "Địa chỉ", "Số điện thoại", "Email", "Thư mục hồ sơ",
    "Ngày, giờ nhận hồ sơ", "Tình trạng hồ sơ", "Nộp muộn", "Thành phần còn thiếu", "Số thiếu sót",
    "Nội dung cần bổ sung, hoàn thiện", "Số phiếu yêu cầu bổ sung đã gửi", "Thông báo đã gửi",
    "Ngày gửi thông báo gần nhất", "Ghi chú",
]
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
    book = openpyxl.load_workbook(io.BytesIO(render_register(collect(service.store, rules, service.now))))
    assert book.sheetnames == ["Sổ theo dõi hồ sơ", "Thiếu sót", "Quyết định của cán bộ"]
    register = book["Sổ theo dõi hồ sơ"]
    assert register["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert "Giải thưởng Chất lượng Quốc gia năm 2020" in register["A2"].value and "2.001269" in register["A2"].value
    assert [c.value for c in register[3]] == REGISTER_HEADINGS
    assert register.freeze_panes == "C4"
    assert register.auto_filter.ref == "A3:Q6"
    assert register.column_dimensions["C"].width == 34 and register.column_dimensions["M"].width == 60
    assert register.print_title_rows == "$3:$3"

    table = {row[1]: dict(zip(REGISTER_HEADINGS, row)) for row in rows(register)}
    assert list(table) == ["GTCLQG-2020-0001", "GTCLQG-2020-0002", "GTCLQG-2020-0003"]
    a, b, c = table.values()
    assert [a["STT"], b["STT"], c["STT"]] == [1, 2, 3]
    # Enterprise and contact as the registration form states them.
    assert a["Tên tổ chức, doanh nghiệp"] == enterprises["Công ty A"].name
    assert a["Số điện thoại"] == enterprises["Công ty A"].phone and a["Email"] == enterprises["Công ty A"].email
    assert a["Địa chỉ"] == enterprises["Công ty A"].address and a["Thư mục hồ sơ"] == "Công ty A"
    # Dates are real Excel dates, in the campaign's time zone.
    assert a["Ngày, giờ nhận hồ sơ"] == datetime(2020, 6, 15, 9, 30)
    assert c["Ngày, giờ nhận hồ sơ"] == datetime(2020, 7, 2, 8, 0)
    assert register.cell(row=4, column=8).number_format == "dd/mm/yyyy hh:mm"
    assert (a["Tình trạng hồ sơ"], b["Tình trạng hồ sơ"], c["Tình trạng hồ sơ"]) == ("Đầy đủ", "Chưa đầy đủ", "Đầy đủ")
    assert (a["Nộp muộn"], c["Nộp muộn"]) == (None, "Có")
    assert b["Thành phần còn thiếu"].startswith("Báo cáo đánh giá tác động môi trường")
    report = service.report()
    assert b["Số thiếu sót"] == len(report["Công ty B"]["deficiencies"]) == 2
    assert "chưa đề cập tiêu chí 7" in b["Nội dung cần bổ sung, hoàn thiện"]
    assert b["Số phiếu yêu cầu bổ sung đã gửi"] == 1 and a["Số phiếu yêu cầu bổ sung đã gửi"] == 0
    notices = service.store.outbox.all(service.store.dossiers.get("Công ty B").id)
    assert b["Ngày gửi thông báo gần nhất"] == datetime.fromisoformat(notices[-1]["created_at"]).replace(tzinfo=None)
    assert "15/06/2020: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in b["Thông báo đã gửi"].splitlines()

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
    service, _ = campaign
    rng = random.Random(99)
    dossiers.write_digital_pdf(service.inbox / "Công ty B" / "Môi trường.pdf",
                               dossiers.component_pages("environment", dossiers.make_enterprise(rng), rng))
    service.now = datetime(2020, 7, 3, 10, 15, tzinfo=AFTER_DEADLINE.tzinfo)
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
    assert json.loads((folder / "bao-cao.json").read_text(encoding="utf-8")) == with_identities(build_report(
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
    assert table[0] == REGISTER_HEADINGS and len(table) == 4
    assert table[1][7] == "2020-06-15T09:30:00+07:00" and table[2][8] == "Chưa đầy đủ"
    out = tmp_path / "so.csv"
    assert run("report", "--data", data, "--format", "csv", "--output", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == table

    html = tmp_path / "bao cao.html"
    assert run("report", "--data", data, "--format", "html", "--output", str(html)).exit_code == 0
    assert html.exists() and len(list((tmp_path / "bao cao-ho-so").glob("*.html"))) == 3
    assert 'href="bao cao-ho-so/0001-GTCLQG-2020-0001.html"' in html.read_text(encoding="utf-8")

    json_report = run("report", "--data", data, "--format", "json")
    assert json.loads(json_report.output) == with_identities(
        build_report("gtclqg-2020", service.store.dossiers.all()), collect(service.store, rules, service.now))
    assert run("report", "--data", data, "--format", "xlsx").exit_code == ExitCode.usage
    assert run("report", "--data", data, "--format", "html").exit_code == ExitCode.usage
    assert run("report", "--data", str(tmp_path / "none"), "--format", "xlsx", "--output",
               str(book_path)).exit_code == ExitCode.not_found
