"""Frozen data passed between the pipeline's stages; no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
    """"title", "keyword" or "filename"."""
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
