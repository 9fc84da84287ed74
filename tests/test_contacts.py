"""Contacts read from scans are checked, never trusted blindly: each value's source and status, validation by
python-stdnum / phonenumbers / email-validator, OCR confusions, sources reconciled into one identity per dossier,
duplicates flagged; measured per source on a generated corpus (real Tesseract)."""

from __future__ import annotations

import dataclasses
import email
import json
import random
import re
import socket
from datetime import timedelta
from email import policy

import docx
import phonenumbers
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

import dossiers
from intake.cli import main
from intake.desk import collect, render_html
from intake.errors import ExitCode
from intake.notices import MailSettings
from intake.judging.checks import (
    PHOTO_REASON, UNCERTAIN_EMAIL, check_tax_code, confusions, valid_email, valid_tax_code, value_words,
)
from intake.judging.fields import pages_reading, read_phone, read_registration
from intake.judging.identity import Confirmation, choose_identity, delivery_line, flag_duplicates
from intake.models import Invitee
from intake.reading.extract import extract_text
from intake.reading.ocr import Tesseract

TESSERACT = Tesseract()


def form_text(email: str = "hoso1@thepbacgiang.com.vn", tax: str = "2400123458", phone: str = "0204 3854 123",
              name: str = "Công ty TNHH Thép Bắc Giang") -> str:
    return "\n".join([
        "ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA", f"Tên doanh nghiệp: {name}",
        "Địa chỉ: Số 12, đường Hùng Vương, thành phố Bắc Giang", f"Điện thoại: {phone}", f"Email: {email}",
        f"Mã số thuế: {tax}", "Người đại diện theo pháp luật: Trần Đức Long",
    ])


# ---- validation by the libraries made for it ------------------------------------------------------------


@pytest.mark.parametrize("raw, ocr, status, value", [
    ("2400123458", False, "ok", "2400123458"),
    ("2400 123 458 - 001", False, "ok", "2400123458-001"),
    ("2400123456", False, "invalid", ""),          # wrong check digit, typed: never corrected
    ("24OO123458", True, "corrected", "2400123458"),  # O read for 0: one valid reading
    ("24001234S8", True, "corrected", "2400123458"),
    ("O1OO1O91O6", True, "corrected", "0100109106"),
    ("0l00109106-001", True, "corrected", "0100109106-001"),
    ("0100109186", True, "invalid", ""),          # bad check digit, several one-confusion repairs: not guessed
    ("24001234", True, "invalid", ""),
])
def test_tax_codes_by_their_check_digit(raw, ocr, status, value):
    field = check_tax_code(raw, ocr=ocr)
    assert (field.status, field.value) == (status, value)
    if status == "corrected":
        assert "đã sửa lỗi nhận dạng" in field.note and raw.strip() in field.note
    assert valid_tax_code("0100109106") and not valid_tax_code("0100109107")


def test_phone_numbers_are_vietnamese_numbers():
    assert read_phone("0204 3854 123") == "0204 3854 123"
    assert read_phone("+84 912 345 678") == "+84 912 345 678"
    assert read_phone("0992 123 456") is None        # no such range (phonenumbers, region VN)
    assert read_phone("0204 38") is None
    fields = {f.name: f for f in read_registration(form_text(phone="0204 38S4 l23"), "f", "ocr", 95.0).fields}
    assert fields["phone"].status == "uncertain" and fields["phone"].value == "0204 3854 123"


def test_email_syntax_without_network():
    assert valid_email("hoso1@thepbacgiang.com.vn")
    assert not valid_email("hoso..1@abc.vn") and not valid_email("info@abc")


@pytest.mark.parametrize("address, suspicious", [
    ("hoso1@abc.com.vn", True), ("hosol@abc.com.vn", True), ("vp10@abc.vn", True), ("sales5@abc.vn", True),
    ("kd2020@abc.vn", False), ("c0ngty@abc.vn", True), ("hanhchinh8@abc.vn", True), ("modern@abc.vn", True),
    ("Info@abc.vn", True), ("INFO@abc.vn", True), ("2o2o@abc.vn", True), ("info@abc.com.vn", False), ("kinhdoanh@thephabac.com.vn", False),
    ("lienhe.bg@abc.vn", False), ("nhuaxuan27@gmail.com", False),
])
def test_confusable_characters_where_ocr_confuses_them(address, suspicious):
    assert bool(confusions("email", address)) == suspicious


