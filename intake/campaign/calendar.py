"""The campaign calendar: working days and the reminder schedule, matching dossiers to invited enterprises, where
the campaign stands, which reminders are due, and who is forwarded to the council. Pure: data in, data out; never
reads the store, the clock or a file, and sends nothing."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import holidays
from holidays import registry
from rapidfuzz import fuzz

from ..folding import fold
from .models import CampaignStatus, DossierStanding, DossierView, InviteeStanding, Reminder, ReminderDue, ReminderRound
from ..models import Invitee
from ..judging import RuleSet

NAME_SCORE = 90.0
"""Fuzzy score (0-100, on folded names without their legal form) from which the enterprise name a registration
form gives matches an invitee's name."""
NAME_MARGIN = 5.0
"""A name match must beat every other invitee's score by this much; otherwise the dossier stays unmatched."""

_LEGAL_FORM = re.compile(
    r"\b(?:tong cong ty|cong ty|chi nhanh|trach nhiem huu han|tnhh|co phan|cp|mot thanh vien|mtv|"
    r"hai thanh vien tro len|doanh nghiep tu nhan|dntn|hop tac xa|htx)\b"
)
"""Words every enterprise name shares ("Công ty TNHH …"): left out when names are compared."""

BLOCKED_BY_INVITEE = frozenset({"complete"})
"""Invitee states under which its other dossiers get no reminder (a complete dossier is enough)."""


# ---- working days and the reminder schedule --------------------------------------------------------------


@lru_cache(maxsize=16)
def _public_holidays(country: str, years: tuple[int, ...]) -> frozenset[date]:
    return frozenset(_calendar(country)(years=years)) if country else frozenset()


@lru_cache(maxsize=4)
def _calendar(country: str) -> Callable[..., holidays.HolidayBase]:
    """The holidays package's calendar of `country` (a code its registry knows), loaded from its own module: the
    package's way in (`country_holidays`) imports `holidays.countries`, whose `__init__` imports every country's
    module (~0.1 s, in every scan that writes a notice, for one country). The package's way where that fails."""
    for stem, (name, *codes) in registry.COUNTRIES.items():
        if country in codes:
            try:
                spec = importlib.util.spec_from_file_location(
                    f"holidays.countries.{stem}", Path(registry.__file__).parent / "countries" / f"{stem}.py")
                assert spec is not None and spec.loader is not None
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                return getattr(module, name)
            except Exception:  # noqa: BLE001 - another layout of the package: its own loader
                break
    return partial(holidays.country_holidays, country)


def days_off(rules: RuleSet, years: Iterable[int]) -> frozenset[date]:
    """Days besides Saturdays and Sundays that are not working days: the rule file's `notices.holidays` and the
    public holidays of `reminders.holiday_calendar` (the `holidays` package; Tết moves every year)."""
    return frozenset(rules.notices.holidays) | _public_holidays(
        rules.reminders.holiday_calendar, tuple(sorted(set(years)))
    )


def campaign_days_off(rules: RuleSet, *moments: datetime) -> frozenset[date]:
    """`days_off` for the years of the deadline, the year before it, and of `moments`."""
    deadline = rules.campaign.deadline
    return days_off(rules, {deadline.year - 1, deadline.year, *(m.year for m in moments)})


def is_working_day(day: date, off: Collection[date]) -> bool:
    """Monday to Friday, and not a day off."""
    return day.weekday() < 5 and day not in off


def working_days_after(start: date, end: date, off: Collection[date]) -> int:
    """Working days in (start, end]: 0 when `end` is not after `start`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, off)
    return count


def add_working_days(start: date, days: int, off: Collection[date]) -> date:
    """The date `days` working days after `start` (`start` not counted)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, off):
            left -= 1
    return current


def working_day_on_or_before(day: date, off: Collection[date]) -> date:
    """`day` if it is a working day, else the working day before it (a date printed on a form is a working day)."""
    for _ in range(60):  # bounded: no calendar has 60 days off in a row
        if is_working_day(day, off):
            return day
        day -= timedelta(days=1)
    return day


def supplement_by(issued_at: datetime, rules: RuleSet) -> date:
    """Last day to supplement after a request issued at `issued_at`: `notices.supplement_working_days` working
    days later, never past the deadline's day (the working day on or before it), unless the request itself comes
    after the deadline (a late dossier that is received still gets its full time)."""
    deadline = rules.campaign.deadline
    issued = issued_at.astimezone(deadline.tzinfo).date()
    off = campaign_days_off(rules, issued_at)
    due = add_working_days(issued, rules.notices.supplement_working_days, off)
    if issued > deadline.date():
        return due
    return min(due, max(issued, working_day_on_or_before(deadline.date(), off)))


