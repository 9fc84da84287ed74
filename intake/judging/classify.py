"""Recognise which dossier component each file (or page range of a file) is, from its text; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..folding import Heads, best_prefix_score, fold, is_list_item, line_windows, phrase_score
from .ruleset import Component, RuleSet
from ..models import Evidence, Match, Page, ReceivedFile


@dataclass(frozen=True)
class _PageView:
    number: int
    lines: tuple[str, ...]
    """Folded non-empty lines."""
    text: str
    """Folded text of the whole page."""


def folded_lines(text: str) -> tuple[str, ...]:
    """The folded, non-empty lines of a text."""
    return tuple(f for f in (fold(line) for line in text.splitlines()) if f)


def _view(page: Page) -> _PageView:
    lines = folded_lines(page.text)
    return _PageView(page.number, lines, " ".join(lines))


def title_hits(view: _PageView, rules: RuleSet) -> list[tuple[Component, Evidence]]:
    """Components whose title phrase begins a line in the page's title zone, best score first."""
    settings = rules.classification
    zone = [
        line for line in view.lines[: settings.title_zone_lines]
        if not line.startswith(settings.ignore_line_prefixes) and not is_list_item(line)
    ]
    hits: list[tuple[Component, Evidence]] = []
    windows = Heads(w for _, w in line_windows(zone, 3))
    for component in rules.components:
        best: Evidence | None = None
        for phrase in component.titles:
            folded = fold(phrase)
            score = best_prefix_score(folded, windows, cutoff=settings.min_phrase_score)
            if score >= settings.min_phrase_score and (best is None or score > best.score):
                best = Evidence("title", phrase, view.number, round(score, 1))
        if best is not None:
            hits.append((component, best))
    hits.sort(key=lambda hit: -hit[1].score)
    return hits


def _keyword_evidence(component: Component, views: list[_PageView], rules: RuleSet) -> list[Evidence]:
    found = []
    for phrase in component.keywords:
        folded = fold(phrase)
        for view in views:
            score = phrase_score(folded, view.text, cutoff=rules.classification.min_phrase_score)
            if score >= rules.classification.min_phrase_score:
                found.append(Evidence("keyword", phrase, view.number, round(score, 1)))
                break
    return found


def _filename_evidence(component: Component, file_path: str) -> list[Evidence]:
    name = fold(PurePosixPath(file_path).stem)
    return [Evidence("filename", hint, 0, 100.0) for hint in component.filename_hints if hint in name][:1]


def _score(component: Component, views: list[_PageView], file_path: str, whole_file: bool,
           title: Evidence | None, rules: RuleSet) -> tuple[float, tuple[Evidence, ...]]:
    s = rules.classification
    evidence: list[Evidence] = []
    points = 0.0
    if title is not None:
        evidence.append(title)
        points += s.title_points * title.score / 100
    keywords = _keyword_evidence(component, views, rules)
    evidence += keywords
    points += min(s.keyword_points * len(keywords), s.keyword_points_max)
    if whole_file:
        names = _filename_evidence(component, file_path)
        evidence += names
        points += s.filename_points * len(names)
    return round(points, 1), tuple(evidence)


def _segments(views: list[_PageView], rules: RuleSet) -> list[tuple[int, int, dict[str, Evidence]]]:
    """Split a file's pages where a page's top names a component other than the current one."""
    segments: list[tuple[int, int, dict[str, Evidence]]] = []
    current: str | None = None
    for index, view in enumerate(views):
        hits = title_hits(view, rules)
        top = hits[0][0].id if hits else None
        if not segments or (top is not None and top != current and current not in {c.id for c, _ in hits}):
            segments.append((index, index, {c.id: e for c, e in hits}))
            current = top
        else:
            start, _, titles = segments[-1]
            segments[-1] = (start, index, titles)
    return segments


