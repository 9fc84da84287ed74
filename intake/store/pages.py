"""The text read from received bytes: extractions, their pages (and pages read so far), search. Queries only: no business rules."""


from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Extraction, Page, Problem
from ..reading import SEAL_DETECTOR
from .base import Part
from .readings import SAVE_SEAL_MARK, seal_mark_row
from .schema import FOLD_D_SQL


class Pages(Part):
    """The text read from received bytes: extractions, their pages (and pages read so far), search."""

    def extraction(self, sha256: str) -> Extraction | None:
        """The cached extraction of these bytes, if they were ever read."""
        row = self.db.execute(
            "SELECT kind, problem_code, problem_reason, enclosed FROM extractions WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            return None
        kind, code, reason, enclosed = row
        pages = tuple(
            _page(number, text, method, confidence, doubtful, photo, captions)
            for number, method, confidence, text, doubtful, photo, captions in self.db.execute(
                "SELECT number, method, confidence, text, doubtful, photo, captions FROM pages WHERE sha256 = ? "
                "ORDER BY number", [sha256],
            )
        )
        return Extraction(kind, pages, Problem(code, reason) if code else None,
                          tuple(enclosed.split("\n")) if enclosed else ())

    def extracted(self, sha256: str) -> bool:
        """Whether these bytes were ever read (or refused unread)."""
        return self.db.execute("SELECT 1 FROM extractions WHERE sha256 = ?", [sha256]).fetchone() is not None

    def pending_extractions(self) -> dict[str, list[int]]:
        """Hashes of current files whose bytes were never extracted → the dossiers waiting for them."""
        pending: dict[str, list[int]] = {}
        for sha256, dossier_id in self.db.execute(
            "SELECT DISTINCT f.sha256, f.dossier_id FROM files f LEFT JOIN extractions e ON e.sha256 = f.sha256 "
            "WHERE f.current = 1 AND e.sha256 IS NULL ORDER BY f.id"
        ):
            pending.setdefault(sha256, []).append(dossier_id)
        return pending

    def forget(self, kind: str, text_only: bool = False) -> int:
        """Forget what was read from files of this kind (their pages, search entries and seal marks), only where no
        page was OCR'd if `text_only`: the next pass reads them again from the archive. Returns how many."""
        chosen = "SELECT sha256 FROM extractions e WHERE kind = ?" + (
            " AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.sha256 = e.sha256 AND p.method = 'ocr')" if text_only
            else "")
        with self.transaction() as conn:
            hashes = [sha for (sha,) in conn.execute(chosen, [kind])]
            for table, where in (("page_search", "rowid IN (SELECT rowid FROM pages WHERE sha256 = ?)"),
                                 ("seal_marks", "sha256 = ?"), ("pages", "sha256 = ?"), ("extractions", "sha256 = ?")):
                conn.executemany(f"DELETE FROM {table} WHERE {where}", [(sha,) for sha in hashes])
            return len(hashes)

    def save_extraction(self, sha256: str, extraction: Extraction, extracted_at: datetime) -> None:
        """Cache what was read from these bytes (once per hash, in one transaction), with the seal marks the OCR
        workers saw on its page images."""
        problem = extraction.problem
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO extractions (sha256, kind, problem_code, problem_reason, page_count, "
                "extracted_at, enclosed) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [sha256, extraction.kind, problem.code if problem else None, problem.reason if problem else None,
                 len(extraction.pages), extracted_at.isoformat(), "\n".join(extraction.enclosed) or None],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO pages (sha256, number, method, confidence, text, doubtful, photo, captions) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(sha256, p.number, p.method, p.confidence, p.text, _doubtful(p), int(p.photo),
                  "\n".join(p.captions) or None)
                 for p in extraction.pages],
            )
            conn.execute(
                f"INSERT OR REPLACE INTO page_search (rowid, text) SELECT rowid, {FOLD_D_SQL} FROM pages "
                "WHERE sha256 = ?", [sha256],
            )
            conn.executemany(SAVE_SEAL_MARK, [seal_mark_row(sha256, p.number, SEAL_DETECTOR, p.seal)
                                              for p in extraction.pages if p.seal is not None])
            conn.execute("DELETE FROM page_progress WHERE sha256 = ?", [sha256])

    def page_progress(self, sha256: str) -> dict[tuple[int, int], Page]:
        """(call, job) → the page already OCR'd of a file whose reading was interrupted."""
        rows = self.db.execute(
            "SELECT call, job, number, text, method, confidence, doubtful, photo FROM page_progress WHERE sha256 = ?",
            [sha256],
        ).fetchall()
        return {(call, job): _page(number, text, method, confidence, doubtful, photo)
                for call, job, number, text, method, confidence, doubtful, photo in rows}

    def save_page_progress(self, sha256: str, call: int, job: int, page: Page) -> None:
        """Keep one page OCR'd of a file still being read, so that a stop or a kill does not lose it."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO page_progress (sha256, call, job, number, method, confidence, text, "
                         "doubtful, photo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [sha256, call, job, page.number, page.method, page.confidence, page.text,
                          _doubtful(page), int(page.photo)])

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

    def page_count(self) -> int:
        """Pages of text stored (for summaries and benchmarks)."""
        return int(self.db.execute("SELECT count(*) FROM pages").fetchone()[0])


def _doubtful(page: Page) -> str | None:
    """A page's doubtful words as stored: one per line (NULL when none)."""
    return "\n".join(page.doubtful) or None


def _page(number: int, text: str, method: str, confidence: float | None, doubtful: str | None,
          photo: int | None, captions: str | None = None) -> Page:
    """A page from its stored columns (`pages`, `page_progress`)."""
    return Page(number, text, method, confidence, tuple(doubtful.split("\n")) if doubtful else (), photo=bool(photo),
                captions=tuple(captions.split("\n")) if captions else ())
