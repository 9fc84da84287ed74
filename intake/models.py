"""Frozen data passed between the pipeline's stages; no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


# ---- rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One of the award's criteria that a self-assessment must address."""

    number: int
    """Its number (1-7)."""
    points: int
    """Its weight in the 1,000-point scale."""
    names: tuple[str, ...]
    """Every wording that names it (current first), in Vietnamese."""


@dataclass(frozen=True)
class Check:
    """A content check on the text of the files recognised as one component."""

    kind: str
    """"criteria" (every criterion is addressed) or "years" (every year is covered)."""
    code: str
    """The deficiency code raised when the check fails."""
    label: str = ""
    """Vietnamese name of what is checked, used in the deficiency message ("kết quả quan trắc môi trường")."""
    near: tuple[str, ...] = ()
    """For "years": phrases of which one must stand within two lines of the year."""
    years: tuple[int, ...] = ()
    """For "years": the years that must each be covered."""
    criteria: tuple[Criterion, ...] = ()
    """For "criteria": the criteria that must each be addressed."""


@dataclass(frozen=True)
class Component:
    """One component (thành phần hồ sơ) a dossier may or must contain."""

    id: str
    """Stable identifier used in reports and the JSON contract."""
    title: str
    """Vietnamese title shown to enterprises and officers."""
    required: bool
    """Whether its absence is a `missing_document` deficiency."""
    titles: tuple[str, ...]
    """Phrases that, at the top of a page, name this component."""
    keywords: tuple[str, ...] = ()
    """Phrases that, anywhere in the text, support this component."""
    filename_hints: tuple[str, ...] = ()
    """Folded fragments of file names that weakly support this component."""
    sealed: bool = False
    """Whether the component must be signed and sealed (evidence only unless a rule requires it)."""
    checks: tuple[Check, ...] = ()
    """Content checks run on the text of the files recognised as this component."""
    seal_required: bool = False
    """Whether a range of it in colour on which no red seal is seen is a `missing_seal` deficiency."""


@dataclass(frozen=True)
class Classification:
    """How documents are recognised; all scores are 0-100 on diacritic-folded text."""

    ignore_line_prefixes: tuple[str, ...]
    """Folded line beginnings never read as a title (a cover letter's "v/v" subject)."""
    title_zone_lines: int
    """Non-empty lines at the top of a page in which a title is looked for."""
    min_phrase_score: float
    """Fuzzy score from which a phrase counts as present."""
    title_points: int
    """Points for a title phrase found in the title zone."""
    keyword_points: int
    """Points per key phrase found."""
    keyword_points_max: int
    """Cap on the points from key phrases."""
    filename_points: int
    """Points for a file-name hint."""
    min_points: int
    """Points from which a document is recognised as a component."""
    min_confidence: float = 45.0
    """Mean OCR word confidence (0-100) below which a page is illegible."""


@dataclass(frozen=True)
class Campaign:
    """The intake campaign a rule file describes."""

    id: str
    """Short identifier, e.g. "gtclqg-2020"."""
    title: str
    """Vietnamese title."""
    procedure: str
    """Name of the administrative procedure."""
    procedure_code: str
    """National procedure code (2.001269)."""
    deadline: datetime
    """Last moment a dossier is received on time (time-zone aware)."""
    receipt_pattern: str
    """str.format pattern of receipt numbers with {year} {month} {day} {seq}."""


@dataclass(frozen=True)
class Agency:
    """The receiving agency, as printed on notices."""

    name: str
    """Agency name (upper case)."""
    parent: str
    """Governing body printed above the agency name."""
    place: str
    """Place name used in dates ("Bắc Giang, ngày …")."""
    contact: str
    """Where an enterprise gets guidance."""
    address: str = ""
    """Postal address, printed on notices."""
    phone: str = ""
    """Telephone, printed on notices."""
    email: str = ""
    """E-mail address enterprises may reply to (Reply-To of e-mailed notices)."""
    abbreviation: str = ""
    """Short name in document numbers ("TĐC" in "Số: 01/TB-TĐC")."""


