"""Whose document it is (audit 28): a tax or social-insurance confirmation that names only another valid tax code
than the enterprise's form's (its branch's, a similarly named company's) confirms nothing for it, nor does a
certificate held by another company (a parent corporation, a namesake), and the request to supplement says why;
the enterprise's own, under any name its form gives, counts as before."""

from __future__ import annotations

import random
from pathlib import Path
from dataclasses import replace

import dossiers
from conftest import Service
from intake.judging.holder import named_tax_codes
from intake.notices.rows import action_rows
from intake.pipeline import judge


def _letter(issuer: list[str], number: str, subject: str, to: str, body: list[str]) -> list[str]:
    return [*issuer[:1], f"{issuer[1]}    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            f"Số: {number}    Bắc Giang, ngày 05 tháng 5 năm 2020", subject, f"Kính gửi: {to}", *body]


def test_named_tax_codes_are_read_after_their_label_and_must_be_valid():
    assert named_tax_codes("Kính gửi: Chi nhánh …\nMã số thuế: 2400333448-001\nTheo đề nghị …") == ["2400333448-001"]
    assert named_tax_codes("(mã đơn vị TA0871K, mã số thuế 0100 111 225), MST: 2400333448") == [
        "0100111225", "2400333448"]
    assert named_tax_codes("Mã số thuế: 2400333449") == []  # a check digit OCR broke says nothing
    assert named_tax_codes("Số: 2400333448/CT-KK; năm 2019 nộp 2.400.333.448 đồng") == []  # no label, no code


def test_another_entitys_confirmation_does_not_count(tmp_path, rules):
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(71)
        ent = dossiers.make_enterprise(rng)
        folder = service.inbox / "Công ty Hòa Bình"
        dossiers.write_dossier(folder, ent, rng, formats={"*": "pdf"}, omit=("tax_insurance",))
        branch = f"{ent.tax_code}-001"
        tax = ["CỤC THUẾ TỈNH BẮC GIANG", "CHI CỤC THUẾ KHU VỰC TIÊN DU"]
        bhxh = ["BẢO HIỂM XÃ HỘI TỈNH BẮC GIANG", "BẢO HIỂM XÃ HỘI HUYỆN VIỆT YÊN"]
        own_tax = _letter(tax, "1532/CTBGI-KK", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế", ent.name, [
            f"Mã số thuế: {ent.tax_code}",
            f"Trong các năm 2017, 2018, {ent.name} đã kê khai và nộp đầy đủ các khoản thuế vào ngân sách nhà nước."])
        branch_tax = _letter(tax, "415/CCTKV-KK", "V/v xác nhận tình hình thực hiện nghĩa vụ thuế năm 2019",
                             f"Chi nhánh {ent.name} tại Bắc Ninh", [
            f"Mã số thuế: {branch}",
            "Trong năm 2019, Chi nhánh đã kê khai và nộp đầy đủ các khoản thuế vào ngân sách nhà nước."])
        namesake = _letter(bhxh, "118/BHXH-QLT", "V/v xác nhận tình hình tham gia, đóng BHXH, BHYT, BHTN",
                           "Công ty TNHH Nhựa Tân Tiến", [
            "Theo đề nghị của Công ty TNHH Nhựa Tân Tiến (mã đơn vị TA0871K, mã số thuế 0100111225),",
            "Bảo hiểm xã hội xác nhận tình hình tham gia bảo hiểm xã hội của đơn vị các năm 2017, 2018, 2019 như sau:",
            "Năm 2017: 180 lao động; năm 2018: 182 lao động; năm 2019: 185 lao động; không nợ bảo hiểm xã hội."])
        own_bhxh = _letter(bhxh, "119/BHXH-QLT", "V/v xác nhận tình hình tham gia, đóng BHXH, BHYT, BHTN", ent.name, [
            "Bảo hiểm xã hội xác nhận tình hình tham gia bảo hiểm xã hội của đơn vị các năm 2017, 2019 như sau:",
            "Năm 2017: 120 lao động; năm 2019: 125 lao động; không nợ bảo hiểm xã hội."])
        for name, page in (("Thue 2017-2018.pdf", own_tax), ("Thue 2019 - Chi nhanh.pdf", branch_tax),
                           ("BHXH.pdf", namesake), ("BHXH cong ty.pdf", own_bhxh)):
            dossiers.write_digital_pdf(folder / name, [page])
        service.scan()
        report = service.report()["Công ty Hòa Bình"]
        assert report["status"] == "incomplete"
        assert sorted(report["documents"]["tax_insurance"]) == ["BHXH cong ty.pdf", "Thue 2017-2018.pdf"]
        asked = sorted(d["message"] for d in report["deficiencies"] if d["code"] == "missing_years")
        assert len(asked) == 2 and "2019" in asked[0] + asked[1] and "2018" in asked[0] + asked[1], asked
        # The request says why the branch's and the namesake's letters do not count.
        verdict = judge(service.ctx, service.store.dossiers.get("Công ty Hòa Bình"))
        rows = action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
        text = "\n".join(" ".join(r.problems) for r in rows)
        assert (f"Tệp «Thue 2019 - Chi nhanh.pdf» ghi mã số thuế {branch}, không phải mã số thuế của "
                "tổ chức, doanh nghiệp trên đơn đăng ký") in text
        assert "«BHXH.pdf» ghi mã số thuế 0100111225" in text
    finally:
        service.close()