def test_an_ocr_read_address_with_a_confusable_character_is_uncertain_a_typed_one_is_ok():
    text = form_text()
    scanned = {f.name: f for f in read_registration(text, "Don.pdf", "ocr", 95.0).fields}
    typed = {f.name: f for f in read_registration(text, "Don.docx", "docx").fields}
    assert scanned["email"].status == "uncertain" and "OCR" in scanned["email"].note
    assert typed["email"].status == "ok"
    assert scanned["tax_code"].status == typed["tax_code"].status == "ok"
    # A poorly recognised page: nothing read from it is trusted.
    poor = {f.name: f for f in read_registration(form_text(email="info@abc.vn"), "x", "ocr", 61.0).fields}
    assert {poor[n].status for n in ("email", "phone", "tax_code")} == {"uncertain"}
    # Words the engine reports below the threshold make their value uncertain.
    low = {f.name: f for f in read_registration(form_text(email="info@abc.vn"), "x", "ocr", 95.0,
                                                frozenset({"info@abc.vn"})).fields}
    assert low["email"].status == "uncertain" and low["phone"].status == "ok"


def test_only_the_words_a_value_was_read_from_carry_their_doubt():
    # Scanner dust 100 px right of a tax code, read ":" at 57: no character of it is in the value.
    assert value_words("2476951726 :", "2476951726") == ["2476951726"]
    assert value_words("0204 3854 123", "0204 3854 123") == ["0204", "3854", "123"]
    assert value_words("hoso1 . abc@x.vn", "hoso1.abc@x.vn") == ["hoso1", ".", "abc@x.vn"]  # joined: all of it
    dusty = read_registration(form_text(tax="2400123458 :"), "x", "ocr", 95.0, frozenset({":"}))
    assert dusty.field("tax_code").status == "ok" and dusty.field("tax_code").value == "2400123458"
    doubted = read_registration(form_text(tax="2400123458 :"), "x", "ocr", 95.0, frozenset({"2400123458"}))
    assert doubted.field("tax_code").status == "uncertain"


def test_contacts_read_from_a_camera_photograph_are_uncertain_until_a_typed_source_agrees():
    """Tesseract read a photographed form's phone "…220" for "…223" (the word at 72, each digit at 96-99): a
    photo's values are never trusted alone, whatever the confidence."""
    photo = read_registration(form_text(email="info@abc.vn"), "Anh.jpg", "ocr", 96.0, photo=True)
    assert {photo.field(n).status for n in ("email", "phone", "tax_code")} == {"uncertain"}
    assert PHOTO_REASON in photo.field("phone").note
    assert photo.field("enterprise").status == "ok"  # names are not contacts: shown as read
    scan = read_registration(form_text(email="info@abc.vn"), "Don.pdf", "ocr", 96.0)
    assert {scan.field(n).status for n in ("email", "phone", "tax_code")} == {"ok"}
    alone = choose_identity("A", registration=photo, registration_method="ocr")
    assert alone.mail_to is None and alone.email_hold == UNCERTAIN_EMAIL
    invited = choose_identity("A", registration=photo, registration_method="ocr",
                              invitee=Invitee("Công ty TNHH Thép Bắc Giang", "2400123458", "info@abc.vn"))
    assert invited.mail_to == "info@abc.vn"


# ---- one identity per dossier ---------------------------------------------------------------------------


def test_sources_are_reconciled_and_disagreements_shown():
    scanned = read_registration(form_text(email="hosol@thepbacgiang.com.vn"), "Don.pdf", "ocr", 95.0)
    invitee = Invitee("Công ty TNHH Thép Bắc Giang", "2400123458", "hoso1@thepbacgiang.com.vn")
    identity = choose_identity("05 Công ty Thép", registration=scanned, registration_method="ocr", invitee=invitee)
    assert identity.email == identity.mail_to == "hoso1@thepbacgiang.com.vn"
    assert identity.field("email").source == "invitation" and identity.field("email").status == "ok"
    assert len(identity.mismatches) == 1 and "hosol@thepbacgiang.com.vn" in identity.mismatches[0]
    assert identity.enterprise == "Công ty TNHH Thép Bắc Giang" and identity.field("enterprise").source == "ocr"

    # The contacts file wins over both; an officer's confirmation over everything.
    filed = choose_identity("05 Công ty Thép", registration=scanned, registration_method="ocr", invitee=invitee,
                            contacts_email="vanthu@thep.vn")
    assert filed.mail_to == "vanthu@thep.vn" and filed.field("email").source == "contacts_file"
    confirmed = choose_identity("05 Công ty Thép", registration=scanned, registration_method="ocr",
                                confirmation=Confirmation("hoso1@thepbacgiang.com.vn", "Nguyễn Thị Lan", "2020-06-16"))
    assert confirmed.mail_to == "hoso1@thepbacgiang.com.vn" and "Nguyễn Thị Lan" in confirmed.field("email").note


