"""The registration form's fields: read from digital, Word and scanned forms, each with a status, never guessed;
the eligibility hints they give; precision and recall on a generated set."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from intake.judging.eligibility import eligibility_hints, months_between
from intake.reading.extract import extract_text
from intake.judging.fields import (
    FIELDS, read_category, read_date, read_email, read_founding, read_registration, read_tax_code,
)
from intake.judging.models import Registration, RegistrationField
from intake.reading.ocr import Tesseract

import dossiers

TESSERACT = Tesseract()


def truth(ent: dossiers.Enterprise) -> dict[str, str]:
    """The values the generator printed on the form, as the reader normalises them."""
    return {"enterprise": ent.name, "address": ent.address, "phone": ent.phone, "email": ent.email,
            "tax_code": ent.tax_code, "representative": ent.representative, "category": ent.category,
            "employees": str(ent.employees), "founded": ent.founded.isoformat()}


def form_lines(seed: int) -> tuple[dossiers.Enterprise, list[str]]:
    rng = random.Random(seed)
    ent = dossiers.make_enterprise(rng)
    return ent, dossiers.component_pages("registration_form", ent, rng)[0]


def values(registration: Registration) -> dict[str, str]:
    return {f.name: f.value for f in registration.fields if f.status == "ok"}


# ---- reading, one format at a time -------------------------------------------------------------------------


def test_a_digital_form_gives_every_field(tmp_path):
    ent, lines = form_lines(1)
    path = tmp_path / "Don dang ky.pdf"
    dossiers.write_digital_pdf(path, [lines])
    (page,) = extract_text(path, ocr=TESSERACT).pages
    registration = read_registration(page.text, "Don dang ky.pdf")
    assert values(registration) == truth(ent)
    assert registration.source == "Don dang ky.pdf"


def test_a_word_form_with_its_fields_in_table_cells(tmp_path):
    ent, lines = form_lines(2)
    path = tmp_path / "Don dang ky.docx"
    dossiers.write_docx(path, [lines])
    (page,) = extract_text(path, ocr=TESSERACT).pages
    assert f"Mã số thuế:  {ent.tax_code}" in page.text  # the generator put the fields in a 2-column table
    assert values(read_registration(page.text)) == truth(ent)


def test_word_table_cells_without_colons_and_values_below_labels():
    text = "\n".join([
        "ĐƠN ĐĂNG KÝ THAM DỰ", "Tên doanh nghiệp  Công ty TNHH Bao bì Yên Dũng",
        "Mã số thuế  2400 123 458 - 001", "Người đại diện theo pháp luật", "Ông Nguyễn Văn Hùng - Giám đốc",
        "Số lao động  1.250 người", "Loại hình tham dự  Dịch vụ lớn",
    ])
    got = values(read_registration(text))
    assert got == {"enterprise": "Công ty TNHH Bao bì Yên Dũng", "tax_code": "2400123458-001",
                   "representative": "Nguyễn Văn Hùng", "employees": "1250", "category": "Dịch vụ lớn"}


def test_an_email_wrapped_after_its_label_on_a_shared_line():
    """A generated form in test_recognition: "3. Điện thoại: 0204 3616 086   Email:" and the address on the next
    line. Read as left blank, it would have asked the enterprise for an address it wrote."""
    text = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ", "1. Tên tổ chức, doanh nghiệp: Công ty TNHH Xăng dầu Hoàng Long",
                      "3. Điện thoại: 0204 3616 086        Email:", "vanphong@xangdauhoanglong.com.vn",
                      "4. Mã số thuế: 2424195483"])
    got = values(read_registration(text))
    assert got["email"] == "vanphong@xangdauhoanglong.com.vn" and got["phone"] == "0204 3616 086"


def test_the_row_after_the_name_is_not_its_continuation():
    """A form's next row names the enterprise again (in English, abbreviated): not a wrapped line of its name."""
    for row in ("Tên giao dịch tiếng Anh  Green Sword Lake Hotel Co., Ltd", "Tên viết tắt  HGX Hotel"):
        text = "\n".join(["BẢN ĐĂNG KÝ THAM DỰ", "1. Tên tổ chức, doanh nghiệp  Công ty TNHH Khách sạn Hồ Gươm Xanh",
                          row, "2. Địa chỉ  Số 27 phố Hàng Bè, quận Hoàn Kiếm, Hà Nội"])
        got = values(read_registration(text))
        assert got["enterprise"] == "Công ty TNHH Khách sạn Hồ Gươm Xanh", row
    wrapped = "\n".join(["Tên doanh nghiệp: Công ty Cổ phần Đầu tư Phát triển Công nghệ và Thương mại",
                         "Tổng hợp Bắc Giang", "Địa chỉ: Số 8 đường Lê Lợi, TP. Bắc Giang"])
    assert values(read_registration(wrapped))["enterprise"] == (
        "Công ty Cổ phần Đầu tư Phát triển Công nghệ và Thương mại Tổng hợp Bắc Giang")


