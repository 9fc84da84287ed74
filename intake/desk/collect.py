"""The officers' desk: reads every dossier's verdict, history, notices and decisions into one frozen view that all
reports render; the Vietnamese labels they share. Renders nothing, writes nothing."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..campaign import campaign_status, match_dossier
from ..folding import fold
from ..judging import (
    Identity, applicants, choose_identity, flag_duplicates, form_reading, held_for_applicants, pages_reading,
    read_registration,
)
from ..models import Invitee
from .models import ComponentEntry, DeficiencyEntry, Desk, DossierSheet, FolderEvent, NoticeEntry, Recognition
from ..models import Deficiency, Evidence, Match, Override, ReceivedFile
from ..judging import RuleSet
from ..store import DossierRow, Store
from .confirm import confirmation

STATUS_VI = {"complete": "Đầy đủ", "incomplete": "Chưa đầy đủ", "pending": "Đang xử lý"}
"""Dossier status as officers name it."""

DEFICIENCY_VI = {
    "missing_document": "Thiếu thành phần hồ sơ",
    "missing_criteria": "Thiếu tiêu chí trong báo cáo tự đánh giá",
    "missing_years": "Thiếu năm",
    "incomplete_form": "Đơn đăng ký chưa đầy đủ thông tin",
    "missing_seal": "Thiếu chữ ký, đóng dấu",
    "unreadable_file": "Tệp không đọc được",
    "illegible": "Bản quét không rõ",
    "unsupported_format": "Định dạng tệp không được chấp nhận",
    "late_submission": "Nộp sau thời hạn",
    "hard_link": "Tệp liên kết cứng, không tiếp nhận",
    "symlink": "Lối tắt (symlink), không phải tệp, không tiếp nhận",
    "enclosed_files": "Tệp đính kèm bên trong tệp, chưa xem xét",
}
"""Kind of each deficiency code, in Vietnamese."""

STATE_VI = {
    "present": "Có",
    "accepted": "Cán bộ chấp nhận",
    "rejected": "Cán bộ không chấp nhận",
    "resent": "Đã gửi lại sau khi cán bộ không chấp nhận",
    "missing": "Thiếu",
    "absent": "Không có (không bắt buộc)",
}
"""How a component stands in a dossier."""

NOTICE_STATE_VI = {
    "written": "Đã lập",
    "pending": "Chờ gửi thư điện tử",
    "sending": "Đang gửi",
    "sent": "Đã gửi thư điện tử",
    "unconfirmed": "Chưa xác nhận đã gửi",
    "failed": "Gửi không thành công",
    "superseded": "Đã được thay thế",
    "expired": "Không gửi nữa (quá hạn hoặc không còn cần)",
    "awaiting_approval": "Chờ lãnh đạo duyệt",
    "approved": "Đã duyệt, đang lập lại văn bản theo ngày duyệt",
}
"""Delivery state of a notice."""

DECISION_VI = {"accept": "Chấp nhận", "reject": "Không chấp nhận"}
"""An officer's decision."""

EVIDENCE_VI = {"title": "Tiêu đề", "keyword": "Cụm từ", "filename": "Tên tệp", "header": "Văn bản",
               "cover_letter": "Công văn gửi kèm", "officer": "Cán bộ xếp trang",
               "holder": "Của đơn vị khác (mã số thuế)", "holder_name": "Của đơn vị khác (tên đơn vị)",
               "held_by": "Cấp cho", "criteria": "Tiêu chí có nội dung (không có tiêu đề)"}
"""Kind of a recognition phrase."""

NOTICE_VI = {
    "acknowledgement": "Giấy biên nhận hồ sơ",
    "supplement": "Giấy biên nhận hồ sơ bổ sung",
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "deficiency": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "complete": "Thông báo hồ sơ đã đầy đủ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "reminder": "Thông báo nhắc hạn nộp hồ sơ",
}
"""Kind of a notice (the one-stop-shop forms 01, 02, 03 and the notice that a dossier is complete)."""

INVITEE_STATE_VI = {"not_submitted": "Chưa nộp hồ sơ", "incomplete": "Đã nộp, chưa đầy đủ", "complete": "Đầy đủ"}
"""Where an invited enterprise stands."""