def test_an_uncertain_address_is_ok_when_a_typed_source_gives_the_same():
    scanned = read_registration(form_text(), "Don.pdf", "ocr", 95.0)
    alone = choose_identity("Thép", registration=scanned, registration_method="ocr")
    assert alone.email == "hoso1@thepbacgiang.com.vn" and alone.mail_to is None
    assert alone.email_hold == UNCERTAIN_EMAIL and "chưa chắc chắn" in delivery_line(alone)
    letter = read_registration("Kính gửi: Sở Khoa học và Công nghệ\nEmail: hoso1@thepbacgiang.com.vn", "CV.docx",
                               "docx")
    backed = choose_identity("Thép", registration=scanned, registration_method="ocr", cover_letter=letter)
    assert backed.mail_to == "hoso1@thepbacgiang.com.vn" and backed.email_hold == ""
    assert "hoso1@thepbacgiang.com.vn" in delivery_line(backed)


def test_the_folder_name_only_when_no_document_names_the_enterprise():
    letter = read_registration(form_text(name="Công ty CP Bao bì Yên Dũng"), "CV.pdf", "text")
    assert choose_identity("05 Công ty Bao bì", cover_letter=letter).enterprise == "Công ty CP Bao bì Yên Dũng"
    nothing = choose_identity("05 Công ty Bao bì")
    assert nothing.enterprise == "05 Công ty Bao bì" and nothing.field("enterprise").source == "folder"


def test_dossiers_sharing_a_tax_code_or_a_name_are_flagged():
    one = choose_identity("A", registration=read_registration(form_text(), "a", "docx"), registration_method="docx")
    two = choose_identity("B", registration=read_registration(form_text(tax="0100109106"), "b", "docx"),
                          registration_method="docx")
    three = choose_identity("C", registration=read_registration(
        form_text(name="Công ty CP Khác", email="info@khac.vn", tax="2400123465"), "c", "docx"),
        registration_method="docx")
    flagged = flag_duplicates([("R1", "A", one), ("R2", "B", two), ("R3", "C", three)])
    assert flagged[0].duplicates == ("cùng tên doanh nghiệp với hồ sơ R2 (thư mục «B»)",)
    assert flagged[2].duplicates == ()
    same_tax = flag_duplicates([("R1", "A", one), ("R3", "C", choose_identity("C", registration=read_registration(
        form_text(name="Công ty CP Khác"), "c", "docx"), registration_method="docx"))])
    assert same_tax[1].duplicates == ("cùng mã số thuế với hồ sơ R1 (thư mục «A»)",)


# ---- measured on a generated corpus ---------------------------------------------------------------------

KINDS = {
    # kind: (source the form's values come from, how it is written)
    "pdf": "text_layer", "docx": "docx", "scan300": "ocr", "scan200": "ocr", "poor": "ocr", "worse": "ocr",
    "photo": "ocr",
}


def _write(kind: str, path, lines, rng: random.Random) -> None:
    if kind == "pdf":
        dossiers.write_digital_pdf(path, [lines])
    elif kind == "docx":
        dossiers.write_docx(path, [lines])
    elif kind == "scan300":
        dossiers.write_scanned_pdf(path, [lines], rng, dpi=300)
    elif kind == "scan200":
        dossiers.write_scanned_pdf(path, [lines], rng, dpi=200)
    elif kind == "poor":
        dossiers.write_scanned_pdf(path, [lines], rng, dpi=110, blur=1.3)
    elif kind == "worse":
        dossiers.write_scanned_pdf(path, [lines], rng, dpi=85, blur=1.7)
    else:
        dossiers.write_image(path, lines, rng, dpi=None)


def _same(name: str, got: str, truth: str) -> bool:
    if name == "phone":
        return phonenumbers.parse(got, "VN") == phonenumbers.parse(truth, "VN")
    return got == truth


CHECKED = ("phone", "email", "tax_code")


