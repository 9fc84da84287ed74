"""The rule set as frozen objects (components, criteria, campaign, notice and reminder rules); made by
`judging.rules`, read by every later stage; no behaviour beyond small derived properties."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


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
class EligibilityRules:
    """Eligibility the officer checks on paper (the rule file's `[eligibility]`); only ever hints."""

    min_operating_months: int = 36
    """Months of continuous operation required at the campaign deadline."""
    large_over_employees: int = 300
    """A "lớn" (large) enterprise has more employees than this; a "vừa và nhỏ" one at most this many."""


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
