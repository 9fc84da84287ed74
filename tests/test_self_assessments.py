"""Self-assessments as enterprises write them (audit 54): with no title, in English, as a table whose rows hold the
criteria's text, with "Đang hoàn thiện" in place of a criterion's content."""

from __future__ import annotations

import re

import pytest

from conftest import BEFORE_DEADLINE, text_file
from intake.judging.classify import classify_document, classify_dossier
from intake.judging.completeness import evaluate

BODY = "Công ty đã triển khai nội dung này một cách có hệ thống, có kế hoạch, theo dõi và cải tiến hằng năm."
VIETNAMESE = ["VAI TRÒ CỦA LÃNH ĐẠO", "CHIẾN LƯỢC HOẠT ĐỘNG", "CHÍNH SÁCH ĐỊNH HƯỚNG VÀO KHÁCH HÀNG VÀ THỊ TRƯỜNG",
              "ĐO LƯỜNG, PHÂN TÍCH VÀ QUẢN LÝ TRI THỨC", "QUẢN LÝ NGUỒN NHÂN LỰC", "QUẢN LÝ QUÁ TRÌNH HOẠT ĐỘNG",
              "KẾT QUẢ HOẠT ĐỘNG"]
ENGLISH = ["LEADERSHIP", "STRATEGY", "CUSTOMERS AND MARKETS", "MEASUREMENT, ANALYSIS AND KNOWLEDGE MANAGEMENT",
           "HUMAN RESOURCE MANAGEMENT", "OPERATIONS", "RESULTS"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def _report(top: list[str], headings: list[str], numbers: list[str], under: dict[int, str] | None = None) -> str:
    lines = list(top)
    for i, (number, heading) in enumerate(zip(numbers, headings), 1):
        lines += [f"{number}. {heading}", (under or {}).get(i, BODY)]
    return "\n".join(lines)


def _missing_criteria(rules, *pages: str) -> list[int] | None:
    """The criteria the self-assessment is asked for; None when it was not recognised at all."""
    files = [text_file("03 Bao cao.docx", *pages)]
    verdict = evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE)
    if any(d.code == "missing_document" and d.document == "self_assessment" for d in verdict.deficiencies):
        return None
    return sorted(int(re.search(r"tiêu chí (\d+):", d.message)[1]) for d in verdict.deficiencies
                  if d.code == "missing_criteria")


@pytest.mark.parametrize("top, headings, numbers", [
    (["CÔNG TY CỔ PHẦN THỰC PHẨM LỤC NGẠN", "Thực hiện hướng dẫn của Sở Khoa học và Công nghệ, Công ty trình bày kết "
      "quả tự đánh giá hoạt động của Công ty như sau:"], VIETNAMESE, ROMAN),
    (["GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020 – CÔNG TY CỔ PHẦN VẬT LIỆU VIỆT YÊN"], VIETNAMESE,
     [str(n) for n in range(1, 8)]),
    (["HANWA VINA CO., LTD", "SELF-ASSESSMENT REPORT", "Vietnam National Quality Award 2020"], ENGLISH,
     [str(n) for n in range(1, 8)]),
])
def test_a_report_of_the_criteria_is_the_self_assessment_without_its_usual_title(rules, top, headings, numbers):
    """Audit 54: a report opening "I. VAI TRÒ CỦA LÃNH ĐẠO" after a sentence, one under the award's name only, and
    an English one ("1. LEADERSHIP" … "7. RESULTS") were asked for as never received."""
    assert _missing_criteria(rules, _report(top, headings, numbers)) == []


def test_an_untitled_report_missing_criteria_is_still_one_with_them_asked_for(rules):
    under = {4: "Đang hoàn thiện", 6: "(Đang hoàn thiện)"}
    assert _missing_criteria(rules, _report([], VIETNAMESE, ROMAN, under)) == [4, 6]


def test_a_writing_guide_with_the_criteria_is_no_self_assessment(rules):
    guide = "\n".join(["HỘI ĐỒNG QUỐC GIA GIẢI THƯỞNG CHẤT LƯỢNG", "HƯỚNG DẪN", "VIẾT BÁO CÁO THAM DỰ GIẢI THƯỞNG",
                       _report([], VIETNAMESE, [str(n) for n in range(1, 8)])])
    (match,) = classify_document(text_file("Huong dan.pdf", guide), rules)
    assert match.component != "self_assessment"


ROW = "{n}. {name} ({points} điểm)  {text}  {score}"
TABLE_ROWS = [("Vai trò của lãnh đạo", 120), ("Chiến lược hoạt động", 85),
              ("Chính sách định hướng vào khách hàng và thị trường", 85), ("Đo lường, phân tích và quản lý tri thức", 90),
              ("Quản lý nguồn nhân lực", 85), ("Quản lý quá trình hoạt động", 85), ("Kết quả hoạt động", 450)]
ROW_TEXT = ("Ban Giám đốc xác định tầm nhìn, sứ mệnh và giá trị cốt lõi, truyền đạt tới toàn thể cán bộ công nhân viên "
            "qua các cuộc họp giao ban, xem xét định kỳ 6 tháng một lần.")


def _table(rows: dict[int, tuple[str, str]]) -> str:
    lines = ["CÔNG TY CỔ PHẦN DƯỢC HIỆP HÒA", "BÁO CÁO TỰ ĐÁNH GIÁ THEO 07 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
             "Tiêu chí  Nội dung tự đánh giá  Điểm tự chấm"]
    for n, (name, points) in enumerate(TABLE_ROWS, 1):
        text, score = rows.get(n, (ROW_TEXT, "60"))
        lines.append(ROW.format(n=n, name=name, points=points, text=text, score=score).rstrip())
    return "\n".join(lines + ["Tổng điểm tự chấm: 757 điểm."])


@pytest.mark.parametrize("rows, missing", [
    ({}, []),
    ({6: (ROW_TEXT, "")}, []),  # a score left blank: the row's text is there
    ({6: ("Đang hoàn thiện", "")}, [6]),
    ({3: ("Đang hoàn thiện", "")}, [3]),
    ({6: ("(Đang cập nhật)", "50")}, [6]),
    ({6: ("", "")}, [6]),
])
def test_a_table_of_the_criteria_s_text_is_judged_row_by_row(rules, rows, missing):
    """Audit 54: a report written as a table (criterion | what the enterprise says of it | its score) whose row 6 said
    "Đang hoàn thiện" with no score was asked for criteria 1-5 and 7, never 6: its other rows were taken for a score
    table's."""
    assert _missing_criteria(rules, _table(rows)) == missing
