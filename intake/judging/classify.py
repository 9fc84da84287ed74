"""Recognise which dossier component each file (or page range of a file) is, from its text: what each page says it
is (`naming`), put together into the ranges of a file or of images named in sequence; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..folding import fold, phrase_score
from .criteria import written_under_headings
from .header import cite
from .holder import set_aside_foreign
from .ruleset import Component, RuleSet
from ..models import DocumentHeader, Evidence, Match, ReceivedFile
from .naming import COVER, DIVIDER_LINES, PageView, name_page, page_view


def _keyword_evidence(component: Component, views: list[PageView], rules: RuleSet) -> list[Evidence]:
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


def _score(component: Component, views: list[PageView], file_path: str, whole_file: bool,
           title: Evidence | None, rules: RuleSet) -> tuple[float, tuple[Evidence, ...]]:
    s = rules.classification
    evidence: list[Evidence] = []
    points = 0.0
    if title is not None:
        evidence.append(title)
        points += s.title_points * title.score / 100
    elif rules.recognition.require_naming:
        return 0.0, ()
    keywords = _keyword_evidence(component, views, rules)
    evidence += keywords
    points += min(s.keyword_points * len(keywords), s.keyword_points_max)
    if whole_file:
        names = _filename_evidence(component, file_path)
        evidence += names
        points += s.filename_points * len(names)
    return round(points, 1), tuple(evidence)


@dataclass
class _Run:
    start: int
    end: int
    name: str | None
    """Component id, COVER, or None."""
    titles: dict[str, Evidence]
    starts: bool
    """Its first page begins a document."""


def _runs(views: list[PageView], texts: list[str], rules: RuleSet) -> list[_Run]:
    """A file's pages split into runs: a page that names a component other than the current run's (or a cover
    letter, or a document of its own that names nothing) begins a run; any other page continues the run before
    it; pages before the first run that names something join it when it is a component."""
    runs: list[_Run] = []
    leading: list[int] = []
    for index, (view, text) in enumerate(zip(views, texts)):
        naming = name_page(view, text, rules)
        current = runs[-1] if runs else None
        if naming.component is None:
            if _header_begins(view) or naming.alone:
                # A document of its own that names nothing (an unrelated decision, an invitation): not attached.
                # A note (no header) is one page: the pages after it are not its sections.
                runs.append(_Run(index, index, None, {}, not naming.alone))
            elif current is None:
                leading.append(index)
            else:
                current.end = index
            continue
        if current is not None and naming.component is not None and (
                naming.component == current.name
                or (not naming.by_header and current.name in naming.others)
                # A document of its own that names nothing (the award's writing guide: "HƯỚNG DẪN VIẾT BÁO CÁO …")
                # goes on over pages with no header of their own; their headings ("P.1 Mô tả tổ chức", "Tiêu chí
                # 1: …") are its sections, not the components they name.
                or (current.name is None and current.starts and not naming.by_header and not view.header.found)):
            current.end = index
            if naming.evidence is not None and naming.component not in current.titles:
                current.titles[naming.component] = naming.evidence
            continue
        titles = {naming.component: naming.evidence} if naming.component and naming.evidence else {}
        start = index
        if current is not None and index and current.end == index - 1 and current.start < index - 1 \
                and _bare_divider(views[index - 1]):
            # A divider that says only "PHẦN 3" or "HỒ SƠ SỐ 3" opens the part after it (audit 16), when a part
            # begins there; else it stays with the pages around it.
            current.end, start = index - 2, index - 1
        runs.append(_Run(start, index, naming.component, titles, naming.starts))
    for run in runs if len(views) > 1 else ():  # a file of one short page is what it names (a photo OCR'd poorly)
        if run.name not in (None, COVER) and all(len(views[i].lines) <= DIVIDER_LINES
                                                 for i in range(run.start, run.end + 1)):
            # A divider with nothing of its component behind it ("PHẦN 5 / GIẤY CHỨNG NHẬN SẢN PHẨM PHÙ HỢP TIÊU
            # CHUẨN" then the next part, or a note that the certificate will follow): the component is not there.
            run.name, run.titles, run.starts = None, {}, True
    if leading:
        if runs and runs[0].name not in (None, COVER) and runs[0].start == leading[-1] + 1:
            runs[0].start = leading[0]
        else:
            runs.insert(0, _Run(leading[0], leading[-1], None, {}, False))
    return runs


_BARE_DIVIDER = re.compile(
    r"^(?:phan|ho so so|ho so|tai lieu so|tai lieu|phu luc so|phu luc|muc|chuong|quyen) (?:\d{1,2}|[ivx]{1,4})$")


def _bare_divider(view: PageView) -> bool:
    """A divider sheet that names a part by its number only ("PHẦN 2", "HỒ SƠ SỐ 3", "PHỤ LỤC 4": audit 41)."""
    return 0 < len(view.lines) <= DIVIDER_LINES and all(_BARE_DIVIDER.match(line) for line in view.lines)


def _header_begins(view: PageView) -> bool:
    """Whether a page's header clearly begins a document of its own: a letter's summary, or a type line with an
    issuer, a number, a date or an addressee of its own ("VĂN BẢN ĐỀ NGHỊ XÁC NHẬN …" / "Kính gửi: Cục Thuế …", a
    form whose date is at its foot: audit 44); a type line alone heads a section of the document it is in
    ("HƯỚNG DẪN ĐỌC BÁO CÁO" on a self-assessment's second page)."""
    header = view.header
    return header.letter or bool(header.type and (header.issuer or header.number or header.date or header.addressee))


def _segments(views: list[PageView], rules: RuleSet,
              texts: list[str] | None = None) -> list[tuple[int, int, dict[str, Evidence]]]:
    """Split a file's pages into runs (see `_runs`), each with the title phrases that name it."""
    runs = _runs(views, texts if texts is not None else ["\n".join(v.lines) for v in views], rules)
    return [(r.start, r.end, _run_titles(r, views)) for r in runs]


_OTHER = "other_document"
"""Key of the titles of a run that begins a document of its own naming nothing (never a component id)."""


def _run_titles(run: _Run, views: list[PageView]) -> dict[str, Evidence]:
    if run.name == COVER:
        return {COVER: next(iter(run.titles.values()))}
    if run.name is None and run.starts:
        view = views[run.start]
        return {_OTHER: Evidence("header", cite(view.header), view.number, 100.0)}
    return dict(run.titles)


def _best(views: list[PageView], path: str, whole_file: bool, titles: dict[str, Evidence],
          rules: RuleSet) -> tuple[float, Component | None, tuple[Evidence, ...]]:
    best: tuple[float, Component | None, tuple[Evidence, ...]] = (0.0, None, ())
    if COVER in titles:
        return best
    for component in rules.components:
        points, evidence = _score(component, views, path, whole_file, titles.get(component.id), rules)
        if points > best[0]:
            best = (points, component, evidence)
    return best


MIN_CRITERIA = 5
"""Criteria a range must address under headings of their own to be a report of them without a title (`_by_criteria`)."""


def _by_criteria(views: list[PageView], rules: RuleSet) -> tuple[Component, Evidence] | None:
    """The component a range with no title and no header is by the criteria it addresses: a self-assessment that
    begins "I. VAI TRÒ CỦA LÃNH ĐẠO" after a sentence of introduction, or under the award's name only (audit 54: it
    was asked for as never received). A range with a header of its own (the award's writing guide, a decision) is
    what its header says, not this."""
    if views[0].header.kind:
        return None
    lines = [line for v in views for line in v.lines]
    for component in rules.components:
        for check in component.checks:
            if check.kind != "criteria":
                continue
            written = written_under_headings(check, lines, rules.classification.min_phrase_score)
            addressed = [n for n, kinds in sorted(written.items()) if "text" in kinds]
            if len(addressed) >= min(MIN_CRITERIA, len(check.criteria)):
                return component, Evidence("criteria", ", ".join(map(str, addressed)), views[0].number, 100.0)
    return None


def _header_evidence(view: PageView) -> tuple[Evidence, ...]:
    return (Evidence("header", cite(view.header), view.number, 100.0),) if view.header.found else ()


def classify_document(file: ReceivedFile, rules: RuleSet) -> tuple[Match, ...]:
    """Every page range of `file` with the component it is recognised as (None: not a component); every page is
    in exactly one range, and consecutive ranges of one component are one range."""
    pages = file.extraction.pages
    if file.extraction.problem is not None or not pages:
        return ()
    views = [page_view(p, rules) for p in pages]
    segments = _segments(views, rules, [p.text for p in pages])
    whole_file = len(segments) == 1
    found: list[tuple[int, int, str | None, float, tuple[Evidence, ...], str, DocumentHeader | None]] = []
    for start, end, titles in segments:
        points, component, evidence = _best(views[start : end + 1], file.path, whole_file, titles, rules)
        recognised = component is not None and points >= rules.classification.min_points
        if not recognised and COVER not in titles and (named := _by_criteria(views[start : end + 1], rules)):
            component, evidence, points, recognised = named[0], (named[1],), rules.classification.title_points, True
        cid = component.id if recognised and component else None
        header_view = next((v for v in views[start : end + 1] if v.header.found), None)
        header = header_view.header if header_view is not None else None
        role = COVER if COVER in titles else ""
        why = (titles[COVER],) if role else (evidence if recognised else ())
        if header_view is not None:
            # Every document the range holds, as its header reads (a decision, then each monitoring report).
            begins = [v for v in views[start + 1 : end + 1] if v.header.kind][:5]
            why = _header_evidence(header_view) + tuple(e for v in begins for e in _header_evidence(v)) + why
        if found and cid is not None and found[-1][2] == cid:
            last = found[-1]
            found[-1] = (last[0], end, cid, max(last[3], points), last[4] + tuple(e for e in why if e not in last[4]),
                         last[5], last[6])
            continue
        found.append((start, end, cid, points, why, role, header))
    return tuple(
        Match(file=file.path, first_page=pages[start].number, last_page=pages[end].number,
              page_count=len(pages), component=cid, points=0.0 if role else points,
              evidence=why, header=header, cover_letter=role == COVER)
        for start, end, cid, points, why, role, header in found
    )


def classify_dossier(files: list[ReceivedFile], rules: RuleSet) -> tuple[Match, ...]:
    """Every file of a dossier classified, in path order (the verdict never depends on arrival order); images
    named in sequence are read as the pages of one scan (see `classify_sequence`); another entity's confirmation
    is none (`set_aside_foreign`)."""
    ordered = sorted(files, key=lambda f: f.path)
    in_runs: dict[str, tuple[Match, ...]] = {}
    for run in sequence_runs(ordered):
        in_runs.update(classify_sequence(run, rules))
    matches = tuple(m for f in ordered for m in (in_runs[f.path] if f.path in in_runs else classify_document(f, rules)))
    return set_aside_foreign(ordered, matches, rules)


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


def classify_sequence(run: list[ReceivedFile], rules: RuleSet) -> dict[str, tuple[Match, ...]]:
    """The matches of each file of a run of images named in sequence. A file whose first page names no
    component continues the document of the file before it (a component photographed over several images is
    one document: each of its files is recognised as it, the later ones with "sequence" evidence naming the
    first), unless on its own it is recognised as another component. Files that continue nothing are
    classified exactly as on their own."""
    singles = [classify_document(f, rules) for f in run]
    views = [[page_view(p, rules) for p in f.extraction.pages] for f in run]
    groups: list[tuple[list[_Piece], dict[str, Evidence]]] = []
    for index, f in enumerate(run):
        segments = _segments(views[index], rules, [p.text for p in f.extraction.pages])
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


def _flatten(run: list[ReceivedFile], views: list[list[PageView]],
             pieces: list[_Piece]) -> tuple[list[PageView], dict[int, tuple[int, int]]]:
    """The pieces' page views renumbered 1, 2, … across files, and each new number's (file index, page)."""
    flat: list[PageView] = []
    where: dict[int, tuple[int, int]] = {}
    for index, first, last in pieces:
        for view, page in zip(views[index][first : last + 1], run[index].extraction.pages[first : last + 1]):
            flat.append(PageView(len(flat) + 1, view.lines, view.text, view.header, view.zone))
            where[len(flat)] = (index, page.number)
    return flat, where


def _group_component(run: list[ReceivedFile], views: list[list[PageView]], pieces: list[_Piece],
                     titles: dict[str, Evidence], rules: RuleSet) -> str | None:
    flat, _ = _flatten(run, views, pieces)
    points, component, _ = _best(flat, run[pieces[0][0]].path, False, _renumbered(titles, 1), rules)
    return component.id if component is not None and points >= rules.classification.min_points else None


def _renumbered(titles: dict[str, Evidence], page: int) -> dict[str, Evidence]:
    return {k: Evidence(e.kind, e.phrase, page, e.score) for k, e in titles.items()}


def _group_matches(run: list[ReceivedFile], views: list[list[PageView]], pieces: list[_Piece],
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