def result_due(rules: RuleSet) -> date | None:
    """The receipt's appointment (`notices.result_due`) moved to a working day."""
    due = rules.notices.result_due
    return None if due is None else working_day_on_or_before(due, days_off(rules, {due.year}))


def round_day(deadline_day: date, days_before: int, *, working: bool, off: Collection[date]) -> date:
    """The day a reminder `days_before` the deadline goes out: that many calendar days before it, or the latest
    working day with `days_before` working days after it up to the deadline's day (7 before Tuesday 30/6/2020 is
    Friday 19/6; 2 is Friday 26/6)."""
    if not working:
        return deadline_day - timedelta(days=days_before)
    day, counted = deadline_day, 0
    while True:
        if is_working_day(day, off):
            if counted >= days_before:
                return day
            counted += 1
        day -= timedelta(days=1)


def schedule(rules: RuleSet) -> tuple[ReminderRound, ...]:
    """The reminder days of the rule file, earliest first (none without `[reminders] days_before`)."""
    deadline = rules.campaign.deadline
    tz = deadline.tzinfo
    off = campaign_days_off(rules)
    rounds = []
    for days_before in rules.reminders.days_before:
        day = round_day(deadline.date(), days_before, working=rules.reminders.working_days, off=off)
        rounds.append(ReminderRound(days_before, day, datetime.combine(day, rules.reminders.send_time, tzinfo=tz)))
    return tuple(sorted(rounds, key=lambda r: (r.at, -r.days_before)))


def current_round(rounds: Sequence[ReminderRound], now: datetime, deadline: datetime) -> ReminderRound | None:
    """The latest reminder day that has begun, while the deadline has not passed (never after it)."""
    if now > deadline:
        return None
    begun = [r for r in rounds if r.at <= now]
    return begun[-1] if begun else None


def days_left(now: datetime, deadline: datetime, off: Collection[date]) -> tuple[int, int]:
    """(calendar days, working days) from `now`'s date to the deadline's date; (0, 0) on the day and after."""
    today = now.astimezone(deadline.tzinfo).date()
    last = deadline.date()
    if now > deadline or today >= last:
        return 0, 0
    return (last - today).days, working_days_after(today, last, off)


# ---- who is who: dossiers and invitees -------------------------------------------------------------------


def tax_digits(code: str) -> str:
    """A tax code as comparable text: its digits ("2400123456-001" → "2400123456001")."""
    return "".join(c for c in code if c.isdigit())


def invitee_keys(invitee: Invitee) -> tuple[str, ...]:
    """Identity of an invitee across imports: its tax code, else its folder (folded); an invitee first imported
    without a tax code is found again by its folder."""
    folder_key = f"folder:{fold(invitee.folder or invitee.name)}"
    digits = tax_digits(invitee.tax_code)
    return (f"mst:{digits}", folder_key) if digits else (folder_key,)


def name_key(name: str) -> str:
    """A name as compared: folded, without the legal form every name shares."""
    return " ".join(_LEGAL_FORM.sub(" ", fold(name)).split())


def match_dossier(folder: str, enterprise: str, tax_code: str,
                  invitees: Sequence[Invitee]) -> tuple[Invitee | None, str]:
    """The invitee a dossier belongs to, and how it was recognised: by its folder (folded names equal), else by the
    tax code, else by the enterprise name (fuzzy) its registration form gives. None when nothing matches, when two
    invitees match equally well, or when tax codes contradict a name: an unmatched dossier is for the officer to
    look at, never merged into an invitee. A branch's dossier (its tax code 10-3) is its enterprise's ("branch")."""
    key = fold(folder)
    by_folder = [i for i in invitees if i.folder and fold(i.folder) == key]
    if len(by_folder) == 1:
        return by_folder[0], "folder"
    digits = tax_digits(tax_code)
    if digits:
        by_tax = [i for i in invitees if tax_digits(i.tax_code) == digits]
        if len(by_tax) == 1:
            return by_tax[0], "tax_code"
        # A branch (dependent unit, "2400777884-001") has no legal personality: its dossier is its enterprise's
        # (audit 22: the invited enterprise reminded it had sent nothing while its branch's dossier was in).
        parents = [i for i in invitees if len(digits) == 13 and tax_digits(i.tax_code) == digits[:10]]
        if len(parents) == 1:
            return parents[0], "branch"
    wanted = name_key(enterprise)
    if not wanted:
        return None, ""
    scored = sorted(
        ((float(fuzz.token_sort_ratio(wanted, name_key(i.name))), n) for n, i in enumerate(invitees)
         if not (digits and tax_digits(i.tax_code) and tax_digits(i.tax_code) != digits)),
        reverse=True,
    )
    if not scored or scored[0][0] < NAME_SCORE:
        return None, ""
    if len(scored) > 1 and scored[1][0] > scored[0][0] - NAME_MARGIN:
        return None, ""
    return invitees[scored[0][1]], "name"


