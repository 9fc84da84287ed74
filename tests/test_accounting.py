"""Documents as real ones are laid out: recognised from their header, every page of a file accounted for, cover
letters recorded and never counted, content checks over every page of a component (shared/DOMAIN.md)."""

from __future__ import annotations

import random

from intake.desk.report import verdict_record
from intake.judging.classify import classify_document, classify_dossier
from intake.judging.completeness import evaluate, recognition_hints

import dossiers
from conftest import BEFORE_DEADLINE, text_file

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

TAX_GXN = f"""CỤC THUẾ TỈNH BẮC GIANG {NATIONAL}
CHI CỤC THUẾ KHU VỰC VIỆT YÊN {MOTTO}
Số: 1532/GXN-CCT Việt Yên, ngày 12 tháng 5 năm 2020
GIẤY XÁC NHẬN
Về việc thực hiện nghĩa vụ thuế với Nhà nước
Chi cục Thuế khu vực Việt Yên xác nhận Công ty Cổ phần May Bắc Giang, mã số thuế 2400123456,
đã kê khai và nộp đầy đủ các khoản thuế vào ngân sách nhà nước các năm 2017, 2018 và 2019."""

BHXH = f"""BẢO HIỂM XÃ HỘI VIỆT NAM {NATIONAL}
BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG {MOTTO}
Số: 412/BHXH-QLT
V/V xác nhận tình hình tham gia
BHXH, BHYT, BHTN của đơn vị
Bắc Giang, ngày 20 tháng 5 năm 2020
Kính gửi: Công ty Cổ phần May Bắc Giang
Bảo hiểm xã hội tỉnh Bắc Giang xác nhận đơn vị đã tham gia đầy đủ cho người lao động
trong giai đoạn 2017–2019 và không nợ tiền đóng tại thời điểm xác nhận."""

TAX_LETTER = f"""Ký bởi: Cục Thuế tỉnh Bắc Giang
Thời gian ký: 12.05.2020 10:15:22 +07:00
TỔNG CỤC THUẾ {NATIONAL}
CỤC THUẾ TỈNH BẮC GIANG {MOTTO}
Số: 1533/CTBGI-KK Bắc Giang, ngày 12 tháng 5 năm 2020
V/v xác nhận tình hình thực hiện
nghĩa vụ thuế của doanh nghiệp
Kính gửi: Công ty TNHH Thực phẩm Hà Bắc
Qua kiểm tra dữ liệu quản lý thuế, Công ty đã hoàn thành nghĩa vụ thuế năm 2017; năm 2018; năm 2019."""

DECISION = f"""ỦY BAN NHÂN DÂN {NATIONAL}
TỈNH BẮC GIANG {MOTTO}
Số: 215/QĐ-UBND Bắc Giang, ngày 3 tháng 4 năm 2016
QUYẾT ĐỊNH
Về việc phê duyệt báo cáo đánh giá tác động môi trường
của Dự án nhà máy may Việt Yên
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG
Căn cứ Luật Bảo vệ môi trường ngày 23 tháng 6 năm 2014;"""

DECISION_2 = """Điều 2. Chủ dự án có trách nhiệm thực hiện đúng các nội dung của báo cáo đã được phê duyệt.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký."""


def monitoring(year: int) -> str:
    return f"""CÔNG TY CỔ PHẦN MAY BẮC GIANG
-------
BÁO CÁO
KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ
NĂM {year}
Bắc Giang, tháng 12 năm {year}"""


MONITORING_BODY = """Bảng 1. Kết quả phân tích mẫu nước thải sau xử lý
Các chỉ tiêu pH, BOD5, COD, TSS đều nằm trong giới hạn cho phép của QCVN 40:2011/BTNMT."""

ISO_EN = """CERTIEICATE OF REGISTRATION
This is to certify that the Quality Management System of
CÔNG TY CỔ PHẦN MAY BẮC GIANG
Lô C1, Khu công nghiệp Đình Trám, huyện Việt Yên, tỉnh Bắc Giang
has been assessed and found to conform to the requirements of
1SO 9001:2015
Certificate No.: VN-QMS-2018-1234 Expiry date: 14/8/2021"""

CONFORMITY = f"""TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 1 {NATIONAL}
{MOTTO}
GIẤY CHỨNG NHẬN
SẢN PHẨM PHÙ HỢP TIÊU CHUẨN
Số: 1234/2019/HC-QUATEST1
Chứng nhận sản phẩm: Gạch ốp lát ceramic
Phù hợp tiêu chuẩn: TCVN 7745:2007"""