def _certificate(title: str, holder: list[str], body: list[str]) -> list[str]:
    return ["CÔNG TY CỔ PHẦN CHỨNG NHẬN VÀ GIÁM ĐỊNH VINACERT", title, "Số: HT 2419.19",
            *holder, "Địa chỉ: Số 5 đường Hùng Vương, thành phố Bắc Giang, tỉnh Bắc Giang", *body,
            "Ngày cấp: 15/03/2019 - Có hiệu lực đến: 14/03/2022", "GIÁM ĐỐC", "Nguyễn Văn Hải"]


_ISO = ["đã được đánh giá và phù hợp với các yêu cầu của tiêu chuẩn TCVN ISO 9001:2015 / ISO 9001:2015",
        "Phạm vi chứng nhận: Sản xuất thuốc viên nén, viên nang"]
_CONFORMITY = ["Chứng nhận sản phẩm: Thuốc viên nén", "Phù hợp quy chuẩn kỹ thuật: QCVN 01:2019/BYT",
               "Phương thức chứng nhận: Phương thức 5 theo Thông tư số 28/2012/TT-BKHCN"]


def _pharma(rng: random.Random) -> dossiers.Enterprise:
    ent = dossiers.make_enterprise(rng)
    return replace(ent, name="Công ty Cổ phần Dược phẩm Bắc Giang")


def _form_with_other_names(ent: dossiers.Enterprise, rng: random.Random) -> list[str]:
    form = dossiers.component_pages("registration_form", ent, rng)[0]
    at = next(i for i, line in enumerate(form) if line.startswith("Tên doanh nghiệp")) + 1
    return [*form[:at], "Tên tiếng Anh: BAC GIANG PHARMACEUTICAL JOINT STOCK COMPANY",
            "Tên công ty trước khi thay đổi: Công ty TNHH Dược Hà Bắc", *form[at:]]


def _without_certificates(service: Service, rng: random.Random) -> Path:
    """A pharmaceutical enterprise's dossier folder, its form giving former and English names, its certificates left
    for the test to add."""
    ent = _pharma(rng)
    folder = service.inbox / "Dược Bắc Giang"
    dossiers.write_dossier(folder, ent, rng, formats={"*": "pdf"},
                           omit=("registration_form", "quality_system", "product_conformity"))
    dossiers.write_digital_pdf(folder / "Don dang ky.pdf", [_form_with_other_names(ent, rng)])
    return folder


def test_a_certificate_of_another_company_does_not_count(tmp_path, rules):
    """A parent corporation's ISO certificate and a namesake's conformity certificate (another province's) are
    not the enterprise's: both components are asked for, and the request says whose they are (audit 28)."""
    service = Service(tmp_path, rules)
    try:
        folder = _without_certificates(service, random.Random(72))
        parent = _certificate("GIẤY CHỨNG NHẬN HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG", [
            "Chứng nhận hệ thống quản lý chất lượng của", "TỔNG CÔNG TY DƯỢC PHẨM BẮC GIANG"], _ISO)
        namesake = _certificate("GIẤY CHỨNG NHẬN HỢP QUY", [
            "Tổ chức được chứng nhận: CÔNG TY CỔ PHẦN DƯỢC PHẨM BẮC NINH"], _CONFORMITY)
        dossiers.write_digital_pdf(folder / "ISO 9001.pdf", [parent])
        dossiers.write_digital_pdf(folder / "Hop quy.pdf", [namesake])
        service.scan()
        report = service.report()["Dược Bắc Giang"]
        missing = sorted(d["document"] for d in report["deficiencies"] if d["code"] == "missing_document")
        assert missing == ["product_conformity", "quality_system"], report["deficiencies"]
        verdict = judge(service.ctx, service.store.dossiers.get("Dược Bắc Giang"))
        rows = action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
        text = "\n".join(" ".join(r.problems) for r in rows)
        assert ("Tệp «ISO 9001.pdf» cấp cho «TỔNG CÔNG TY DƯỢC PHẨM BẮC GIANG», không phải tổ chức, doanh "
                "nghiệp trên đơn đăng ký") in text
        assert "«Hop quy.pdf» cấp cho «CÔNG TY CỔ PHẦN DƯỢC PHẨM BẮC NINH»" in text
        # Received, not counted: the row says so, not "not received" (audit 43).
        (iso,) = [r for r in rows if r.problems and "ISO 9001.pdf" in r.problems[0]]
        assert iso.received == "«ISO 9001.pdf» (không tính)" and "Chưa có trong hồ sơ đã nộp." not in iso.problems
    finally:
        service.close()


