"""Dossiers, their files and the text read from them (pages, search). Queries only: no business rules."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import Extraction, Page, Problem, ReceivedFile
from .base import Part
from .schema import FOLD_D_SQL


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


Stat = tuple[int, int, int, int]
"""(size, mtime_ns, inode, ctime_ns) of an inbox file: what tells a new version from the one on record."""


class Dossiers(Part):
    """Dossiers, their files and the text read from them (pages, search)."""

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

    def extraction(self, sha256: str) -> Extraction | None:
        """The cached extraction of these bytes, if they were ever read."""
        row = self.db.execute(
            "SELECT kind, problem_code, problem_reason FROM extractions WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            return None
        kind, code, reason = row
        pages = tuple(
            Page(number, text, method, confidence, tuple(doubtful.split("\n")) if doubtful else ())
            for number, method, confidence, text, doubtful in self.db.execute(
                "SELECT number, method, confidence, text, doubtful FROM pages WHERE sha256 = ? ORDER BY number",
                [sha256],
            )
        )
        return Extraction(kind, pages, Problem(code, reason) if code else None)

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

    def received_files(self, dossier_id: int) -> list[ReceivedFile]:
        """The current version of each file of a dossier with its extraction; of byte-identical files only
        the first received counts (a copy under another name is not counted twice)."""
        rows = self.db.execute(
            "SELECT path, sha256, received_at FROM files WHERE dossier_id = ? AND current = 1 ORDER BY id",
            [dossier_id],
        ).fetchall()
        files, seen = [], set()
        for path, sha256, received_at in rows:
            extraction = self.extraction(sha256)
            if extraction is not None and sha256 not in seen:
                seen.add(sha256)
                files.append(ReceivedFile(path, sha256, datetime.fromisoformat(received_at), extraction))
        return sorted(files, key=lambda f: f.path)

    def file_rows(self, dossier_id: int) -> list[dict[str, Any]]:
        """Every version of every file of a dossier, for reports."""
        return list(self.db["files"].rows_where("dossier_id = ?", [dossier_id], order_by="path, id"))

    def page_count(self) -> int:
        """Pages of text stored (for summaries and benchmarks)."""
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])

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

    def pending_extractions(self) -> dict[str, list[int]]:
        """Hashes of current files whose bytes were never extracted → the dossiers waiting for them."""
        pending: dict[str, list[int]] = {}
        for sha256, dossier_id in self.db.execute(
            "SELECT DISTINCT f.sha256, f.dossier_id FROM files f LEFT JOIN extractions e ON e.sha256 = f.sha256 "
            "WHERE f.current = 1 AND e.sha256 IS NULL ORDER BY f.id"
        ):
            pending.setdefault(sha256, []).append(dossier_id)
        return pending

    def save_extraction(self, sha256: str, extraction: Extraction, extracted_at: datetime) -> None:
        """Cache what was read from these bytes (once per hash, in one transaction)."""
        problem = extraction.problem
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO extractions VALUES (?, ?, ?, ?, ?, ?)",
                [sha256, extraction.kind, problem.code if problem else None, problem.reason if problem else None,
                 len(extraction.pages), extracted_at.isoformat()],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO pages (sha256, number, method, confidence, text, doubtful) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(sha256, p.number, p.method, p.confidence, p.text, "\n".join(p.doubtful) or None)
                 for p in extraction.pages],
            )
            conn.execute(
                f"INSERT OR REPLACE INTO page_search (rowid, text) SELECT rowid, {FOLD_D_SQL} FROM pages "
                "WHERE sha256 = ?", [sha256],
            )
            conn.execute("DELETE FROM page_progress WHERE sha256 = ?", [sha256])

    def page_progress(self, sha256: str) -> dict[tuple[int, int], Page]:
        """(call, job) → the page already OCR'd of a file whose reading was interrupted."""
        rows = self.db.execute(
            "SELECT call, job, number, text, method, confidence FROM page_progress WHERE sha256 = ?", [sha256]
        ).fetchall()
        return {(call, job): Page(number, text, method, confidence) for call, job, number, text, method, confidence
                in rows}

    def save_page_progress(self, sha256: str, call: int, job: int, page: Page) -> None:
        """Keep one page OCR'd of a file still being read, so that a stop or a kill does not lose it."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO page_progress VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [sha256, call, job, page.number, page.method, page.confidence, page.text])

    def by_receipt(self, receipt_no: str) -> DossierRow | None:
        """The dossier with this receipt number (mã hồ sơ)."""
        rows = self.all(where="receipt_no = ?", args=[receipt_no])
        return rows[0] if rows else None

    def search_pages(self, match: str, limit: int) -> list[dict[str, Any]]:
        """Pages whose text matches an FTS5 expression, best first, once per file version holding the bytes:
        receipt_no, folder, path, page, current, text (as stored) and marked (the searchable copy with every
        matched word between \x02 and \x03)."""
        return [
            dict(zip(("receipt_no", "folder", "path", "page", "current", "text", "marked"), row))
            for row in self.db.execute(
                "SELECT d.receipt_no, d.folder, f.path, p.number, f.current, p.text, "
                "highlight(page_search, 0, char(2), char(3)) "
                "FROM page_search JOIN pages p ON p.rowid = page_search.rowid "
                "JOIN files f ON f.sha256 = p.sha256 JOIN dossiers d ON d.id = f.dossier_id "
                "WHERE page_search MATCH ? ORDER BY page_search.rank, f.current DESC, d.id, f.path, p.number "
                "LIMIT ?",
                [match, limit],
            )
        ]

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

    def extraction_summary(self, sha256: str) -> tuple[str, str]:
        """(kind, problem reason or "") of these bytes as read; ("", "") before they are read."""
        row = self.db.execute("SELECT kind, problem_reason FROM extractions WHERE sha256 = ?", [sha256]).fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

    def page_list(self, sha256: str) -> list[tuple[int, str, float | None]]:
        """(number, method, confidence) of every page read from these bytes, in order."""
        return [(int(n), m, c) for n, m, c in self.db.execute(
            "SELECT number, method, confidence FROM pages WHERE sha256 = ? ORDER BY number", [sha256])]

    def page(self, sha256: str, number: int) -> tuple[str, str, float | None] | None:
        """(text, method, confidence) of one page read from these bytes."""
        row = self.db.execute("SELECT text, method, confidence FROM pages WHERE sha256 = ? AND number = ?",
                              [sha256, number]).fetchone()
        return (row[0], row[1], row[2]) if row else None

