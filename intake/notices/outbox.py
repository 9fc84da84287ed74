"""The outbox: writes the notices due for a dossier (a DOCX under `<data>/outbox/<dossier>/` and a row each), and
e-mails pending ones with retries and backoff, at most once each. Decides delivery states; renders nothing
itself (notices.py) and speaks no SMTP (mail.py)."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from ..judging import UNCERTAIN_EMAIL, Contact, Identity, load_contacts, recipient, set_aside
from ..errors import ConfigError
from . import approval
from .mail import REFUSED_ADDRESS, SmtpSender, build_message
from .models import DeliverySummary, MailSettings, Notice, SendOutcome
from ..desk import dossier_identity
from ..models import Outgoing, Verdict
from ..judging import RuleSet
from .forms import (
    FORMS, Supplement, build_notice, deficiency_hash, email_text, notice_number, overwritten, plan_notices,
    plan_supplement, render_notice, status_kinds,
)
from ..store import DossierRow, Store

log = logging.getLogger(__name__)

INTERRUPTED = ("dịch vụ dừng giữa lúc gửi: thư có thể đã đến; kiểm tra rồi gửi lại bằng "
               "`intake notices --resend` nếu cần")
NO_ADDRESS = "chưa có địa chỉ thư điện tử (đơn đăng ký hoặc tệp danh bạ)"
_UNSAFE = re.compile(r"[^\w.-]+")


# ---- writing ------------------------------------------------------------------------------------------


def notice_file_name(receipt_no: str, order: int, kind: str) -> str:
    """"GTCLQG-2020-0001-02-yeu-cau-bo-sung.docx": the dossier's notices sort in the order they were made."""
    return f"{_UNSAFE.sub('-', receipt_no).strip('-')}-{order:02d}-{FORMS[kind].stem}.docx"


def issue_notices(store: Store, outbox: Path, rules: RuleSet, dossier: DossierRow, verdict: Verdict, *,
                  issued_at: datetime, email: bool) -> int:
    """Write every notice now due for a settled dossier; each file is complete before its row exists.
    `email`: whether they are queued for e-mail (`pending`) or only written (`written`). Returns how many.
    Notices a leader approved since are first written again, dated the day of their approval."""
    previous = store.outbox.all(dossier.id)
    contact = dossier_contact(store, dossier, verdict)
    received = tuple(store.dossiers.current_files(dossier.id))
    versions = store.dossiers.versions(dossier.id)
    folder = outbox / dossier.folder
    content = deficiency_hash(verdict.deficiencies)
    for index, row in enumerate(previous):
        approved = store.outbox.approval(row["id"]) if row["state"] == approval.APPROVED else None
        replaced = (row["content_hash"] != content if row["kind"] == "deficiency"
                    else row["kind"] in ("receipt", "complete") and verdict.status != "complete")
        if approved is None or replaced:
            continue  # not approved; or its dossier changed since, and the newer notice written below replaces it
        becomes, approved_at = approved
        notice, document = _render(row["kind"], row["number"], rules, dossier, verdict, contact, received,
                                   issued_at=approved_at, replaces=last_request(previous[:index], rules),
                                   versions=versions, changes=_changes(store, dossier, verdict, previous[:index],
                                                                       rules))
        _write_atomically(outbox / row["path"], document)
        subject, body = email_text(notice, rules)
        store.outbox.reissue(row["id"], state=becomes, issued_at=approved_at,
                             document_sha256=hashlib.sha256(document).hexdigest(), subject=subject, body=body,
                             at=issued_at)
        if becomes == "pending":
            hold_uncertain(store, row["id"], contact, dossier.receipt_no, issued_at)
        log.info("notice approved and written again dossier=%d number=%s", dossier.id, row["number"])
    # A notice replaced before it went out was never given (audit 23: a Mẫu 01 superseded while waiting for the
    # leader, and the dossier complete again, got "hồ sơ đã đầy đủ" instead of the Mẫu 01 it never had).
    given = [(n["kind"], n["content_hash"]) for n in previous if n["state"] != "superseded"]
    due = plan_notices(verdict, given, rules)
    refused = verdict.late and rules.notices.refuse_late
    supplement = None if refused else plan_supplement(versions, previous, rules, _history(store, dossier))
    if supplement is not None:
        if verdict.status != "complete" and not any(kind in status_kinds(rules) for kind, _ in due):
            # Nothing it asks changed: the receipt says which request stands (audit 43).
            supplement = (supplement[0], replace(supplement[1], standing=last_request(previous, rules)))
        due.insert(0, ("supplement", supplement[0]))  # what came, first; then what it changes
    if not due:
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    replaces = last_request(previous, rules)
    changes = _changes(store, dossier, verdict, previous, rules)
    for order, (kind, content_hash) in enumerate(due, start=len(previous) + 1):
        number = notice_number(kind, store.outbox.next_notice_sequence(kind), rules)
        notice, document = _render(kind, number, rules, dossier, verdict, contact, received,
                                   issued_at=issued_at, replaces=replaces, versions=versions, changes=changes,
                                   supplement=supplement[1] if supplement and kind == "supplement" else None)
        name = notice_file_name(dossier.receipt_no, order, kind)
        _write_atomically(folder / name, document)
        subject, body = email_text(notice, rules)
        state = approval.initial_state(kind, rules, email=email)
        notice_id = store.outbox.record_notice(
            dossier.id, kind=kind, content_hash=content_hash, number=notice.number,
            path=str(Path(dossier.folder) / name), document_sha256=hashlib.sha256(document).hexdigest(),
            address=mail_address(contact), subject=subject, body=body, created_at=issued_at, state=state,
        )
        approval.hold(store, notice_id, state, email=email)
        if state == "pending":
            hold_uncertain(store, notice_id, contact, dossier.receipt_no, issued_at)
        log.info("notice written dossier=%d kind=%s number=%s", dossier.id, kind, notice.number)
    # A request a newer notice replaced is never sent: say so now, not at the next delivery (audit 19: a replaced
    # request still "waiting for the leader" in the counts, with no mail server to deliver anything).
    store.outbox.supersede_notices(status_kinds(rules), issued_at)
    return len(due)


