"""What the service last saw of the inbox, kept in the intake database so a restart does not forget it: the stat
identity of each file as received, and each dossier folder's last activity. Never reads the inbox itself.

(Its own tables until the store package takes these queries in.)"""

from __future__ import annotations

import logging
import weakref

from .store import Store

log = logging.getLogger(__name__)

Stat = tuple[int, int, int, int]
"""(size, mtime_ns, inode, ctime_ns) of an inbox file."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS inbox_stats (folder TEXT NOT NULL, path TEXT NOT NULL, size INTEGER, "
    "mtime_ns INTEGER, ino INTEGER, ctime_ns INTEGER, PRIMARY KEY (folder, path))",
    "CREATE TABLE IF NOT EXISTS folder_activity (folder TEXT PRIMARY KEY, at REAL NOT NULL)",
)
_READY: weakref.WeakSet[Store] = weakref.WeakSet()


def _ensure(store: Store) -> None:
    if store in _READY:
        return
    tables = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"inbox_stats", "folder_activity"} <= tables:
        with store.transaction() as conn:
            for statement in _SCHEMA:
                conn.execute(statement)
    _READY.add(store)


def seen_stats(store: Store) -> dict[tuple[str, str], Stat]:
    """(dossier folder, path) → the stat of the inbox file when it was last received (or refused)."""
    _ensure(store)
    rows = store.db.execute("SELECT folder, path, size, mtime_ns, ino, ctime_ns FROM inbox_stats").fetchall()
    return {(folder, path): (size, mtime, ino, ctime) for folder, path, size, mtime, ino, ctime in rows}


def record_stat(store: Store, folder: str, path: str, stat: Stat) -> None:
    """Remember the stat of the inbox file just received (or refused) at this path."""
    _ensure(store)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO inbox_stats VALUES (?, ?, ?, ?, ?, ?)", [folder, path, *stat])


def record_activity(store: Store, folders: set[str] | frozenset[str], at: float) -> None:
    """Remember that these dossier folders changed at wall-clock time `at` (seconds since the epoch)."""
    if not folders:
        return
    _ensure(store)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO folder_activity VALUES (?, ?) ON CONFLICT (folder) DO UPDATE SET at = max(at, excluded.at)",
            [(folder, at) for folder in folders],
        )


def last_activity(store: Store) -> dict[str, float]:
    """Dossier folder → wall-clock time (seconds since the epoch) of its last recorded activity."""
    _ensure(store)
    return dict(store.db.execute("SELECT folder, at FROM folder_activity").fetchall())


def activity_of(store: Store, folder: str) -> float | None:
    """The wall-clock time of one dossier folder's last recorded activity, if any."""
    _ensure(store)
    row = store.db.execute("SELECT at FROM folder_activity WHERE folder = ?", [folder]).fetchone()
    return None if row is None else float(row[0])