COVER = f"""CÔNG TY CỔ PHẦN MAY BẮC GIANG {NATIONAL}
Số: 25/CV-MBG {MOTTO}
V/v gửi hồ sơ tham dự Giải thưởng Bắc Giang, ngày 10 tháng 6 năm 2020
Chất lượng Quốc gia năm 2020
Kính gửi: Sở Khoa học và Công nghệ tỉnh Bắc Giang
Công ty trân trọng gửi hồ sơ tham dự Giải thưởng, gồm:
1. Đơn đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020;
2. Báo cáo giới thiệu chung về tổ chức, doanh nghiệp;
3. Báo cáo tự đánh giá theo 07 tiêu chí của Giải thưởng Chất lượng Quốc gia;
4. Giấy chứng nhận hệ thống quản lý chất lượng ISO 9001:2015;
5. Xác nhận kết quả thực hiện nghĩa vụ thuế và chế độ bảo hiểm xã hội.
Nơi nhận:
- Như trên;
- Lưu: VT."""

UNRELATED = f"""ỦY BAN NHÂN DÂN {NATIONAL}
TỈNH BẮC GIANG {MOTTO}
Số: 99/QĐ-UBND Bắc Giang, ngày 3 tháng 4 năm 2020
QUYẾT ĐỊNH
Về việc thành lập Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia năm 2020
Căn cứ Luật Tổ chức chính quyền địa phương;"""


def ranges(file, rules):
    return [(m.first_page, m.last_page, m.component, m.role) for m in classify_document(file, rules)]


def test_tax_confirmation_then_insurance_confirmation_is_one_range(rules):
    file = text_file("Thue BHXH.pdf", TAX_GXN, BHXH)
    (match,) = classify_document(file, rules)
    assert (match.label, match.component) == ("Thue BHXH.pdf", "tax_insurance")
    headers = [e.phrase for e in match.evidence if e.kind == "header"]
    assert headers[0].startswith("CHI CỤC THUẾ KHU VỰC VIỆT YÊN, GIẤY XÁC NHẬN Về việc thực hiện nghĩa vụ thuế")
    assert headers[0].endswith("số 1532/GXN-CCT, ngày 12/5/2020")
    assert match.header.number == "1532/GXN-CCT"


def test_approval_decision_then_monitoring_reports_is_one_range(rules):
    file = text_file("Moi truong.pdf", DECISION, DECISION_2, monitoring(2017), MONITORING_BODY, monitoring(2018),
                     monitoring(2019), MONITORING_BODY)
    assert ranges(file, rules) == [(1, 7, "environment", "component")]


def test_letter_layout_with_signature_stamp_is_recognised(rules):
    assert ranges(text_file("cv.pdf", TAX_LETTER), rules) == [(1, 1, "tax_insurance", "component")]


def test_english_certificate_with_ocr_errors_counts(rules):
    file = text_file("cert.jpg", ISO_EN, method="ocr", confidence=80)
    assert ranges(file, rules) == [(1, 1, "quality_system", "component")]


def test_conformity_certificate_titled_over_two_lines(rules):
    assert ranges(text_file("hc.pdf", CONFORMITY), rules) == [(1, 1, "product_conformity", "component")]


def test_cover_letter_is_recorded_never_counted(rules):
    assert ranges(text_file("Cong van.pdf", COVER), rules) == [(1, 1, None, "cover_letter")]


def test_any_page_enumerating_components_is_a_cover_letter(rules):
    listing = "Danh mục hồ sơ kèm theo\n" + "\n".join(COVER.splitlines()[6:11])
    assert ranges(text_file("Danh muc.pdf", listing), rules) == [(1, 1, None, "cover_letter")]


def test_cover_letter_before_the_components_of_a_merged_scan(rules):
    file = text_file("Ho so.pdf", COVER, TAX_GXN, BHXH, ISO_EN)
    assert ranges(file, rules) == [(1, 1, None, "cover_letter"), (2, 3, "tax_insurance", "component"),
                                   (4, 4, "quality_system", "component")]


def test_unrelated_decision_is_listed_unrecognised_and_not_attached(rules):
    file = text_file("QD.pdf", DECISION, UNRELATED, DECISION_2, monitoring(2019))
    assert ranges(file, rules) == [(1, 1, "environment", "component"), (2, 3, None, "unrecognised"),
                                   (4, 4, "environment", "component")]


