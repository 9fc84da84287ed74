"""The tracking register (Sổ theo dõi hồ sơ, Mẫu 06) and its deficiency and decision lists as an Excel workbook
(openpyxl) and as CSV; pure: a Desk in, bytes or text out, no file is written here."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .cells import csv_cell, put
from .collect import (
    DECISION_VI,
    INVITEE_STATE_VI,
    NOTICE_STATE_VI,
    NOTICE_VI,
    STATE_VI,
    STATUS_VI,
    component_title,
    deficiency_kind,
)
from .ledger import SENT_STATES, Ledger, NoticeState, of
from ..judging import Assignment, Hint, Identity
from .models import Desk, DossierSheet
from ..models import Override
from ..store import REPLACED_NOTE

FONT = "Times New Roman"
BODY_PT = 10
"""Type size of every table cell: printed at ≥ 9 pt once a sheet is fitted to one A4 landscape page wide."""
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"

# (heading, width in characters, wrap) of each column. The widths of a sheet add up to what one A4 landscape
# page holds at 10 pt (about 150 characters), so fitting it to the page width never shrinks it below 9 pt.
# Mẫu 06 (Thông tư 01/2018/TT-VPCP) and the two dates the office adds to it: the date to supplement by and the
# appointment; the officers' hints go in its notes.
REGISTER_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 13, True),
    ("Tên thủ tục hành chính", 14, True),
    ("Tổ chức, doanh nghiệp; địa chỉ, điện thoại, email", 26, True),
    ("Số lượng hồ sơ (bộ)", 7, True),
    ("Ngày, giờ nhận hồ sơ", 15, True),
    ("Nộp muộn", 6, True),
    ("Hạn bổ sung hồ sơ", 10, True),
    ("Ngày hẹn trả kết quả", 10, True),
    ("Ngày chuyển Hội đồng sơ tuyển", 10, True),
    ("Kết quả", 11, True),
    ("Ghi chú (gợi ý kiểm tra, quyết định của cán bộ)", 30, True),
)
DETAIL_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 13, True),
    ("Thư mục hồ sơ", 18, True),
    ("Tình trạng hồ sơ", 10, True),
    ("Thành phần cần bổ sung", 30, True),
    ("Nội dung cần bổ sung, hoàn thiện", 42, True),
    ("Thông báo (tình trạng gửi)", 30, True),
)
"""The second sheet: what an officer follows a dossier by (one A4 width could not hold it beside Mẫu 06)."""

DEFICIENCY_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 13, True),
    ("Tên tổ chức, doanh nghiệp", 16, True),
    ("Loại thiếu sót", 13, True),
    ("Mã thiếu sót", 15, True),
    ("Thành phần hồ sơ", 16, True),
    ("Tệp", 12, True),
    ("Nội dung", 26, True),
    ("Phát hiện lúc", 14, True),
    ("Khắc phục lúc", 14, True),
    ("Tình trạng", 10, True),
)

DECISION_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 13, True),
    ("Tên tổ chức, doanh nghiệp", 16, True),
    ("Thành phần hồ sơ", 18, True),
    ("Quyết định", 11, True),
    ("Cán bộ", 13, True),
    ("Thời gian", 14, True),
    ("Lý do", 18, True),
    ("Hiệu lực", 10, True),
    ("Hủy/thay lúc", 14, True),
    ("Người hủy/thay", 12, True),
    ("Lý do hủy/thay", 12, True),
)
DATE_ONLY = frozenset({"Hạn bổ sung hồ sơ", "Ngày hẹn trả kết quả", "Ngày chuyển Hội đồng sơ tuyển"})
"""Columns printed as a date (the time is still in the cell)."""
SHORT_TIME = frozenset({"Phát hiện lúc", "Khắc phục lúc", "Thời gian", "Hủy/thay lúc"})
"""Columns of a moment printed with its hour in a narrow column (audit 23: the hour of a decision was not shown)."""

REGISTER_SHEET, DEFICIENCY_SHEET, DECISION_SHEET = "Sổ theo dõi hồ sơ", "Thiếu sót", "Quyết định của cán bộ"
DETAIL_SHEET = "Chi tiết hồ sơ"


def _local(desk: Desk, moment: datetime | None) -> datetime | None:
    """Excel has no time zones: a naive date-time in the campaign's zone."""
    if moment is None:
        return None
    return moment.astimezone(desk.campaign.deadline.tzinfo).replace(tzinfo=None)


