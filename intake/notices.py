"""Render completeness notices as DOCX in the administrative format of Nghị định 30/2020/NĐ-CP; pure (bytes out)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .models import Deficiency, RuleSet, Verdict

FONT = "Times New Roman"


@dataclass(frozen=True)
class NoticeRequest:
    """What a deficiency notice says, independent of its layout."""

    receipt_no: str
    """Receipt number of the dossier."""
    enterprise: str
    """Who submitted (the dossier folder name until the registration form is read)."""
    received_at: datetime
    """When the dossier was received."""
    deficiencies: tuple[Deficiency, ...]
    """What to supplement, in order."""
    issued_at: datetime
    """Date printed on the notice."""


def deficiency_hash(deficiencies: tuple[Deficiency, ...]) -> str:
    """Identity of a set of deficiencies: a new notice is due only when it changes."""
    return hashlib.sha256("\n".join(sorted(d.key for d in deficiencies)).encode()).hexdigest()


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 13):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", *, align=WD_ALIGN_PARAGRAPH.LEFT, bold: bool = False,  # type: ignore[no-untyped-def]
          italic: bool = False, size: float = 13, space_after: float = 3):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _header(document, rules: RuleSet, number: str, issued_at: datetime) -> None:  # type: ignore[no-untyped-def]
    """Agency top left, quốc hiệu and tiêu ngữ top right, then number and place/date."""
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(55), Mm(75)
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, rules.agency.parent, size=11)
    _para(left, rules.agency.name, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=11)
    _para(left, "_______", align=WD_ALIGN_PARAGRAPH.CENTER, size=9)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=11)
    _para(right, "Độc lập - Tự do - Hạnh phúc", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=12)
    _para(right, "_______________", align=WD_ALIGN_PARAGRAPH.CENTER, size=9)
    num_cell, date_cell = table.rows[1].cells
    num = num_cell.paragraphs[0]
    num.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(num, f"Số: {number}", size=12)
    date = date_cell.paragraphs[0]
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(date, f"{rules.agency.place}, ngày {issued_at.day:02d} tháng {issued_at.month:02d} năm {issued_at.year}",
         italic=True, size=12)


def _signer(document, rules: RuleSet) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=2)
    _, right = table.rows[0].cells
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "NGƯỜI TIẾP NHẬN HỒ SƠ", bold=True, size=12)
    _para(right, "(Ký và ghi rõ họ tên)", align=WD_ALIGN_PARAGRAPH.CENTER, italic=True, size=11)


def _new_document():  # type: ignore[no-untyped-def]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(148), Mm(210)  # A5, as the one-stop-shop forms are
    section.left_margin, section.right_margin = Mm(20), Mm(12)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return document


def render_deficiency_notice(request: NoticeRequest, rules: RuleSet) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02, Thông tư 01/2018/TT-VPCP) as DOCX bytes."""
    document = _new_document()
    _header(document, rules, f"{request.receipt_no}/PYCBS", request.issued_at)
    _para(document, "", space_after=6)
    _para(document, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14)
    _para(document, f"Hồ sơ của: {request.enterprise}", space_after=2)
    _para(document, f"Mã hồ sơ: {request.receipt_no}", space_after=2)
    _para(document, f"Nội dung yêu cầu giải quyết: {rules.campaign.procedure} ({rules.campaign.title})", space_after=2)
    _para(document, f"Ngày tiếp nhận: {request.received_at:%H:%M} ngày {request.received_at:%d/%m/%Y}", space_after=6)
    _para(document, "Yêu cầu tổ chức, doanh nghiệp bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", space_after=4)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, ("STT", "Nội dung cần bổ sung, hoàn thiện", "Lý do")):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, heading, bold=True, size=12)
    for index, deficiency in enumerate(request.deficiencies, start=1):
        what = rules.component(deficiency.document).title if deficiency.document else (deficiency.file or "Hồ sơ")
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(index), what, deficiency.message)):
            _run(cell.paragraphs[0], text, size=12)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width, row.cells[2].width = Mm(12), Mm(48), Mm(56)
    _para(document, "", space_after=4)
    _para(document, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", italic=True, size=12, space_after=10)
    _signer(document, rules)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def notice_request(receipt_no: str, enterprise: str, received_at: datetime, verdict: Verdict,
                   issued_at: datetime) -> NoticeRequest:
    """The request for a verdict: every deficiency that asks something of the enterprise."""
    return NoticeRequest(receipt_no, enterprise, received_at, verdict.deficiencies, issued_at)
