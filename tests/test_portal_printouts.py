"""Components an enterprise gets from online systems, not paper (audit 48): a tax letter printed from the eTax portal
with the portal's menu above it, a certification body's online register of a certificate, a portal's list of filed
returns bound before the social-insurance letter, an agency's e-mail address in a letter's signature box."""

from __future__ import annotations

import pytest
from test_holder import _packaging_dossier

from conftest import BEFORE_DEADLINE, text_file
from intake.judging.classify import classify_document, classify_dossier
from intake.judging.completeness import evaluate
from intake.judging.fields import read_registration
from intake.judging.header import parse_header
from intake.judging.identity import choose_identity

LETTER = """Ký bởi: Cục Thuế tỉnh Bắc Giang
Email: ctbgi@gdt.gov.vn
Cơ quan: Tỉnh Bắc Giang
Thời gian ký: 18.05.2020 10:12:44 +07:00
TỔNG CỤC THUẾ
CỤC THUẾ TỈNH BẮC GIANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1532/CTBGI-KK Bắc Giang, ngày 18 tháng 5 năm 2020
V/v xác nhận tình hình thực hiện nghĩa vụ thuế
các năm 2017, 2018, 2019
Kính gửi: Công ty Cổ phần Nhựa Thiếu niên Bắc Giang
(MST: 2400123456)
Cục Thuế tỉnh Bắc Giang nhận được công văn đề nghị xác nhận tình hình thực hiện nghĩa vụ thuế của Công ty.
Năm Số thuế phát sinh (đồng) Số thuế đã nộp (đồng) Số còn nợ
2017 12.450.000.000 12.450.000.000 0
2018 14.120.000.000 14.120.000.000 0
2019 15.870.000.000 15.870.000.000 0
Đến thời điểm xác nhận, Công ty đã hoàn thành nghĩa vụ nộp thuế các năm 2017, 2018, 2019, không có nợ thuế.
KT. CỤC TRƯỞNG
PHÓ CỤC TRƯỞNG
12/2/26, 10:37 AM Hệ thống thuế điện tử - eTax
http://thuedientu.gdt.gov.vn/Atax.html 1/1"""

PORTAL_TOPS = {
    "menu": "THUẾ ĐIỆN TỬ - eTax | Trang chủ | Khai thuế | Nộp thuế | Tra cứu | Hỗ trợ | Tài khoản: 2400123456-QL | "
            "Đăng xuất\nTra cứu > Tra cứu thông báo > Chi tiết văn bản",
    "menu without separators": "THUẾ ĐIỆN TỬ eTax   Trang chủ   Khai thuế   Nộp thuế   Tra cứu   Hỗ trợ   Tài khoản "
                               "2400123456-QL   Đăng xuất",
    "welcome line": "Chào mừng quý khách đến với Hệ thống thuế điện tử của Tổng cục Thuế, phiên làm việc bắt đầu "
                    "lúc 10:30",
}


@pytest.mark.parametrize("top", sorted(PORTAL_TOPS))
def test_a_letter_printed_from_a_portal_is_read_under_the_portal_s_lines(rules, top):
    """Audit 48: more than about 95 characters of a portal's menu above the letter hid its header (read as prose
    before it): the tax confirmation was no component, asked for again and said not to be one."""
    page = f"{PORTAL_TOPS[top]}\n{LETTER}"
    header = parse_header(page, rules.recognition.header)
    assert (header.issuer[-1], header.number) == ("CỤC THUẾ TỈNH BẮC GIANG", "1532/CTBGI-KK")
    assert header.summary.startswith("V/v xác nhận tình hình thực hiện nghĩa vụ thuế"), header.summary
    (match,) = classify_document(text_file("thuedientu.gdt.gov.vn_ etax_ xac nhan.pdf", page), rules)
    assert match.component == "tax_insurance"
    # Prose before a header with no quốc hiệu under it is still no header: a report's page, not a letter.
    report = f"{PORTAL_TOPS[top]}\nCông ty đã thực hiện đầy đủ nghĩa vụ thuế trong các năm qua.\nKính gửi: Sở KH&CN"
    assert parse_header(report, rules.recognition.header).issuer == ()


def _verification(holder: str, standard: str = "ISO 9001:2015") -> str:
    return f"""Bureau Veritas Certification   | Home | Certification | Certificate Verification | Contact us | EN
Certificate Verification
Search results for certificate number: VN004512
Field Value
Certificate status Valid
Certificate No. VN004512
Standard {standard}
Certificate holder {holder}
Address Lot B2, Dinh Tram Industrial Park, Viet Yen District, Bac Giang Province, Vietnam
Scope Corrugated cartons and flexible packaging
Original approval date 20/04/2017
Expiry date 19/04/2023
This information is provided for verification purposes only. © 2020 Bureau Veritas Certification.
12/2/26, 10:37 AM Certificate Verification - Bureau Veritas"""