def _render(kind: str, number: str, rules: RuleSet, dossier: DossierRow, verdict: Verdict,
            contact: Contact, received: tuple[str, ...], *, issued_at: datetime,
            replaces: tuple[str, date] | None, supplement: Supplement | None = None,
            versions: Sequence[tuple[str, str, datetime]] = (), changes: Changes | None = None,
            ) -> tuple[Notice, bytes]:
    """A notice of a dossier, dated `issued_at`, and its document."""
    changes = changes or Changes()
    notice = build_notice(
        kind, number=number, receipt_no=dossier.receipt_no, register_no=dossier.id, contact=contact,
        received_at=dossier.received_at, verdict=verdict, issued_at=issued_at, rules=rules, folder=dossier.folder,
        received=received, replaces=replaces, supplement=supplement, versions=versions, revised=changes.revised,
        replaced=changes.replaced, withdraws=changes.withdraws,
    )
    return notice, render_notice(notice, rules)


@dataclass(frozen=True)
class Changes:
    """What a dossier's history adds to its notices, read from the store here so that the notices stay pure."""

    revised: tuple[tuple[str, str], ...] = ()
    """(file, the corrected file the checks read instead) of each file set aside for a corrected one."""
    replaced: tuple[tuple[str, datetime, datetime], ...] = ()
    """Files overwritten under their own name since the enterprise was last told where its dossier stood."""
    withdraws: tuple[str, str, date] | None = None
    """The notice that told the enterprise its dossier was complete, which a new request replaces."""


def _history(store: Store, dossier: DossierRow) -> list[tuple[str, str, datetime]]:
    """Every version of every file the dossier received: (path, sha256, received at)."""
    return [(row["path"], row["sha256"], datetime.fromisoformat(row["received_at"]))
            for row in store.dossiers.file_rows(dossier.id)]


