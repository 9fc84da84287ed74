"""Diacritic-insensitive search over every dossier's page text (SQLite FTS5 via the store); builds no index itself."""

from __future__ import annotations

import re
from collections import Counter

from ..folding import fold, nfc
from .models import SearchHit
from ..store import Store

_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
OPEN, CLOSE = "\x02", "\x03"
"""Markers the store puts around every matched word (in the searchable copy of the text)."""


def fold_d(text: str) -> str:
    """đ/Đ → d/D, one character for one: what FTS5's unicode61 tokenizer does not fold by itself."""
    return text.replace("đ", "d").replace("Đ", "D")


_QUOTED = re.compile(r'["“”]([^"“”]*)["“”]')


def match_expression(query: str) -> str:
    """The FTS5 expression for what an officer typed: every word must occur on the page, in any order; words in
    quotes ("hợp quy", as in a web search) must occur together, in that order (audit 23).

    Only words reach FTS5, each quoted, so its syntax in a query ("NOT", "*", parentheses) is read as text."""
    text = fold_d(nfc(query))
    phrases = [" ".join(_WORD.findall(inner)) for inner in _QUOTED.findall(text)]
    rest = _QUOTED.sub(" ", text)
    return " ".join([f'"{phrase}"' for phrase in phrases if phrase] + [f'"{word}"' for word in _WORD.findall(rest)])


def _spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The marked text without markers, and the (start, end) of each matched word in it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for char in marked:
        if char == OPEN:
            start = len(plain)
        elif char == CLOSE:
            spans.append((start, len(plain)))
        else:
            plain.append(char)
    return "".join(plain), spans


def snippet(text: str, marked: str, *, context: int = 70) -> str:
    """A one-line excerpt of the original `text` around the first match, matched words in «»; `marked` is the
    searchable copy with markers (same length as `text`, so offsets carry over and diacritics are kept)."""
    plain, spans = _spans(marked)
    if len(plain) != len(text):  # never expected: fall back to the searchable copy (đ shows as d)
        text = plain
    if not spans:
        return _SPACES.sub(" ", text[: 2 * context]).strip()
    # Words matched one after another ("quan trắc") read better as one highlighted phrase.
    merged = [spans[0]]
    for start, end in spans[1:]:
        if not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    # Centre on the rarest matched word among the places showing the most different ones: for "quan trắc 2018"
    # the line with 2018, not the title or the first of many "quan trắc".
    half = 3 * context // 2
    words = [fold(text[a:b]) for a, b in spans]  # "NAM" and "năm" are one word to the index
    rarity = Counter(words)

    def score(i: int) -> tuple[int, int, int]:
        near = {w for (a, _), w in zip(spans, words) if abs(a - spans[i][0]) <= half}
        return len(near), -rarity[words[i]], -spans[i][0]

    centre = spans[max(range(len(spans)), key=score)]
    begin = max(0, centre[0] - half)
    finish = min(len(text), centre[1] + half)
    if begin > 0:
        cut = text.find(" ", begin, centre[0])
        begin = cut + 1 if cut >= 0 else begin
    if finish < len(text):
        cut = text.rfind(" ", centre[1], finish)
        finish = cut if cut >= 0 else finish
    pieces, at = [], begin
    for start, end in merged:
        if start >= finish:
            break
        if end <= begin:
            continue
        pieces += [text[at:start], "«", text[start:end], "»"]
        at = end
    pieces.append(text[at:finish])
    body = _SPACES.sub(" ", "".join(pieces)).strip()
    return ("… " if begin > 0 else "") + body + (" …" if finish < len(text) else "")


def search(store: Store, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Pages of every dossier matching all words of `query`, diacritic-insensitively, best first."""
    expression = match_expression(query)
    if not expression:
        return []
    return [
        SearchHit(
            receipt_no=row["receipt_no"], folder=row["folder"], file=row["path"], page=row["page"],
            snippet=snippet(row["text"], row["marked"]), current=bool(row["current"]),
        )
        for row in store.pages.search_pages(expression, limit)
    ]
