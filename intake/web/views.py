"""What the desk's pages show, read from the store and the frozen Desk view: the dossier with its files, pages and
decisions, and one page in the viewer. Decides nothing (the verdict is the pipeline's) and renders no HTML."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ..desk import ComponentEntry, Desk, DossierSheet, split_label
from ..folding import fold
from ..judging import RuleSet, written_under_headings, years_a_page_covers
from ..notices import awaiting_approval
from ..store import DossierRow, Store
from .highlight import spans
from .queue import duplicate_lines

log = logging.getLogger(__name__)

FIELD_VI = {
    "enterprise": "Tên doanh nghiệp", "address": "Địa chỉ", "phone": "Điện thoại", "email": "Thư điện tử",
    "tax_code": "Mã số thuế", "representative": "Người đại diện theo pháp luật", "category": "Loại hình",
    "employees": "Số lao động", "founded": "Ngày thành lập",
}
"""Registration form fields as the form names them, in the form's order."""


def file_and_pages(label: str) -> str:
    """"Ho so.pdf#p4-5" as an officer writes it: "Ho so.pdf, trang 4–5" (audit 23: the "#p" notation)."""
    path, first, last = split_label(label)
    if first is None:
        return path
    return f"{path}, trang {first}" + (f"–{last}" if last is not None and last != first else "")


def field_value(name: str, value: str) -> str:
    """A registration field's value as shown: a founding date as officers write dates ("08/08/2011", "03/2005")."""
    if name == "founded" and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value or ""):
        return "/".join(reversed(value.split("-")))
    return value

FIELD_STATUS_VI = {"ok": "Đọc được", "missing": "Không có", "invalid": "Cần xem lại"}

ACTION_VI = {
    "signed_in": "Đăng nhập", "signed_out": "Đăng xuất", "override": "Quyết định về thành phần",
    "assignment": "Gán trang cho thành phần", "assignment_undone": "Hủy gán trang",
    "notice_resend": "Gửi lại thông báo",
    "notice_approved": "Duyệt thông báo", "notices_approved": "Duyệt các thông báo", "file_downloaded": "Tải tệp gốc",
    "user_added": "Tạo tài khoản", "user_disabled": "Khóa tài khoản", "register_downloaded": "Tải sổ theo dõi",
    "intake_closed": "Kết thúc tiếp nhận hồ sơ", "council_list_downloaded": "Tải danh sách chuyển Hội đồng",
}
"""What was done on the desk, as the audit trail shows it."""


@dataclass(frozen=True)
class PageInfo:
    """One page of a submitted file as the viewer lists it."""

    number: int
    method: str
    confidence: float | None
    component: str | None
    """Component the page counts for in the current verdict (None: not recognised as any)."""
    label: str
    """The recognised range it belongs to ("" when it belongs to none)."""