def test_leading_pages_that_name_nothing_belong_to_the_first_component(rules):
    file = text_file("scan.pdf", "Ảnh chụp", "", DECISION, DECISION_2)
    assert ranges(file, rules) == [(1, 4, "environment", "component")]


def test_no_page_is_ever_dropped(rules):
    rng = random.Random(13)
    ent = dossiers.make_enterprise(rng)
    pages = [COVER, "Trang trắng"]
    for component in dossiers.COMPONENT_IDS:
        pages += ["\n".join(p) for p in dossiers.component_pages(component, ent, rng)]
    pages += [UNRELATED, DECISION_2, TAX_LETTER, ISO_EN]
    matches = classify_document(text_file("Ho so.pdf", *pages), rules)
    covered = [n for m in matches for n in range(m.first_page, m.last_page + 1)]
    assert covered == list(range(1, len(pages) + 1))
    labels = [m.component for m in matches]
    assert all(a != b or a is None for a, b in zip(labels, labels[1:])), labels  # same component: one range


def judge(files, rules):
    return evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE)


def test_years_are_read_on_every_page_of_the_component_including_spans(rules):
    files = [text_file("Thue BHXH.pdf", TAX_GXN, BHXH)]
    verdict = judge(files, rules)
    assert [d for d in verdict.deficiencies if d.code == "missing_years"] == []


def test_environment_years_over_several_monitoring_reports(rules):
    files = [text_file("Moi truong.pdf", DECISION, DECISION_2, monitoring(2018), MONITORING_BODY, monitoring(2019))]
    verdict = judge(files, rules)
    assert [d.message for d in verdict.deficiencies if d.code == "missing_years"] == [
        "Thiếu kết quả quan trắc môi trường năm 2017."]


def test_failed_check_with_unrecognised_pages_in_the_file_is_pointed_out_to_the_officer(rules):
    files = [text_file("Moi truong.pdf", DECISION, monitoring(2018), UNRELATED, monitoring(2019))]
    verdict = judge(files, rules)
    assert any(d.code == "missing_years" and d.document == "environment" for d in verdict.deficiencies)
    (hint,) = recognition_hints(verdict, rules)
    assert (hint.code, hint.document, hint.file) == ("unrecognised_pages", "environment", "Moi truong.pdf")
    assert "trang 3" in hint.message


def test_criteria_headings_as_written(rules):
    headings = ["1. VAI TRÒ CỦA LÃNH ĐẠO", "Tiêu chí 2: Hoạch định chiến lược", "3. ĐỊNH HƯỚNG VÀO KHÁCH HÀNG",
                "TIÊU CHÍ 4. ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN TRỊ TRI THỨC", "5. Định hướng vào nguồn nhân lực",
                "6. QUẢN LÝ QUÁ TRÌNH HOẠT ĐỘNG", "Tiêu chí 7 - Kết quả hoạt động"]
    cover = ("CÔNG TY CỔ PHẦN MAY BẮC GIANG\n-------\nBÁO CÁO\nTỰ ĐÁNH GIÁ CỦA TỔ CHỨC THEO 7 TIÊU CHÍ\n"
             "CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA\nBắc Giang, tháng 6 năm 2020")
    body = [f"{h}\n1.{i} Nội dung đánh giá\nCông ty đã thực hiện đầy đủ." for i, h in enumerate(headings, 1)]
    verdict = judge([text_file("Tu danh gia.pdf", cover, *body)], rules)
    assert verdict.documents["self_assessment"] == ("Tu danh gia.pdf",)
    assert [d for d in verdict.deficiencies if d.code == "missing_criteria"] == []


def test_json_record_carries_headers_unrecognised_pages_and_cover_letters(rules):
    files = [text_file("Ho so.pdf", COVER, TAX_GXN, UNRELATED)]
    record = verdict_record(judge(files, rules))
    assert record["cover_letters"] == ["Ho so.pdf#p1"]
    assert record["unrecognised"] == ["Ho so.pdf#p3"]
    tax = next(e for e in record["evidence"] if e["document"] == "tax_insurance")
    assert tax["role"] == "component" and tax["file"] == "Ho so.pdf#p2"
    assert tax["header"]["number"] == "1532/GXN-CCT" and tax["header"]["type"] == "GIẤY XÁC NHẬN"
    assert tax["header"]["date"] == "12/5/2020" and tax["header"]["issuer"][-1] == "CHI CỤC THUẾ KHU VỰC VIỆT YÊN"


