"""Vietnamese text normalisation and diacritic-insensitive, OCR-tolerant phrase matching; pure, no I/O."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z/%]+")
# Leading enumerators of folded headings and list items: "tieu chi 3", "iii", "2 1", "a", "b".
_ENUMERATOR = re.compile(
    r"^(?:(?:tieu chi|phan|muc|chuong|dieu) [0-9ivxlc]+ |[0-9]+(?: [0-9]+)* |[ivxlc]+ |[a-h] )+"
)


_LIST_ITEM = re.compile(r"^(?:[0-9]+(?: [0-9]+)*|[a-h]|[ivxlc]+) ")


def is_list_item(folded_line: str) -> bool:
    """Whether a folded line is a numbered or lettered list item ("1 don dang ky", "b bao cao"): never a title."""
    return bool(_LIST_ITEM.match(folded_line))


def nfc(text: str) -> str:
    """The NFC form of `text` (what every stored string is)."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, diacritic-free, đ→d, punctuation-collapsed form used for matching."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped)).strip()


def strip_enumerator(folded_line: str) -> str:
    """A folded heading line without its leading numbering ("tieu chi 3", "iii", "2 1", "a")."""
    return _ENUMERATOR.sub("", folded_line, count=1)


def phrase_score(phrase: str, text: str) -> float:
    """How well folded `phrase` occurs anywhere in folded `text` (0-100, OCR-tolerant)."""
    if not phrase or not text:
        return 0.0
    if phrase in text:
        return 100.0
    if len(text) < len(phrase):
        return float(fuzz.ratio(phrase, text))
    return float(fuzz.partial_ratio(phrase, text))


def prefix_score(phrase: str, line: str) -> float:
    """How well folded `line` starts with folded `phrase` (0-100): titles and headings begin their line."""
    if not phrase or not line:
        return 0.0
    if line.startswith(phrase):
        return 100.0
    head = line[: len(phrase) + 2]
    return float(fuzz.ratio(phrase, head[: len(phrase)])) if len(head) <= len(phrase) else max(
        fuzz.ratio(phrase, line[: len(phrase) + k]) for k in (-2, -1, 0, 1, 2)
    )


def line_windows(lines: list[str], width: int = 3) -> list[tuple[int, str]]:
    """Each line index with that line joined to the next ones (titles wrap over up to `width` lines)."""
    windows = []
    for i in range(len(lines)):
        for w in range(1, width + 1):
            if i + w <= len(lines):
                windows.append((i, " ".join(lines[i : i + w])))
    return windows