def test_the_enterprises_own_certificates_count_under_any_name_its_form_gives(tmp_path, rules):
    """The enterprise's certificates count: under its name wrapped over two lines and scanned (OCR), under its
    former name, and whatever the certification body's own company name; nothing else changes."""
    service = Service(tmp_path, rules)
    try:
        rng = random.Random(73)
        folder = _without_certificates(service, rng)
        own = _certificate("GIẤY CHỨNG NHẬN HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG", [
            "Chứng nhận hệ thống quản lý chất lượng của", "CÔNG TY CỔ PHẦN DƯỢC PHẨM", "BẮC GIANG",
            "(BAC GIANG PHARMACEUTICAL JSC)"], _ISO)
        former = _certificate("GIẤY CHỨNG NHẬN HỢP QUY", [
            "Tổ chức được chứng nhận: CÔNG TY TNHH DƯỢC HÀ BẮC"], _CONFORMITY)
        dossiers.write_scanned_pdf(folder / "ISO 9001.pdf", [own], rng)
        dossiers.write_digital_pdf(folder / "Hop quy.pdf", [former])
        service.scan()
        report = service.report()["Dược Bắc Giang"]
        assert report["documents"]["quality_system"] == ["ISO 9001.pdf"]
        assert report["documents"]["product_conformity"] == ["Hop quy.pdf"]
        assert report["status"] == "complete", report["deficiencies"]
        # The officer sees whose each certificate is.
        held = {e["file"]: [p["phrase"] for p in e["phrases"] if p["kind"] == "held_by"] for e in report["evidence"]}
        assert held["Hop quy.pdf"] == ["CÔNG TY TNHH DƯỢC HÀ BẮC"]
        assert held["ISO 9001.pdf"] and "DƯỢC PHẨM" in held["ISO 9001.pdf"][0]
    finally:
        service.close()


def _packaging_dossier(form_rows: list[str], certificate: list[str]) -> list:
    """A packaging enterprise's dossier as text files: its form numbered as a Word table gives it (label and value
    apart, no colon), with `form_rows` after its name's row, and an English-only ISO 9001 certificate."""
    from conftest import text_file

    rng = random.Random(42)
    ent = replace(dossiers.make_enterprise(rng), name="Công ty Cổ phần Bao bì Việt Hưng Bắc Giang")
    form = dossiers.component_pages("registration_form", ent, rng)[0]
    at = next(i for i, line in enumerate(form) if line.startswith("Tên doanh nghiệp")) + 1
    rows = [f"{n}. {line.replace(': ', '  ', 1)}" for n, line in enumerate([*form[:at], *form_rows, *form[at:]], 1)]
    others = [text_file(f"{c}.pdf", *("\n".join(p) for p in dossiers.component_pages(c, ent, rng)))
              for c in dossiers.COMPONENT_IDS if c not in ("registration_form", "quality_system")]
    return [text_file("Don dang ky.docx", "\n".join(rows)), text_file("ISO 9001.pdf", "\n".join(certificate)),
            *others]


def _english_certificate(holder: str, address: str) -> list[str]:
    return ["SAO Y BẢN CHÍNH", "TÜV", "TÜV Rheinland Vietnam Co., Ltd", "CERTIFICATE OF REGISTRATION",
            "Certificate No. 44 100 163421", "This is to certify that the Quality Management System of:", holder,
            address, "has been assessed and found to conform to the requirements of ISO 9001:2015",
            "Scope: Manufacture of corrugated cartons and flexible packaging",
            "Original approval: 12.03.2017  Expiry date: 11.03.2020"]


