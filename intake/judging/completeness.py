"""Judge a whole dossier against the rule set: documents found, content checks, deficiencies; pure."""

from __future__ import annotations

import re
from datetime import datetime

from .classify import folded_lines
from ..folding import Heads, best_prefix_score, fold, line_windows, phrase_score, strip_enumerator
from .ruleset import Check, Component, RuleSet
from ..models import Deficiency, Match, Override, ReceivedFile, Verdict

BLOCKING_CODES = frozenset({"missing_document", "missing_criteria", "missing_years", "missing_seal"})
"""Deficiencies that keep a dossier incomplete; the others are reported but a dossier can be complete with them."""


def _fmt_time(moment: datetime) -> str:
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def file_deficiencies(files: list[ReceivedFile], min_confidence: float) -> list[Deficiency]:
    """Deficiencies of the files themselves: unreadable, unsupported, illegible pages."""
    found = []
    for f in sorted(files, key=lambda f: f.path):
        problem = f.extraction.problem
        if problem is not None:
            found.append(Deficiency(problem.code, f"Tệp «{f.path}»: {problem.reason}.", file=f.path))
            continue
        illegible = [
            p.number for p in f.extraction.pages
            if p.method == "ocr" and p.confidence is not None and p.confidence < min_confidence
        ]
        if illegible:
            where = "trang " + ", ".join(map(str, illegible)) if len(f.extraction.pages) > 1 else "nội dung"
            found.append(Deficiency(
                "illegible",
                f"Tệp «{f.path}»: {where} không đọc được do chất lượng bản quét thấp; "
                "đề nghị quét lại rõ nét ở độ phân giải 300 dpi.",
                file=f.path
            ))
    return found


def _component_lines(component_id: str, matches: tuple[Match, ...], files: dict[str, ReceivedFile]) -> list[str]:
    lines: list[str] = []
    for m in matches:
        if m.component != component_id:
            continue
        for page in files[m.file].extraction.pages:
            if m.first_page <= page.number <= m.last_page:
                lines.extend(folded_lines(page.text))
    return lines


def _criteria_deficiencies(component: Component, check: Check, lines: list[str], threshold: float) -> list[Deficiency]:
    headings = Heads(strip_enumerator(w) for _, w in line_windows(lines, 2))
    found = []
    for criterion in check.criteria:
        names = [fold(n) for n in criterion.names]
        if not any(best_prefix_score(n, headings, cutoff=threshold) >= threshold for n in names):
            found.append(Deficiency(
                check.code,
                f"{component.title} chưa đề cập tiêu chí {criterion.number}: "
                f"{criterion.names[0][:1].upper()}{criterion.names[0][1:]}.",
                document=component.id,
            ))
    return found


def _years_deficiencies(component: Component, check: Check, lines: list[str], threshold: float) -> list[Deficiency]:
    near = [fold(n) for n in check.near]
    found = []
    for year in check.years:
        token = re.compile(rf"(?<!\d){year}(?!\d)")
        covered = any(
            token.search(line)
            and any(phrase_score(n, " ".join(lines[max(0, i - 2) : i + 3]), cutoff=threshold) >= threshold
                    for n in near)
            for i, line in enumerate(lines)
        )
        if not covered:
            found.append(Deficiency(
                check.code, f"Thiếu {check.label} năm {year}.", document=component.id
            ))
    return found


CHECKS = {"criteria": _criteria_deficiencies, "years": _years_deficiencies}


ACCEPTED_LABEL = "[Cán bộ {officer} chấp nhận]"
"""What `documents` lists for a component an officer accepted (after any files recognised as it)."""


def _rejected(component: Component, override: Override) -> Deficiency:
    return Deficiency(
        "missing_document",
        f"Thành phần hồ sơ không được chấp nhận: {component.title}. Lý do: {override.note.strip().rstrip('.')}.",
        document=component.id,
    )


def evaluate(
    files: list[ReceivedFile], matches: tuple[Match, ...], rules: RuleSet, *, received_at: datetime,
    overrides: tuple[Override, ...] = (),
) -> Verdict:
    """The verdict on a dossier whose files were classified into `matches`, received first at `received_at`.

    `overrides` are officers' decisions (the newest active one per component applies): an accepted component
    counts as present and its content checks are waived; a rejected one counts as missing even if recognised.
    """
    by_path = {f.path: f for f in files}
    threshold = rules.classification.min_phrase_score
    decisions = {o.component: o for o in sorted(overrides, key=lambda o: (o.at, o.id)) if o.active}
    documents: dict[str, tuple[str, ...]] = {}
    deficiencies: list[Deficiency] = []
    missing = []
    for component in rules.components:
        labels = tuple(sorted(m.label for m in matches if m.component == component.id))
        decision = decisions.get(component.id)
        if decision is not None and decision.decision == "accept":
            documents[component.id] = labels + (ACCEPTED_LABEL.format(officer=decision.officer),)
        elif decision is not None and decision.decision == "reject":
            if component.required:
                missing.append(component.id)
                deficiencies.append(_rejected(component, decision))
        elif labels:
            documents[component.id] = labels
            lines = _component_lines(component.id, matches, by_path)
            for check in component.checks:
                deficiencies += CHECKS[check.kind](component, check, lines, threshold)
        elif component.required:
            missing.append(component.id)
            deficiencies.append(Deficiency(
                "missing_document", f"Thiếu thành phần hồ sơ: {component.title}.", document=component.id
            ))
    deficiencies += file_deficiencies(files, rules.classification.min_confidence)
    deadline = rules.campaign.deadline
    late = received_at > deadline
    if late:
        deficiencies.append(Deficiency(
            "late_submission",
            f"Hồ sơ được tiếp nhận lúc {_fmt_time(received_at.astimezone(deadline.tzinfo))}, "
            f"sau thời hạn tiếp nhận ({_fmt_time(deadline)}).",
        ))
    blocking = any(d.code in BLOCKING_CODES for d in deficiencies)
    return Verdict(
        status="incomplete" if blocking or missing else "complete",
        late=late,
        documents=documents,
        missing=tuple(missing),
        deficiencies=tuple(deficiencies),
        matches=matches,
    )