@dataclass(frozen=True)
class NoticeRules:
    """How notices are dated, worded and signed (the rule file's `[notices]`)."""

    supplement_working_days: int = 5
    """Working days an enterprise has to supplement a deficient dossier (never past the campaign deadline)."""
    refuse_late: bool = False
    """Whether a dossier received after the deadline is refused (Mẫu 03) rather than received and flagged late."""
    holidays: tuple[date, ...] = ()
    """Public holidays (besides Saturdays and Sundays) that are not working days."""
    officer: str = ""
    """Name of the receiving officer who signs forms 01-03 (blank: signed by hand)."""
    signer_name: str = ""
    """Name of the official who signs letters (the notice that a dossier is complete)."""
    signer_title: tuple[str, ...] = ("CHI CỤC TRƯỞNG",)
    """Authority and title lines of that official ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")."""
    result_due: date | None = None
    """Date by which results are returned, printed on the receipt (None: not printed)."""
    result_method: str = "Tại Bộ phận tiếp nhận và trả kết quả hoặc qua thư điện tử"
    """How results are returned, printed on the receipt."""
    register_book: str = ""
    """Number of the tracking book (quyển số) printed on the receipt."""
    supplement_how: str = "Tổ chức, doanh nghiệp bổ sung tài liệu vào thư mục hồ sơ đã nộp."
    """How an enterprise supplements its dossier."""
    complete_text: str = "Hồ sơ đã đầy đủ thành phần theo quy định."
    """Body of the notice that a dossier is complete."""
    refusal_reason: str = "Hồ sơ được nộp sau thời hạn tiếp nhận ({deadline})."
    """Reason printed on a refusal; {deadline} is replaced by the campaign deadline."""
    copies_to: tuple[str, ...] = ("Như trên;", "Lưu: VT.")
    """"Nơi nhận" lines of letters besides the enterprise."""


@dataclass(frozen=True)
class RuleSet:
    """A whole parsed rule file."""

    source: str
    """Where it was loaded from (for messages)."""
    campaign: Campaign
    """The campaign."""
    agency: Agency
    """The receiving agency."""
    classification: Classification
    """Recognition settings."""
    components: tuple[Component, ...]
    """Components in their official order."""
    notices: NoticeRules = NoticeRules()
    """How notices are dated, worded and signed."""
    reminders: ReminderRules = field(default_factory=lambda: ReminderRules())
    """When enterprises are reminded of the deadline (the campaign calendar)."""
    eligibility: EligibilityRules = field(default_factory=lambda: EligibilityRules())
    """What the officer is told to check about an enterprise's eligibility (hints, never deficiencies)."""

    def component(self, component_id: str) -> Component:
        """The component with this id (KeyError if none)."""
        for c in self.components:
            if c.id == component_id:
                return c
        raise KeyError(component_id)


# ---- extraction ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Why a file could not be used: becomes a deficiency, never an exception."""

    code: str
    """Deficiency code (`unreadable_file`, `unsupported_format`, `illegible`)."""
    reason: str
    """Vietnamese reason fit for the enterprise ("tệp được bảo vệ bằng mật khẩu")."""


@dataclass(frozen=True)
class Page:
    """The text of one page (or picture) of a file."""

    number: int
    """1-based page number within the file."""
    text: str
    """NFC text."""
    method: str
    """How it was obtained: "text" (PDF text layer), "docx", or "ocr"."""
    confidence: float | None = None
    """Mean OCR word confidence 0-100; None when not OCR'd."""


@dataclass(frozen=True)
class Extraction:
    """Everything read from one file's bytes; cached by their SHA-256."""

    kind: str
    """Detected content type: pdf, docx, jpeg, png, tiff, doc, zip, empty, unknown."""
    pages: tuple[Page, ...]
    """Pages in order (empty when unreadable)."""
    problem: Problem | None = None
    """Set when the file as a whole cannot be used."""


@dataclass(frozen=True)
class ReceivedFile:
    """A file of a dossier as the classifier sees it."""

    path: str
    """Path relative to the dossier folder, NFC, with forward slashes."""
    sha256: str
    """Content hash."""
    received_at: datetime
    """Service clock when it was ingested."""
    extraction: Extraction
    """Its text."""


# ---- classification and verdict ------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why a document was recognised: one phrase found."""

    kind: str
    """"title", "keyword", "filename", or "sequence" (an image continuing the document of the image named in
    `phrase`, the one before it in a run of images named in sequence)."""
    phrase: str
    """The rule phrase matched."""
    page: int
    """Page (1-based) where found; 0 for the file name."""
    score: float
    """Fuzzy score 0-100."""


@dataclass(frozen=True)
class Match:
    """A page range of a file recognised as one component (or as none)."""

    file: str
    """Path of the file relative to the dossier folder."""
    first_page: int
    """First page of the range (1-based)."""
    last_page: int
    """Last page of the range."""
    page_count: int
    """Pages in the whole file (to tell a range from the whole file)."""
    component: str | None
    """Recognised component id, or None (cover letter, photo, unrelated)."""
    points: float
    """Score of the recognised component."""
    evidence: tuple[Evidence, ...] = ()
    """The phrases that decided it."""

    @property
    def label(self) -> str:
        """The file, with its page range when it is only part of the file ("Ho so.pdf#p3-5")."""
        if self.first_page == 1 and self.last_page >= self.page_count:
            return self.file
        if self.first_page == self.last_page:
            return f"{self.file}#p{self.first_page}"
        return f"{self.file}#p{self.first_page}-{self.last_page}"


