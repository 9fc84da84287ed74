"""Read the shared inbox: which dossier folders and files are there; walks directory fds, never follows a link,
never leaves the inbox's device, never opens a file or changes the inbox."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ..folding import is_junk, nfc

log = logging.getLogger(__name__)

MAX_DEPTH = 24
"""Sub-folders deeper than this below a dossier folder are not walked (bounds open directory fds)."""

DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
"""How every directory is opened: relative to its parent's fd, never through a symlink."""

TWIN_LABEL = "trùng tên"
"""Marks the name under which a file whose name differs from another's only by Unicode normalisation (an NFD
name from a Mac beside the NFC one from Windows) is received: «Báo cáo (trùng tên 3f2a1c).pdf»."""


@dataclass(frozen=True)
class Candidate:
    """A regular file found in a dossier folder of the inbox."""

    dossier: str
    """The dossier folder's name, NFC."""
    path: str
    """Path relative to the dossier folder, NFC, forward slashes (disambiguated for NFC/NFD twins)."""
    location: Path
    """Where it is on disk (with the name's original bytes); for messages only: it is opened through `parts`."""
    size: int
    """Size in bytes at discovery."""
    mtime_ns: int
    """Modification time at discovery (used only to notice changes, never as a receipt time)."""
    ino: int = 0
    """Inode number at discovery (a file replaced under the same name has another)."""
    ctime_ns: int = 0
    """Status change time at discovery (set by the kernel on every write: `cp -p` cannot restore it)."""
    nlink: int = 1
    """Hard links to it (more than one: it may be a file outside the share, refused)."""
    parts: tuple[str, ...] = ()
    """Its original names from the inbox down: the dossier folder first, the file's own name last."""
    walked: tuple[tuple[int, int], ...] = ()
    """(st_dev, st_ino) of each of `parts` as walked: what opening it must find again."""
    twin_of: str | None = None
    """The NFC path it shares with another file, when it was received under a disambiguated `path`."""
    link: bool = False
    """A symbolic link, not a file: never followed, received as refused (`symlink`) so that what the enterprise
    believes it sent does not vanish unsaid."""

    @property
    def stat(self) -> tuple[int, int, int, int]:
        """What tells a new version of the file from the one on record, without reading it."""
        return (self.size, self.mtime_ns, self.ino, self.ctime_ns)


def display_name(raw: str) -> str:
    """A file name as text: NFC, with bytes that are not UTF-8 shown as U+FFFD and control characters (a newline
    in a name) as U+FFFD, so that a name never breaks a line of a report or a log."""
    text = nfc(os.fsencode(raw).decode("utf-8", errors="replace"))
    return "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)


def discover(inbox: Path) -> list[Candidate]:
    """Every regular, non-junk file below each dossier folder, and each symbolic link there (`link`: never
    followed, refused when received); FIFOs, devices and other file systems' mount points are skipped unread;
    NFC/NFD twins get distinct paths (see `TWIN_LABEL`)."""
    try:
        fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        log.error("inbox %s cannot be opened: %s", inbox, exc.strerror)
        return []
    found: list[Candidate] = []
    try:
        device = os.fstat(fd).st_dev
        for name, info in _entries(fd, "the inbox"):
            if stat.S_ISDIR(info.st_mode) and not is_junk(display_name(name)):
                walk = _Walk(inbox, device, display_name(name))
                found += walk.folder(fd, name, "", (), ())
    finally:
        os.close(fd)
    return disambiguate(found)


