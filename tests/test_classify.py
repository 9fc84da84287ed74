"""Recognising components by content: titles, key phrases, OCR errors, cover letters, merged files."""

from __future__ import annotations

import pytest

from intake.judging.classify import classify_document, classify_dossier

import dossiers
from conftest import text_file

ALL = dossiers.COMPONENT_IDS


def pages_text(pages):
    return ["\n".join(lines) for lines in pages]


@pytest.mark.parametrize("component", ALL)
def test_each_component_is_recognised_by_its_content_alone(rules, rng, component):
    ent = dossiers.make_enterprise(rng)
    file = text_file("scan_0007.pdf", *pages_text(dossiers.component_pages(component, ent, rng)))
    (match,) = classify_document(file, rules)
    assert match.component == component
    assert any(e.kind == "title" for e in match.evidence)
    assert all(e.kind != "filename" for e in match.evidence)


def test_cover_letter_is_no_component(rules, rng):
    ent = dossiers.make_enterprise(rng)
    file = text_file("Cong van gui kem.pdf", *pages_text(dossiers.cover_letter_pages(ent, rng)))
    assert [m.component for m in classify_document(file, rules)] == [None]


def test_ocr_errors_in_titles_do_not_defeat_recognition(rules):
    text = ("CÔNG TY CỔ PHẦN MAY BẮC GIANG\nGIÂY CHỮNG NHẠN HỆ THÔNG QUẢN LÝ CHÂT LƯỢNG\n"
            "phù hợp tiêu chuẩn TCVN ISO 9001:2015\nPhạm vi chứng nhận: sản xuất hàng may mặc")
    (match,) = classify_document(text_file("x.pdf", text, method="ocr", confidence=70), rules)
    assert match.component == "quality_system"


def test_file_name_alone_recognises_nothing(rules):
    (match,) = classify_document(text_file("Bao cao tu danh gia.pdf", "Trang 1\nảnh chụp nhà xưởng"), rules)
    assert match.component is None


def test_merged_file_is_split_into_page_ranges(rules, rng):
    ent = dossiers.make_enterprise(rng)
    pages = []
    for component in ALL:
        pages += dossiers.component_pages(component, ent, rng)
    file = text_file("Ho so.pdf", *pages_text(pages))
    matches = classify_document(file, rules)
    assert [m.component for m in matches] == list(ALL)
    assert matches[0].label.startswith("Ho so.pdf#p1")
    assert sum(m.last_page - m.first_page + 1 for m in matches) == len(pages)


def test_verdict_input_does_not_depend_on_file_order(rules, rng):
    ent = dossiers.make_enterprise(rng)
    files = [text_file(f"f{i}.pdf", *pages_text(dossiers.component_pages(c, ent, rng))) for i, c in enumerate(ALL)]
    assert classify_dossier(files, rules) == classify_dossier(list(reversed(files)), rules)


def test_a_form_whose_title_was_cut_off_is_known_by_its_fields(rules):
    """The scan cut the top of the registration form ("ĐƠN ĐĂNG KÝ THAM DỰ" gone): its numbered fields still say
    what it is; a profile's general information (five such fields at most) does not."""
    form = "\n".join([
        "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020",
        "Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh Bắc Giang",
        "1. Tên tổ chức, doanh nghiệp: Công ty Cổ phần Thực phẩm Hà Bắc", "2. Địa chỉ: Thôn Phố, xã Tân Dĩnh",
        "3. Điện thoại: 0204 3881 776", "E-mail: habacfood@gmail.com", "4. Mã số thuế: 2400456785",
        "5. Người đại diện theo pháp luật: Lê Thị Thu Hà", "6. Năm thành lập: 2011", "7. Tổng số lao động: 148",
        "8. Loại hình đăng ký tham dự: Sản xuất vừa và nhỏ"])
    commitments = "\n".join(["- Chấp hành đầy đủ các quy định về Giải thưởng Chất lượng Quốc gia;",
                             "Bắc Giang, ngày 20 tháng 5 năm 2020", "ĐẠI DIỆN DOANH NGHIỆP", "GIÁM ĐỐC"])
    (match,) = classify_document(text_file("01_Don dang ky.pdf", form, commitments, method="ocr", confidence=95),
                                 rules)
    assert (match.component, match.first_page, match.last_page) == ("registration_form", 1, 2)
    profile = "\n".join([
        "THÔNG TIN CHUNG", "1. Tên doanh nghiệp: Công ty Cổ phần Thực phẩm Hà Bắc", "2. Địa chỉ: Thôn Phố",
        "3. Điện thoại: 0204 3881 776", "4. Mã số thuế: 2400456785", "5. Người đại diện: Lê Thị Thu Hà",
        "Công ty được thành lập năm 2011, sản xuất nước ép và đồ hộp."])
    assert [m.component for m in classify_document(text_file("Thong tin.pdf", profile), rules)] == [None]


