"""The only module that talks to SQLite: dossiers, files, page text, receipts, deficiencies, notices, events.

Schema is created with sqlite-utils; every write that must be atomic is plain SQL inside one
`with self.db.conn:` transaction (sqlite-utils' own insert helpers commit by themselves).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from .models import Deficiency, Extraction, Page, Problem, ReceivedFile, Verdict

SCHEMA_VERSION = 1


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


class Store:
    """The intake database in `<data>/intake.db` (WAL, synchronous=FULL: survives power loss)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Autocommit mode: transactions are only the explicit ones of `transaction()`.
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._create()

    def close(self) -> None:
        self.db.conn.close()

    # ---- schema ----------------------------------------------------------------------------------

    def _create(self) -> None:
        db = self.db
        db["counters"].create({"name": str, "value": int}, pk="name", if_not_exists=True)
        db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db["dossiers"].create(
            {"id": int, "folder": str, "receipt_no": str, "received_at": str, "status": str, "late": int,
             "verdict": str, "deficiency_hash": str, "evaluated_at": str},
            pk="id", not_null={"folder", "receipt_no", "received_at"}, if_not_exists=True,
        )
        db["extractions"].create(
            {"sha256": str, "kind": str, "problem_code": str, "problem_reason": str, "page_count": int,
             "extracted_at": str},
            pk="sha256", if_not_exists=True,
        )
        db["pages"].create(
            {"sha256": str, "number": int, "method": str, "confidence": float, "text": str},
            pk=("sha256", "number"), foreign_keys=[("sha256", "extractions")], if_not_exists=True,
        )
        db["files"].create(
            {"id": int, "dossier_id": int, "path": str, "sha256": str, "size": int, "mtime_ns": int,
             "received_at": str, "current": int, "duplicate_of": str},
            pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        db["deficiencies"].create(
            {"id": int, "dossier_id": int, "key": str, "code": str, "document": str, "file": str,
             "message": str, "opened_at": str, "resolved_at": str},
            pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        db["notices"].create(
            {"id": int, "dossier_id": int, "kind": str, "content_hash": str, "path": str, "created_at": str,
             "state": str, "attempts": int},
            pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        db["events"].create(
            {"id": int, "at": str, "dossier_id": int, "file": str, "kind": str, "detail": str},
            pk="id", if_not_exists=True,
        )
        db["dossiers"].create_index(["folder"], unique=True, if_not_exists=True)
        db["dossiers"].create_index(["receipt_no"], unique=True, if_not_exists=True)
        db["files"].create_index(["dossier_id", "path", "sha256"], unique=True, if_not_exists=True)
        db["files"].create_index(["sha256"], if_not_exists=True)
        db["deficiencies"].create_index(["dossier_id", "resolved_at"], if_not_exists=True)
        db["counters"].insert({"name": "schema_version", "value": SCHEMA_VERSION}, ignore=True)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def set_meta(self, key: str, value: str) -> None:
        """Remember a setting of the data folder (e.g. the campaign it serves)."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def meta(self, key: str) -> str | None:
        """A remembered setting."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # ---- reads -----------------------------------------------------------------------------------

    def known_stats(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(dossier folder, path) → (size, mtime_ns) of the current version of every known file."""
        rows = self.db.execute(
            "SELECT d.folder, f.path, f.size, f.mtime_ns FROM files f JOIN dossiers d ON d.id = f.dossier_id "
            "WHERE f.current = 1"
        ).fetchall()
        return {(folder, path): (size, mtime) for folder, path, size, mtime in rows}

    def extraction(self, sha256: str) -> Extraction | None:
        """The cached extraction of these bytes, if they were ever read."""
        row = self.db.execute(
            "SELECT kind, problem_code, problem_reason FROM extractions WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            return None
        kind, code, reason = row
        pages = tuple(
            Page(number, text, method, confidence)
            for number, method, confidence, text in self.db.execute(
                "SELECT number, method, confidence, text FROM pages WHERE sha256 = ? ORDER BY number", [sha256]
            )
        )
        return Extraction(kind, pages, Problem(code, reason) if code else None)

    def dossier(self, folder: str) -> DossierRow | None:
        """The dossier stored under this folder name."""
        rows = self.dossiers(where="folder = ?", args=[folder])
        return rows[0] if rows else None

    def dossiers(self, where: str = "1", args: list[Any] | None = None) -> list[DossierRow]:
        """Dossiers in receipt order."""
        return [
            DossierRow(
                id=row["id"], folder=row["folder"], receipt_no=row["receipt_no"],
                received_at=datetime.fromisoformat(row["received_at"]), status=row["status"],
                late=bool(row["late"]), verdict=json.loads(row["verdict"]) if row["verdict"] else None,
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

    def open_deficiencies(self, dossier_id: int) -> list[dict[str, Any]]:
        """Deficiencies not yet resolved."""
        return list(self.db["deficiencies"].rows_where(
            "dossier_id = ? AND resolved_at IS NULL", [dossier_id], order_by="id"
        ))

    def deficiency_history(self, dossier_id: int) -> list[dict[str, Any]]:
        """Every deficiency ever opened for a dossier, resolved ones included."""
        return list(self.db["deficiencies"].rows_where("dossier_id = ?", [dossier_id], order_by="id"))

    def notices(self, dossier_id: int | None = None) -> list[dict[str, Any]]:
        """Notices written, newest last."""
        where, args = ("dossier_id = ?", [dossier_id]) if dossier_id is not None else ("1", [])
        return list(self.db["notices"].rows_where(where, args, order_by="id"))

    def page_count(self) -> int:
        """Pages of text stored (for summaries and benchmarks)."""
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])

    # ---- writes ----------------------------------------------------------------------------------

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
                "INSERT OR IGNORE INTO pages VALUES (?, ?, ?, ?, ?)",
                [(sha256, p.number, p.method, p.confidence, p.text) for p in extraction.pages],
            )

    def save_verdict(self, dossier_id: int, verdict: Verdict, verdict_json: dict[str, Any],
                     deficiency_hash: str, evaluated_at: datetime) -> tuple[list[Deficiency], list[str]]:
        """Store a verdict; open new deficiencies and resolve vanished ones (history is never deleted).
        Returns (opened, resolved keys)."""
        at = evaluated_at.isoformat()
        with self.transaction() as conn:
            conn.execute(
                "UPDATE dossiers SET status = ?, late = ?, verdict = ?, deficiency_hash = ?, evaluated_at = ? "
                "WHERE id = ?",
                [verdict.status, int(verdict.late), json.dumps(verdict_json, ensure_ascii=False),
                 deficiency_hash, at, dossier_id],
            )
            open_keys = {
                key for (key,) in conn.execute(
                    "SELECT key FROM deficiencies WHERE dossier_id = ? AND resolved_at IS NULL", [dossier_id]
                )
            }
            current = {d.key: d for d in verdict.deficiencies}
            opened = [d for k, d in current.items() if k not in open_keys]
            resolved = sorted(open_keys - current.keys())
            conn.executemany(
                "INSERT INTO deficiencies (dossier_id, key, code, document, file, message, opened_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(dossier_id, d.key, d.code, d.document, d.file, d.message, at) for d in opened],
            )
            conn.executemany(
                "UPDATE deficiencies SET resolved_at = ? WHERE dossier_id = ? AND key = ? AND resolved_at IS NULL",
                [(at, dossier_id, k) for k in resolved],
            )
            if opened or resolved:
                conn.execute(
                    "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'verdict', ?)",
                    [at, dossier_id, f"{verdict.status}: +{len(opened)} -{len(resolved)} deficiencies"],
                )
        return opened, resolved

    def last_notice_hash(self, dossier_id: int, kind: str) -> str | None:
        """Content hash of the newest notice of this kind for a dossier."""
        row = self.db.execute(
            "SELECT content_hash FROM notices WHERE dossier_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
            [dossier_id, kind],
        ).fetchone()
        return row[0] if row else None

    def add_notice(self, dossier_id: int, kind: str, content_hash: str, path: str, created_at: datetime) -> None:
        """Record a notice written to the outbox."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO notices (dossier_id, kind, content_hash, path, created_at, state, attempts) "
                "VALUES (?, ?, ?, ?, ?, 'written', 0)",
                [dossier_id, kind, content_hash, path, created_at.isoformat()],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [created_at.isoformat(), dossier_id, kind],
            )
