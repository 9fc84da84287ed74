"""One running instance per data folder: an advisory lock on `<data>/intake.lock`, released by the OS on exit."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from ..errors import AlreadyRunningError


def acquire(data: Path) -> IO[str]:
    """Take the data folder's lock or raise AlreadyRunningError; keep the returned handle open while running."""
    handle = (data / "intake.lock").open("a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise AlreadyRunningError(
            f"another intake ({holder}) is already using the data folder {data}; stop it first"
        ) from exc
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle
