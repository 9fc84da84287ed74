"""Dossiers and their received files (versions, duplicates, renames). Queries only: no business rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..models import ReceivedFile
from .base import Part


@dataclass(frozen=True)
class DossierRow:
    """A dossier as stored."""

    id: int
    """Row id."""
    folder: str
    """Dossier folder name, NFC."""
    receipt_no: str
    """Receipt number (mã hồ sơ)."""
    received_at: datetime
    """When its first file was ingested."""
    status: str | None
    """Last verdict's status ("complete"/"incomplete"), None before the first evaluation."""
    late: bool
    """Received after the deadline."""
    verdict: dict[str, Any] | None
    """Last verdict as stored JSON."""
    reading: dict[str, Any] | None = None
    """What was read from it beyond the verdict (registration form fields, seals, hints) as stored JSON."""




class Dossiers(Part):
    """Dossiers and their received files (versions, duplicates, renames)."""


    def current_files(self, dossier_id: int) -> dict[str, tuple[str, int]]:
        """Path → (sha256, size) of the current version of each file of a dossier."""
        rows = self.db.execute(
            "SELECT path, sha256, size FROM files WHERE dossier_id = ? AND current = 1", [dossier_id]
        ).fetchall()
        return {path: (sha256, size) for path, sha256, size in rows}

    def rename(self, dossier_id: int, old: str, new: str, at: datetime) -> None:
        """Record that a dossier's folder was renamed (same files, same receipt): in one transaction, the folder
        name of the dossier, of what was seen of its files and of its activity, and an event."""
        with self.transaction() as conn:
            conn.execute("UPDATE dossiers SET folder = ? WHERE id = ?", [new, dossier_id])
            conn.execute("UPDATE OR REPLACE inbox_stats SET folder = ? WHERE folder = ?", [new, old])
            conn.execute("UPDATE OR REPLACE folder_activity SET folder = ? WHERE folder = ?", [new, old])
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'dossier_renamed', ?)",
                [at.isoformat(), dossier_id, json.dumps({"from": old, "to": new}, ensure_ascii=False)],
            )

    def note_event(self, dossier_id: int, kind: str, detail: str, at: datetime) -> bool:
        """Record something officers should know about a dossier in its event log, once; whether it is new."""
        with self.transaction() as conn:
            return conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, ?, ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM events WHERE dossier_id = ? AND kind = ? AND detail = ?)",
                [at.isoformat(), dossier_id, kind, detail, dossier_id, kind, detail],
            ).rowcount > 0


    def folder_events(self, dossier_id: int) -> list[dict[str, Any]]:
        """What happened to a dossier's folder and files in the inbox, oldest first: files received (a path seen
        again is a replacement), folder renames, possible renames, Unicode twins (`at`, `kind`, `file`, `detail`)."""
        return list(self.db.query(
            "SELECT at, kind, file, detail FROM events WHERE dossier_id = ? AND kind IN "
            "('file_received', 'dossier_renamed', 'possible_rename', 'file_twin', 'file_moved', 'file_moved_in', "
            "'file_gone', 'file_back') "
            "ORDER BY id", [dossier_id]
        ))

    def taken_for_another(self, dossier_id: int | None = None) -> set[int]:
        """Dossiers whose folder vanished while a look-alike folder came in as a new dossier (`possible_rename`), or
        every file of which was moved to other dossiers' folders (audit 30: a split dossier merged into its other
        folder), and that received nothing since: an officer has to say which is the enterprise's. Of one dossier
        only, when `dossier_id` is given."""
        one = "" if dossier_id is None else "e.dossier_id = ? AND "
        return {int(i) for (i,) in self.db.execute(
            f"SELECT e.dossier_id FROM events e WHERE {one}e.kind IN ('possible_rename', 'file_moved') AND (e.kind = "
            "'possible_rename' OR NOT EXISTS (SELECT 1 FROM files c WHERE c.dossier_id = e.dossier_id AND "
            "c.current = 1)) AND NOT EXISTS (SELECT 1 FROM events f WHERE f.dossier_id = e.dossier_id AND f.kind = "
            "'file_received' AND f.id > e.id)", [] if dossier_id is None else [dossier_id])}

    def get(self, folder: str) -> DossierRow | None:
        """The dossier stored under this folder name."""
        rows = self.all(where="folder = ?", args=[folder])
        return rows[0] if rows else None

    def all(self, where: str = "1", args: list[Any] | None = None) -> list[DossierRow]:
        """Dossiers in receipt order."""
        readings = self._store.readings.all()
        return [
            DossierRow(
                id=row["id"], folder=row["folder"], receipt_no=row["receipt_no"],
                received_at=datetime.fromisoformat(row["received_at"]), status=row["status"],
                late=bool(row["late"]), verdict=json.loads(row["verdict"]) if row["verdict"] else None,
                reading=readings.get(row["id"]),
            )
            for row in self.db["dossiers"].rows_where(where, args or [], order_by="id")
        ]

    def versions(self, dossier_id: int, as_of: datetime | None = None) -> list[tuple[str, str, datetime]]:
        """(path, sha256, received at) of each file of a dossier, first received first: the current versions, or
        those it had at `as_of` (each path's last version received by then; a file is never taken away)."""
        rows = self.db.execute(
            "SELECT path, sha256, received_at, current, moved_at FROM files WHERE dossier_id = ? ORDER BY id",
            [dossier_id],
        ).fetchall()
        if as_of is None:
            return [(path, sha, datetime.fromisoformat(at)) for path, sha, at, current, _ in rows if current]
        then: dict[str, tuple[str, str, datetime]] = {}
        for path, sha, at, _, moved in rows:
            if (received := datetime.fromisoformat(at)) <= as_of:
                then.pop(path, None)  # re-inserted: ordered by when this version came
                then[path] = (path, sha, received)
            if moved and datetime.fromisoformat(moved) <= as_of:
                then.pop(path, None)  # moved to another dossier's folder by then
        return list(then.values())

    def received_files(self, dossier_id: int, as_of: datetime | None = None) -> list[ReceivedFile]:
        """Each file of a dossier (its current version, or the one it had at `as_of`) with its extraction; of
        byte-identical files only the first received counts (a copy under another name is not counted twice)."""
        files, seen = [], set()
        for path, sha256, received_at in self.versions(dossier_id, as_of):
            extraction = self._store.pages.extraction(sha256)
            if extraction is not None and sha256 not in seen:
                seen.add(sha256)
                files.append(ReceivedFile(path, sha256, received_at, extraction))
        return sorted(files, key=lambda f: f.path)

    def changed_since(self, dossier_id: int, as_of: datetime) -> list[tuple[str, datetime, datetime | None]]:
        """The files whose current version is not the one the dossier had at `as_of` (new, or replaced since), with
        when that version was received and the modification time the share gave it (UTC; None when unknown)."""
        then = {path: sha for path, sha, _ in self.versions(dossier_id, as_of)}
        written = dict(self.db.execute("SELECT path, mtime_ns FROM files WHERE dossier_id = ? AND current",
                                       [dossier_id]).fetchall())
        return [(path, at, datetime.fromtimestamp(written[path] / 1e9, timezone.utc) if written.get(path) else None)
                for path, sha, at in self.versions(dossier_id) if then.get(path) != sha]

    def file_rows(self, dossier_id: int) -> list[dict[str, Any]]:
        """Every version of every file of a dossier, for reports."""
        return list(self.db["files"].rows_where("dossier_id = ?", [dossier_id], order_by="path, id"))


    def receive_file(
        self, *, folder: str, path: str, sha256: str, size: int, mtime_ns: int, received_at: datetime,
        receipt_pattern: str,
    ) -> int:
        """Record one received file in one transaction: its dossier (and receipt number, when new), the file
        version and an event. Idempotent: bytes already current at this path only update the stat.
        Returns the dossier id."""
        at = received_at.isoformat()
        with self.transaction() as conn:
            row = conn.execute("SELECT id FROM dossiers WHERE folder = ?", [folder]).fetchone()
            if row is None:
                conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('receipt', 0)")
                conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'receipt'")
                seq = conn.execute("SELECT value FROM counters WHERE name = 'receipt'").fetchone()[0]
                receipt_no = receipt_pattern.format(
                    year=received_at.year, month=received_at.month, day=received_at.day, seq=seq
                )
                dossier_id = conn.execute(
                    "INSERT INTO dossiers (folder, receipt_no, received_at, late) VALUES (?, ?, ?, 0)",
                    [folder, receipt_no, at],
                ).lastrowid
                conn.execute(
                    "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'dossier_received', ?)",
                    [at, dossier_id, receipt_no],
                )
            else:
                dossier_id = row[0]
            same = conn.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE dossier_id = ? AND path = ? AND sha256 = ? "
                "AND current = 1",
                [size, mtime_ns, dossier_id, path, sha256],
            )
            if same.rowcount:
                return int(dossier_id)
            duplicate = conn.execute(
                "SELECT path FROM files WHERE dossier_id = ? AND sha256 = ? AND current = 1 AND path != ? "
                "AND duplicate_of IS NULL ORDER BY id LIMIT 1",
                [dossier_id, sha256, path],
            ).fetchone()
            conn.execute("UPDATE files SET current = 0 WHERE dossier_id = ? AND path = ?", [dossier_id, path])
            conn.execute(
                "INSERT INTO files (dossier_id, path, sha256, size, mtime_ns, received_at, current, duplicate_of) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (dossier_id, path, sha256) DO UPDATE SET "
                "current = 1, size = excluded.size, mtime_ns = excluded.mtime_ns",
                [dossier_id, path, sha256, size, mtime_ns, at, duplicate[0] if duplicate else None],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, ?, ?)",
                [at, dossier_id, path, "file_duplicate" if duplicate else "file_received", sha256],
            )
        return int(dossier_id)

    def move_out(self, sha256: str, *, into: int, present: Callable[[str, str], bool],
                 at: datetime) -> list[int]:
        """The bytes just received into dossier `into` that another dossier holds as a current file no longer in
        its folder (`present(folder, path)` is False): they were moved, not copied (audit 27: a form uploaded into
        another enterprise's folder, then moved out, still counted there). Each such file stops counting in the
        dossier it left, with an event in both. Returns the dossiers left."""
        rows = self.db.execute(
            "SELECT f.id, f.dossier_id, f.path, d.folder, d.receipt_no FROM files f JOIN dossiers d "
            "ON d.id = f.dossier_id WHERE f.sha256 = ? AND f.current = 1 AND f.dossier_id != ?",
            [sha256, into],
        ).fetchall()
        gone = [(i, dossier, path, folder, receipt) for i, dossier, path, folder, receipt in rows
                if not present(folder, path)]
        if not gone:
            return []
        target = self.db.execute("SELECT folder, receipt_no FROM dossiers WHERE id = ?", [into]).fetchone()
        with self.transaction() as conn:
            for file_id, dossier, path, folder, receipt in gone:
                conn.execute("UPDATE files SET current = 0, moved_at = ? WHERE id = ?", [at.isoformat(), file_id])
                conn.execute("INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, "
                             "'file_moved', ?)", [at.isoformat(), dossier, path,
                                                  json.dumps({"to": target[0], "receipt": target[1]},
                                                             ensure_ascii=False)])
                conn.execute("INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, "
                             "'file_moved_in', ?)", [at.isoformat(), into, path,
                                                     json.dumps({"from": folder, "receipt": receipt},
                                                                ensure_ascii=False)])
        return sorted({dossier for _, dossier, _, _, _ in gone})

    def note_gone(self, present: Callable[[str, str], bool], at: datetime) -> None:
        """An event when a file a dossier counts is no longer in its folder (`present(folder, path)` is False:
        deleted, or moved out of the share), and again when it is back: the dossier keeps the version it received,
        and its history says why it counts a file its folder does not show (audit 27: a deletion left no trace)."""
        rows = self.db.execute(
            "SELECT f.dossier_id, f.path, d.folder FROM files f JOIN dossiers d ON d.id = f.dossier_id "
            "WHERE f.current = 1").fetchall()
        last = {(dossier, path): kind for dossier, path, kind in self.db.execute(
            "SELECT dossier_id, file, kind FROM events WHERE kind IN ('file_gone', 'file_back', 'file_received') "
            "ORDER BY id")}
        due = []
        for dossier, path, folder in rows:
            there, was = present(folder, path), last.get((dossier, path))
            if not there and was != "file_gone":
                due.append((dossier, path, "file_gone"))
            elif there and was == "file_gone":
                due.append((dossier, path, "file_back"))
        if due:
            with self.transaction() as conn:
                conn.executemany("INSERT INTO events (at, dossier_id, file, kind, detail) VALUES (?, ?, ?, ?, '')",
                                 [(at.isoformat(), dossier, path, kind) for dossier, path, kind in due])

    def by_receipt(self, receipt_no: str) -> DossierRow | None:
        """The dossier with this receipt number (mã hồ sơ)."""
        rows = self.all(where="receipt_no = ?", args=[receipt_no])
        return rows[0] if rows else None


    # ---- what the web desk shows of a file and its pages ----------------------------------------------------

    def file_of_dossier(self, dossier_id: int, file_id: int) -> dict[str, Any] | None:
        """The stored file version `file_id` if it belongs to this dossier (never another dossier's)."""
        row = self.db.execute(
            "SELECT id, path, sha256, current FROM files WHERE id = ? AND dossier_id = ?", [file_id, dossier_id]
        ).fetchone()
        return dict(zip(("id", "path", "sha256", "current"), row)) if row else None

    def file_for_page(self, receipt_no: str, path: str) -> tuple[int, int] | None:
        """(file id, dossier id) of the newest version of a dossier's file at `path` (a search hit's link)."""
        row = self.db.execute(
            "SELECT f.id, f.dossier_id FROM files f JOIN dossiers d ON d.id = f.dossier_id "
            "WHERE d.receipt_no = ? AND f.path = ? ORDER BY f.current DESC, f.id DESC LIMIT 1", [receipt_no, path],
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None


