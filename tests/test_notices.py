"""Notices: which are due, their dates, what they say (DOCX read back with python-docx), the registration form's
contact, the [notices] rules, and the outbox the pipeline fills."""

from __future__ import annotations

import copy
import dataclasses
import io
import random
import shutil
import tomllib
from datetime import date, datetime
from pathlib import Path

import docx
import dossiers
import pytest
from conftest import AFTER_DEADLINE, BEFORE_DEADLINE, TZ, Service
from hypothesis import given, settings
from hypothesis import strategies as st
from docx.oxml.ns import qn
from pypdf import PdfWriter

from intake.judging.contacts import parse_contacts
from intake.judging.fields import read_registration
from intake.errors import ConfigError, RulesError
from intake.judging.models import Contact
from intake.models import Deficiency, Match, Verdict
from intake.notices.forms import (
    FORMS,
    STATUS_KINDS,
    add_working_days,
    build_notice,
    deficiency_hash,
    email_text,
    plan_notices,
    render_notice,
    supplement_by,
    vn_date,
)
from intake.pipeline import notify
from intake.judging.rules import DEFAULT_RULES, parse_rules

CONTACT = Contact("Công ty Cổ phần May Bắc Giang", "Lô A-3, Khu công nghiệp Đình Trám, huyện Việt Yên, tỉnh Bắc Giang",
                  "0204 3661 234", "vanphong@maybacgiang.com.vn", "Nguyễn Văn Hùng")


def document_text(source) -> str:
    """Every paragraph of a DOCX, tables included (cell by cell), one per line."""
    document = docx.Document(source if not isinstance(source, bytes) else io.BytesIO(source))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    return "\n".join(lines)


def table_rows(source) -> list[list[str]]:
    document = docx.Document(source if not isinstance(source, bytes) else io.BytesIO(source))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def verdict(*deficiencies: Deficiency, late: bool = False, documents=None) -> Verdict:
    blocking = any(d.code.startswith("missing") for d in deficiencies)
    return Verdict("incomplete" if blocking else "complete", late,
                   documents=documents if documents is not None else {"registration_form": ("Đơn đăng ký.pdf",)},
                   deficiencies=tuple(deficiencies))


MISSING_TAX = Deficiency("missing_document", "Thiếu thành phần hồ sơ: Xác nhận kết quả thực hiện nghĩa vụ thuế và chế "
                         "độ bảo hiểm xã hội đối với người lao động hằng năm.", document="tax_insurance")
ENV_2017 = Deficiency("missing_years", "Thiếu kết quả quan trắc môi trường năm 2017.", document="environment")
LOCKED = Deficiency("unreadable_file", "Tệp «Thuế BHXH.pdf»: tệp PDF được bảo vệ bằng mật khẩu.", file="Thuế BHXH.pdf")
LATE = Deficiency("late_submission", "Hồ sơ được tiếp nhận lúc 08:00 ngày 02/07/2020, sau thời hạn tiếp nhận.")


# ---- dates ----------------------------------------------------------------------------------------------


def test_working_days_skip_weekends_and_holidays(rules):
    assert add_working_days(date(2020, 6, 12), 1) == date(2020, 6, 15)  # Friday → Monday
    assert add_working_days(date(2020, 4, 29), 1, rules.notices.holidays) == date(2020, 5, 4)  # 30/4, 1/5 off
    assert add_working_days(date(2020, 8, 31), 2, rules.notices.holidays) == date(2020, 9, 3)  # 2/9 off


def test_the_date_to_supplement_never_passes_the_deadline(rules):
    assert supplement_by(datetime(2020, 6, 10, 16, 0, tzinfo=TZ), rules) == date(2020, 6, 17)
    assert supplement_by(datetime(2020, 6, 25, 9, 0, tzinfo=TZ), rules) == date(2020, 6, 30)
    # A late dossier that is received anyway still gets its working days.
    assert supplement_by(datetime(2020, 7, 2, 8, 0, tzinfo=TZ), rules) == date(2020, 7, 9)
    longer = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, supplement_working_days=10))
    assert supplement_by(datetime(2020, 6, 1, 9, 0, tzinfo=TZ), longer) == date(2020, 6, 15)


def test_dates_are_written_as_nghi_dinh_30_wants():
    assert vn_date(date(2020, 6, 15)) == "ngày 15 tháng 6 năm 2020"
    assert vn_date(date(2020, 2, 5)) == "ngày 05 tháng 02 năm 2020"


# ---- which notices are due ------------------------------------------------------------------------------


def test_the_notices_of_a_dossier_over_its_life(rules):
    incomplete = verdict(MISSING_TAX, ENV_2017)
    assert [k for k, _ in plan_notices(incomplete, [], rules)] == ["acknowledgement", "deficiency"]
    made = plan_notices(incomplete, [], rules)
    assert plan_notices(incomplete, made, rules) == []
    partly = verdict(ENV_2017)
    assert plan_notices(partly, made, rules) == [("deficiency", deficiency_hash(partly.deficiencies))]
    made += plan_notices(partly, made, rules)
    complete = verdict()
    assert [k for k, _ in plan_notices(complete, made, rules)] == ["receipt"]  # Mẫu 01 once it is complete
    made += plan_notices(complete, made, rules)
    # Complete, then a file that breaks it, then complete again: each change of standing is told once.
    assert [k for k, _ in plan_notices(verdict(LOCKED, MISSING_TAX), made, rules)] == ["deficiency"]
    assert [k for k, _ in plan_notices(complete, made + [("deficiency", "x")], rules)] == ["complete"]


def test_complete_at_first_sight_gets_an_acknowledgement_and_the_receipt(rules):
    assert [k for k, _ in plan_notices(verdict(), [], rules)] == ["acknowledgement", "receipt"]


def test_the_forms_are_settings_of_the_rule_file(rules):
    def with_notices(**changes):
        return dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, **changes))
    first = with_notices(receipt="first")  # the behaviour before: Mẫu 01 at once, then the status notice
    assert [k for k, _ in plan_notices(verdict(MISSING_TAX), [], first)] == ["receipt", "deficiency"]
    assert [k for k, _ in plan_notices(verdict(), [], first)] == ["receipt", "complete"]
    quiet = with_notices(acknowledgement=False)
    assert [k for k, _ in plan_notices(verdict(MISSING_TAX), [], quiet)] == ["deficiency"]
    assert [k for k, _ in plan_notices(verdict(), [], quiet)] == ["receipt"]
    # A dossier given Mẫu 01 by an older version gets no acknowledgement now.
    assert [k for k, _ in plan_notices(verdict(MISSING_TAX), [("receipt", "h")], rules)] == ["deficiency"]


def test_a_late_dossier_is_refused_only_when_the_rules_say_so(rules):
    late = verdict(MISSING_TAX, LATE, late=True)
    assert [k for k, _ in plan_notices(late, [], rules)] == ["acknowledgement", "deficiency"]
    refusing = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, refuse_late=True))
    assert [k for k, _ in plan_notices(late, [], refusing)] == ["refusal"]
    assert plan_notices(late, [("refusal", "h")], refusing) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([(), (MISSING_TAX,), (ENV_2017,), (LOCKED,), (MISSING_TAX, LOCKED)]),
                          st.booleans()), min_size=1, max_size=8), st.booleans())