def decision_state(override: Override) -> str:
    """"Đang áp dụng", "Đã hủy" or "Đã thay thế"."""
    if override.active:
        return "Đang áp dụng"
    return "Đã thay thế" if override.undo_note == REPLACED_NOTE else "Đã hủy"


def _notes(desk: Desk, dossier: DossierSheet) -> str:
    decisions = [
        f"{DECISION_VI[o.decision]}: {component_title(desk, o.component)} "
        f"({o.officer}, {_local(desk, o.at):%d/%m/%Y}: {o.note})"
        for o in dossier.overrides if o.active
    ]
    # Who the enterprise is, where the officer should look: uncertain contacts, disagreeing sources, duplicates.
    flags = list(dossier.contact.flags) if isinstance(dossier.contact, Identity) else []
    return "\n".join(decisions + flags + ([UNINVITED] if uninvited(desk, dossier) else []))


UNINVITED = "Không có trong danh sách doanh nghiệp được mời: đề nghị kiểm tra."
"""The note on a dossier no invitee matched, once an invitation list was imported (audit 22: said in totals only)."""


def uninvited(desk: Desk, dossier: DossierSheet) -> bool:
    """Whether an invitation list was imported and no invited enterprise matches this dossier."""
    status = desk.campaign_status
    return status is not None and bool(status.invitees) and any(
        d.receipt_no == dossier.receipt_no for d in status.unmatched)


YES_NO = {True: "Có", False: "Không"}


def needs_action(desk: Desk, dossier: DossierSheet) -> list[str]:
    """The components a dossier must still supplement, each with why: missing or refused by an officer, or
    present with an open deficiency (a year, a criterion, a seal). Rule order, each once."""
    open_by_component: dict[str, list[str]] = {}
    for deficiency in dossier.deficiencies:
        if deficiency.document:
            open_by_component.setdefault(deficiency.document, []).append(deficiency_kind(deficiency.code).lower())
    listed = []
    for component in dossier.components:
        if component.state in ("missing", "rejected"):
            listed.append(f"{component.title} ({STATE_VI[component.state].lower()})")
        elif component.id in open_by_component:
            kinds = ", ".join(dict.fromkeys(open_by_component[component.id]))
            listed.append(f"{component.title} ({kinds})")
    return listed


def _contact_cell(dossier: DossierSheet) -> str:
    c = dossier.contact
    lines = [c.enterprise]
    if c.address:
        lines.append(f"Địa chỉ: {c.address}")
    reach = "; ".join(x for x in (f"ĐT: {c.phone}" if c.phone else "", f"Email: {c.email}" if c.email else "") if x)
    if reach:
        lines.append(reach)
    return "\n".join(lines)


def _notice_line(desk: Desk, notice: NoticeState) -> str:
    """"Phiếu yêu cầu bổ sung 01/PYCBS-TĐC: đã gửi 15/06/2020" — sent only when the mail server took it."""
    name = NOTICE_VI.get(notice.kind, notice.kind)
    number = f" {notice.number}" if notice.number else ""
    if notice.state in SENT_STATES and notice.sent_at is not None:
        state = f"đã gửi {_local(desk, notice.sent_at):%d/%m/%Y}"
    else:
        state = f"{NOTICE_STATE_VI.get(notice.state, notice.state).lower()} (lập {_local(desk, notice.created_at):%d/%m/%Y})"
    return f"• {name}{number}: {state}"


SEAL_SUMMARIES = {
    "seal_not_found": "Không thấy dấu đỏ (con dấu) trên {files}; đề nghị kiểm tra chữ ký và con dấu.",
    "seal_unverifiable": "Không kiểm tra được con dấu trên {files}: bản không có màu (bản quét đen trắng hoặc văn bản "
                         "điện tử); đề nghị kiểm tra bằng mắt.",
    "seal_esigned": "Văn bản điện tử có chữ ký số, không có con dấu để kiểm tra: {files}; đề nghị kiểm tra chữ ký số "
                    "trên tệp gốc.",
}
"""One line for every file a seal hint names (audit 13: a line per file made a register row a page tall)."""


