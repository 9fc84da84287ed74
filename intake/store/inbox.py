"""What was last seen in the inbox: each file's stat and each dossier folder's last activity. Queries only: no business rules."""


from __future__ import annotations


from .base import Part

Stat = tuple[int, int, int, int]
"""(size, mtime_ns, inode, ctime_ns) of an inbox file: what tells a new version from the one on record."""


class Inbox(Part):
    """What was last seen in the inbox: each file's stat and each dossier folder's last activity."""

    def known_stats(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(dossier folder, path) → (size, mtime_ns) of the current version of every known file."""
        rows = self.db.execute(
            "SELECT d.folder, f.path, f.size, f.mtime_ns FROM files f JOIN dossiers d ON d.id = f.dossier_id "
            "WHERE f.current = 1"
        ).fetchall()
        return {(folder, path): (size, mtime) for folder, path, size, mtime in rows}

    def seen_stats(self) -> dict[tuple[str, str], Stat]:
        """(dossier folder, path) → the stat of the inbox file when it was last received (or refused)."""
        rows = self.db.execute("SELECT folder, path, size, mtime_ns, ino, ctime_ns FROM inbox_stats").fetchall()
        return {(folder, path): (size, mtime, ino, ctime) for folder, path, size, mtime, ino, ctime in rows}

    def record_stat(self, folder: str, path: str, stat: Stat) -> None:
        """Remember the stat of the inbox file just received (or refused) at this path."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO inbox_stats VALUES (?, ?, ?, ?, ?, ?)", [folder, path, *stat])

    def record_activity(self, folders: set[str] | frozenset[str], at: float) -> None:
        """Remember that these dossier folders changed at wall-clock time `at` (seconds since the epoch)."""
        if folders:
            with self.transaction() as conn:
                conn.executemany(
                    "INSERT INTO folder_activity VALUES (?, ?) "
                    "ON CONFLICT (folder) DO UPDATE SET at = max(at, excluded.at)",
                    [(folder, at) for folder in folders],
                )

    def last_activity(self) -> dict[str, float]:
        """Dossier folder → wall-clock time (seconds since the epoch) of its last recorded activity."""
        return dict(self.db.execute("SELECT folder, at FROM folder_activity").fetchall())

    def activity_of(self, folder: str) -> float | None:
        """The wall-clock time of one dossier folder's last recorded activity, if any."""
        row = self.db.execute("SELECT at FROM folder_activity WHERE folder = ?", [folder]).fetchone()
        return None if row is None else float(row[0])