def test_planning_is_idempotent_and_never_repeats_a_receipt(rules, history, refuse):
    ruleset = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, refuse_late=refuse))
    made: list[tuple[str, str]] = []
    late = history[0][1]  # lateness is fixed by the first receipt
    for deficiencies, _ in history:
        v = verdict(*deficiencies, late=late)
        made += plan_notices(v, made, ruleset)
        assert plan_notices(v, made, ruleset) == []  # planning again right away adds nothing
    kinds = [k for k, _ in made]
    assert kinds.count("acknowledgement") + kinds.count("refusal") == 1 and kinds.count("receipt") <= 1
    assert (kinds == ["refusal"]) == (late and refuse)
    status = [m for m in made if m[0] in STATUS_KINDS + ("receipt",)]  # Mẫu 01 says "complete" by default
    assert all(a != b for a, b in zip(status, status[1:]))  # a status notice only when the standing changed


# ---- the enterprise's contact ---------------------------------------------------------------------------


def test_the_registration_forms_fields_are_read():
    text = "\n".join([
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
        "Tên doanh nghiệp: Công ty TNHH Thép Hà Bắc",
        "Địa chỉ: Số 12, đường Hùng Vương, phường Ngô Quyền, thành phố Bắc Giang,",
        "tỉnh Bắc Giang",
        "Điện thoại: 0204 3855 123    E-mail: kinhdoanh@thephabac.com.vn.",
        "Người đại diện theo pháp luật: Trần Đức Long",
    ])
    form = read_registration(text)
    assert {n: form.value(n) for n in ("enterprise", "address", "phone", "email", "representative")} == {
        "enterprise": "Công ty TNHH Thép Hà Bắc",
        "address": "Số 12, đường Hùng Vương, phường Ngô Quyền, thành phố Bắc Giang, tỉnh Bắc Giang",
        "phone": "0204 3855 123", "email": "kinhdoanh@thephabac.com.vn", "representative": "Trần Đức Long"}
    assert all(read_registration("").value(n) == "" for n in ("enterprise", "email", "phone", "tax_code"))
    # The labelled address wins over any other address on the page.
    assert read_registration("Liên hệ: a@b.vn\nThư điện tử: giamdoc@congty.vn").value("email") == "giamdoc@congty.vn"


def test_a_contacts_file_is_checked_line_by_line():
    assert parse_contacts("folder,email\nCông ty A,a@a.vn\n\nCông ty B,b@b.com.vn\n", "x.csv") == {
        "Công ty A": "a@a.vn", "Công ty B": "b@b.com.vn"}
    with pytest.raises(ConfigError, match="x.csv: line 3"):
        parse_contacts("folder,email\nCông ty A,a@a.vn\nCông ty B,b@\n", "x.csv")


# ---- the rule file ----------------------------------------------------------------------------------------


@pytest.fixture
def raw():
    return tomllib.loads(DEFAULT_RULES.read_text(encoding="utf-8"))


def test_rule_files_without_a_notices_table_stay_valid(raw):
    data = copy.deepcopy(raw)
    del data["notices"]
    for key in ("address", "phone", "email", "abbreviation"):
        del data["agency"][key]
    older = parse_rules(data, "old.toml")
    assert older.notices.supplement_working_days == 5 and older.notices.refuse_late is False
    assert older.agency.abbreviation == ""


def test_the_2020_rules_sign_and_date_notices(rules):
    n = rules.notices
    assert (n.supplement_working_days, n.refuse_late, n.result_due) == (5, False, date(2020, 8, 30))
    assert n.signer_title == ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG") and n.officer and n.signer_name
    assert date(2020, 9, 2) in n.holidays and rules.agency.abbreviation == "TĐC"


@pytest.mark.parametrize("key, value, words", [
    ("supplement_working_days", 0, "at least 1"),
    ("refuse_late", "no", "boolean"),
    ("holidays", ["2020-09-02"], "dates"),
    ("refusal_reason", "Nộp sau {han}", "{deadline}"),
    ("signer_title", [""], "non-empty"),
])
def test_notice_rule_errors_name_the_key(raw, key, value, words):
    data = copy.deepcopy(raw)
    data["notices"][key] = value
    with pytest.raises(RulesError) as excinfo:
        parse_rules(data, "rules/test.toml")
    assert f"rules/test.toml: notices.{key}:" in str(excinfo.value) and words in str(excinfo.value)


# ---- what the documents say -------------------------------------------------------------------------------


def notice_of(kind, rules, v, **kw):
    values = dict(number=f"03/{FORMS[kind].symbol}-TĐC", receipt_no="GTCLQG-2020-0003", register_no=3,
                  contact=CONTACT, received_at=BEFORE_DEADLINE, verdict=v, issued_at=BEFORE_DEADLINE, rules=rules)
    values.update(kw)
    return build_notice(kind, **values)


def assert_administrative_header(text: str, rules, number: str, day: str) -> None:
    for line in (rules.agency.parent, rules.agency.name, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", f"Số: {number}", f"Bắc Giang, {day}"):
        assert line in text, line


def assert_times_new_roman(document) -> None:
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in document.paragraphs for r in p.runs] + [
        r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}


ENV_2018 = Deficiency("missing_years", "Thiếu kết quả quan trắc môi trường năm 2018.", document="environment")
CRITERION_6 = Deficiency("missing_criteria", "Báo cáo tự đánh giá theo 07 tiêu chí của GTCLQG chưa đề cập tiêu chí 6: "
                         "Quản lý quá trình hoạt động.", document="self_assessment")
ZIPPED = Deficiency("unsupported_format", "Tệp «Phu luc.zip»: tệp nén không được tiếp nhận; đề nghị nộp trực tiếp "
                    "từng tệp PDF, DOCX hoặc ảnh.", file="Phu luc.zip")
DOCUMENTS = {"registration_form": ("Đơn đăng ký.pdf",), "environment": ("Ho so moi truong.pdf#p2-4",),
             "self_assessment": ("Tu danh gia.docx",)}


def test_the_deficiency_notice_has_one_actionable_row_per_component(rules):
    v = verdict(ENV_2017, ENV_2018, CRITERION_6, MISSING_TAX, LOCKED, ZIPPED, LATE, late=True, documents=DOCUMENTS)
    content = render_notice(notice_of("deficiency", rules, v, folder="Công ty May Bắc Giang"), rules)
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (148, 210)  # A5, as Mẫu 02 is
    assert_times_new_roman(document)
    text = document_text(content)
    assert_administrative_header(text, rules, "03/PYCBS-TĐC", "ngày 15 tháng 6 năm 2020")
    for needed in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Mã hồ sơ: GTCLQG-2020-0003", CONTACT.enterprise,
                   CONTACT.address, CONTACT.phone, CONTACT.email, rules.campaign.procedure, "2.001269",
                   "09 giờ 30 phút, ngày 15/6/2020", "chậm nhất ngày 22 tháng 6 năm 2020", rules.agency.contact,
                   "thư mục «Công ty May Bắc Giang»", "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)",
                   rules.notices.officer, "sau thời hạn tiếp nhận hồ sơ", rules.notices.late_treatment):
        assert needed in text, needed
    listed = [row for row in table_rows(content) if row[0].isdigit()]
    assert [r[0] for r in listed] == ["1", "2", "3", "4"]  # numbered; lateness is no thing to supplement
    assert [r[1] for r in listed] == ["Báo cáo tự đánh giá theo 07 tiêu chí",
                                      "Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)",
                                      "Xác nhận nghĩa vụ thuế và bảo hiểm xã hội",
                                      "Tệp «Phu luc.zip» (chưa xác định thành phần)"]
    criteria, environment, tax, zipped = listed
    assert criteria[2] == "«Tu danh gia.docx»"
    assert "Chưa đề cập tiêu chí 6 (quản lý quá trình hoạt động) trong «Tu danh gia.docx»" in criteria[3]
    assert environment[2] == "«Ho so moi truong.pdf (trang 2–4)»"  # page ranges as a person reads them
    assert ("Không tìm thấy kết quả quan trắc môi trường các năm 2017 và 2018 trong «Ho so moi truong.pdf (trang "
            "2–4)»" in environment[3])
    assert "Đề nghị: Bổ sung kết quả quan trắc môi trường các năm 2017 và 2018." in environment[3]
    # The locked file is the missing component's: one row says it cannot be read, why, and to send it again.
    assert tax[2] == "«Thuế BHXH.pdf»" and "Chưa có" not in tax[3]
    assert "Tệp «Thuế BHXH.pdf» không đọc được vì tệp PDF được bảo vệ bằng mật khẩu" in tax[3]
    assert "Gửi lại tệp «Thuế BHXH.pdf» dưới dạng PDF hoặc DOCX" in tax[3]
    assert "tệp nén không được tiếp nhận" in zipped[3]
    assert "Nộp trực tiếp từng tệp PDF, DOCX hoặc ảnh (thay cho tệp «Phu luc.zip»)." in zipped[3]
    for row in listed:  # each row: its component, the file concerned, what to send
        assert row[1] and row[2] and "Đề nghị: " in row[3], row