def test_a_certification_body_s_online_register_is_the_certificate_s_record(rules):
    """Audit 48: the verification page of the enterprise's own ISO 9001 certificate, printed from the certification
    body's site, was no component (the dossier was asked for its certificate); one of another company names that
    company without the register's label; one of a laboratory's accreditation is none."""
    row = ["Tên giao dịch quốc tế: VIET HUNG BAC GIANG PACKAGING JSC"]
    own = classify_dossier(_packaging_dossier(row, _verification(
        "VIET HUNG BAC GIANG PACKAGING JOINT STOCK COMPANY").splitlines()), rules)
    assert [(m.component, [e.phrase for e in m.evidence if e.kind == "held_by"]) for m in own
            if m.file == "ISO 9001.pdf"] == [("quality_system", ["VIET HUNG BAC GIANG PACKAGING JOINT STOCK COMPANY"])]
    other = classify_dossier(_packaging_dossier(row, _verification(
        "MINH TRI MECHANICAL JOINT STOCK COMPANY").splitlines()), rules)
    assert [e.phrase for m in other for e in m.evidence if e.kind == "holder_name"] == [
        "quality_system: MINH TRI MECHANICAL JOINT STOCK COMPANY"]
    (lab,) = classify_document(text_file("tra cuu.pdf", _verification("VIET HUNG BAC GIANG PACKAGING JOINT STOCK "
                                                                       "COMPANY", "ISO/IEC 17025:2017")), rules)
    assert lab.component is None


RETURNS = """THUẾ ĐIỆN TỬ - eTax | Trang chủ | Khai thuế | Nộp thuế | Tra cứu | Hỗ trợ | Tài khoản: 2400123456-QL
Tra cứu > Tra cứu tờ khai
TRA CỨU TỜ KHAI
Mã số thuế: 2400123456   Tên người nộp thuế: Công ty Cổ phần Nhựa Thiếu niên Bắc Giang
Từ ngày: 01/01/2017   Đến ngày: 31/05/2020   [Tra cứu]
STT Mã giao dịch Tờ khai/Phụ lục Kỳ tính thuế Loại tờ khai Ngày nộp Trạng thái
1 11020000000074 03/TNDN - Tờ khai quyết toán thuế TNDN Năm 2017 Chính thức 22/03/2018 Đã chấp nhận
2 11020000000185 03/TNDN - Tờ khai quyết toán thuế TNDN Năm 2018 Chính thức 25/03/2019 Đã chấp nhận
3 11020000000296 03/TNDN - Tờ khai quyết toán thuế TNDN Năm 2019 Chính thức 28/03/2020 Đã chấp nhận
Tổng số: 3 bản ghi. Trang 1/1"""

INSURANCE = """BẢO HIỂM XÃ HỘI VIỆT NAM
BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 512/BHXH-QLT Bắc Giang, ngày 20 tháng 5 năm 2020
V/v xác nhận tình hình tham gia BHXH, BHYT,
BHTN của đơn vị năm 2017-2019
Kính gửi: Công ty Cổ phần Nhựa Thiếu niên Bắc Giang
Bảo hiểm xã hội tỉnh Bắc Giang xác nhận tình hình tham gia bảo hiểm xã hội cho người lao động như sau:
Năm Số lao động tham gia Số tiền đã đóng (đồng) Tình trạng
2017 150 8.120.000.000 Đã đóng đủ
2018 155 8.940.000.000 Đã đóng đủ
2019 160 9.610.000.000 Đã đóng đủ
Đơn vị đã đóng đủ BHXH, BHYT, BHTN cho người lao động đến hết ngày 31/12/2019."""


def test_a_portal_s_list_of_filed_returns_confirms_no_tax_year(rules):
    """Audit 48: "TRA CỨU TỜ KHAI" (the returns filed, printed from eTax) bound before the social-insurance letter
    joined it, and its years were taken as the tax years confirmed: no deficiency for a dossier with no tax
    confirmation. It is a document of its own and none of the components."""
    file = text_file("Thue va BHXH.pdf", RETURNS, INSURANCE)
    matches = classify_dossier([file], rules)
    assert [(m.label, m.component) for m in matches] == [("Thue va BHXH.pdf#p1", None),
                                                         ("Thue va BHXH.pdf#p2", "tax_insurance")]
    verdict = evaluate([file], matches, rules, received_at=BEFORE_DEADLINE)
    missing = [d.message for d in verdict.deficiencies if d.code == "missing_years"]
    assert missing == [f"Thiếu xác nhận thực hiện nghĩa vụ thuế năm {year}." for year in (2017, 2018, 2019)]
    # With the confirmation beside it, every year is there.
    both = [file, text_file("Xac nhan thue.pdf", LETTER)]
    verdict = evaluate(both, classify_dossier(both, rules), rules, received_at=BEFORE_DEADLINE)
    assert not [d for d in verdict.deficiencies if d.document == "tax_insurance"]


def test_an_agency_s_address_is_never_the_enterprise_s(rules):
    """Audit 48: the tax letter's signature box ("Email: ctbgi@gdt.gov.vn") read as a cover letter's gave the
    dossier an e-mail conflict with its form; a state address (.gov.vn) is nobody's contact for the notices."""
    cover = read_registration("Kính gửi: Sở Khoa học và Công nghệ tỉnh Bắc Giang\nEmail: ctbgi@gdt.gov.vn\n"
                              "Điện thoại: 0204 3854 111", "Cong van.pdf")
    assert cover.value("email") == "ctbgi@gdt.gov.vn"
    identity = choose_identity("Công ty Nhựa", cover_letter=cover)
    assert identity.field("email").value == ""
    own = read_registration("Kính gửi: Sở Khoa học và Công nghệ tỉnh Bắc Giang\nEmail: nhuabg@gmail.com",
                            "Cong van.pdf")
    assert choose_identity("Công ty Nhựa", cover_letter=own).field("email").value == "nhuabg@gmail.com"
