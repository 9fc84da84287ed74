"""Red seals (con dấu) on the pages of components that must be signed and sealed: where to look, what the officer
is told, and the `missing_seal` deficiency where a rule requires the seal (whether a page image shows one is
`reading.seal_marks`). Pure, except `inspect_seals`, which takes each page's mark from the store (the OCR worker
leaves one for every page image it decoded) or renders the page and caches its mark; it never changes a file."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..models import Deficiency, Match, Override, ReceivedFile, SealMark, Verdict
from ..reading import SEAL_DETECTOR as DETECTOR
from ..reading import find_seal
from .completeness import BLOCKING_CODES, decisions_in_force
from .models import Hint, SealFinding
from .ruleset import RuleSet

log = logging.getLogger(__name__)

SEAL_DPI = 75
"""Resolution pages are rendered at for seals: a 36 mm seal is ~100 pixels across, plenty for its shape."""


# ---- which pages, and what the officer is told ---------------------------------------------------------------


def sealed_pages(files: list[ReceivedFile], matches: Iterable[Match], rules: RuleSet) -> list[tuple[ReceivedFile, Match, int]]:
    """The pages to look at: every page of every range recognised as a component that must be sealed, except
    Word text (where no seal can be seen)."""
    sealed = {c.id for c in rules.components if c.sealed}
    by_path = {f.path: f for f in files}
    found = []
    for match in matches:
        received = by_path.get(match.file)
        if match.component not in sealed or received is None:
            continue
        for page in received.extraction.pages:
            if match.first_page <= page.number <= match.last_page and page.method != "docx":
                found.append((received, match, page.number))
    return found


_SIGNED_BY = re.compile(r"^\s*(?:ký bởi|người ký|signed by)\s*:\s*(?P<by>\S.*?)\s*$", re.IGNORECASE | re.MULTILINE)
"""An e-signature stamp's signer, as a digitally signed PDF's text begins ("Ký bởi: Sở Xây dựng tỉnh Bắc Giang")."""
_STAMP_LINES = 8
"""Lines at the top of a page where the stamp is looked for."""


def signed_by(texts: Iterable[str]) -> str:
    """Who the e-signature stamp at the top of the first of `texts` that has one names; "" for none."""
    for text in texts:
        found = _SIGNED_BY.search("\n".join(text.splitlines()[:_STAMP_LINES]))
        if found:
            return found["by"]
    return ""


def seal_findings(matches: Iterable[Match], marks: dict[tuple[str, int], SealMark],
                  files: list[ReceivedFile], rules: RuleSet) -> tuple[SealFinding, ...]:
    """One finding per range recognised as a sealed component: the first page with a seal, else none found
    (`colour` False when no page of it was in colour, so that no seal could be seen)."""
    sealed = {c.id for c in rules.components if c.sealed}
    by_path = {f.path: f for f in files}
    findings = []
    for match in matches:
        if match.component not in sealed or match.file not in by_path:
            continue
        sha256 = by_path[match.file].sha256
        pages = [(n, marks[(sha256, n)]) for n in range(match.first_page, match.last_page + 1)
                 if (sha256, n) in marks]
        hit = next(((n, m) for n, m in pages if m.found), None)
        if hit is not None:
            findings.append(SealFinding(match.component, match.label, True, hit[0], hit[1].box, True))
        else:
            texts = [p.text for p in by_path[match.file].extraction.pages
                     if match.first_page <= p.number <= match.last_page]
            findings.append(SealFinding(match.component, match.label, False, None, None,
                                        any(m.colour for _, m in pages), signed_by(texts)))
    return tuple(findings)


def seal_hints(findings: Iterable[SealFinding], rules: RuleSet) -> tuple[Hint, ...]:
    """Warnings to the officer where no seal was seen on a component that must be sealed."""
    hints = []
    for finding in findings:
        if finding.found:
            continue
        title = rules.component(finding.component).title
        if finding.colour:
            hints.append(Hint("seal_not_found", f"Không thấy dấu đỏ (con dấu) trên «{finding.file}» ({title}); "
                              "đề nghị kiểm tra chữ ký và con dấu.", finding.component, finding.file))
        elif finding.signed_by:
            hints.append(Hint("seal_esigned", f"«{finding.file}» ({title}) là văn bản điện tử có chữ ký số (ký bởi: "
                              f"{finding.signed_by}), không có con dấu để kiểm tra; đề nghị kiểm tra chữ ký số trên "
                              "tệp gốc.", finding.component, finding.file))
        else:
            hints.append(Hint("seal_unverifiable", f"Không kiểm tra được con dấu trên «{finding.file}» ({title}): "
                              "bản không có màu (bản quét đen trắng hoặc văn bản điện tử); đề nghị kiểm tra bằng mắt.",
                              finding.component, finding.file))
    return tuple(hints)


def require_seals(verdict: Verdict, findings: Iterable[SealFinding], rules: RuleSet,
                  overrides: Iterable[Override] = ()) -> Verdict:
    """The verdict with a `missing_seal` deficiency for each colour range of a component whose rule sets
    `seal_required` and on which no seal was seen. A range that cannot show colour is not held against the
    enterprise (the officer is warned instead); a component an officer accepted is not checked."""
    accepted = {c for c, o in decisions_in_force(overrides).items() if o.decision == "accept"}
    required = {c.id for c in rules.components if c.seal_required} - accepted
    added = [
        Deficiency("missing_seal", f"{rules.component(f.component).title}: không thấy con dấu trên «{f.file}»; "
                   "đề nghị nộp bản có chữ ký và đóng dấu.", document=f.component, file=f.file)
        for f in findings if f.component in required and f.component in verdict.documents and not f.found
        and f.colour
    ]
    if not added:
        return verdict
    deficiencies = verdict.deficiencies + tuple(added)
    blocking = any(d.code in BLOCKING_CODES for d in deficiencies)
    return replace(verdict, deficiencies=deficiencies,
                   status="incomplete" if blocking or verdict.missing else "complete")


# ---- the stage: render what was never looked at, cache it --------------------------------------------------


PageImage = Callable[[Path, int], Any]
"""Renders page `number` of the file at a path in colour (PIL image), or returns None."""


def inspect_seals(files: list[ReceivedFile], matches: Iterable[Match], rules: RuleSet, *, store: Any,
                  archive: Callable[[str], Path], page_image: PageImage) -> dict[tuple[str, int], SealMark]:
    """The seal mark of every page to look at, from the store's cache or rendered now and cached
    (by SHA-256 and page, like the text). A page that cannot be rendered counts as no colour."""
    marks: dict[tuple[str, int], SealMark] = {}
    for received, _, number in sealed_pages(files, list(matches), rules):
        key = (received.sha256, number)
        if key in marks:
            continue
        mark = store.readings.seal_mark(received.sha256, number, DETECTOR)
        if mark is None:
            try:
                image = page_image(archive(received.sha256), number)
                mark = find_seal(image) if image is not None else SealMark(found=False, colour=False)
            except Exception as exc:  # noqa: BLE001 - a page that cannot be looked at is no seal, never a crash
                log.warning("seal check of sha256=%s page %d failed: %s", received.sha256[:12], number,
                            type(exc).__name__)
                mark = SealMark(found=False, colour=False)
            store.readings.save_seal_mark(received.sha256, number, DETECTOR, mark)
        marks[key] = mark
    return marks

