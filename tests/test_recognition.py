"""Recognition measured on documents laid out as real ones are (tests/layouts.py), through the real service path.

Every file of a corpus of realistic dossiers goes through what the service does to a dropped file: archive,
extraction (pypdf, python-docx, real Tesseract `vie` for scans), classification and judgement (`intake.pipeline`
on a real `Store`); the officers' JSON (`build_report`, the `intake report --format json` contract) is then read
page by page against each file's ground truth. A per-component precision/recall table is printed (`pytest -s`),
attached to the test report, and written to `recognition.txt` in the test's temporary folder.

Measured per page: a page counts for the component whose document range (in `documents`) holds it. A cover
letter or other non-component page counted as a component is a false positive of that component.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

import pytest

import layouts
from conftest import REQUIRED, Service, assert_never_complete_with_missing

pytestmark = pytest.mark.slow

SEED = 2020
DOSSIERS = 21
"""About 215 files, 450 pages, a third of the files scanned."""
MIN_PRECISION = 0.99
MIN_RECALL = 0.97

_LABEL = re.compile(r"^(?P<file>.*?)(?:#p(?P<first>\d+)(?:-(?P<last>\d+))?)?$")


@dataclass
class Measured:
    complete: list[layouts.CorpusDossier]
    removed: list[layouts.CorpusDossier]
    report: dict[str, dict[str, Any]]
    pages: dict[tuple[str, str], list[tuple[str, str, str]]]
    """(folder, file) → per page: (truth, predicted, layout); predicted is a component id, "cover_letter",
    "listed" (an unrecognised page the JSON lists, or a file the verdict reports as unreadable) or "dropped"."""
    seconds: dict[str, float]
    folder: Path


def _pages_of(label: str, page_count: int) -> tuple[str, range]:
    m = _LABEL.match(label)
    assert m is not None
    if m["first"] is None:
        return m["file"], range(1, page_count + 1)
    first = int(m["first"])
    return m["file"], range(first, int(m["last"] or first) + 1)


def _listed_labels(value: Any) -> Iterator[tuple[str, int | None, int | None]]:
    """(file, first, last) of every page range a JSON value names: "file#p3-5" strings, or objects with a file
    and its pages ("first_page"/"last_page", "pages" as numbers or "3-5", or a "label")."""
    if isinstance(value, str):
        m = _LABEL.match(value)
        if m is not None:
            yield m["file"], int(m["first"]) if m["first"] else None, int(m["last"] or m["first"] or 0) or None
    elif isinstance(value, list):
        for item in value:
            yield from _listed_labels(item)
    elif isinstance(value, dict):
        name = value.get("file") or value.get("path")
        if isinstance(value.get("label"), str):
            yield from _listed_labels(value["label"])
        elif isinstance(name, str):
            first = value.get("first_page", value.get("first"))
            last = value.get("last_page", value.get("last", first))
            pages = value.get("pages")
            if isinstance(first, int):
                yield name, first, last if isinstance(last, int) else first
            elif isinstance(pages, list) and all(isinstance(p, int) for p in pages):
                for p in pages:
                    yield name, p, p
            elif isinstance(pages, str) and re.fullmatch(r"\d+(-\d+)?", pages):
                a, _, b = pages.partition("-")
                yield name, int(a), int(b or a)
            else:
                yield name, None, None
        else:
            for inner in value.values():
                yield from _listed_labels(inner)


# Keys of a dossier's JSON record under which pages that are no component are listed. The contract of issue 13:
# "what remains unassigned is listed … in the JSON as unrecognised pages"; a cover letter "is recorded as such".
# GAP (main, 2026-11-29): the JSON has no such key yet (the recognizer branch adds it); until it does, a page in
# no component's range counts as dropped, except in a file the verdict reports as unreadable.
_LISTING_KEYS = ("unrecogn", "unrecogniz", "unassigned", "cover", "not_component", "other_pages")


def _predictions(record: dict[str, Any], f: layouts.CorpusFile) -> list[str]:
    n = len(f.truth)
    predicted = ["dropped"] * n
    for key, value in record.items():
        if any(k in key.lower() for k in _LISTING_KEYS):
            kind = "cover_letter" if "cover" in key.lower() else "listed"
            for name, first, last in _listed_labels(value):
                if name == f.name:
                    for p in range(first or 1, (last or n) + 1):
                        if 1 <= p <= n:
                            predicted[p - 1] = kind
    if any(d.get("file") == f.name for d in record.get("deficiencies", [])):
        predicted = [p if p != "dropped" else "listed" for p in predicted]
    for component, labels in record.get("documents", {}).items():
        for label in labels:
            name, pages = _pages_of(label, n)
            if name == f.name:
                for p in pages:
                    if 1 <= p <= n:
                        predicted[p - 1] = component
    return predicted


def _write(job: tuple[Path, layouts.CorpusFile]) -> None:
    layouts.write_file(*job)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract, the extraction sandbox)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.fixture(scope="module")
def measured(tmp_path_factory, rules) -> Iterator[Measured]:
    root = tmp_path_factory.mktemp("recognition")
    seconds: dict[str, float] = {}
    start = time.monotonic()
    complete = layouts.make_corpus(SEED, DOSSIERS)
    # The same dossiers with one required component taken out (same bytes: their extraction is cached).
    removed = [replace(layouts.make_dossier(i, SEED, removed=(component,)),
                       folder=f"HS{i:02d} thiếu {component}")
               for i, component in enumerate(REQUIRED)]
    svc = Service(root, rules)
    try:
        jobs = [(svc.inbox / d.folder, f) for d in complete for f in d.files]
        for folder, _ in jobs:
            folder.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_write, jobs, chunksize=4))
        for d in removed:
            source = next(c for c in complete if c.files[0].seed == d.files[0].seed)
            (svc.inbox / d.folder).mkdir()
            for f in d.files:
                shutil.copyfile(svc.inbox / source.folder / f.name, svc.inbox / d.folder / f.name)
        seconds["write"] = time.monotonic() - start
        start, cpu = time.monotonic(), _cpu()
        svc.scan()
        seconds["service"] = time.monotonic() - start
        seconds["service CPU"] = _cpu() - cpu
        report = svc.report()
        (root / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        svc.close()
    pages = {}
    for dossier in complete:
        record = report[dossier.folder]
        for f in dossier.files:
            layout_of_page = [d.layout for d in f.docs for _ in d.pages]
            pages[(dossier.folder, f.name)] = list(zip(f.truth, _predictions(record, f), layout_of_page))
    yield Measured(complete, removed, report, pages, seconds, root)


def _rendering(m: Measured, folder: str, name: str) -> str:
    d = next(d for d in m.complete if d.folder == folder)
    f = next(f for f in d.files if f.name == name)
    return (f.rendering + (f"{f.dpi}" if f.scanned and f.variant != "phone" else "") + ("-degraded" if f.degraded else "")
            + (f"-{f.variant}" if f.variant else ""))


def _table(m: Measured) -> tuple[str, dict[str, tuple[float, float]]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    files_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
    files_ok: dict[str, set[tuple[str, str]]] = defaultdict(set)
    errors: list[str] = []
    for (folder, name), rows in m.pages.items():
        for page, (truth, predicted, layout) in enumerate(rows, 1):
            if truth in layouts.COMPONENT_IDS:
                files_of[truth].add((folder, name))
            if truth == predicted:
                tp[truth] += 1
                continue
            if truth in layouts.COMPONENT_IDS:
                fn[truth] += 1
            if predicted in layouts.COMPONENT_IDS:
                fp[predicted] += 1
            errors.append(f"  {folder[:4]} {name}#p{page} [{_rendering(m, folder, name)}] {layout}: "
                          f"{truth} -> {predicted}")
    for (folder, name), rows in m.pages.items():
        for component in {t for t, _, _ in rows if t in layouts.COMPONENT_IDS}:
            if all(p == t for t, p, _ in rows if t == component):
                files_ok[component].add((folder, name))
    scores = {}
    lines = [f"{'component':<20} {'pages':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} "
             f"{'files whole':>11}"]
    for c in layouts.COMPONENT_IDS:
        predicted = tp[c] + fp[c]
        actual = tp[c] + fn[c]
        precision = tp[c] / predicted if predicted else 1.0
        recall = tp[c] / actual if actual else 1.0
        scores[c] = (precision, recall)
        lines.append(f"{c:<20} {actual:>5} {tp[c]:>4} {fp[c]:>4} {fn[c]:>4} {precision:>9.3f} {recall:>7.3f} "
                     f"{len(files_ok[c]):>5}/{len(files_of[c]):<5}")
    outcomes: Counter[tuple[str, str]] = Counter(
        (t, p if p in ("dropped", "listed", "cover_letter") or p == t else "component")
        for rows in m.pages.values() for t, p, _ in rows if t in layouts.NEGATIVE_KINDS)
    files = sum(len(d.files) for d in m.complete)
    scanned = sum(f.scanned for d in m.complete for f in d.files)
    lines += ["", "non-components: " + ", ".join(f"{t} -> {p}: {n}" for (t, p), n in sorted(outcomes.items())),
              f"dropped pages (in no component's range, not listed): "
              f"{sum(p == 'dropped' for rows in m.pages.values() for _, p, _ in rows)}",
              f"corpus: {len(m.complete)} dossiers, {files} files ({scanned} scanned), "
              f"{sum(len(r) for r in m.pages.values())} pages; "
              + ", ".join(f"{k} {v:.0f} s" for k, v in m.seconds.items()),
              "", f"pages not recognised as what they are ({len(errors)}):", *errors]
    return "\n".join(lines), scores


def test_components_are_recognised_on_real_layouts(measured, request):
    """Per-component precision ≥ 0.99 and recall ≥ 0.97, per page, over ≥ 200 files of every layout."""
    table, scores = _table(measured)
    (measured.folder / "recognition.txt").write_text(table + "\n", encoding="utf-8")
    request.node.add_report_section("call", "recognition", table)
    print("\n" + table + f"\n(written to {measured.folder / 'recognition.txt'})")
    assert sum(len(d.files) for d in measured.complete) >= 200
    assert {t for rows in measured.pages.values() for t, _, _ in rows} == set(layouts.KINDS)
    low = {c: s for c, s in scores.items() if s[0] < MIN_PRECISION or s[1] < MIN_RECALL}
    assert not low, f"below precision {MIN_PRECISION} / recall {MIN_RECALL}: {low}"


def test_no_cover_letter_or_negative_is_counted_as_a_component(measured):
    counted = sorted(
        f"{folder} / {name}#p{page}: {truth} counted as {predicted} ({layout})"
        for (folder, name), rows in measured.pages.items()
        for page, (truth, predicted, layout) in enumerate(rows, 1)
        if truth in layouts.NEGATIVE_KINDS and predicted in layouts.COMPONENT_IDS
    )
    assert not counted, "\n".join(counted)


def test_no_page_is_dropped_from_a_files_accounting(measured):
    """Every page of every file is in a component's range, a cover letter, or the listed unrecognised pages."""
    dropped = sorted(
        f"{folder} / {name}#p{page} ({truth}, {layout})"
        for (folder, name), rows in measured.pages.items()
        for page, (truth, predicted, layout) in enumerate(rows, 1) if predicted == "dropped"
    )
    assert not dropped, f"{len(dropped)} pages in no component's range and not listed:\n" + "\n".join(dropped[:60])


def test_dossiers_complete_in_fact_are_reported_complete(measured):
    assert_never_complete_with_missing(measured.report)
    wrong = {
        d.folder: [f"{x['code']}: {x['message']}" for x in measured.report[d.folder]["deficiencies"]]
        for d in measured.complete if measured.report[d.folder]["status"] != "complete"
    }
    assert not wrong, f"{len(wrong)}/{len(measured.complete)} complete dossiers reported incomplete: {wrong}"


def test_a_dossier_without_one_component_names_exactly_that_one(measured):
    blocking = {"missing_document", "missing_criteria", "missing_years", "missing_seal"}
    wrong = {}
    for d in measured.removed:
        record = measured.report[d.folder]
        named = {x["document"] for x in record["deficiencies"] if x["code"] in blocking}
        if record["status"] != "incomplete" or record["missing"] != list(d.removed) or named != set(d.removed):
            wrong[d.folder] = (record["status"], record["missing"], sorted(x for x in named if x))
    assert not wrong, f"expected exactly the removed component to be named: {wrong}"