@pytest.mark.slow
def test_every_ok_or_corrected_contact_is_the_true_one(tmp_path, capsys):
    """Digital, Word, 300/200-dpi scans, poor and worse scans and phone photos of registration forms, half of them
    with contacts full of confusable characters ("hoso1@…", tax codes and phones of 0, 1, 5, 8): every field `ok`
    or `corrected` equals the printed value (precision 1.000); on clean 300-dpi scans of ordinary contacts, `ok`
    recall is measured (target 0.95; see the floor below). Printed per source with `pytest -s`."""
    rng = random.Random(18)
    plan = [(k, c) for k in KINDS for c in (False, True) for _ in range(2)] + [("scan300", False)] * 14 \
        + [(k, True) for k in KINDS if KINDS[k] == "ocr"]
    tally: dict[str, dict[str, int]] = {}
    wrong: list[str] = []
    recall_300 = [0, 0]
    for number, (kind, confusable) in enumerate(plan):
        ent = dossiers.make_enterprise(rng)
        if confusable:
            ent = dossiers.confusable_contacts(ent, rng)
        lines = dossiers.component_pages("registration_form", ent, rng)[0]
        path = tmp_path / f"form{number}.{ {'docx': 'docx', 'photo': 'jpg'}.get(kind, 'pdf') }"
        _write(kind, path, lines, rng)
        text, method, confidence, doubtful, photo = pages_reading(extract_text(path, ocr=TESSERACT).pages)
        form = read_registration(text, path.name, method, confidence, doubtful, photo)
        truth = {"phone": ent.phone, "email": ent.email, "tax_code": ent.tax_code}
        row = tally.setdefault(f"{kind}{' (confusable)' if confusable else ''}", {})
        for name in CHECKED:
            field = form.field(name)
            row[field.status] = row.get(field.status, 0) + 1
            if field.status in ("ok", "corrected"):
                good = _same(name, field.value, truth[name])
                row["right"] = row.get("right", 0) + good
                if not good:
                    wrong.append(f"{kind} {name}: {field.value!r} ({field.status}) for {truth[name]!r}")
            if kind == "scan300" and not confusable:
                recall_300[0] += field.status == "ok" and _same(name, field.value, truth[name])
                recall_300[1] += 1
    with capsys.disabled():
        print("\ncontact fields (phone, e-mail, tax code) per source: statuses; precision of ok+corrected")
        print(f"  {'source':<24} {'fields':>6} {'ok':>4} {'corr':>4} {'uncert':>6} {'invalid':>7} {'missing':>7}"
              f"  precision")
        for kind, row in tally.items():
            trusted = row.get("ok", 0) + row.get("corrected", 0)
            total = sum(v for k, v in row.items() if k != "right")
            precision = row.get("right", 0) / trusted if trusted else 1.0
            print(f"  {kind:<24} {total:>6} {row.get('ok', 0):>4} {row.get('corrected', 0):>4} "
                  f"{row.get('uncertain', 0):>6} {row.get('invalid', 0):>7} {row.get('missing', 0):>7}  {precision:.3f}")
        print(f"  ok recall on clean 300-dpi scans (ordinary contacts): {recall_300[0] / recall_300[1]:.3f} "
              f"({recall_300[0]}/{recall_300[1]})")
    assert wrong == []
    assert tally["photo"].get("ok", 0) == tally["photo (confusable)"].get("ok", 0) == 0  # never trusted alone
    # Measured 0.958 (46/48); on seeds 18-20 together 0.951 (137/144), precision 1.000 on every source of each.
    # A doubtful contact line is read again alone (a word both readings agree on is no longer doubtful), and only
    # the words a value was read from carry their doubt (dust read ":" after a tax code does not). Left here: an
    # e-mail line a speck turned to garbage (invalid), and "…phat50@" (a digit beside a letter: uncertain by
    # design, the rule that catches "hosol@" for "hoso1@"). Photos: every contact uncertain (see PHOTO_REASON).
    assert recall_300[0] / recall_300[1] >= 0.95
    for kind in ("pdf", "docx", "pdf (confusable)", "docx (confusable)"):
        assert set(tally[kind]) == {"ok", "right"}, kind  # typed values: all ok, confusable or not


