"""The only module that talks to SQLite: dossiers, files, page text, receipts, deficiencies, notices, events.

Schema is created with sqlite-utils; every write that must be atomic is plain SQL inside one
`with self.db.conn:` transaction (sqlite-utils' own insert helpers commit by themselves).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from .models import Deficiency, Extraction, Invitee, Outgoing, Override, Page, Problem, ReceivedFile, Verdict
from .models import Registration, RegistrationField, SealMark

SCHEMA_VERSION = 2
REQUIRED_TABLES = frozenset({
    "counters", "meta", "dossiers", "extractions", "pages", "files", "deficiencies", "notices", "events",
    "overrides", "rejudge", "page_search", "invitees", "reminders", "registration_fields", "readings", "seal_marks",
})

REPLACED_NOTE = "thay bằng quyết định mới"
"""Why a decision stopped applying when a newer one on the same component replaced it."""

_FOLD_D_SQL = "replace(replace(text, 'đ', 'd'), 'Đ', 'D')"
"""SQL of the searchable copy of a page's text: đ/Đ → d/D, one character for one, so offsets still match."""

NOTICE_DELIVERY_COLUMNS: dict[str, type] = {
    "number": str, "document_sha256": str, "address": str, "subject": str, "body": str, "recipient": str,
    "next_attempt_at": str, "last_attempt_at": str, "last_error": str, "sent_at": str, "message_id": str,
    "resends": int,
}
"""Columns of `notices` about its e-mail delivery (added to older data folders on start-up)."""


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
        # Opening an up-to-date database writes nothing, so `intake report` or a second reader never
        # contends with a running watcher for the write lock.
        if self._schema_version() != SCHEMA_VERSION:
            self._create()
            self._create_reading()
            self.db.execute(
                "INSERT OR REPLACE INTO counters (name, value) VALUES ('schema_version', ?)", [SCHEMA_VERSION]
            )

    def _schema_version(self) -> int | None:
        """The schema version on record, None when a table is missing (then the schema is completed)."""
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not REQUIRED_TABLES <= tables:
            return None
        row = self.db.execute("SELECT value FROM counters WHERE name = 'schema_version'").fetchone()
        return int(row[0]) if row else None

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
             "state": str, "attempts": int, **NOTICE_DELIVERY_COLUMNS},
            pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        # Data folders made before notices were e-mailed gain the delivery columns (all nullable).
        have = db["notices"].columns_dict
        for column, kind in NOTICE_DELIVERY_COLUMNS.items():
            if column not in have:
                db["notices"].add_column(column, kind)
        db["notices"].create_index(["state", "next_attempt_at"], if_not_exists=True)
        db["events"].create(
            {"id": int, "at": str, "dossier_id": int, "file": str, "kind": str, "detail": str},
            pk="id", if_not_exists=True,
        )
        db["dossiers"].create_index(["folder"], unique=True, if_not_exists=True)
        db["dossiers"].create_index(["receipt_no"], unique=True, if_not_exists=True)
        db["files"].create_index(["dossier_id", "path", "sha256"], unique=True, if_not_exists=True)
        db["files"].create_index(["sha256"], if_not_exists=True)
        db["deficiencies"].create_index(["dossier_id", "resolved_at"], if_not_exists=True)
        # Officers' decisions on components, never deleted: undoing or replacing one only closes it.
        db["overrides"].create(
            {"id": int, "dossier_id": int, "component": str, "decision": str, "officer": str, "note": str,
             "at": str, "undone_at": str, "undone_by": str, "undo_note": str},
            pk="id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        db["overrides"].create_index(["dossier_id", "component"], if_not_exists=True)
        # Dossiers to judge again at the next pass (an officer's decision); `token` tells a newer request apart.
        db["rejudge"].create({"dossier_id": int, "token": int}, pk="dossier_id", if_not_exists=True)
        # Full-text search over every page: a copy of the text with đ/Đ folded to d/D (unicode61 does not fold
        # them; the copy keeps every offset), rowid = the page's rowid in `pages`.
        if not db["page_search"].exists():
            db.execute("CREATE VIRTUAL TABLE page_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')")
            db.execute(f"INSERT INTO page_search (rowid, text) SELECT rowid, {_FOLD_D_SQL} FROM pages")
        # The campaign calendar: invited enterprises (key: tax code, else folder; re-imports update), the reminders
        # written (one per reminder day and enterprise, across restarts), and which notices went to an invitee
        # that has no dossier yet (dossier_id NULL).
        db["invitees"].create(
            {"id": int, "key": str, "name": str, "tax_code": str, "email": str, "phone": str, "folder": str,
             "address": str, "imported_at": str, "updated_at": str},
            pk="id", not_null={"key", "name"}, if_not_exists=True,
        )
        db["invitees"].create_index(["key"], unique=True, if_not_exists=True)
        if "invitee_id" not in db["notices"].columns_dict:
            db["notices"].add_column("invitee_id", int)
        db["reminders"].create(
            {"id": int, "day": str, "days_before": int, "target": str, "notice_id": int, "written_at": str},
            pk="id", foreign_keys=[("notice_id", "notices")], if_not_exists=True,
        )
        db["reminders"].create_index(["day", "target"], unique=True, if_not_exists=True)

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
        readings = self.readings()
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
            conn.execute(
                f"INSERT OR REPLACE INTO page_search (rowid, text) SELECT rowid, {_FOLD_D_SQL} FROM pages "
                "WHERE sha256 = ?", [sha256],
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

    # ---- the officers' desk: decisions, judgement requests, search ---------------------------------

    def dossier_by_receipt(self, receipt_no: str) -> DossierRow | None:
        """The dossier with this receipt number (mã hồ sơ)."""
        rows = self.dossiers(where="receipt_no = ?", args=[receipt_no])
        return rows[0] if rows else None

    def _request_judgement(self, conn: sqlite3.Connection, dossier_id: int) -> None:
        conn.execute("INSERT OR IGNORE INTO counters (name, value) VALUES ('rejudge', 0)")
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'rejudge'")
        token = conn.execute("SELECT value FROM counters WHERE name = 'rejudge'").fetchone()[0]
        conn.execute("INSERT OR REPLACE INTO rejudge (dossier_id, token) VALUES (?, ?)", [dossier_id, token])

    def add_override(self, dossier_id: int, override: Override) -> int:
        """Record an officer's decision in one transaction: the decision it replaces on the same component is
        closed (kept), the dossier is queued to be judged again, an event is logged. Returns the new row id."""
        at = override.at.isoformat()
        with self.transaction() as conn:
            conn.execute(
                "UPDATE overrides SET undone_at = ?, undone_by = ?, undo_note = ? "
                "WHERE dossier_id = ? AND component = ? AND undone_at IS NULL",
                [at, override.officer, REPLACED_NOTE, dossier_id, override.component],
            )
            row_id = conn.execute(
                "INSERT INTO overrides (dossier_id, component, decision, officer, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                [dossier_id, override.component, override.decision, override.officer, override.note, at],
            ).lastrowid
            self._request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'override', ?)",
                [at, dossier_id, f"{override.decision} {override.component} #{row_id}"],
            )
        return int(row_id)

    def undo_override(self, dossier_id: int, component: str, *, officer: str, note: str, at: datetime) -> int | None:
        """Close the decision in force on a component (kept, with who, when and why) and queue the dossier to
        be judged again. Returns its row id, or None when no decision is in force."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id FROM overrides WHERE dossier_id = ? AND component = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                [dossier_id, component],
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE overrides SET undone_at = ?, undone_by = ?, undo_note = ? WHERE id = ?",
                [at.isoformat(), officer, note, row[0]],
            )
            self._request_judgement(conn, dossier_id)
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'override_undone', ?)",
                [at.isoformat(), dossier_id, f"{component} #{row[0]}"],
            )
        return int(row[0])

    def overrides(self, dossier_id: int, *, active_only: bool = False) -> tuple[Override, ...]:
        """Officers' decisions on a dossier, oldest first (only those in force with `active_only`)."""
        where = "dossier_id = ?" + (" AND undone_at IS NULL" if active_only else "")
        return tuple(
            Override(
                component=row["component"], decision=row["decision"], officer=row["officer"], note=row["note"],
                at=datetime.fromisoformat(row["at"]), id=row["id"],
                undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
                undone_by=row["undone_by"], undo_note=row["undo_note"],
            )
            for row in self.db["overrides"].rows_where(where, [dossier_id], order_by="id")
        )

    def active_overrides(self, dossier_id: int) -> tuple[Override, ...]:
        """The decisions in force on a dossier (at most one per component)."""
        return self.overrides(dossier_id, active_only=True)

    def rejudge_requests(self) -> dict[int, int]:
        """Dossiers waiting to be judged again → the token of their newest request."""
        return dict(self.db.execute("SELECT dossier_id, token FROM rejudge").fetchall())

    def clear_rejudge(self, requests: dict[int, int]) -> None:
        """Forget the requests that were served; a newer request (another token) made meanwhile stays."""
        if requests:
            with self.transaction() as conn:
                conn.executemany("DELETE FROM rejudge WHERE dossier_id = ? AND token = ?", list(requests.items()))

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

    # ---- notices: the outbox and its e-mail delivery ----------------------------------------------------
    # States: written (outbox file only: SMTP was not configured), pending (to e-mail; retried with backoff),
    # sending (claimed just before the SMTP conversation), sent, unconfirmed (the service stopped or the
    # connection broke while sending: it may have arrived, so it is never sent again by itself), failed
    # (attempts exhausted), superseded (a newer notice on where the dossier stands replaced it unsent).

    def next_notice_sequence(self, kind: str) -> int:
        """The number the next notice of this kind gets (1, 2, … across the campaign)."""
        return int(self.db.execute("SELECT count(*) FROM notices WHERE kind = ?", [kind]).fetchone()[0]) + 1

    def record_notice(self, dossier_id: int, *, kind: str, content_hash: str, number: str, path: str,
                      document_sha256: str, address: str | None, subject: str, body: str, created_at: datetime,
                      state: str) -> int:
        """Record a notice just written to the outbox (one transaction with its event). Returns its id."""
        at = created_at.isoformat()
        with self.transaction() as conn:
            notice_id = conn.execute(
                "INSERT INTO notices (dossier_id, kind, content_hash, path, created_at, state, attempts, number, "
                "document_sha256, address, subject, body, resends) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
                [dossier_id, kind, content_hash, path, at, state, number, document_sha256, address or None,
                 subject, body],
            ).lastrowid
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [at, dossier_id, f"{kind} {number}"],
            )
        return int(notice_id)

    def notice_listing(self) -> list[dict[str, Any]]:
        """Every notice with its dossier's receipt number and folder, in dossier then notice order."""
        return list(self.db.query(
            "SELECT n.*, coalesce(d.receipt_no, '-') AS receipt_no, coalesce(d.folder, i.folder) AS folder "
            "FROM notices n LEFT JOIN dossiers d ON d.id = n.dossier_id LEFT JOIN invitees i ON i.id = n.invitee_id "
            "ORDER BY d.id IS NULL, d.id, n.invitee_id, n.id"
        ))

    def recover_interrupted_sends(self, at: datetime, detail: str) -> int:
        """Notices left `sending` by a run that stopped mid-send become `unconfirmed` (never sent again by
        themselves: the message may have been delivered). Call only while nothing is being sent."""
        with self.transaction() as conn:
            ids = [i for (i,) in conn.execute("SELECT id FROM notices WHERE state = 'sending'")]
            conn.executemany(
                "UPDATE notices SET state = 'unconfirmed', last_error = ? WHERE id = ?", [(detail, i) for i in ids]
            )
            conn.executemany(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_unconfirmed', ? "
                "FROM notices WHERE id = ?", [(at.isoformat(), detail, i) for i in ids],
            )
        return len(ids)

    def supersede_notices(self, kinds: tuple[str, ...], at: datetime) -> int:
        """Unsent notices of these kinds that a newer one of these kinds for the same dossier replaced."""
        marks = ", ".join("?" for _ in kinds)
        with self.transaction() as conn:
            changed = conn.execute(
                f"UPDATE notices SET state = 'superseded', next_attempt_at = NULL WHERE state = 'pending' "
                f"AND kind IN ({marks}) AND id < (SELECT max(n2.id) FROM notices n2 "
                f"WHERE n2.dossier_id = notices.dossier_id AND n2.kind IN ({marks}))",
                [*kinds, *kinds],
            ).rowcount
            if changed:
                conn.execute(
                    "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'notices_superseded', ?)",
                    [at.isoformat(), str(changed)],
                )
        return int(changed)

    def due_notices(self, now: datetime) -> list[Outgoing]:
        """Notices to e-mail now (pending, their next attempt not in the future), oldest first, each with the
        newest e-mail address read from its dossier's registration form."""
        rows = self.db.execute(
            "SELECT n.id, n.dossier_id, coalesce(d.folder, i.folder), coalesce(d.receipt_no, ''), n.kind, n.path, "
            "n.document_sha256, n.subject, "
            "n.body, coalesce((SELECT n2.address FROM notices n2 WHERE n2.dossier_id = n.dossier_id AND n2.address IS "
            "NOT NULL ORDER BY n2.id DESC LIMIT 1), n.address), n.attempts, coalesce(n.resends, 0) "
            "FROM notices n LEFT JOIN dossiers d ON d.id = n.dossier_id LEFT JOIN invitees i ON i.id = n.invitee_id "
            "WHERE n.state = 'pending' AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= ?) ORDER BY n.id",
            [_utc(now)],
        ).fetchall()
        return [Outgoing(*row) for row in rows]

    def claim_notice(self, notice_id: int, at: datetime, recipient: str) -> bool:
        """Mark a pending notice `sending` (one more attempt) just before e-mailing it; False if it is no longer
        pending. Committed before the first byte goes out, so a crash mid-send leaves it `sending`."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE notices SET state = 'sending', attempts = attempts + 1, last_attempt_at = ?, recipient = ? "
                "WHERE id = ? AND state = 'pending'",
                [at.isoformat(), recipient, notice_id],
            ).rowcount == 1

    def settle_notice(self, notice_id: int, *, state: str, at: datetime, detail: str = "",
                      retry_at: datetime | None = None, message_id: str | None = None) -> None:
        """What became of a claimed notice: `sent`, `pending` again (retry at `retry_at`), `failed` or
        `unconfirmed`; with its event, in one transaction."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET state = ?, last_error = ?, next_attempt_at = ?, "
                "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, "
                "message_id = coalesce(?, message_id) WHERE id = ? AND state = 'sending'",
                [state, None if state == "sent" else detail, _utc(retry_at) if retry_at else None, state,
                 at.isoformat(), message_id, notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, ?, ? FROM notices "
                "WHERE id = ?",
                [at.isoformat(), f"notice_{state}", f"#{notice_id} {detail}".strip(), notice_id],
            )

    def postpone_notice(self, notice_id: int, *, detail: str, retry_at: datetime, attempted: bool) -> None:
        """Leave a pending notice for later: the server was unreachable (`attempted`: counts as an attempt) or
        there is no address to send it to yet (does not)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET attempts = attempts + ?, last_error = ?, next_attempt_at = ? "
                "WHERE id = ? AND state = 'pending'",
                [int(attempted), detail, _utc(retry_at), notice_id],
            )

    def fail_notice(self, notice_id: int, *, at: datetime, detail: str) -> None:
        """Give up on a pending notice (attempts exhausted while the server was unreachable)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE notices SET state = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL "
                "WHERE id = ? AND state = 'pending'",
                [detail, notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_failed', ? "
                "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} {detail}", notice_id],
            )

    def requeue_notice(self, notice_id: int, at: datetime) -> str:
        """An officer asks for a notice to be e-mailed (again): it becomes pending with fresh attempts. A notice
        that was sent counts one more resend (its e-mail gets a new Message-ID). Returns its former state; one
        being sent right now is left alone."""
        with self.transaction() as conn:
            row = conn.execute("SELECT state FROM notices WHERE id = ?", [notice_id]).fetchone()
            if row is None:
                raise KeyError(notice_id)
            if row[0] == "sending":  # the running service is e-mailing it this very moment: leave it be
                return "sending"
            conn.execute(
                "UPDATE notices SET state = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL, "
                "resends = coalesce(resends, 0) + ? WHERE id = ?",
                [int(row[0] == "sent"), notice_id],
            )
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_requeued', ? "
                "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} was {row[0]}", notice_id],
            )
        return str(row[0])

    # ---- the campaign calendar: invited enterprises, reminders, closing ----------------------------------

    def save_invitees(self, invitees: Sequence[tuple[tuple[str, ...], Invitee]], at: datetime) -> tuple[int, int, int]:
        """Import an invitation list in one transaction. Each invitee comes with its keys, best first (tax code,
        then folder): the first stored under one of them is updated (and re-keyed), else it is new; never a
        duplicate, never a deletion. Returns (new, updated, unchanged)."""
        new = updated = unchanged = 0
        fields = ("name", "tax_code", "email", "phone", "folder", "address")
        with self.transaction() as conn:
            for keys, invitee in invitees:
                row = None
                for key in keys:
                    row = conn.execute(f"SELECT id, key, {', '.join(fields)} FROM invitees WHERE key = ?",
                                       [key]).fetchone()
                    if row is not None:
                        break
                values = [getattr(invitee, f) for f in fields]
                if row is None:
                    conn.execute(
                        f"INSERT INTO invitees (key, {', '.join(fields)}, imported_at, updated_at) "
                        f"VALUES (?, {', '.join('?' for _ in fields)}, ?, ?)",
                        [keys[0], *values, at.isoformat(), at.isoformat()],
                    )
                    new += 1
                elif (row[1], *row[2:]) == (keys[0], *values):
                    unchanged += 1
                else:
                    conn.execute(
                        f"UPDATE invitees SET key = ?, {', '.join(f + ' = ?' for f in fields)}, updated_at = ? "
                        "WHERE id = ?",
                        [keys[0], *values, at.isoformat(), row[0]],
                    )
                    updated += 1
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'invitations_imported', ?)",
                [at.isoformat(), f"{new} new, {updated} updated, {unchanged} unchanged"],
            )
        return new, updated, unchanged

    def invitees(self) -> list[Invitee]:
        """Every invited enterprise, in import order."""
        return [
            Invitee(name=row["name"], tax_code=row["tax_code"] or "", email=row["email"] or "",
                    phone=row["phone"] or "", folder=row["folder"] or "", address=row["address"] or "",
                    id=row["id"], imported_at=datetime.fromisoformat(row["imported_at"]))
            for row in self.db["invitees"].rows_where(order_by="id")
        ]

    def reminders_written(self) -> set[tuple[date, str]]:
        """(reminder day, target) of every reminder written: each is written once, across restarts."""
        return {(date.fromisoformat(day), target)
                for day, target in self.db.execute("SELECT day, target FROM reminders")}

    def reminder_count(self) -> int:
        """Reminders written so far."""
        return int(self.db.execute("SELECT count(*) FROM reminders").fetchone()[0])

    def invitee_notices(self, invitee_id: int) -> list[dict[str, Any]]:
        """Notices written to an invitee that had no dossier yet, oldest first."""
        return list(self.db["notices"].rows_where("invitee_id = ? AND dossier_id IS NULL", [invitee_id],
                                                  order_by="id"))

    def record_reminder(self, *, day: date, days_before: int, target: str, dossier_id: int | None,
                        invitee_id: int | None, number: str, path: str, document_sha256: str, address: str | None,
                        subject: str, body: str, created_at: datetime, state: str) -> int | None:
        """Record a reminder just written to the outbox: the notice, its place in the schedule and its event, in
        one transaction. Returns the notice id, or None (nothing recorded) when this day's reminder to this target
        was already written."""
        at = created_at.isoformat()
        with self.transaction() as conn:
            claimed = conn.execute(
                "INSERT OR IGNORE INTO reminders (day, days_before, target, written_at) VALUES (?, ?, ?, ?)",
                [day.isoformat(), days_before, target, at],
            )
            if not claimed.rowcount:
                return None
            notice_id = conn.execute(
                "INSERT INTO notices (dossier_id, invitee_id, kind, content_hash, path, created_at, state, attempts, "
                "number, document_sha256, address, subject, body, resends) "
                "VALUES (?, ?, 'reminder', ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
                [dossier_id, invitee_id, f"{day.isoformat()}|{target}", path, at, state, number, document_sha256,
                 address or None, subject, body],
            ).lastrowid
            conn.execute("UPDATE reminders SET notice_id = ? WHERE id = ?", [notice_id, claimed.lastrowid])
            conn.execute(
                "INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, ?, 'notice_written', ?)",
                [at, dossier_id, f"reminder {number} {target}"],
            )
        return int(notice_id)

    def unsent_reminders(self) -> list[tuple[int, str]]:
        """(notice id, target) of reminders still waiting to be e-mailed."""
        return [(int(i), str(t)) for i, t in self.db.execute(
            "SELECT n.id, r.target FROM reminders r JOIN notices n ON n.id = r.notice_id WHERE n.state = 'pending' "
            "ORDER BY n.id"
        )]

    def expire_notices(self, notice_ids: Sequence[int], *, at: datetime, detail: str) -> int:
        """Notices no longer worth sending (a reminder once the deadline passed or its enterprise needs it no more)
        become `expired` unless they are no longer pending."""
        with self.transaction() as conn:
            changed = 0
            for notice_id in notice_ids:
                if conn.execute(
                    "UPDATE notices SET state = 'expired', next_attempt_at = NULL, last_error = ? "
                    "WHERE id = ? AND state = 'pending'", [detail, notice_id],
                ).rowcount:
                    changed += 1
                    conn.execute(
                        "INSERT INTO events (at, dossier_id, kind, detail) SELECT ?, dossier_id, 'notice_expired', ? "
                        "FROM notices WHERE id = ?", [at.isoformat(), f"#{notice_id} {detail}", notice_id],
                    )
        return changed

    def close_intake(self, at: datetime) -> datetime:
        """Record that intake is closed (the first time only). Returns when it was closed."""
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('closed_at', ?)", [at.isoformat()])
            value = conn.execute("SELECT value FROM meta WHERE key = 'closed_at'").fetchone()[0]
            if value == at.isoformat():
                conn.execute("INSERT INTO events (at, dossier_id, kind, detail) VALUES (?, NULL, 'intake_closed', '')",
                             [value])
        return datetime.fromisoformat(value)

    def closed_at(self) -> datetime | None:
        """When intake was closed, or None while it is open."""
        value = self.meta("closed_at")
        return datetime.fromisoformat(value) if value else None


    # ---- reading as an officer does: registration fields, seals, hints ----------------------------------

    def _create_reading(self) -> None:
        db = self.db
        if {"registration_fields", "readings", "seal_marks"} <= set(db.table_names()):
            return  # a read, not DDL: another process may be creating or using the database right now
        # The registration form's fields of each dossier as last read (one row per field; the officers' register).
        db["registration_fields"].create(
            {"dossier_id": int, "field": str, "value": str, "status": str, "note": str, "raw": str,
             "source": str, "read_at": str},
            pk=("dossier_id", "field"), foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        # What the last judgement read besides the verdict (registration, seals, hints), as the report shows it.
        db["readings"].create(
            {"dossier_id": int, "record": str, "read_at": str},
            pk="dossier_id", foreign_keys=[("dossier_id", "dossiers")], if_not_exists=True,
        )
        # Seal checks by content and page, like the text: the same bytes are never looked at twice.
        db["seal_marks"].create(
            {"sha256": str, "page": int, "detector": str, "found": int, "colour": int, "x0": float, "y0": float,
             "x1": float, "y1": float, "score": float},
            pk=("sha256", "page", "detector"), if_not_exists=True,
        )

    def save_reading(self, dossier_id: int, record: dict[str, Any], registration: Registration,
                     at: datetime) -> None:
        """Replace what was read from a dossier (one transaction): its report record and registration fields."""
        stamp = at.isoformat()
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO readings (dossier_id, record, read_at) VALUES (?, ?, ?)",
                         [dossier_id, json.dumps(record, ensure_ascii=False, sort_keys=True), stamp])
            conn.execute("DELETE FROM registration_fields WHERE dossier_id = ?", [dossier_id])
            conn.executemany(
                "INSERT INTO registration_fields (dossier_id, field, value, status, note, raw, source, read_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(dossier_id, f.name, f.value, f.status, f.note, f.raw, registration.source, stamp)
                 for f in registration.fields],
            )

    def readings(self) -> dict[int, dict[str, Any]]:
        """Dossier id → what was last read from it (stored JSON)."""
        return {d: json.loads(r) for d, r in self.db.execute("SELECT dossier_id, record FROM readings")}

    def registration(self, dossier_id: int) -> Registration | None:
        """The registration form's fields of a dossier as last read; None before it was first judged."""
        rows = self.db.execute(
            "SELECT field, value, status, note, raw, source FROM registration_fields WHERE dossier_id = ? "
            "ORDER BY rowid", [dossier_id],
        ).fetchall()
        if not rows:
            return None
        return Registration(tuple(RegistrationField(*row[:5]) for row in rows), rows[0][5])

    def seal_mark(self, sha256: str, page: int, detector: str) -> SealMark | None:
        """The cached seal check of a page of these bytes by this detector version, if any."""
        row = self.db.execute(
            "SELECT found, colour, x0, y0, x1, y1, score FROM seal_marks WHERE sha256 = ? AND page = ? "
            "AND detector = ?", [sha256, page, detector],
        ).fetchone()
        if row is None:
            return None
        found, colour, x0, y0, x1, y1, score = row
        return SealMark(bool(found), bool(colour), None if x0 is None else (x0, y0, x1, y1), score or 0.0)

    def save_seal_mark(self, sha256: str, page: int, detector: str, mark: SealMark) -> None:
        """Cache a seal check of a page."""
        box = mark.box or (None, None, None, None)
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO seal_marks (sha256, page, detector, found, colour, x0, y0, x1, y1, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sha256, page, detector, int(mark.found), int(mark.colour), *box, mark.score],
            )


def _utc(moment: datetime) -> str:
    """A moment as comparable text (UTC ISO 8601), whatever the clock's zone."""
    return moment.astimezone(timezone.utc).isoformat()
