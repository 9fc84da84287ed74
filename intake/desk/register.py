"""The tracking register (Sổ theo dõi hồ sơ, Mẫu 06) and its deficiency and decision lists as an Excel workbook
(openpyxl) and as CSV; pure: a Desk in, bytes or text out, no file is written here."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .collect import DECISION_VI, INVITEE_STATE_VI, NOTICE_VI, STATUS_VI, component_title, deficiency_kind
from ..judging import Identity
from .models import Desk, DossierSheet
from ..models import Override
from ..store import REPLACED_NOTE

FONT = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy hh:mm"

# (heading, width in characters, wrap) of each column; the headings are the contract of the CSV too.
REGISTER_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 18, False),
    ("Tên tổ chức, doanh nghiệp", 34, True),
    ("Địa chỉ", 36, True),
    ("Số điện thoại", 15, False),
    ("Email", 26, False),
    ("Thư mục hồ sơ", 26, True),
    ("Ngày, giờ nhận hồ sơ", 17, False),
    ("Tình trạng hồ sơ", 14, False),
    ("Nộp muộn", 9, False),
    ("Thành phần còn thiếu", 40, True),
    ("Số thiếu sót", 9, False),
    ("Nội dung cần bổ sung, hoàn thiện", 60, True),
    ("Số phiếu yêu cầu bổ sung đã gửi", 13, False),
    ("Thông báo đã gửi", 44, True),
    ("Ngày gửi thông báo gần nhất", 17, False),
    ("Ghi chú", 40, True),
)

DEFICIENCY_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 18, False),
    ("Tên tổ chức, doanh nghiệp", 32, True),
    ("Loại thiếu sót", 26, True),
    ("Mã thiếu sót", 18, False),
    ("Thành phần hồ sơ", 36, True),
    ("Tệp", 28, True),
    ("Nội dung", 60, True),
    ("Phát hiện lúc", 17, False),
    ("Khắc phục lúc", 17, False),
    ("Tình trạng", 15, False),
)

DECISION_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Mã hồ sơ", 18, False),
    ("Tên tổ chức, doanh nghiệp", 32, True),
    ("Thành phần hồ sơ", 36, True),
    ("Quyết định", 16, False),
    ("Cán bộ", 20, False),
    ("Thời gian", 17, False),
    ("Lý do", 40, True),
    ("Hiệu lực", 14, False),
    ("Hủy/thay lúc", 17, False),
    ("Người hủy/thay", 20, False),
    ("Lý do hủy/thay", 30, True),
)

REGISTER_SHEET, DEFICIENCY_SHEET, DECISION_SHEET = "Sổ theo dõi hồ sơ", "Thiếu sót", "Quyết định của cán bộ"


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
    return "\n".join(decisions + flags)


def register_rows(desk: Desk) -> list[tuple[Any, ...]]:
    """One row per dossier, columns as REGISTER_COLUMNS; date-times naive in the campaign's zone."""
    rows = []
    for d in desk.dossiers:
        missing = [c.title for c in d.components if c.state in ("missing", "rejected")]
        last_notice = d.notices[-1].created_at if d.notices else None
        sent = "\n".join(f"{_local(desk, n.created_at):%d/%m/%Y}: {NOTICE_VI.get(n.kind, n.kind)}" for n in d.notices)
        rows.append((
            d.number, d.receipt_no, d.contact.enterprise, d.contact.address, d.contact.phone, d.contact.email,
            d.folder, _local(desk, d.received_at), STATUS_VI[d.status], "Có" if d.late else "",
            "\n".join(missing), len(d.deficiencies), "\n".join(f"- {x.message}" for x in d.deficiencies),
            sum(1 for n in d.notices if n.kind == "deficiency"), sent, _local(desk, last_notice), _notes(desk, d),
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
    trail = sorted(((o, d) for d in desk.dossiers for o in d.overrides), key=lambda pair: (pair[0].at, pair[0].id))
    return [
        (number, d.receipt_no, d.contact.enterprise, component_title(desk, o.component), DECISION_VI[o.decision],
         o.officer, _local(desk, o.at), o.note, decision_state(o), _local(desk, o.undone_at), o.undone_by or "",
         o.undo_note or "")
        for number, (o, d) in enumerate(trail, start=1)
    ]


# ---- Excel --------------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")


def _sheet(ws: Worksheet, title: str, subtitle: str, columns: Sequence[tuple[str, int, bool]],
           rows: list[tuple[Any, ...]]) -> None:
    """Title and subtitle rows, then a bordered table with a frozen, filterable header row (row 3)."""
    last = get_column_letter(len(columns))
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = subtitle
    ws["A2"].font = Font(name=FONT, size=11, italic=True)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].alignment = ws["A2"].alignment = Alignment(horizontal="center")
    for index, (heading, width, _) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=index, value=heading)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[3].height = 45
    body = Font(name=FONT, size=11)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = body
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=columns[c - 1][2])
            if isinstance(value, datetime):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{last}{max(3, len(rows) + 3)}"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def render_register(desk: Desk) -> bytes:
    """The workbook: the tracking register, every deficiency, every officer decision."""
    workbook = Workbook()
    subtitle = (f"{desk.campaign.title} — {desk.campaign.procedure} (mã {desk.campaign.procedure_code}) — "
                f"{desk.agency.name.capitalize()}, cập nhật lúc {_local(desk, desk.generated_at):%H:%M %d/%m/%Y}")
    register = workbook.active
    register.title = REGISTER_SHEET
    _sheet(register, "SỔ THEO DÕI HỒ SƠ", subtitle, REGISTER_COLUMNS, register_rows(desk))
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


def _csv(columns: Sequence[tuple[str, int, bool]], rows: list[tuple[Any, ...]],
         when: Callable[[datetime], str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for heading, _, _ in columns])
    for row in rows:
        writer.writerow([when(v) if isinstance(v, datetime) else ("" if v is None else v) for v in row])
    return buffer.getvalue()


def _iso(desk: Desk) -> Callable[[datetime], str]:
    zone = desk.campaign.deadline.tzinfo
    return lambda naive: naive.replace(tzinfo=zone).isoformat()


def render_register_csv(desk: Desk) -> str:
    """The tracking register as CSV (headings as the workbook's, date-times ISO 8601 with offset)."""
    return _csv(REGISTER_COLUMNS, register_rows(desk), _iso(desk))


def render_deficiencies_csv(desk: Desk) -> str:
    """Every deficiency as CSV."""
    return _csv(DEFICIENCY_COLUMNS, deficiency_rows(desk), _iso(desk))


# ---- the campaign calendar: invited enterprises -------------------------------------------------------

INVITEE_SHEET = "Doanh nghiệp được mời"
INVITEE_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False),
    ("Tên tổ chức, doanh nghiệp", 36, True),
    ("Mã số thuế", 15, False),
    ("Email", 26, False),
    ("Số điện thoại", 15, False),
    ("Thư mục được hướng dẫn", 28, True),
    ("Tình trạng", 20, False),
    ("Nộp muộn", 9, False),
    ("Mã hồ sơ", 20, True),
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
         INVITEE_STATE_VI[s.state], "Có" if s.late else "", "\n".join(s.receipt_nos))
        for n, s in enumerate(status.invitees if status else (), start=1)
    ]