def test_a_parents_english_certificate_is_set_aside_where_the_form_gives_the_english_name(rules):
    """Audit 42: an English-only ISO 9001 certificate of the Hà Nội parent ("VIET HUNG PACKAGING JOINT STOCK
    COMPANY") counted for its Bắc Giang subsidiary, whose form gives its own English name in a numbered Word row
    without a colon ("2. Tên giao dịch quốc tế  VIET HUNG BAC GIANG PACKAGING JSC"): that name was never read.
    The enterprise's own English certificate counts, and says whose it is."""
    from intake.judging.classify import classify_dossier

    row = ["Tên giao dịch quốc tế: VIET HUNG BAC GIANG PACKAGING JSC"]
    parent = classify_dossier(_packaging_dossier(row, _english_certificate(
        "VIET HUNG PACKAGING JOINT STOCK COMPANY", "No. 12, Lane 102 Truong Chinh Street, Dong Da District, Hanoi")),
        rules)
    assert "quality_system" not in {m.component for m in parent}
    assert [e.phrase for m in parent for e in m.evidence if e.kind == "holder_name"] == [
        "quality_system: VIET HUNG PACKAGING JOINT STOCK COMPANY"]
    own = classify_dossier(_packaging_dossier(row, _english_certificate(
        "VIET HUNG BAC GIANG PACKAGING JOINT STOCK COMPANY", "Lot B2, Dinh Tram Industrial Park, Bac Giang")), rules)
    assert [(m.component, [e.phrase for e in m.evidence if e.kind == "held_by"]) for m in own
            if m.file == "ISO 9001.pdf"] == [("quality_system", ["VIET HUNG BAC GIANG PACKAGING JOINT STOCK COMPANY"])]


def test_an_english_certificate_counts_where_the_form_gives_no_english_name_to_compare(rules):
    """The certificate's English name may be the enterprise's, translated: without the form's English name (a
    trading name that is an abbreviation is none, nor is an English name of one word) it is not compared, and
    counts."""
    from intake.judging.classify import classify_dossier

    certificate = _english_certificate("VHP PACKAGING JOINT STOCK COMPANY", "Lot B2, Dinh Tram Industrial Park")
    for rows in ([], ["Tên giao dịch: VHP"], ["Tên giao dịch quốc tế: VHBG CO., LTD"]):
        matches = classify_dossier(_packaging_dossier(rows, certificate), rules)
        assert [m.component for m in matches if m.file == "ISO 9001.pdf"] == ["quality_system"], rows


def test_a_file_named_as_a_component_that_is_not_it_is_named_in_the_request(rules):
    """Audit 42: "Xac nhan thue.pdf" held the enterprise's own request for the confirmation (Mẫu 01/XNNVT), which is
    no component; the request to supplement said only that the tax years were not found in the social-insurance
    letter, and the enterprise would answer that it did send it. It now says the file was received and is not the
    confirmation; a file whose name says nothing of the component is not named there."""
    from conftest import text_file
    from test_completeness import _REQUEST as request, dossier_files, judge

    files = [f for f in dossier_files(43) if "tax_insurance" not in f.path]
    verdict = judge([*files, text_file("Xac nhan thue.pdf", request), text_file("Anh nha may.pdf", request)], rules)
    assert verdict.documents.get("tax_insurance") is None
    rows = action_rows(verdict.deficiencies, tuple(verdict.documents.items()), verdict.matches, rules)
    (row,) = [r for r in rows if "thuế" in r.component]
    text = " ".join(row.problems)
    assert ("Tệp «Xac nhan thue.pdf» đã nhận nhưng nội dung không phải là xác nhận nghĩa vụ thuế và bảo hiểm xã "
            "hội, không tính cho thành phần này.") in text, text
    assert "Anh nha may.pdf" not in " ".join(p for r in rows for p in r.problems)


def test_an_english_holder_wrapped_over_two_lines_is_read_whole(rules):
    """Audit 43: "SONG KHE TECHNICAL PLASTICS JOINT STOCK" / "COMPANY" was read as a company named «COMPANY», not the
    enterprise, so its own certificate was set aside and Mẫu 02 said it was another company's; a parent's name
    wrapped the same way is still another company's, named whole."""
    from intake.judging.classify import classify_dossier

    row = ["Tên giao dịch quốc tế: VIET HUNG BAC GIANG PACKAGING JSC"]
    for holder, own in ((["VIET HUNG BAC GIANG PACKAGING JOINT STOCK", "COMPANY"], True),
                        (["VIET HUNG PACKAGING JOINT STOCK", "COMPANY"], False)):
        certificate = _english_certificate(holder[0], "Lot B2, Dinh Tram Industrial Park, Bac Giang")
        at = certificate.index(holder[0]) + 1
        certificate = [*certificate[:at], holder[1], *certificate[at:]]
        matches = classify_dossier(_packaging_dossier(row, certificate), rules)
        (iso,) = [m for m in matches if m.file == "ISO 9001.pdf"]
        said = [(e.kind, e.phrase) for e in iso.evidence if e.kind in ("held_by", "holder_name")]
        name = " ".join(holder)
        assert (iso.component, said) == (("quality_system", [("held_by", name)]) if own else
                                         (None, [("holder_name", f"quality_system: {name}")])), said