def test_the_award_s_writing_guide_is_no_profile_or_self_assessment(rules):
    """Audit 14: the guide "HƯỚNG DẪN VIẾT BÁO CÁO TỰ ĐÁNH GIÁ" copied into the folder: its first page is a document
    of its own that names nothing, and its next pages, with no header of their own, are its sections ("P.1 Mô tả tổ
    chức", "Tiêu chí 1: …"), not a profile and a self-assessment (the dossier was judged complete without either)."""
    guide = text_file(
        "Huong dan viet bao cao.pdf",
        "TỔNG CỤC TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG\nSố: 215/HD-TĐC\nHƯỚNG DẪN\nViết báo cáo tự đánh giá",
        "PHẦN I. BÁO CÁO GIỚI THIỆU DOANH NGHIỆP\nP.1 Mô tả tổ chức\nNêu môi trường hoạt động, sản phẩm chính.",
        "Tiêu chí 1: Vai trò của lãnh đạo (120 điểm)\nHướng dẫn: Lãnh đạo cao nhất xác lập tầm nhìn như thế nào?")
    assert [(m.first_page, m.last_page, m.component) for m in classify_document(guide, rules)] == [(1, 3, None)]


def test_a_laboratory_result_sheet_is_a_monitoring_result_only_for_environmental_samples(rules):
    """Audit 15: an environmental laboratory's "PHIẾU KẾT QUẢ PHÂN TÍCH" filed on its own was no component, and the
    year it alone covered was asked for; a food laboratory's sheet of the same title is not monitoring."""
    head = ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "TRUNG TÂM QUAN TRẮC TN&MT Độc lập - Tự do - Hạnh phúc", "VIMCERTS 042 - VILAS 611",
            "PHIẾU KẾT QUẢ PHÂN TÍCH", "Số: 1912/KQ-QT", "Khách hàng: Công ty Cổ phần Thực phẩm Hà Bắc.",
            "Loại mẫu: Khí thải ống khói. Ngày lấy mẫu: 18/12/2019."]
    (match,) = classify_document(text_file("MT04 Phieu ket qua.png", "\n".join(head), method="ocr", confidence=93),
                                 rules)
    assert match.component == "environment"
    food = ["TRUNG TÂM KIỂM NGHIỆM THỰC PHẨM BẮC GIANG", "VILAS 215", "PHIẾU KẾT QUẢ PHÂN TÍCH", "Số: 88/KN-TP",
            "Tên mẫu: Nước ép vải thiều đóng chai. Ngày nhận mẫu: 12/3/2019.", "Chỉ tiêu: Coliforms, E. coli."]
    assert [m.component for m in classify_document(text_file("Phieu KN.pdf", "\n".join(food)), rules)] == [None]


def test_a_divider_with_nothing_of_its_component_behind_it_is_not_the_component(rules):
    """Audit 16: a bound dossier's divider "PHẦN 5 / GIẤY CHỨNG NHẬN SẢN PHẨM PHÙ HỢP TIÊU CHUẨN" followed by the
    enterprise's note that the certificate is being renewed and will be sent later was counted as the certificate
    (the dossier judged complete); a divider followed by its component still opens it."""
    divider = "PHẦN 5\nGIẤY CHỨNG NHẬN SẢN PHẨM PHÙ HỢP TIÊU CHUẨN"
    note = "\n".join(["CÔNG TY TNHH CƠ KHÍ CHÍNH XÁC VIỆT HÀN", "GHI CHÚ",
                      "Giấy chứng nhận sản phẩm phù hợp tiêu chuẩn số 1841/2018/QUATESTI (sản phẩm bu",
                      "lông, đai ốc cường độ cao) hiện đang được tổ chức chứng nhận đánh giá giám sát định kỳ",
                      "và cấp lại. Công ty sẽ nộp bổ sung bản sao chứng thực ngay sau khi được cấp, dự kiến",
                      "trước ngày 30/6/2020.", "TM. CÔNG TY", "GIÁM ĐỐC", "Phạm Quang Vinh"])
    environment = "\n".join(["PHẦN 6", "HỒ SƠ MÔI TRƯỜNG"])
    report = "\n".join(["CÔNG TY TNHH CƠ KHÍ CHÍNH XÁC VIỆT HÀN", "BÁO CÁO",
                        "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM 2019", "Ngày lấy mẫu: 12/6/2019"])
    matches = classify_document(text_file("Ho so.pdf", divider, note, environment, report, method="ocr",
                                          confidence=93), rules)
    assert [(m.component, m.first_page, m.last_page) for m in matches if m.component] == [("environment", 3, 4)]
    # A photo of a certificate of which OCR read two lines only is still the certificate.
    photo = text_file("ISO.jpg", "GIẤY CHỨNG NHẬN\nHỆ THỐNG QUẢN LÝ CHẤT LƯỢNG ISO 9001:2015", method="ocr",
                      confidence=70)
    assert [m.component for m in classify_document(photo, rules)] == ["quality_system"]