def test_a_missing_component_is_asked_for_by_name(rules):
    rows = [r for r in table_rows(render_notice(notice_of("deficiency", rules, verdict(MISSING_TAX)), rules))
            if r[0].isdigit()]
    assert rows == [["1", "Xác nhận nghĩa vụ thuế và bảo hiểm xã hội", "Chưa nhận",
                     "Chưa có trong hồ sơ đã nộp.\nĐề nghị: Nộp xác nhận nghĩa vụ thuế và bảo hiểm xã hội (tệp PDF, "
                     "DOCX hoặc ảnh quét)."]]


def test_the_receipt_lists_components_and_their_files(rules):
    documents = {"self_assessment": ("Ho so.pdf#p3-5",), "registration_form": ("Đơn đăng ký.pdf",),
                 "environment": ("Quan trắc 2017.pdf", "Quan trắc 2018-2019.pdf")}
    v = dataclasses.replace(verdict(MISSING_TAX, documents=documents),
                            matches=(Match("Công văn.pdf", 1, 1, 1, None, 0.0),))
    content = render_notice(notice_of("receipt", rules, v), rules)
    document = docx.Document(io.BytesIO(content))
    assert round(document.sections[0].page_width.mm) == 148
    assert_times_new_roman(document)
    text = document_text(content)
    assert_administrative_header(text, rules, "03/TNHS-TĐC", "ngày 15 tháng 6 năm 2020")
    for needed in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: GTCLQG-2020-0003",
                   f"Tiếp nhận hồ sơ của: {CONTACT.enterprise}", f"Địa chỉ: {CONTACT.address}", CONTACT.email,
                   "3. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 15/6/2020.",
                   "chậm nhất ngày 28 tháng 8 năm 2020",  # 30/8 is a Sunday
                   rules.notices.result_method, "Quyển số: 01/2020, Số thứ tự: 3", "Công văn.pdf",
                   "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "NGƯỜI TIẾP NHẬN HỒ SƠ", rules.notices.officer,
                   "(Liên: Lưu/giao tổ chức, doanh nghiệp)", "NGƯỜI NỘP HỒ SƠ"):  # as TT 01/2018's form (audit 43)
        assert needed in text, needed
    listed = [row for row in table_rows(content) if row[0].isdigit()]
    assert listed == [  # official order, whatever order the verdict has
        ["1", "Đơn đăng ký tham dự", "Đơn đăng ký.pdf"],
        ["2", "Báo cáo tự đánh giá theo 07 tiêu chí", "Ho so.pdf (trang 3–5)"],
        ["3", "Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)", "Quan trắc 2017.pdf; Quan trắc 2018-2019.pdf"],
    ]


def test_the_complete_notice_is_a_signed_letter(rules):
    remark = Deficiency("unsupported_format", "Tệp «Bang tinh.xlsx»: bảng tính Excel không được tiếp nhận.",
                        file="Bang tinh.xlsx")
    v = verdict(remark, documents={c.id: (f"{c.id}.pdf",) for c in rules.components})
    content = render_notice(notice_of("complete", rules, v), rules)
    document = docx.Document(io.BytesIO(content))
    assert round(document.sections[0].page_width.mm) == 210  # a letter: A4
    text = document_text(content)
    assert_administrative_header(text, rules, "03/TB-TĐC", "ngày 15 tháng 6 năm 2020")
    for needed in ("THÔNG BÁO", "đã đầy đủ", f"Kính gửi: {CONTACT.enterprise}", rules.notices.complete_text,
                   "GTCLQG-2020-0003", *(c.title for c in rules.components), "Bảng tính Excel không được tiếp nhận",
                   "Nơi nhận:", *rules.notices.copies_to, *rules.notices.signer_title, rules.notices.signer_name):
        assert needed in text, needed


def test_the_refusal_gives_the_reason_and_the_deadline(rules):
    refusing = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, refuse_late=True))
    notice = notice_of("refusal", refusing, verdict(LATE, late=True), received_at=AFTER_DEADLINE,
                       issued_at=AFTER_DEADLINE)
    content = render_notice(notice, refusing)
    assert round(docx.Document(io.BytesIO(content)).sections[0].page_width.mm) == 148
    text = document_text(content)
    assert_administrative_header(text, rules, "03/PTC-TĐC", "ngày 02 tháng 7 năm 2020")
    for needed in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", CONTACT.enterprise, "08 giờ 00 phút, ngày 02/7/2020",
                   "không tiếp nhận, giải quyết hồ sơ", "sau thời hạn tiếp nhận",
                   "(23 giờ 59 phút, ngày 30/6/2020)", "NGƯỜI TIẾP NHẬN HỒ SƠ"):
        assert needed in text, needed


def test_names_from_the_shared_folder_are_only_ever_text(rules):
    """Enterprise and file names come from a shared folder: markup in them is printed as typed, spaces at either
    end are kept, a tab or a line break is written as Word writes one (w:tab, w:br), never as markup."""
    name = '  Công ty <w:b/>&amp; "Bắc"\tGiang\nXanh ]]> '
    file, other = " <w:t>Đơn</w:t> & ký .pdf ", "Công văn <i>\t.pdf"
    v = dataclasses.replace(verdict(documents={"registration_form": (file,)}),
                            matches=(Match(other, 1, 1, 1, None, 0.0),))
    contact = dataclasses.replace(CONTACT, enterprise=name)
    receipt = render_notice(notice_of("receipt", rules, v, contact=contact), rules)
    letter = render_notice(notice_of("complete", rules, v, contact=contact), rules)
    assert f"Tiếp nhận hồ sơ của: {name}" in document_text(receipt)
    assert f"Kính gửi: {name}" in document_text(letter)
    assert ["1", "Đơn đăng ký tham dự", file] in table_rows(receipt)
    assert f"Tệp khác đã nhận (không phải thành phần hồ sơ): {other}." in document_text(receipt)
    for content in (receipt, letter):  # runs hold their properties, text, tabs and breaks: no markup got in
        body = docx.Document(io.BytesIO(content)).element.body
        assert {child.tag for run in body.iter(qn("w:r")) for child in run} <= {
            qn(f"w:{tag}") for tag in ("rPr", "t", "tab", "br")}