def deficiency_kind(code: str) -> str:
    """The Vietnamese kind of a deficiency code (the code itself when unknown)."""
    return DEFICIENCY_VI.get(code, code)


_RANGE = re.compile(r"#p(\d+)(?:-(\d+))?$")


def split_label(label: str) -> tuple[str, int | None, int | None]:
    """"Ho so.pdf#p3-5" → ("Ho so.pdf", 3, 5); a whole file → (path, None, None)."""
    found = _RANGE.search(label)
    if not found:
        return label, None, None
    first = int(found.group(1))
    return label[: found.start()], first, int(found.group(2) or first)


# ---- reading the store into the view --------------------------------------------------------------


def _recognitions(verdict: dict[str, Any]) -> tuple[Recognition, ...]:
    return tuple(
        Recognition(
            label=item["file"], component=item.get("document"), points=float(item.get("points") or 0),
            evidence=tuple(Evidence(p["kind"], p["phrase"], int(p["page"]), float(p["score"]))
                           for p in item.get("phrases", [])),
        )
        for item in verdict.get("evidence", [])
    )


def _components(rules: RuleSet, recognitions: tuple[Recognition, ...], decisions: dict[str, Override],
                resent: frozenset[str] = frozenset()) -> tuple[ComponentEntry, ...]:
    """Each component's entry; `resent`: components rejected whose files the enterprise sent again since (judged in
    their place: audit 23, a dossier complete while the row still said "Cán bộ không chấp nhận")."""
    entries = []
    for component in rules.components:
        mine = tuple(r for r in recognitions if r.component == component.id)
        decision = decisions.get(component.id)
        if decision is not None and decision.decision == "reject" and component.id in resent:
            state = "resent"
        elif decision is not None:
            state = "accepted" if decision.decision == "accept" else "rejected"
        elif mine:
            state = "present"
        else:
            state = "missing" if component.required else "absent"
        entries.append(ComponentEntry(
            id=component.id, title=component.title, required=component.required, state=state,
            files=tuple(r.label for r in mine), recognitions=mine, override=decision,
        ))
    return tuple(entries)


def _pages(files: list[ReceivedFile], label: str) -> tuple[str, str, float | None, frozenset[str], bool]:
    """`pages_reading` of a recognised file or page range of a dossier."""
    path, first, last = split_label(label)
    for received in files:
        if received.path == path:
            return pages_reading(p for p in received.extraction.pages
                                 if first is None or last is None or first <= p.number <= last)
    return pages_reading(())


def _ranges(files: list[ReceivedFile], labels: list[str], component: str) -> tuple[Match, ...]:
    """The page ranges recognised labels name, as the judgement's matches (a whole file: all its pages)."""
    counts = {f.path: len(f.extraction.pages) for f in files}
    ranges = []
    for label in labels:
        path, first, last = split_label(label)
        count = counts.get(path, 0)
        ranges.append(Match(path, first or 1, last or count, count, component, 0.0))
    return tuple(ranges)


_COVER_LETTER = ("kinh gui", "v v", "ve viec")


def dossier_identity(store: Store, row: DossierRow, *, recognitions: tuple[Recognition, ...] | None = None,
                     invitees: list[Invitee] | None = None, contacts: dict[str, str] | None = None) -> Identity:
    """Who submitted a dossier, chosen once (`judging.identity.choose_identity`) from its registration form, a
    cover letter, the invitation list, the contacts file (`contacts`: folder → address) and an officer's
    confirmation: what every notice, page, sheet and table shows."""
    if recognitions is None:
        recognitions = _recognitions(row.verdict or {})
    forms = [r.label for r in recognitions if r.component == "registration_form"]
    others = [r.label for r in recognitions if r.component is None]
    as_of = (row.verdict or {}).get("judged_as_of")
    files = store.dossiers.received_files(row.id, as_of and datetime.fromisoformat(as_of)) if forms or others else []
    registration, method = None, "text"
    # The form's pages as the judgement chose them: not a form a corrected one replaces (audit 47).
    found = form_reading(files, _ranges(files, forms, "registration_form"))
    if found is not None:
        label, (text, method, confidence, doubtful, photo) = found
        registration = read_registration(text, label, method, confidence, doubtful, photo)
    cover = None
    for label in others:
        text, cover_method, confidence, doubtful, photo = _pages(files, label)
        if any(phrase in fold(text[:1500]) for phrase in _COVER_LETTER):
            cover = read_registration(text, label, cover_method, confidence, doubtful, photo)
            break
    form_name = registration.value("enterprise") if registration else ""
    form_tax = registration.field("tax_code").value if registration else ""
    invitee, _ = match_dossier(row.folder, form_name or (cover.value("enterprise") if cover else ""), form_tax,
                               invitees if invitees is not None else store.campaign.invitees())
    identity = choose_identity(row.folder, registration=registration, registration_method=method, cover_letter=cover,
                               invitee=invitee, contacts_email=(contacts or {}).get(row.folder),
                               confirmation=confirmation(store, row.id))
    # The forms of several organisations in one folder: notices wait for the officer (audit 55).
    return held_for_applicants(identity, applicants(files, _ranges(files, forms, "registration_form")))


