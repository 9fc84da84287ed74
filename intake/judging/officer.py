"""Read a judged dossier as an experienced officer does: the registration form's fields, a red seal on each
component that must be sealed, certificates past their expiry, eligibility hints; store what was read and add the
`missing_seal` deficiencies a rule requires to the verdict. Its only I/O goes through what it is given: the store,
and the archive's page images (rendered once per content and page, then cached)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def read_dossier(dossier_id: int, files: list[ReceivedFile], verdict: Verdict, rules: RuleSet, *, store: Any,
                 archive: Callable[[str], Path], page_image: PageImage, overrides: tuple[Override, ...] = (),
                 at: datetime) -> Verdict:
    """Read the registration form, look for seals, derive hints, store them; the verdict with any
    `missing_seal` deficiency a rule requires (hints never change it)."""
    registration = dossier_registration(files, verdict.matches)
    marks = inspect_seals(files, verdict.matches, rules, store=store, archive=archive, page_image=page_image)
    findings = seal_findings(verdict.matches, marks, files, rules)
    hints = (seal_hints(findings, rules) + expiry_hints(files, verdict.matches, rules)
             + eligibility_hints(registration, rules) + recognition_hints(verdict, rules))
    store.readings.save_reading(dossier_id, reading_record(registration, findings, hints), registration, at)
    return require_seals(verdict, findings, rules, overrides)
