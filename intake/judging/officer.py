"""Read a judged dossier as an experienced officer does: the registration form's fields, a red seal on each
component that must be sealed, certificates past their expiry, eligibility hints; store what was read and add the
`missing_seal` deficiencies a rule requires to the verdict. Its only I/O goes through what it is given: the store,
and the archive's page images (rendered once per content and page, then cached)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .completeness import recognition_hints
from .eligibility import eligibility_hints
from .fields import dossier_registration
from .models import Hint, Registration, SealFinding
from ..models import Override, ReceivedFile, Verdict
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
             "box": list(f.box) if f.box else None, "colour": f.colour}
            for f in findings
        ],
        "hints": [{"code": h.code, "document": h.document, "file": h.file, "message": h.message} for h in hints],
    }


def late_files_hint(changed: Sequence[tuple[str, datetime]], rules: RuleSet) -> tuple[Hint, ...]:
    """For the officer: files a dossier received on time got (or had replaced) after the deadline, not counted."""
    if not changed:
        return ()
    deadline = rules.campaign.deadline
    zone = deadline.tzinfo

    def when(at: datetime) -> str:
        return f" ({at.astimezone(zone):%H:%M %d/%m/%Y})" if at > deadline else ""

    listed = "; ".join(f"«{path}»{when(at)}" for path, at in changed)
    return (Hint("after_deadline",
                 f"Nhận hoặc thay đổi sau hạn nộp hồ sơ ({deadline.astimezone(zone):%H:%M %d/%m/%Y}), không được xét: "
                 f"{listed}. Hồ sơ được đánh giá theo các tệp đã nhận đến hạn; nếu Chi cục chấp nhận bổ sung muộn, "
                 "cán bộ quyết định trên bàn làm việc (chấp nhận thành phần).", file=changed[0][0]),)


def read_dossier(dossier_id: int, files: list[ReceivedFile], verdict: Verdict, rules: RuleSet, *, store: Any,
                 archive: Callable[[str], Path], page_image: PageImage, overrides: tuple[Override, ...] = (),
                 at: datetime, after_deadline: Sequence[tuple[str, datetime]] = ()) -> Verdict:
    """Read the registration form, look for seals, derive hints, store them; the verdict with any
    `missing_seal` deficiency a rule requires (hints never change it). `after_deadline`: what the dossier got
    after the deadline and is not judged on."""
    registration = dossier_registration(files, verdict.matches)
    marks = inspect_seals(files, verdict.matches, rules, store=store, archive=archive, page_image=page_image)
    findings = seal_findings(verdict.matches, marks, files, rules)
    hints = (late_files_hint(after_deadline, rules) + seal_hints(findings, rules)
             + expiry_hints(files, verdict.matches, rules) + eligibility_hints(registration, rules)
             + recognition_hints(verdict, rules))
    store.readings.save_reading(dossier_id, reading_record(registration, findings, hints), registration, at)
    return require_seals(verdict, findings, rules, overrides)
