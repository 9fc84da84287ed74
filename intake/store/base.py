"""What every part of the store shares: the connection and its transactions; holds no query of its own."""

from __future__ import annotations


from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import TYPE_CHECKING
import sqlite3

if TYPE_CHECKING:
    from . import Store


class Part:
    """One group of queries over the shared connection; transactions are the store's."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.db = store.db

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        return self._store.transaction()


def utc(moment: datetime) -> str:
    """A moment as comparable text (UTC ISO 8601), whatever the clock's zone."""
    return moment.astimezone(timezone.utc).isoformat()