def _changes(store: Store, dossier: DossierRow, verdict: Verdict, previous: list[dict], rules: RuleSet) -> Changes:
    """The files set aside for corrected ones (as the checks did, of the files as judged), those overwritten since
    the enterprise was last told where its dossier stood, and the notice that said it complete, if it is the
    newest such notice given."""
    judged = store.dossiers.versions(dossier.id, verdict.as_of)
    revised = tuple(dict.fromkeys((old, new) for old, _, new in set_aside(
        ((path, at) for path, _, at in judged), verdict.matches)))
    replaced = overwritten(judged, _history(store, dossier), told_since(previous, rules))
    return Changes(revised, replaced, last_complete(previous, rules))


ISSUED_STATES = ("written", "sent", "unconfirmed")
"""States of a notice the enterprise was (or may have been) given: written for the officer to hand over, or
e-mailed."""


def last_request(previous: list[dict], rules: RuleSet) -> tuple[str, date] | None:
    """Number and date of the newest request to supplement the enterprise was given, which a new one replaces
    (one superseded before it went out, or still waiting, is not named: the enterprise never saw it)."""
    for row in reversed(previous):
        if row["kind"] == "deficiency" and row["state"] in ISSUED_STATES and row.get("number"):
            issued = datetime.fromisoformat(row["created_at"]).astimezone(rules.campaign.deadline.tzinfo)
            return row["number"], issued.date()
    return None


def last_complete(previous: list[dict], rules: RuleSet) -> tuple[str, str, date] | None:
    """Kind, number and date of the notice that told the enterprise its dossier was complete (Mẫu 01, or the letter
    that it is complete again), when it is the newest notice of where the dossier stands the enterprise was given:
    a new request replaces it (audit 47: a request after Mẫu 01 never said the receipt no longer stood)."""
    for row in reversed(previous):
        if row["kind"] in status_kinds(rules) and row["state"] in ISSUED_STATES and row.get("number"):
            return None if row["kind"] == "deficiency" else (row["kind"], row["number"], _issued(row, rules))
    return None


def told_since(previous: list[dict], rules: RuleSet) -> datetime | None:
    """When the enterprise was last told where its dossier stands (the newest request, Mẫu 01 or letter that it is
    complete it was given), or else first told it was received; None before any notice."""
    given = [row for row in previous if row["state"] in ISSUED_STATES]
    standing = [row for row in given if row["kind"] in status_kinds(rules)]
    told = standing[-1] if standing else given[0] if given else None
    return datetime.fromisoformat(told["created_at"]) if told else None


def _issued(row: dict, rules: RuleSet) -> date:
    """The date a notice was made, in the campaign's time zone."""
    return datetime.fromisoformat(row["created_at"]).astimezone(rules.campaign.deadline.tzinfo).date()


def dossier_contact(store: Store, dossier: DossierRow, verdict: Verdict) -> Contact:
    """Who the enterprise is, for its notices: the dossier's one identity, the same every view shows."""
    return dossier_identity(store, replace(dossier, verdict=_evidence(verdict)))


def _evidence(verdict: Verdict) -> dict[str, object]:
    """The verdict's matches as the stored JSON has them (what `dossier_identity` reads the form from)."""
    return {"evidence": [{"file": m.label, "document": m.component, "points": m.points} for m in verdict.matches]}


# ---- never e-mail a guess ---------------------------------------------------------------------------------


def mail_address(contact: Contact) -> str | None:
    """The address a notice to `contact` may be e-mailed to: for a dossier's `Identity`, only one that is ok
    (typed, confirmed by an officer or a second source, or read cleanly); None holds the notice."""
    if isinstance(contact, Identity) and contact.field("email").value:
        return contact.mail_to
    return contact.email or None  # a plain contact, or an identity without any e-mail the caller filled in


def hold_uncertain(store: Store, notice_id: int, contact: Contact, receipt_no: str, at: datetime) -> bool:
    """A notice just queued whose only address is uncertain: kept pending with the officer-visible reason (it
    goes out once an officer confirms or corrects the address). True when held."""
    if not isinstance(contact, Identity) or not contact.email_hold or contact.mail_to:
        return False
    store.outbox.postpone_notice(notice_id, detail=_held(receipt_no), retry_at=at + timedelta(hours=1), attempted=False)
    log.info("notice id=%d held: e-mail address uncertain", notice_id)
    return True