def test_a_control_character_in_a_name_becomes_a_space(rules):
    """A name read from a PDF's text layer may carry control characters XML cannot hold (lxml would refuse the
    whole notice): each is printed as a space, the rest of the name as read."""
    name = "Công ty\x0bXanh\x01 Bắc Giang\x1f"
    contact = dataclasses.replace(CONTACT, enterprise=name)
    receipt = render_notice(notice_of("receipt", rules, verdict(), contact=contact), rules)
    assert "Tiếp nhận hồ sơ của: Công ty Xanh  Bắc Giang " in document_text(receipt)


SCHEMA_ORDER = {
    "w:pPr": ("w:keepNext", "w:pBdr", "w:spacing", "w:ind", "w:jc"),
    "w:rPr": ("w:rFonts", "w:b", "w:i", "w:sz"),
    "w:tblPr": ("w:tblStyle", "w:tblW", "w:jc", "w:tblBorders", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
}
"""The properties notices write, in the order their schema sequences (CT_PPr, CT_RPr, CT_TblPr) have them."""


def test_properties_are_written_in_schema_order(rules):
    """Word may reject as unreadable content a document whose property elements are out of the schema's order."""
    v = realistic(ENV_2017, MISSING_TAX, LOCKED)
    for kind in ("acknowledgement", "receipt", "deficiency", "complete", "refusal"):
        body = docx.Document(io.BytesIO(render_notice(notice_of(kind, rules, v), rules))).element.body
        for tag, order in SCHEMA_ORDER.items():
            rank = {qn(name): i for i, name in enumerate(order)}
            for properties in body.iter(qn(tag)):
                ranks = [rank[child.tag] for child in properties]  # KeyError: a property the order does not know
                assert ranks == sorted(ranks), (kind, tag, [child.tag for child in properties])


def test_the_email_text_says_what_the_document_says(rules):
    notice = notice_of("deficiency", rules, verdict(ENV_2017, LOCKED))
    subject, body = email_text(notice, rules)
    assert subject == "[GTCLQG-2020-0003] Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ - Giải thưởng Chất lượng Quốc " \
                      "gia năm 2020"
    assert body.startswith(f"Kính gửi: {CONTACT.enterprise}")
    assert "chậm nhất ngày 22 tháng 6 năm 2020" in body and rules.agency.contact in body
    assert "Không tìm thấy kết quả quan trắc môi trường năm 2017" in body and "Gửi lại tệp «Thuế BHXH.pdf»" in body


# ---- the outbox the pipeline fills ------------------------------------------------------------------------


def write(service: Service, folder: str, seed: int, **kwargs) -> dossiers.Enterprise:
    rng = random.Random(seed)
    enterprise = dossiers.make_enterprise(rng)
    kwargs.setdefault("formats", {"*": "pdf", "company_profile": "docx"})
    dossiers.write_dossier(service.inbox / folder, enterprise, rng, **kwargs)
    return enterprise


def outbox_files(service: Service, folder: str) -> list[str]:
    return sorted(p.name for p in (service.settings.outbox / folder).glob("*.docx"))


def test_a_deficient_dossier_gets_an_acknowledgement_and_a_precise_request(service, tmp_path):
    folder = "Công ty Thiếu nhiều"
    enterprise = write(service, folder, 31, omit=("quality_system",), env_years=(2018, 2019), criteria=(1, 2, 3, 5, 6, 7))
    rng = random.Random(32)
    source = tmp_path / "thue.pdf"
    dossiers.write_digital_pdf(source, dossiers.component_pages("tax_insurance", dossiers.make_enterprise(rng), rng))
    locked = PdfWriter(clone_from=str(source))
    locked.encrypt(user_password="1234", owner_password="x", algorithm="AES-128")
    locked.write(service.inbox / folder / "Thuế BHXH có mật khẩu.pdf")
    # A byte-identical copy under another name: counted once, but received, so listed on the acknowledgement.
    first = sorted(p for p in (service.inbox / folder).iterdir() if p.suffix == ".pdf")[0]
    (service.inbox / folder / f"Bản sao - {first.name}").write_bytes(first.read_bytes())
    service.scan()
    report = service.report()[folder]
    assert report["status"] == "incomplete"
    assert outbox_files(service, folder) == ["GTCLQG-2020-0001-01-bien-nhan.docx",
                                             "GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx"]
    assert [(n["kind"], n["state"], n["number"]) for n in service.store.outbox.notice_listing()] == [
        ("acknowledgement", "written", "01/BNHS-TĐC"), ("deficiency", "written", "01/PYCBS-TĐC")]

    request = service.settings.outbox / folder / "GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx"
    text = document_text(request)
    for needed in (enterprise.name, enterprise.address, enterprise.email, "Mã hồ sơ: GTCLQG-2020-0001",
                   "chậm nhất ngày 22 tháng 6 năm 2020", "Bắc Giang, ngày 15 tháng 6 năm 2020"):
        assert needed in text, needed
    asked = [d for d in report["deficiencies"] if d["code"] != "late_submission"]
    assert {d["code"] for d in asked} >= {"missing_document", "missing_criteria", "missing_years", "unreadable_file"}
    listed = [row for row in table_rows(request) if row[0].isdigit()]
    rules = service.ctx.rules
    by_name = {row[1]: row for row in listed}
    assert set(by_name) == {"Báo cáo tự đánh giá theo 07 tiêu chí", "Chứng chỉ hệ thống quản lý chất lượng",
                            "Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)"} | (
        {"Tệp «Thuế BHXH có mật khẩu.pdf» (chưa xác định thành phần)"} if "Tệp «Thuế BHXH có mật khẩu.pdf» (chưa "
        "xác định thành phần)" in by_name else {"Xác nhận nghĩa vụ thuế và bảo hiểm xã hội"})
    assert "năm 2017" in by_name["Hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)"][3]
    assert "tiêu chí 4" in by_name["Báo cáo tự đánh giá theo 07 tiêu chí"][3]
    assert by_name["Chứng chỉ hệ thống quản lý chất lượng"][2] == "Chưa nhận"
    assert any("Tệp «Thuế BHXH có mật khẩu.pdf» không đọc được vì tệp PDF được bảo vệ bằng mật khẩu" in row[3]
               and "Gửi lại tệp «Thuế BHXH có mật khẩu.pdf»" in row[3] for row in listed)
    for row in listed:  # what was received names the file checked
        assert row[2] and "Đề nghị: " in row[3], row
    assert f"thư mục «{folder}»" in text

    acknowledgement = document_text(service.settings.outbox / folder / outbox_files(service, folder)[0])
    for needed in ("GIẤY BIÊN NHẬN HỒ SƠ", enterprise.name, "09 giờ 30 phút, ngày 15/6/2020",
                   "Thuế BHXH có mật khẩu.pdf", *(f.name for f in (service.inbox / folder).iterdir())):
        assert needed in acknowledgement, needed
    assert rules.component("quality_system").title not in acknowledgement


def test_supplements_bring_a_new_request_then_the_notice_that_it_is_complete(service):
    folder = "Công ty Bổ sung dần"
    enterprise = write(service, folder, 33, omit=("environment", "tax_insurance"))
    service.scan()
    service.now = datetime(2020, 6, 18, 10, 0, tzinfo=TZ)
    rng = random.Random(34)
    dossiers.write_digital_pdf(service.inbox / folder / "Bổ sung môi trường.pdf",
                               dossiers.component_pages("environment", dossiers.make_enterprise(rng), rng))
    service.scan()
    # What came is acknowledged first (audits 13, 27), then the request it changes.
    acknowledged = document_text(service.settings.outbox / folder / "GTCLQG-2020-0001-03-bien-nhan-bo-sung.docx")
    assert "GIẤY BIÊN NHẬN HỒ SƠ BỔ SUNG" in acknowledged and "Bổ sung môi trường.pdf" in acknowledged
    assert "Thời gian nhận hồ sơ bổ sung: 10 giờ 00 phút, ngày 18/6/2020" in acknowledged
    assert "Đơn đăng ký" not in acknowledged  # only what came since the last acknowledgement
    second = service.settings.outbox / folder / "GTCLQG-2020-0001-04-yeu-cau-bo-sung.docx"
    text = document_text(second)
    assert "Số: 02/PYCBS-TĐC" in text and "Báo cáo đánh giá tác động môi trường" not in text
    assert "chậm nhất ngày 25 tháng 6 năm 2020" in text
    # It names the request it replaces, the one the enterprise holds (audit 13); the first names none.
    first = service.store.outbox.all()[1]
    day = datetime.fromisoformat(first["created_at"]).astimezone(TZ)
    replaces = ("Phiếu này thay thế Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ số 01/PYCBS-TĐC "
                f"ngày {day:%d}/{day.month}/2020.")
    assert replaces in text and replaces in service.store.outbox.all()[3]["body"]
    first_request = service.settings.outbox / folder / "GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx"
    assert "thay thế" not in document_text(first_request)

    service.now = datetime(2020, 6, 29, 15, 0, tzinfo=TZ)
    dossiers.write_digital_pdf(service.inbox / folder / "Bổ sung thuế.pdf",  # its own: its tax code (test_holder)
                               dossiers.component_pages("tax_insurance", enterprise, rng))
    service.scan()
    assert service.report()[folder]["status"] == "complete"
    assert outbox_files(service, folder) == [
        "GTCLQG-2020-0001-01-bien-nhan.docx", "GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx",
        "GTCLQG-2020-0001-03-bien-nhan-bo-sung.docx", "GTCLQG-2020-0001-04-yeu-cau-bo-sung.docx",
        "GTCLQG-2020-0001-05-bien-nhan-bo-sung.docx", "GTCLQG-2020-0001-06-giay-tiep-nhan.docx"]
    done = document_text(service.settings.outbox / folder / "GTCLQG-2020-0001-06-giay-tiep-nhan.docx")
    assert "Bắc Giang, ngày 29 tháng 6 năm 2020" in done and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in done
    assert "Phiếu yêu cầu bổ sung" not in done  # Mẫu 01 for a complete dossier
    # Received in full when the file that completed it came (NĐ 61 Điều 19; audit 27), first received before.
    assert ("3. Thời gian nhận hồ sơ: 15 giờ 00 phút, ngày 29/6/2020 (hồ sơ đầy đủ; nộp lần đầu lúc 09 giờ 30 phút, "
            "ngày 15/6/2020).") in done

    before = service.store.db["notices"].count
    service.scan()
    service.now = datetime(2020, 6, 30, 9, 0, tzinfo=TZ)
    service.scan()
    assert service.store.db["notices"].count == before


def test_a_supplement_that_changes_nothing_is_acknowledged_and_a_late_one_says_it_is_not_counted(service):
    """Audit 27: a file sent to supplement that changed no deficiency got no word at all, nor did one after the
    deadline: the enterprise believed it had supplemented."""
    folder = "Công ty Bổ sung chưa đủ"
    write(service, folder, 37, omit=("tax_insurance",))
    service.scan()
    rng = random.Random(38)
    service.now = datetime(2020, 6, 17, 14, 5, tzinfo=TZ)
    dossiers.write_digital_pdf(service.inbox / folder / "Thuế 2017 bổ sung.pdf", [["Ghi chú của doanh nghiệp"]])
    service.scan()
    kinds = [n["kind"] for n in service.store.outbox.all()]
    assert kinds == ["acknowledgement", "deficiency", "supplement"]  # no new request: nothing it asks changed
    said = document_text(service.settings.outbox / folder / "GTCLQG-2020-0001-03-bien-nhan-bo-sung.docx")
    assert "Thuế 2017 bổ sung.pdf" in said and "14 giờ 05 phút, ngày 17/6/2020" in said
    # It says the request in force stands, instead of promising an answer that would never come (audit 43).
    number = service.store.outbox.all()[1]["number"]
    assert (f"Các tệp này không làm thay đổi nội dung cần bổ sung, hoàn thiện hồ sơ: Phiếu yêu cầu bổ sung, hoàn "
            f"thiện hồ sơ số {number} ngày") in said and "kết quả được thông báo" not in said
    service.now = datetime(2020, 7, 1, 8, 30, tzinfo=TZ)
    dossiers.write_digital_pdf(service.inbox / folder / "Xác nhận thuế.pdf",
                               dossiers.component_pages("tax_insurance", dossiers.make_enterprise(rng), rng))
    service.scan()
    assert [n["kind"] for n in service.store.outbox.all()][3:] == ["supplement"]
    late = document_text(service.settings.outbox / folder / "GTCLQG-2020-0001-04-bien-nhan-bo-sung.docx")
    assert ("Các tệp sau được nhận sau thời hạn tiếp nhận hồ sơ (23 giờ 59 phút, ngày 30/6/2020) nên không được "
            "xét: «Xác nhận thuế.pdf»") in late
    service.scan()
    assert len(service.store.outbox.all()) == 4  # acknowledged once



def test_a_supplement_names_the_copies_of_files_received_before(service):
    """Audit 47: a whole dossier sent again in a sub-folder beside the one missing file was acknowledged as "8 tệp
    bổ sung"; the copies are named as what they are."""
    folder = "Công ty Gửi lại cả bộ"
    write(service, folder, 39, omit=("tax_insurance",))
    service.scan()
    first = sorted(p for p in (service.inbox / folder).iterdir() if p.is_file())
    (service.inbox / folder / "Bổ sung").mkdir()
    shutil.copy(first[0], service.inbox / folder / "Bổ sung" / first[0].name)
    rng = random.Random(40)
    dossiers.write_digital_pdf(service.inbox / folder / "Bổ sung" / "Xác nhận thuế.pdf",
                               dossiers.component_pages("tax_insurance", dossiers.make_enterprise(rng), rng))
    service.now = datetime(2020, 6, 17, 9, 0, tzinfo=TZ)
    service.scan()
    (receipt,) = [n for n in service.store.outbox.all() if n["kind"] == "supplement"]
    said = document_text(service.settings.outbox / folder / Path(receipt["path"]).name)
    assert f"Bổ sung/{first[0].name} (trùng nội dung tệp «{first[0].name}» đã nhận trước đó)" in said, said
    assert "1 tệp trùng nội dung với tệp đã nhận trước đó, không có nội dung mới." in said
    assert "Bổ sung/Xác nhận thuế.pdf" in said and "Xác nhận thuế.pdf (trùng" not in said


def test_a_corrected_file_is_named_beside_the_one_it_replaces(service):
    """Audit 47: a self-assessment sent again corrected under its own name replaces the original for the checks,
    but Mẫu 01 and the supplement's receipt listed both side by side without saying which counts."""
    folder = "Công ty Gửi bản sửa"
    rng = random.Random(43)
    enterprise = dossiers.make_enterprise(rng)
    names = dossiers.write_dossier(service.inbox / folder, enterprise, rng, omit=("tax_insurance",),
                                   formats={"*": "pdf", "company_profile": "docx"})
    service.scan()
    original = names["self_assessment"]
    fixed = f"Bổ sung/{Path(original).stem}_sửa.pdf"
    (service.inbox / folder / "Bổ sung").mkdir()
    dossiers.write_digital_pdf(service.inbox / folder / fixed,
                               dossiers.component_pages("self_assessment", enterprise, rng))
    dossiers.write_digital_pdf(service.inbox / folder / "Bổ sung" / "Xác nhận thuế.pdf",
                               dossiers.component_pages("tax_insurance", enterprise, rng))
    service.now = datetime(2020, 6, 17, 9, 0, tzinfo=TZ)
    service.scan()
    assert service.report()[folder]["status"] == "complete"
    notices = service.store.outbox.all()
    assert [n["kind"] for n in notices] == ["acknowledgement", "deficiency", "supplement", "receipt"]
    acknowledged = document_text(service.settings.outbox / folder / Path(notices[2]["path"]).name)
    assert f"{fixed} (bản sửa, thay cho tệp «{original}» đã nhận trước đó; chỉ xét bản sửa)" in acknowledged, \
        acknowledged
    assert f"{fixed} (bản sửa, thay cho tệp «{original}»" in notices[2]["body"]
    received = document_text(service.settings.outbox / folder / Path(notices[3]["path"]).name)
    assert f"{original} (được thay bằng bản sửa «{fixed}»; chỉ xét bản sửa)" in received, received
    assert f"Tệp «{original}» được thay bằng bản sửa «{fixed}»; chỉ xét bản sửa." in notices[3]["body"]
    assert "Xác nhận thuế.pdf (" not in received + acknowledged  # a file that corrects nothing is named alone


def test_a_file_overwritten_after_the_receipt_is_named_and_the_receipt_no_longer_stands(service):
    """Audit 47: a dossier declared complete (Mẫu 01), then its self-assessment overwritten under the same name by
    one without criterion 6: the new request and the supplement's receipt never said which file was replaced,
    when, nor that the receipt's "complete" no longer stood."""
    folder = "Công ty Ghi đè tệp"
    rng = random.Random(45)
    enterprise = dossiers.make_enterprise(rng)
    names = dossiers.write_dossier(service.inbox / folder, enterprise, rng,
                                   formats={"*": "pdf", "company_profile": "docx"})
    service.scan()
    assert [n["kind"] for n in service.store.outbox.all()] == ["acknowledgement", "receipt"]
    receipt = service.store.outbox.all()[1]["number"]
    original = names["self_assessment"]
    service.now = datetime(2020, 6, 22, 10, 0, tzinfo=TZ)
    dossiers.write_digital_pdf(service.inbox / folder / original, dossiers.component_pages(
        "self_assessment", enterprise, rng, criteria=(1, 2, 3, 4, 5, 7)))
    service.scan()
    notices = service.store.outbox.all()
    assert [n["kind"] for n in notices][2:] == ["supplement", "deficiency"]
    replaced = (f"Tệp «{original}» nhận ngày 15/6/2020 đã được thay bằng bản mới cùng tên, có nội dung khác, nhận "
                "ngày 22/6/2020; hồ sơ được xét lại theo bản mới (bản cũ không còn được xét).")
    acknowledged = document_text(service.settings.outbox / folder / Path(notices[2]["path"]).name)
    assert f"{original} (bản mới, thay bản cùng tên nhận ngày 15/6/2020)" in acknowledged, acknowledged
    assert replaced in acknowledged and replaced in notices[2]["body"]
    request = document_text(service.settings.outbox / folder / Path(notices[3]["path"]).name)
    withdrawn = (f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả số {receipt} ngày 15/6/2020 đã xác nhận hồ sơ đầy đủ; nay "
                 "hồ sơ được xét lại và chưa đầy đủ, nên văn bản đó không còn giá trị và được thay thế bằng Phiếu này.")
    assert replaced in request and withdrawn in request, request
    assert replaced in notices[3]["body"] and withdrawn in notices[3]["body"]
    assert "tiêu chí 6" in request

def test_a_request_names_only_an_earlier_request_the_enterprise_was_given(rules):
    from intake.notices.outbox import last_request

    def row(kind, state, number, at):
        return {"kind": kind, "state": state, "number": number, "created_at": at}

    sent = row("deficiency", "sent", "01/PYCBS-TĐC", "2020-06-15T02:00:00+00:00")
    assert last_request([], rules) is None
    assert last_request([sent], rules) == ("01/PYCBS-TĐC", date(2020, 6, 15))
    # Written late in the evening UTC: its date is the campaign's (Vietnam's), not UTC's.
    late = row("deficiency", "written", "02/PYCBS-TĐC", "2020-06-16T18:30:00+00:00")
    assert last_request([sent, late], rules) == ("02/PYCBS-TĐC", date(2020, 6, 17))
    # One replaced before it went out, or still waiting for the leader or the mail server, was never seen.
    for state in ("superseded", "awaiting_approval", "pending", "expired"):
        assert last_request([sent, row("deficiency", state, "03/PYCBS-TĐC", "2020-06-18T02:00:00+00:00")],
                            rules) == ("01/PYCBS-TĐC", date(2020, 6, 15)), state
    assert last_request([row("receipt", "sent", "01/TNHS-TĐC", "2020-06-15T02:00:00+00:00")], rules) is None


def test_a_request_names_the_receipt_it_withdraws_only_when_that_is_the_newest_the_enterprise_was_given(rules):
    from intake.notices.outbox import last_complete

    def row(kind, state, number, at):
        return {"kind": kind, "state": state, "number": number, "created_at": at}

    request = row("deficiency", "sent", "01/PYCBS-TĐC", "2020-06-15T02:00:00+00:00")
    receipt = row("receipt", "written", "01/TNHS-TĐC", "2020-06-18T02:00:00+00:00")
    assert last_complete([], rules) is None and last_complete([request], rules) is None
    assert last_complete([request, receipt], rules) == ("receipt", "01/TNHS-TĐC", date(2020, 6, 18))
    # A request after it already withdrew it; one waiting for the leader was never seen.
    assert last_complete([receipt, row("deficiency", "sent", "02/PYCBS-TĐC", "2020-06-20T02:00:00+00:00")],
                         rules) is None
    assert last_complete([request, row("receipt", "awaiting_approval", "01/TNHS-TĐC", "2020-06-18T02:00:00+00:00")],
                         rules) is None
    again = row("complete", "sent", "01/TB-TĐC", "2020-06-22T02:00:00+00:00")
    assert last_complete([receipt, request, again], rules) == ("complete", "01/TB-TĐC", date(2020, 6, 22))
    # With Mẫu 01 first, whatever the dossier's standing, it never said the dossier was complete.
    first = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, receipt="first"))
    assert last_complete([receipt], first) is None


