"""What one page says it is: the component its header, title or form fields name, a cover letter, a document of
its own that is no component (an unrelated letter, a note that a document will follow); pure. `classify` puts the
pages of a file together from these."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ..folding import Heads, best_prefix_score, drop_speck, fold, is_list_item, line_windows, strip_enumerator
from .header import heading, parse_header, subject_opens
from .ruleset import Component, RuleSet
from ..models import DocumentHeader, Evidence, Page

COVER = "cover_letter"
"""What a page range is when it sends the dossier or lists its components: recorded, never counted."""


@dataclass(frozen=True)
class PageView:
    number: int
    lines: tuple[str, ...]
    """Folded non-empty lines."""
    text: str
    """Folded text of the whole page."""
    header: DocumentHeader = DocumentHeader()
    """The header read at its top."""
    zone: tuple[str, ...] = ()
    """Folded lines from the header on (the noise before it skipped)."""


def folded_lines(text: str) -> tuple[str, ...]:
    """The folded, non-empty lines of a text (a speck OCR read in front of a title dropped)."""
    return tuple(f for f in (fold(drop_speck(line)) for line in text.splitlines()) if f)


def page_view(page: Page, rules: RuleSet) -> PageView:
    lines = folded_lines(page.text)
    header = parse_header(page.text, rules.recognition.header)
    noise = rules.recognition.header.noise_prefixes
    zone = tuple(line for line in lines if not (line in noise or line.startswith(_spaced(noise))))
    return PageView(page.number, lines, " ".join(lines), header, zone)


@lru_cache(maxsize=16)
def _spaced(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p + " " for p in prefixes)


def title_hits(view: PageView, rules: RuleSet) -> list[tuple[Component, Evidence]]:
    """Components whose title phrase begins a line in the page's title zone, best score first."""
    settings = rules.classification
    lines = view.zone or view.lines
    if len(view.lines) <= DIVIDER_LINES:  # a divider page of a bound dossier: "2. BÁO CÁO GIỚI THIỆU CHUNG"
        lines = tuple(strip_enumerator(line) for line in lines)
    zone = [
        line for line in lines[: settings.title_zone_lines]
        if not line.startswith(settings.ignore_line_prefixes) and not is_list_item(line)
    ]
    return _title_hits_in(zone + _running_title(lines, rules), view.number, rules, view.text)


_RUNNING_HEADS = ("cong ty ", "cty ", "ctcp ", "tong cong ty ", "hop tac xa ", "htx ", "doanh nghiep tu nhan ")
"""How the page's first line begins when it is a Word page header naming the company before the title."""


def _running_title(lines: tuple[str, ...], rules: RuleSet) -> list[str]:
    """The title a Word page header gives after the company's name ("CÔNG TY TNHH PHÚ THỊNH - BÁO CÁO TỰ ĐÁNH GIÁ
    THEO 7 TIÊU CHÍ …", audit 50: a self-assessment titled only there was no self-assessment), as a line of its
    own; none when the page's first line is no such header."""
    if not lines or not lines[0].startswith(_RUNNING_HEADS):
        return []
    first = f" {lines[0]} "
    found = [at for component in rules.components for phrase in component.titles
             if (at := first.find(f" {fold(phrase)} ", 1)) > 0]
    return [first[min(found) + 1:].strip()] if found else []


DIVIDER_LINES = 2
"""A page of this many lines at most is a divider: its numbered title names what follows."""


def _title_hits_in(zone: list[str], page: int, rules: RuleSet, text: str = "") -> list[tuple[Component, Evidence]]:
    """Components a title phrase of which begins a line of `zone`; a component's `term_titles` only where the page's
    folded `text` holds one of its `title_terms`."""
    settings = rules.classification
    hits: list[tuple[Component, Evidence]] = []
    windows = Heads(w for _, w in line_windows(zone, 3))
    padded = f" {text} "
    for component in rules.components:
        best: Evidence | None = None
        titles = component.titles
        if component.term_titles and any(f" {term} " in padded for term in component.title_terms):
            titles += component.term_titles
        for phrase in titles:
            folded = fold(phrase)
            score = best_prefix_score(folded, windows, cutoff=settings.min_phrase_score)
            if score >= settings.min_phrase_score and (best is None or score > best.score):
                best = Evidence("title", phrase, page, round(score, 1))
        if best is not None:
            hits.append((component, best))
    hits.sort(key=lambda hit: -hit[1].score)
    return hits


# ---- what a page's header names ---------------------------------------------------------------------


def _find(phrase: str, text: str, cutoff: float) -> tuple[int, float] | None:
    """(position, score) of folded `phrase` in folded `text`, OCR-tolerant; None when absent."""
    at = text.find(phrase)
    if at >= 0 and (at == 0 or text[at - 1] == " "):
        return at, 100.0
    if len(phrase) < 6 or len(text) < len(phrase):
        return None
    found = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=cutoff)
    if found is None:
        return None
    return found.dest_start, round(found.score, 1)


