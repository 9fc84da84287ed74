"""What a text says was not done, taken out of the years it evidences: "Trong các năm 2017, 2018 và 2019, Công ty
không thực hiện quan trắc môi trường định kỳ do không thuộc đối tượng phải thực hiện" covers none of them (audit
53: such a letter made a dossier complete). Pure."""

from __future__ import annotations

import re

NOT_DONE = re.compile(
    r"\b(?:không|chưa)\s+(?:(?:thực\s+hiện|tiến\s+hành|có|phải|được|làm)\s+){0,2}"
    r"(?:(?:việc|kết\s+quả|báo\s+cáo|công\s+tác)\s+)?(?:quan\s+trắc|lấy\s+mẫu|giám\s+sát\s+môi\s+trường)"
    r"|\bkhông\s+thuộc\s+(?:diện|đối\s+tượng)", re.IGNORECASE)
"""Monitoring said not to have been done, or not to be required ("chưa thực hiện quan trắc", "không có kết quả
quan trắc", "không thuộc đối tượng phải quan trắc"). "Không vượt quy chuẩn", "không phát hiện" say nothing of it."""
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
"""A year, alone (not part of a longer number)."""
_REACH = 300
"""Characters a sentence reaches from its negation at most, either side (OCR'd text may have no full stop)."""


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from after the last full stop or semicolon, or the last line break
    before a line that begins with a capital or a digit (a new sentence, a heading), to the next such place."""
    def boundary(at: int) -> bool:
        if text[at] in ".;!?":
            return at + 1 >= len(text) or text[at + 1].isspace()
        if text[at] == "\n":
            rest = text[at + 1:at + 40].lstrip()
            return not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "-–•+("
        return False

    first = next((at + 1 for at in range(start - 1, max(-1, start - _REACH - 1), -1) if boundary(at)),
                 max(0, start - _REACH))
    last = next((at for at in range(end, min(len(text), end + _REACH)) if boundary(at)),
                min(len(text), end + _REACH))
    return first, last


def without_undone(text: str) -> str:
    """`text` with the years of each sentence that says monitoring was not done, or is not required, blanked."""
    spans = [_sentence(text, m.start(), m.end()) for m in NOT_DONE.finditer(text)]
    for first, last in reversed(spans):
        text = text[:first] + YEAR.sub("    ", text[first:last]) + text[last:]
    return text
