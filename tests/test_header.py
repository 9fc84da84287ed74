"""Reading a page's document header as an officer does: the layouts of shared/DOMAIN.md, OCR'd and extracted."""

from __future__ import annotations

import pytest

from intake.judging.header import cite, parse_header

TAX_LETTER = """Ký bởi: Cục Thuế tỉnh Bắc Giang
Email: cucthue@bacgiang.gov.vn
Thời gian ký: 12.05.2020 10:15:22 +07:00
TỔNG CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc
Số: 1532/CTBGI-KK Bắc Giang, ngày 12 tháng 5 năm 2020
V/v xác nhận tình hình thực hiện
nghĩa vụ thuế của doanh nghiệp
Kính gửi: Công ty Cổ phần May Bắc Giang
Cục Thuế tỉnh Bắc Giang nhận được công văn số 25/CV-MBG ngày 05/5/2020 của Công ty đề nghị xác nhận."""

DECISION = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc
Số: 215/QĐ-UBND Bắc Giang, ngày 3 tháng 4 năm 2017
QUYẾT ĐỊNH
Về việc phê duyệt báo cáo đánh giá tác động môi trường
của Dự án đầu tư xây dựng nhà máy may Việt Yên
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"""

COVER_PAGE = """CÔNG TY CỔ PHẦN MAY BẮC GIANG
-------
BÁO CÁO
KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ
ĐỢT 1 NĂM 2019
Bắc Giang, tháng 6 năm 2019
MỤC LỤC
1. Mở đầu"""


@pytest.fixture(scope="module")
def read(rules):
    header_rules = rules.recognition.header
    return lambda text: parse_header(text, header_rules)


def test_letter_with_signature_stamp_merged_header_and_wrapped_summary(read):
    h = read(TAX_LETTER)
    assert h.skipped == 3
    assert h.issuer == ("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG")
    assert (h.number, h.symbol, h.place, h.date) == ("1532/CTBGI-KK", "CTBGI-KK", "Bắc Giang", "12/5/2020")
    assert h.letter and h.type == "" and h.kind == "cong van"
    assert h.summary == "V/v xác nhận tình hình thực hiện nghĩa vụ thuế của doanh nghiệp"
    assert h.addressee == "Công ty Cổ phần May Bắc Giang"
    assert cite(h).startswith("CỤC THUẾ TỈNH BẮC GIANG, V/v xác nhận")
    assert cite(h).endswith("số 1532/CTBGI-KK, ngày 12/5/2020")


def test_decision_type_line_and_summary_over_two_lines(read):
    h = read(DECISION)
    assert h.type == "QUYẾT ĐỊNH" and h.kind == "quyet dinh" and not h.letter
    assert h.summary == ("Về việc phê duyệt báo cáo đánh giá tác động môi trường "
                         "của Dự án đầu tư xây dựng nhà máy may Việt Yên")
    assert h.number == "215/QĐ-UBND" and h.date == "3/4/2017"
    # "ỦY BAN NHÂN DÂN" / "TỈNH BẮC GIANG": the second line alone does not name the issuer.
    assert cite(h).startswith("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG, QUYẾT ĐỊNH Về việc phê duyệt")


def test_report_cover_with_title_after_bao_cao_alone(read):
    h = read(COVER_PAGE)
    assert h.issuer == ("CÔNG TY CỔ PHẦN MAY BẮC GIANG",)
    assert h.type == "BÁO CÁO"
    assert h.summary == "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ ĐỢT 1 NĂM 2019"
    assert (h.place, h.date) == ("Bắc Giang", "6/2019")


@pytest.mark.parametrize("text, kind, summary", [
    ("GIẤY XÁC NHẬN\nVề việc thực hiện nghĩa vụ thuế với Nhà nước\nCục Thuế tỉnh Bắc Giang xác nhận Công ty "
     "đã hoàn thành nghĩa vụ thuế các năm 2017, 2018 và 2019.", "giay xac nhan",
     "Về việc thực hiện nghĩa vụ thuế với Nhà nước"),
    ("THÔNG BÁO Về việc tiếp nhận bản công bố hợp quy\nChi cục Tiêu chuẩn Đo lường Chất lượng tiếp nhận bản "
     "công bố hợp quy số 12/2019.", "thong bao", "Về việc tiếp nhận bản công bố hợp quy"),
    ("QUYẾT ĐỊNH\nVỀ VIỆC PHÊ DUYỆT KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG\nCỦA CƠ SỞ SẢN XUẤT\nCăn cứ Luật Bảo vệ môi "
     "trường;", "quyet dinh", "VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG CỦA CƠ SỞ SẢN XUẤT"),
    ("Số: 412/BHXH-QLT\nV/V xác nhận tình hình tham gia BHXH, BHYT, BHTN\nKính gửi: Công ty TNHH ABC",
     "cong van", "V/V xác nhận tình hình tham gia BHXH, BHYT, BHTN"),
    ("GIẤY XÁC NHẬN\nVỀ VIỆC tham gia\nBHXH, BHYT, BHTN\ncho người lao\nđộng\nBảo hiểm xã hội tỉnh Bắc Giang xác nhận: "
     "Công ty Cổ phần Điện tử An Phú, mã đơn vị YB8223.", "giay xac nhan",
     "VỀ VIỆC tham gia BHXH, BHYT, BHTN cho người lao động"),
    ("Số: 1112/BHXH-QLT\nV/w xác nhận tình\nhình thực hiện chính\nsách BHXH 2017 -\n2019\nKính gửi: Công ty",
     "cong van", "V/w xác nhận tình hình thực hiện chính sách BHXH 2017 - 2019"),
    ("GIẤY CHỨNG NHẬN\nSẢN PHẨM PHÙ HỢP TIÊU CHUẨN\nChứng nhận sản phẩm: Gạch ốp lát", "giay chung nhan",
     "SẢN PHẨM PHÙ HỢP TIÊU CHUẨN"),
    # A title-case type on a line of its own (BSI's certificates); a sentence-case one is not a type line.
    ("bsi.\nCertificate of Registration\nQUALITY MANAGEMENT SYSTEM - ISO 9001:2015\nThis is to certify that:",
     "certificate of registration", "QUALITY MANAGEMENT SYSTEM - ISO 9001:2015"),
    ("Quyết định\nsố 12 ngày 5/3/2020 của Giám đốc", "", ""),
    # A speck OCR read in front of the type line (a punch hole, a stamp's edge) does not hide it.
    ("BẢO HIỂM XÃ HỘI HUYỆN YÊN DŨNG\nSố: 58/XN-BHXH\nl XÁC NHẬN :\nTÌNH HÌNH ĐÓNG BẢO HIỂM XÃ HỘI\nBảo hiểm xã hội "
     "huyện Yên Dũng xác nhận Công ty", "xac nhan", "TÌNH HÌNH ĐÓNG BẢO HIỂM XÃ HỘI"),
    # "VỀ DOANH NGHIỆP" goes on with the title: it is not the summary stop "Tên doanh nghiệp" misread.
    ("CÔNG TY TNHH ĐIỆN TỬ QUANG CHÂU\n-------\nBÁO CÁO TỔNG QUAN\nVỀ DOANH NGHIỆP\nLạng Giang, tháng 6/2020",
     "bao cao", "TỔNG QUAN VỀ DOANH NGHIỆP"),
    ("BỘ Y TẾ\nSố: 2231/2018/ATTP-TNCB Hà Nội, ngày 14 tháng 8 năm 2018\nGIẤY TIẾP NHẬN BẢN CÔNG BỐ HỢP QUY\n"
     "Cục An toàn thực phẩm xác nhận đã nhận Bản công bố hợp quy của: Công ty", "giay tiep nhan",
     "BẢN CÔNG BỐ HỢP QUY"),
    # OCR with the vie model: stacked diacritics confused, English letters mistaken.
    ("GIÂY XÁC NHẠN\nVề viêc thực hiện nghĩa vụ thuê", "giay xac nhan", "Về viêc thực hiện nghĩa vụ thuê"),
    ("CERTIEICATE OF REGISTRATION\nThis is to certify that the Quality Management System of\nCÔNG TY TNHH ABC\n"
     "has been assessed and found to conform to 1SO 9001:2015", "certificate of registration",
     "This is to certify that the Quality Management System of"),
])
def test_type_and_summary_variants(read, text, kind, summary):
    h = read(text)
    assert (h.kind, h.summary) == (kind, summary)


def test_date_on_the_summary_line_is_taken_out_of_the_summary(read):
    h = read("CÔNG TY CỔ PHẦN MAY BẮC GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "Số: 25/CV-MBG Độc lập - Tự do - Hạnh phúc\n"
             "V/v gửi hồ sơ tham dự Giải thưởng Bắc Giang, ngày 10 tháng 6 năm 2020\n"
             "Chất lượng Quốc gia năm 2020\n"
             "Kính gửi: Sở Khoa học và Công nghệ tỉnh Bắc Giang")
    assert h.number == "25/CV-MBG" and h.date == "10/6/2020" and h.place == "Bắc Giang"
    assert h.summary == "V/v gửi hồ sơ tham dự Giải thưởng Chất lượng Quốc gia năm 2020"
    assert h.issuer == ("CÔNG TY CỔ PHẦN MAY BẮC GIANG",)


def test_web_copy_metadata_table_and_received_stamp_are_skipped(read):
    h = read("Số hiệu: 215/QĐ-UBND\nLoại văn bản: Quyết định\nNơi ban hành: Tỉnh Bắc Giang\n"
             "Ngày ban hành: 03/04/2017\nỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\nĐẾN Số: 1234\n"
             "Số: 215/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc phê duyệt báo cáo đánh giá tác động môi trường\n"
             "Căn cứ Luật Bảo vệ môi trường;")
    assert h.skipped == 4
    assert h.number == "215/QĐ-UBND" and h.kind == "quyet dinh"
    assert h.summary == "Về việc phê duyệt báo cáo đánh giá tác động môi trường"


def test_mangled_quoc_hieu_of_an_english_ocr_layer_is_still_removed(read):
    h = read("CUC THUE TINH BAC GIANG CONG HOA XA HOI CHU NGHIA VIET NAM\nSố: 12/CT-TTHT\nTHÔNG BÁO\n"
             "Về việc nợ thuế")
    assert h.issuer == ("CUC THUE TINH BAC GIANG",)


def test_prose_is_no_header(read):
    h = read("Công ty được thành lập năm 2005, hoạt động trong lĩnh vực may mặc xuất khẩu, với hơn 1.200 lao động "
             "và ba nhà máy tại huyện Việt Yên.\nQuyết định số 12/QĐ-UBND ngày 3/4/2017 đã phê duyệt dự án.")
    assert not h.found and cite(h) == ""


def test_sentence_starting_with_a_type_word_is_no_type_line(read):
    h = read("Báo cáo này trình bày kết quả hoạt động của công ty trong ba năm gần nhất")
    assert h.kind == ""


def test_wrapped_summary_line_starting_with_a_roman_looking_syllable(read):
    h = read("Số: 1309/BHXH-THU Bắc Giang, ngày 14 tháng 02 năm 2020\nV/v xác nhận đơn\nvị không nợ BHXH,\n"
             "BHYT, BHTN\nKính gửi: Công ty TNHH MTV May Đức Giang")
    assert h.summary == "V/v xác nhận đơn vị không nợ BHXH, BHYT, BHTN"


def test_a_poor_copy_s_letter_is_still_a_letter(read):
    """Audit 20: "V/v" read as "'V#" or "'VỈv" from a 150-dpi photocopy, or lost under a highlighter stroke; the
    agency's two confirmations then named nothing and went on with the monitoring reports before them."""
    for mark in ("'V#", "'VỈv", "'V&", "Vlv"):
        h = read("\n".join(["CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
                            "Số: 131532/CTBGI-KK Bắc Giang, ngày 12 tháng 5 năm 2020",
                            f"{mark} xác nhận tình hình thực hiện", "nghĩa vụ thuế của doanh nghiệp",
                            "Kính gửi: Công ty TNHH May mặc Hiệp Hòa"]))
        assert h.letter and "xác nhận tình hình thực hiện nghĩa vụ thuế" in h.summary, mark
    lost = read("\n".join(["TỔNG CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
                           "Số: 111132/CTBGI-KK Bắc Giang, ngày 12 tháng 5 năm 2020",
                           "Kính gửi: Công ty TNHH Cơ khí Việt Yên", "Căn cứ Luật Quản lý thuế số 38/2019/QH14"]))
    assert lost.letter and lost.kind == "cong van" and lost.issuer[-1] == "CỤC THUẾ TỈNH BẮC GIANG"
    # Headings stay headings; a report cover's "ĐƠN VỊ TƯ VẤN:" is no type line "ĐƠN".
    assert not read("V. KẾT QUẢ QUAN TRẮC\nKết quả đạt quy chuẩn.").letter
    cover = read("\n".join(["CÔNG TY CỔ PHẦN NÔNG SẢN LỤC NGẠN", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ",
                            "ĐỢT 1 NĂM 2019", "ĐƠN VỊ TƯ VẤN:", "TRUNG TÂM QUAN TRẮC TÀI NGUYÊN VÀ MÔI TRƯỜNG"]))
    assert cover.type != "ĐƠN"
    # A form whose title OCR could not read as a type, between its number and "Kính gửi", is no letter.
    form = read("\n".join(["CÔNG TY CỔ PHẦN THÉP TÂN YÊN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "Số: 786/ĐK-TTY Bắc Giang, ngày 05 tháng 4 năm 2020", "_ÒD_ ĐƠN ĐĂNG KÝ THAM DỰ",
                           "GIẢI THƯỜNG CHẤT LƯỢNG QUỐC GIA", "Kính gửi: Hội đồng sơ tuyển Giải thưởng"]))
    assert not form.letter


