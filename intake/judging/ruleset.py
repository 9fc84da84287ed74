"""The rule set as frozen objects (components, criteria, campaign, notice and reminder rules); made by
`judging.rules`, read by every later stage; no behaviour beyond small derived properties."""

from __future__ import annotations

import re

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
    short: tuple[str, ...] = ()
    """Short headings that name it only after its own number ("6. Quá trình", "Tiêu chí 1: Lãnh đạo")."""


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
    whole_years: bool = False
    """For "years": only a whole year covers it (a confirmation "đến hết tháng 6/2019", "6 tháng đầu năm 2019",
    "tính đến ngày 31/3/2019" does not cover 2019); a monitoring report of the first half does cover its year."""
    not_near: tuple[str, ...] = ()
    """For "years": folded phrases that hold a `near` phrase but say nothing of what is checked ("mã số thuế" in a
    social-insurance letter is no tax: audit 28), taken out before `near` is looked for."""
    dateless_headings: tuple[str, ...] = ()
    """For "years": phrases that, in a document's heading, make its date and number cover no year (an approval or
    registration of the plan, "GIẤY XÁC NHẬN ĐĂNG KÝ KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG" dated 2017, monitors nothing in 2017:
    audit 29); only the years its text names count."""
    planned_headings: tuple[str, ...] = ()
    """For "years": phrases that begin the heading of a document saying what is planned, not done ("KẾ HOẠCH QUAN
    TRẮC MÔI TRƯỜNG ĐỊNH KỲ NĂM 2018"): it covers no year, by its text or its date (audit 53)."""
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
    required_fields: tuple[str, ...] = ()
    """Fields of the registration form it is that must be filled in (`fields.FIELDS` ids): one left blank or not
    valid on a form read from text is an `incomplete_form` deficiency; on a scan, a hint to the officer."""
    form_labels: tuple[tuple[str, ...], ...] = ()
    """The fields of a form it is (folded wordings of each): a page whose lines begin with `form_min_labels` of them
    names it as a title does (a registration form whose title the scan cut off)."""
    form_min_labels: int = 0
    """How many of `form_labels` name it (0: never)."""
    term_titles: tuple[str, ...] = ()
    """Title phrases that name it only on a page that also holds one of `title_terms` (a laboratory's "PHIẾU KẾT QUẢ
    PHÂN TÍCH" is a monitoring result where it names wastewater, emissions or a VIMCERTS number)."""
    title_terms: tuple[str, ...] = ()
    """Folded phrases, one of which a page must hold for `term_titles` to name it."""
    other_subjects: tuple[str, ...] = ()
    """Folded phrases that, in the title lines of a page its title or header names, make the page something else of
    the same kind (the registration for another award: "Sao Vàng đất Việt", "Giải thưởng Chất lượng tỉnh")."""
    holder_name: bool = False
    """Whether a certificate of it whose first two pages name companies, none of them the enterprise (its form's
    name, or the former, English or trading name the form gives), is another company's and not this component:
    a parent corporation's, a supplier's, a namesake's."""
    holder_tax_code: bool = False
    """Whether a range of it that names tax codes ("Mã số thuế: …", "MST …"), valid ones, none of them the
    enterprise's (its form's), is another entity's document and not this component: a branch's, a similarly named
    company's (audit 28)."""
    campaign_year: bool = False
    """Whether a year its title lines name ("… GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2019") must be the campaign's
    (`Campaign.year`): a page naming another year is another document (last year's registration dropped in again,
    audit 26)."""
    expiry_labels: tuple[str, ...] = ()
    """Folded phrases after which a certificate copy of it gives the date it is valid until (an officer's hint
    when every one read is before the campaign deadline)."""


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
    count_late_files: bool = False
    """Whether files a dossier received on time gets after the deadline count (False: it is judged as it stood at
    the deadline, and the officer is told what came later)."""

    @property
    def year(self) -> int:
        """The award's year: the one its title or id names ("… năm 2020", "gtclqg-2020"), else the deadline's."""
        found = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", f"{self.title} {self.id}")
        return int(found.group(1)) if found else self.deadline.year

    def judged_as_of(self, received_at: datetime, now: datetime) -> datetime | None:
        """The moment a dossier first received at `received_at` is judged as of, at `now`: the deadline for one
        received on time once the deadline has passed (unless late files count); None: as it is now."""
        if self.count_late_files or received_at > self.deadline or now <= self.deadline:
            return None
        return self.deadline


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


LATE_TREATMENT = ("Hồ sơ nộp sau thời hạn vẫn được tiếp nhận và ghi nhận là nộp muộn; việc xem xét hồ sơ do Hội đồng "
                  "sơ tuyển quyết định.")