@dataclass(frozen=True)
class Deficiency:
    """One thing wrong with a dossier, with a Vietnamese message fit to send to the enterprise."""

    code: str
    """Stable code (see README)."""
    message: str
    """Vietnamese message."""
    document: str | None = None
    """Component id concerned, if any."""
    file: str | None = None
    """File concerned (relative path), if any."""

    @property
    def key(self) -> str:
        """Identity across evaluations (opened once, resolved once)."""
        return f"{self.code}|{self.document or ''}|{self.file or ''}|{self.message}"


@dataclass(frozen=True)
class Verdict:
    """The completeness verdict on a whole dossier."""

    status: str
    """"complete" or "incomplete"."""
    late: bool
    """Received after the campaign deadline."""
    documents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Component id → labels of the files (or page ranges) recognised as it."""
    missing: tuple[str, ...] = ()
    """Required component ids with no document."""
    deficiencies: tuple[Deficiency, ...] = ()
    """Every deficiency, in component order."""
    matches: tuple[Match, ...] = ()
    """Every classified range with its evidence."""


# ---- the officers' desk: overrides, search, reports ----------------------------------------------


@dataclass(frozen=True)
class Override:
    """An officer's decision on one component of one dossier, taking precedence over recognition."""

    component: str
    """Component id the decision is about."""
    decision: str
    """"accept" (counts as present, content checks waived) or "reject" (counts as missing)."""
    officer: str
    """Who decided (as typed on the command line)."""
    note: str
    """Why; for a rejection, the reason sent to the enterprise."""
    at: datetime
    """When it was recorded (service clock)."""
    id: int = 0
    """Row id (0 before it is stored)."""
    undone_at: datetime | None = None
    """When it stopped applying (undone, or replaced by a newer decision); None while it applies."""
    undone_by: str | None = None
    """Who undid or replaced it."""
    undo_note: str | None = None
    """Why it was undone (or "thay bằng quyết định mới" when replaced)."""

    @property
    def active(self) -> bool:
        """Whether the decision still applies."""
        return self.undone_at is None


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
class Contact:
    """Who submitted a dossier, as the registration form states (folder name until it is read)."""

    enterprise: str
    """Enterprise name."""
    address: str = ""
    """Head-office address."""
    phone: str = ""
    """Telephone."""
    email: str = ""
    """E-mail."""
    representative: str = ""
    """Legal representative."""
    tax_code: str = ""
    """Tax code (mã số thuế) as written on the form."""


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
    """"present", "accepted" (by an officer), "rejected" (by an officer), "missing" (required) or "absent"."""
    files: tuple[str, ...]
    """Labels of the files (or page ranges) recognised as it."""
    recognitions: tuple[Recognition, ...]
    """Why each of those files was recognised."""
    override: Override | None = None
    """The officer's decision in force, if any."""


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


# ---- notices and their delivery --------------------------------------------------------------------


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
    """When the dossier was first received."""
    issued_at: datetime
    """Date of the notice."""
    late: bool = False
    """The dossier was received after the campaign deadline."""
    documents: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Components received, in official order: (component id, labels of the files that are it)."""
    other_files: tuple[str, ...] = ()
    """Files received that are no component (cover letter, photos)."""
    deficiencies: tuple[Deficiency, ...] = ()
    """What to supplement or correct (deficiency notice), or remarks (complete notice)."""
    supplement_by: date | None = None
    """Last day to supplement (deficiency notice)."""
    reminder: Reminder | None = None
    """How far the deadline is and whether anything was submitted (reminder only)."""


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


@dataclass(frozen=True)
class Outgoing:
    """A notice due for e-mail delivery, as the outbox holds it."""

    id: int
    """Notice row id."""
    dossier_id: int
    """Its dossier."""
    folder: str
    """The dossier folder (key of the contacts file)."""
    receipt_no: str
    """Receipt number of the dossier."""
    kind: str
    """Kind of notice."""
    path: str
    """DOCX path relative to the outbox."""
    document_sha256: str
    """Hash of the DOCX as written (what is attached must be exactly this)."""
    subject: str
    """E-mail subject."""
    body: str
    """E-mail text."""
    address: str | None
    """E-mail address read from the dossier's registration form, if any."""
    attempts: int
    """Delivery attempts so far."""
    resends: int
    """Times an officer asked for it to be sent again after it was sent."""


@dataclass(frozen=True)
class SendOutcome:
    """What became of one attempt to e-mail a notice."""

    state: str
    """"sent", "retry" (not delivered; try again later) or "unconfirmed" (may have been delivered)."""
    detail: str = ""
    """Server reply or error, for the officer."""
    unreachable: bool = False
    """The server could not be reached at all (the other notices of the pass wait too)."""


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


