"""Certificates past their expiry: the date read after the rule's labels, and the officer's hint."""

from __future__ import annotations

import random
from datetime import date

import pytest

import dossiers
from conftest import text_file
from test_notices import document_text
from intake.folding import fold
from intake.judging.validity import expiry_dates, expiry_hints
from intake.models import Match

LABELS = tuple(fold(x) for x in ("expiry date", "expiry", "valid until", "validity", "ngày hết hạn", "hiệu lực đến",
                                 "hiệu lực từ", "thời hạn hiệu lực"))


@pytest.mark.parametrize("text, expected", [
    ("Expiry date: 14 March 2021", date(2021, 3, 14)),
    ("Certificate expiry: March 14th, 2021", date(2021, 3, 14)),
    ("Ngày cấp: 15/03/2018   Ngày hết hạn: 14/03/2021", date(2021, 3, 14)),  # not the issue date before it
    ("Có hiệu lực từ ngày 15 tháng 3 năm 2018 đến ngày 14 tháng 3 năm 2021", date(2021, 3, 14)),  # a span's end
    ("Validity: 15.03.2018 - 14.03.2021", date(2021, 3, 14)),
    ("Valid until: 2021-03-14", date(2021, 3, 14)),
    ("Expiry date: 03/31/2021", date(2021, 3, 31)),  # month first, as an American body writes it
    ("Ngày hết hạn / Expiry date:\n14/03/2021", date(2021, 3, 14)),  # a table: the label's cell, then the date's
    ("Thời hạn hiệu lực: đến ngày 14/03/2021", date(2021, 3, 14)),
    ("Giấy chứng nhận có hiệu lực 03 năm kể từ ngày 15/03/2018", None),  # a start, not an end
    ("Ngày hiệu lực: 15/03/2018", None),  # the day it took effect
    ("Hiệu lực đến 31/02/2021", None),  # no such day
    ("Expiry date:\nBắc Giang, ngày 12 tháng 3 năm 2018", None),  # a blank cell: the next line is not its date
])
def test_the_expiry_date_is_read_after_its_label(text, expected):
    assert list(expiry_dates(text.splitlines(), LABELS)) == ([expected] if expected else [])


def _certificate(expires: str) -> str:
    return "\n".join(["CERTIFICATE OF REGISTRATION", "This is to certify that the Quality Management System of",
                      "Công ty Cổ phần Bệnh viện Đa khoa Hùng Vương", "has been assessed and found to conform to the "
                      "requirements of ISO 9001:2015", "Original registration date: 15/08/2012",
                      f"Expiry date: {expires}"])


def _matched(*files) -> list[Match]:
    return [Match(f.path, 1, len(f.extraction.pages), len(f.extraction.pages), "quality_system", 90.0)
            for f in files]


def test_an_expired_certificate_is_hinted_unless_a_valid_one_is_there(rules):
    expired = text_file("ISO 9001.pdf", _certificate("30/11/2019"))
    hints = expiry_hints([expired], _matched(expired), rules)
    assert [(h.code, h.document, h.file) for h in hints] == [("expired_certificate", "quality_system", "ISO 9001.pdf")]
    assert "30/11/2019" in hints[0].message and "30/06/2020" in hints[0].message
    renewed = text_file("ISO 9001 cap lai.pdf", _certificate("29/11/2022"))
    assert expiry_hints([expired, renewed], _matched(expired, renewed), rules) == ()
    # Valid on the deadline itself: no hint; nothing read: no hint.
    assert expiry_hints([text_file("a.pdf", _certificate("30/06/2020"))],
                        _matched(text_file("a.pdf", "")), rules) == ()
    unread = text_file("b.pdf", _certificate("(không đọc được)"))
    assert expiry_hints([unread], _matched(unread), rules) == ()


def test_the_hint_reaches_the_officer_and_not_the_verdict(service):
    rng = random.Random(41)
    ent = dossiers.make_enterprise(rng)
    folder = service.inbox / "Công ty Chứng chỉ cũ"
    dossiers.write_dossier(folder, ent, rng, formats={"*": "pdf"}, omit=("quality_system",))
    dossiers.write_digital_pdf(folder / "ISO 9001 BV.pdf", [[
        "Bureau Veritas Certification Vietnam", "CERTIFICATE OF REGISTRATION",
        "This is to certify that the Quality Management System of", ent.name,
        "has been assessed and found to conform to the requirements of ISO 9001:2015",
        "Certificate No.: VN012345", "Original registration date: 15/08/2012", "Expiry date: 30/11/2019",
        "SAO Y BẢN CHÍNH"]])
    service.scan()
    dossier = service.report()["Công ty Chứng chỉ cũ"]
    assert dossier["status"] == "complete"  # a hint is never a deficiency
    expired = [h for h in dossier["hints"] if h["code"] == "expired_certificate"]
    assert [(h["document"], h["file"]) for h in expired] == [("quality_system", "ISO 9001 BV.pdf")]
    assert "hiệu lực đến ngày 30/11/2019" in expired[0]["message"]
    notices = [document_text(service.settings.outbox / n["path"]) for n in service.store.outbox.all()]
    assert notices and all("hiệu lực" not in text for text in notices)  # never said to the enterprise
