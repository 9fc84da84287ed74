"""The award category a registration form declares: written as the value of its label, or ticked among the printed
boxes (typed, in a Word form; by pen, on a scan, as OCR reads it). Pure."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..folding import fold, fold_chars, nfc


def read_category(raw: str) -> str | None:
    """One of `CATEGORIES` when the value names exactly one; None when it names none or several (a list of
    boxes to tick, left as printed)."""
    words = fold(raw)
    if not words or _UNTICKED.match(raw):
        return None  # "☐ Sản xuất lớn": the first box under the label, not ticked (audit 21)
    kinds = {k for k, phrase in (("Sản xuất", "san xuat"), ("Dịch vụ", "dich vu"))
             if fuzz.partial_ratio(phrase, words) >= 87}
    large = re.search(r"\blon\b", words) is not None
    small = re.search(r"\bvua\b|\bnho\b", words) is not None
    if len(kinds) != 1 or large == small:
        return None
    return f"{kinds.pop()} {'lớn' if large else 'vừa và nhỏ'}"


_TICKED = re.compile(r"(?:[☒☑✓✔■⊠✗✘]|\[\s*[xX✓]\s*\]|\(\s*[xX✓]\s*\))\s*((?:Sản xuất|Dịch vụ)[^☐☒☑✓✔■⊠✗✘□\[(\n]{0,30})")
"""A ticked box and the category after it ("☒ Sản xuất lớn  ☐ Sản xuất vừa và nhỏ", "[X] Dịch vụ lớn")."""
_MARKED_ROW = re.compile(r"((?:Sản xuất|Dịch vụ)[ \t]+(?:lớn|vừa và nhỏ))[ \t]+[xX✓✔☒☑](?=[ \t]|$)", re.MULTILINE)
"""A table's row marked after the category ("Dịch vụ vừa và nhỏ   x   85")."""
_X_LINE = re.compile(r"^[ \t]*[xX][ \t]+((?:Sản xuất|Dịch vụ)[^☐□\n]{0,30})", re.MULTILINE)
"""A line whose box is an "X" typed in its place ("X Sản xuất vừa và nhỏ", the others "☐ …")."""
_UNTICKED = re.compile(r"\s*(?:[☐□▢❑○◯]|\[\s*\]|\(\s*\))")


def ticked_category(text: str) -> tuple[str, str] | None:
    """(category, what was ticked) when the form ticks exactly one category's box."""
    marks = [raw for pattern in (_TICKED, _MARKED_ROW, _X_LINE) for raw in pattern.findall(nfc(text))]
    ticked = {category: raw for raw in marks if (category := read_category(raw)) is not None}
    return next(iter(ticked.items())) if len(ticked) == 1 else _boxes_apart(text) or _left_unboxed(text)


_BOX = re.compile(r"[☐□☒☑■⊠]")
_TICK = frozenset("☒☑■⊠")
_CATEGORY_LABEL = re.compile(r"loai hinh")


def _boxes_apart(text: str) -> tuple[str, str] | None:
    """(category, the lines) when a PDF's text layer gives the boxes apart from their categories, in the same order
    ("Sản xuất lớn    Sản xuất vừa và nhỏ    Dịch vụ☐ ☒ ☐" / "lớn    Dịch vụ vừa và nhỏ☐", audit 40): as many
    boxes as categories under the label, one of them ticked."""
    lines = nfc(text).splitlines()
    for i, line in enumerate(lines):
        if _CATEGORY_LABEL.search(fold_chars(line)) is None:
            continue
        zone = " ".join(lines[i:i + 3])
        boxes = _BOX.findall(zone)
        options = [m for m in _OPTION.finditer(" ".join(fold_chars(_BOX.sub(" ", zone)).split()))]
        if len(boxes) == len(options) >= 2 and sum(box in _TICK for box in boxes) == 1:
            m = options[next(k for k, box in enumerate(boxes) if box in _TICK)]
            category = f"{'Sản xuất' if m[1] == 'san xuat' else 'Dịch vụ'} {'lớn' if m[2] == 'lon' else 'vừa và nhỏ'}"
            return category, zone.strip()
    return None


_OPTION = re.compile(r"(san xuat|dich vu)\s+(lon|vua va nho)\b")
_EMPTY_BOX = re.compile(r"l[il]?[\])|]|\|\]|\[_?\]|l_\]|[☐□▢❑○◯]|\[\s*\]|\(\s*\)")
"""An empty box as OCR reads it: "L]" most often, "LÌ]", "☐", "[]" (on `fold_chars` text)."""


def _left_unboxed(text: str) -> tuple[str, str] | None:
    """(category, its line) when, of the categories printed with a box before each, every one but one has an empty
    box as OCR reads it: a box ticked, crossed or circled by pen reads as anything else ("BỊ", "Xí", "ựf") or as
    nothing (audit 29: the ticks of five scanned forms were never read, two ineligible "lớn" passed unremarked)."""
    options: list[tuple[str, bool, str]] = []
    lines = nfc(text).splitlines()
    for line, folded in zip(lines, (fold_chars(line) for line in lines)):
        found = list(_OPTION.finditer(folded))
        for i, m in enumerate(found):
            before = folded[found[i - 1].end() if i else 0:m.start()].split()
            category = f"{'Sản xuất' if m[1] == 'san xuat' else 'Dịch vụ'} {'lớn' if m[2] == 'lon' else 'vừa và nhỏ'}"
            options.append((category, bool(before) and _EMPTY_BOX.fullmatch(before[-1]) is not None, line.strip()))
    left = {category: line for category, empty, line in options if not empty}
    return next(iter(left.items())) if len(left) == 1 and len(options) >= 2 else None
