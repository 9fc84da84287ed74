"""Invitation lists: Excel workbooks and CSV files as officers make them (a title row, Vietnamese headings, numbers
that lost their leading 0), re-imports that update and never duplicate, problems named by line, the CLI."""

from __future__ import annotations

import json
import unicodedata

import openpyxl
import pytest
from click.testing import CliRunner

from intake.campaign.calendar import invitee_keys
from intake.cli import main
from intake.errors import ExitCode
from intake.campaign.invitations import InvitationError, clean_folder, parse_rows, read_invitations
from intake.models import Invitee
from intake.store import Store

HEADINGS = ["STT", "Tên doanh nghiệp", "Mã số thuế", "Địa chỉ", "Email", "Điện thoại", "Thư mục"]


def workbook(path, rows, *, title: bool = True, cover_sheet: bool = False) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    if cover_sheet:
        sheet.title = "Hướng dẫn"
        sheet["A1"] = "Danh sách doanh nghiệp ở trang sau"
        sheet = book.create_sheet("Danh sách")
    if title:
        sheet.append(["DANH SÁCH DOANH NGHIỆP ĐƯỢC MỜI THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020"])
        sheet.append([])
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def windows_1258(text: str) -> bytes:
    """What Excel on a Vietnamese Windows saves: precomposed base letters (ê, ơ, ư, ă, â, ô, đ) and combining tone
    marks, which is how Windows-1258 spells "ệ"."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += (base + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return out


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_an_excel_list_with_a_title_row_and_numbers_excel_mangled(tmp_path):
    path = tmp_path / "moi.xlsx"
    workbook(path, [
        [1, "Công ty TNHH May Hà Bắc", 2400123456, "Lô A-1, KCN Đình Trám", "info@mayhabac.com.vn", 912345678,
         "Công ty May Hà Bắc"],
        [2, "Công ty Cổ phần Thép Hà Nội", 100109106, None, "ketoan@thep.vn; giamdoc@thep.vn", "0204 3855 123", None],
        [None, None, None, None, None, None, None],
        [3, None, "2400999999", None, "x@y.vn", None, None],
        [4, "Hợp tác xã Vải thiều", "2400555555-001", None, "không có", None, "HTX/Vải thiều"],
    ], cover_sheet=True)
    invitees, problems = read_invitations(path)
    assert [i.name for i in invitees] == ["Công ty TNHH May Hà Bắc", "Công ty Cổ phần Thép Hà Nội",
                                          "Hợp tác xã Vải thiều"]
    first, second, third = invitees
    assert (first.tax_code, first.phone, first.folder, first.email) == (
        "2400123456", "0912345678", "Công ty May Hà Bắc", "info@mayhabac.com.vn")
    assert second.tax_code == "0100109106"  # the leading 0 Excel dropped from a number
    assert second.email == "ketoan@thep.vn" and second.folder == "Công ty Cổ phần Thép Hà Nội"  # folder: the name
    assert third.tax_code == "2400555555-001" and third.folder == "HTX-Vải thiều" and third.email == ""
    assert problems == ("moi.xlsx: line 7: no enterprise name; row skipped",
                        "moi.xlsx: line 8: 'không có' is not an e-mail address; left out")


def test_a_csv_list_in_utf8_with_bom_or_windows_1258(tmp_path):
    text = "Tên doanh nghiệp;MST;Địa chỉ thư điện tử;Số điện thoại;Tên thư mục\n" \
           "Công ty TNHH Cơ khí Bắc Giang;2400111222;cokhi@bg.vn;0204 111 222;Cơ khí Bắc Giang\n"
    utf8 = tmp_path / "moi.csv"
    utf8.write_bytes(text.encode("utf-8-sig"))
    legacy = tmp_path / "moi-1258.csv"
    legacy.write_bytes(windows_1258(text))
    for path in (utf8, legacy):
        (invitee,), problems = read_invitations(path)
        assert problems == ()
        assert invitee == Invitee("Công ty TNHH Cơ khí Bắc Giang", "2400111222", "cokhi@bg.vn", "0204 111 222",
                                  "Cơ khí Bắc Giang")


def test_headings_are_recognised_without_diacritics_or_with_extra_words():
    rows = [["Ten doanh nghiep (day du)", "MA SO THUE", "E-mail", "Thư mục nộp hồ sơ", "Ghi chú"],
            ["Công ty A", "2400000001", "a@a.vn", "Cty A", "mời lần 2"]]
    (invitee,), _ = parse_rows(rows, "x.csv")
    assert (invitee.name, invitee.tax_code, invitee.email, invitee.folder) == ("Công ty A", "2400000001", "a@a.vn",
                                                                               "Cty A")
    with pytest.raises(InvitationError, match="x.csv: no heading row"):
        parse_rows([["Công ty A", "2400000001"]], "x.csv")


def test_a_repeated_tax_code_in_one_file_keeps_the_last_row():
    rows = [["Tên doanh nghiệp", "Mã số thuế"], ["Công ty A", "2400000001"], ["Công ty A (mới)", "2400000001"]]
    invitees, problems = parse_rows(rows, "x.csv")
    assert [i.name for i in invitees] == ["Công ty A (mới)"]
    assert problems == ("x.csv: line 3: same tax code as line 2; this line replaces it",)


def test_folder_names_cannot_leave_the_outbox():
    assert clean_folder("../../etc") == "..-..-etc"
    assert clean_folder("..") == "" and clean_folder(" Công ty\tA ") == "Công ty A"


def test_a_list_as_offices_really_save_it(tmp_path):
    """Audit 22: a total row became an invitee that got reminders; an Excel-saved CSV's tax code without its leading
    0 made a second invitee of a complete dossier's enterprise; "Name <address>" lost the address; a cell with two
    phone numbers conflicted with the form's; a name with ":" made a folder a Windows share cannot hold."""
    text = ("STT;Tên doanh nghiệp;MST;Email;Điện thoại\n"
            "1;Công ty Cổ phần Thực phẩm Đông Á;100109106;Nguyễn Thị Lan <lan@dongafood.vn>;979123456\n"
            "2;Tổng công ty May Bắc Giang;2400111222;may@bg.vn;0204 3854 123 - 0912 345 678\n"
            ";Tổng cộng: 2 doanh nghiệp;;;\n")
    path = tmp_path / "moi-sua.csv"
    path.write_bytes(windows_1258(text))
    invitees, problems = read_invitations(path)
    assert [(i.name, i.tax_code, i.email, i.phone) for i in invitees] == [
        ("Công ty Cổ phần Thực phẩm Đông Á", "0100109106", "lan@dongafood.vn", "0979123456"),
        ("Tổng công ty May Bắc Giang", "2400111222", "may@bg.vn", "0204 3854 123")]  # "Tổng công ty" is a name
    assert problems == ("moi-sua.csv: line 4: 'Tổng cộng: 2 doanh nghiệp' is a total row, not an enterprise; "
                        "row skipped",)
    assert clean_folder('Công ty A: "B" <C>?') == "Công ty A- -B- -C-"


