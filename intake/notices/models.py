"""Notices and their delivery as frozen data (a notice, the mail settings, what a send and a pass gave);
no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..campaign import Reminder
from ..judging import Contact
from ..models import Deficiency, Match


@dataclass(frozen=True)
class Notice:
    """What one notice to an enterprise says, independent of its layout."""

    kind: str
    """"receipt" (Mẫu 01), "deficiency" (Mẫu 02), "complete" or "refusal" (Mẫu 03)."""
    number: str
    """Number and symbol printed after "Số:" ("03/PYCBS-TĐC")."""
    receipt_no: str
    """Receipt number of the dossier (mã hồ sơ)."""
    register_no: int
    """Its number (STT) in the tracking register (Mẫu 06)."""
    contact: Contact
    """Who submitted the dossier."""
    received_at: datetime
    """When the dossier was first received; on Mẫu 01 of a complete dossier, when it was received in full."""
    issued_at: datetime
    """Date of the notice."""
    late: bool = False
    """The dossier was received after the campaign deadline."""
    documents: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Components received, in official order: (component id, labels of the files that are it)."""
    other_files: tuple[str, ...] = ()
    """Files received that are no component (cover letter, photos), as shown: each once, with the pages that are
    none where others of it are ("Hồ sơ.pdf (trang 4, 7–8)": `rows.unplaced_pages`)."""
    deficiencies: tuple[Deficiency, ...] = ()
    """What to supplement or correct (deficiency notice), or remarks (complete notice)."""
    supplement_by: date | None = None
    """Last day to supplement (deficiency notice)."""
    reminder: Reminder | None = None
    """How far the deadline is and whether anything was submitted (reminder only)."""
    folder: str = ""
    """The dossier's folder in the share (where the enterprise puts what it sends)."""
    files: tuple[str, ...] = ()
    """Every file received, as the enterprise named it (the acknowledgement lists them)."""
    matches: tuple[Match, ...] = ()
    """Which file (page range) went to which component (Mẫu 02 names the file it checked)."""
    late_files: tuple[str, ...] = ()
    """Of the files a supplement acknowledges, those received after the deadline and not counted."""
    repeats: tuple[tuple[str, str], ...] = ()
    """Of the files a supplement acknowledges, those whose bytes came before under another name (new name, the
    name they came under first): nothing new."""
    revised: tuple[tuple[str, str], ...] = ()
    """Files sent again corrected under their own name: (the file set aside, the corrected one the checks read
    instead). Lists name both as such."""
    replaced: tuple[tuple[str, datetime, datetime], ...] = ()
    """Files overwritten under the same name by other bytes, which the dossier is judged on again: (name, when the
    version it replaced was received, when the new one was)."""
    withdraws: tuple[str, str, date] | None = None
    """A request's: the notice that said the dossier was complete (kind, number, date), newer than any request the
    enterprise was given, which this one replaces."""
    replaces: tuple[str, date] | None = None
    """The request to supplement this one replaces (its number and date): the newest one the enterprise was given."""
    standing: tuple[str, date] | None = None
    """A supplement's receipt: the request still in force, the supplement having changed nothing it asks."""
    first_received_at: datetime | None = None
    """On Mẫu 01 of a dossier completed by later files: when it was first received (`received_at` is when in full)."""


@dataclass(frozen=True)
class SendOutcome:
    """What became of one attempt to e-mail a notice."""

    state: str
    """"sent", "retry" (not delivered; try again later), "refused" (a permanent 5xx for the address or the message:
    never tried again by itself) or "unconfirmed" (the connection broke after the end of data: may have been
    delivered)."""
    detail: str = ""
    """Server reply or error, for the officer."""
    unreachable: bool = False
    """The connection failed before the end of data (unreachable, dropped, silent): the pass stops and the other
    notices due wait too. An `unconfirmed` outcome stops the pass as well."""


@dataclass(frozen=True)
class DeliverySummary:
    """What one delivery pass did."""

    sent: int = 0
    """Notices e-mailed."""
    retrying: int = 0
    """Notices that failed this time and wait for their next attempt."""
    unconfirmed: int = 0
    """Notices whose delivery cannot be known (never sent again by themselves)."""
    failed: int = 0
    """Notices given up after their last attempt."""
    waiting: int = 0
    """Notices with no e-mail address yet."""
    left: int = 0
    """Notices due but left for the next pass (time budget spent, server unreachable)."""


@dataclass(frozen=True)
class MailSettings:
    """How notices are e-mailed: the SMTP server, the sender and the retry policy."""

    host: str
    """SMTP server."""
    sender: str
    """From address ("Chi cục TĐC Bắc Giang <tdc@example.gov.vn>")."""
    port: int = 25
    """SMTP port (587 with STARTTLS)."""
    starttls: bool = False
    """Upgrade the connection with STARTTLS before sending."""
    username: str = ""
    """Login name (empty: no login)."""
    password: str = field(default="", repr=False)
    """Login password."""
    timeout: float = 20.0
    """Seconds any one SMTP exchange may take."""
    retry_base_seconds: float = 60.0
    """Wait after the first failed attempt; doubled after each further one."""
    retry_max_seconds: float = 3600.0
    """Longest wait between two attempts."""
    max_attempts: int = 10
    """Attempts after which a notice is `failed` (an officer may resend it)."""
    pass_seconds: float = 30.0
    """Time after which a delivery pass starts no new message (intake goes on)."""
    contacts: str | None = None
    """CSV file (folder,email) whose addresses override the registration forms'."""
