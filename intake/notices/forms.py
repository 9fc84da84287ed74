"""Notices to enterprises: which are due, what they say, and how they look (DOCX in the administrative format of
Nghị định 30/2020/NĐ-CP, forms of Thông tư 01/2018/TT-VPCP). Pure: data in, bytes and text out; never writes
files, reads the clock or sends anything.

Over 500 lines because the forms share one DOCX vocabulary (header, quốc hiệu, tables, signature blocks): split,
each form would repeat it."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..campaign import add_working_days as calendar_add_working_days
from ..campaign import campaign_days_off, result_due, supplement_by
from ..judging import BLOCKING_CODES, Contact, Identity, RuleSet, delivery_line
from ..models import Deficiency, Verdict
from .models import Notice
from ..campaign import Reminder
from .rows import ActionRow, action_rows, readable_label, short_name

FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
NOT_ASKED = frozenset({"late_submission"})
"""Deficiency codes an enterprise cannot remedy by supplementing: never listed as something to supplement."""


@dataclass(frozen=True)
class Paper:
    """A page size with the margins and type sizes that fit it."""

    width: float
    """Page width (mm)."""
    height: float
    """Page height (mm)."""
    margins: tuple[float, float, float, float]
    """Top, bottom, left, right (mm)."""
    header: tuple[float, float]
    """Widths of the agency and national-header columns (mm)."""
    body: float
    """Body type size (pt)."""
    small: float
    """Header and table type size (pt)."""

    @property
    def text_width(self) -> float:
        """Width between the margins (mm)."""
        return self.width - self.margins[2] - self.margins[3]


# Nghị định 30/2020, Phụ lục I: A4, top/bottom 20-25 mm, left 30-35, right 15-20, body 13-14 pt. The one-stop-shop
# forms of Thông tư 01/2018 are A5: the same layout, tighter margins and a smaller type.
A5 = Paper(148, 210, (10, 10, 15, 10), (48, 75), 10.5, 10)
A4 = Paper(210, 297, (20, 20, 30, 15), (68, 97), 13.5, 12.5)


@dataclass(frozen=True)
class Form:
    """One kind of notice: its form, title, number symbol, paper and names."""

    form: str
    """The form it follows ("Mẫu số 01" ...), for the officer."""
    title: str
    """Title printed on it."""
    symbol: str
    """Symbol of its number ("PYCBS" in "03/PYCBS-TĐC")."""
    paper: Paper
    """Page size."""
    stem: str
    """File name stem in the outbox."""
    name: str
    """Its name in a sentence (e-mail subject, listings)."""


FORMS: dict[str, Form] = {
    "acknowledgement": Form("Giấy biên nhận", "GIẤY BIÊN NHẬN HỒ SƠ", "BNHS", A5, "bien-nhan",
                            "Giấy biên nhận hồ sơ"),
    "receipt": Form("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "TNHS", A5, "giay-tiep-nhan",
                    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "deficiency": Form("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "PYCBS", A5, "yeu-cau-bo-sung",
                       "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "complete": Form("Thông báo", "THÔNG BÁO", "TB", A4, "ho-so-day-du", "Thông báo hồ sơ đã đầy đủ"),
    "refusal": Form("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "PTC", A5, "tu-choi-tiep-nhan",
                    "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    # A letter like the notice that a dossier is complete, numbered apart from it ("TBNH": thông báo nhắc hạn).
    "reminder": Form("Thông báo", "THÔNG BÁO", "TBNH", A4, "nhac-han", "Thông báo nhắc hạn nộp hồ sơ"),
}
STATUS_KINDS = ("deficiency", "complete")
"""Kinds that say where a dossier stands: only the newest of them is still worth sending."""


def status_kinds(rules: RuleSet) -> tuple[str, ...]:
    """The kinds that say where a dossier stands under these rules: with `notices.receipt = "complete"` Mẫu 01 is
    the notice that it became complete (a request to supplement it replaces is not worth sending); with
    `"first"` it is the acknowledgement that comes before everything, and replaces nothing."""
    return STATUS_KINDS if rules.notices.receipt == "first" else STATUS_KINDS + ("receipt",)


# ---- which notices are due -------------------------------------------------------------------------


def deficiency_hash(deficiencies: tuple[Deficiency, ...]) -> str:
    """Identity of a set of deficiencies: a new notice is due only when it changes."""
    return hashlib.sha256("\n".join(sorted(d.key for d in deficiencies)).encode()).hexdigest()


def plan_notices(verdict: Verdict, previous: Sequence[tuple[str, str]], rules: RuleSet) -> list[tuple[str, str]]:
    """The notices due for a settled dossier, as (kind, content hash), given those already made (oldest first).

    A late dossier is refused once when the rules say so (Mẫu 03), and gets nothing else. Otherwise, with the
    decree's defaults (`notices.receipt = "complete"`, `notices.acknowledgement = true`): an acknowledgement of
    receipt at once; a request to supplement (Mẫu 02) whenever the deficiencies differ from the last status
    notice's; the receipt with an appointment (Mẫu 01) when the dossier becomes complete, and the letter that it
    is complete again should it become complete once more. With `receipt = "first"`: Mẫu 01 first, whatever the
    dossier's standing, then Mẫu 02 or the letter that it is complete.
    """
    settings = rules.notices
    made = {kind for kind, _ in previous}
    content = deficiency_hash(verdict.deficiencies)
    if verdict.late and settings.refuse_late:
        return [] if "refusal" in made else [("refusal", content)]
    due: list[tuple[str, str]] = []
    first = settings.receipt == "first"
    if first and not made & {"receipt", "refusal"}:
        due.append(("receipt", content))
    elif not first and settings.acknowledgement and not made & {"acknowledgement", "receipt", "refusal"}:
        due.append(("acknowledgement", content))
    last = next(((k, h) for k, h in reversed(previous) if k in status_kinds(rules)), None)
    if verdict.status == "complete":
        if not first and "receipt" not in made:
            due.append(("receipt", content))
        elif last is None or last[0] == "deficiency":
            due.append(("complete", content))
    elif last != ("deficiency", content):
        due.append(("deficiency", content))
    return due


def _asked(deficiencies: tuple[Deficiency, ...]) -> tuple[Deficiency, ...]:
    return tuple(d for d in deficiencies if d.code not in NOT_ASKED)


def _remarks(deficiencies: tuple[Deficiency, ...]) -> tuple[Deficiency, ...]:
    return tuple(d for d in _asked(deficiencies) if d.code not in BLOCKING_CODES)


# ---- dates --------------------------------------------------------------------------------------------


def add_working_days(start: date, days: int, holidays: Sequence[date] = ()) -> date:
    """The date `days` working days after `start` (Monday to Friday, holidays excluded; `start` not counted)."""
    off = set(holidays)
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


def vn_date(day: date) -> str:
    """"ngày 05 tháng 6 năm 2020" (Nghị định 30/2020: days below 10 and months 1-2 take a leading zero)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_moment(moment: datetime) -> str:
    """"09 giờ 30 phút, ngày 15/6/2020"."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {short_date(moment.date())}"


def short_date(day: date) -> str:
    """"15/6/2020"."""
    return f"{day.day:02d}/{day.month}/{day.year}"


# ---- what a notice says -------------------------------------------------------------------------------


def notice_number(kind: str, sequence: int, rules: RuleSet) -> str:
    """Number and symbol of the `sequence`-th notice of a kind ("03/PYCBS-TĐC")."""
    symbol = FORMS[kind].symbol
    abbreviation = rules.agency.abbreviation
    return f"{sequence:02d}/{symbol}-{abbreviation}" if abbreviation else f"{sequence:02d}/{symbol}"


def build_notice(kind: str, *, number: str, receipt_no: str, register_no: int, contact: Contact,
                 received_at: datetime, verdict: Verdict, issued_at: datetime, rules: RuleSet,
                 folder: str = "") -> Notice:
    """What a notice of this kind says about a dossier with this verdict (`folder`: the dossier's folder in the
    share, named where the notice tells the enterprise to put what it sends)."""
    tz = rules.campaign.deadline.tzinfo
    issued_at, received_at = issued_at.astimezone(tz), received_at.astimezone(tz)
    documents = tuple((c.id, verdict.documents[c.id]) for c in rules.components if c.id in verdict.documents)
    others = tuple(sorted({m.label for m in verdict.matches if m.component is None}))
    files = tuple(sorted({m.file for m in verdict.matches} | {d.file for d in verdict.deficiencies if d.file}))
    deficiencies: tuple[Deficiency, ...] = ()
    if kind == "deficiency":
        deficiencies = _asked(verdict.deficiencies)
    elif kind == "complete" or (kind == "receipt" and verdict.status == "complete"):
        deficiencies = _remarks(verdict.deficiencies)
    elif kind == "receipt":
        deficiencies = tuple(d for d in verdict.deficiencies if d.code in BLOCKING_CODES)
    return Notice(
        kind=kind, number=number, receipt_no=receipt_no, register_no=register_no, contact=contact,
        received_at=received_at, issued_at=issued_at, late=verdict.late, documents=documents,
        other_files=others, deficiencies=deficiencies,
        supplement_by=supplement_by(issued_at, rules) if kind == "deficiency" else None,
        folder=folder, files=files, matches=verdict.matches,
    )


def notice_rows(notice: Notice, rules: RuleSet) -> list[ActionRow]:
    """Mẫu 02's numbered rows for a notice: one per component that needs action."""
    return action_rows(notice.deficiencies, notice.documents, notice.matches, rules)


def where_to_put(notice: Notice, rules: RuleSet) -> str:
    """Where the enterprise puts what it sends: its folder in the share, named as it sees it."""
    folder, share = notice.folder, rules.notices.share
    if not folder:
        return rules.notices.supplement_how
    place = f"{share.rstrip(chr(92) + '/')}{chr(92)}{folder}" if share else folder
    return (f"Tài liệu bổ sung đặt vào thư mục «{place}» của doanh nghiệp trên thư mục dùng chung (không cần nộp "
            "lại tài liệu đã đầy đủ).")


def late_sentences(notice: Notice, rules: RuleSet) -> str:
    """What a late dossier's notices say plainly: when it arrived, after which deadline, and how it is treated."""
    if not notice.late:
        return ""
    return (f"Hồ sơ được tiếp nhận lúc {vn_moment(notice.received_at)}, sau thời hạn tiếp nhận hồ sơ "
            f"({deadline_text(rules)}). "
            + rules.notices.late_treatment)


def deficiency_rows(deficiencies: Sequence[Deficiency], rules: RuleSet) -> list[tuple[str, str]]:
    """Each deficiency as (what: component title or file, reason), the way Mẫu 02 lists them."""
    rows = []
    for d in deficiencies:
        title = rules.component(d.document).title if d.document else ""
        if d.file:
            prefix = f"Tệp «{d.file}»: "
            reason = d.message.removeprefix(prefix)
            rows.append((f"Tệp «{readable_label(d.file)}»", reason[:1].upper() + reason[1:]))
        elif d.code == "missing_document" and d.message == f"Thiếu thành phần hồ sơ: {title}.":
            rows.append((title, "Chưa có trong hồ sơ đã nộp; đề nghị bổ sung."))
        elif title and d.message.startswith(title + " "):
            reason = d.message[len(title) + 1:]  # "<title> chưa đề cập tiêu chí 4: …": the title is in column 2
            rows.append((title, reason[:1].upper() + reason[1:]))
        else:
            rows.append((title or "Hồ sơ", d.message))
    return rows


def deadline_text(rules: RuleSet) -> str:
    """The campaign deadline as printed ("23 giờ 59 phút, ngày 30/6/2020")."""
    return vn_moment(rules.campaign.deadline)


def email_text(notice: Notice, rules: RuleSet) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail that carries a notice (the DOCX is attached)."""
    form = FORMS[notice.kind]
    agency = rules.agency
    subject = f"[{notice.receipt_no}] {form.name} - {rules.campaign.title}" if notice.receipt_no else \
        f"{form.name} - {rules.campaign.title}"
    about = f" (mã hồ sơ {notice.receipt_no})" if notice.receipt_no else ""
    lines = [
        f"Kính gửi: {notice.contact.enterprise}",
        "",
        f"{agency.name} - {agency.parent} gửi Quý doanh nghiệp {form.name[:1].lower()}{form.name[1:]} "
        f"số {notice.number} đối với hồ sơ tham dự {rules.campaign.title}{about}. "
        "Văn bản được đính kèm thư này (tệp Word).",
        "",
    ]
    lines += EMAIL_SUMMARY[notice.kind](notice, rules)
    lines += [
        "",
        f"Mọi thắc mắc xin liên hệ: {agency.contact}.",
        "",
        "Trân trọng.",
        agency.name,
        ", ".join(x for x in (agency.address, f"điện thoại {agency.phone}" if agency.phone else "") if x),
        "",
        "-- ",
        "Thư được gửi tự động từ hệ thống tiếp nhận hồ sơ; có thể trả lời thư này để trao đổi với cán bộ tiếp nhận.",
    ]
    return subject, "\n".join(line for line in lines if line is not None)


def _acknowledgement_summary(notice: Notice, rules: RuleSet) -> list[str]:
    files = notice.files
    lines = [f"Cơ quan tiếp nhận đã nhận hồ sơ của Quý doanh nghiệp lúc {vn_moment(notice.received_at)}, gồm "
             f"{len(files)} tệp:"]
    lines += [f"- {name}" for name in files]
    lines.append("Kết quả kiểm tra thành phần hồ sơ sẽ được thông báo: Giấy tiếp nhận hồ sơ và hẹn trả kết quả khi "
                 "hồ sơ đầy đủ, hoặc Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.")
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    return lines


def _receipt_summary(notice: Notice, rules: RuleSet) -> list[str]:
    lines = [f"Hồ sơ đã được tiếp nhận lúc {vn_moment(notice.received_at)}, gồm {len(notice.documents)} "
             "thành phần hồ sơ được liệt kê trong giấy tiếp nhận."]
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    if any(d.code in BLOCKING_CODES for d in notice.deficiencies):
        lines.append("Hồ sơ chưa đầy đủ: nội dung cần bổ sung, hoàn thiện được gửi trong Phiếu yêu cầu bổ sung, "
                     "hoàn thiện hồ sơ.")
    return lines


def _deficiency_summary(notice: Notice, rules: RuleSet) -> list[str]:
    assert notice.supplement_by is not None
    lines = [f"Đề nghị Quý doanh nghiệp bổ sung, hoàn thiện hồ sơ chậm nhất {vn_date(notice.supplement_by)} "
             "với những nội dung sau:"]
    for i, row in enumerate(notice_rows(notice, rules), start=1):
        lines.append(f"{i}. {row.component} - đã nhận: {row.received}")
        lines += [f"   {problem}" for problem in row.problems]
        lines.append(f"   Đề nghị: {row.send}")
    lines.append(where_to_put(notice, rules))
    if notice.late:
        lines.append("Lưu ý: " + late_sentences(notice, rules))
    return lines


def _complete_summary(notice: Notice, rules: RuleSet) -> list[str]:
    lines = [rules.notices.complete_text] + (["Lưu ý: " + late_sentences(notice, rules)] if notice.late else [])
    if notice.deficiencies:
        lines.append("Lưu ý:")
        lines += [f"- {what}: {reason}" for what, reason in deficiency_rows(notice.deficiencies, rules)]
    return lines


def _refusal_summary(notice: Notice, rules: RuleSet) -> list[str]:
    return ["Hồ sơ không được tiếp nhận, giải quyết với lý do: "
            + rules.notices.refusal_reason.format(deadline=deadline_text(rules))]


def _reminder_summary(notice: Notice, rules: RuleSet) -> list[str]:
    assert notice.reminder is not None
    lines = [_days_left_sentence(notice, rules)]
    if notice.reminder.submitted:
        lines.append("Hồ sơ của Quý doanh nghiệp còn thiếu hoặc chưa hoàn thiện những nội dung sau:")
        lines += [f"{i}. {what}: {reason}" for i, (what, reason) in
                  enumerate(deficiency_rows(notice.deficiencies, rules), start=1)]
        lines.append(rules.notices.supplement_how)
    else:
        lines.append("Đến nay cơ quan tiếp nhận chưa nhận được hồ sơ tham dự của Quý doanh nghiệp; thành phần hồ sơ "
                     "được nêu trong thông báo đính kèm.")
        if notice.reminder.folder:
            lines.append(f"Hồ sơ được nộp vào thư mục «{notice.reminder.folder}» trên thư mục dùng chung.")
    lines.append(_late_sentence(rules))
    return lines


EMAIL_SUMMARY: dict[str, Callable[[Notice, RuleSet], list[str]]] = {
    "acknowledgement": _acknowledgement_summary, "receipt": _receipt_summary, "deficiency": _deficiency_summary,
    "complete": _complete_summary, "refusal": _refusal_summary, "reminder": _reminder_summary,
}


# ---- how it looks: python-docx --------------------------------------------------------------------------

Doc = Any  # python-docx objects are untyped


def _run(paragraph: Doc, text: str, *, size: float, bold: bool = False, italic: bool = False) -> Doc:
    run = paragraph.add_run(text)
    if bold:  # (unset is regular type: no element written for it)
        run.bold = True
    if italic:
        run.italic = True
    run.font.size = Pt(size)
    run.font.name = FONT
    run.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    run.element.rPr.rFonts.set(qn("w:cs"), FONT)
    return run


def _para(container: Doc, text: str = "", *, size: float, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
          bold: bool = False, italic: bool = False, before: float = 0, after: float = 3,
          first_line: float = 0, keep: bool = False) -> Doc:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0 if size < 11.5 else 1.08  # A5 forms (10.5 pt) single-spaced, to fit one page
    if first_line:
        fmt.first_line_indent = Mm(first_line)
    if keep:
        fmt.keep_with_next = True
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _labelled(container: Doc, label: str, value: str, *, size: float, after: float = 2) -> Doc:
    """"Label: value" with the label in regular type, as the forms print them."""
    paragraph = _para(container, size=size, after=after)
    _run(paragraph, f"{label}: ", size=size)
    _run(paragraph, value or "……………………", size=size)
    return paragraph


def _rule(container: Doc, width: float, column: float, *, before: float = 0) -> None:
    """A short solid line centred in a column (under the agency name, the tiêu ngữ, a letter's title)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max(0.0, (column - width) / 2)
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(before), Pt(4)
    fmt.line_spacing = Pt(2)
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)
    _run(paragraph, "", size=2)


def _no_borders(table: Doc) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_margins(table: Doc, mm: float) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(mm * 56.7)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _widths(table: Doc, widths: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def _layout_table(document: Doc, rows: int, widths: Sequence[float]) -> Doc:
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _cell_margins(table, 0.5)
    _widths(table, widths)
    return table


def _cell_text(cell: Doc, text: str, *, size: float, bold: bool = False, italic: bool = False,
               align: Any = WD_ALIGN_PARAGRAPH.CENTER, after: float = 0) -> Doc:
    """Write into a cell: its first paragraph if still empty, else a new one."""
    paragraph = cell.paragraphs[-1]
    if paragraph.text or paragraph.runs:
        paragraph = cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = 1.0
    _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _header(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """Agency top left, quốc hiệu and tiêu ngữ top right; the number under the agency, place and date under
    the tiêu ngữ (Nghị định 30/2020, Phụ lục I)."""
    left_w, right_w = paper.header
    table = _layout_table(document, 2, paper.header)
    left, right = table.rows[0].cells
    if rules.agency.parent:
        _cell_text(left, rules.agency.parent, size=paper.small)
    _cell_text(left, rules.agency.name, size=paper.small, bold=True)
    _rule(left, left_w / 3, left_w)
    _cell_text(right, QUOC_HIEU, size=paper.small, bold=True)
    _cell_text(right, TIEU_NGU, size=paper.small + 1, bold=True)
    tieu_ngu_mm = len(TIEU_NGU) * (paper.small + 1) * 0.165  # about the printed width of the line
    _rule(right, tieu_ngu_mm, right_w)
    number_cell, date_cell = table.rows[1].cells
    _cell_text(number_cell, f"Số: {notice.number}", size=paper.small + 0.5)
    _cell_text(date_cell, f"{rules.agency.place}, {vn_date(notice.issued_at.date())}", size=paper.small + 0.5,
               italic=True)


def _title(document: Doc, title: str, paper: Paper, *, subtitle: str = "") -> None:
    _para(document, title, size=paper.body + 1, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
          before=5 if paper is A5 else 12,
          after=0 if subtitle else 6, keep=True)
    if subtitle:
        _para(document, subtitle, size=paper.body, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0, keep=True)
        _rule(document, 30, paper.text_width, before=3)


def _grid(document: Doc, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
          paper: Paper) -> Doc:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, 1.2)
    for cell, heading in zip(table.rows[0].cells, headings):
        _cell_text(cell, heading, size=paper.small, bold=True, after=1)
    _row_properties(table.rows[0], "w:tblHeader")  # repeated on each page the table spans
    for values in rows:
        row = table.add_row()
        _row_properties(row, "w:cantSplit")  # a row is never cut across two pages
        cells = row.cells
        for i, (cell, value) in enumerate(zip(cells, values)):
            _cell_text(cell, value, size=paper.small, after=1,
                       align=WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.LEFT)
    _widths(table, widths)
    return table


def _row_properties(row: Doc, *flags: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    for flag in flags:
        tr_pr.append(OxmlElement(flag))


def _signature(document: Doc, paper: Paper, lines: Sequence[str], note: str, name: str,
               copies_to: Sequence[str] = ()) -> None:
    """Signer block on the right; "Nơi nhận" on the left when the document is a letter. Printed whole and on the
    same page as the paragraph before it: that paragraph and the spacer keep with next, the block is one table
    row that cannot break, and its lines keep with each other ("KT. CHI CỤC TRƯỞNG" never leaves "PHÓ CHI CỤC
    TRƯỞNG")."""
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    _para(document, size=paper.small, after=2, keep=True)
    table = _layout_table(document, 1, (paper.text_width * 0.45, paper.text_width * 0.55))
    _row_properties(table.rows[0], "w:cantSplit")
    left, right = table.rows[0].cells
    if copies_to:
        _cell_text(left, "Nơi nhận:", size=paper.small - 1, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in copies_to:
            _cell_text(left, f"- {line}", size=paper.small - 2, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in lines:
        _cell_text(right, line, size=paper.small + 0.5, bold=True)
    if note:
        _cell_text(right, note, size=paper.small, italic=True)
    for _ in range(2 if paper is A5 else 4):
        _cell_text(right, " ", size=paper.small)
    _cell_text(right, name or " ", size=paper.small + 0.5, bold=True)
    for cell in (left, right):
        for paragraph in cell.paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True


TEMPLATE_STYLES = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"})
"""Style ids a notice uses (and those Word expects to find): the template keeps these only."""


@functools.cache
def _template() -> bytes:
    """python-docx's default document without what notices never use: its 800 KB of styles (latent styles, Word
    2010's `stylesWithEffects` copy, ~260 built-in styles) and thumbnail. Reading and zipping them again was
    ~30 ms of every notice's ~50; a notice looks the same (its styles and the document defaults are kept)."""
    document = Document()
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in TEMPLATE_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document(notice: Notice, rules: RuleSet, paper: Paper) -> Doc:
    document = Document(BytesIO(_template()))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(paper.width), Mm(paper.height)
    top, bottom, left, right = paper.margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = section.footer_distance = Mm(8)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(paper.body)
    r_pr = style.element.get_or_add_rPr()
    r_pr.rFonts.set(qn("w:eastAsia"), FONT)
    r_pr.rFonts.set(qn("w:cs"), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    r_pr.append(lang)
    properties = document.core_properties
    properties.title = f"{FORMS[notice.kind].name} - {notice.receipt_no}"
    properties.author = rules.agency.name
    properties.subject = rules.campaign.title
    properties.language = "vi-VN"
    properties.created = properties.modified = notice.issued_at.replace(tzinfo=None)
    properties.last_modified_by = rules.agency.name
    properties.revision = 1
    return document


def _procedure(rules: RuleSet) -> str:
    code = f" (mã thủ tục {rules.campaign.procedure_code})" if rules.campaign.procedure_code else ""
    return f"{rules.campaign.procedure}{code} - {rules.campaign.title}"


def _applicant(document: Doc, notice: Notice, paper: Paper, label: str) -> None:
    c = notice.contact
    _labelled(document, label, c.enterprise, size=paper.body)
    _labelled(document, "Địa chỉ", c.address, size=paper.body)
    paragraph = _para(document, size=paper.body, after=2)
    _run(paragraph, f"Số điện thoại: {c.phone or '……………'}; Email: {c.email or '……………'}", size=paper.body)
    if notice.kind in ("receipt", "acknowledgement") and isinstance(c, Identity):  # where the notices will be e-mailed (issue 18)
        _para(document, delivery_line(c), size=paper.body, after=2)


def _late_note(document: Doc, notice: Notice, rules: RuleSet, size: float) -> None:
    if notice.late:
        paragraph = _para(document, size=size, after=2)
        _run(paragraph, "Lưu ý: ", size=size, bold=True, italic=True)
        _run(paragraph, late_sentences(notice, rules), size=size, italic=True)


def _acknowledgement(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """Proof, at once, that the files arrived (and when): the time received and every file received."""
    size = paper.body
    files = notice.files
    _para(document, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _applicant(document, notice, paper, "Đã nhận hồ sơ của")
    _labelled(document, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    paragraph = _para(document, size=size, after=2)
    _run(paragraph, "Thời gian nhận hồ sơ: ", size=size)
    _run(paragraph, vn_moment(notice.received_at), size=size, bold=True)
    _para(document, f"Các tệp đã nhận ({len(files)} tệp):", size=size, after=2, keep=True)
    width = paper.text_width
    _grid(document, ("TT", "Tên tệp"), [(str(i), name) for i, name in enumerate(files, start=1)],
          (9, width - 9), paper)
    _para(document, "Giấy này xác nhận thời gian nhận các tệp nêu trên, chưa phải kết quả kiểm tra hồ sơ; kết quả "
          "được thông báo bằng Giấy tiếp nhận hồ sơ và hẹn trả kết quả (hồ sơ đầy đủ) hoặc Phiếu yêu cầu bổ sung, "
          "hoàn thiện hồ sơ.", size=size, before=3, after=1)
    _late_note(document, notice, rules, size)
    _signature(document, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _receipt(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    _para(document, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _applicant(document, notice, paper, "Tiếp nhận hồ sơ của")
    _labelled(document, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size, after=3)
    _para(document, "1. Thành phần hồ sơ nộp gồm:", size=size, after=2, keep=True)
    # Short names: the eight full titles alone would push an A5 form onto a second page.
    rows = [(str(i), short_name(cid, rules), "; ".join(readable_label(label) for label in labels))
            for i, (cid, labels) in enumerate(notice.documents, start=1)]
    width = paper.text_width
    _grid(document, ("TT", "Tên thành phần hồ sơ", "Tệp đã nộp"), rows, (9, width * 0.47, width * 0.53 - 9), paper)
    if notice.other_files:
        _para(document, "Tệp khác đã nhận (không phải thành phần hồ sơ): "
              + "; ".join(readable_label(label) for label in notice.other_files) + ".",
              size=paper.small, italic=True, before=2)
    _para(document, "2. Số lượng hồ sơ: 01 (bộ).", size=size, before=1, after=1)
    _para(document, f"3. Thời gian nhận hồ sơ: {vn_moment(notice.received_at)}.", size=size, after=1)
    due = result_due(rules)
    _para(document, "4. Thời gian trả kết quả giải quyết hồ sơ: "
          + (f"trước {vn_date(due)}." if due else "theo thông báo của Hội đồng."), size=size, after=1)
    _para(document, f"5. Hình thức nhận kết quả: {rules.notices.result_method}.", size=size, after=1)
    if rules.notices.register_book:
        _para(document, f"Vào Sổ theo dõi hồ sơ, Quyển số: {rules.notices.register_book}, "
              f"Số thứ tự: {notice.register_no}.", size=size, after=2)
    _late_note(document, notice, rules, size)
    if any(d.code in BLOCKING_CODES for d in notice.deficiencies):
        _para(document, "Hồ sơ chưa đầy đủ; nội dung cần bổ sung, hoàn thiện được nêu tại Phiếu yêu cầu bổ sung, "
              "hoàn thiện hồ sơ gửi kèm.", size=size, italic=True, after=2)
    _signature(document, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _deficiency(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """Mẫu 02: one numbered row per component to act on (received, what is wrong, what to send), then the date to
    supplement by, where to put the files and whom to call."""
    size = paper.body
    assert notice.supplement_by is not None
    _para(document, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _applicant(document, notice, paper, "Hồ sơ của")
    _labelled(document, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    _labelled(document, "Thời gian tiếp nhận hồ sơ", vn_moment(notice.received_at), size=size, after=3)
    _para(document, "Yêu cầu tổ chức, doanh nghiệp bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", size=size,
          after=2, keep=True)
    width = paper.text_width
    table = _grid(document, ("TT", "Thành phần hồ sơ", "Đã nhận", "Lý do, nội dung cần bổ sung"), [],
                  (9, width * 0.25, width * 0.26, width * 0.49 - 9), paper)
    for i, row in enumerate(notice_rows(notice, rules), start=1):
        cells = table.add_row().cells
        _row_properties(table.rows[-1], "w:cantSplit")
        _cell_text(cells[0], str(i), size=paper.small, after=1)
        _cell_text(cells[1], row.component, size=paper.small, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        _cell_text(cells[2], row.received, size=paper.small, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        for problem in row.problems:
            _cell_text(cells[3], problem, size=paper.small, align=WD_ALIGN_PARAGRAPH.LEFT, after=1)
        paragraph = _cell_text(cells[3], "Đề nghị: ", size=paper.small, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT,
                               after=1)
        _run(paragraph, row.send, size=paper.small)
    _widths(table, (9, width * 0.25, width * 0.26, width * 0.49 - 9))
    capped = notice.supplement_by < supplement_by_uncapped(notice, rules)
    paragraph = _para(document, size=size, before=3, after=1)
    _run(paragraph, "Thời hạn bổ sung, hoàn thiện hồ sơ: ", size=size)
    _run(paragraph, f"chậm nhất {vn_date(notice.supplement_by)}", size=size, bold=True)
    _run(paragraph, " (hạn cuối tiếp nhận hồ sơ)." if capped else
         f" ({rules.notices.supplement_working_days:02d} ngày làm việc kể từ ngày ban hành phiếu này).", size=size)
    _para(document, where_to_put(notice, rules), size=size, after=1)
    _late_note(document, notice, rules, size)
    _para(document, f"Nếu có vướng mắc, đề nghị liên hệ {rules.agency.contact} để được hướng dẫn.", size=size,
          after=2)
    _signature(document, paper, ("NGƯỜI HƯỚNG DẪN",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def supplement_by_uncapped(notice: Notice, rules: RuleSet) -> date:
    """The date to supplement by had the deadline not capped it."""
    issued = notice.issued_at.astimezone(rules.campaign.deadline.tzinfo)
    return calendar_add_working_days(issued.date(), rules.notices.supplement_working_days,
                                     campaign_days_off(rules, issued))


def _complete(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    paragraph = _para(document, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=8)
    _run(paragraph, "Kính gửi: ", size=size)
    _run(paragraph, notice.contact.enterprise, size=size)
    _para(document, f"Ngày {short_date(notice.received_at.date())}, hồ sơ tham dự {rules.campaign.title} của "
          f"{notice.contact.enterprise} đã được tiếp nhận (mã hồ sơ {notice.receipt_no}, thời gian nhận hồ sơ "
          f"{vn_moment(notice.received_at)}).", size=size, first_line=10, after=4)
    _para(document, rules.notices.complete_text, size=size, first_line=10, after=4)
    if notice.late:
        _para(document, late_sentences(notice, rules), size=size, first_line=10, after=4)
    _para(document, "Thành phần hồ sơ đã nhận gồm:", size=size, first_line=10, after=2, keep=True)
    for i, (cid, _) in enumerate(notice.documents, start=1):
        _para(document, f"{i}. {rules.component(cid).title}.", size=size, first_line=10, after=1)
    if notice.deficiencies:
        _para(document, "Lưu ý:", size=size, first_line=10, before=3, after=1, italic=True)
        for what, reason in deficiency_rows(notice.deficiencies, rules):
            _para(document, f"- {what}: {reason}", size=size, first_line=10, after=1)
    _para(document, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, first_line=10, before=3,
          after=4)
    _para(document, "Xin thông báo để Quý doanh nghiệp được biết./.", size=size, first_line=10, after=4, keep=True)
    _signature(document, paper, rules.notices.signer_title, "", rules.notices.signer_name,
               rules.notices.copies_to)  # "Như trên" is the enterprise of "Kính gửi"


def _refusal(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    size = paper.body
    _para(document, f"Mã hồ sơ: {notice.receipt_no}", size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    _applicant(document, notice, paper, "Tiếp nhận hồ sơ của")
    _labelled(document, "Nội dung yêu cầu giải quyết", _procedure(rules), size=size)
    _labelled(document, "Thời gian nhận hồ sơ", vn_moment(notice.received_at), size=size, after=4)
    _para(document, "Qua xem xét, cơ quan tiếp nhận thông báo không tiếp nhận, giải quyết hồ sơ này với lý do "
          "cụ thể như sau:", size=size, after=2)
    _para(document, rules.notices.refusal_reason.format(deadline=deadline_text(rules)), size=size, bold=True,
          first_line=8, after=4)
    _para(document, "Xin thông báo để tổ chức, doanh nghiệp được biết.", size=size, after=2)
    _para(document, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, after=6)
    _signature(document, paper, ("NGƯỜI TIẾP NHẬN HỒ SƠ",), "(Ký và ghi rõ họ tên)", rules.notices.officer)


def _reminder(document: Doc, notice: Notice, rules: RuleSet, paper: Paper) -> None:
    """A letter reminding an enterprise of the deadline: what its dossier still lacks, or that none arrived."""
    size = paper.body
    assert notice.reminder is not None
    paragraph = _para(document, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=8)
    _run(paragraph, "Kính gửi: ", size=size)
    _run(paragraph, notice.contact.enterprise, size=size)
    _para(document, _days_left_sentence(notice, rules), size=size, first_line=10, after=4)
    if notice.reminder.submitted:
        _para(document, f"Hồ sơ tham dự của Quý doanh nghiệp (mã hồ sơ {notice.receipt_no}, tiếp nhận lúc "
              f"{vn_moment(notice.received_at)}) đến nay còn thiếu hoặc chưa hoàn thiện những nội dung sau:",
              size=size, first_line=10, after=3, keep=True)
        rows = [(str(i), what, reason)
                for i, (what, reason) in enumerate(deficiency_rows(notice.deficiencies, rules), start=1)]
        width = paper.text_width
        _grid(document, ("TT", "Thành phần hồ sơ", "Nội dung cần bổ sung, hoàn thiện"), rows,
              (10, width * 0.42, width * 0.58 - 10), paper)
        _para(document, rules.notices.supplement_how, size=size, first_line=10, before=4, after=4)
    else:
        _para(document, "Đến nay, cơ quan tiếp nhận chưa nhận được hồ sơ tham dự của Quý doanh nghiệp. "
              "Hồ sơ tham dự gồm:", size=size, first_line=10, after=2, keep=True)
        for i, component in enumerate(rules.components, start=1):
            title = component.title if component.required or "(nếu có)" in component.title else \
                f"{component.title} (nếu có)"
            _para(document, f"{i}. {title}.", size=size, first_line=10, after=1)
        if notice.reminder.folder:
            _para(document, f"Hồ sơ được nộp vào thư mục «{notice.reminder.folder}» trên thư mục dùng chung.",
                  size=size, first_line=10, before=3, after=4)
    _para(document, _late_sentence(rules), size=size, first_line=10, after=4)
    _para(document, f"Mọi thắc mắc xin liên hệ: {rules.agency.contact}.", size=size, first_line=10, after=4)
    _para(document, "Xin thông báo để Quý doanh nghiệp biết và thực hiện./.", size=size, first_line=10, after=4,
          keep=True)
    _signature(document, paper, rules.notices.signer_title, "", rules.notices.signer_name, rules.notices.copies_to)


def _days_left_sentence(notice: Notice, rules: RuleSet) -> str:
    assert notice.reminder is not None
    r = notice.reminder
    left = (f"còn {r.days_left:02d} ngày ({r.working_days_left:02d} ngày làm việc)" if r.days_left
            else "hôm nay là ngày cuối cùng")
    return (f"Thời hạn tiếp nhận hồ sơ tham dự {rules.campaign.title} là {deadline_text(rules)}; tính đến "
            f"ngày {short_date(notice.issued_at.date())}, {left}.")


def _late_sentence(rules: RuleSet) -> str:
    after = "không được tiếp nhận" if rules.notices.refuse_late else "được ghi nhận là nộp muộn"
    return f"Đề nghị Quý doanh nghiệp hoàn thiện, nộp hồ sơ trước thời hạn nêu trên; hồ sơ nộp sau thời hạn {after}."


def build_reminder(*, number: str, contact: Contact, issued_at: datetime, reminder: Reminder, rules: RuleSet,
                   receipt_no: str = "", register_no: int = 0, received_at: datetime | None = None,
                   deficiencies: tuple[Deficiency, ...] = ()) -> Notice:
    """A reminder of the deadline: to an enterprise with a dossier (its receipt number, what it still lacks), or
    to one that has submitted nothing (no receipt number)."""
    tz = rules.campaign.deadline.tzinfo
    issued_at = issued_at.astimezone(tz)
    return Notice(
        kind="reminder", number=number, receipt_no=receipt_no, register_no=register_no, contact=contact,
        received_at=(received_at or issued_at).astimezone(tz), issued_at=issued_at,
        deficiencies=_asked(deficiencies), reminder=reminder,
    )


BODIES: dict[str, Callable[[Doc, Notice, RuleSet, Paper], None]] = {
    "acknowledgement": _acknowledgement, "receipt": _receipt, "deficiency": _deficiency, "complete": _complete,
    "refusal": _refusal,
    "reminder": _reminder,
}
SUBTITLES: dict[str, Callable[[RuleSet], str]] = {
    "complete": lambda rules: f"Hồ sơ tham dự {rules.campaign.title} đã đầy đủ",
    "reminder": lambda rules: f"Về việc nhắc hạn nộp hồ sơ tham dự {rules.campaign.title}",
}


def render_notice(notice: Notice, rules: RuleSet) -> bytes:
    """A notice as DOCX bytes, in its form's layout and paper."""
    form = FORMS[notice.kind]
    document = _new_document(notice, rules, form.paper)
    _header(document, notice, rules, form.paper)
    subtitle = SUBTITLES.get(notice.kind)
    _title(document, form.title, form.paper, subtitle=subtitle(rules) if subtitle else "")
    BODIES[notice.kind](document, notice, rules, form.paper)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
