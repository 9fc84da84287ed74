"""The verdict: missing documents, criteria and years, file problems, lateness; properties of the pure core."""

from __future__ import annotations

import random

import pytest

from hypothesis import given, settings, strategies as st

from intake.judging.classify import classify_dossier
from intake.judging.completeness import evaluate
from intake.models import Extraction, Problem, ReceivedFile

import dossiers
from conftest import AFTER_DEADLINE, BEFORE_DEADLINE, text_file

ALL = dossiers.COMPONENT_IDS
REQUIRED = [c for c in ALL if c != "other_evidence"]


def dossier_files(seed: int, components=ALL, **content) -> list[ReceivedFile]:
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng)
    return [
        text_file(f"{i:02d}-{c}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng, **content)))
        for i, c in enumerate(components)
    ]


def own_name(seed: int) -> str:
    """The name of `dossier_files(seed)`'s enterprise, to whom its confirmations are addressed."""
    return dossiers.make_enterprise(random.Random(seed)).name


def judge(files, rules, received_at=BEFORE_DEADLINE):
    return evaluate(files, classify_dossier(files, rules), rules, received_at=received_at)


def codes(verdict):
    return sorted((d.code, d.document) for d in verdict.deficiencies)


def test_complete_dossier(rules):
    verdict = judge(dossier_files(1), rules)
    assert verdict.status == "complete" and verdict.deficiencies == () and not verdict.late
    assert sorted(verdict.documents) == sorted(ALL)


def test_optional_component_may_be_absent(rules):
    verdict = judge(dossier_files(2, REQUIRED), rules)
    assert verdict.status == "complete"


def test_missing_components_are_listed_exactly(rules):
    verdict = judge(dossier_files(3, [c for c in ALL if c not in ("quality_system", "tax_insurance")]), rules)
    assert verdict.status == "incomplete"
    assert verdict.missing == ("quality_system", "tax_insurance")
    assert codes(verdict) == [("missing_document", "quality_system"), ("missing_document", "tax_insurance")]
    assert "Tài liệu chứng minh việc áp dụng hệ thống quản lý chất lượng" in verdict.deficiencies[0].message


def test_self_assessment_without_criteria_5_to_7(rules):
    verdict = judge(dossier_files(4, criteria=(1, 2, 3, 4)), rules)
    missing = [d for d in verdict.deficiencies if d.code == "missing_criteria"]
    assert [d.message.split("chưa đề cập tiêu chí ")[1][:1] for d in missing] == ["5", "6", "7"]
    assert missing[0].message.endswith("chưa đề cập tiêu chí 5: Quản lý nguồn nhân lực.")
    assert verdict.status == "incomplete"


def test_environment_for_two_years_names_the_missing_year(rules):
    verdict = judge(dossier_files(5, env_years=(2018, 2019)), rules)
    (deficiency,) = [d for d in verdict.deficiencies if d.code == "missing_years"]
    assert deficiency.document == "environment"
    assert deficiency.message == "Thiếu kết quả quan trắc môi trường năm 2017."


def test_tax_and_insurance_years_are_checked_separately(rules):
    verdict = judge(dossier_files(6, insurance_years=(2017, 2019)), rules)
    messages = [d.message for d in verdict.deficiencies]
    assert messages == ["Thiếu xác nhận tham gia bảo hiểm xã hội năm 2018."]


def _environment_report(number: str, dated: str, *title: str) -> str:
    return "\n".join(["CÔNG TY CỔ PHẦN THỰC PHẨM XUÂN LỘC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "Độc lập - Tự do - Hạnh phúc", f"Số: {number} Xuân Lộc, {dated}", "BÁO CÁO", *title,
                      "Kính gửi: Ban Quản lý các Khu công nghiệp tỉnh Đồng Nai",
                      "Công ty báo cáo kết quả quan trắc môi trường và công tác bảo vệ môi trường như sau:"])


def test_a_reports_date_and_number_are_not_the_year_it_covers(rules):
    """A report on 2017 filed in January 2018 ("Số: 03/2018/BC-XL"), like every annual report, covers 2017 only;
    a report that names no year of its own (đợt 1) covers the year it is dated."""
    others = [f for f in dossier_files(10) if "environment" not in f.path]
    reports = [
        text_file("BVMT 2017.pdf", _environment_report("03/2018/BC-XL", "ngày 12 tháng 01 năm 2018",
                                                       "CÔNG TÁC BẢO VỆ MÔI TRƯỜNG NĂM 2017")),
        text_file("Quan trac dot 1.pdf", _environment_report("41/BC-XL", "ngày 20 tháng 6 năm 2019",
                                                             "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ ĐỢT 1")),
    ]
    verdict = judge(others + reports, rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu kết quả quan trắc môi trường năm 2018."]


def test_years_of_what_a_report_cites_are_not_years_it_covers(rules):
    """A 2019 monitoring report cites a circular of 2017, a standard of 2013 and its laboratory's accreditation of
    2018: none of those years is monitored; a span wrapped over two lines covers every year of it."""
    others = [f for f in dossier_files(11) if "environment" not in f.path and "tax_insurance" not in f.path]
    report = text_file("Quan trac 2019.pdf", "\n".join([
        "CÔNG TY CỔ PHẦN GẠCH MEN HOÀNG SƠN", "BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM 2019",
        "Ngày quan trắc, lấy mẫu: 14/11/2019", "Phương pháp quan trắc: theo Thông tư 24/2017/TT-BTNMT",
        "Kết quả quan trắc đạt QCVN 05:2013/BTNMT",
        "Phòng thí nghiệm được công nhận theo Quyết định số 1015/QĐ-BTNMT ngày 20/4/2018",
        # Audit 12: a cited circular's date, a comparison with an earlier year.
        "- Thông tư số 24/2017/TT-BTNMT ngày 01/9/2017 quy định kỹ thuật quan trắc môi trường;",
        "So với cùng kỳ năm 2018, nồng độ COD trong nước thải giảm; bụi tương đương năm 2018."]))
    confirmations = text_file("Thue BHXH.pdf", "\n".join([
        "CỤC THUẾ TỈNH BẮC GIANG", "GIẤY XÁC NHẬN", "Về việc thực hiện nghĩa vụ thuế",
        "Công ty đã nộp đủ các khoản thuế của các năm 2017, 2018 và 2019."]), "\n".join([
        "BẢO HIỂM XÃ HỘI HUYỆN TÂN YÊN", "Số: 233/BHXH-TST", "V/v xác nhận tình hình tham gia",
        "BHXH, BHYT, BHTN của đơn vị", "Đơn vị tham gia đóng BHXH, BHYT, BHTN cho người lao động từ năm 2017",
        "đến năm 2019, đóng đầy đủ theo quy định, không nợ đọng."]))
    verdict = judge(others + [report, confirmations], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu kết quả quan trắc môi trường năm 2017.",
                                                         "Thiếu kết quả quan trắc môi trường năm 2018."]


def test_a_span_of_full_dates_covers_its_years_and_a_signature_stamp_none(rules):
    """Audit 12: "từ ngày 01/01/2017 đến ngày 31/12/2019" covers 2018 too; an e-signed confirmation of 2017-2018
    signed in January 2019 ("Thời gian ký: 15.01.2019", before its header) does not cover 2019."""
    others = [f for f in dossier_files(13) if "tax_insurance" not in f.path]
    tax = text_file("Thue.pdf", "\n".join([
        "CỤC THUẾ TỈNH BẮC GIANG", "Số: 215/CCT-KK", "V/v xác nhận việc thực hiện nghĩa vụ", "thuế của người nộp thuế",
        f"Kính gửi: {own_name(13)}",
        "Trong thời gian từ ngày 01/01/2017 đến ngày 31/12/2019, Công ty đã kê khai và nộp đầy đủ các khoản thuế."]))
    insurance = text_file("BHXH.pdf", "\n".join([
        "Ký bởi: Bảo hiểm xã hội tỉnh Bắc Giang", "Cơ quan: Bảo hiểm xã hội Việt Nam",
        "Thời gian ký: 15.01.2019 16:05:12 +07:00", "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG", "Số: 47/BHXH-QLT",
        "V/v xác nhận tình hình tham gia", "BHXH, BHYT, BHTN", f"Kính gửi: {own_name(13)}",
        "Đơn vị đã đóng đủ BHXH, BHYT, BHTN từ tháng 01/2017 đến tháng 12/2018."]))
    verdict = judge(others + [tax, insurance], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu xác nhận tham gia bảo hiểm xã hội năm 2019."]


def test_unreadable_file_satisfies_nothing_and_is_named(rules):
    files = [f for f in dossier_files(7) if "tax_insurance" not in f.path]
    files.append(ReceivedFile("Thue BHXH.pdf", "0" * 64, BEFORE_DEADLINE,
                              Extraction("pdf", (), Problem("unreadable_file", "tệp PDF được bảo vệ bằng mật khẩu"))))
    verdict = judge(files, rules)
    assert verdict.missing == ("tax_insurance",)
    (unreadable,) = [d for d in verdict.deficiencies if d.code == "unreadable_file"]
    assert unreadable.file == "Thue BHXH.pdf" and "mật khẩu" in unreadable.message


def test_illegible_pages_are_named(rules):
    files = dossier_files(8) + [text_file("anh.jpg", "~~ ., ;", method="ocr", confidence=12.0)]
    verdict = judge(files, rules)
    (illegible,) = [d for d in verdict.deficiencies if d.code == "illegible"]
    assert illegible.file == "anh.jpg" and "300 dpi" in illegible.message
    assert verdict.status == "complete"


def test_late_dossier_is_judged_and_flagged(rules):
    verdict = judge(dossier_files(9), rules, received_at=AFTER_DEADLINE)
    assert verdict.late and verdict.status == "complete"
    assert [d.code for d in verdict.deficiencies] == ["late_submission"]
    assert "02/07/2020" in verdict.deficiencies[0].message


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), subset=st.sets(st.sampled_from(ALL)), order=st.randoms())
def test_properties_of_the_verdict(rules, seed, subset, order):
    files = dossier_files(seed, [c for c in ALL if c in subset])
    verdict = judge(files, rules)
    # Never complete while a required component is missing.
    assert (verdict.status == "complete") == (set(REQUIRED) <= subset)
    # Verdicts do not depend on file order.
    shuffled = list(files)
    order.shuffle(shuffled)
    assert judge(shuffled, rules) == verdict
    # Adding a document of the enterprise never adds a "missing" deficiency (another's form would: its tax code
    # makes the enterprise's confirmations another entity's, see test_holder.py).
    extra = [c for c in ALL if c not in subset]
    if extra:
        more = judge(files + [dossier_files(seed, extra[:1])[0]], rules)
        assert set(more.missing) <= set(verdict.missing)


def test_a_plan_and_a_comparison_with_an_earlier_round_cover_no_year(rules):
    """Audit 15: a 2018 report's section "III. KẾ HOẠCH NĂM 2019" ("Năm 2019 Công ty tiếp tục … quan trắc định kỳ")
    covered 2019; a 2019 round "thấp hơn kết quả đợt quan trắc cuối năm 2018" and a column "Năm 2018 (đối chiếu)"
    covered 2018. A section "2. Kế hoạch quan trắc" that names no year to come describes what was done."""
    others = [f for f in dossier_files(12) if "environment" not in f.path]
    report_2017 = text_file("Quan trac 2017.pdf", "\n".join([
        "CÔNG TY TNHH MAY MẶC LỤC NGẠN", "BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG NĂM 2017",
        "1. Thông tin chung", "2. Kế hoạch quan trắc", "Đợt 1: ngày 12/6/2017; đợt 2: ngày 04/12/2017.",
        "3. Kết quả quan trắc: đạt quy chuẩn."]))
    report_2018 = text_file("Bao cao 2019.pdf", "\n".join([
        "CÔNG TY TNHH MAY MẶC LỤC NGẠN", "Số: 02/BC-MT Lục Ngạn, ngày 15 tháng 01 năm 2019", "BÁO CÁO",
        "CÔNG TÁC BẢO VỆ MÔI TRƯỜNG", "(Kỳ báo cáo: năm 2018)", "I. THÔNG TIN CHUNG",
        "II. KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", "Trong năm 2018 Công ty thực hiện 02 đợt quan trắc nước thải.",
        "III. KẾ HOẠCH NĂM 2019", "Năm 2019 Công ty tiếp tục vận hành hệ thống xử lý nước thải, thực hiện quan trắc",
        "định kỳ 02 lần/năm và báo cáo trước ngày 31/01/2020."]))
    verdict = judge(others + [report_2017, report_2018], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu kết quả quan trắc môi trường năm 2019."]
    round_2019 = text_file("Quan trac dot 1 2019.pdf", "\n".join([
        "CÔNG TY TNHH BAO BÌ NHỰA TÂN TIẾN", "BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỢT 1 NĂM 2019",
        "Thời gian lấy mẫu: Đợt 1: 17/5/2019.", "Chỉ tiêu Đơn vị Đợt 1 Năm 2018 (đối chiếu) Quy chuẩn",
        "Kết quả đợt này thấp hơn kết quả đợt quan trắc cuối năm 2018 đối với các chỉ tiêu COD và TSS."]))
    verdict = judge(others + [report_2017, round_2019], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu kết quả quan trắc môi trường năm 2018."]


def test_a_self_assessment_that_begins_mid_page_is_read_from_its_title(rules):
    """Audit 16: pasted right after the profile's last section in one Word file, the self-assessment's title and
    criterion 1 sat mid-page on the profile's last page; criterion 1 was asked for."""
    others = [f for f in dossier_files(14) if "self_assessment" not in f.path and "company_profile" not in f.path]
    profile = "\n".join(["CÔNG TY TNHH MAY MẶC PHÚ AN", "BÁO CÁO GIỚI THIỆU CHUNG VỀ DOANH NGHIỆP",
                         "P.1 MÔ TẢ TỔ CHỨC", "Công ty thành lập năm 2008."])
    last = "\n".join([
        "b) Quan hệ của tổ chức", "Khách hàng chủ yếu của Công ty là các doanh nghiệp trong nước và doanh nghiệp có vốn"
        " đầu tư nước ngoài tại các khu công nghiệp Quang Châu, Đình Trám, Vân Trung.", "P.2 BỐI CẢNH CỦA TỔ CHỨC",
        "a) Môi trường cạnh tranh: thị trường có nhiều đối thủ trong nước và nhập khẩu; Công ty cạnh tranh bằng chất "
        "lượng, thời gian giao hàng và dịch vụ sau bán hàng.", "b) Thách thức chiến lược: giá nguyên liệu biến động.",
        "BÁO CÁO TỰ ĐÁNH GIÁ CỦA TỔ CHỨC THEO 7 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
        "Tiêu chí 1: Vai trò của lãnh đạo (120 điểm)", "1.1 Lãnh đạo cao nhất",
        "Ban Giám đốc xác định tầm nhìn, sứ mệnh và giá trị cốt lõi, phổ biến tới toàn thể người lao động."])
    rest = ["Tiêu chí 2: Chiến lược (85 điểm)\n2.1 Xây dựng chiến lược\n"
            "Tiêu chí 3: Định hướng vào khách hàng và thị trường (85 điểm)",
            "Tiêu chí 4: Đo lường, phân tích và quản lý tri thức (90 điểm)\n4.1 Đo lường\n"
            "Tiêu chí 5: Nguồn nhân lực (85 điểm)",
            "Tiêu chí 6: Quá trình (85 điểm)\n6.1 Thiết kế quá trình\nTiêu chí 7: Kết quả (450 điểm)"]
    merged = text_file("Ho so GTCLQG.pdf", profile, last, *rest)
    verdict = judge(others + [merged], rules)
    assert verdict.documents["self_assessment"] == ("Ho so GTCLQG.pdf#p3-5",)  # as classified: page 2 is the profile's
    assert not [d for d in verdict.deficiencies if d.code == "missing_criteria"], verdict.deficiencies


def test_a_confirmation_counts_whole_years_only(rules):
    """Audit 18: a tax confirmation "từ ngày 01/01/2017 đến hết tháng 6/2019" with a row "6 tháng đầu năm 2019", and
    a social-insurance letter for 2017 and 2018 closing "Tính đến hết ngày 31/3/2019, đơn vị đã đóng đủ", each
    covered 2019; so did the date of a request the letter cites, wrapped onto the next line. A monitoring report of
    the first half of 2019 does cover 2019 (only tax and social insurance count whole years)."""
    others = [f for f in dossier_files(15) if "tax_insurance" not in f.path]
    own = dossiers.make_enterprise(random.Random(15)).tax_code  # the form's: the letter is the enterprise's
    tax = text_file("Thue.pdf", "\n".join([
        "CHI CỤC THUẾ KHU VỰC LỤC NAM - LỤC NGẠN", "Số: 734/CCT-KK Lục Nam, ngày 15 tháng 7 năm 2019",
        "V/v xác nhận tình hình thực hiện", "nghĩa vụ thuế", f"Kính gửi: {own_name(15)}",
        "Chi cục Thuế nhận được Công văn số 64/CV-BS ngày", f"08/7/2019 của Công ty, mã số thuế {own}.",
        "Chi cục Thuế xác nhận: từ ngày 01/01/2017", "đến hết tháng 6/2019, Công ty đã nộp đủ các khoản thuế; không",
        "còn nợ tiền thuế tính đến ngày", "30/6/2019.", "Kỳ Số phải nộp (đồng) Số đã nộp (đồng)",
        "Năm 2017 6.120.400.000 6.120.400.000", "6 tháng đầu năm 2019 3.521.000.000 3.521.000.000"]))
    insurance = text_file("BHXH.pdf", "\n".join([
        "BẢO HIỂM XÃ HỘI HUYỆN YÊN DŨNG", "Số: 118/BHXH", "V/v xác nhận tình hình tham gia", "BHXH, BHYT, BHTN",
        "Bảo hiểm xã hội huyện Yên Dũng xác nhận Công ty đã tham gia đóng BHXH, BHYT, BHTN như sau:",
        "Năm Số lao động Số phải đóng Số đã đóng Còn nợ", "2017 1.120 21.412.000.000 21.412.000.000 0",
        "2018 1.186 23.870.500.000 23.870.500.000 0",
        "Tính đến hết ngày 31/3/2019, đơn vị đã đóng đủ, không còn nợ tiền BHXH, BHYT, BHTN."]))
    verdict = judge(others + [tax, insurance], rules)
    part = " (văn bản đã nộp chỉ xác nhận một phần năm 2019)."
    assert [d.message for d in verdict.deficiencies] == ["Thiếu xác nhận thực hiện nghĩa vụ thuế năm 2019" + part,
                                                         "Thiếu xác nhận tham gia bảo hiểm xã hội năm 2019" + part]


def test_the_page_that_proves_a_year_is_one_that_covers_it(rules):
    """Audit 19: the desk pointed at the first page a year appeared on as its proof (a confirmation of completed
    works dated 02/4/2018 for monitoring of 2018); it points at a page that covers the year as the check reads it."""
    from intake.judging import years_a_page_covers
    environment = rules.component("environment")
    check = environment.checks[0]
    works = "\n".join(["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Số: 112/GXN-STNMT Bắc Giang, ngày 02 tháng 4 năm 2018",
                       "GIẤY XÁC NHẬN", "Hoàn thành công trình bảo vệ môi trường của dự án Nhà máy gạch"])
    report = "\n".join(["BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG NĂM 2018", "Ngày lấy mẫu: 12/6/2018 và 04/12/2018",
                        "So với cùng kỳ năm 2017, các chỉ tiêu đều giảm."])
    assert years_a_page_covers(environment, check, works, rules) == set()
    assert years_a_page_covers(environment, check, report, rules) == {2018}
    tax = rules.component("tax_insurance")
    letter = "Chi cục Thuế xác nhận: từ ngày 01/01/2017 đến hết tháng 6/2019, Công ty đã nộp đủ các khoản thuế."
    assert years_a_page_covers(tax, tax.checks[0], letter, rules) == {2017, 2018}


def test_the_plans_registration_covers_no_year_by_its_date(rules):
    """Audit 29: the district's confirmation that the environmental protection plan was registered, dated
    20/10/2017, filed before the 2018 and 2019 monitoring reports, covered 2017 by its date: a false complete. A
    monitoring report that names no year of its own still covers the year it is dated."""
    others = [f for f in dossier_files(14) if "environment" not in f.path]
    registered = "\n".join([
        "ỦY BAN NHÂN DÂN", "HUYỆN LỤC NAM", "-------", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "---------------", "Số: 86/GXN-UBND Lục Nam, ngày 20 tháng 10 năm 2017",
        "GIẤY XÁC NHẬN", "ĐĂNG KÝ KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG",
        "Ủy ban nhân dân huyện Lục Nam xác nhận: Công ty Cổ phần Thực phẩm Xanh Lục",
        "Nam, địa chỉ Thôn Đồng Đinh, xã Cương Sơn, huyện Lục Nam, tỉnh Bắc Giang, đã đăng ký",
        "kế hoạch bảo vệ môi trường của cơ sở.",
        "Chủ cơ sở có trách nhiệm thực hiện đúng và đầy đủ kế hoạch bảo vệ môi trường đã đăng",
        "ký, thực hiện giám sát môi trường định kỳ theo quy định.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])

    def monitoring(year: int) -> str:
        return "\n".join(["CÔNG TY CỔ PHẦN THỰC PHẨM XANH LỤC NAM", "BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ",
                          f"NĂM {year}", f"Lục Nam, tháng 12 năm {year}", "2. Kết quả quan trắc",
                          f"Các thông số quan trắc năm {year} đều đạt quy chuẩn."])

    merged = text_file("Quan trac moi truong 2018-2019.pdf", registered, monitoring(2018), monitoring(2019))
    verdict = judge(others + [merged], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu kết quả quan trắc môi trường năm 2017."]
    dated_only = text_file("Quan trac dot 1.pdf", _environment_report("41/BC-XL", "ngày 20 tháng 6 năm 2017",
                                                                      "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ ĐỢT 1"))
    assert judge(others + [merged, dated_only], rules).status == "complete"


def test_a_social_insurance_letter_naming_the_tax_code_confirms_no_tax(rules):
    """Audit 28: a social-insurance letter for 2017–2019 whose opening names the enterprise's "mã số thuế" beside
    its years covered the tax of 2019, which only a branch's letter (another entity's) confirmed."""
    others = [f for f in dossier_files(16) if "tax_insurance" not in f.path]
    own = dossiers.make_enterprise(random.Random(16)).tax_code
    tax = text_file("Thue.pdf", "\n".join([
        "TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG", "Số: 988/CTBGI-KK Bắc Giang, ngày 15 tháng 3 năm 2019",
        "V/v xác nhận tình hình thực hiện nghĩa vụ thuế năm 2017, 2018", f"Mã số thuế: {own}",
        "Trong các năm 2017, 2018, Công ty đã kê khai và nộp đầy đủ các khoản thuế vào ngân sách nhà nước."]))
    insurance = text_file("BHXH.pdf", "\n".join([
        "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG", "Số: 512/BHXH-QLT", "V/v xác nhận tình hình tham gia BHXH, BHYT, BHTN",
        f"Theo đề nghị của Công ty (mã đơn vị YV0412C, mã số thuế {own}), Bảo hiểm xã hội xác nhận tình hình",
        "tham gia bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp của đơn vị năm 2017, 2018, 2019 như sau:",
        "Năm Số lao động Số phải đóng Số đã đóng Còn nợ", "2017 201 3.512.000.000 3.512.000.000 0",
        "2018 208 3.700.000.000 3.700.000.000 0", "2019 214 3.912.560.000 3.912.560.000 0"]))
    verdict = judge(others + [tax, insurance], rules)
    assert [d.message for d in verdict.deficiencies] == ["Thiếu xác nhận thực hiện nghĩa vụ thuế năm 2019."]


def test_a_divider_that_says_the_certificate_will_follow_is_not_the_certificate(rules):
    """Audit 41: "PHỤ LỤC 4" / "GIẤY CHỨNG NHẬN HỢP QUY SẢN PHẨM" / "(… Công ty sẽ nộp bổ sung ngay sau khi được
    cấp)" on one page was counted as the conformity certificate (its title line read as a type line)."""
    others = [f for f in dossier_files(41) if "product_conformity" not in f.path]
    note = text_file("Phu luc 4.pdf", "\n".join([
        "PHỤ LỤC 4", "GIẤY CHỨNG NHẬN HỢP QUY SẢN PHẨM",
        "(Giấy chứng nhận hợp quy sản phẩm gạch đất sét nung của Công ty đang được tổ chức chứng nhận đánh giá lại; "
        "Công ty sẽ nộp bổ sung ngay sau khi được cấp)"]))
    verdict = judge(others + [note], rules)
    assert "product_conformity" not in verdict.documents
    assert [d.document for d in verdict.deficiencies if d.code == "missing_document"] == ["product_conformity"]


def test_a_year_confirmed_in_part_is_asked_for_saying_so(rules):
    """Audit 41: a tax letter for "các năm 2016, 2017, 2018 và 6 tháng đầu năm 2019" covers no whole 2019; the
    request said 2019 was not found, which the enterprise can dispute: it says the year was confirmed in part."""
    from intake.notices.rows import action_rows
    others = [f for f in dossier_files(42) if "tax_insurance" not in f.path]
    letter = text_file("Thue va BHXH.pdf", "\n".join([
        "TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 3187/CT-KK    Bắc Giang, ngày 16 tháng 8 năm 2019",
        "V/v xác nhận tình hình thực hiện nghĩa vụ thuế", f"Kính gửi: {own_name(42)}",
        "Trong các năm 2016, 2017, 2018 và 6 tháng đầu năm 2019, Công ty đã kê khai và nộp đầy đủ các khoản thuế "
        "vào ngân sách nhà nước. Tính đến ngày 30/6/2019, Công ty không còn nợ thuế."]), "\n".join([
        "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 412/BHXH-QLT    Bắc Giang, ngày 20 tháng 1 năm 2020",
        "V/v xác nhận tình hình tham gia, đóng BHXH, BHYT, BHTN", f"Kính gửi: {own_name(42)}",
        "Bảo hiểm xã hội tỉnh xác nhận đơn vị đã tham gia và đóng đầy đủ bảo hiểm xã hội cho người lao động "
        "các năm 2017, 2018 và 2019."]))
    verdict = judge(others + [letter], rules)
    years = [d.message for d in verdict.deficiencies if d.code == "missing_years"]
    assert years == ["Thiếu xác nhận thực hiện nghĩa vụ thuế năm 2019 "
                     "(văn bản đã nộp chỉ xác nhận một phần năm 2019)."], years
    rows = action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
    text = " ".join(p for r in rows for p in r.problems)
    assert "năm 2019" in text and "chỉ cho một phần năm" in text and "Không tìm thấy" not in text, text
    assert any("Bổ sung xác nhận thực hiện nghĩa vụ thuế năm 2019." in r.send for r in rows)



def test_a_missing_year_is_said_looked_for_in_the_files_its_check_reads(rules):
    """A tax letter for 2017 and 2018 beside a BHXH letter for 2017, 2018 and the first half of 2019: the tax year
    2019 was not found in the tax letter, not "in" the BHXH one, and is not one confirmed in part: the half year
    is the BHXH letter's, asked for as such."""
    from intake.notices.rows import action_rows
    others = [f for f in dossier_files(43) if "tax_insurance" not in f.path]
    tax = text_file("Xac nhan thue.pdf", "\n".join([
        "TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 1187/CT-KK    Bắc Giang, ngày 16 tháng 3 năm 2019",
        "V/v xác nhận tình hình thực hiện nghĩa vụ thuế", f"Kính gửi: {own_name(43)}",
        "Trong các năm 2017 và 2018, Công ty đã kê khai và nộp đầy đủ các khoản thuế vào ngân sách nhà nước."]))
    insurance = text_file("Xac nhan BHXH.pdf", "\n".join([
        "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 412/BHXH-QLT    Bắc Giang, ngày 20 tháng 7 năm 2019",
        "V/v xác nhận tình hình tham gia, đóng BHXH, BHYT, BHTN", f"Kính gửi: {own_name(43)}",
        "Bảo hiểm xã hội tỉnh xác nhận đơn vị đã tham gia và đóng đầy đủ bảo hiểm xã hội cho người lao động "
        "các năm 2017, 2018 và 6 tháng đầu năm 2019."]))
    verdict = judge(others + [tax, insurance], rules)
    years = sorted(d.message for d in verdict.deficiencies if d.code == "missing_years")
    assert years == ["Thiếu xác nhận tham gia bảo hiểm xã hội năm 2019 "
                     "(văn bản đã nộp chỉ xác nhận một phần năm 2019).",
                     "Thiếu xác nhận thực hiện nghĩa vụ thuế năm 2019."], years
    rows = action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
    (row,) = [r for r in rows if any("thuế" in p for p in r.problems)]
    assert "«Xac nhan BHXH.pdf»; «Xac nhan thue.pdf»" in row.received or \
        "«Xac nhan thue.pdf»; «Xac nhan BHXH.pdf»" in row.received, row.received  # both received, listed
    assert "Không tìm thấy xác nhận thực hiện nghĩa vụ thuế năm 2019 trong «Xac nhan thue.pdf»." in row.problems, \
        row.problems
    assert ("Xác nhận tham gia bảo hiểm xã hội năm 2019 trong «Xac nhan BHXH.pdf» chỉ cho một phần năm, chưa cho cả "
            "năm.") in row.problems, row.problems


_REQUEST = "\n".join([
    "Mẫu số: 01/XNNVT", "(Ban hành kèm theo Thông tư số 156/2013/TT-BTC", "ngày 6/11/2013 của Bộ Tài chính)",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "VĂN BẢN ĐỀ NGHỊ XÁC NHẬN VIỆC THỰC HIỆN NGHĨA VỤ",
    "THUẾ", "Kính gửi: Cục Thuế tỉnh Bắc Giang", "Tên người nộp thuế: Công ty TNHH Điện tử Quang Châu",
    "Đề nghị cơ quan thuế xác nhận việc thực hiện nghĩa vụ thuế của người nộp thuế như sau:",
    "Xác nhận việc chấp hành pháp luật thuế và tình hình nộp ngân sách nhà nước các năm 2017, 2018, 2019.",
    "Bắc Giang, ngày 02 tháng 6 năm 2020", "NGƯỜI NỘP THUẾ hoặc ĐẠI DIỆN HỢP PHÁP"])


@pytest.mark.parametrize("request_first", [False, True])
def test_the_enterprises_request_for_its_tax_confirmation_bound_with_another_letter_is_no_confirmation(
        rules, request_first):
    """Audit 44: the enterprise's own request (Mẫu 01/XNNVT, "VĂN BẢN ĐỀ NGHỊ XÁC NHẬN …", dated at its foot) bound
    in one PDF with the social-insurance letter joined that letter, and its "các năm 2017, 2018, 2019" covered the
    tax years no confirmation covered. It is a document of its own, no component; the tax years are asked for."""
    others = [f for f in dossier_files(44) if "tax_insurance" not in f.path]
    bhxh = "\n".join([
        "BẢO HIỂM XÃ HỘI VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
        "Số: 131/BHXH-QLT Bắc Giang, ngày 12 tháng 02 năm 2020", "V/v xác nhận tình hình tham gia",
        "BHXH, BHYT, BHTN của đơn vị", f"Kính gửi: {own_name(44)}",
        "Bảo hiểm xã hội tỉnh Bắc Giang xác nhận Công ty đã đóng đầy đủ BHXH, BHYT, BHTN cho người lao động các "
        "năm 2017, 2018, 2019."])
    pages = (_REQUEST, bhxh) if request_first else (bhxh, _REQUEST)
    verdict = judge([*others, text_file("Thue va BHXH.pdf", *pages)], rules)
    assert verdict.documents["tax_insurance"] == ("Thue va BHXH.pdf#p2" if request_first else "Thue va BHXH.pdf#p1",)
    assert sorted(d.message for d in verdict.deficiencies if d.code == "missing_years") == [
        f"Thiếu xác nhận thực hiện nghĩa vụ thuế năm {year}." for year in (2017, 2018, 2019)]


def test_years_a_report_compares_with_a_letter_dated_within_a_year_and_an_open_start_cover_nothing(rules):
    """Audit 45: a 2019 monitoring report's "so sánh kết quả quan trắc năm 2019 với kết quả các năm 2017 / và 2018"
    and "thấp hơn kết quả quan trắc năm 2017 và năm 2018" covered 2017 and 2018; a tax letter on "6 tháng đầu năm
    2019" dated 15/7/2019 covered 2019 by its date; a social-insurance letter's "Từ tháng 7/2019 đơn vị chưa đóng …"
    covered 2019. Each is asked for, the part-year ones saying so."""
    others = [f for f in dossier_files(45) if not any(c in f.path for c in ("environment", "tax_insurance"))]
    report = text_file("Quan trac 2019.pdf", "\n".join([
        "CÔNG TY TNHH THÉP LẠNG GIANG", "BÁO CÁO", "KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM 2019",
        "Bắc Giang, tháng 12 năm 2019"]), "\n".join([
        "1. Kết quả quan trắc khí thải năm 2019: bụi tổng 38 mg/Nm3, đạt QCVN 51:2017/BTNMT.",
        "2. Bảng so sánh kết quả quan trắc năm 2019 với kết quả các năm 2017", "và 2018:",
        "Kết quả năm 2019 thấp hơn kết quả quan trắc năm 2017 và năm 2018 nhờ cải tạo hệ thống lọc bụi túi vải."]))
    tax = text_file("Thue 2019.pdf", "\n".join([
        "TỔNG CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
        "Số: 1960/CTBGI-KK Bắc Giang, ngày 15 tháng 7 năm 2019", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế",
        f"Kính gửi: {own_name(45)}",
        "Cục Thuế tỉnh Bắc Giang xác nhận: trong 6 tháng đầu năm 2019, Công ty đã nộp đủ các khoản thuế."]),
        "\n".join([
        "TỔNG CỤC THUẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỤC THUẾ TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc",
        "Số: 312/CTBGI-KK Bắc Giang, ngày 20 tháng 01 năm 2019", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế",
        f"Kính gửi: {own_name(45)}",
        "Cục Thuế tỉnh Bắc Giang xác nhận: niên độ 2017 và niên độ 2018 Công ty đã quyết toán và nộp đủ thuế."]))
    insurance = text_file("BHXH.pdf", "\n".join([
        "BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 88/BHXH-QLT",
        "V/v xác nhận tình hình tham gia BHXH, BHYT, BHTN", f"Kính gửi: {own_name(45)}",
        "STT Thời gian Số lao động Số phải đóng Số đã đóng", "1 Năm 2017 120 2.100.000.000 2.100.000.000",
        "2 Năm 2018 126 2.300.000.000 2.300.000.000", "3 01/2019 - 06/2019 130 1.200.000.000 1.200.000.000",
        "Từ tháng 7/2019 đơn vị chưa đóng BHXH do đang làm thủ tục chuyển đổi mã đơn vị."]))
    verdict = judge([*others, report, tax, insurance], rules)
    part = " (văn bản đã nộp chỉ xác nhận một phần năm 2019)."
    assert sorted(d.message for d in verdict.deficiencies if d.code == "missing_years") == [
        "Thiếu kết quả quan trắc môi trường năm 2017.", "Thiếu kết quả quan trắc môi trường năm 2018.",
        "Thiếu xác nhận tham gia bảo hiểm xã hội năm 2019" + part,
        "Thiếu xác nhận thực hiện nghĩa vụ thuế năm 2019" + part]
