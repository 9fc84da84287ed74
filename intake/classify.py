"""Recognise which dossier component each file (or page range of a file) is, from its text; pure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .folding import fold, is_list_item, line_windows, phrase_score, prefix_score
from .models import Component, Evidence, Match, Page, ReceivedFile, RuleSet


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
    windows = line_windows(zone, 3)
    for component in rules.components:
        best: Evidence | None = None
        for phrase in component.titles:
            folded = fold(phrase)
            score = max((prefix_score(folded, w) for _, w in windows), default=0.0)
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
            score = phrase_score(folded, view.text)
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
    """Every file of a dossier classified, in path order (the verdict never depends on arrival order)."""
    return tuple(m for f in sorted(files, key=lambda f: f.path) for m in classify_document(f, rules))