def hint_lines(hints: Sequence[Hint]) -> list[str]:
    """The officer's hints as the register's notes give them: seal hints of one kind on one line listing their
    files, the others as they are, in order of first appearance."""
    lines: list[str] = []
    grouped: dict[str, list[str]] = {}
    for hint in hints:
        if hint.code in SEAL_SUMMARIES and hint.file:
            if hint.code not in grouped:
                grouped[hint.code] = []
                lines.append(hint.code)  # its place, filled in below
            grouped[hint.code].append(f"«{hint.file}»")
        else:
            lines.append(hint.message)
    return [SEAL_SUMMARIES[line].format(files=", ".join(dict.fromkeys(grouped[line]))) if line in grouped else line
            for line in lines]


def register_rows(desk: Desk, ledger: Mapping[str, Ledger] | None = None) -> list[tuple[Any, ...]]:
    """Mẫu 06: one row per dossier, columns as REGISTER_COLUMNS; date-times naive in the campaign's zone."""
    procedure = f"{desk.campaign.procedure} ({desk.campaign.procedure_code})" if desk.campaign.procedure_code \
        else desk.campaign.procedure
    rows = []
    for d in desk.dossiers:
        extra = of(ledger, d.receipt_no)
        notes = [f"• {line}" for line in hint_lines(extra.hints)]
        notes += [f"• {line}" for line in _notes(desk, d).splitlines()]
        result = STATUS_VI[d.status]
        if extra.forwarded_on is not None:
            result += "; đã chuyển Hội đồng"
        rows.append((
            d.number, d.receipt_no, procedure, _contact_cell(d), 1, _local(desk, d.received_at), YES_NO[d.late],
            extra.supplement_by, extra.result_due, _local(desk, extra.forwarded_on), result, "\n".join(notes),
        ))
    return rows


def detail_rows(desk: Desk, ledger: Mapping[str, Ledger] | None = None) -> list[tuple[Any, ...]]:
    """The officers' detail sheet: one row per dossier, columns as DETAIL_COLUMNS."""
    rows = []
    for d in desk.dossiers:
        extra = of(ledger, d.receipt_no)
        rows.append((
            d.number, d.receipt_no, d.folder, STATUS_VI[d.status],
            "\n".join(f"• {line}" for line in needs_action(desk, d)),
            "\n".join(f"• {x.message}" for x in d.deficiencies),
            "\n".join(_notice_line(desk, n) for n in extra.notices),
        ))
    return rows


def deficiency_rows(desk: Desk) -> list[tuple[Any, ...]]:
    """One row per deficiency ever found (open ones and resolved ones), columns as DEFICIENCY_COLUMNS."""
    rows: list[tuple[Any, ...]] = []
    for d in desk.dossiers:
        for h in d.history:
            rows.append((
                len(rows) + 1, d.receipt_no, d.contact.enterprise, deficiency_kind(h.code), h.code,
                component_title(desk, h.document), h.file or "", h.message, _local(desk, h.opened_at),
                _local(desk, h.resolved_at), "Đã khắc phục" if h.resolved_at else "Chưa khắc phục",
            ))
    return rows


def decision_rows(desk: Desk) -> list[tuple[Any, ...]]:
    """One row per officer decision ever recorded, oldest first (an audit trail), columns as DECISION_COLUMNS."""
    # Page ranges an officer assigned are decisions too (audit 23: the sheet left them out).
    trail = sorted(((o, d) for d in desk.dossiers for o in (*d.overrides, *d.assignments)),
                   key=lambda pair: (pair[0].at, pair[0].id))
    return [
        (number, d.receipt_no, d.contact.enterprise, component_title(desk, o.component), _decision(o),
         o.officer, _local(desk, o.at), o.note, decision_state(o), _local(desk, o.undone_at), o.undone_by or "",
         o.undo_note or "")
        for number, (o, d) in enumerate(trail, start=1)
    ]


def _decision(decision: Override | Assignment) -> str:
    if isinstance(decision, Assignment):
        pages = f"trang {decision.first_page}" + (f"–{decision.last_page}" if decision.last_page != decision.first_page
                                                  else "")
        return f"Gán {pages} của «{decision.file}»"
    return DECISION_VI[decision.decision]


# ---- Excel --------------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def new_workbook() -> Workbook:
    """A workbook whose Normal style is Times New Roman 10 pt: column widths are counted in its characters, so a
    sheet's widths say what prints at 10 pt (with Calibri 11 as the unit, LibreOffice prints them a quarter wider)."""
    workbook = Workbook()
    normal = next(style for style in workbook._named_styles if style.name == "Normal")
    normal.font = Font(name=FONT, size=BODY_PT)
    workbook._fonts[0] = Font(name=FONT, size=BODY_PT)  # the default font the widths are measured in
    return workbook


