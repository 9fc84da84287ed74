"""The list of dossiers forwarded to the preliminary council (Hội đồng sơ tuyển) when intake closes: an Excel
workbook and a JSON file. Pure: a Desk in, bytes out; writes no file, reads no clock."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any


from ..campaign import forwarded
from .collect import STATUS_VI, component_title
from ..campaign import CampaignStatus
from ..judging import BLOCKING_CODES
from .models import Desk
from .register import YES_NO, _sheet, new_workbook  # the tracking register's layout: string cells, A4 landscape, ≥ 9 pt

WORKBOOK = "danh-sach-chuyen-hoi-dong.xlsx"
JSON_FILE = "danh-sach-chuyen-hoi-dong.json"
"""Names of the list in `<data>/reports/`."""

# Widths add up to one A4 landscape page at 10 pt (register._sheet), so the list prints at ≥ 9 pt.
FORWARDED_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False), ("Mã hồ sơ", 13, True), ("Tên tổ chức, doanh nghiệp", 26, True), ("Mã số thuế", 12, True),
    ("Địa chỉ", 28, True), ("Số điện thoại", 12, True), ("Email", 22, True), ("Ngày, giờ nhận hồ sơ", 15, True),
    ("Nộp muộn", 6, True), ("Thư mục hồ sơ", 16, True),
)
KEPT_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False), ("Mã hồ sơ", 13, True), ("Tên tổ chức, doanh nghiệp", 28, True), ("Thư mục hồ sơ", 20, True),
    ("Tình trạng hồ sơ", 11, True), ("Lý do không chuyển", 24, True), ("Còn thiếu", 40, True),
)
ABSENT_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("STT", 5, False), ("Tên tổ chức, doanh nghiệp", 34, True), ("Mã số thuế", 13, True),
    ("Thư mục được hướng dẫn", 28, True), ("Email", 26, True), ("Số điện thoại", 14, True),
)


def _status(desk: Desk) -> CampaignStatus:
    assert desk.campaign_status is not None, "the desk was read without the campaign status"
    return desk.campaign_status


def council_record(desk: Desk, *, include_late: bool = False) -> dict[str, Any]:
    """The list as JSON: forwarded dossiers, the others with why, and invitees that submitted nothing."""
    status = _status(desk)
    sent, kept = forwarded(status, include_late=include_late)
    return {
        "campaign": desk.campaign.id,
        "deadline": status.deadline.isoformat(),
        "closed_at": status.closed_at.isoformat() if status.closed_at else None,
        "generated_at": desk.generated_at.isoformat(),
        "include_late": include_late,
        "forwarded": [
            {"receipt_no": d.receipt_no, "enterprise": d.contact.enterprise, "tax_code": d.contact.tax_code,
             "address": d.contact.address, "phone": d.contact.phone, "email": d.contact.email, "folder": d.folder,
             "received_at": d.received_at.isoformat(), "late": d.late, "invited": d.invitee_id is not None}
            for d in sent
        ],
        "not_forwarded": [
            {"receipt_no": d.receipt_no, "enterprise": d.contact.enterprise, "folder": d.folder, "status": d.status,
             "late": d.late, "reason": reason, "missing": list(d.missing),
             # What else keeps it incomplete (a year, a criterion, a form's field): a missing year is no missing
             # component, and an officer must see why the dossier is not forwarded.
             "deficiencies": [x.message for x in d.deficiencies if x.code in BLOCKING_CODES]}
            for d, reason in kept
        ],
        "not_submitted": [
            {"name": s.invitee.name, "tax_code": s.invitee.tax_code, "folder": s.invitee.folder,
             "email": s.invitee.email}
            for s in status.invitees if s.state == "not_submitted"
        ],
    }


def render_council_json(desk: Desk, *, include_late: bool = False) -> bytes:
    """`danh-sach-chuyen-hoi-dong.json`."""
    return (json.dumps(council_record(desk, include_late=include_late), ensure_ascii=False, indent=2) + "\n").encode()


def _local(desk: Desk, moment: datetime) -> datetime:
    return moment.astimezone(desk.campaign.deadline.tzinfo).replace(tzinfo=None)  # Excel has no time zones


def render_council_workbook(desk: Desk, *, include_late: bool = False) -> bytes:
    """`danh-sach-chuyen-hoi-dong.xlsx`: forwarded dossiers; those not forwarded, with why; invitees absent."""
    status = _status(desk)
    sent, kept = forwarded(status, include_late=include_late)
    closed = status.closed_at or desk.generated_at
    subtitle = (f"{desk.agency.name} — {desk.campaign.title} — hạn tiếp nhận "
                f"{_local(desk, status.deadline):%H:%M %d/%m/%Y}, "
                f"kết thúc tiếp nhận lúc {_local(desk, closed):%H:%M %d/%m/%Y}")
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "Chuyển Hội đồng"
    _sheet(sheet, "DANH SÁCH HỒ SƠ CHUYỂN HỘI ĐỒNG SƠ TUYỂN", subtitle, FORWARDED_COLUMNS, [
        (n, d.receipt_no, d.contact.enterprise, d.contact.tax_code, d.contact.address, d.contact.phone,
         d.contact.email, _local(desk, d.received_at), YES_NO[d.late], d.folder)
        for n, d in enumerate(sent, start=1)
    ])
    _sheet(workbook.create_sheet("Không chuyển"), "HỒ SƠ KHÔNG CHUYỂN HỘI ĐỒNG", subtitle, KEPT_COLUMNS, [
        (n, d.receipt_no, d.contact.enterprise, d.folder, STATUS_VI.get(d.status, d.status), reason,
         "\n".join([component_title(desk, c) for c in d.missing]
                   + [x.message for x in d.deficiencies if x.code in BLOCKING_CODES and x.code != "missing_document"]))
        for n, (d, reason) in enumerate(kept, start=1)
    ])
    if status.invitees:
        absent = [s.invitee for s in status.invitees if s.state == "not_submitted"]
        _sheet(workbook.create_sheet("Chưa nộp hồ sơ"), "DOANH NGHIỆP ĐƯỢC MỜI CHƯA NỘP HỒ SƠ", subtitle,
               ABSENT_COLUMNS, [(n, i.name, i.tax_code, i.folder, i.email, i.phone)
                                for n, i in enumerate(absent, start=1)])
    workbook.properties.title = "Danh sách hồ sơ chuyển Hội đồng sơ tuyển"
    workbook.properties.creator = "intake"
    workbook.properties.created = workbook.properties.modified = _local(desk, desk.generated_at)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