def _held(receipt_no: str) -> str:
    return f"{UNCERTAIN_EMAIL}: cán bộ xác nhận bằng `intake contact {receipt_no} --email … --officer …`"


def hold_reason(store: Store, item: Outgoing) -> str:
    """Why a pending notice without an address waits (what `intake notices` shows the officer): the address read
    from the scanned form is uncertain until an officer confirms it (`intake contact`), or there is none."""
    row = store.dossiers.by_receipt(item.receipt_no) if item.receipt_no else None
    if row is not None and dossier_identity(store, row).email_hold:
        return _held(item.receipt_no)
    return NO_ADDRESS


def _write_atomically(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(path)


# ---- delivery -----------------------------------------------------------------------------------------


def backoff(attempts: int, settings: MailSettings) -> timedelta:
    """Wait before the next attempt after `attempts` failed ones: doubling from the base, up to the maximum."""
    seconds = settings.retry_base_seconds * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.retry_max_seconds))


def address_book(settings: MailSettings) -> dict[str, str]:
    """The contacts file's addresses (re-read each pass, so officers may edit it); {} if none or unreadable."""
    if not settings.contacts:
        return {}
    try:
        return load_contacts(settings.contacts)
    except ConfigError as exc:
        log.warning("contacts file ignored this pass: %s", exc)
        return {}


def deliver_notices(store: Store, outbox: Path, rules: RuleSet, settings: MailSettings, *, now: datetime,
                    sender: SmtpSender | None = None, contacts: dict[str, str] | None = None,
                    monotonic: Callable[[], float] = time.monotonic) -> DeliverySummary:
    """One delivery pass: e-mail the notices due now, oldest first, until `settings.pass_seconds` are spent.

    At most once: a notice is marked `sending` (committed) before its message goes out and `sent` right after
    the server accepts it; one found still `sending` at the start of a pass was interrupted and becomes
    `unconfirmed`. A notice that failed waits `backoff(attempts)`; after `max_attempts` it is `failed`.
    """
    interrupted = store.outbox.recover_interrupted_sends(now, INTERRUPTED)
    if interrupted:
        log.warning("%d notices were being sent when the service stopped: marked unconfirmed", interrupted)
    store.outbox.supersede_notices(status_kinds(rules), now)
    due = store.outbox.due_notices(now)
    if not due:
        return DeliverySummary()
    book = address_book(settings) if contacts is None else contacts
    sender = sender or SmtpSender(settings)
    started = monotonic()
    counts = DeliverySummary()
    try:
        for index, item in enumerate(due):
            if monotonic() - started >= settings.pass_seconds:
                return replace(counts, left=len(due) - index)
            field, stop = _deliver_one(store, outbox, rules, settings, item, book, now, sender)
            counts = replace(counts, **{field: getattr(counts, field) + 1})
            if stop:
                return replace(counts, left=counts.left + len(due) - index - 1)
    finally:
        sender.close()
    return counts


def _deliver_one(store: Store, outbox: Path, rules: RuleSet, settings: MailSettings, item: Outgoing,
                 book: dict[str, str], now: datetime, sender: SmtpSender) -> tuple[str, bool]:
    """Try one notice; returns which DeliverySummary count it adds to, and whether the pass stops there."""
    to = recipient(item.folder, item.address, book)
    if to is None:
        store.outbox.postpone_notice(item.id, detail=hold_reason(store, item),
                                     retry_at=now + timedelta(seconds=settings.retry_max_seconds), attempted=False)
        return "waiting", False
    try:
        attachment = (outbox / item.path).read_bytes()
    except OSError as exc:
        attachment, problem = b"", f"tệp thông báo không đọc được trong outbox: {exc.strerror or exc}"
    else:
        problem = "" if hashlib.sha256(attachment).hexdigest() == item.document_sha256 else \
            "tệp thông báo trong outbox đã bị thay đổi sau khi lập"
    if not store.outbox.claim_notice(item.id, now, to):
        return "left", False
    if problem:
        # Never mail something other than what was recorded: an officer has to look at it.
        store.outbox.settle_notice(item.id, state="failed", at=now, detail=problem)
        return "failed", False
    message = build_message(item, to, attachment, settings, sender_name=rules.agency.name,
                            reply_to=rules.agency.email, date=now, reuse_id=store.outbox.message_id_of(item.id))
    outcome = sender.send(message, to)
    return _settle(store, settings, item, now, outcome, message["Message-ID"])


