"""The only package that talks to SQLite: one `Store` per data folder, which opens the database and hands out its
parts, each a small class of queries over what it keeps. Never holds business rules; never reads the inbox.

Schema is created with sqlite-utils; every write that must be atomic is plain SQL inside one `transaction()`
(sqlite-utils' own insert helpers commit by themselves).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .accounts import Accounts, User
from .campaign import Campaign
from .decisions import REPLACED_NOTE, Decisions
from .dossiers import DossierRow, Dossiers
from .inbox import Inbox, Stat
from .pages import Pages
from .outbox import Outbox
from .readings import Readings
from .schema import REQUIRED_TABLES, REREAD, SCHEMA_VERSION, create_desk_tables, create_reading_tables, create_tables
from .verdicts import Verdicts

__all__ = ["REPLACED_NOTE", "DossierRow", "Stat", "Store", "User"]

log = logging.getLogger(__name__)


class Store:
    """The intake database in `<data>/intake.db` (WAL, synchronous=FULL: survives power loss)."""

    inbox: Inbox
    """What was last seen in the inbox: file stats, each folder's last activity."""
    dossiers: Dossiers
    """Dossiers and their received files (versions, duplicates, renames)."""
    pages: Pages
    """The text read from received bytes: extractions, pages, search."""
    verdicts: Verdicts
    """Verdicts, deficiencies (history kept) and requests to judge again."""
    outbox: Outbox
    """Notices and their e-mail delivery."""
    decisions: Decisions
    """Officers' decisions on components."""
    campaign: Campaign
    """Invited enterprises, reminders, closing."""
    readings: Readings
    """Registration fields, seal marks and hints read from each dossier."""
    accounts: Accounts
    """The web desk's accounts, sign-in attempts and audit trail."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writing = threading.RLock()
        self._depth = 0  # transactions open in the thread holding `_writing`
        # Autocommit mode: transactions are only the explicit ones of `transaction()`.
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
        self.db = sqlite_utils.Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # Opening an up-to-date database writes nothing, so `intake report` or a second reader never
        # contends with a running watcher for the write lock.
        upgrade = self._schema_version() != SCHEMA_VERSION
        if upgrade:
            create_tables(self.db)
            create_reading_tables(self.db)
            create_desk_tables(self.db)
        self.inbox = Inbox(self)
        self.dossiers = Dossiers(self)
        self.pages = Pages(self)
        self.verdicts = Verdicts(self)
        self.outbox = Outbox(self)
        self.decisions = Decisions(self)
        self.campaign = Campaign(self)
        self.readings = Readings(self)
        self.accounts = Accounts(self)
        if upgrade:
            with self.transaction():  # the version read and written in one (two processes may open it at once)
                recorded = self._recorded_version()
                kinds = sorted({k for version, ks in REREAD.items() if (recorded or version) < version for k in ks})
                if kinds and (forgotten := sum(self.pages.forget(kind, text_only) for kind, text_only in kinds)):
                    log.info("data folder of schema %s: %d file(s) to be read again (%s)", recorded, forgotten,
                             ", ".join(kind for kind, _ in kinds))
                self.db.execute(
                    "INSERT OR REPLACE INTO counters (name, value) VALUES ('schema_version', ?)", [SCHEMA_VERSION]
                )

    def _recorded_version(self) -> int | None:
        """The schema version on record, whatever tables there are (once `counters` exists); None for a new one."""
        row = self.db.execute("SELECT value FROM counters WHERE name = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _schema_version(self) -> int | None:
        """The schema version on record, None when a table is missing (then the schema is completed)."""
        tables = {name for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not REQUIRED_TABLES <= tables:
            return None
        return self._recorded_version()

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all (a transaction opened inside
        another, by the same thread, joins it)."""
        # One connection is shared by the service's threads (file readers keep each OCR'd page as it is read
        # while the main thread saves extractions and verdicts): one transaction at a time on it, or a second
        # BEGIN fails ("cannot start a transaction within a transaction") and a file is left unsaved.
        with self._writing:
            conn = self.db.conn
            if self._depth:
                # Inside this thread's transaction (several parts' writes made one, e.g. a file's receipt): a
                # savepoint, so that a failure undoes this part only if the caller goes on; one commit at the end.
                begin, undo, end = ("SAVEPOINT inner",), ("ROLLBACK TO inner", "RELEASE inner"), ("RELEASE inner",)
            else:
                begin, undo, end = ("BEGIN IMMEDIATE",), ("ROLLBACK",), ("COMMIT",)
            for statement in begin:
                conn.execute(statement)
            self._depth += 1
            try:
                yield conn
            except BaseException:
                for statement in undo:
                    conn.execute(statement)
                raise
            finally:
                self._depth -= 1
            for statement in end:
                conn.execute(statement)

    def set_meta(self, key: str, value: str) -> None:
        """Remember a setting of the data folder (e.g. the campaign it serves)."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    def meta(self, key: str) -> str | None:
        """A remembered setting."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None