def test_the_generator_prints_valid_contacts():
    rng = random.Random(3)
    for _ in range(200):
        ent = dossiers.make_enterprise(rng)
        for e in (ent, dossiers.confusable_contacts(ent, rng)):
            assert valid_tax_code(e.tax_code) and valid_email(e.email), e
            assert phonenumbers.is_valid_number(phonenumbers.parse(e.phone, "VN")), e.phone
            assert re.fullmatch(r"[\w.]+@[\w.]+", e.email)


# ---- never e-mail a guess: end to end, a real SMTP server records every recipient ---------------------------


class Recorder:
    """An aiosmtpd handler that records every recipient of every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), str(message["Subject"])))
        return "250 2.0.0 Ok: queued"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, recorder
    controller.stop()


def _sent_to(recorder: Recorder) -> dict[str, set[str]]:
    """Receipt number (from the subject) → every address a message about it went to."""
    found: dict[str, set[str]] = {}
    for recipients, subject in recorder.messages:
        receipt = re.search(r"\[(GTCLQG-[\d-]+)\]", subject)
        found.setdefault(receipt.group(1) if receipt else subject, set()).update(recipients)
    return found


@pytest.mark.slow
def test_no_dossier_is_emailed_at_an_address_other_than_its_own(service, smtp, rules, tmp_path):
    """Five dossiers: a digital form; a scanned form whose address "hoso1@…" OCR cannot be sure of (held, listed
    for the officer, sent once `intake contact` confirms it); a scanned form with a plain address (sent); a
    scanned confusable address the invitation list confirms (sent); a whole dossier in one PDF whose cover
    letter comes before the form (its identity is the form's, never the folder's). Every message the server
    receives goes to its dossier's true address."""
    port, recorder = smtp
    service.settings = dataclasses.replace(service.settings, mail=MailSettings(
        host="127.0.0.1", port=port, sender="Chi cục TĐC Bắc Giang <tdc@example.gov.vn>", timeout=5,
        retry_base_seconds=60, retry_max_seconds=3600, max_attempts=6, pass_seconds=30))
    service.ctx.settings = service.settings
    rng = random.Random(1818)
    truth: dict[str, dossiers.Enterprise] = {}

    def enterprise(confusable: bool) -> dossiers.Enterprise:
        ent = dossiers.make_enterprise(rng)
        if confusable:
            return dossiers.confusable_contacts(ent, rng)
        return dossiers.Enterprise(**{**ent.__dict__, "email": "lienhe@" + ent.email.rpartition("@")[2]})

    for folder, confusable, form in (("Công ty Số", False, "pdf"), ("Công ty Quét nhầm", True, "scan"),
                                     ("Công ty Quét", False, "scan"), ("Công ty Được mời", True, "scan")):
        truth[folder] = enterprise(confusable)
        dossiers.write_dossier(service.inbox / folder, truth[folder], rng,
                               formats={"*": "pdf", "registration_form": form}, omit=("tax_insurance",))
    truth["05 Công ty Một tệp"] = enterprise(False)
    dossiers.write_merged_dossier(service.inbox / "05 Công ty Một tệp", truth["05 Công ty Một tệp"], rng, fmt="pdf")
    invited = truth["Công ty Được mời"]
    invitations = tmp_path / "moi.csv"
    invitations.write_text(f"Tên doanh nghiệp,Mã số thuế,Email,Thư mục\n{invited.name},{invited.tax_code},"
                           f"{invited.email},Công ty Được mời\n", encoding="utf-8")
    runner = CliRunner()
    data = str(service.settings.data)
    assert runner.invoke(main, ["invite", str(invitations), "--data", data]).exit_code == 0
    service.scan()

    desk = collect(service.store, rules, service.now)
    identity = {d.folder: d.contact for d in desk.dossiers}
    receipt = {d.folder: d.receipt_no for d in desk.dossiers}
    sent = _sent_to(recorder)
    for folder, ent in truth.items():
        assert sent.get(receipt[folder], set()) <= {ent.email}, folder  # never another address
    assert receipt["Công ty Quét nhầm"] not in sent
    held = identity["Công ty Quét nhầm"]
    assert held.email == truth["Công ty Quét nhầm"].email and held.email_hold == UNCERTAIN_EMAIL
    assert identity["Công ty Được mời"].field("email").source == "invitation"
    assert sent[receipt["Công ty Được mời"]] == {invited.email}
    assert sent[receipt["Công ty Quét"]] == {truth["Công ty Quét"].email}
    one_file = identity["05 Công ty Một tệp"]
    assert one_file.enterprise == truth["05 Công ty Một tệp"].name and one_file.email
    # The same identity in the JSON, the CLI table, the register and the HTML page.
    report = json.loads(runner.invoke(main, ["report", "--data", data, "--format", "json"]).output)
    by_folder = {d["folder"]: d for d in report["dossiers"]}
    for folder, who in identity.items():
        assert {k: by_folder[folder]["identity"][k] for k in ("enterprise", "email", "tax_code", "phone")} == \
               {"enterprise": who.enterprise, "email": who.email, "tax_code": who.tax_code, "phone": who.phone}
    assert by_folder["Công ty Quét nhầm"]["identity"]["email_hold"] == UNCERTAIN_EMAIL
    table = runner.invoke(main, ["report", "--data", data]).output
    assert truth["05 Công ty Một tệp"].name in table and "(uncertain: held)" in table
    page = render_html(desk)
    held_page = next(text for name, text in page.items() if receipt["Công ty Quét nhầm"] in name)
    assert 'data-flag="email-hold"' in held_page and UNCERTAIN_EMAIL in held_page
    # Held notices are pending with the officer-visible reason, listed by `intake notices`.
    listing = runner.invoke(main, ["notices", "--data", data]).output
    assert f"held: {UNCERTAIN_EMAIL}" in listing
    rows = [n for n in service.store.outbox.notice_listing() if n["receipt_no"] == receipt["Công ty Quét nhầm"]]
    assert rows and {(r["state"], r["recipient"]) for r in rows} == {("pending", None)}

    def receipt_text(folder: str) -> str:  # receipts say where notices will be e-mailed
        row = next(n for n in service.store.outbox.notice_listing()
                   if n["receipt_no"] == receipt[folder] and n["kind"] in ("receipt", "acknowledgement"))
        return "\n".join(p.text for p in docx.Document(str(service.settings.outbox / row["path"])).paragraphs)

    assert "chưa chắc chắn" in receipt_text("Công ty Quét nhầm")
    assert f"được gửi tới địa chỉ thư điện tử: {truth['Công ty Quét'].email}" in receipt_text("Công ty Quét")

    # An officer confirms the address: the held notices go to it, and only to it.
    confirmed = runner.invoke(main, ["contact", receipt["Công ty Quét nhầm"], "--email",
                                     truth["Công ty Quét nhầm"].email, "--officer", "Nguyễn Thị Lan", "--data", data])
    assert confirmed.exit_code == 0, confirmed.output
    assert "released" in confirmed.output
    service.now += timedelta(minutes=5)
    service.scan()
    sent = _sent_to(recorder)
    assert sent[receipt["Công ty Quét nhầm"]] == {truth["Công ty Quét nhầm"].email}
    for folder, ent in truth.items():
        assert sent.get(receipt[folder], set()) <= {ent.email}, folder
    after = collect(service.store, rules, service.now)
    who = next(d.contact for d in after.dossiers if d.folder == "Công ty Quét nhầm")
    assert who.field("email").source == "officer" and "Nguyễn Thị Lan" in who.field("email").note
    assert runner.invoke(main, ["contact", "GTCLQG-2020-9999", "--email", "a@b.vn", "--officer", "X",
                                "--data", data]).exit_code == ExitCode.not_found
    assert runner.invoke(main, ["contact", receipt["Công ty Số"], "--email", "not-an-address", "--officer", "X",
                                "--data", data]).exit_code == ExitCode.usage


def test_a_name_ocr_doubted_is_still_the_name_not_the_folders():
    """Audit 40: a clean scan's name beside a table's ruling ("… Việt Yên |") had a word OCR doubted; the notices
    named the dossier by its folder ("Co khi Viet Yen - ho so GTCLQG 2020"). The form's name is used, the bar left
    out, shown as uncertain to the officer."""
    text = form_text(name="Công ty Cổ phần Cơ khí Việt Yên |")
    scanned = read_registration(text, "scan0001.pdf", "ocr", 93.0, frozenset({"Yên"}))
    assert scanned.field("enterprise").value == "Công ty Cổ phần Cơ khí Việt Yên"
    assert scanned.field("enterprise").status == "uncertain"
    identity = choose_identity("Co khi Viet Yen - ho so GTCLQG 2020", registration=scanned, registration_method="ocr")
    assert identity.enterprise == "Công ty Cổ phần Cơ khí Việt Yên"
    assert identity.field("enterprise").status == "uncertain" and identity.field("enterprise").source == "ocr"
