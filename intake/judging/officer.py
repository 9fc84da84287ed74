"""Read a judged dossier as an experienced officer does: the registration form's fields, a red seal on each
component that must be sealed, certificates past their expiry, eligibility hints; store what was read and add the
`missing_seal` deficiencies a rule requires to the verdict. Its only I/O goes through what it is given: the store,
and the archive's page images (rendered once per content and page, then cached)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .applicants import applicants, applicants_hint
from .completeness import decisions_in_force, recognition_hints, sent_after
from .eligibility import eligibility_hints
from .fields import dossier_registration, form_gaps
from .models import Hint, Registration, SealFinding
from .revisions import revision_hints
from ..models import Deficiency, Override, ReceivedFile, Verdict
from .ruleset import RuleSet
from .seals import PageImage, inspect_seals, require_seals, seal_findings, seal_hints
from .validity import expiry_hints


def reading_record(registration: Registration, findings: Iterable[SealFinding],
                   hints: Iterable[Hint]) -> dict[str, Any]:
    """What was read, as stored and as the JSON report shows it (keys `registration`, `seals`, `hints`)."""
    return {
        "registration": {
            "source": registration.source,
            "fields": {f.name: {"value": f.value, "status": f.status, "note": f.note} for f in registration.fields},
        },
        "seals": [
            {"document": f.component, "file": f.file, "found": f.found, "page": f.page,
             "box": list(f.box) if f.box else None, "colour": f.colour, "signed_by": f.signed_by}
            for f in findings
        ],
        "hints": [{"code": h.code, "document": h.document, "file": h.file, "message": h.message} for h in hints],
    }


def late_files_hint(changed: Sequence[tuple[str, datetime, datetime | None]], rules: RuleSet) -> tuple[Hint, ...]:
    """For the officer: files a dossier received on time got (or had replaced) after the deadline, not counted;
    with the modification time the share gave a file where it is before the deadline (audit 47: a file put in the
    share at 22:00 on 30/6 and first scanned at 08:00 on 1/7), which the officer may weigh (the enterprise's
    machine set it)."""
    if not changed:
        return ()
    deadline = rules.campaign.deadline
    zone = deadline.tzinfo

    def when(at: datetime, written: datetime | None) -> str:
        if at <= deadline:
            return ""
        stated = f"; tệp ghi thời gian sửa đổi {written.astimezone(zone):%H:%M %d/%m/%Y}, trước hạn (theo máy của " \
            "doanh nghiệp)" if written is not None and written <= deadline else ""
        return f" ({at.astimezone(zone):%H:%M %d/%m/%Y}{stated})"

    listed = "; ".join(f"«{path}»{when(at, written)}" for path, at, written in changed)
    return (Hint("after_deadline",
                 f"Nhận hoặc thay đổi sau hạn nộp hồ sơ ({deadline.astimezone(zone):%H:%M %d/%m/%Y}), không được xét: "
                 f"{listed}. Hồ sơ được đánh giá theo các tệp đã nhận đến hạn; nếu Chi cục chấp nhận bổ sung muộn, "
                 "cán bộ quyết định trên bàn làm việc (chấp nhận thành phần).", file=changed[0][0]),)


def resent_hints(files: list[ReceivedFile], verdict: Verdict, overrides: tuple[Override, ...],
                 rules: RuleSet) -> tuple[Hint, ...]:
    """For the officer: a component they rejected that the enterprise sent again since (the new files are judged
    in place of the rejected ones)."""
    by_path = {f.path: f for f in files}
    zone = rules.campaign.deadline.tzinfo
    hints = []
    in_force = decisions_in_force(overrides)
    for component in rules.components:
        decision = in_force.get(component.id)
        if decision is None or decision.decision != "reject":
            continue
        resent = sent_after(component.id, decision, verdict.matches, by_path)
        if resent:
            listed = ", ".join(f"«{path}»" for path in sorted(resent))
            hints.append(Hint(
                "resent_after_rejection",
                f"{component.title}: cán bộ {decision.officer} đã không chấp nhận lúc "
                f"{decision.at.astimezone(zone):%H:%M %d/%m/%Y} ({decision.note.strip().rstrip('.')}); doanh nghiệp "
                f"đã gửi lại {listed} sau đó. Tệp gửi lại được xét thay cho tệp cũ; đề nghị cán bộ kiểm tra.",
                document=component.id, file=sorted(resent)[0]))
    return tuple(hints)


def require_fields(verdict: Verdict, registration: Registration, rules: RuleSet,
                   overrides: tuple[Override, ...]) -> tuple[Verdict, tuple[Hint, ...]]:
    """The verdict with an `incomplete_form` deficiency when the registration form, read from its text, leaves a
    required field blank or not valid; for a scanned form (OCR may have missed what is there) a hint to the officer
    instead. Nothing when there is no form, or an officer accepted it."""
    component = next((c for c in rules.components if c.required_fields), None)
    decision = decisions_in_force(overrides).get(component.id) if component is not None else None
    if component is None or registration.source is None or (decision is not None and decision.decision == "accept"):
        return verdict, ()
    gaps = form_gaps(registration, component.required_fields)
    if not gaps:
        return verdict, ()
    if registration.ocr:
        return verdict, (Hint("form_fields_unread",
                              f"{component.title} «{registration.source}»: {gaps} (đọc từ bản quét, có thể do không "
                              "đọc được); đề nghị cán bộ kiểm tra trước khi yêu cầu bổ sung.",
                              component.id, registration.source),)
    deficiencies = verdict.deficiencies + (
        Deficiency("incomplete_form", f"{component.title}: {gaps}.", document=component.id),)
    return replace(verdict, deficiencies=deficiencies, status="incomplete"), ()


def read_dossier(dossier_id: int, files: list[ReceivedFile], verdict: Verdict, rules: RuleSet, *, store: Any,
                 archive: Callable[[str], Path], page_image: PageImage, overrides: tuple[Override, ...] = (),
                 at: datetime, after_deadline: Sequence[tuple[str, datetime, datetime | None]] = ()) -> Verdict:
    """Read the registration form, look for seals, derive hints, store them; the verdict with any
    `missing_seal` deficiency a rule requires (hints never change it). `after_deadline`: what the dossier got
    after the deadline and is not judged on."""
    registration = dossier_registration(files, verdict.matches)
    marks = inspect_seals(files, verdict.matches, rules, store=store, archive=archive, page_image=page_image)
    findings = seal_findings(verdict.matches, marks, files, rules)
    hints = (late_files_hint(after_deadline, rules) + resent_hints(files, verdict, overrides, rules)
             + seal_hints(findings, rules)
             + expiry_hints(files, verdict.matches, rules) + eligibility_hints(registration, rules)
             + recognition_hints(verdict, rules) + revision_hints(files, verdict.matches)
             + applicants_hint(applicants(files, verdict.matches)))
    verdict, unread = require_fields(verdict, registration, rules, overrides)
    hints += unread
    store.readings.save_reading(dossier_id, reading_record(registration, findings, hints), registration, at)
    return require_seals(verdict, findings, rules, overrides)