"""Default of `notices.late_treatment`."""


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
    approval: str = "none"
    """Who approves notices before they are e-mailed: "none" (they go out at once) or "leader"."""
    acknowledgement: bool = True
    """Send an acknowledgement of receipt (time received, files received) for every new dossier at once."""
    receipt: str = "complete"
    """When Mẫu 01 goes out: "complete" (when the dossier becomes complete, Nghị định 61/2018 Điều 19) or
    "first" (with the first notices, whatever the dossier's standing)."""
    late_treatment: str = LATE_TREATMENT
    """How a dossier received after the deadline (and not refused) is treated, printed on its notices."""
    share: str = ""
    """Where enterprises find their folder (a UNC path), printed before the folder name in Mẫu 02."""


RECEIPT_WHEN = ("complete", "first")
"""Values of `notices.receipt`."""


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
class HeaderRules:
    """What a page's header is made of (the rule file's `[recognition]` table), every phrase folded."""

    zone_lines: int = 24
    """Non-empty lines at the top of a page read as its header (after the noise before it)."""
    noise_prefixes: tuple[str, ...] = ()
    """Line beginnings that are no part of a header: e-signature stamps, received-mail stamps, a web page's table."""
    national: tuple[str, ...] = ()
    """Quốc hiệu and tiêu ngữ, removed wherever they stand (often merged on the issuer's line)."""
    types: tuple[str, ...] = ()
    """Document types that open a type line (longest first): "giay xac nhan", "quyet dinh", "certificate of …"."""
    not_types: tuple[str, ...] = ()
    """Line beginnings that are no type line though a type opens them ("don vi": "ĐƠN VỊ TƯ VẤN:" is no "ĐƠN")."""
    summary_prefixes: tuple[str, ...] = ()
    """Beginnings of a summary (trích yếu): "ve viec", "v/v"."""
    summary_stops: tuple[str, ...] = ()
    """Line beginnings that end a summary (the body begins): "kinh gui", "can cu"."""
    addressee_prefixes: tuple[str, ...] = ()
    """Beginnings of the addressee line: "kinh gui"."""
    summary_max_lines: int = 4
    """Lines a summary (or a cover's title) may run over."""


@dataclass(frozen=True)
class Naming:
    """How a header names one component (the component's `header_*` keys); types and symbols folded, phrases as
    written (they are shown to officers)."""

    component: str
    """Component id."""
    types: tuple[str, ...] = ()
    """Type lines that may name it ("cong van": a letter with no type line)."""
    summaries: tuple[str, ...] = ()
    """Phrases that, in the type and summary together, name it."""
    body_types: tuple[str, ...] = ()
    """Types whose body names it when the summary does not (a certificate: "This is to certify that the …")."""
    issuers: tuple[str, ...] = ()
    """Issuers whose documents of an allowed type are it even when the summary says nothing."""
    symbols: tuple[str, ...] = ()
    """Parts of the symbol after the number ("BHXH" in "12/BHXH-TCKT") that do the same."""


@dataclass(frozen=True)
class RecognitionRules:
    """The rule file's `[recognition]` table and every component's `header_*` keys."""

    header: HeaderRules = HeaderRules()
    """How a header is read."""
    namings: tuple[Naming, ...] = ()
    """How headers name each component, in component order."""
    cover_summaries: tuple[str, ...] = ()
    """Summaries of a letter that sends or registers the dossier: a cover letter."""
    cover_titles: tuple[str, ...] = ()
    """Beginnings of a line at the top of a page that lists the enclosed documents ("danh muc ho so")."""
    cover_types: tuple[str, ...] = ("cong van",)
    """Types (besides a letter's none) that a cover letter may bear."""
    cover_min_components: int = 3
    """A page enumerating this many different components is a cover letter."""
    unrelated_subjects: tuple[str, ...] = ()
    """Phrases that, in a page's heading or its first lines, name a subject no component is about ("môi trường lao
    động": the workplace, not the environment)."""
    unrelated_summaries: tuple[str, ...] = ()
    """Beginnings of a summary (after its "Về việc") that make a document none of the components, whatever subject
    it names: a request for a confirmation, a reminder to send a report, a penalty, a tax debt, guidance."""
    unrelated_titles: tuple[str, ...] = ()
    """Beginnings of a line at the top of a page with no header that make it a document of its own and none of the
    components: a tax portal's list of filed returns ("TRA CỨU TỜ KHAI") says what was declared, not that the
    obligations were met (audit 48: bound before the social-insurance letter, its years counted as confirmed)."""
    absence_phrases: tuple[str, ...] = ()
    """Phrases that make a short page the enterprise's note that a document is not there ("Công ty sẽ nộp bổ sung …
    sau khi được cấp"): a document of its own that is no component."""
    require_naming: bool = False
    """Whether a component needs a title or header naming it (key phrases and file names alone never do)."""


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
    recognition: RecognitionRules = field(default_factory=lambda: RecognitionRules())
    """How page headers are read and name components, and what a cover letter is."""

    def component(self, component_id: str) -> Component:
        """The component with this id (KeyError if none)."""
        for c in self.components:
            if c.id == component_id:
                return c
        raise KeyError(component_id)
