"""The quality system and product conformity as enterprises of other sectors than manufacturing evidence them
(audit 52): a drug maker's GMP certificate and its medicines' registration for sale, a farm's VietGAP certificate
(its products' conformity, as the audit corpus's officers filed theirs). Each was asked for as never received."""

from __future__ import annotations

import pytest
from test_holder import _packaging_dossier

from conftest import text_file
from intake.judging.classify import classify_document, classify_dossier
from intake.judging.holder import _name, named_companies
from intake.models import Page

GMP = """BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CỤC QUẢN LÝ DƯỢC Độc lập - Tự do - Hạnh phúc
Số: 215/GCN-QLD Hà Nội, ngày 18 tháng 9 năm 2018
GIẤY CHỨNG NHẬN
ĐẠT TIÊU CHUẨN THỰC HÀNH TỐT SẢN XUẤT THUỐC (GMP)
CỤC TRƯỞNG CỤC QUẢN LÝ DƯỢC CHỨNG NHẬN
Cơ sở sản xuất: CÔNG TY CỔ PHẦN DƯỢC PHẨM BẮC GIANG
Địa chỉ: Lô A2, Khu công nghiệp Quang Châu, huyện Việt Yên, tỉnh Bắc Giang
Đạt tiêu chuẩn: Thực hành tốt sản xuất thuốc theo khuyến cáo của Tổ chức Y tế Thế giới
(GMP-WHO)
Phạm vi chứng nhận: Thuốc không vô trùng: viên nén, viên nang cứng, thuốc bột.
Giấy chứng nhận có hiệu lực đến ngày 18 tháng 9 năm 2021.
KT. CỤC TRƯỞNG
PHÓ CỤC TRƯỞNG"""

REGISTRATION = """BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CỤC QUẢN LÝ DƯỢC Độc lập - Tự do - Hạnh phúc
Số: 312/QĐ-QLD Hà Nội, ngày 20 tháng 6 năm 2019
QUYẾT ĐỊNH
Về việc ban hành danh mục 45 thuốc sản xuất trong nước được cấp số đăng
ký lưu hành tại Việt Nam - Đợt 163
CỤC TRƯỞNG CỤC QUẢN LÝ DƯỢC
Căn cứ Luật Dược ngày 06 tháng 4 năm 2016;
Điều 1. Ban hành kèm theo Quyết định này danh mục thuốc sản xuất trong nước
được cấp số đăng ký lưu hành tại Việt Nam.
Cơ sở đăng ký và sản xuất: Công ty Cổ phần Dược phẩm Bắc Giang, địa chỉ Lô A2,
Khu công nghiệp Quang Châu, huyện Việt Yên, tỉnh Bắc Giang.
1. Paracetamol 500 mg, viên nén; tiêu chuẩn: DĐVN V; số đăng ký: VD-32145-19
2. Amoxicilin 500 mg, viên nang cứng; tiêu chuẩn: TCCS; số đăng ký: VD-32146-19
Điều 2. Cơ sở sản xuất phải sản xuất thuốc theo đúng hồ sơ đã đăng ký.
KT. CỤC TRƯỞNG
PHÓ CỤC TRƯỞNG"""

VIETGAP = """CÔNG TY CỔ PHẦN CHỨNG NHẬN VÀ GIÁM ĐỊNH VINACERT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
GIẤY CHỨNG NHẬN
SẢN PHẨM TRỒNG TRỌT ĐƯỢC SẢN XUẤT, SƠ CHẾ PHÙ HỢP VỚI VIETGAP
Số: VICB 1512/19
Chứng nhận: HỢP TÁC XÃ NÔNG NGHIỆP LỤC NGẠN
Địa chỉ: Lô C4, Khu công nghiệp Quang Châu, huyện Việt Yên, tỉnh Bắc Giang
Sản phẩm: Vải thiều; diện tích 120 ha; sản lượng dự kiến 1.500 tấn/năm
Phù hợp với: TCVN 11892-1:2017 Thực hành nông nghiệp tốt (VietGAP) - Phần 1:
Trồng trọt
Mã số chứng nhận: VietGAP-TT-11-07-24-0123
Ngày cấp: 15/5/2019 Có hiệu lực đến: 14/5/2022
GIÁM ĐỐC"""