def test_a_file_is_told_as_overwritten_once_and_only_for_other_bytes():
    from intake.notices.forms import overwritten

    first, told, later = (datetime(2020, 6, d, 9, 0, tzinfo=TZ) for d in (15, 16, 22))
    history = [("a.pdf", "1", first), ("b.pdf", "2", first), ("a.pdf", "3", later), ("c.pdf", "4", later)]
    judged = [("a.pdf", "3", later), ("b.pdf", "2", first), ("c.pdf", "4", later)]
    assert overwritten(judged, history, told) == (("a.pdf", first, later),)  # c.pdf is new, b.pdf unchanged
    assert overwritten(judged, history, later) == ()  # told already
    assert overwritten(judged, history, None) == ()  # nothing told yet


def test_a_late_dossier_is_received_and_flagged_or_refused(tmp_path, rules):
    received = Service(tmp_path / "a", rules, now=AFTER_DEADLINE)
    refusing_rules = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, refuse_late=True))
    refused = Service(tmp_path / "b", refusing_rules, now=AFTER_DEADLINE)
    try:
        for svc in (received, refused):
            write(svc, "Công ty Nộp muộn", 35, omit=("environment",))
            svc.scan()
        assert [n["kind"] for n in received.store.outbox.notice_listing()] == ["acknowledgement", "deficiency"]
        for name in ("GTCLQG-2020-0001-01-bien-nhan.docx", "GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx"):
            said = document_text(received.settings.outbox / "Công ty Nộp muộn" / name)
            assert ("sau thời hạn tiếp nhận hồ sơ (23 giờ 59 phút, ngày 30/6/2020). "
                    + rules.notices.late_treatment) in said, name
        # A late dossier received anyway gets its full working days, after the deadline: the notice says why.
        assert "chậm nhất ngày 09 tháng 7 năm 2020" in said
        assert [n["kind"] for n in refused.store.outbox.notice_listing()] == ["refusal"]
        assert outbox_files(refused, "Công ty Nộp muộn") == ["GTCLQG-2020-0001-01-tu-choi-tiep-nhan.docx"]
        refused.now = AFTER_DEADLINE.replace(day=5)
        rng = random.Random(36)
        dossiers.write_digital_pdf(refused.inbox / "Công ty Nộp muộn" / "Môi trường.pdf",
                                   dossiers.component_pages("environment", dossiers.make_enterprise(rng), rng))
        refused.scan()
        assert [n["kind"] for n in refused.store.outbox.notice_listing()] == ["refusal"]
    finally:
        received.close()
        refused.close()


