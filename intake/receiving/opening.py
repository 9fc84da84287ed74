"""Open an inbox file exactly as it was walked: component by component from the inbox's directory fd, each checked
against the (device, inode) seen by the walk; never follows a link, never leaves the inbox's device, never writes."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..models import Problem
from .inbox import DIRECTORY_FLAGS, Candidate

FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
"""How the file itself is opened: never through a symlink, never blocking on a FIFO swapped in meanwhile."""


class Moved(OSError):
    """A component of the path is no longer what the walk saw (renamed, swapped for a link, replaced): the file is
    left for the next pass, which walks again."""


class Refused(OSError):
    """A file that is never read; `problem` says why (the deficiency it is recorded with)."""

    problem = Problem("unreadable_file", "tệp không được tiếp nhận")


class HardLinked(Refused):
    """The file has more than one hard link: it may be a file from outside the share, so it is never read."""

    problem = Problem(
        "hard_link",
        "tệp là liên kết cứng (hard link) tới một tệp khác nên không được tiếp nhận; vui lòng tải lên bản sao của tệp",
    )


class SymLinked(Refused):
    """The entry is a symbolic link: it may point outside the share, so it is never followed."""

    problem = Problem(
        "symlink",
        "đây là lối tắt (liên kết tượng trưng, symlink) chứ không phải tệp nên không được tiếp nhận; vui lòng tải "
        "lên chính tệp tài liệu",
    )


@contextmanager
def open_walked(inbox: Path, candidate: Candidate) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """The candidate's file open for reading with its fstat taken at opening; Moved when any component changed
    since the walk, Refused (HardLinked, SymLinked) when it is never to be read, OSError when it vanished."""
    fd = _open_checked(inbox, candidate)
    info = os.fstat(fd)
    with os.fdopen(fd, "rb") as handle:
        yield handle, info


def _open_checked(inbox: Path, candidate: Candidate) -> int:
    if not candidate.parts or len(candidate.parts) != len(candidate.walked):
        raise Moved(f"not a walked file: {candidate.path!r}")
    directory = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        device = os.fstat(directory).st_dev
        for name, seen in zip(candidate.parts[:-1], candidate.walked[:-1]):
            child = os.open(name, DIRECTORY_FLAGS, dir_fd=directory)
            os.close(directory)
            directory = child
            _check(os.fstat(directory), seen, device, candidate)
        if candidate.link:
            info = os.stat(candidate.parts[-1], dir_fd=directory, follow_symlinks=False)
            if not stat.S_ISLNK(info.st_mode):
                raise Moved(f"no longer a link: {candidate.path!r}")
            _check(info, candidate.walked[-1], device, candidate)
            raise SymLinked(f"a symbolic link: {candidate.path!r}")
        fd = os.open(candidate.parts[-1], FILE_FLAGS, dir_fd=directory)
    finally:
        os.close(directory)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Moved(f"not a regular file: {candidate.path!r}")
        _check(info, candidate.walked[-1], device, candidate)
        if info.st_nlink > 1:
            raise HardLinked(f"{info.st_nlink} hard links: {candidate.path!r}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check(info: os.stat_result, seen: tuple[int, int], device: int, candidate: Candidate) -> None:
    if info.st_dev != device or (info.st_dev, info.st_ino) != seen:
        raise Moved(f"changed since it was listed: {candidate.path!r}")


def probe_walked(inbox: Path, candidate: Candidate, probe: Callable[[Path], bool]) -> bool:
    """`probe` (does the file open structurally?) run on the walked file itself, through its descriptor; a hard
    or symbolic link is ready at once (it is refused unread), a moved or vanished file is not."""
    try:
        fd = _open_checked(inbox, candidate)
    except Refused:
        return True
    except OSError:
        return False
    try:
        return probe(Path(f"/proc/self/fd/{fd}"))
    finally:
        os.close(fd)