def folder_events(rows: list[dict[str, Any]]) -> tuple[FolderEvent, ...]:
    """The events of `Dossiers.folder_events` an officer should know, in Vietnamese: a file received again with
    other content (replaced), the folder renamed, a look-alike folder received as another dossier, two files whose
    names differ only in how their Vietnamese letters are encoded. A file's first receipt is no event."""
    seen: set[str] = set()
    events = []
    for row in rows:
        kind, detail = row["kind"], row["detail"] or ""
        if kind == "file_received":
            if row["file"] in seen:
                message = (f"Tệp «{row['file']}» được thay bằng một bản có nội dung khác; hồ sơ được xét lại theo "
                           "bản mới (bản cũ vẫn lưu trong kho)")
            else:
                seen.add(row["file"])
                continue
        elif kind == "dossier_renamed":
            names = json.loads(detail)
            message = (f"Thư mục hồ sơ được đổi tên từ «{names['from']}» thành «{names['to']}»; hồ sơ giữ nguyên mã "
                       "hồ sơ và các tệp đã nhận")
        elif kind == "possible_rename":
            message = (f"Thư mục của hồ sơ này không còn trong thư mục chung, và thư mục «{detail}» xuất hiện với phần "
                       "lớn tên tệp giống hồ sơ này nhưng nội dung khác: đã được nhận thành hồ sơ mới, cán bộ cần "
                       "kiểm tra có phải cùng một doanh nghiệp không")
        elif kind == "file_moved":
            moved = json.loads(detail)
            message = (f"Tệp «{row['file']}» đã được chuyển sang thư mục «{moved['to']}» (hồ sơ {moved['receipt']}, "
                       "cùng nội dung): không còn được xét trong hồ sơ này")
        elif kind == "file_moved_in":
            moved = json.loads(detail)
            message = (f"Tệp «{row['file']}» được chuyển đến từ thư mục «{moved['from']}» (hồ sơ {moved['receipt']}), "
                       "nơi doanh nghiệp đã để nhầm")
        elif kind == "file_gone":
            message = (f"Tệp «{row['file']}» không còn trong thư mục của doanh nghiệp (đã bị xóa hoặc chuyển đi): hồ "
                       "sơ vẫn giữ và xét bản đã nhận")
        elif kind == "file_back":
            message = f"Tệp «{row['file']}» lại có trong thư mục của doanh nghiệp"
        elif kind == "file_twin":
            names = json.loads(detail)
            message = (f"Có hai tệp cùng tên «{names['twin_of']}» (khác nhau ở cách mã hóa chữ tiếng Việt): tệp thứ "
                       f"hai được nhận riêng với tên «{names['file']}»")
        else:
            continue
        events.append(FolderEvent(datetime.fromisoformat(row["at"]), message))
    return tuple(events)


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def dossier_sheet(store: Store, rules: RuleSet, row: DossierRow, number: int, *,
                  invitees: list[Invitee] | None = None, contacts: dict[str, str] | None = None) -> DossierSheet:
    """Everything the reports show about one stored dossier (its `contact` is its `Identity`)."""
    verdict = row.verdict or {}
    recognitions = _recognitions(verdict)
    overrides = store.decisions.overrides(row.id)
    decisions = {o.component: o for o in overrides if o.active}
    return DossierSheet(
        number=number,
        folder=row.folder,
        receipt_no=row.receipt_no,
        received_at=row.received_at,
        status=row.status or "pending",
        late=row.late,
        contact=dossier_identity(store, row, recognitions=recognitions, invitees=invitees, contacts=contacts),
        components=_components(rules, recognitions, decisions, frozenset(
            h.get("document") for h in (row.reading or {}).get("hints", [])
            if h.get("code") == "resent_after_rejection")),
        deficiencies=tuple(
            Deficiency(d["code"], d["message"], d.get("document"), d.get("file"))
            for d in verdict.get("deficiencies", [])
        ),
        history=tuple(
            DeficiencyEntry(h["code"], h["message"], h["document"], h["file"],
                            datetime.fromisoformat(h["opened_at"]), _at(h["resolved_at"]))
            for h in store.verdicts.deficiency_history(row.id)
        ),
        notices=tuple(
            NoticeEntry(n["kind"], n["path"], datetime.fromisoformat(n["created_at"]), n.get("state") or "",
                        (n.get("last_error") or "") if n.get("state") in ("failed", "unconfirmed") else "")
            for n in store.outbox.all(row.id)
        ),
        overrides=overrides,
        assignments=store.decisions.assignments(row.id),
        recognitions=recognitions,
        events=folder_events(store.dossiers.folder_events(row.id)),
    )