def test_ocr_diacritic_errors_in_labels_are_tolerated():
    text = "\n".join([
        "Tên doanh nghiêp: Công ty Cổ phần Thép Hà Bắc", "Đia chỉ: Số 12, đường Hùng Vương, phường Ngô Quyền,",
        "thành phố Bắc Giang", "Điện thoai: 0204 3855 123", "E-mail : kinhdoanh@thephabac.com.vn",
        "Mã sô thuê; 2400123458", "Người đai diện theo pháp luât: Trần Đức Long", "Loai hình: Sàn xuất lớn",
        "Tổng sô lao đông: 420 ngưòi", "Ngày thành lâp: 05/03/2005",
    ])
    assert values(read_registration(text)) == {
        "enterprise": "Công ty Cổ phần Thép Hà Bắc",
        "address": "Số 12, đường Hùng Vương, phường Ngô Quyền, thành phố Bắc Giang", "phone": "0204 3855 123",
        "email": "kinhdoanh@thephabac.com.vn", "tax_code": "2400123458", "representative": "Trần Đức Long",
        "category": "Sản xuất lớn", "employees": "420", "founded": "2005-03-05"}


def test_missing_and_invalid_fields_are_said_so_never_guessed():
    text = "\n".join([
        "Tên doanh nghiệp: Công ty TNHH Nhựa An Phú", "Điện thoại: 0204 38", "Email: info@anphu",
        "Mã số thuế: 24001234S6", "Loại hình: Sản xuất lớn / Dịch vụ vừa và nhỏ", "Tổng số lao động:",
        "Ngày thành lập: 31/02/2010",
    ])
    fields = {f.name: f for f in read_registration(text).fields}
    assert fields["enterprise"].status == "ok"
    assert {n: fields[n].status for n in FIELDS if n != "enterprise"} == {
        "address": "missing", "phone": "invalid", "email": "invalid", "tax_code": "invalid",
        "representative": "missing", "category": "invalid", "employees": "missing", "founded": "invalid"}
    assert all(fields[n].value == "" for n in FIELDS if n != "enterprise")
    assert "24001234S6" in fields["tax_code"].note and fields["employees"].note == "để trống trên đơn đăng ký"
    assert fields["address"].note == "không tìm thấy trên đơn đăng ký"
    # ... and an e-mail address OCR broke is never used for the notices.
    assert read_registration(text).value("email") == ""


@pytest.mark.parametrize("raw, expected", [
    ("2400123456", "2400123456"), ("24 0012 3456", "2400123456"), ("2400123456-001", "2400123456-001"),
    ("2400123456 - 001", "2400123456-001"), ("2400123456001", "2400123456-001"), ("2474946795 :", "2474946795"),
    ("240012345", None),
    ("24001234567", None), ("2400l23456", None), ("", None),
])
def test_tax_codes(raw, expected):
    assert read_tax_code(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("info@maybacgiang.com.vn", "info@maybacgiang.com.vn"), ("info@maybacgiang.com.vn.", "info@maybacgiang.com.vn"),
    ("gachngoixuonggiang1 9@gmail.com", "gachngoixuonggiang19@gmail.com"), ("kd@abc.vn (phòng kinh doanh)", "kd@abc.vn"),
    ("info@abc", None), ("không có", None), ("a@b.vn, c@d.vn", None),
    # A handwritten "f" OCR read as "ƒ": the address it leaves is not the enterprise's ("ood@gmail.com").
    ("lucngan.ƒood@gmail.com", None), ("Email: kd@abc.vn", "kd@abc.vn"), ("«kd@abc.vn»", "kd@abc.vn"),
    # OCR of a gray 150-200 dpi scan glues a bracket to a small "@".
    ("habacfood(@gmail.com", "habacfood@gmail.com"), ("kd@)abc.vn", "kd@abc.vn"), ("a(@b", None),
])
def test_email_addresses(raw, expected):
    assert read_email(raw)[0] == expected