def dossier_standing(sheet: DossierView, invitees: Sequence[Invitee]) -> DossierStanding:
    """Where one dossier stands and whose it is."""
    invitee, how = match_dossier(sheet.folder, sheet.contact.enterprise, sheet.contact.tax_code, invitees)
    return DossierStanding(
        receipt_no=sheet.receipt_no, folder=sheet.folder, contact=sheet.contact, status=sheet.status,
        late=sheet.late, received_at=sheet.received_at, deficiencies=sheet.deficiencies,
        missing=tuple(c.id for c in sheet.components if c.state in ("missing", "rejected")),
        invitee_id=invitee.id if invitee else None, matched_by=how,
    )


def invitee_standing(invitee: Invitee, dossiers: Sequence[DossierStanding]) -> InviteeStanding:
    """Where one invitee stands: nothing submitted, incomplete, or complete (one complete dossier is enough)."""
    mine = [d for d in dossiers if d.invitee_id == invitee.id]
    if not mine:
        state = "not_submitted"
    elif any(d.status == "complete" for d in mine):
        state = "complete"
    else:
        state = "incomplete"
    return InviteeStanding(invitee, state, tuple(d.receipt_no for d in mine), any(d.late for d in mine))


def campaign_status(rules: RuleSet, invitees: Sequence[Invitee], sheets: Sequence[DossierView], now: datetime, *,
                    reminders_written: int = 0, closed_at: datetime | None = None,
                    forward_late: bool = False) -> CampaignStatus:
    """Where the campaign stands at `now`."""
    deadline = rules.campaign.deadline
    dossiers = tuple(dossier_standing(s, invitees) for s in sheets)
    calendar, working = days_left(now, deadline, campaign_days_off(rules, now))
    return CampaignStatus(
        as_of=now, deadline=deadline, days_left=calendar, working_days_left=working, deadline_passed=now > deadline,
        invitees=tuple(invitee_standing(i, dossiers) for i in invitees), dossiers=dossiers,
        rounds=schedule(rules), reminders_written=reminders_written, closed_at=closed_at, forward_late=forward_late,
    )


# ---- reminders -------------------------------------------------------------------------------------------


def _blocked(status: CampaignStatus) -> set[int]:
    return {s.invitee.id for s in status.invitees if s.state in BLOCKED_BY_INVITEE}


def needing_reminder(status: CampaignStatus) -> set[str]:
    """Targets that would be reminded now if a reminder day began: invitees that have submitted nothing, and
    incomplete dossiers received in time whose enterprise has no complete dossier. Nothing after the deadline
    or once intake is closed."""
    if status.deadline_passed or status.closed_at is not None:
        return set()
    blocked = _blocked(status)
    targets = {f"invitee:{s.invitee.id}" for s in status.invitees if s.state == "not_submitted"}
    targets |= {f"dossier:{d.receipt_no}" for d in status.dossiers
                if d.status == "incomplete" and not d.late and d.invitee_id not in blocked}
    return targets


def due_reminders(status: CampaignStatus, done: Collection[tuple[date, str]],
                  held: Collection[str] = (), told: Callable[[datetime], Collection[str]] = lambda since: ()
                  ) -> tuple[ReminderDue, ...]:
    """The reminders to write now: for the reminder day that has begun, each target needing one that it did not
    get yet (`done`: (day, target) already written), that existed when the day began (a dossier received later
    has just been told what it lacks), whose dossier has settled (`held`: receipt numbers still being added
    to) and was not sent a request to supplement since the day began (`told(since)`: their receipt numbers; audit
    27: a request and a late reminder listing the same components in one pass). Invitees first, then dossiers, in
    their order."""
    today = current_round(status.rounds, status.as_of, status.deadline)
    if today is None:
        return ()
    needing = needing_reminder(status)
    by_id = {s.invitee.id: s.invitee for s in status.invitees}
    requested = frozenset(told(today.at))
    due = []
    for standing in status.invitees:
        invitee = standing.invitee
        target = f"invitee:{invitee.id}"
        began = invitee.imported_at is None or invitee.imported_at <= today.at
        if target in needing and (today.day, target) not in done and began:
            due.append(ReminderDue(today, target, invitee=invitee))
    for dossier in status.dossiers:
        target = f"dossier:{dossier.receipt_no}"
        if (target in needing and (today.day, target) not in done and dossier.received_at <= today.at
                and dossier.receipt_no not in held and dossier.receipt_no not in requested):
            owner = by_id.get(dossier.invitee_id) if dossier.invitee_id is not None else None
            due.append(ReminderDue(today, target, invitee=owner, dossier=dossier))
    return tuple(due)


