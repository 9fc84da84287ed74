"""The content-addressed archive of every received file; written once, never changed or deleted."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def _open_regular(source: Path):  # type: ignore[no-untyped-def]
    """Open a file for reading without following a symlink or blocking on a FIFO swapped in meanwhile."""
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"not a regular file: {source.name!r}")
    return os.fdopen(fd, "rb")


def archive_path(root: Path, sha256: str) -> Path:
    """Where the bytes with this hash are kept."""
    return root / sha256[:2] / sha256


def archive_file(source: Path, root: Path) -> tuple[str, int, Path]:
    """Copy the file at `source` (never through a symlink) into the archive; see `archive_stream`."""
    with _open_regular(source) as src:
        return archive_stream(src, root)


def archive_stream(src: BinaryIO, root: Path) -> tuple[str, int, Path]:
    """Copy an open file into the archive while hashing it, in one read; returns (sha256, bytes archived, path).

    The copy is fsync'd and renamed into place, so a crash never leaves a partial archive file,
    and what is later read (extraction) is exactly what was hashed, even if the enterprise
    overwrites the inbox file meanwhile.
    """
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha256 = digest.hexdigest()
        final = archive_path(root, sha256)
        if final.exists():
            os.unlink(tmp_name)
        else:
            final.parent.mkdir(exist_ok=True)
            os.chmod(tmp_name, 0o444)
            os.replace(tmp_name, final)
        return sha256, size, final
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def clean_partials(root: Path) -> int:
    """Remove copies left half-written by a crash (they never got their final name); returns how many."""
    removed = 0
    for partial in root.glob(".incoming-*"):
        partial.unlink(missing_ok=True)
        removed += 1
    return removed
