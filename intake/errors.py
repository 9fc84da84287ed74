"""The one error tree for failures of the process itself, and how a full disk is told apart wherever it shows; bad
files are data (deficiencies), never these."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path

from lxml.etree import SerialisationError


class ExitCode(IntEnum):
    """Stable exit codes of the `intake` command, documented in README.md."""

    ok = 0
    """Success."""
    usage = 2
    """Bad command line (click's own code)."""
    bad_rules = 3
    """The rule file is missing or invalid."""
    bad_config = 4
    """Unusable folders or settings: data folder not writable, outputs inside the inbox, inbox not a folder; a bad
    SMTP option, mail config file or contacts file."""
    missing_dependency = 5
    """Tesseract or its `vie` language (or another required program) is not installed."""
    already_running = 6
    """Another instance already holds the lock on this data folder."""
    not_found = 7
    """A receipt number, dossier or component named on the command line does not exist."""
    disk_full = 8
    """The data folder's disk is full: nothing can be received, recorded or written."""
    internal = 10
    """An unexpected bug; the message says where."""


class IntakeError(Exception):
    """Base of every process-level failure; carries its exit code."""

    exit_code: ExitCode = ExitCode.internal


class RulesError(IntakeError):
    """A rule file cannot be read or is invalid; the message names the file and the key."""

    exit_code = ExitCode.bad_rules

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class ConfigError(IntakeError):
    """The folders or settings the service was given cannot be used."""

    exit_code = ExitCode.bad_config


class DependencyError(IntakeError):
    """A required external program or language pack is missing."""

    exit_code = ExitCode.missing_dependency


class AlreadyRunningError(IntakeError):
    """Another instance holds the data folder's lock."""

    exit_code = ExitCode.already_running


class NotFoundError(IntakeError):
    """Something named on the command line does not exist."""

    exit_code = ExitCode.not_found


class DiskFullError(IntakeError):
    """The disk of the data folder has no space left (`scan` stops; `watch` waits and resumes by itself)."""

    exit_code = ExitCode.disk_full


# ---- a full disk: told apart from other failures, wherever it shows ------------------------------------------

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
"""OS errors that mean "no space left" (the disk, or the user's quota)."""

MIN_FREE_BYTES = 1 << 20
"""Less free space than this at start-up is a full disk: not even the database's journal would fit."""


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or what caused it, is the disk running out of space (OSError ENOSPC/EDQUOT, SQLite FULL,
    libxml2's IO_ENOSPC)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFullError):
            return True
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return True
        if isinstance(exc, SerialisationError) and str(exc) == "IO_ENOSPC":
            return True  # libxml2 writing a file: openpyxl saves a workbook's sheets through temporary files
        if isinstance(exc, sqlite3.Error) and (
                getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL
                or "database or disk is full" in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full_message(folder: Path) -> str:
    """The one line an operator reads."""
    return f"no space left on the disk of {folder}; free some space and start again"


def raise_if_full(exc: BaseException, folder: Path) -> None:
    """Re-raise a full disk as DiskFullError (one pass stops there, rather than failing file after file)."""
    if is_disk_full(exc) and not isinstance(exc, DiskFullError):
        raise DiskFullError(disk_full_message(folder)) from exc
    if isinstance(exc, DiskFullError):
        raise exc


@contextmanager
def full_disk_is_an_error(folder: Path) -> Iterator[None]:
    """Whatever fails inside for lack of space becomes one DiskFullError (a documented exit code, one line)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - only a full disk is translated; the rest goes on as it was
        raise_if_full(exc, folder)
        raise


def free_bytes(folder: Path) -> int:
    """Bytes this process may still write on the disk of `folder` (root may use the reserved blocks)."""
    stats = os.statvfs(folder)
    blocks = stats.f_bfree if os.geteuid() == 0 else stats.f_bavail
    return blocks * stats.f_frsize


def check_free_space(folder: Path, minimum: int = MIN_FREE_BYTES) -> None:
    """Refuse a data folder whose disk is (all but) full: at start-up, and before the reports are written."""
    if free_bytes(folder) < minimum:
        raise DiskFullError(disk_full_message(folder))