def _style(workbook: Workbook, name: str, **formatting: Any) -> str:
    """A named style of the workbook, added with its first use: a cell then takes its font, border, alignment and
    number format in one assignment, not each looked up in the workbook's style tables (that lookup was ~2/3 of
    writing the register). Officers see the styles, by these names, in Excel's cell styles."""
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name, **formatting))
    return name


SHORT_DATE_TIME_FORMAT = "dd/mm/yy hh:mm"
_BODY_FORMATS = {"General": "", DATE_FORMAT: ", ngày", DATE_TIME_FORMAT: ", ngày giờ",
                 SHORT_DATE_TIME_FORMAT: ", ngày giờ ngắn"}
"""The number formats of table cells, and what their style's name says of them."""


def _body_style(workbook: Workbook, wrap: bool, number_format: str) -> str:
    """The named style of a table cell: 10 pt, bordered, at the top of its row, wrapped or not, in this format."""
    return _style(workbook, f"Bảng: nội dung{_BODY_FORMATS[number_format]}{', xuống dòng' if wrap else ''}",
                  font=Font(name=FONT, size=BODY_PT), border=_BORDER, number_format=number_format,
                  alignment=Alignment(vertical="top", wrap_text=wrap))


def _lines(value: Any, width: int) -> int:
    """Printed lines of a wrapped cell `width` characters wide (10 pt Times is narrower than the unit: 1.15)."""
    if value is None or isinstance(value, (int, float, datetime, date)):
        return 1
    per_line = max(1, int(width * 1.05))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in str(value).split("\n"))