def _header_names(view: PageView, rules: RuleSet) -> tuple[str, Evidence] | None:
    """The component a page's header names (type, summary, issuer and symbol together), with the phrase."""
    header = view.header
    recognition = rules.recognition
    cutoff = rules.classification.min_phrase_score
    kind = header.kind
    if not kind:
        return None
    named_by = heading(header)
    body = " ".join(view.zone[: recognition.header.zone_lines])
    issuer = fold(" ".join(header.issuer))
    symbol = set(fold(header.symbol).split())
    best: tuple[tuple[int, int], str, Evidence] | None = None
    for naming in recognition.namings:
        if kind not in naming.types and kind not in naming.body_types:
            continue
        candidates: list[tuple[tuple[int, int], str, float]] = []
        for phrase in naming.summaries:
            if kind in naming.types:
                found = _find(fold(phrase), named_by, cutoff)
                if found is not None:
                    candidates.append(((0, found[0]), phrase, found[1]))
                    continue
            if kind in naming.body_types:
                found = _find(fold(phrase), body, cutoff)
                if found is not None:
                    candidates.append(((1, found[0]), phrase, found[1]))
        if not candidates and kind in naming.types and not header.summary:
            named = [i for i in naming.issuers if _find(fold(i), issuer, cutoff) is not None]
            named += [s for s in naming.symbols if s in symbol]
            if named:
                candidates.append(((2, 0), named[0], 100.0))
        if not candidates:
            continue
        rank, phrase, score = min(candidates, key=lambda c: (c[0], -len(c[1])))
        # The earliest phrase; where two start at the same place, the longer (more specific) one: "hệ thống quản lý
        # môi trường" over "hệ thống quản lý".
        if best is None or (rank, -len(phrase)) < (best[0], -len(best[2].phrase)):
            best = (rank, naming.component, Evidence("title", phrase, view.number, score))
    return (best[1], best[2]) if best else None


_ITEM = re.compile(r"^\s*(?:[-+•*–]|\(?\d{1,2}(?:[.)/]|\s)|[a-hđ][.)])\s*")
"""A list item's mark: "- ", "1. ", "(2) ", "a) ", or a table's number cell ("1   Đơn đăng ký …", "1 Đơn đăng ký …
2": a table of contents as text extraction reads it)."""


def _is_cover(view: PageView, page_text: str, rules: RuleSet, named: bool) -> Evidence | None:
    """Evidence that a page is a cover letter: a letter about sending or registering the dossier, or (unless its
    header names a component) a page enumerating several components."""
    header = view.header
    recognition = rules.recognition
    cutoff = rules.classification.min_phrase_score
    if header.kind in recognition.cover_types or header.letter:
        for phrase in recognition.cover_summaries:
            if _find(phrase, fold(header.summary), cutoff) is not None:
                return Evidence("cover_letter", phrase, view.number, 100.0)
    if named and not header.letter:
        return None
    for line in view.zone[:8]:
        title = next((t for t in recognition.cover_titles if line == t or line.startswith(t + " ")), None)
        if title is not None:
            return Evidence("cover_letter", title, view.number, 100.0)
    items = [fold(_ITEM.sub("", line, count=1)) for line in page_text.splitlines() if _ITEM.match(line)]
    if len(items) < recognition.cover_min_components:
        return None
    listed = {component.id for item in items for component, _ in _title_hits_in([item], view.number, rules)}
    if len(listed) >= recognition.cover_min_components:
        return Evidence("cover_letter", f"{len(listed)} thành phần hồ sơ được liệt kê", view.number, 100.0)
    return None


_TOP_LINES = 6
"""Lines at the top of a page (from its header on) where a title names its subject."""
_SUBJECT_LINES = 10
"""Lines at the top of a page with a type and no summary where what it is about is said: a bilingual training
certificate's "CHỨNG CHỈ / CERTIFICATE / Chứng nhận Ông/Bà … / [name] / Đã hoàn thành khóa đào tạo" (audit 26)."""


@dataclass(frozen=True)
class _Naming:
    """What one page says it is."""

    component: str | None
    """Component id, COVER, or None (names nothing)."""
    evidence: Evidence | None
    """The phrase that says so."""
    others: frozenset[str]
    """Every component its title zone names (to let a page continue the current one)."""
    starts: bool
    """Whether the page begins a document (a header of its own)."""
    by_header: bool
    """Whether the header (not a bare title phrase) names it."""
    alone: bool = False
    """A document of its own though it has no header (a note that a document will be sent later)."""


