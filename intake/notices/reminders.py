"""The reminders stage of each pass: reads where the campaign stands, writes the reminders due now to the outbox (a
DOCX and a notice row each, e-mailed like every other notice) and withdraws unsent ones that are no longer due.
Decides nothing itself (campaign.py), renders nothing (notices.py), speaks no SMTP (outbox.py delivers)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from datetime import datetime
from pathlib import Path

from ..campaign import current_round, due_reminders, needing_reminder, reminder_of, schedule
from ..desk import collect
from ..campaign import clean_folder
from ..campaign import CampaignStatus, ReminderDue
from ..judging import Contact
from ..judging import RuleSet
from .forms import FORMS, build_reminder, email_text, notice_number, render_notice
from .outbox import mail_address, notice_file_name
from ..desk import write_atomically
from ..store import Store

log = logging.getLogger(__name__)

DEADLINE_PASSED = "hạn tiếp nhận hồ sơ đã qua: thông báo nhắc hạn không gửi nữa"
NOT_NEEDED = "doanh nghiệp đã nộp hồ sơ hoặc hồ sơ đã đầy đủ: thông báo nhắc hạn không gửi nữa"


def send_reminders(store: Store, outbox: Path, rules: RuleSet, *, now: datetime, email: bool,
                   held: Callable[[], frozenset[str]] = frozenset) -> int:
    """Write every reminder due at `now` (each reminder day, each enterprise, once across restarts) and expire the
    unsent ones no longer due (deadline passed, dossier complete, invitee has submitted). `email`: queued for
    e-mail (`pending`) or only written; `held()`: receipt numbers of dossiers still being added to, reminded at a
    later pass. Returns how many were written."""
    unsent = store.campaign.unsent_reminders()
    if current_round(schedule(rules), now, rules.campaign.deadline) is None and not unsent:
        return 0  # the usual case: no reminder day under way, nothing waiting
    status = collect(store, rules, now).campaign_status
    assert status is not None
    _withdraw(store, status, unsent, now)
    due = due_reminders(status, store.campaign.reminders_written(), held(), partial(_requested_since, store))
    return sum(_write(store, outbox, rules, status, item, now, email) for item in due)


def _requested_since(store: Store, since: datetime) -> frozenset[str]:
    """Receipt numbers of the dossiers a request to supplement was written for at or after `since`."""
    receipts = {row.id: row.receipt_no for row in store.dossiers.all()}
    return frozenset(receipts[n["dossier_id"]] for n in store.outbox.all()
                     if n["kind"] == "deficiency" and n["dossier_id"] in receipts
                     and datetime.fromisoformat(n["created_at"]) >= since)


def _withdraw(store: Store, status: CampaignStatus, unsent: list[tuple[int, str]], now: datetime) -> None:
    needing = needing_reminder(status)
    stale = [notice_id for notice_id, target in unsent if target not in needing]
    if stale:
        detail = DEADLINE_PASSED if status.deadline_passed or status.closed_at else NOT_NEEDED
        expired = store.outbox.expire_notices(stale, at=now, detail=detail)
        log.info("%d unsent reminders withdrawn", expired)


def _write(store: Store, outbox: Path, rules: RuleSet, status: CampaignStatus, item: ReminderDue, now: datetime,
           email: bool) -> int:
    """Write one reminder (the file complete before its row exists); 1 if written."""
    invitee, standing = item.invitee, item.dossier
    if standing is not None:
        row = store.dossiers.by_receipt(standing.receipt_no)
        assert row is not None
        contact = standing.contact
        if not contact.email and invitee is not None and invitee.email:
            contact = replace(contact, email=invitee.email)  # the invitation list's until the form gives one
        folder = row.folder
        name = notice_file_name(row.receipt_no, len(store.outbox.all(row.id)) + 1, "reminder")
        notice = build_reminder(number=notice_number("reminder", store.outbox.next_notice_sequence("reminder"), rules),
                                contact=contact, issued_at=now, reminder=reminder_of(item, status), rules=rules,
                                receipt_no=row.receipt_no, register_no=row.id, received_at=row.received_at,
                                deficiencies=standing.deficiencies)
        dossier_id: int | None = row.id
    else:
        assert invitee is not None
        contact = Contact(invitee.name, invitee.address, invitee.phone, invitee.email, tax_code=invitee.tax_code)
        folder = _invitee_folder(outbox, invitee.folder, invitee.id)
        name = f"chua-nop-{len(store.campaign.invitee_notices(invitee.id)) + 1:02d}-{FORMS['reminder'].stem}.docx"
        notice = build_reminder(number=notice_number("reminder", store.outbox.next_notice_sequence("reminder"), rules),
                                contact=contact, issued_at=now, reminder=reminder_of(item, status), rules=rules)
        dossier_id = None
    document = render_notice(notice, rules)
    write_atomically(outbox / folder / name, document)
    subject, body = email_text(notice, rules)
    notice_id = store.campaign.record_reminder(
        day=item.round.day, days_before=item.round.days_before, target=item.target, dossier_id=dossier_id,
        invitee_id=invitee.id if invitee is not None else None, number=notice.number,
        path=str(Path(folder) / name), document_sha256=hashlib.sha256(document).hexdigest(),
        address=mail_address(contact), subject=subject, body=body, created_at=now,
        state="pending" if email else "written",
    )
    if notice_id is None:
        return 0
    log.info("reminder written %s days_before=%d number=%s", item.target, item.round.days_before, notice.number)
    return 1


def _invitee_folder(outbox: Path, folder: str, invitee_id: int) -> str:
    """The outbox folder of an invitee without a dossier: the folder it was told to use, if that is one plain
    folder name (the list is typed by hand), else one named after its row."""
    name = clean_folder(folder)
    if name and (outbox / name).resolve().parent == outbox.resolve():
        return name
    return f"doanh-nghiep-{invitee_id:03d}"


def new_day(store: Store, rules: RuleSet, now: datetime) -> bool:
    """Whether `now` falls on another day than the last call's (campaign time zone), remembering it: the reports
    show the days left, so they are rewritten once a day even when nothing else changed."""
    today = now.astimezone(rules.campaign.deadline.tzinfo).date().isoformat()
    if store.meta("status_day") == today:
        return False
    store.set_meta("status_day", today)
    return True