def collect(store: Store, rules: RuleSet, generated_at: datetime, *, contacts: dict[str, str] | None = None) -> Desk:
    """The whole desk at `generated_at`: every dossier in receipt order (each with its identity, dossiers that
    share a tax code or a name flagged), and where the campaign stands."""
    invitees = store.campaign.invitees()
    sheets = tuple(dossier_sheet(store, rules, row, n, invitees=invitees, contacts=contacts)
                   for n, row in enumerate(store.dossiers.all(), start=1))
    flagged = flag_duplicates([(s.receipt_no, s.folder, s.contact) for s in sheets if isinstance(s.contact, Identity)])
    if len(flagged) == len(sheets):
        sheets = tuple(replace(s, contact=identity) for s, identity in zip(sheets, flagged))
    return Desk(
        campaign=rules.campaign,
        agency=rules.agency,
        components=rules.components,
        generated_at=generated_at,
        dossiers=sheets,
        campaign_status=campaign_status(rules, invitees, sheets, generated_at,
                                        reminders_written=store.campaign.reminder_count(),
                                        closed_at=store.campaign.closed_at(),
                                        forward_late=store.campaign.forward_late()),
        loose_files=loose_files(store),
    )


LOOSE_FILES = "loose_files"
"""The store's meta key of what lay at the inbox's top level at the last pass (a JSON list of names)."""


def loose_files(store: Store) -> tuple[str, ...]:
    """What lay at the inbox's top level, in no dossier's folder, at the last pass."""
    return tuple(json.loads(store.meta(LOOSE_FILES) or "[]"))


# ---- figures every report shows -------------------------------------------------------------------


def summary(desk: Desk) -> dict[str, int]:
    """Dossiers received, complete, incomplete (pending ones included), late."""
    dossiers = desk.dossiers
    complete = sum(1 for d in dossiers if d.status == "complete")
    return {
        "received": len(dossiers),
        "complete": complete,
        "incomplete": len(dossiers) - complete,
        "late": sum(1 for d in dossiers if d.late),
    }


_COUNTED_BY_KIND = frozenset({"late_submission", "unreadable_file", "illegible", "unsupported_format", "hard_link",
                               "symlink"})


def deficiency_topic(deficiency: Deficiency) -> str:
    """What to count a deficiency under across dossiers: its message when that reads the same in every dossier
    (a missing component, criterion or year), its kind when the message names a file or a time."""
    if deficiency.file or deficiency.code in _COUNTED_BY_KIND:
        return deficiency_kind(deficiency.code)
    return deficiency.message


def frequent_deficiencies(desk: Desk, top: int = 10) -> list[tuple[str, int]]:
    """The most frequent current deficiencies, as (topic, number of dossiers), most frequent first."""
    counts: Counter[str] = Counter()
    for dossier in desk.dossiers:
        counts.update({deficiency_topic(d) for d in dossier.deficiencies})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def component_title(desk: Desk, component_id: str | None) -> str:
    """The Vietnamese title of a component id ("" for None, the id itself when unknown)."""
    if component_id is None:
        return ""
    return next((c.title for c in desk.components if c.id == component_id), component_id)
