"""Files an enterprise sent again, corrected, under the same name: "03. Bao cao tu danh gia_sửa.pdf" after
"03. Bao cao tu danh gia.pdf", "Don dang ky (ban sua).docx", the same name in a sub-folder "Bổ sung". The later one
is the document; the earlier one is kept, listed and shown to the officer, but no content check reads it (audit
47: a corrected self-assessment whose criterion 6 was still "(Đang cập nhật …)" was judged complete from the
original's criterion 6; a corrected form's new e-mail address was never used). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from ..folding import fold
from ..models import Match, ReceivedFile
from .models import Hint

_MARKS = ("ban sua doi", "ban da sua", "ban chinh sua", "ban sua", "da sua", "sua doi", "sua lai", "chinh sua",
          "sua", "ban moi", "moi nhat", "moi", "ban cap nhat", "cap nhat", "ban hoan chinh", "hoan chinh",
          "ban cuoi", "final", "ban gui lai", "gui lai", "revised", "updated")
"""Words (folded) an enterprise ends a corrected file's name with."""

_MARK = re.compile(r"(?:\s(?:" + "|".join(_MARKS) + r"|v\d{1,2}|lan \d{1,2}))+$")
_COPY = re.compile(r"\s*\(\d{1,2}\)$")
"""A copy's number a browser or the file manager adds ("Don dang ky (2).pdf")."""

_MIN_WORDS = 3
"""Words of letters a name needs to be one an enterprise gave ("scan0001", "IMG 20200615" are a device's)."""


def _stem(path: str) -> tuple[str, bool]:
    """(the name without folder, extension, copy number and revision words, folded; whether it had any)."""
    raw = PurePosixPath(path).stem
    name = fold(_COPY.sub("", raw).replace("_", " "))
    bare = _MARK.sub("", name).strip()
    return bare, bare != fold(raw.replace("_", " "))


def _revises(stem: str, earlier: str, marked: bool) -> bool:
    """Whether a file named `stem` revises one named `earlier`: the same name, or, marked as revised, a name the
    other begins with or begins the other ("01. Don dang ky tham du_sửa" after "01. Don dang ky tham du GTCLQG
    2020")."""
    return stem == earlier or marked and (earlier.startswith(stem + " ") or stem.startswith(earlier + " "))


def revisions(files: Iterable[ReceivedFile]) -> dict[str, str]:
    """Each file a later one revises → the latest of those: their names are the same once a copy number and
    revision words ("sửa", "bản sửa", "cập nhật", "v2" …) are taken off (in any folder; of three words or more;
    one marked as revised may shorten or lengthen the name), and it came later, or with the other but marked as
    revised where the other is not. Files of the same name received together and alike (the Word file and its
    PDF) revise nothing."""
    named = [(f, *_stem(f.path)) for f in files]
    named = [(f, stem, marked) for f, stem, marked in named
             if sum(word.isalpha() for word in stem.split()) >= _MIN_WORDS]
    revised: dict[str, str] = {}
    for f, stem, marked in named:
        later = [(g.received_at, g_marked, g.path) for g, g_stem, g_marked in named
                 if (g.received_at, g_marked) > (f.received_at, marked) and _revises(g_stem, stem, g_marked)]
        if later:
            revised[f.path] = max(later)[2]
    return revised


def in_force(matches: Iterable[Match], revised: dict[str, str]) -> tuple[Match, ...]:
    """The ranges whose file no later file of the same component revises."""
    matches = tuple(matches)
    by_file = {(m.file, m.component) for m in matches}
    return tuple(m for m in matches if (revised.get(m.file), m.component) not in by_file)


def set_aside(files: Iterable[ReceivedFile], matches: Iterable[Match]) -> tuple[tuple[str, str, str], ...]:
    """(file, component, the corrected file) of each component's file the checks set aside for the corrected one:
    what the officer's hint and the enterprise's notices name."""
    matches, revised = tuple(matches), revisions(files)
    kept = {(m.file, m.component) for m in in_force(matches, revised)}
    return tuple((file, component, revised[file])
                 for file, component in dict.fromkeys((m.file, m.component) for m in matches if m.component)
                 if (file, component) not in kept)


def revision_hints(files: list[ReceivedFile], matches: Iterable[Match]) -> tuple[Hint, ...]:
    """For the officer: each file set aside for the corrected one sent after it."""
    return tuple(
        Hint("revised_file", f"«{file}» được thay bằng bản mới cùng tên «{new}»: chỉ xét nội dung bản "
             "mới; nếu hai tệp là hai tài liệu khác nhau, đề nghị cán bộ kiểm tra.", document=component, file=file)
        for file, component, new in set_aside(files, matches))