def photo(path: str, text: str):
    from dataclasses import replace

    file = text_file(path, text, method="ocr", confidence=80.0)
    return replace(file, extraction=replace(file.extraction, kind="jpeg"))


def test_images_named_in_sequence_an_unrelated_document_is_not_attached(rules):
    files = [photo("anh_01.jpg", DECISION), photo("anh_02.jpg", DECISION_2), photo("anh_03.jpg", UNRELATED),
             photo("anh_04.jpg", "Điều 2. Thành viên Hội đồng có trách nhiệm thực hiện nhiệm vụ được giao.")]
    matches = classify_dossier(files, rules)
    assert [(m.file, m.component) for m in matches] == [
        ("anh_01.jpg", "environment"), ("anh_02.jpg", "environment"), ("anh_03.jpg", None), ("anh_04.jpg", None)]


def test_unrelated_letter_from_the_tax_office_is_not_a_confirmation(rules):
    letter = TAX_LETTER.replace("V/v xác nhận tình hình thực hiện\nnghĩa vụ thuế của doanh nghiệp",
                                "V/v triển khai hóa đơn điện tử theo\nNghị định 119/2018/NĐ-CP")
    assert ranges(text_file("cv.pdf", letter), rules) == [(1, 1, None, "unrecognised")]


def test_invitation_and_guidance_about_the_award_are_never_counted(rules):
    invitation = (f"SỞ KHOA HỌC VÀ CÔNG NGHỆ {NATIONAL}\nSố: 12/GM-KHCN Bắc Giang, ngày 2 tháng 4 năm 2020\n"
                  "GIẤY MỜI\nTham dự Hội nghị hướng dẫn tham gia Giải thưởng Chất lượng Quốc gia năm 2020\n"
                  "Kính mời: Đại diện lãnh đạo Công ty")
    guidance = (f"SỞ KHOA HỌC VÀ CÔNG NGHỆ {NATIONAL}\nSố: 13/KHCN-TĐC\nV/v hướng dẫn tham dự Giải thưởng\n"
                "Chất lượng Quốc gia năm 2020\nKính gửi: Các doanh nghiệp trên địa bàn tỉnh\n"
                "Hồ sơ tham dự Giải thưởng gồm:\n" + "\n".join("- " + line.split(". ", 1)[1]
                                                             for line in COVER.splitlines()[6:11]))
    assert ranges(text_file("gm.pdf", invitation), rules) == [(1, 1, None, "unrecognised")]
    assert ranges(text_file("hd.pdf", guidance), rules) == [(1, 1, None, "cover_letter")]


def test_dossier_page_and_json_show_headers_unrecognised_pages_and_cover_letters(service):
    """Through the service: digital PDFs dropped in the inbox, the officers' JSON and the dossier's HTML page."""
    from test_html_report import page_of

    folder = service.inbox / "Công ty Cổ phần May Bắc Giang"
    folder.mkdir()
    dossiers.write_digital_pdf(folder / "Cong van.pdf", [COVER.splitlines()])
    dossiers.write_digital_pdf(folder / "Thue.pdf", [TAX_LETTER.splitlines(), UNRELATED.splitlines()])
    service.scan()
    record = service.report()["Công ty Cổ phần May Bắc Giang"]
    assert record["documents"]["tax_insurance"] == ["Thue.pdf#p1"]
    assert record["unrecognised"] == ["Thue.pdf#p2"] and record["cover_letters"] == ["Cong van.pdf"]
    tax = next(e for e in record["evidence"] if e["document"] == "tax_insurance")
    assert tax["header"]["number"] == "1533/CTBGI-KK" and tax["header"]["letter"] is True

    page = page_of(service, "Công ty Cổ phần May Bắc Giang")
    row = next(tr for tr in page.find_all("tr") if tr.attrs.get("data-component") == "tax_insurance")
    assert "Văn bản (trang 1): CỤC THUẾ TỈNH BẮC GIANG, V/v xác nhận tình hình thực hiện nghĩa vụ thuế của doanh " \
           "nghiệp, số 1533/CTBGI-KK, ngày 12/5/2020" in row.cells()[5]
    others = {tr.attrs["data-other"]: " ".join(tr.cells()) for tr in page.find_all("tr") if "data-other" in tr.attrs}
    assert "Cong van.pdf" in others["cover_letter"] and "không tính là thành phần" in others["cover_letter"]
    assert "Thue.pdf, trang 2" in others["unrecognised"] and "QUYẾT ĐỊNH Về việc thành lập" in others["unrecognised"]