def top_level(inbox: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    """The inbox's dossier folders as names (NFC, an empty one too) and the names of what lies loose at its top
    level (files, links: no dossier's, never read); junk left out."""
    try:
        fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return frozenset(), ()
    try:
        entries = _entries(fd, "the inbox")
    finally:
        os.close(fd)
    shown = [(display_name(name), info) for name, info in entries]
    return (frozenset(name for name, info in shown if stat.S_ISDIR(info.st_mode) and not is_junk(name)),
            tuple(name for name, info in shown if not stat.S_ISDIR(info.st_mode) and not is_junk(name)))


def _entries(fd: int, what: str) -> list[tuple[str, os.stat_result]]:
    """(name, lstat) of every entry of the directory open as `fd`, in name order; entries that vanish are left out."""
    try:
        with os.scandir(fd) as scan:
            names = sorted(entry.name for entry in scan)
    except OSError as exc:
        log.warning("%s cannot be listed: %s", what, exc.strerror)
        return []
    entries = []
    for name in names:
        try:
            entries.append((name, os.stat(name, dir_fd=fd, follow_symlinks=False)))
        except OSError:
            continue
    return entries


@dataclass(frozen=True)
class _Walk:
    inbox: Path
    device: int
    dossier: str

    def folder(self, parent: int, name: str, prefix: str, parts: tuple[str, ...],
               walked: tuple[tuple[int, int], ...]) -> list[Candidate]:
        """The files below the directory `name` of the directory open as `parent`."""
        try:
            fd = os.open(name, DIRECTORY_FLAGS, dir_fd=parent)
        except OSError as exc:  # replaced by a symlink or a file since it was listed, or vanished
            log.info("a folder of dossier %r could not be opened: %s", self.dossier, exc.strerror)
            return []
        try:
            info = os.fstat(fd)
            if info.st_dev != self.device:
                log.info("skipped a mount point in dossier %r", self.dossier)
                return []
            parts, walked = (*parts, name), (*walked, (info.st_dev, info.st_ino))
            found: list[Candidate] = []
            for child, entry in _entries(fd, f"a folder of dossier {self.dossier!r}"):
                shown = display_name(child)
                if is_junk(shown):
                    continue
                if stat.S_ISDIR(entry.st_mode):
                    if len(parts) > MAX_DEPTH:
                        log.info("skipped a folder nested too deep in dossier %r", self.dossier)
                    else:
                        found += self.folder(fd, child, f"{prefix}{shown}/", parts, walked)
                elif stat.S_ISREG(entry.st_mode) and entry.st_dev == self.device:
                    found.append(Candidate(
                        self.dossier, prefix + shown, self.inbox.joinpath(*parts, child), entry.st_size,
                        entry.st_mtime_ns, entry.st_ino, entry.st_ctime_ns, entry.st_nlink, (*parts, child),
                        (*walked, (entry.st_dev, entry.st_ino)),
                    ))
                elif stat.S_ISLNK(entry.st_mode) and entry.st_dev == self.device:
                    found.append(Candidate(
                        self.dossier, prefix + shown, self.inbox.joinpath(*parts, child), 0, entry.st_mtime_ns,
                        entry.st_ino, entry.st_ctime_ns, 1, (*parts, child), (*walked, (entry.st_dev, entry.st_ino)),
                        link=True,
                    ))
                else:
                    log.info("skipped a non-regular file (FIFO or device) in dossier %r", self.dossier)
            return found
        finally:
            os.close(fd)


def disambiguate(candidates: list[Candidate]) -> list[Candidate]:
    """Give every file of a dossier its own path: of files whose NFC paths are equal (an NFD and an NFC name, in one
    folder or in twin folders), the one named in NFC (else the first by bytes) keeps it; each other one gets a name
    marked with `TWIN_LABEL` and a hash of its original name, the same on every pass while the twins are there."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault((candidate.dossier, candidate.path), []).append(candidate)
    result = []
    for (_, path), group in groups.items():
        if len(group) == 1:
            result += group
            continue
        group.sort(key=lambda c: (_raw(c) != nfc(_raw(c)), os.fsencode("/".join(c.parts))))
        result.append(group[0])
        result += [replace(c, path=twin_path(path, c.parts), twin_of=path) for c in group[1:]]
    return result


def _raw(candidate: Candidate) -> str:
    return "/".join(candidate.parts)


def twin_path(path: str, parts: tuple[str, ...]) -> str:
    """The disambiguated path of an NFC/NFD twin: «a/Báo cáo (trùng tên 3f2a1c).pdf»."""
    digest = hashlib.sha256(os.fsencode("/".join(parts))).hexdigest()[:6]
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem} ({TWIN_LABEL} {digest}){pure.suffix}"))


def still_there(present: frozenset[tuple[str, str]], folders: frozenset[str], folder: str, path: str) -> bool:
    """Whether a received file is still where it was, for `move_out` and `note_gone`: in its folder of the inbox's
    walk. A file of a folder gone as a whole counts as there: the folder was renamed, or replaced by a look-alike,
    whose rules (`follow_renames`) decide; a file moves out only of a folder that is still there, empty or not
    (`folders`: audit 30, every file of a split dossier's second folder moved into the first, the emptied folder
    left in place)."""
    return (folder, path) in present or folder not in folders