@pytest.mark.parametrize("raw, expected", [
    ("Sản xuất lớn", "Sản xuất lớn"), ("SẢN XUẤT VỪA VÀ NHỎ", "Sản xuất vừa và nhỏ"), ("Dịch vụ lớn", "Dịch vụ lớn"),
    ("dich vu vua va nho", "Dịch vụ vừa và nhỏ"), ("Sàn xuất lởn", "Sản xuất lớn"), ("Công ty cổ phần", None),
    ("Sản xuất lớn, Sản xuất vừa và nhỏ", None),
])
def test_categories(raw, expected):
    assert read_category(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("05/03/2005", "2005-03-05"), ("5-3-2005", "2005-03-05"), ("ngày 05 tháng 3 năm 2005", "2005-03-05"),
    ("03/2005", "2005-03"), ("năm 2005", "2005"), ("31/02/2005", None), ("05/03/2005 và 06/04/2006", None),
])
def test_founding_dates(raw, expected):
    assert read_date(raw) == expected


# ---- eligibility hints --------------------------------------------------------------------------------------


def registration(**fields: str) -> Registration:
    return Registration(tuple(RegistrationField(n, fields.get(n, ""), "ok" if n in fields else "missing")
                              for n in FIELDS), "Don.pdf")


def test_months_between():
    assert months_between(date(2017, 7, 1), date(2020, 6, 30)) == 35
    assert months_between(date(2017, 6, 30), date(2020, 6, 30)) == 36


def test_eligibility_hints(rules):
    assert eligibility_hints(registration(founded="2010-01-01", category="Sản xuất lớn", employees="301"), rules) == ()
    (young,) = eligibility_hints(registration(founded="2017-08-15"), rules)
    assert young.code == "short_operation" and "34 tháng" in young.message and young.file == "Don.pdf"
    assert eligibility_hints(registration(founded="2017"), rules)[0].code == "short_operation"  # may be short
    assert eligibility_hints(registration(founded="2016"), rules) == ()
    (big,) = eligibility_hints(registration(category="Sản xuất vừa và nhỏ", employees="450"), rules)
    assert big.code == "category_mismatch" and "450" in big.message
    (small,) = eligibility_hints(registration(category="Dịch vụ lớn", employees="300"), rules)
    assert small.code == "category_mismatch"
    assert eligibility_hints(registration(), rules) == ()  # nothing read: nothing hinted (statuses say so)
    # Audit 22: a branch's dossier (its own tax code "-001") has no legal personality of its own.
    (branch,) = eligibility_hints(registration(tax_code="2400777884-001"), rules)
    assert branch.code == "branch_unit" and "doanh nghiệp có mã số thuế 2400777884" in branch.message
    assert eligibility_hints(registration(tax_code="2400777884"), rules) == ()


# ---- the registration in the store, the JSON report and the notices --------------------------------------


def test_the_registration_is_stored_reported_and_feeds_the_notices(service):
    rng = random.Random(31)
    ent = dossiers.make_enterprise(rng)
    ent = dossiers.Enterprise(**{**ent.__dict__, "category": "Sản xuất lớn", "employees": 120,
                                 "founded": date(2018, 2, 1)})
    dossiers.write_dossier(service.inbox / "Công ty Trẻ", ent, rng, formats={"*": "pdf"})
    service.scan()
    dossier = service.report()["Công ty Trẻ"]
    fields = dossier["registration"]["fields"]
    assert {n: f["value"] for n, f in fields.items()} == truth(ent)
    assert {f["status"] for f in fields.values()} == {"ok"}
    assert {h["code"] for h in dossier["hints"] if h["document"] == "registration_form"} == {
        "short_operation", "category_mismatch"}
    assert dossier["status"] == "complete"  # hints are never deficiencies
    stored = service.store.readings.registration(service.store.dossiers.get("Công ty Trẻ").id)
    assert stored is not None and stored.value("tax_code") == ent.tax_code
    assert {n["address"] for n in service.store.outbox.all()} == {ent.email}


