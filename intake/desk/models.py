"""The officers' view of every dossier as frozen data (the Desk and its sheets); no behaviour beyond small
derived properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..campaign import CampaignStatus
from ..judging import Assignment, Contact
from ..judging import Agency, Campaign, Component
from ..models import Deficiency, Evidence, Override


@dataclass(frozen=True)
class SearchHit:
    """One page of one dossier's file matching a search."""

    receipt_no: str
    """Receipt number of the dossier."""
    folder: str
    """Dossier folder name."""
    file: str
    """Path of the file relative to the dossier folder."""
    page: int
    """1-based page number within the file."""
    snippet: str
    """Original text around the match, the matched words between «» (no diacritics removed)."""
    current: bool
    """Whether this file version is the current one (False: replaced by a newer upload)."""


@dataclass(frozen=True)
class Recognition:
    """One file (or page range) recognised as a component, with the phrases that decided it."""

    label: str
    """File path, with "#pN-M" when only a page range is the component."""
    component: str | None
    """Component id, None when the file is no component (cover letter, photo)."""
    points: float
    """Recognition score."""
    evidence: tuple[Evidence, ...] = ()
    """Phrases found, best first as classification recorded them."""


@dataclass(frozen=True)
class DeficiencyEntry:
    """A deficiency as its history records it."""

    code: str
    """Stable code."""
    message: str
    """Vietnamese message."""
    document: str | None
    """Component id concerned, if any."""
    file: str | None
    """File concerned, if any."""
    opened_at: datetime
    """When it was first found."""
    resolved_at: datetime | None
    """When it disappeared (None while open)."""


@dataclass(frozen=True)
class NoticeEntry:
    """A notice written to the outbox."""

    kind: str
    """"deficiency" (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."""
    path: str
    """Path relative to the outbox."""
    created_at: datetime
    """When it was written."""
    state: str = ""
    """Delivery state as the notices table records it ("written", "pending", "sent", …)."""
    problem: str = ""
    """Why a `failed` or `unconfirmed` notice was not delivered, as recorded (a refused address is named)."""


@dataclass(frozen=True)
class ComponentEntry:
    """How one component of the rules stands in one dossier."""

    id: str
    """Component id."""
    title: str
    """Vietnamese title."""
    required: bool
    """Whether the dossier must contain it."""
    state: str
    """"present", "accepted" (by an officer), "rejected" (by an officer), "resent" (rejected, then sent again: the new
    files judged in place of the rejected ones), "missing" (required) or "absent"."""
    files: tuple[str, ...]
    """Labels of the files (or page ranges) recognised as it."""
    recognitions: tuple[Recognition, ...]
    """Why each of those files was recognised."""
    override: Override | None = None
    """The officer's decision in force, if any."""


@dataclass(frozen=True)
class FolderEvent:
    """Something that happened to a dossier's folder or files in the shared folder that an officer should know
    (a file replaced, the folder renamed, a look-alike folder, two files named alike)."""

    at: datetime
    message: str
    """Vietnamese, for officers."""


@dataclass(frozen=True)
class DossierSheet:
    """Everything the reports show about one dossier."""

    number: int
    """STT in the tracking register (receipt order, from 1)."""
    folder: str
    """Dossier folder name, NFC."""
    receipt_no: str
    """Receipt number (mã hồ sơ)."""
    received_at: datetime
    """When its first file was received."""
    status: str
    """"complete", "incomplete" or "pending" (not judged yet)."""
    late: bool
    """Received after the deadline."""
    contact: Contact
    """Who submitted it."""
    components: tuple[ComponentEntry, ...]
    """Every component of the rules, in official order."""
    deficiencies: tuple[Deficiency, ...]
    """Deficiencies of the current verdict."""
    history: tuple[DeficiencyEntry, ...]
    """Every deficiency ever opened, resolved ones included."""
    notices: tuple[NoticeEntry, ...]
    """Notices written, oldest first."""
    overrides: tuple[Override, ...]
    """Every officer decision ever recorded, oldest first (undone ones included)."""
    recognitions: tuple[Recognition, ...]
    """Every classified file or page range, component or not."""
    events: tuple[FolderEvent, ...] = ()
    """What happened to its folder and files in the shared folder, oldest first."""
    assignments: tuple[Assignment, ...] = ()
    """Every page range an officer assigned to a component, oldest first (undone ones included)."""


@dataclass(frozen=True)
class Desk:
    """The whole officers' view at one moment: what every report renders."""

    campaign: Campaign
    """The campaign."""
    agency: Agency
    """The receiving agency."""
    components: tuple[Component, ...]
    """Components in official order."""
    generated_at: datetime
    """When the view was read (service clock)."""
    dossiers: tuple[DossierSheet, ...]
    """Every dossier in receipt order."""
    campaign_status: CampaignStatus | None = None
    """Invited enterprises, who has not submitted, days left (the campaign calendar); None when not read."""
    loose_files: tuple[str, ...] = ()
    """Names of what lies at the inbox's top level, in no dossier's folder: never received (audit 30)."""
