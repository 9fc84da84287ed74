"""Marks phrases and years in a page's text for the viewer as (text, kind) spans; pure, produces no HTML (the
templates escape every span)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s")


def _fold_char(char: str) -> str:
    """One character folded to one: lower case, no diacritics, đ→d, any space → " " (so offsets carry over)."""
    if char == "đ" or char == "Đ":
        return "d"
    if _SPACE.match(char):
        return " "
    base = unicodedata.normalize("NFD", char.lower())
    kept = "".join(c for c in base if not unicodedata.combining(c))
    return kept[:1] if len(kept) >= 1 else char


def fold_same_length(text: str) -> str:
    """`text` folded character by character: same length, so a match in it is a match in `text`."""
    return "".join(_fold_char(c) for c in text)


def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    words = fold_same_length(phrase).split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"[\s\W]+".join(re.escape(w) for w in words) + r"(?!\w)")


def spans(text: str, *, phrases: Iterable[str] = (), years: Iterable[int] = (),
          words: Iterable[str] = ()) -> list[tuple[str, str]]:
    """`text` cut into (piece, kind) in order: kind "phrase" (a recognition phrase or content check), "year", "word"
    (a searched word) or "" (plain). Matching ignores case and diacritics; overlaps go to the first found."""
    folded = fold_same_length(text)
    marks: list[tuple[int, int, str]] = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    for phrase in dict.fromkeys(phrases):
        pattern = _phrase_pattern(phrase)
        if pattern is not None:
            patterns.append((pattern, "phrase"))
    patterns += [(re.compile(rf"(?<!\d){int(y)}(?!\d)"), "year") for y in dict.fromkeys(years)]
    for word in dict.fromkeys(words):
        pattern = _phrase_pattern(word)
        if pattern is not None:
            patterns.append((pattern, "word"))
    taken = [False] * len(text)
    for pattern, kind in patterns:
        for found in pattern.finditer(folded):
            start, end = found.span()
            if start == end or any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            marks.append((start, end, kind))
    marks.sort()
    result: list[tuple[str, str]] = []
    at = 0
    for start, end, kind in marks:
        if start > at:
            result.append((text[at:start], ""))
        result.append((text[start:end], kind))
        at = end
    if at < len(text):
        result.append((text[at:], ""))
    return result
