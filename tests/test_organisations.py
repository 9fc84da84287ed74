"""Applicants that are not a "Công ty" (audit 49): a cooperative, a branch, a hospital, a joint venture. Whose
certificate it is is told for them as for a company, and a certified copy's stamp names who copied it, not whose it
is."""

from __future__ import annotations

import random
from dataclasses import replace

import dossiers
from conftest import text_file

from intake.judging.classify import classify_document, classify_dossier


def _dossier(name: str, certificate: list[str]) -> list:
    """A dossier of `name` as text files, its ISO 9001 certificate's page given."""
    rng = random.Random(49)
    ent = replace(dossiers.make_enterprise(rng), name=name)
    others = [text_file(f"{c}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng)))
              for c in dossiers.COMPONENT_IDS if c != "quality_system"]
    return [text_file("04. ISO/ISO 9001.pdf", "\n".join(certificate)), *others]


def _certificate(*holder: str, copied_by: str = "") -> list[str]:
    stamp = ["SAO Y BẢN CHÍNH", copied_by, "CHỦ NHIỆM HTX (Ký tên, đóng dấu)", "Nguyễn Văn Hiển"] if copied_by else []
    return ["CERTIFICATE OF REGISTRATION", "GIẤY CHỨNG NHẬN",
            "This is to certify that the Quality Management System of", *holder,
            "Address: Xã Hùng Sơn, huyện Đại Từ, tỉnh Thái Nguyên",
            "has been assessed and found to conform to the requirements of", "ISO 9001:2015",
            "Scope: Production and processing of green tea", "Certificate No.: VN-QMS-2018-0456",
            "Quacert - Trung tâm Chứng nhận Phù hợp", *stamp]


def _iso(files: list, rules) -> tuple[str | None, list[tuple[str, str]]]:
    (match,) = [m for m in classify_dossier(files, rules) if m.file == "04. ISO/ISO 9001.pdf"]
    return match.component, [(e.kind, e.phrase) for e in match.evidence if e.kind in ("held_by", "holder_name")]


def test_a_cooperative_s_certificate_is_told_from_another_s(rules):
    """Audit 49: an ISO 9001 certificate of another cooperative ("HỢP TÁC XÃ CHÈ TÂN CƯƠNG") counted for "Hợp tác
    xã Chè La Bằng" (only names beginning "Công ty" were read as holders), and a member company's counted once the
    cooperative's certified-copy stamp ("SAO Y BẢN CHÍNH" / "HỢP TÁC XÃ CHÈ LA BẰNG") was read as its holder."""
    name = "Hợp tác xã Chè La Bằng"
    assert _iso(_dossier(name, _certificate("TAN CUONG TEA COOPERATIVE", "HỢP TÁC XÃ CHÈ TÂN CƯƠNG",
                                            copied_by="HỢP TÁC XÃ CHÈ LA BẰNG")), rules) == (
        None, [("holder_name", "quality_system: HỢP TÁC XÃ CHÈ TÂN CƯƠNG")])
    assert _iso(_dossier(name, _certificate("HA THAI TEA COMPANY LIMITED", "CÔNG TY TNHH CHÈ HÀ THÁI",
                                            copied_by="HỢP TÁC XÃ CHÈ LA BẰNG")), rules) == (
        None, [("holder_name", "quality_system: CÔNG TY TNHH CHÈ HÀ THÁI")])
    for own in ("HỢP TÁC XÃ CHÈ LA BẰNG", "HTX CHÈ LA BẰNG"):
        assert _iso(_dossier(name, _certificate("LA BANG TEA COOPERATIVE", own, copied_by="HỢP TÁC XÃ CHÈ LA BẰNG")),
                    rules) == ("quality_system", [("held_by", own)])


def test_a_branch_s_own_certificate_is_its_own(rules):
    """Audit 49: "CHI NHÁNH CÔNG TY CỔ PHẦN MAY SÔNG HỒNG TẠI BẮC GIANG" was read without "Chi nhánh" and set
    aside as another company's; a hospital's ISO certificate of another hospital is another's."""
    branch = "Chi nhánh Công ty CP May Sông Hồng tại Bắc Giang"
    assert _iso(_dossier(branch, _certificate("CHI NHÁNH CÔNG TY CỔ PHẦN MAY SÔNG HỒNG TẠI BẮC GIANG")), rules) == (
        "quality_system", [("held_by", "CHI NHÁNH CÔNG TY CỔ PHẦN MAY SÔNG HỒNG TẠI BẮC GIANG")])
    assert _iso(_dossier("Bệnh viện Đa khoa huyện Lục Ngạn", _certificate(
        "BAC GIANG PROVINCIAL GENERAL HOSPITAL", "BỆNH VIỆN ĐA KHOA TỈNH BẮC GIANG")), rules) == (
        None, [("holder_name", "quality_system: BỆNH VIỆN ĐA KHOA TỈNH BẮC GIANG")])


def test_an_english_product_certificate_is_the_product_s_conformity(rules):
    """Audit 49: a joint venture's product certificate titled only "CERTIFICATE" ("This is to certify that the
    product … conform to the Vietnamese standard TCVN 7455:2013") was no component; the dossier was asked for it."""
    page = "\n".join(["CERTIFICATE", "This is to certify that the product", "Tempered safety glass",
                      "manufactured by", "VIET NHAT GLASS JOINT VENTURE CO., LTD",
                      "has been tested and found to conform to the Vietnamese standard", "TCVN 7455:2013",
                      "Certificate No.: VINACONTROL-SP-0987", "Valid until: 30/6/2021"])
    (match,) = classify_document(text_file("Chung nhan san pham.pdf", page), rules)
    assert match.component == "product_conformity"


def test_the_workforce_beside_the_founding_year_is_read():
    """Audit 49: "8. Năm thành lập: 2009    Tổng số lao động: 85 người" gave no workforce (which decides the
    category): a field's label later on the line ends the value before it."""
    from intake.judging.fields import read_registration

    for line in ("8. Năm thành lập: 2009    Tổng số lao động: 85 người",
                 "8. Tổng số lao động: 85 người    Năm thành lập: 2009"):
        form = read_registration(f"1. Tên tổ chức, doanh nghiệp: Hợp tác xã Chè La Bằng\n{line}", "Don.docx")
        assert (form.value("employees"), form.value("founded")) == ("85", "2009"), line


def test_a_household_business_is_hinted_to_the_officer(rules):
    """Audit 49: "Hộ kinh doanh Bánh đa Kế" (no legal personality) got a Mẫu 01 with nothing said to the officer."""
    from intake.judging.eligibility import eligibility_hints
    from intake.judging.fields import read_registration

    form = read_registration("1. Tên tổ chức, doanh nghiệp: Hộ kinh doanh Bánh đa Kế Nguyễn Văn Hùng\n"
                             "6. Loại hình tổ chức: Hộ kinh doanh\n8. Năm thành lập: 2010", "Don dang ky.docx")
    (hint,) = [h for h in eligibility_hints(form, rules) if h.code == "household_business"]
    assert "«Hộ kinh doanh Bánh đa Kế Nguyễn Văn Hùng» là hộ kinh doanh" in hint.message
    cooperative = read_registration("1. Tên tổ chức, doanh nghiệp: Hợp tác xã Chè La Bằng", "Don.docx")
    assert not [h for h in eligibility_hints(cooperative, rules) if h.code == "household_business"]


def _confirmation(issuer: str, number: str, subject: str, to: str, what: str) -> str:
    return "\n".join([issuer, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      f"Số: {number} Bắc Giang, ngày 12 tháng 5 năm 2020", subject, f"Kính gửi: {to}",
                      f"{what} các năm 2017, 2018, 2019."])


def test_a_confirmation_addressed_to_another_organisation_confirms_nothing_for_the_applicant(rules):
    """Audit 49: a branch's dossier held its parent company's tax confirmation ("Kính gửi: Công ty Cổ phần May Sông
    Hồng"), a cooperative's its member company's, a private enterprise's a namesake's: each counted. Bound before
    the applicant's own social-insurance letter, the other's letter alone is set aside; read by OCR, nothing is."""
    from intake.judging.completeness import evaluate
    from conftest import BEFORE_DEADLINE

    branch = "Chi nhánh Công ty CP May Sông Hồng tại Bắc Giang"
    tax = _confirmation("CỤC THUẾ TỈNH NAM ĐỊNH", "1532/CTNDI-KK", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế",
                        "Công ty Cổ phần May Sông Hồng", "Công ty đã hoàn thành nghĩa vụ nộp thuế")
    insurance = _confirmation("BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG", "512/BHXH-QLT",
                              "V/v xác nhận tình hình tham gia bảo hiểm xã hội", branch,
                              "Đơn vị đã đóng đủ bảo hiểm xã hội cho người lao động")
    files = [f for f in _dossier(branch, _certificate(branch.upper())) if f.path != "tax_insurance.pdf"]
    both = text_file("7-Thue - BHXH.pdf", tax, insurance)
    matches = classify_dossier([*files, both], rules)
    assert [(m.label, m.component, [e.phrase for e in m.evidence if e.kind == "holder_name"]) for m in matches
            if m.file == both.path] == [
        ("7-Thue - BHXH.pdf#p1", None, ["tax_insurance: Công ty Cổ phần May Sông Hồng"]),
        ("7-Thue - BHXH.pdf#p2", "tax_insurance", [])]
    verdict = evaluate([*files, both], matches, rules, received_at=BEFORE_DEADLINE)
    assert [d.message for d in verdict.deficiencies] == [
        f"Thiếu xác nhận thực hiện nghĩa vụ thuế năm {year}." for year in (2017, 2018, 2019)]
    # The applicant's own, or one OCR read (its names may be misread), is taken.
    own = text_file("7-Thue - BHXH.pdf", tax.replace("Công ty Cổ phần May Sông Hồng", branch), insurance)
    assert {m.component for m in classify_dossier([*files, own], rules) if m.file == own.path} == {"tax_insurance"}
    scanned = text_file("7-Thue - BHXH.pdf", tax, insurance, method="ocr", confidence=93.0)
    assert {m.component for m in classify_dossier([*files, scanned], rules) if m.file == own.path} == {
        "tax_insurance"}
