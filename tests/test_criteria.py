"""Which criteria a self-assessment addresses, as consultants lay reports out (audit 40): a heading with only
"(Đang cập nhật)" under it addresses nothing, nor does a score table's row (wrapped in its cell or not) beside
real headings; a bilingual short heading after a slash and a criterion's sub-items ("4.1 Đo lường …") do."""

from __future__ import annotations

from conftest import text_file
from test_completeness import dossier_files, judge


def _missing(pages: list[str], rules) -> list[str]:
    others = [f for f in dossier_files(40) if "self_assessment" not in f.path]
    verdict = judge(others + [text_file("Bao cao tu danh gia.pdf", *pages)], rules)
    assert "self_assessment" in verdict.documents, verdict.documents
    return sorted(d.message.split("tiêu chí ")[-1][:1] for d in verdict.deficiencies if d.code == "missing_criteria")


_TITLE = "BÁO CÁO TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"
_BODY = "Công ty đã triển khai có hệ thống, kết quả được theo dõi hằng tháng và cải tiến khi cần."
_SCORES = "\n".join([
    "TỔNG HỢP ĐIỂM TỰ ĐÁNH GIÁ THEO 7 TIÊU CHÍ", "TT Tiêu chí Điểm tối đa Điểm tự đánh giá",
    "1 Vai trò của lãnh đạo 120 70", "2 Chiến lược hoạt động 85 48",
    "3 Chính sách định hướng", "vào khách hàng và thị", "trường", "85 50",
    "4 Đo lường, phân tích và", "quản lý tri thức", "90 45",
    "5 Quản lý nguồn nhân", "lực", "85 49", "6 Quản lý quá trình hoạt", "động", "85 51",
    "7 Kết quả hoạt động 450 230", "Tổng cộng 1000 543"])


def _roman(placeholder_for: int = 0) -> list[str]:
    names = ["VAI TRÒ CỦA LÃNH ĐẠO", "CHIẾN LƯỢC HOẠT ĐỘNG", "CHÍNH SÁCH ĐỊNH HƯỚNG VÀO KHÁCH HÀNG VÀ THỊ TRƯỜNG",
             "ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN LÝ TRI THỨC", "QUẢN LÝ NGUỒN NHÂN LỰC", "QUẢN LÝ QUÁ TRÌNH HOẠT ĐỘNG",
             "KẾT QUẢ HOẠT ĐỘNG"]
    roman = ["I", "II", "III", "IV", "V", "VI", "VII"]
    return ["\n".join([f"{roman[n]}. {name}", "(Đang cập nhật)" if n + 1 == placeholder_for else _BODY])
            for n, name in enumerate(names)]


def test_a_heading_with_only_a_placeholder_under_it_is_not_addressed_whatever_the_score_table_says(rules):
    assert _missing([_TITLE, _SCORES, *_roman(placeholder_for=4)], rules) == ["4"]
    assert _missing([_TITLE, _SCORES, *_roman()], rules) == []


def test_a_report_that_is_its_score_table_only_addresses_what_it_scores(rules):
    assert _missing([_TITLE + "\n" + _SCORES], rules) == []


def test_short_bilingual_headings_and_sub_items_address_their_criterion(rules):
    pages = [_TITLE,
             "1. VAI TRÒ LÃNH ĐẠO / LEADERSHIP\n1.1 Lãnh đạo cao nhất của tổ chức\n" + _BODY,
             "2. CHIẾN LƯỢC / STRATEGY\n" + _BODY,
             "3. KHÁCH HÀNG VÀ THỊ TRƯỜNG / CUSTOMERS AND MARKETS\n3.1 Hiểu biết về khách hàng\n" + _BODY,
             "4.1 Đo lường, phân tích và cải tiến hoạt động của tổ chức\n" + _BODY
             + "\n4.2 Quản trị thông tin và tri thức\n" + _BODY,
             "5. NGUỒN NHÂN LỰC / WORKFORCE\n" + _BODY, "6. QUẢN LÝ QUÁ TRÌNH / OPERATIONS\n" + _BODY,
             "7. KẾT QUẢ HOẠT ĐỘNG / BUSINESS RESULTS\n" + _BODY]
    assert _missing(pages, rules) == []
    assert _missing([p for p in pages if not p.startswith("4.1")], rules) == ["4"]


def test_a_report_page_whose_last_criterion_will_follow_stays_in_the_report(rules):
    """Audit 41: a self-assessment page whose last heading says "(Đang cập nhật số liệu năm 2019, Công ty sẽ bổ sung
    sau)" was taken for the enterprise's note that a document will follow and set aside, so criterion 6 above it
    was asked for; only criterion 7 is missing."""
    pages = [_TITLE, *_roman()[:5], "\n".join([
        "Tiêu chí 6. Quản lý quá trình hoạt động (85 điểm)", "6.1. Thiết kế sản phẩm và quá trình",
        "Các quá trình chính được thiết kế, lập thành văn bản theo tiêu chuẩn ISO 9001:2015; mỗi quá trình có chủ sở "
        "hữu, chỉ số đo lường và kế hoạch kiểm soát.", "6.2. Quản lý và cải tiến quá trình",
        "Công ty áp dụng 5S, Kaizen và kiểm soát quá trình bằng thống kê; năm 2019 đã thực hiện 38 đề xuất cải tiến.",
        "Tiêu chí 7. Kết quả hoạt động (450 điểm)", "(Đang cập nhật số liệu năm 2019, Công ty sẽ bổ sung sau)"])]
    assert _missing(pages, rules) == ["7"]