@pytest.mark.parametrize("divider", ["HỒ SƠ SỐ 2", "PHẦN II", "PHỤ LỤC 2", "Phụ lục số 2"])
def test_a_divider_that_names_only_a_part_number_opens_the_part_after_it(rules, divider):
    """Audit 16: a bound dossier's divider sheets "PHẦN 2" / "HỒ SƠ SỐ 3" went with the part before them; audit 41:
    so did "PHỤ LỤC 4"."""
    form = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA", "1. Tên doanh nghiệp: Công ty X",
                      "2. Địa chỉ: Bắc Giang"])
    profile = "\n".join(["CÔNG TY TNHH X", "BÁO CÁO GIỚI THIỆU CHUNG VỀ DOANH NGHIỆP", "Công ty thành lập năm 2008."])
    matches = classify_document(text_file("Ho so.pdf", form, divider, profile, method="ocr", confidence=93), rules)
    assert [(m.component, m.first_page, m.last_page) for m in matches] == [
        ("registration_form", 1, 1), ("company_profile", 2, 3)]
    # Inside a document, with nothing new after it, a part's number stays with the pages around it.
    text = "Ban Giám đốc xác định tầm nhìn, sứ mệnh và giá trị cốt lõi của Công ty.\nCông ty có 1.200 lao động."
    matches = classify_document(text_file("Bao cao.pdf", profile, "PHẦN 2", text, method="ocr", confidence=93), rules)
    assert [(m.component, m.first_page, m.last_page) for m in matches] == [("company_profile", 1, 3)]


def test_last_year_s_registration_form_is_not_this_year_s(rules):
    """Audit 26: last year's form, dropped in again, counted as the form. The award's year is the campaign's (its
    title's), whatever the deadline a test or a replay moves."""
    import dataclasses
    from datetime import datetime, timezone

    def form(year: int) -> list[str]:
        return ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                f"ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM {year}",
                "Kính gửi: Hội đồng Giải thưởng Chất lượng Quốc gia", "Tên doanh nghiệp: Công ty TNHH May Hiệp Hòa",
                "Địa chỉ: xã Đức Thắng, huyện Hiệp Hòa, tỉnh Bắc Giang",
                "Người đại diện theo pháp luật: Nguyễn Thị Hằng"]
    moved = dataclasses.replace(rules, campaign=dataclasses.replace(
        rules.campaign, deadline=datetime(2099, 6, 30, 16, 59, 59, tzinfo=timezone.utc)))
    for ruleset in (rules, moved):
        (this,) = classify_document(text_file("Don 2020.pdf", "\n".join(form(2020))), ruleset)
        (last,) = classify_document(text_file("Don 2019.pdf", "\n".join(form(2019))), ruleset)
        assert (this.component, last.component) == ("registration_form", None)


@pytest.mark.parametrize("title", ["GIỚI THIỆU CÔNG TY", "GIỚI THIỆU DOANH NGHIỆP", "Giới thiệu về Công ty",
                                   "GIỚI THIỆU VỀ DOANH NGHIỆP"])
def test_a_profile_titled_plainly_is_the_profile(rules, title):
    """Audit 46: a profile whose cover (or running header) says only "GIỚI THIỆU CÔNG TY" named nothing, and the
    dossier was asked for the profile it had sent."""
    profile = "\n".join([f"{title} - Thực phẩm Sạch Lạng Giang", "I. GIỚI THIỆU CHUNG",
                         "1. Tên công ty: Công ty TNHH Thực phẩm Sạch Lạng Giang",
                         "2. Lịch sử hình thành: Công ty được thành lập năm 2009 tại huyện Lạng Giang.",
                         "3. Cơ cấu tổ chức: Ban Giám đốc, 4 phòng chức năng và 2 phân xưởng."])
    matches = classify_document(text_file("Gioi thieu.docx", profile), rules)
    assert [m.component for m in matches] == ["company_profile"]