def test_a_dossier_without_a_form_says_so(service):
    rng = random.Random(32)
    dossiers.write_dossier(service.inbox / "Công ty Không đơn", dossiers.make_enterprise(rng), rng,
                           formats={"*": "pdf"}, omit=("registration_form",))
    service.scan()
    registration = service.report()["Công ty Không đơn"]["registration"]
    assert registration["source"] is None
    assert {f["status"] for f in registration["fields"].values()} == {"missing"}


# ---- precision and recall on a generated set ----------------------------------------------------------------


def _variant(lines: list[str], rng: random.Random) -> tuple[list[str], set[str]]:
    """The form with, sometimes, one field removed, left blank or made unreadable: returns the lines and the
    fields whose true value is then absent."""
    labels = {"Mã số thuế": "tax_code", "Email": "email", "Điện thoại": "phone", "Ngày thành lập": "founded",
              "Tổng số lao động": "employees", "Người đại diện theo pháp luật": "representative"}
    choice = rng.random()
    if choice < 0.5:
        return lines, set()
    label = rng.choice(sorted(labels))
    out = []
    for line in lines:
        if line.startswith(label + ":"):
            if choice < 0.7:
                continue  # removed
            if choice < 0.85:
                line = label + ":"  # left blank
            else:
                line = f"{label}: (xem phụ lục)"  # unreadable
        out.append(line)
    return out, {labels[label]}


def _same_number(fields: dict[str, str]) -> dict[str, str]:
    """Phone numbers compared by their digits: "0204 3511.167" is the number printed as "0204 3511 167"."""
    return {k: re.sub(r"\D", "", v) if k == "phone" else v for k, v in fields.items()}


def score(cases: list[tuple[dict[str, str], Registration]]) -> tuple[float, float, int]:
    """Precision and recall of the fields read ("ok" values) against the fields printed."""
    tp = fp = fn = 0
    for printed, registration in cases:
        got, expected = _same_number(values(registration)), _same_number(printed)
        for name in FIELDS:
            if name in got and got[name] == expected.get(name):
                tp += 1
            elif name in got:
                fp += 1
            if name in expected and got.get(name) != expected[name]:
                fn += 1
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp


def test_precision_and_recall_on_a_generated_set(tmp_path, capsys):
    """Forms as text layers, Word tables, 200-dpi scans, poor 110-dpi blurred scans and phone photos (real
    Tesseract), some with a field removed, blank or unreadable. Printed with `pytest -s`; kept as a floor."""
    rng = random.Random(2020)
    kinds = ["pdf"] * 12 + ["docx"] * 8 + ["scan"] * 6 + ["poor"] * 4 + ["photo"] * 3
    results: dict[str, list[tuple[dict[str, str], Registration]]] = {}
    for number, kind in enumerate(kinds):
        ent = dossiers.make_enterprise(rng)
        lines, absent = _variant(dossiers.component_pages("registration_form", ent, rng)[0], rng)
        expected = {k: v for k, v in truth(ent).items() if k not in absent}
        path = tmp_path / f"form{number}.{ {'pdf': 'pdf', 'docx': 'docx', 'photo': 'jpg'}.get(kind, 'pdf') }"
        if kind == "pdf":
            dossiers.write_digital_pdf(path, [lines])
        elif kind == "docx":
            dossiers.write_docx(path, [lines])
        elif kind == "scan":
            dossiers.write_scanned_pdf(path, [lines], rng)
        elif kind == "poor":
            dossiers.write_scanned_pdf(path, [lines], rng, dpi=110, blur=1.3)
        else:
            dossiers.write_image(path, lines, rng, dpi=None)
        text = "\n".join(p.text for p in extract_text(path, ocr=TESSERACT).pages)
        results.setdefault(kind, []).append((expected, read_registration(text)))
    every = [case for cases in results.values() for case in cases]
    with capsys.disabled():
        print("\nregistration fields: precision / recall (fields read right)")
        for kind, cases in [*results.items(), ("all", every)]:
            precision, recall, right = score(cases)
            print(f"  {kind:<6} {len(cases):>2} forms  precision {precision:.3f}  recall {recall:.3f}  ({right} fields)")
    precision, recall, _ = score(every)
    assert precision >= 0.95 and recall >= 0.93
    for kind in ("pdf", "docx"):
        assert score(results[kind])[:2] == (1.0, 1.0), kind