def test_no_notice_before_the_dossier_has_settled(service):
    write(service, "Công ty Đang nộp", 37, omit=("tax_insurance",))
    service.scan()  # makes the notices; now ask notify directly for a newer verdict that has not settled
    dossier = service.store.dossiers.get("Công ty Đang nộp")
    count = service.store.db["notices"].count
    v = verdict(LOCKED, MISSING_TAX)
    assert notify(service.ctx, dossier, v, settled=False) == 0
    assert service.store.db["notices"].count == count
    assert notify(service.ctx, dossier, v, settled=True) == 1
    assert service.store.db["notices"].count == count + 1


# ---- layout that survives printing ---------------------------------------------------------------------------


def _keeps(paragraph) -> bool:
    return bool(paragraph.paragraph_format.keep_with_next)


@pytest.mark.parametrize("kind", ["acknowledgement", "receipt", "deficiency", "complete", "refusal"])
def test_no_signature_block_is_split_from_its_title_or_the_paragraph_before(rules, kind):
    v = verdict(ENV_2017, MISSING_TAX, LOCKED, documents=DOCUMENTS) if kind in ("deficiency", "acknowledgement") \
        else verdict(documents=DOCUMENTS)
    document = docx.Document(io.BytesIO(render_notice(notice_of(kind, rules, v), rules)))
    body = document.element.body
    signature = document.tables[-1]
    row = signature.rows[0]._tr
    assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None  # one row that cannot break
    # Every paragraph between the last body text and the block keeps with next.
    before = []
    for element in body.iterchildren():
        if element is signature._tbl:
            break
        if element.tag == qn("w:p"):
            before.append(element)
    paragraphs = {p._p: p for p in document.paragraphs}
    assert _keeps(paragraphs[before[-1]]) and _keeps(paragraphs[before[-2]])
    for cell in signature.rows[0].cells:  # title lines ("KT. CHI CỤC TRƯỞNG" / "PHÓ CHI CỤC TRƯỞNG") stay together
        assert all(_keeps(p) for p in cell.paragraphs[:-1])
    lines = [p.text for c in signature.rows[0].cells for p in c.paragraphs]
    if kind == "complete":
        i = lines.index("KT. CHI CỤC TRƯỞNG")
        assert lines[i + 1] == "PHÓ CHI CỤC TRƯỞNG"


