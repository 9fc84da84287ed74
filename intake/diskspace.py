"""A full data disk: tells it apart from other failures, refuses to start on one, and paces the watcher while it
lasts. Never frees, moves or deletes anything to make room."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DiskFullError

log = logging.getLogger(__name__)

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
"""OS errors that mean "no space left" (the disk, or the user's quota)."""

MIN_FREE_BYTES = 1 << 20
"""Less free space than this at start-up is a full disk: not even the database's journal would fit."""


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or what caused it, is the disk running out of space (OSError ENOSPC/EDQUOT, SQLite FULL)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DiskFullError):
            return True
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.Error) and (
                getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_FULL
                or "database or disk is full" in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def message(folder: Path) -> str:
    """The one line an operator reads."""
    return f"no space left on the disk of {folder}; free some space and start again"


def raise_if_full(exc: BaseException, folder: Path) -> None:
    """Re-raise a full disk as DiskFullError (one pass stops there, rather than failing file after file)."""
    if is_disk_full(exc) and not isinstance(exc, DiskFullError):
        raise DiskFullError(message(folder)) from exc
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
    """At start-up: refuse a data folder whose disk is (all but) full."""
    if free_bytes(folder) < minimum:
        raise DiskFullError(message(folder))


class FullDiskPacing:
    """The watcher's passes while the disk is full: retried after 1, 2, 4 … seconds (at most `longest`), one
    warning a minute at most, and one line when space is back. The clock is passed in (monotonic seconds)."""

    def __init__(self, folder: Path, *, first: float = 1.0, longest: float = 30.0, warn_every: float = 60.0) -> None:
        self.folder = folder
        self.first = first
        self.longest = longest
        self.warn_every = warn_every
        self.failures = 0
        self.next_try = float("-inf")
        self.warned_at = float("-inf")
        self.since = 0.0

    def ready(self, now: float) -> bool:
        """Whether a pass may run now."""
        return now >= self.next_try

    def full(self, now: float) -> float:
        """A pass stopped for lack of space; returns the seconds until the next try."""
        if not self.failures:
            self.since = now
        self.failures += 1
        wait = min(self.first * 2 ** (self.failures - 1), self.longest)
        self.next_try = now + wait
        log.debug("pass stopped: disk full (try %d, next in %.0f s)", self.failures, wait)
        if now - self.warned_at >= self.warn_every:
            self.warned_at = now
            log.warning("%s; intake waits and retries by itself (next in %.0f s)", message(self.folder).split(";")[0],
                        wait)
        return wait

    def cleared(self, now: float) -> None:
        """A pass went through: space is back (said once)."""
        if self.failures:
            log.info("space is back on the data disk after %.0f s: intake resumes", now - self.since)
        self.failures = 0
        self.next_try = float("-inf")