# ---- the campaign calendar: invitations, reminders, closing ------------------------------------------


@dataclass(frozen=True)
class ReminderRules:
    """When enterprises are reminded of the deadline (the rule file's `[reminders]`)."""

    days_before: tuple[int, ...] = ()
    """Days before the deadline on which reminders go out, e.g. (7, 2); empty: no reminders."""
    working_days: bool = True
    """Count `days_before` in working days (weekends and public holidays skipped), not calendar days."""
    send_time: time = time(8, 0)
    """Time of day (campaign time zone) from which a reminder day's reminders go out."""
    holiday_calendar: str = "VN"
    """Country whose public holidays (the `holidays` package) are not working days, besides
    `notices.holidays`; "" for the rule file's list only."""


@dataclass(frozen=True)
class Invitee:
    """An enterprise invited to take part, as the invitation list names it."""

    name: str
    """Enterprise name, NFC."""
    tax_code: str = ""
    """Tax code (mã số thuế), digits and "-" only; "" when the list gives none."""
    email: str = ""
    """E-mail address reminders go to until a registration form gives one."""
    phone: str = ""
    """Telephone."""
    folder: str = ""
    """Folder of the shared folder the enterprise was told to use, NFC."""
    address: str = ""
    """Postal address."""
    id: int = 0
    """Row id (0 before it is stored)."""
    imported_at: datetime | None = None
    """When it was first imported (service clock)."""


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
    """"folder", "tax_code" or "name"; "" when unmatched."""


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


# ---- reading a dossier as an officer does: the registration form, seals, hints --------------------------


@dataclass(frozen=True)
class EligibilityRules:
    """Eligibility the officer checks on paper (the rule file's `[eligibility]`); only ever hints."""

    min_operating_months: int = 36
    """Months of continuous operation required at the campaign deadline."""
    large_over_employees: int = 300
    """A "lớn" (large) enterprise has more employees than this; a "vừa và nhỏ" one at most this many."""


@dataclass(frozen=True)
class RegistrationField:
    """One field of the registration form as read, with whether it could be trusted."""

    name: str
    """Field id: enterprise, address, phone, email, tax_code, representative, category, employees, founded."""
    value: str = ""
    """The value (normalised where validated: tax code digits, ISO date, category wording); "" if missing."""
    status: str = "missing"
    """"ok", "missing" (no such line, or left blank) or "invalid" (present but unreadable or failing validation)."""
    note: str = ""
    """Vietnamese explanation for the officer when not "ok" (or how the value was normalised)."""
    raw: str = ""
    """The text as read from the form (for "invalid": what the officer should look at)."""


@dataclass(frozen=True)
class Registration:
    """The registration form's fields, each with its status; every field is present, "missing" if not read."""

    fields: tuple[RegistrationField, ...]
    """In the order of `fields.FIELDS`."""
    source: str | None = None
    """Label of the file (or page range) the form was read from; None when the dossier has no form."""

    def field(self, name: str) -> RegistrationField:
        """The field with this id (a "missing" one if unknown)."""
        return next((f for f in self.fields if f.name == name), RegistrationField(name))

    def value(self, name: str) -> str:
        """The value of a field that is "ok", else ""."""
        found = self.field(name)
        return found.value if found.status == "ok" else ""


@dataclass(frozen=True)
class SealMark:
    """What the seal detector saw on one page image (cached by SHA-256 and page)."""

    found: bool
    """A red seal is on the page."""
    colour: bool = True
    """The page is in colour (False: grayscale, so a red seal could not be seen at all)."""
    box: tuple[float, float, float, float] | None = None
    """Where: left, top, right, bottom as fractions of the page's width and height."""
    score: float = 0.0
    """How ring-like the best candidate is (≥ 1 when found)."""


@dataclass(frozen=True)
class SealFinding:
    """Whether a seal was seen on one range recognised as a component that must be sealed."""

    component: str
    """Component id."""
    file: str
    """Label of the file or page range."""
    found: bool
    """A seal was seen on one of its pages."""
    page: int | None = None
    """The page it was seen on."""
    box: tuple[float, float, float, float] | None = None
    """Where on that page (fractions of width and height)."""
    colour: bool = True
    """At least one of its pages is in colour (False: no seal could be seen either way)."""


@dataclass(frozen=True)
class Hint:
    """Something the officer should look at (eligibility, a seal not seen): never a deficiency, never sent."""

    code: str
    """Stable code (see README)."""
    message: str
    """Vietnamese message for the officer."""
    document: str | None = None
    """Component id concerned, if any."""
    file: str | None = None
    """File (or page range) concerned, if any."""