@pytest.mark.parametrize("name, text, component", [
    ("06. Giay chung nhan GMP.pdf", GMP, "quality_system"),
    ("07. Giay dang ky luu hanh thuoc.pdf", REGISTRATION, "product_conformity"),
    ("06. Chung nhan VietGAP.jpg", VIETGAP, "product_conformity"),
])
def test_a_sector_s_own_certificates_are_its_components(rules, name, text, component):
    (match,) = classify_document(text_file(name, text), rules)
    assert match.component == component, match.evidence


def test_a_company_wrapped_from_a_sentence_is_no_holder(rules):
    """Audit 52: "This is to certify that the manufacturing site BAC GIANG PHARMACEUTICAL JOINT STOCK" / "COMPANY,
    Lô A2, …": the line's "COMPANY" alone was read as the certificate's holder, another company than the
    enterprise, and the English GMP certificate set aside."""
    assert _name("COMPANY") is None and _name("CO., LTD") is None
    assert _name("MINH LONG COMPANY").core == ("minh", "long")
    certificate = ["MINISTRY OF HEALTH SOCIALIST REPUBLIC OF VIETNAM",
                   "DRUG ADMINISTRATION OF VIETNAM Independence - Freedom - Happiness",
                   "CERTIFICATE OF GMP COMPLIANCE OF A MANUFACTURER", "No.: 215/GCN-QLD",
                   "This is to certify that the manufacturing site BAC GIANG PHARMACEUTICAL JOINT STOCK",
                   "COMPANY, Lô A2, Khu công nghiệp Quang Châu, huyện Việt Yên, tỉnh Bắc Giang",
                   "has been inspected and complies with WHO Good Manufacturing Practices (GMP-WHO)",
                   "Valid until: 18/9/2021"]
    matches = classify_dossier(_packaging_dossier([], certificate), rules)
    (match,) = [m for m in matches if m.file == "ISO 9001.pdf"]
    assert match.component == "quality_system", match.evidence


def test_a_self_declaration_s_company_ends_where_the_merged_quoc_hieu_begins():
    """Audit 52: the holder of a food self-declaration read "CÔNG TY TNHH THỰC PHẨM VIỆT YÊN CỘNG HÒA XÃ HỘI CHỦ NGHĨA
    VIỆT NAM" (its header's two columns merged into one line), and the officer was shown so."""
    page = Page(1, "CÔNG TY TNHH THỰC PHẨM VIỆT YÊN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                   "BẢN TỰ CÔNG BỐ SẢN PHẨM\nSố: 01/VY/2019", "text")
    assert [name.shown for name, _ in named_companies(page)] == ["CÔNG TY TNHH THỰC PHẨM VIỆT YÊN"]


TCCS = """CÔNG TY CỔ PHẦN PHẦN MỀM KINH BẮC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 15/QĐ-KBS Bắc Giang, ngày 10 tháng 3 năm 2019
QUYẾT ĐỊNH
Về việc công bố tiêu chuẩn cơ sở
GIÁM ĐỐC CÔNG TY CỔ PHẦN PHẦN MỀM KINH BẮC
Điều 1. Công bố tiêu chuẩn cơ sở TCCS 01:2019/KBS Phần mềm quản lý bán hàng KB-Sale.
Điều 2. Quyết định có hiệu lực kể từ ngày ký."""


def test_a_request_names_the_files_it_could_not_place(tmp_path, rules):
    """Audit 52: a software firm's company standard (TCCS) was received and placed nowhere, and the request said
    only "Chưa có trong hồ sơ đã nộp" of the product conformity: the enterprise thought its file lost. A row names
    the files no page of which is any component, when a component is asked for."""
    import random

    import dossiers
    from conftest import Service
    from test_notices import document_text

    from intake.notices.rows import UNPLACED, UNPLACED_SEND

    service = Service(tmp_path, rules)
    try:
        folder, rng = "Công ty Phần mềm", random.Random(66)
        dossiers.write_dossier(service.inbox / folder, dossiers.make_enterprise(rng), rng, formats={"*": "pdf"},
                               omit=("product_conformity",), cover_letter=False)
        dossiers.write_docx(service.inbox / folder / "07. Cong bo tieu chuan co so.docx", [TCCS.splitlines()])
        service.scan()
        assert service.report()[folder]["missing"] == ["product_conformity"]
        (notice,) = (service.settings.outbox / folder).glob("*-yeu-cau-bo-sung*.docx")
        text = document_text(notice)
        assert f"{UNPLACED}\n«07. Cong bo tieu chuan co so.docx»" in text and UNPLACED_SEND in text
    finally:
        service.close()