def classify_document(file: ReceivedFile, rules: RuleSet) -> tuple[Match, ...]:
    """Every page range of `file` with the component it is recognised as (None: not a component)."""
    pages = file.extraction.pages
    if file.extraction.problem is not None or not pages:
        return ()
    views = [_view(p) for p in pages]
    segments = _segments(views, rules)
    whole_file = len(segments) == 1
    matches = []
    for start, end, titles in segments:
        seg_views = views[start : end + 1]
        best: tuple[float, Component | None, tuple[Evidence, ...]] = (0.0, None, ())
        for component in rules.components:
            points, evidence = _score(component, seg_views, file.path, whole_file, titles.get(component.id), rules)
            if points > best[0]:
                best = (points, component, evidence)
        points, component, evidence = best
        recognised = component is not None and points >= rules.classification.min_points
        matches.append(
            Match(
                file=file.path,
                first_page=pages[start].number,
                last_page=pages[end].number,
                page_count=len(pages),
                component=component.id if recognised and component else None,
                points=points,
                evidence=evidence if recognised else (),
            )
        )
    return tuple(matches)


def classify_dossier(files: list[ReceivedFile], rules: RuleSet) -> tuple[Match, ...]:
    """Every file of a dossier classified, in path order (the verdict never depends on arrival order); images
    named in sequence are read as the pages of one scan (see `classify_sequence`)."""
    ordered = sorted(files, key=lambda f: f.path)
    in_runs: dict[str, tuple[Match, ...]] = {}
    for run in sequence_runs(ordered):
        in_runs.update(classify_sequence(run, rules))
    return tuple(m for f in ordered for m in (in_runs[f.path] if f.path in in_runs else classify_document(f, rules)))


# ---- images named in sequence: one scan, photographed or scanned page by page ------------------------------

SEQUENCE_KINDS = frozenset({"jpeg", "png", "tiff"})
"""Kinds of file a scanner or phone writes one page at a time (scan_001.jpg, scan_002.jpg …)."""

_NUMBERED = re.compile(r"^(?P<stem>.*?)(?P<number>\d+)$")


def sequence_runs(files: list[ReceivedFile]) -> list[list[ReceivedFile]]:
    """Images of one folder whose names differ only by consecutive numbers (same stem, same extension), in
    number order: each run of two or more."""
    groups: dict[tuple[str, str, str], list[tuple[int, ReceivedFile]]] = {}
    for f in files:
        if f.extraction.kind not in SEQUENCE_KINDS or f.extraction.problem is not None or not f.extraction.pages:
            continue
        path = PurePosixPath(f.path)
        numbered = _NUMBERED.match(path.stem)
        if numbered is None:
            continue
        key = (str(path.parent), numbered["stem"].casefold(), path.suffix.casefold())
        groups.setdefault(key, []).append((int(numbered["number"]), f))
    runs: list[list[ReceivedFile]] = []
    for items in groups.values():
        items.sort(key=lambda item: (item[0], item[1].path))
        current = [items[0]]
        for number, f in items[1:]:
            if number == current[-1][0] + 1:
                current.append((number, f))
                continue
            if len(current) > 1:
                runs.append([f for _, f in current])
            current = [(number, f)]
        if len(current) > 1:
            runs.append([f for _, f in current])
    return runs


_Piece = tuple[int, int, int]
"""(index of the file in its run, first and last page index within the file)."""


def _best(views: list[_PageView], path: str, whole_file: bool, titles: dict[str, Evidence],
          rules: RuleSet) -> tuple[float, Component | None, tuple[Evidence, ...]]:
    best: tuple[float, Component | None, tuple[Evidence, ...]] = (0.0, None, ())
    for component in rules.components:
        points, evidence = _score(component, views, path, whole_file, titles.get(component.id), rules)
        if points > best[0]:
            best = (points, component, evidence)
    return best


