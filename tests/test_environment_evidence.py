"""Environment evidence as small and park enterprises give it (audit 53): a letter saying monitoring was not done,
or is not required, covers no year; a plan of monitoring covers none either, by its text or its date; a report of
what was monitored still does."""

from __future__ import annotations

import pytest

from conftest import BEFORE_DEADLINE, text_file
from intake.judging.classify import classify_dossier
from intake.judging.completeness import evaluate
from intake.judging.undone import without_undone

PLAN_REGISTRATION = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN VIỆT YÊN Độc lập - Tự do - Hạnh phúc
Số: 86/GXN-UBND          Bắc Giang, ngày 18 tháng 4 năm 2016
GIẤY XÁC NHẬN
ĐĂNG KÝ KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG
của cơ sở - Công ty TNHH Cơ khí Nhỏ Việt Yên
Ủy ban nhân dân huyện Việt Yên xác nhận việc đăng ký kế hoạch bảo vệ môi trường của cơ sở.
KT. CHỦ TỊCH"""

EXPLANATION = """CÔNG TY TNHH CƠ KHÍ NHỎ VIỆT YÊN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
------- Độc lập - Tự do - Hạnh phúc
Số: 15/CV-CT          Bắc Giang, ngày 22 tháng 5 năm 2020
V/v giải trình về việc quan trắc môi trường định kỳ
Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh Bắc Giang
{body}
GIÁM ĐỐC"""

APPROVAL = """ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc
Số: 745/QĐ-UBND          Bắc Giang, ngày 14 tháng 9 năm 2012
QUYẾT ĐỊNH
Về việc phê duyệt báo cáo đánh giá tác động môi trường
Dự án nhà máy của Công ty TNHH Giấy Sông Cầu
Điều 1. Phê duyệt báo cáo đánh giá tác động môi trường của Dự án.
KT. CHỦ TỊCH"""

PLAN = """CÔNG TY TNHH GIẤY SÔNG CẦU
-------
KẾ HOẠCH
QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ{title_year}
Bắc Giang, tháng {month} năm {year}
1. {body}"""

REPORT = """CÔNG TY TNHH GIẤY SÔNG CẦU
BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM {year}
Thời gian lấy mẫu: ngày 12 tháng 6 năm {year}.
Kết quả quan trắc nước thải, khí thải: các chỉ tiêu không vượt quy chuẩn cho phép."""


def _missing_years(rules, *pages: str) -> list[int]:
    files = [text_file("07 Ho so moi truong.pdf", *pages)]
    verdict = evaluate(files, classify_dossier(files, rules), rules, received_at=BEFORE_DEADLINE)
    return sorted(int(d.message.rsplit(" ", 1)[-1].rstrip(".")) for d in verdict.deficiencies
                  if d.code == "missing_years" and d.document == "environment")


@pytest.mark.parametrize("body, missing", [
    ("Trong các năm 2017, 2018 và 2019, Công ty không thực hiện quan trắc môi trường định kỳ do\n"
     "không thuộc đối tượng phải thực hiện.", [2017, 2018, 2019]),
    ("Công ty không thực hiện quan trắc môi trường năm 2017, năm 2018 và năm 2019.", [2017, 2018, 2019]),
    ("Năm 2018 Công ty chưa thực hiện quan trắc môi trường định kỳ.", [2017, 2018, 2019]),
    # What was monitored still counts beside what was not.
    ("Năm 2017 và năm 2019 Công ty đã thực hiện quan trắc môi trường định kỳ 02 lần/năm.\n"
     "Năm 2018 Công ty chưa thực hiện quan trắc môi trường do tạm dừng sản xuất.", [2018]),
])
def test_monitoring_said_not_done_covers_no_year(rules, body, missing):
    """Audit 53: a letter "V/v giải trình về việc quan trắc môi trường định kỳ" saying the enterprise did not
    monitor made the dossier complete, and Mẫu 01 was issued."""
    assert _missing_years(rules, PLAN_REGISTRATION, EXPLANATION.format(body=body)) == missing


@pytest.mark.parametrize("title_year, month, year, body", [
    (" NĂM 2018", "01", 2018, "Tần suất quan trắc dự kiến: 02 lần (tháng 6 và tháng 12)."),
    ("", "12", 2017, "Dự kiến quan trắc 02 lần trong năm 2018."),
])
def test_a_monitoring_plan_covers_no_year(rules, title_year, month, year, body):
    """Audit 53: "KẾ HOẠCH / QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM 2018" covered 2018, and a plan dated December 2017
    covered 2017; the monitoring reports beside it still count."""
    plan = PLAN.format(title_year=title_year, month=month, year=year, body=body)
    assert _missing_years(rules, APPROVAL, plan) == [2017, 2018, 2019]
    assert _missing_years(rules, APPROVAL, REPORT.format(year=2017), plan, REPORT.format(year=2019)) == [2018]


def test_what_was_not_exceeded_or_found_is_no_negation():
    kept = "Kết quả quan trắc năm 2019: các chỉ tiêu không vượt quy chuẩn.\nNăm 2018 không phát hiện sự cố môi trường."
    assert without_undone(kept) == kept
    said = "BÁO CÁO NĂM 2019\nNăm 2018 Công ty không có kết quả quan trắc\nmôi trường. Năm 2019 đã quan trắc."
    assert without_undone(said) == "BÁO CÁO NĂM 2019\nNăm      Công ty không có kết quả quan trắc\nmôi trường. Năm 2019 đã quan trắc."