def test_a_form_read_from_text_that_lacks_a_required_field_is_sent_back(service):
    """Audit 13: a form with no phone and no e-mail was never sent back. Read from its text, it is a deficiency
    the request names; scanned, the officer is asked to check (OCR may have missed what is there)."""
    from test_notices import table_rows

    rng = random.Random(33)
    ent = dossiers.make_enterprise(rng)
    ent = dossiers.Enterprise(**{**ent.__dict__, "phone": "", "email": ""})
    dossiers.write_dossier(service.inbox / "Công ty Thiếu liên lạc", ent, rng, formats={"*": "pdf"})
    dossiers.write_dossier(service.inbox / "Công ty Đơn quét", ent, random.Random(33),
                           formats={"*": "pdf", "registration_form": "scan"})
    service.scan()
    report = service.report()
    digital = report["Công ty Thiếu liên lạc"]
    assert digital["status"] == "incomplete"
    (gap,) = [d for d in digital["deficiencies"] if d["code"] == "incomplete_form"]
    assert gap["document"] == "registration_form" and "chưa ghi số điện thoại, địa chỉ thư điện tử" in gap["message"]
    request = next(n for n in service.store.outbox.all(service.store.dossiers.get("Công ty Thiếu liên lạc").id)
                   if n["kind"] == "deficiency")
    rows = table_rows(service.settings.outbox / request["path"])
    assert any("Chưa ghi số điện thoại" in " ".join(row) for row in rows)
    scanned = report["Công ty Đơn quét"]
    assert not [d for d in scanned["deficiencies"] if d["code"] == "incomplete_form"]
    assert [h["code"] for h in scanned["hints"] if h["code"] == "form_fields_unread"] == ["form_fields_unread"]


def test_the_head_of_the_organisation_and_the_head_office_are_read():
    """Audit 17: "Người đứng đầu tổ chức, doanh nghiệp" (the award's own wording) and "Trụ sở chính" were not read
    as the representative and the address, and a complete form was asked for again."""
    text = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
                      "Tên tổ chức, doanh nghiệp  Công ty TNHH Cơ khí Chính xác Việt Hàn",
                      "Trụ sở chính: Lô C3, KCN Quang Châu, huyện Việt Yên, tỉnh Bắc Giang",
                      "Người đứng đầu tổ chức, doanh nghiệp  Nguyễn Đức Thắng", "Chức vụ  Giám đốc"])
    got = values(read_registration(text))
    assert got["representative"] == "Nguyễn Đức Thắng"
    assert got["address"] == "Lô C3, KCN Quang Châu, huyện Việt Yên, tỉnh Bắc Giang"


def test_the_ticked_category_box_is_read():
    """Audit 17: "Loại hình đăng ký tham dự (đánh dấu X vào ô thích hợp):" over a Word form's boxes: the instruction
    was taken for the value, and "☒ Sản xuất lớn" was not read."""
    for boxes in (["☒ Sản xuất lớn  ☐ Sản xuất vừa và nhỏ", "☐ Dịch vụ lớn  ☐ Dịch vụ vừa và nhỏ"],
                  ["[ ] Sản xuất lớn   [ ] Sản xuất vừa và nhỏ", "[X] Dịch vụ lớn   [ ] Dịch vụ vừa và nhỏ"]):
        text = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ", "Loại hình đăng ký tham dự (đánh dấu X vào ô thích hợp):", *boxes])
        got = {f.name: (f.value, f.status) for f in read_registration(text).fields}
        assert got["category"][1] == "ok", boxes
    assert got["category"][0] == "Dịch vụ lớn"
    untouched = "\n".join(["Loại hình đăng ký tham dự:", "☐ Sản xuất lớn  ☐ Sản xuất vừa và nhỏ"])
    assert {f.name: f.status for f in read_registration(untouched).fields}["category"] != "ok"


