"""What the desk keeps between requests: the key that signs its sessions and the Desk it last collected."""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path

from ..desk import Desk, collect
from ..judging import RuleSet
from ..store import Store


def secret_key(data: Path) -> bytes:
    """The key that signs session cookies, kept in the data folder (0600) so sessions outlive restarts."""
    path = data / "desk-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


class DeskCache:
    """The frozen Desk, collected again only when the database changed (SQLite's data_version on a connection of
    its own) or the hour changed, and at most every `min_age` seconds while the watcher writes (what this process
    writes itself invalidates it at once): twenty officers reading the queue cost one collect per change."""

    def __init__(self, database: Path, min_age: float = 2.0) -> None:
        self._probe = sqlite3.connect(str(database), check_same_thread=False)
        self._lock = threading.Lock()
        self._key: tuple[int, str] | None = None
        self._desk: Desk | None = None
        self._at = 0.0
        self.min_age = min_age

    def get(self, store: Store, rules: RuleSet, now: datetime) -> Desk:
        with self._lock:
            version = int(self._probe.execute("PRAGMA data_version").fetchone()[0])
            key = (version, now.strftime("%Y-%m-%d %H"))
            fresh_enough = time.monotonic() - self._at < self.min_age and self._key is not None \
                and self._key[1] == key[1]
            if self._desk is None or (key != self._key and not fresh_enough):
                self._desk = collect(store, rules, now)
                self._key, self._at = key, time.monotonic()
            return self._desk

    def invalidate(self) -> None:
        """Collect again at the next request (this process changed something)."""
        with self._lock:
            self._desk = None

    def close(self) -> None:
        self._probe.close()