def _sheet(ws: Worksheet, title: str, subtitle: str, columns: Sequence[tuple[str, int, bool]],
           rows: list[tuple[Any, ...]]) -> None:
    """Title and subtitle rows, then a bordered table with a frozen, filterable header row (row 3) repeated on
    every printed page; A4 landscape, one page wide at 10 pt (≥ 9 pt once fitted), rows as tall as their text.
    Every text is written as a string cell (cells.put): nothing from the share becomes a formula."""
    last = get_column_letter(len(columns))
    put(ws["A1"], title).font = Font(name=FONT, size=13, bold=True)
    put(ws["A2"], subtitle).font = Font(name=FONT, size=BODY_PT, italic=True)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[2].height = 15 * _lines(subtitle, sum(w for _, w, _ in columns))
    header = _style(ws.parent, "Bảng: tiêu đề cột", font=Font(name=FONT, size=BODY_PT, bold=True),
                    fill=_HEADER_FILL, border=_BORDER,
                    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    for index, (heading, width, _) in enumerate(columns, start=1):
        put(ws.cell(row=3, column=index), heading).style = header
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[3].height = 14 * max(_lines(h, w) for h, w, _ in columns) + 4
    body: dict[tuple[bool, str], str] = {}  # (wrap, number format) → the named style, added when first used
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            heading, width, wrap = columns[c - 1]
            if isinstance(value, datetime):
                number_format = DATE_FORMAT if heading in DATE_ONLY else (
                    SHORT_DATE_TIME_FORMAT if heading in SHORT_TIME else DATE_TIME_FORMAT)
            else:
                number_format = DATE_FORMAT if isinstance(value, date) else "General"
            style = body.get((wrap, number_format)) or body.setdefault(
                (wrap, number_format), _body_style(ws.parent, wrap, number_format))
            put(ws.cell(row=r, column=c), value).style = style
        # Explicit heights: neither Excel nor LibreOffice grows a row for wrapped text written by a program.
        ws.row_dimensions[r].height = 13.5 * max(_lines(v, w) for v, (_, w, _) in zip(row, columns)) + 3
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{last}{max(3, len(rows) + 3)}"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    # Printed pages numbered ("Trang 2/5"): a register of a hundred dossiers runs over several pages (audit 13).
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = BODY_PT  # fitted to the page width like the cells: ≥ 9 pt printed


def render_register(desk: Desk, ledger: Mapping[str, Ledger] | None = None) -> bytes:
    """The workbook: the tracking register (Mẫu 06), its detail, every deficiency, every officer decision."""
    workbook = new_workbook()
    subtitle = (f"{desk.campaign.title} — {desk.campaign.procedure} (mã {desk.campaign.procedure_code}) — "
                f"{desk.agency.name}, cập nhật lúc {_local(desk, desk.generated_at):%H:%M %d/%m/%Y}")
    register = workbook.active
    register.title = REGISTER_SHEET
    _sheet(register, "SỔ THEO DÕI HỒ SƠ", subtitle, REGISTER_COLUMNS, register_rows(desk, ledger))
    _sheet(workbook.create_sheet(DETAIL_SHEET), "CHI TIẾT HỒ SƠ: THÀNH PHẦN CẦN BỔ SUNG, THÔNG BÁO", subtitle,
           DETAIL_COLUMNS, detail_rows(desk, ledger))
    _sheet(workbook.create_sheet(DEFICIENCY_SHEET), "DANH SÁCH THIẾU SÓT CỦA HỒ SƠ", subtitle,
           DEFICIENCY_COLUMNS, deficiency_rows(desk))
    _sheet(workbook.create_sheet(DECISION_SHEET), "QUYẾT ĐỊNH CỦA CÁN BỘ TIẾP NHẬN", subtitle,
           DECISION_COLUMNS, decision_rows(desk))
    if desk.campaign_status is not None and desk.campaign_status.invitees:  # an invitation list was imported
        _sheet(workbook.create_sheet(INVITEE_SHEET), "DOANH NGHIỆP ĐƯỢC MỜI THAM DỰ", subtitle + campaign_line(desk),
               INVITEE_COLUMNS, invitee_rows(desk))
    workbook.properties.title = "Sổ theo dõi hồ sơ"
    workbook.properties.creator = "intake"
    # Pinned so that the same data gives the same bytes (reports are rewritten after every change).
    workbook.properties.created = workbook.properties.modified = _local(desk, desk.generated_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---- CSV ----------------------------------------------------------------------------------------------


def _csv(columns: Sequence[tuple[str, int, bool]], rows: list[tuple[Any, ...]]) -> str:
    """CSV with date-times as "2020-06-15 09:30" and dates as "2020-06-22" (Excel reads both as dates in any
    locale; an ISO 8601 offset would make them text) and every text neutralised (cells.csv_cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(heading) for heading, _, _ in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else csv_cell(value)


def render_register_csv(desk: Desk, ledger: Mapping[str, Ledger] | None = None) -> str:
    """The tracking register as CSV: Mẫu 06's columns then the detail's (times in the campaign's zone)."""
    rows = [a + b[2:] for a, b in zip(register_rows(desk, ledger), detail_rows(desk, ledger))]
    return _csv(REGISTER_COLUMNS + DETAIL_COLUMNS[2:], rows)


def render_deficiencies_csv(desk: Desk) -> str:
    """Every deficiency as CSV."""
    return _csv(DEFICIENCY_COLUMNS, deficiency_rows(desk))


# ---- the campaign calendar: invited enterprises -------------------------------------------------------

INVITEE_SHEET = "Doanh nghiệp được mời"
INVITEE_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Tên tổ chức, doanh nghiệp", 30, True),
    ("Mã số thuế", 12, True),
    ("Email", 24, True),
    ("Số điện thoại", 12, True),
    ("Thư mục được hướng dẫn", 22, True),
    ("Tình trạng", 14, True),
    ("Nộp muộn", 7, True),
    ("Mã hồ sơ", 16, True),
)


def campaign_line(desk: Desk) -> str:
    """" — còn 11 ngày (7 ngày làm việc): 2 chưa nộp, 1 chưa đầy đủ, 3 đầy đủ, 0 nộp muộn"."""
    status = desk.campaign_status
    if status is None:
        return ""
    c = status.counts
    left = (f"còn {status.days_left} ngày ({status.working_days_left} ngày làm việc)" if status.days_left
            else "hết hạn" if status.deadline_passed else "ngày cuối cùng")
    return (f" — {left}: {c['invited_not_submitted']} được mời chưa nộp, {c['submitted_incomplete']} đã nộp chưa "
            f"đầy đủ, {c['complete']} đầy đủ, {c['late']} nộp muộn")


def invitee_rows(desk: Desk) -> list[tuple[Any, ...]]:
    """One row per invited enterprise, columns as INVITEE_COLUMNS."""
    status = desk.campaign_status
    return [
        (n, s.invitee.name, s.invitee.tax_code, s.invitee.email, s.invitee.phone, s.invitee.folder,
         INVITEE_STATE_VI[s.state], YES_NO[s.late], "\n".join(s.receipt_nos))
        for n, s in enumerate(status.invitees if status else (), start=1)
    ]