def test_boxes_a_text_layer_gives_apart_from_their_categories_are_read_in_order():
    """Audit 40: a digital PDF's text layer gave the four boxes after the labels ("… Dịch vụ☐ ☒ ☐" / "lớn    Dịch vụ
    vừa và nhỏ☐"): the category was "invalid" though the form plainly ticks "Sản xuất vừa và nhỏ"."""
    text = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",
                      "9. Loại hình đăng ký tham dự:  Sản xuất lớn    Sản xuất vừa và nhỏ    Dịch vụ☐ ☒ ☐",
                      "lớn    Dịch vụ vừa và nhỏ☐", "10. Tổng số lao động: 120 người"])
    got = {f.name: (f.value, f.status) for f in read_registration(text).fields}
    assert got["category"] == ("Sản xuất vừa và nhỏ", "ok")
    unticked = text.replace("☒", "☐")
    assert {f.name: f.status for f in read_registration(unticked).fields}["category"] != "ok"


def test_a_box_ticked_by_pen_on_a_scan_is_the_one_ocr_does_not_read_as_empty():
    """Audit 29: OCR reads an empty printed box as "L]"; a box ticked, crossed or circled by pen as anything else
    ("BỊ", "Xí", "ựf", "€{") or as nothing: the one category not left with an empty box is the ticked one. Two
    boxes that are not empty, or none that is, read nothing."""
    dich_vu = "L] Dịch vụ lớn L] Dịch vụ vừa và nhỏ"
    for lines, category in ((["Sản xuất lớn L] Sản xuất vừa và nhỏ", dich_vu], "Sản xuất lớn"),
                            (["BỊ Sản xuất lớn L] Sản xuất vừa và nhỏ", dich_vu], "Sản xuất lớn"),
                            (["L] Sản xuất lớn ựf Sản xuất vừa và nhỏ", dich_vu], "Sản xuất vừa và nhỏ"),
                            (["L] Sản xuất lớn €{ Sản xuất vừa và nhỏ `)", dich_vu], "Sản xuất vừa và nhỏ"),
                            (["L] Sản xuất lớn L] Sản xuất vừa và nhỏ", "Xí Dịch vụ lớn L] Dịch vụ vừa và nhỏ"],
                             "Dịch vụ lớn"),
                            (["L] Sản xuất lớn L] Sản xuất vừa và nhỏ", dich_vu], None),
                            (["BỊ Sản xuất lớn ựf Sản xuất vừa và nhỏ", dich_vu], None),
                            (["Loại hình: Sản xuất lớn, Sản xuất vừa và nhỏ, Dịch vụ lớn"], None)):
        text = "\n".join(["ĐƠN ĐĂNG KÝ THAM DỰ", "Tên doanh nghiệp: Công ty TNHH Bao bì Nhựa Song Khê",
                          "9. Loại hình đăng ký tham dự (đánh dấu X vào ô thích hợp):", *lines])
        field = read_registration(text).field("category")
        assert (field.value if field.status == "ok" else None) == category, lines


AUDIT21_FORM = """ĐƠN ĐĂNG KÝ THAM DỰ
GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020
Tên doanh nghiệp: CÔNG TY TNHH ĐIỆN TỬ QUANG CHÂU
Địa chỉ: Lô B2, Khu công nghiệp Đình Trám, phường Hồng Thái, thị xã Việt Yên, tỉnh Bắc
Giang
Điện thoại: 0204 3 666 888 – 0986 123 456       Fax: 0204.3567.891
Email: qc@dientuquangchau.vn; hcns.quangchau@gmail.com       Website: www.dientuquangchau.vn
Mã số thuế: 2 4 0 0 3 4 5 6 7 6
Giấy CNĐKDN số 2400345676, đăng ký lần đầu ngày 15/4/2008, đăng ký thay đổi lần thứ 5
ngày 20/11/2019 do Sở Kế hoạch và Đầu tư tỉnh Bắc Giang cấp.
Họ và tên người đứng đầu doanh nghiệp: Phạm Minh Tuấn          Chức vụ: Giám đốc
Số CBCNV: 320 (trong đó hợp đồng trên 1 năm: 290)
Đăng ký tham dự loại hình:
☐ Sản xuất lớn
☑ Sản xuất vừa và nhỏ
☐ Dịch vụ lớn
☐ Dịch vụ vừa và nhỏ"""


