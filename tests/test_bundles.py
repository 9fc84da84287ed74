"""Dossiers as enterprises package them (audit 51): scans pasted into Word under a caption the enterprise typed.
What the caption says the scan is does not stand for what the scan shows."""

from __future__ import annotations

import io
import random

import dossiers
from conftest import Service

from intake.models import Page
from intake.reading.extract import _captions

CAPTION = "Văn bản xác nhận của Cục Thuế và Bảo hiểm xã hội tỉnh Bắc Giang (các năm 2017, 2018, 2019)"


def _captioned_scans(path, pages: list[list[str]], caption: str, rng) -> None:
    """A Word file with, on each page, the typed caption and under it the pasted scan of one page."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    document = Document()
    for index, lines in enumerate(pages):
        document.add_paragraph(caption)
        buffer = io.BytesIO()
        dossiers.render_page_image(lines, rng).save(buffer, "JPEG", quality=85, dpi=(200, 200))
        buffer.seek(0)
        document.add_picture(buffer, width=Cm(16))
        if index < len(pages) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.save(path)


def test_a_caption_over_a_pasted_letter_covers_no_year_the_letter_does_not(tmp_path, rules):
    """Audit 51: a caption "(các năm 2017, 2018, 2019)" typed above the scan of a social-insurance letter that
    confirms 2018 and 2019 made the dossier complete, and Mẫu 01 was issued."""
    service = Service(tmp_path, rules)
    try:
        folder, rng = "Công ty Dán ảnh", random.Random(63)
        ent = dossiers.make_enterprise(rng)
        dossiers.write_dossier(service.inbox / folder, ent, rng, formats={"*": "pdf"}, omit=("tax_insurance",),
                               cover_letter=False)
        letters = dossiers.component_pages("tax_insurance", ent, rng, insurance_years=(2018, 2019))
        _captioned_scans(service.inbox / folder / "07. Xac nhan thue va BHXH.docx", letters, CAPTION, rng)
        service.scan()
        report = service.report()[folder]
        assert "tax_insurance" in report["documents"] and report["status"] == "incomplete"
        years = [d["message"] for d in report["deficiencies"] if d["code"] == "missing_years"]
        assert len(years) == 1 and "2017" in years[0] and "bảo hiểm xã hội" in years[0], years
        page = service.store.pages.extraction(service.store.db.execute(
            "SELECT sha256 FROM files WHERE path LIKE '07.%'").fetchone()[0]).pages[0]
        assert page.method == "ocr" and page.captions == (CAPTION,) and CAPTION in page.text
    finally:
        service.close()


def test_a_report_typed_around_its_pictures_is_no_caption():
    """A monitoring report the enterprise typed, with photographs or a pasted lab sheet: its text is what it
    reports, years included."""
    scan = Page(1, "PHIẾU KẾT QUẢ PHÂN TÍCH\nMẫu khí thải lò hơi ngày 12/5/2019\nBụi tổng 45 mg/Nm3", "ocr", 88.0)
    typed = "\n".join(["BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG NĂM 2019",
                       "Công ty đã thực hiện quan trắc định kỳ 02 lần trong năm 2019 tại 04 vị trí.",
                       "Kết quả quan trắc được tổng hợp tại bảng dưới đây và phiếu kết quả kèm theo.",
                       "Các thông số đều nằm trong giới hạn cho phép của QCVN 19:2009/BTNMT."])
    assert _captions(f"{typed}\n\ue0000\ue001", [scan]) == ()
    assert _captions("Phiếu kết quả phân tích\n\ue0000\ue001", [scan]) == ("Phiếu kết quả phân tích",)
