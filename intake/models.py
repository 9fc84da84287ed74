"""The shared vocabulary of every stage: a dossier's files, pages, components' evidence, deficiencies and the
verdict, officers' decisions, outgoing notices and invitees; frozen data, no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Problem:
    """Why a file could not be used: becomes a deficiency, never an exception."""

    code: str
    """Deficiency code (`unreadable_file`, `unsupported_format`, `illegible`)."""
    reason: str
    """Vietnamese reason fit for the enterprise ("tệp được bảo vệ bằng mật khẩu")."""


@dataclass(frozen=True)
class SealMark:
    """What the seal detector saw on one page image (cached by SHA-256 and page; `reading.seal_marks`)."""

    found: bool
    """A red seal is on the page."""
    colour: bool = True
    """The page is in colour (False: grayscale, so a red seal could not be seen at all)."""
    box: tuple[float, float, float, float] | None = None
    """Where: left, top, right, bottom as fractions of the page's width and height."""
    score: float = 0.0
    """How ring-like the best candidate is (≥ 1 when found)."""


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
    doubtful: tuple[str, ...] = ()
    """Words OCR read with a confidence under `reading.ocr.DOUBTFUL_BELOW` (a contact in them is not trusted)."""
    seal: SealMark | None = None
    """What the seal detector saw on the image OCR read (kept with the extraction); None where no image was at
    hand in colour or gray as scanned (text pages, pages rendered for OCR, pages read before)."""
    photo: bool = False
    """OCR'd from a camera photograph, not a scan (`reading.extract.camera_photo`): Tesseract reads a photo's
    digits wrong with confidence ("…220" for "…223"), so a contact read from it is never trusted alone."""
    captions: tuple[str, ...] = ()
    """Lines of `text` the enterprise typed in Word around the scans it pasted on this page, where they are only a
    caption (`reading.extract.CAPTION_LINES`): what it says the pictures are, not what they show (audit 51: "Văn
    bản xác nhận của Bảo hiểm xã hội (các năm 2017, 2018, 2019)" above a letter confirming 2018 and 2019)."""


@dataclass(frozen=True)
class Extraction:
    """Everything read from one file's bytes; cached by their SHA-256."""

    kind: str
    """Detected content type: pdf, docx, jpeg, png, tiff, doc, zip, empty, unknown."""
    pages: tuple[Page, ...]
    """Pages in order (empty when unreadable)."""
    problem: Problem | None = None
    """Set when the file as a whole cannot be used."""
    enclosed: tuple[str, ...] = ()
    """Names of the files carried inside this one and not read (a PDF's attachments, its portfolio's files), as
    cleaned for display (`reading.enclosed`); their pages are in no component until they are sent on their own."""


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


@dataclass(frozen=True)
class Evidence:
    """Why a document was recognised: one phrase found."""

    kind: str
    """"title", "keyword", "filename", or "sequence" (an image continuing the document of the image named in
    `phrase`, the one before it in a run of images named in sequence); "header" (`phrase`: a document's header as
    an officer cites it) and "cover_letter" (`phrase`: why the range is a cover letter) decide nothing; "officer"
    (`phrase`: "officer: note") marks a range an officer assigned; "criteria" (`phrase`: the criteria's numbers,
    "1, 2, 3, 4, 5, 6, 7") recognises a range with no title by the criteria it addresses under headings."""
    phrase: str
    """The rule phrase matched."""
    page: int
    """Page (1-based) where found; 0 for the file name."""
    score: float
    """Fuzzy score 0-100."""


@dataclass(frozen=True)
class DocumentHeader:
    """The header of a document as read at the top of a page; every field as written (NFC), "" when absent."""

    issuer: tuple[str, ...] = ()
    """Issuing agency or company, one entry per line ("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH BẮC GIANG")."""
    number: str = ""
    """Number and symbol as written after "Số:" ("1532/CTBGI-KK"; "/GXN-CTBGI" when left blank)."""
    symbol: str = ""
    """The symbol after the number's first slash ("CTBGI-KK"), telling issuer and kind."""
    place: str = ""
    """Place name before the date ("Bắc Giang")."""
    date: str = ""
    """Date as d/m/yyyy (m/yyyy on a report cover or when the day was left blank)."""
    type: str = ""
    """Type line as written ("GIẤY XÁC NHẬN", "QUYẾT ĐỊNH", "BÁO CÁO"); "" for a letter (công văn) or none."""
    kind: str = ""
    """The rule file's folded type the type line was read as ("giay xac nhan", even from "GIÂY XÁC NHẠN");
    "cong van" for a letter; "" when no type was read."""
    summary: str = ""
    """Summary (trích yếu) or the rest of a title, its lines joined ("Về việc thực hiện nghĩa vụ thuế")."""
    addressee: str = ""
    """After "Kính gửi:"."""
    letter: bool = False
    """A công văn: a "V/v" summary under the number and no type line."""
    skipped: int = 0
    """Lines of noise skipped before the header (signature stamps, a web page's table)."""

    @property
    def found(self) -> bool:
        """Whether anything of a header was read."""
        return bool(self.type or self.summary or self.number or self.letter)


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
    """The phrases that decided it (and "header" evidence: each document's header as read)."""
    header: DocumentHeader | None = None
    """The header read on the first page of the range that has one (None: none read)."""
    cover_letter: bool = False
    """A cover letter, or any page listing several components: recorded, never counted (`component` is None)."""

    @property
    def role(self) -> str:
        """"component", "cover_letter" or "unrecognised" (pages recognised as nothing)."""
        if self.cover_letter:
            return "cover_letter"
        return "component" if self.component is not None else "unrecognised"

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
    as_of: datetime | None = None
    """The moment its files were taken as of (the deadline, for a dossier received on time once it has passed);
    None: as they are now."""


@dataclass(frozen=True, kw_only=True)
class OfficerDecision:
    """What every officer's decision keeps: who took it, why and when, and whether, when, by whom and why it was
    undone. Nothing is deleted: an undone decision stays, closed."""

    officer: str
    """Who decided (as signed in on the desk, or as typed on the command line)."""
    note: str
    """Why; for a rejected component, the reason sent to the enterprise."""
    at: datetime
    """When it was recorded (service clock)."""
    id: int = 0
    """Row id (0 before it is stored)."""
    undone_at: datetime | None = None
    """When it stopped applying (undone, or a component's decision replaced by a newer one); None while it applies."""
    undone_by: str | None = None
    """Who undid or replaced it."""
    undo_note: str | None = None
    """Why it was undone ("thay bằng quyết định mới" when replaced)."""

    @property
    def active(self) -> bool:
        """Whether the decision still applies."""
        return self.undone_at is None


@dataclass(frozen=True)
class Override(OfficerDecision):
    """An officer's decision on one component of one dossier, taking precedence over recognition."""

    component: str
    """Component id the decision is about."""
    decision: str
    """"accept" (counts as present, content checks waived) or "reject" (counts as missing)."""


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