def test_enclosure_table_of_a_word_file_is_a_cover_letter(rules):
    table = ("CÔNG TY CỔ PHẦN ĐIỆN TỬ AN PHÚ\n-------\nDANH MỤC TÀI LIỆU GỬI KÈM\n"
             "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020\nSTT   Tên tài liệu   Số lượng\n"
             "1   Đơn đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020   01 bản\n"
             "2   Báo cáo giới thiệu chung về tổ chức, doanh nghiệp   01 bản\n"
             "3   Báo cáo tự đánh giá theo 07 tiêu chí của Giải thưởng Chất lượng Quốc gia   01 bản")
    assert ranges(text_file("Danh muc.docx", table), rules) == [(1, 1, None, "cover_letter")]


def test_honour_certificate_and_a_letter_about_tax_debts(rules):
    honour = (f"ỦY BAN NHÂN DÂN {NATIONAL}\nTỈNH BẮC GIANG {MOTTO}\nSố: 701/GCN-UBND Bắc Giang, ngày 22 tháng 01 "
              "năm 2020\nGIẤY CHỨNG NHẬN\nDOANH NGHIỆP TIÊU BIỂU TỈNH BẮC GIANG NĂM 2019\nChứng nhận: Công ty TNHH "
              "May Hưng Thịnh\nĐã có thành tích xuất sắc trong sản xuất, kinh doanh.")
    debts = TAX_LETTER.replace("V/v xác nhận tình hình thực hiện\nnghĩa vụ thuế của doanh nghiệp",
                               "V/v xác nhận không\nnợ đọng thuế")
    assert ranges(text_file("gcn.pdf", honour), rules) == [(1, 1, "other_evidence", "component")]
    assert ranges(text_file("no.pdf", debts), rules) == [(1, 1, "tax_insurance", "component")]


def test_letter_summary_interrupted_by_the_date_column_and_a_mail_stamp(rules):
    letter = ("BẢO HIỂM XÃ HỘI VIỆT NAM\nBẢO HIỂM XÃ HỘI TỈNH BẮC GIANG\n---o0o---\nSố: 902/BHXH-TST\n"
              f"V/v xác nhận tình hình tham gia  {NATIONAL}\n{MOTTO}\nBắc Giang, ngày 17 tháng 02 năm 2020\n"
              "ĐẾN\nSố: 218\nNgày: 21/2/20\nBHXH, BHYT, BHTN của đơn vị\nKính gửi: Công ty Cổ phần Chế biến gỗ")
    (match,) = classify_document(text_file("bhxh.docx", letter), rules)
    assert match.component == "tax_insurance"
    assert match.header.summary == "V/v xác nhận tình hình tham gia BHXH, BHYT, BHTN của đơn vị"


def test_enclosure_list_without_numbers_is_a_cover_letter(rules):
    listing = ("CÔNG TY TNHH MTV NHỰA VIỆT YÊN\n-------\nDANH MỤC HỒ SƠ THAM DỰ\n"
               "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020\n"
               "Đơn đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020;\n"
               "Báo cáo giới thiệu chung về tổ chức, doanh nghiệp;\n"
               "Báo cáo tự đánh giá theo 07 tiêu chí của Giải thưởng Chất lượng Quốc gia;")
    assert ranges(text_file("Danh muc.docx", listing), rules) == [(1, 1, None, "cover_letter")]
    attached = listing.replace("DANH MỤC HỒ SƠ THAM DỰ", "DANH MỤC TÀI LIỆU GỬI KÈM")
    assert ranges(text_file("Danh muc.docx", attached), rules) == [(1, 1, None, "cover_letter")]


def test_a_reports_list_of_abbreviations_does_not_cut_it(rules):
    cover = ("CÔNG TY CỔ PHẦN MAY BẮC GIANG\n-------\nBÁO CÁO\nTỰ ĐÁNH GIÁ THEO 07 TIÊU CHÍ\n"
             "CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA\nBắc Giang, tháng 6 năm 2020")
    abbreviations = "DANH MỤC CÁC TỪ VIẾT TẮT\nGTCLQG: Giải thưởng Chất lượng Quốc gia\nHTQLCL: Hệ thống quản lý chất lượng"
    assert ranges(text_file("BC.pdf", cover, abbreviations, "1. VAI TRÒ CỦA LÃNH ĐẠO"), rules) == [
        (1, 3, "self_assessment", "component")]