def test_forms_as_enterprises_fill_them_in(rules):
    """Audit 21: a complete form was sent back ("chưa ghi người đại diện theo pháp luật"; two phone numbers or two
    addresses "không hợp lệ"), the first, empty box under "loại hình" was read as the category, and the founding
    date and head count that decide eligibility were not read."""
    form = read_registration(AUDIT21_FORM)
    assert values(form) == {
        "enterprise": "CÔNG TY TNHH ĐIỆN TỬ QUANG CHÂU",
        "address": "Lô B2, Khu công nghiệp Đình Trám, phường Hồng Thái, thị xã Việt Yên, tỉnh Bắc Giang",
        "phone": "0204 3 666 888", "email": "qc@dientuquangchau.vn", "tax_code": "2400345676",
        "representative": "Phạm Minh Tuấn", "category": "Sản xuất vừa và nhỏ", "employees": "290",
        "founded": "2008-04-15"}
    assert form.field("employees").note == "lao động có hợp đồng từ 1 năm trở lên (tổng số 320)"
    assert eligibility_hints(form, rules) == ()  # 290 on long contracts: "vừa và nhỏ" is right, 12 years old
    large = read_registration(AUDIT21_FORM.replace("☐ Sản xuất lớn", "☒ Sản xuất lớn").replace("☑", "☐"))
    (hint,) = eligibility_hints(large, rules)
    assert "ghi 290 lao động có hợp đồng từ 1 năm trở lên" in hint.message
    # One row of a table marked after the category, a label of no field before a field's on one line, an "X"
    # typed in place of the box, a head count "khoảng", an OCR'd em dash before the title, a founding decision.
    table = read_registration("\n".join([
        "Điện thoại: +84 204 3 811 222; Fax: 0204 3 811 223; E-mail: xaylapdienyd@gmail.com",
        "Loại hình Đăng ký Số lao động", "Sản xuất lớn", "Sản xuất vừa và nhỏ", "Dịch vụ lớn",
        "Dịch vụ vừa và nhỏ x 85"]))
    assert table.value("category") == "Dịch vụ vừa và nhỏ" and table.field("email").note == ""
    typed = read_registration("Lao động: khoảng 150 người\nĐăng ký tham dự loại hình:\n☐ Sản xuất lớn\n"
                              "X Sản xuất vừa và nhỏ\n☐ Dịch vụ lớn")
    assert (typed.value("category"), typed.value("employees")) == ("Sản xuất vừa và nhỏ", "150")
    scanned = read_registration("6. Thành lập theo Quyết định số 123/QĐ-UBND ngày 05/8/1998 của UBND tỉnh Bắc Giang\n"
                                "7. Người đại diện theo pháp luật: Ông Hoàng Văn Thắng — Tổng Giám đốc")
    assert (scanned.value("founded"), scanned.value("representative")) == ("1998-08-05", "Hoàng Văn Thắng")


@pytest.mark.parametrize("raw, expected", [
    ("1976 (cổ phần hóa năm 2010)", "1976"),
    ("1976. Cổ phần hóa năm 2010, Giấy CNĐKDN cấp lần đầu ngày 28/6/2010", "1976"),
    ("đăng ký lần đầu ngày 15/4/2008, đăng ký thay đổi lần thứ 5 ngày 20/11/2019", "2008-04-15"),
    ("ngày 05 tháng 3 năm 2005", "2005-03-05"), ("03/2005", "2005-03"), ("2005, ngày 05/03/2005", "2005-03-05"),
    ("31/02/2005", None), ("không rõ", None),
])
def test_the_founding_is_the_earliest_date_given(raw, expected):
    assert read_founding(raw) == expected


def test_a_bilingual_form_s_english_labels_are_no_part_of_the_values():
    """Audit 25: "Điện thoại / Tel  0204 3699 100" and "Người đại diện theo pháp luật / Legal representative  Ông
    Park Sung Min" were read with their English label in front, invalid, and the complete form was sent back."""
    form = read_registration("\n".join([
        "Tên doanh nghiệp / Company name  CÔNG TY TNHH ĐIỆN TỬ DAESUNG VINA",
        "Địa chỉ / Address  Lô E-2, KCN Quang Châu, Việt Yên, Bắc Giang", "Điện thoại / Tel  0204 3699 100",
        "Email / E-mail  contact@daesungvina.com", "Mã số thuế / Tax code  2400687655",
        "Người đại diện theo pháp luật / Legal representative  Ông Park Sung Min"]))
    expected = {"enterprise": "CÔNG TY TNHH ĐIỆN TỬ DAESUNG VINA", "address": "Lô E-2, KCN Quang Châu, Việt Yên, "
                "Bắc Giang", "phone": "0204 3699 100", "email": "contact@daesungvina.com", "tax_code": "2400687655",
                "representative": "Park Sung Min"}
    assert {name: values(form)[name] for name in expected} == expected
    assert {f.name: f.status for f in form.fields if f.value} == dict.fromkeys(
        ("enterprise", "address", "phone", "email", "tax_code", "representative"), "ok")


