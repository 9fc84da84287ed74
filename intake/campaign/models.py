"""Where the campaign stands: reminder rounds and reminders due, each dossier's and invitee's standing;
frozen data, no behaviour beyond small derived properties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from ..judging import Contact
from ..models import Deficiency, Invitee



class ComponentState(Protocol):
    """What the campaign reads of a dossier's component on the desk."""

    @property
    def id(self) -> str: ...
    @property
    def state(self) -> str: ...


class DossierView(Protocol):
    """What the campaign reads of a dossier as the desk shows it (`desk.DossierSheet` is one)."""

    @property
    def receipt_no(self) -> str: ...
    @property
    def folder(self) -> str: ...
    @property
    def contact(self) -> Contact: ...
    @property
    def status(self) -> str: ...
    @property
    def late(self) -> bool: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def deficiencies(self) -> tuple[Deficiency, ...]: ...
    @property
    def components(self) -> Sequence[ComponentState]: ...


@dataclass(frozen=True)
class ReminderRound:
    """One day of the reminder schedule."""

    days_before: int
    """The rule's figure: this many (working) days before the deadline."""
    day: date
    """The date it falls on."""
    at: datetime
    """The moment from which its reminders go out (campaign time zone)."""


@dataclass(frozen=True)
class Reminder:
    """What a reminder adds to a notice: how far the deadline is, and whether anything was submitted."""

    days_before: int
    """The round it belongs to."""
    days_left: int
    """Calendar days from the notice's date to the deadline's date."""
    working_days_left: int
    """Working days after the notice's date up to the deadline's date, inclusive."""
    submitted: bool
    """Whether a dossier was received (False: the enterprise is reminded to submit one)."""
    folder: str = ""
    """Folder the enterprise was told to use (for one that has not submitted)."""


@dataclass(frozen=True)
class DossierStanding:
    """A received dossier as the campaign calendar sees it: where it stands and whose it is."""

    receipt_no: str
    """Receipt number (mã hồ sơ)."""
    folder: str
    """Dossier folder name, NFC."""
    contact: Contact
    """Who submitted it, from its registration form (folder name until there is one)."""
    status: str
    """"complete", "incomplete" or "pending"."""
    late: bool
    """Received after the deadline."""
    received_at: datetime
    """When its first file was received."""
    deficiencies: tuple[Deficiency, ...] = ()
    """Deficiencies of its current verdict (what a reminder lists)."""
    missing: tuple[str, ...] = ()
    """Ids of required components missing or rejected."""
    invitee_id: int | None = None
    """The invitee it was matched to; None: unmatched (shown to the officer, never merged)."""
    matched_by: str = ""
    """"folder", "tax_code", "branch" (the dossier of a branch of the invitee) or "name"; "" when unmatched."""


@dataclass(frozen=True)
class InviteeStanding:
    """An invited enterprise and where it stands."""

    invitee: Invitee
    """The invitee."""
    state: str
    """"not_submitted", "incomplete" (includes not yet judged) or "complete"."""
    receipt_nos: tuple[str, ...] = ()
    """Receipt numbers of the dossiers matched to it."""
    late: bool = False
    """One of its dossiers was received after the deadline."""


@dataclass(frozen=True)
class CampaignStatus:
    """Where the campaign stands at one moment: invitees, dossiers, days left, reminders."""

    as_of: datetime
    """The moment described (service clock)."""
    deadline: datetime
    """The campaign deadline."""
    days_left: int
    """Calendar days from today to the deadline's date (0 on the day and after)."""
    working_days_left: int
    """Working days after today up to the deadline's date, inclusive (0 on the day and after)."""
    deadline_passed: bool
    """Whether the deadline is past."""
    invitees: tuple[InviteeStanding, ...] = ()
    """Every invitee, in import order."""
    dossiers: tuple[DossierStanding, ...] = ()
    """Every received dossier, in receipt order."""
    rounds: tuple[ReminderRound, ...] = ()
    """The reminder schedule, earliest first."""
    reminders_written: int = 0
    """Reminders written so far."""
    closed_at: datetime | None = None
    """When an officer closed intake (`intake close`); None while open."""
    forward_late: bool = False
    """Whether the list forwarded at closing includes complete dossiers received late (`close --include-late`)."""

    @property
    def unmatched(self) -> tuple[DossierStanding, ...]:
        """Dossiers that match no invitee."""
        return tuple(d for d in self.dossiers if d.invitee_id is None)

    @property
    def next_round(self) -> ReminderRound | None:
        """The next reminder day still to come, if any."""
        return next((r for r in self.rounds if r.at > self.as_of and r.at <= self.deadline), None)

    @property
    def counts(self) -> dict[str, int]:
        """The figures officers read first."""
        complete = sum(1 for d in self.dossiers if d.status == "complete")
        return {
            "invited": len(self.invitees),
            "invited_not_submitted": sum(1 for i in self.invitees if i.state == "not_submitted"),
            "received": len(self.dossiers),
            "submitted_incomplete": len(self.dossiers) - complete,
            "complete": complete,
            "late": sum(1 for d in self.dossiers if d.late),
            "not_invited": len(self.unmatched),
        }


@dataclass(frozen=True)
class ReminderDue:
    """A reminder to write now: one round, one enterprise (an invitee or a dossier)."""

    round: ReminderRound
    """The round it belongs to."""
    target: str
    """Who, stably across restarts: "dossier:<receipt number>" or "invitee:<id>"."""
    invitee: Invitee | None = None
    """The invitee (for a dossier: the one it was matched to, if any)."""
    dossier: DossierStanding | None = None
    """The incomplete dossier; None when the invitee has submitted nothing."""