def test_reimporting_updates_and_never_duplicates(tmp_path):
    store = Store(tmp_path / "intake.db")
    from conftest import BEFORE_DEADLINE as at

    try:
        first = [Invitee("Công ty A", "", "a@a.vn", folder="Công ty A"), Invitee("Công ty B", "2400000002")]
        assert store.campaign.save_invitees([(invitee_keys(i), i) for i in first], at) == (2, 0, 0)
        # Again, with a tax code now known for A (found by its folder), B unchanged, C new.
        second = [Invitee("Công ty A", "2400000001", "a@a.vn", folder="Công ty A"), Invitee("Công ty B", "2400000002"),
                  Invitee("Công ty C", "2400000003")]
        assert store.campaign.save_invitees([(invitee_keys(i), i) for i in second], at) == (1, 1, 1)
        assert store.campaign.save_invitees([(invitee_keys(i), i) for i in second], at) == (0, 0, 3)
        assert [(i.name, i.tax_code) for i in store.campaign.invitees()] == [
            ("Công ty A", "2400000001"), ("Công ty B", "2400000002"), ("Công ty C", "2400000003")]
    finally:
        store.close()


def test_the_invite_command(tmp_path):
    data = tmp_path / "data"
    path = tmp_path / "Danh sách mời.xlsx"
    workbook(path, [[1, "Công ty A", "2400000001", "", "a@a.vn", "", "Công ty A"],
                    [2, "Công ty B", "2400000002", "", "sai địa chỉ", "", ""]])
    result = run("invite", str(path), "--data", str(data), "--now", "2020-03-20T10:00:00")
    assert result.exit_code == 0, result.output
    assert "2 invited enterprises read: 2 new, 0 updated, 0 unchanged; 2 on the invitation list" in result.output
    assert "line 5: 'sai địa chỉ' is not an e-mail address" in result.output  # the warning, on stderr

    csv_path = tmp_path / "bo-sung.csv"
    csv_path.write_text("Tên doanh nghiệp,Mã số thuế,Email\nCông ty B,2400000002,b@b.vn\nCông ty C,2400000003,\n",
                        encoding="utf-8")
    result = run("invite", str(csv_path), "--data", str(data), "--now", "2020-03-25T10:00:00")
    assert "2 invited enterprises read: 1 new, 1 updated, 0 unchanged; 3 on the invitation list" in result.output
    store = Store(data / "intake.db")
    try:
        stored = {i.name: i for i in store.campaign.invitees()}
        assert stored["Công ty B"].email == "b@b.vn"
        assert stored["Công ty A"].imported_at.isoformat() == "2020-03-20T10:00:00+07:00"
        events = [json.dumps(e, ensure_ascii=False) for e in store.db["events"].rows]
        assert sum("invitations_imported" in e for e in events) == 2
    finally:
        store.close()

    assert run("invite", str(tmp_path / "none.xlsx"), "--data", str(data)).exit_code == ExitCode.not_found
    other = tmp_path / "moi.pdf"
    other.write_bytes(b"%PDF-1.4")
    assert run("invite", str(other), "--data", str(data)).exit_code == ExitCode.usage
    broken = tmp_path / "hỏng.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    result = run("invite", str(broken), "--data", str(data))
    assert result.exit_code == ExitCode.usage and "not a readable Excel workbook" in result.output


def test_tax_codes_are_read_as_the_registration_forms_are():
    rows = [["Tên doanh nghiệp", "Mã số thuế"], ["Công ty A", "2400 123 456"], ["Công ty B", "2400123456001"],
            ["Công ty C", "24001"]]
    invitees, problems = parse_rows(rows, "x.csv")
    assert [i.tax_code for i in invitees] == ["2400123456", "2400123456-001", "24001"]
    assert problems == ("x.csv: line 4: '24001' is not a tax code (10 digits, or 10-3 for a branch)",)