def reminder_of(due: ReminderDue, status: CampaignStatus) -> Reminder:
    """What a reminder says about the deadline, as of the status's moment."""
    folder = due.invitee.folder if due.invitee is not None else ""
    return Reminder(days_before=due.round.days_before, days_left=status.days_left,
                    working_days_left=status.working_days_left, submitted=due.dossier is not None, folder=folder)


# ---- closing: who goes to the council ------------------------------------------------------------------

NOT_FORWARDED_VI = {
    "late": "Nộp sau thời hạn tiếp nhận",
    "incomplete": "Hồ sơ chưa đầy đủ",
    "pending": "Hồ sơ đang được xử lý",
}
"""Why a received dossier is not forwarded to the council."""


def forwarded(status: CampaignStatus, *, include_late: bool | None = None,
              ) -> tuple[tuple[DossierStanding, ...], tuple[tuple[DossierStanding, str], ...]]:
    """(dossiers forwarded to the council: complete, received in time unless `include_late` — by default, as the
    last `close` chose; the others, each with why it is not forwarded), in receipt order."""
    include_late = status.forward_late if include_late is None else include_late
    sent, kept = [], []
    for d in status.dossiers:
        if d.status == "complete" and (include_late or not d.late):
            sent.append(d)
        else:
            reason = "late" if d.late and d.status == "complete" else d.status
            kept.append((d, NOT_FORWARDED_VI.get(reason, reason)))
    return tuple(sent), tuple(kept)


# ---- records: the JSON object and the terminal's lines --------------------------------------------------


def _invitee_record(standing: InviteeStanding) -> dict[str, Any]:
    i = standing.invitee
    return {"name": i.name, "tax_code": i.tax_code, "email": i.email, "phone": i.phone, "folder": i.folder,
            "state": standing.state, "late": standing.late, "receipt_nos": list(standing.receipt_nos)}


def status_record(status: CampaignStatus) -> dict[str, Any]:
    """The `campaign_status` object of the JSON report."""
    upcoming = status.next_round
    return {
        "as_of": status.as_of.isoformat(),
        "deadline": status.deadline.isoformat(),
        "days_left": status.days_left,
        "working_days_left": status.working_days_left,
        "deadline_passed": status.deadline_passed,
        "closed_at": status.closed_at.isoformat() if status.closed_at else None,
        **status.counts,
        "next_reminder": {"date": upcoming.day.isoformat(), "days_before": upcoming.days_before} if upcoming else None,
        "reminder_days": [{"date": r.day.isoformat(), "days_before": r.days_before} for r in status.rounds],
        "reminders_written": status.reminders_written,
        "invitees": [_invitee_record(s) for s in status.invitees],
        "not_invited_dossiers": [{"receipt_no": d.receipt_no, "folder": d.folder, "enterprise": d.contact.enterprise,
                         "tax_code": d.contact.tax_code, "status": d.status} for d in status.unmatched],
    }


def _dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def status_lines(record: dict[str, Any]) -> list[str]:
    """The campaign summary that opens `intake report`: days left, the four figures, what needs a look."""
    deadline = datetime.fromisoformat(record["deadline"])
    if record["closed_at"]:
        when = f"intake closed on {_dmy(datetime.fromisoformat(record['closed_at']).date())}"
    elif record["deadline_passed"]:
        when = "deadline passed"
    else:
        when = f"{record['days_left']} days left ({record['working_days_left']} working days)"
    received = (f"received {record['received']}: {record['submitted_incomplete']} submitted, incomplete, "
                f"{record['complete']} complete, {record['late']} late")
    invited = record["invited"]
    lines = [
        f"Deadline {deadline:%H:%M} {_dmy(deadline.date())}: {when}",
        f"Invited {invited}: {record['invited_not_submitted']} invited, not submitted | {received}, "
        f"{record['not_invited']} not on the invitation list" if invited else f"No invitation list | {received}",
    ]
    upcoming = record["next_reminder"]
    if upcoming:
        lines.append(f"Next reminders: {_dmy(date.fromisoformat(upcoming['date']))} "
                     f"({upcoming['days_before']} days before the deadline); {record['reminders_written']} written so far")
    elif record["reminder_days"]:
        lines.append(f"Reminders written: {record['reminders_written']}")
    for i in record["invitees"]:
        if i["state"] == "not_submitted":
            lines.append(f"    not submitted: {i['name']}  (MST {i['tax_code'] or '-'}, folder «{i['folder']}»)")
    for d in record["not_invited_dossiers"] if invited else ():
        lines.append(f"    ? not on the invitation list: {d['receipt_no']}  {d['enterprise']}  (folder «{d['folder']}», "
                     f"MST {d['tax_code'] or '-'})")
    return lines + [""]