def realistic(*deficiencies: Deficiency, late: bool = False) -> Verdict:
    """A verdict whose matches name the files of DOCUMENTS, plus a cover letter and the files in deficiencies."""
    matches = tuple(Match(label.split("#")[0], 1, 4, 6, cid, 30.0) for cid, labels in DOCUMENTS.items()
                    for label in labels) + (Match("Công văn gửi kèm.pdf", 1, 1, 1, None, 0.0),)
    return dataclasses.replace(verdict(*deficiencies, late=late, documents=DOCUMENTS), matches=matches)


@pytest.mark.slow
def test_every_kind_of_notice_renders_through_libreoffice(rules, tmp_path):
    """Each kind rendered to PDF and PNG as an office prints it; the PNGs are kept in tests/output/notices as the
    reference images a person looks at. A5 forms fit one page with typical content; the reminder's signer keeps
    "KT. CHI CỤC TRƯỞNG" and "PHÓ CHI CỤC TRƯỞNG" on one page."""
    import shutil
    import subprocess
    from pathlib import Path

    from pypdf import PdfReader

    from intake.campaign import Reminder
    from intake.notices.forms import build_reminder
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by `scripts/setup test`")
    out = Path(__file__).parent / "output" / "notices"
    out.mkdir(parents=True, exist_ok=True)
    notices = {kind: notice_of(kind, rules, v, folder="Công ty May Bắc Giang") for kind, v in {
        "acknowledgement": realistic(LOCKED),
        "receipt": realistic(),
        "deficiency": realistic(ENV_2017, ENV_2018, CRITERION_6, LOCKED, MISSING_TAX),
        "complete": realistic(),
        "late-deficiency": realistic(ENV_2017, LATE, late=True),
    }.items() if kind != "late-deficiency"}
    notices["late-deficiency"] = notice_of("deficiency", rules, realistic(ENV_2017, LATE, late=True),
                                           received_at=AFTER_DEADLINE, issued_at=AFTER_DEADLINE, folder="Công ty X")
    refusing = dataclasses.replace(rules, notices=dataclasses.replace(rules.notices, refuse_late=True))
    notices["refusal"] = notice_of("refusal", refusing, verdict(LATE, late=True), received_at=AFTER_DEADLINE,
                                   issued_at=AFTER_DEADLINE)
    notices["reminder"] = build_reminder(number="04/TBNH-TĐC", contact=CONTACT, issued_at=BEFORE_DEADLINE,
                                         reminder=Reminder(7, 15, 11, True), rules=rules, receipt_no="GTCLQG-2020-0003",
                                         register_no=3, received_at=BEFORE_DEADLINE,
                                         deficiencies=(ENV_2017, CRITERION_6, MISSING_TAX))
    every = {c.id: (f"{c.title[:24].strip()}.pdf",) for c in rules.components}  # all eight components
    notices["receipt-full"] = notice_of("receipt", rules, verdict(documents=every))
    pages = {}
    for name, notice in notices.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render_notice(notice, refusing if name == "refusal" else rules))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                        "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
        reader = PdfReader(tmp_path / f"{name}.pdf")
        pages[name] = [page.extract_text() for page in reader.pages]
        for old in out.glob(f"unit-{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(tmp_path / f"{name}.pdf"), str(out / f"unit-{name}")],
                       check=True, timeout=120)
    for name in ("acknowledgement", "receipt", "receipt-full", "refusal", "late-deficiency", "reminder"):
        assert len(pages[name]) == 1, (name, len(pages[name]))  # A5 on one page where the content allows
    assert any(len(texts) > 1 for texts in pages.values())
    for name, texts in pages.items():  # NĐ 30: page numbers centred at the top from page 2 on, none on page 1
        assert not texts[0].lstrip().startswith("1\n"), name
        for number, text in enumerate(texts[1:], start=2):
            assert text.lstrip().split("\n")[0].strip() == str(number), (name, number, text[:80])
        for lines in (("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG"), ("NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)"),
                      ("NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)")):
            holding = [i for i, text in enumerate(texts) if lines[0] in text]
            assert all(lines[1] in texts[i] for i in holding), (name, lines)


