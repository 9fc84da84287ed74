"""Read the shared inbox: which dossier folders and files are there; never opens, modifies or follows anything."""

from __future__ import annotations

import fnmatch
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..folding import nfc

log = logging.getLogger(__name__)

JUNK_PATTERNS = (
    "~$*", ".~lock.*#", "thumbs.db", "desktop.ini", ".ds_store", "._*", "*.tmp", "*.part", "*.crdownload",
)
"""File names (lower-cased) that a share accumulates and that are never part of a dossier."""


@dataclass(frozen=True)
class Candidate:
    """A regular file found in a dossier folder of the inbox."""

    dossier: str
    """The dossier folder's name, NFC."""
    path: str
    """Path relative to the dossier folder, NFC, forward slashes."""
    location: Path
    """Where it is on disk (with the name's original bytes)."""
    size: int
    """Size in bytes at discovery."""
    mtime_ns: int
    """Modification time at discovery (used only to notice changes, never as a receipt time)."""


def is_junk(name: str) -> bool:
    """Whether a file name is share junk (lock files, thumbnails, partial downloads)."""
    lowered = nfc(name).lower()
    return any(fnmatch.fnmatchcase(lowered, pattern) for pattern in JUNK_PATTERNS)


def display_name(raw: str) -> str:
    """A file name as text: NFC, with bytes that are not UTF-8 shown as U+FFFD."""
    return nfc(os.fsencode(raw).decode("utf-8", errors="replace"))


def discover(inbox: Path) -> list[Candidate]:
    """Every regular, non-junk file below each dossier folder; symlinks, FIFOs and devices are skipped unread."""
    found: list[Candidate] = []
    try:
        entries = sorted(os.scandir(inbox), key=lambda e: e.name)
    except OSError as exc:
        log.error("inbox %s cannot be listed: %s", inbox, exc.strerror)
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and not is_junk(entry.name):
            found += _walk(Path(entry.path), display_name(entry.name), "")
    return found


def _walk(folder: Path, dossier: str, prefix: str) -> list[Candidate]:
    found: list[Candidate] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        log.warning("folder of dossier %r cannot be listed: %s", dossier, exc.strerror)
        return found
    for entry in entries:
        name = display_name(entry.name)
        if is_junk(name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            found += _walk(Path(entry.path), dossier, f"{prefix}{name}/")
        elif stat.S_ISREG(info.st_mode):
            found.append(Candidate(dossier, prefix + name, Path(entry.path), info.st_size, info.st_mtime_ns))
        else:
            log.info("skipped a non-regular file (symlink, FIFO or device) in dossier %r", dossier)
    return found