def classify_sequence(run: list[ReceivedFile], rules: RuleSet) -> dict[str, tuple[Match, ...]]:
    """The matches of each file of a run of images named in sequence. A file whose first page names no
    component continues the document of the file before it (a component photographed over several images is
    one document: each of its files is recognised as it, the later ones with "sequence" evidence naming the
    first), unless on its own it is recognised as another component. Files that continue nothing are
    classified exactly as on their own."""
    singles = [classify_document(f, rules) for f in run]
    views = [[_view(p) for p in f.extraction.pages] for f in run]
    groups: list[tuple[list[_Piece], dict[str, Evidence]]] = []
    for index, f in enumerate(run):
        segments = _segments(views[index], rules)
        start, end, titles = segments[0]
        if groups and not titles:
            pieces, group_titles = groups[-1]
            before = _group_component(run, views, pieces, group_titles, rules)
            alone = singles[index][0].component if singles[index] else None
            if alone is None or alone == before:
                pieces.append((index, start, end))
                segments = segments[1:]
        groups += [([(index, s, e)], t) for s, e, t in segments]
    if all(len(pieces) == 1 for pieces, _ in groups):
        return {f.path: singles[i] for i, f in enumerate(run)}
    joined = {i for pieces, _ in groups if len(pieces) > 1 for i, _, _ in pieces}
    matches: dict[str, list[Match]] = {f.path: [] for f in run}
    for pieces, titles in groups:
        if len(pieces) == 1 and pieces[0][0] not in joined:
            continue
        matches_of_group = _group_matches(run, views, pieces, titles, rules)
        for piece, match in zip(pieces, matches_of_group):
            matches[run[piece[0]].path].append(match)
    return {f.path: (tuple(matches[f.path]) if i in joined else singles[i]) for i, f in enumerate(run)}


def _flatten(run: list[ReceivedFile], views: list[list[_PageView]],
             pieces: list[_Piece]) -> tuple[list[_PageView], dict[int, tuple[int, int]]]:
    """The pieces' page views renumbered 1, 2, … across files, and each new number's (file index, page)."""
    flat: list[_PageView] = []
    where: dict[int, tuple[int, int]] = {}
    for index, first, last in pieces:
        for view, page in zip(views[index][first : last + 1], run[index].extraction.pages[first : last + 1]):
            flat.append(_PageView(len(flat) + 1, view.lines, view.text))
            where[len(flat)] = (index, page.number)
    return flat, where


def _group_component(run: list[ReceivedFile], views: list[list[_PageView]], pieces: list[_Piece],
                     titles: dict[str, Evidence], rules: RuleSet) -> str | None:
    flat, _ = _flatten(run, views, pieces)
    points, component, _ = _best(flat, run[pieces[0][0]].path, False, _renumbered(titles, 1), rules)
    return component.id if component is not None and points >= rules.classification.min_points else None


def _renumbered(titles: dict[str, Evidence], page: int) -> dict[str, Evidence]:
    return {k: Evidence(e.kind, e.phrase, page, e.score) for k, e in titles.items()}


def _group_matches(run: list[ReceivedFile], views: list[list[_PageView]], pieces: list[_Piece],
                   titles: dict[str, Evidence], rules: RuleSet) -> list[Match]:
    """One match per piece of a document spread over several files, all recognised as the whole is."""
    flat, where = _flatten(run, views, pieces)
    first_file = run[pieces[0][0]]
    title_page = next(iter(titles.values())).page if titles else 0
    title_flat = next((n for n, (i, p) in where.items() if i == pieces[0][0] and p == title_page), 1)
    points, component, evidence = _best(flat, first_file.path, len(pieces) == 1 and _whole(first_file, pieces[0]),
                                        _renumbered(titles, title_flat), rules)
    recognised = component is not None and points >= rules.classification.min_points
    matches: list[Match] = []
    for index, first, last in pieces:
        f = run[index]
        pages = f.extraction.pages
        own = tuple(Evidence(e.kind, e.phrase, where[e.page][1], e.score) for e in evidence
                    if e.page in where and where[e.page][0] == index)
        if matches:
            own += (Evidence("sequence", matches[0].label, pages[first].number, 100.0),)
        matches.append(Match(
            file=f.path, first_page=pages[first].number, last_page=pages[last].number, page_count=len(pages),
            component=component.id if recognised and component else None, points=points,
            evidence=own if recognised else (),
        ))
    return matches


def _whole(f: ReceivedFile, piece: _Piece) -> bool:
    return piece[1] == 0 and piece[2] == len(f.extraction.pages) - 1
