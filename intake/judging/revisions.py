"""Files an enterprise sent again, corrected, under the same name: "03. Bao cao tu danh gia_sửa.pdf" after
"03. Bao cao tu danh gia.pdf", "Don dang ky (ban sua).docx", the same name in a sub-folder "Bổ sung". The later one
is the document; the earlier one is kept, listed and shown to the officer, but no content check reads it (audit
47: a corrected self-assessment whose criterion 6 was still "(Đang cập nhật …)" was judged complete from the
original's criterion 6; a corrected form's new e-mail address was never used). Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
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

_LATER_FOLDER = re.compile(r"\b(?:bo sung|lan [2-9]|dot [2-9]|sua|ban sua|cap nhat|gui lai)\b")
"""A sub-folder (folded) that holds what the enterprise sent after the rest ("Bo sung 20-6", "Lần 2 bổ sung"): its
file revises one of the same name elsewhere, also when both were received together (audit 55: a folder of two
rounds copied at once kept the first round's form, and its old e-mail address)."""

_MIN_WORDS = 3
"""Words of letters a name needs to be one an enterprise gave ("scan0001", "IMG 20200615" are a device's)."""


def _stem(path: str) -> tuple[str, bool]:
    """(the name without folder, extension, copy number and revision words, folded; whether it had any, or lies in
    a later round's sub-folder: `_LATER_FOLDER`)."""
    raw = PurePosixPath(path).stem
    name = fold(_COPY.sub("", raw).replace("_", " "))
    bare = _MARK.sub("", name).strip()
    later = any(_LATER_FOLDER.search(fold(part)) for part in PurePosixPath(path).parent.parts)
    return bare, bare != fold(raw.replace("_", " ")) or later


def _prefixes(stem: str) -> list[str]:
    """The name's proper word prefixes ("a b c" → "a", "a b")."""
    words = stem.split()
    return [" ".join(words[:n]) for n in range(1, len(words))]


def revisions(files: Iterable[ReceivedFile]) -> dict[str, str]:
    """Each file a later one revises → the latest of those: their names are the same once a copy number and
    revision words ("sửa", "bản sửa", "cập nhật", "v2" …) are taken off (in any folder; of three words or more;
    one marked as revised may shorten or lengthen the name: "01. Don dang ky tham du_sửa" after "01. Don dang ky
    tham du GTCLQG 2020"), and it came later, or with the other but marked as revised where the other is not.
    Files of the same name received together and alike (the Word file and its PDF) revise nothing."""
    return dict(_revisions(tuple((f.path, f.received_at) for f in files)))


@lru_cache(maxsize=32)
def _revisions(files: tuple[tuple[str, datetime], ...]) -> tuple[tuple[str, str], ...]:
    """`revisions` of (path, received at) pairs, computed once for a dossier's files (the checks, the form's
    fields, the holder and the hints all ask) and in time linear in the names' words: files are looked up by
    name, and a marked one also by the names it begins or that begin it."""
    named = [(path, at, *_stem(path)) for path, at in files]
    named = [(path, at, stem, marked) for path, at, stem, marked in named
             if sum(word.isalpha() for word in stem.split()) >= _MIN_WORDS]
    by_stem: dict[str, list[tuple[datetime, bool, str]]] = defaultdict(list)
    by_prefix: dict[str, list[tuple[datetime, bool, str]]] = defaultdict(list)
    for path, at, stem, marked in named:
        by_stem[stem].append((at, marked, path))
        for prefix in _prefixes(stem):
            by_prefix[prefix].append((at, marked, path))
    revised = []
    for path, at, stem, marked in named:
        # The same name; or marked as revised, a name this one begins with (shorter) or that begins this one.
        candidates = by_stem[stem] + [c for key in _prefixes(stem) for c in by_stem.get(key, ()) if c[1]] + [
            c for c in by_prefix.get(stem, ()) if c[1]]
        later = [c for c in candidates if c[:2] > (at, marked)]
        if later:
            revised.append((path, max(later)[2]))
    return tuple(revised)


def in_force(matches: Iterable[Match], revised: dict[str, str]) -> tuple[Match, ...]:
    """The ranges whose file no later file of the same component revises."""
    matches = tuple(matches)
    by_file = {(m.file, m.component) for m in matches}
    return tuple(m for m in matches if (revised.get(m.file), m.component) not in by_file)


def set_aside(received: Iterable[tuple[str, datetime]], matches: Iterable[Match]) -> tuple[tuple[str, str, str], ...]:
    """(file, component, the corrected file) of each component's file the checks set aside for the corrected one,
    of a dossier's files as (path, received at): what the officer's hint and the enterprise's notices name."""
    matches, revised = tuple(matches), dict(_revisions(tuple(received)))
    kept = {(m.file, m.component) for m in in_force(matches, revised)}
    return tuple((file, component, revised[file])
                 for file, component in dict.fromkeys((m.file, m.component) for m in matches if m.component)
                 if (file, component) not in kept)


def revision_hints(files: list[ReceivedFile], matches: Iterable[Match]) -> tuple[Hint, ...]:
    """For the officer: each file set aside for the corrected one sent after it."""
    return tuple(
        Hint("revised_file", f"«{file}» được thay bằng bản mới cùng tên «{new}»: chỉ xét nội dung bản "
             "mới; nếu hai tệp là hai tài liệu khác nhau, đề nghị cán bộ kiểm tra.", document=component, file=file)
        for file, component, new in set_aside(((f.path, f.received_at) for f in files), matches))