def name_page(view: PageView, page_text: str, rules: RuleSet) -> _Naming:
    header = view.header
    decisive = bool(header.type or header.letter)
    starts = decisive or bool(header.number and header.issuer)
    named = _header_names(view, rules)
    cover = _is_cover(view, page_text, rules, named is not None)
    if cover is not None:
        return _Naming(COVER, cover, frozenset(), True, True)
    recognition = rules.recognition
    if _notes_an_absence(view, recognition.absence_phrases) or (not header.kind and any(
            line == t or line.startswith(t + " ") for line in view.zone[:_TOP_LINES]
            for t in recognition.unrelated_titles)):
        return _Naming(None, None, frozenset(), True, False, alone=True)
    if subject_opens(header, recognition.unrelated_summaries, recognition.header):
        # About a component's subject but not it (a request for it, a reminder, a penalty): a document of its own.
        return _Naming(None, None, frozenset(), True, True)
    # Its type and summary where it has them (a report's other pages may well mention the subject), else its title.
    # Its issuer lines too ("DỰ THẢO" above a draft's company name), and its top lines when its type has no summary
    # ("CHỨNG CHỈ" over "CERTIFICATE OF TRAINING … khóa đào tạo").
    above = () if header.summary else view.zone[:_SUBJECT_LINES]
    top = (" ".join([heading(header), fold(" ".join(header.issuer)), *above]) if header.kind
           else " ".join(view.zone[:_TOP_LINES]))
    if any(subject in top for subject in recognition.unrelated_subjects):
        return _Naming(None, None, frozenset(), starts, False)
    naming = _named_as(view, header, decisive, named, rules)
    if naming is not None and _names_another(rules.component(naming.component), view, top,
                                             rules.campaign.year):
        return _Naming(None, None, frozenset(), True, naming.by_header)  # another award's registration form
    return naming or _Naming(None, None, frozenset(), starts, False)


_NOTE_LINES = 15
"""Lines of a page at most for it to be a note about a missing document (a report that mentions a later
supplement is longer)."""
_REPORT_HEADING = re.compile(r"^(?:tieu chi \d|\d{1,2}(?: \d{1,2})+ [a-z])")
"""A folded line that opens a report's numbered section ("Tiêu chí 6.", "6.1. Thiết kế …"): two of them make a page
a report's (audit 41: a self-assessment page whose last criterion says "(Đang cập nhật …, Công ty sẽ bổ sung sau)")."""


def _notes_an_absence(view: PageView, phrases: tuple[str, ...]) -> bool:
    """Whether a page is the enterprise's short note that a document is not there yet (audit 16: "GHI CHÚ … Công ty
    sẽ nộp bổ sung bản sao … sau khi được cấp" behind a divider that names the certificate; audit 41: "PHỤ LỤC 4" /
    "GIẤY CHỨNG NHẬN HỢP QUY SẢN PHẨM" / "(… Công ty sẽ nộp bổ sung ngay sau khi được cấp)" on one page)."""
    if not phrases or len(view.lines) > _NOTE_LINES or sum(map(bool, map(_REPORT_HEADING.match, view.lines))) > 1:
        return False
    if view.header.type and (view.header.number or view.header.date):
        return False  # a document's own header: it is there (a divider's "GIẤY CHỨNG NHẬN …" over the note is not)
    text = f" {view.text} "
    return any(f" {phrase} " in text for phrase in phrases)


def _named_as(view: PageView, header: DocumentHeader, decisive: bool, named: tuple[str, Evidence] | None,
              rules: RuleSet) -> _Naming | None:
    """The component a page's header, title or form fields name."""
    if named is not None:
        return _Naming(named[0], named[1], frozenset({named[0]}), True, True)
    if decisive:
        # A header that names nothing: only its own heading may still carry a component's title.
        hits = _title_hits_in([heading(header)], view.number, rules, view.text)
    else:
        hits = title_hits(view, rules)
    if hits:
        return _Naming(hits[0][0].id, hits[0][1], frozenset(c.id for c, _ in hits), True, False)
    if not decisive and (form := _form_named(view, rules)) is not None:
        return _Naming(form[0], form[1], frozenset({form[0]}), True, False)
    return None


def _names_another(component: Component, view: PageView, top: str, year: int) -> bool:
    """Whether a page named as `component` says in its title lines that it is about something else of the same kind
    (`other_subjects`), or another year than the campaign's (`campaign_year`): its header's heading and issuer, and
    its first lines (a title over two lines)."""
    if not component.other_subjects and not component.campaign_year:
        return False
    lines = f" {top} {' '.join(view.zone[:_TOP_LINES])} "
    if component.campaign_year and any(int(y) != year for y in _TITLE_YEAR.findall(lines)):
        return True
    return any(f" {subject} " in lines for subject in component.other_subjects)


_TITLE_YEAR = re.compile(r" nam (20\d\d) ")
"""A year a folded title names ("… giai thuong chat luong quoc gia nam 2019 ")."""


_FORM_LINES = 40
"""Lines at the top of a page where a form's fields are looked for."""


def _form_named(view: PageView, rules: RuleSet) -> tuple[str, Evidence] | None:
    """The component whose form a page is by its fields (lines that begin with `form_labels`), when its title was
    lost (cut off by the scan, a blot): enough of them (`form_min_labels`) and no title is still a form."""
    lines = [strip_enumerator(line) for line in view.lines[:_FORM_LINES]]
    for component in rules.components:
        if not component.form_min_labels:
            continue
        found = [wordings[0] for wordings in component.form_labels
                 if any(line.startswith(w) for line in lines for w in wordings)]
        if len(found) >= component.form_min_labels:
            return component.id, Evidence("title", f"{len(found)} mục của mẫu: {', '.join(found)}", view.number,
                                          100.0)
    return None