def test_a_request_keeps_abbreviations_in_capitals(rules):
    """Audit 13: "Nộp hồ sơ môi trường (đtm/kế hoạch bvmt, quan trắc)" lower-cased the abbreviations."""
    from intake.notices.rows import action_rows

    missing = Deficiency("missing_document", "Thiếu thành phần hồ sơ: …", document="environment")
    (row,) = action_rows([missing], (), (), rules)
    assert row.send.startswith("Nộp hồ sơ môi trường (ĐTM/kế hoạch BVMT, quan trắc)")


def test_a_notice_s_file_properties_give_its_time_in_utc(rules):
    """Audit 13: Word showed a request made at 23:30 on 30/6 (+07:00) as made on 1/7: OOXML dates are UTC."""
    issued = datetime(2020, 6, 30, 23, 30, tzinfo=BEFORE_DEADLINE.tzinfo)
    content = render_notice(notice_of("deficiency", rules, verdict(Deficiency(
        "missing_document", "Thiếu thành phần hồ sơ: …", document="environment")), issued_at=issued), rules)
    properties = docx.Document(io.BytesIO(content)).core_properties
    assert properties.created.replace(tzinfo=None) == datetime(2020, 6, 30, 16, 30) and properties.comments == ""


def test_files_are_listed_in_vietnamese_order(rules):
    """Audit 13: the acknowledgement listed files by code point ("Đơn …" after "Ưu …", "10." before "2.")."""
    received = ("Ưu đãi thuế.pdf", "10. Quan trắc 2019.pdf", "Đơn đăng ký.pdf", "2. Quan trắc 2017.pdf",
                "Báo cáo.pdf", "Bản cam kết.pdf", "Dự án.pdf")
    notice = notice_of("acknowledgement", rules, verdict(), received=received)
    listed = [row[1] for row in table_rows(render_notice(notice, rules)) if row[0].isdigit()]
    assert listed == ["2. Quan trắc 2017.pdf", "10. Quan trắc 2019.pdf", "Bản cam kết.pdf", "Báo cáo.pdf",
                      "Dự án.pdf", "Đơn đăng ký.pdf", "Ưu đãi thuế.pdf"]


def test_a_reminder_words_what_is_missing_as_the_request_does(rules):
    """Audit 13: the reminder listed the deficiencies in other words than Mẫu 02 (the full component title, "Thiếu
    kết quả quan trắc môi trường năm 2017." and again for 2018): the enterprise read two lists for one dossier."""
    from intake.campaign import Reminder
    from intake.notices.forms import build_reminder, email_text
    asked = (ENV_2017, ENV_2018, CRITERION_6, MISSING_TAX)
    request = notice_of("deficiency", rules, verdict(*asked))
    reminder = build_reminder(number="04/TBNH-TĐC", contact=CONTACT, issued_at=BEFORE_DEADLINE,
                              reminder=Reminder(7, 15, 11, True), rules=rules, receipt_no="GTCLQG-2020-0003",
                              register_no=3, received_at=BEFORE_DEADLINE, deficiencies=asked)
    requested = {(row[1], row[3]) for row in table_rows(render_notice(request, rules)) if row[0].isdigit()}
    reminded = {(row[1], row[2]) for row in table_rows(render_notice(reminder, rules)) if row[0].isdigit()}
    assert reminded == requested and len(reminded) == 3  # the two years of monitoring in one row
    assert "Đề nghị: Bổ sung kết quả quan trắc môi trường các năm 2017 và 2018." in email_text(reminder, rules)[1]


def test_a_file_of_a_complete_component_its_name_alone_places_has_a_row_of_its_own(rules):
    """Audit 43: a spreadsheet "Bang diem tu danh gia.xlsx" (refused: not a format received) was filed under the
    self-assessment, complete, which the enterprise read as its report being deficient ("không đọc được vì …"); it
    has a row of its own, and what a missing component is to be sent as depends on whether it is a certified copy."""
    from intake.notices.rows import action_rows

    refused = Deficiency("unsupported_format", "Tệp «Bang diem tu danh gia.xlsx»: bảng tính Excel không được tiếp "
                         "nhận; đề nghị chuyển sang PDF.", file="Bang diem tu danh gia.xlsx")
    iso = Deficiency("missing_document", "Thiếu thành phần hồ sơ: chứng chỉ.", document="quality_system")
    profile = Deficiency("missing_document", "Thiếu thành phần hồ sơ: báo cáo.", document="company_profile")
    rows = action_rows([refused, iso, profile], (("self_assessment", ("Tu danh gia.docx",)),), (), rules)
    assert [(r.component, r.problems, r.send) for r in rows if "xlsx" in r.received] == [
        ("Tệp «Bang diem tu danh gia.xlsx» (chưa xác định thành phần)",
         ("Tệp «Bang diem tu danh gia.xlsx»: bảng tính Excel không được tiếp nhận.",
          "Báo cáo tự đánh giá theo 07 tiêu chí đã có trong «Tu danh gia.docx»."),
         "Nếu là bản trùng: không cần gửi lại. Nếu là tài liệu khác: Chuyển sang PDF (thay cho tệp «Bang diem tu "
         "danh gia.xlsx»).")]
    sends = {r.component: r.send for r in rows}
    assert "bản sao có chứng thực" in sends[next(c for c in sends if "chất lượng" in c)]
    assert "(tệp PDF, DOCX hoặc ảnh quét)" in sends[next(c for c in sends if "giới thiệu" in c)]


def test_a_locked_copy_beside_a_readable_one_is_asked_for_only_if_it_is_another_document(rules):
    """Audit 43: a password-protected ISO copy stayed in the folder beside the readable one sent since under another
    name; the next request still asked, flatly, to send it again without a password. It now says the component is
    there, and to send the file again only if it is another document."""
    from intake.notices.rows import action_rows

    locked = Deficiency("unreadable_file", "Tệp «04 Chung chi ISO 9001 (sao y).pdf»: tệp PDF được bảo vệ bằng mật "
                        "khẩu; đề nghị gửi lại.", file="04 Chung chi ISO 9001 (sao y).pdf")
    tax = Deficiency("missing_document", "Thiếu thành phần hồ sơ: xác nhận.", document="tax_insurance")
    received = (("quality_system", ("04b Chung chi ISO 9001 (ban gui lai).pdf",)),)
    rows = {r.received: r for r in action_rows([locked, tax], received, (), rules)}
    row = rows["«04 Chung chi ISO 9001 (sao y).pdf»"]
    assert row.problems[-1].endswith("đã có trong «04b Chung chi ISO 9001 (ban gui lai).pdf».")
    assert row.send.startswith("Nếu là bản trùng: không cần gửi lại. Nếu là tài liệu khác: Gửi lại tệp «04 Chung chi "
                               "ISO 9001 (sao y).pdf»"), row
    # Without the readable copy, it is asked for again, under its component.
    (row,) = [r for r in action_rows([locked, tax], (), (), rules) if "sao y" in r.received]
    assert "Gửi lại tệp «04 Chung chi ISO 9001 (sao y).pdf»" in row.send