def test_a_value_typed_below_its_label_is_read_across_the_empty_line_ocr_puts_between():
    """Audit 29: a scanned form with each value on the line below its label ("2. Địa chỉ:" / "" / "Km 12, …"):
    Tesseract puts an empty line between them, and eight of nine fields were "để trống trên đơn đăng ký"."""
    text = "\n".join([
        "BẢN ĐĂNG KÝ THAM DỰ", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020", "", "1. Tên doanh nghiệp:",
        "Công ty Cổ phần Gạch ngói Tân Yên", "", "2. Địa chỉ:", "",
        "Km 12, Quốc lộ 17, thị trấn Cao Thượng, huyện Tân Yên, tỉnh Bắc Giang", "3. Điện thoại:", "", "0204 3878 112",
        "4. Email:", "", "gachngoitanyen@vnn.vn", "5. Mã số thuế:", "", "2400127639",
        "6. Người đại diện theo pháp luật:", "", "Hoàng Văn Dũng - Chủ tịch HĐQT kiêm Giám đốc",
        "7. Năm thành lập:", "",
        "1998 (cổ phần hóa ngày 02/01/2018)", "8. Tổng số lao động:", "", "165 người",
        "10. Đăng ký tham dự loại hình:", "", "BỊ Sản xuất lớn L] Sản xuất vừa và nhỏ", "",
        "LÌ] Dịch vụ lớn L] Dịch vụ vừa và nhỏ"])
    got = {f.name: (f.status, f.value) for f in read_registration(text).fields}
    assert got == {"enterprise": ("ok", "Công ty Cổ phần Gạch ngói Tân Yên"),
                   "address": ("ok", "Km 12, Quốc lộ 17, thị trấn Cao Thượng, huyện Tân Yên, tỉnh Bắc Giang"),
                   "phone": ("ok", "0204 3878 112"), "email": ("ok", "gachngoitanyen@vnn.vn"),
                   "tax_code": ("ok", "2400127639"), "representative": ("ok", "Hoàng Văn Dũng"),
                   "category": ("ok", "Sản xuất lớn"), "employees": ("ok", "165"), "founded": ("ok", "1998")}
    # A label left blank before the next label stays blank.
    blank = {f.name: f.status for f in read_registration("Điện thoại:\n\nEmail: a@b.vn").fields}
    assert blank["phone"] == "missing" and blank["email"] == "ok"


def test_a_name_or_address_ocr_was_unsure_of_is_uncertain():
    """Audit 29: a seal over the name line read "CÔNØ H'MAY MẶC HOÀNG LONG" (its words under 70), kept "ok" and
    printed on the notices while the cover letter had the name right; a name read surely stays "ok"."""
    from intake.judging.checks import judge_ocr
    from intake.judging.models import RegistrationField

    name = RegistrationField("enterprise", "CÔNØ H'MAY MẶC HOÀNG LONG", "ok", raw="CÔNØ H'MAY MẶC HOÀNG LONG")
    unsure = judge_ocr(name, confidence=88.0, low_words=frozenset({"CÔNØ", "H'MAY"}))
    assert unsure.status == "uncertain" and "độ tin cậy của từ thấp" in unsure.note
    assert judge_ocr(name, confidence=88.0, low_words=frozenset({"Email:"})).status == "ok"
    assert judge_ocr(name, confidence=40.0, photo=True).status == "ok"  # only its own words' doubt counts


def test_a_speck_ocr_reads_beside_a_tax_code_is_left_out():
    """Audit 41: a scanned form's tax code read as «2400132646 ˆ» was "invalid"; the printed code is valid."""
    from intake.judging.checks import check_tax_code, tax_shape
    assert (check_tax_code("2400132646 ˆ", ocr=True).value, check_tax_code("2400132646 ˆ", ocr=True).status) == (
        "2400132646", "ok")
    assert tax_shape("«0101234567-001»") == tax_shape("0101 234 567 - 001.") == "0101234567-001"