@dataclass(frozen=True)
class FileInfo:
    """One current file of a dossier."""

    id: int
    path: str
    sha256: str
    size: int
    kind: str
    problem: str
    duplicate_of: str | None
    pages: tuple[PageInfo, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CheckLine:
    """One content check item of a component (a criterion or a year) and where it was seen."""

    label: str
    ok: bool
    where: str
    """"tệp, trang N": for a criterion the first page where its heading has something written under it (else a
    score table naming it); for a year the first page that covers it as the
    check reads it ("" for a year found missing). A pointer for the officer, not the judgement."""
    waived: bool = False
    """An officer accepted the component: its checks are not run (not "found")."""


COVER_LETTER = "cover_letter"
"""What the viewer says a cover letter's page is (no component id)."""


def page_components(sheet: DossierSheet) -> PageLookup:
    """What each page of each file was recognised as (the first recognition covering it)."""
    ranges: dict[str, list[tuple[int, int, str | None, str]]] = {}
    for recognition in sheet.recognitions:
        path, first, last = split_label(recognition.label)
        what = recognition.component or (COVER_LETTER if is_cover_letter(recognition) else None)
        ranges.setdefault(path, []).append((first or 1, last or 1_000_000, what, recognition.label))
    return PageLookup(ranges)


class PageLookup:
    """(file path, page) → (component or None, range label); (None, "") for a page no recognition covers."""

    def __init__(self, ranges: dict[str, list[tuple[int, int, str | None, str]]]) -> None:
        self._ranges = ranges

    def get(self, key: tuple[str, int], default: tuple[str | None, str] = (None, "")) -> tuple[str | None, str]:
        path, page = key
        return next(((c, label) for first, last, c, label in self._ranges.get(path, ()) if first <= page <= last),
                    default)


def dossier_files(store: Store, row: DossierRow, sheet: DossierSheet) -> list[FileInfo]:
    """The current files of a dossier, each with its pages and what they were recognised as."""
    where = page_components(sheet)
    files = []
    for f in store.dossiers.file_rows(row.id):
        if not f["current"]:
            continue
        kind, problem = store.pages.extraction_summary(f["sha256"])
        pages = tuple(
            PageInfo(number, method, confidence, *where.get((f["path"], number), (None, "")))
            for number, method, confidence in store.pages.page_list(f["sha256"])
        )
        files.append(FileInfo(id=f["id"], path=f["path"], sha256=f["sha256"], size=f["size"] or 0, kind=kind,
                              problem=problem, duplicate_of=f["duplicate_of"], pages=pages))
    return files


def file_of_dossier(store: Store, dossier_id: int, file_id: int) -> dict[str, Any] | None:
    """The stored file row `file_id` if it belongs to this dossier (never any other dossier's)."""
    return store.dossiers.file_of_dossier(dossier_id, file_id)


def page_text(store: Store, sha256: str, number: int) -> tuple[str, str, float | None] | None:
    """(text, method, confidence) of one stored page."""
    return store.pages.page(sha256, number)


def _component_rule(rules: RuleSet, component_id: str | None):
    return next((c for c in rules.components if c.id == component_id), None)


def highlights(rules: RuleSet, sheet: DossierSheet, path: str, number: int, text: str,
               words: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The page's text as spans: the phrases that recognised it, its component's check phrases and years, and the
    searched words marked."""
    component_id, label = page_components(sheet).get((path, number), (None, ""))
    phrases = [e.phrase for r in sheet.recognitions if r.label == label for e in r.evidence]
    years: list[int] = []
    component = _component_rule(rules, component_id)
    # A page not (yet) counted for any component shows every year a content check asks for: the officer is
    # deciding what it is.
    for check in (c for other in rules.components if component is None for c in other.checks):
        years += check.years
    if component is not None:
        for check in component.checks:
            years += check.years
            phrases += [n for criterion in check.criteria for n in criterion.names]
            phrases += list(check.near)
    return spans(text, phrases=phrases, years=years, words=words)


def check_lines(store: Store, rules: RuleSet, sheet: DossierSheet, entry: ComponentEntry,
                files: list[FileInfo]) -> list[CheckLine]:
    """Each criterion and year a component's content checks ask for: whether the verdict found it (no deficiency
    names it) and the first of the component's pages where it appears."""
    component = _component_rule(rules, entry.id)
    if component is None or not component.checks or entry.state not in ("present", "accepted") \
            or not entry.recognitions:
        return []
    by_path = {f.path: f for f in files}
    raw: list[tuple[str, int, str]] = []
    for recognition in entry.recognitions:
        path, first, last = split_label(recognition.label)
        info = by_path.get(path)
        if info is None:
            continue
        for page in info.pages:
            if first is None or last is None or first <= page.number <= last:
                found = page_text(store, info.sha256, page.number)
                if found:
                    raw.append((path, page.number, found[0]))
    messages = [d.message for d in sheet.deficiencies if d.document == entry.id]
    waived = entry.state == "accepted"  # audit 19: ticks shown under an officer's acceptance read as checks passed
    lines = []
    for check in component.checks:
        # The page where its heading has something written under it (audit 40: the first page naming it was the
        # score table's), else where a heading names it at all.
        written = [(p, n, written_under_headings(check, [fold(line) for line in text.splitlines()],
                                                 rules.classification.min_phrase_score))
                   for p, n, text in raw] if check.criteria else []
        for criterion in check.criteria:
            where = next((f"{p}, trang {n}" for want in ("text", "score", "placeholder")
                          for p, n, kinds in written if want in kinds[criterion.number]), "")
            missing = any(f"tiêu chí {criterion.number}:" in m for m in messages)
            lines.append(CheckLine(f"Tiêu chí {criterion.number}: {criterion.names[0]}", not missing, where, waived))
        covering = [(p, n, years_a_page_covers(component, check, text, rules)) for p, n, text in raw] \
            if check.years else []
        for year in check.years:
            missing = any(m.startswith(f"Thiếu {check.label} năm {year}") for m in messages)
            where = "" if missing else next((f"{p}, trang {n}" for p, n, years in covering if year in years), "")
            lines.append(CheckLine(f"{check.label.capitalize()} năm {year}", not missing, where, waived))
    return lines


def duplicate_hints(desk: Desk, receipt_no: str) -> list[str]:
    """A dossier's duplicate hints as the whole desk knows them."""
    return next((duplicate_lines(s) for s in desk.dossiers if s.receipt_no == receipt_no), [])


def is_cover_letter(recognition: Any) -> bool:
    """Whether a range no component counts was recognised as a cover letter or a list of enclosures."""
    return any(e.kind == "cover_letter" for e in recognition.evidence)


def dossier_context(store: Store, rules: RuleSet, row: DossierRow, sheet: DossierSheet) -> dict[str, Any]:
    """Everything the dossier page shows."""
    files = dossier_files(store, row, sheet)
    reading = row.reading or {}
    registration = (reading.get("registration") or {}).get("fields") or {}
    unrecognised = [r for r in sheet.recognitions if r.component is None and not is_cover_letter(r)]
    recognised_paths = {split_label(r.label)[0] for r in sheet.recognitions}
    return {
        "files": files,
        "file_ids": {f.path: f.id for f in files},
        "checks": {e.id: check_lines(store, rules, sheet, e, files) for e in sheet.components},
        "unrecognised": unrecognised,
        # Recognised as what they are: cover letters and lists of enclosures, never a component (audit 19: they
        # were listed as pages not recognised).
        "cover_letters": [r for r in sheet.recognitions if r.component is None and is_cover_letter(r)],
        "unread_files": [f for f in files if f.path not in recognised_paths],
        "registration": [(FIELD_VI[k], {**registration[k], "value": field_value(k, registration[k].get("value", ""))})
                         for k in FIELD_VI if k in registration],
        "registration_source": (reading.get("registration") or {}).get("source"),
        "hints": reading.get("hints", []),
        "seals": reading.get("seals", []),
        "notices": store.outbox.all(row.id),
        "approvable": {n["id"] for n in awaiting_approval(store) if n["dossier_id"] == row.id},
        "assignments": store.decisions.assignments(row.id),
        "audit": store.accounts.audit_trail(row.id),
        "deciding": row.id in store.verdicts.rejudge_requests(),
    }