def _settle(store: Store, settings: MailSettings, item: Outgoing, now: datetime, outcome: SendOutcome,
            message_id: str) -> tuple[str, bool]:
    """Record what became of one attempt; returns its DeliverySummary count and whether the pass stops.

    Only a break after the end of data may be `unconfirmed`; a break before it is `pending` with backoff. Either
    way the connection failed: the pass stops and the other notices due back off too, so a relay that hangs or
    drops costs one attempt, not one per notice. A permanent refusal fails the notice at once, naming why."""
    if outcome.state == "sent":
        store.outbox.settle_notice(item.id, state="sent", at=now, detail=outcome.detail, message_id=message_id)
        log.info("notice e-mailed id=%d kind=%s attempt=%d", item.id, item.kind, item.attempts + 1)
        return "sent", False
    if outcome.state == "unconfirmed":
        store.outbox.settle_notice(item.id, state="unconfirmed", at=now, detail=outcome.detail, message_id=message_id)
        log.warning("notice id=%d: delivery unconfirmed: %s", item.id, outcome.detail)
        _postpone_rest(store, settings, item, now, outcome.detail)
        return "unconfirmed", True
    if outcome.state == "refused":
        store.outbox.settle_notice(item.id, state="failed", at=now, detail=outcome.detail)
        log.warning("notice id=%d: refused for good by the mail server (the officer sees why in `intake notices`)",
                    item.id)
        return "failed", False
    attempts = item.attempts + 1
    log.warning("notice id=%d: attempt %d failed: %s", item.id, attempts, outcome.detail)
    if attempts >= settings.max_attempts:
        store.outbox.settle_notice(item.id, state="failed", at=now, detail=outcome.detail)
    else:
        store.outbox.settle_notice(item.id, state="pending", at=now, detail=outcome.detail,
                                   retry_at=now + backoff(attempts, settings))
    if outcome.unreachable:
        _postpone_rest(store, settings, item, now, outcome.detail)
        return ("failed" if attempts >= settings.max_attempts else "retrying"), True
    return ("failed" if attempts >= settings.max_attempts else "retrying"), False


def _postpone_rest(store: Store, settings: MailSettings, tried: Outgoing, now: datetime, detail: str) -> None:
    """The connection to the server failed: every other notice due counts an attempt and backs off too."""
    for item in store.outbox.due_notices(now):
        if item.id == tried.id:
            continue
        if item.attempts + 1 >= settings.max_attempts:
            store.outbox.fail_notice(item.id, at=now, detail=detail)
        else:
            store.outbox.postpone_notice(item.id, detail=detail, retry_at=now + backoff(item.attempts + 1, settings),
                                         attempted=True)


# ---- the officers' view ---------------------------------------------------------------------------------


def listing_lines(rows: list[dict[str, object]]) -> list[str]:
    """`intake notices`: one line per notice (receipt number, number, kind, state, attempts), then what happened."""
    if not rows:
        return ["no notices yet"]
    lines = []
    for row in rows:
        state = str(row["state"])
        when = {"sent": row.get("sent_at"), "pending": row.get("next_attempt_at")}.get(state)
        lines.append(
            f"{row['receipt_no']}  {row.get('number') or '-':<14} {row['kind']:<10} {state:<11} "
            f"attempts={row.get('attempts') or 0}" + (f"  {'at' if state == 'sent' else 'next'} {when}" if when else "")
        )
        detail = [f"file {row['path']}"]
        if row.get("recipient"):
            refused = state == "failed" and str(row.get("last_error") or "").startswith(REFUSED_ADDRESS)
            detail.append(f"{'refused address:' if refused else 'to'} {row['recipient']}")
        if row.get("last_error") and state != "sent":
            held = state == "pending" and str(row["last_error"]).startswith(UNCERTAIN_EMAIL)
            detail.append(f"{'held' if held else 'last error'}: {row['last_error']}")
        lines.append("    " + "; ".join(detail))
    return lines