def test_a_certified_copys_stamp_is_no_issuer_and_a_bilingual_number_label_is_no_number(read):
    """Audit 40: "SAO Y BẢN CHÍNH" was read as the first issuer line, and "Số /No.: 1208/2019/…" as number "/No"."""
    h = read("SAO Y BẢN CHÍNH\n\nTRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 3\n"
             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nGIẤY CHỨNG NHẬN\n\nHỢP QUY\n"
             "CERTIEICATE OF CONEFORMITY\nSố /No.: 1208/2019/QUATEST3-HQ\nSản phẩm: Vải dệt thoi")
    assert h.issuer == ("TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 3",)
    assert h.number == "1208/2019/QUATEST3-HQ" and h.type == "GIẤY CHỨNG NHẬN"


@pytest.mark.parametrize("stamped", [
    # above the header: its number is the stamp's, not the letter's
    ["CÔNG VĂN ĐẾN", "Số: 125 Ngày 22/01/2020", "Chuyển: P.KT", *range(8)],
    ["ĐẾN", "Số: 125", "Ngày: 22/01/2020", *range(8)],
    # merged by text extraction into the summary's first line
    [*range(3), "V/v xác nhận tình hình thực hiện ĐẾN Số: 125", *range(4, 8)],
    # between the summary's lines
    [*range(4), "ĐẾN Số: 125", "Ngày: 22/1/2020", *range(4, 8)],
])
def test_an_incoming_mail_stamp_is_neither_number_nor_summary(read, stamped):
    """Audit 41: the Chi cục's "CÔNG VĂN ĐẾN / Số: 125 / Ngày …" stamp over a tax letter gave it the number 125, and
    merged into the summary's line it made "V/v xác nhận tình hình thực hiện ĐẾN Số: 125 nghĩa vụ thuế"."""
    letter = ["TỔNG CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
              "Số: 402/CTBGI-KK Bắc Giang, ngày 21 tháng 01 năm 2020", "V/v xác nhận tình hình thực hiện",
              "nghĩa vụ thuế", "Kính gửi: Công ty Cổ phần Bao bì Việt Hưng Bắc Giang", "Mã số thuế: 2405667010",
              "Cục Thuế tỉnh Bắc Giang xác nhận: Công ty đã nộp đủ các khoản thuế trong các năm 2017, 2018 và 2019."]
    h = read("\n".join(letter[line] if isinstance(line, int) else line for line in stamped))
    assert (h.number, h.summary, h.date) == (
        "402/CTBGI-KK", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế", "21/1/2020"), h
