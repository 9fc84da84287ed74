"""Decide when a file is ready to read: unchanged for the settle time, and structurally whole; pure
apart from the `probe` callable it is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .inbox import Candidate

Key = tuple[str, str]
Stat = tuple[int, int, int, int]


def _whole(candidate: Candidate) -> bool:
    return True


@dataclass
class FileSettle:
    """Holds back files that are still changing, or that do not yet open (a copy paused half-way)."""

    settle_seconds: float
    """How long size, mtime, inode and ctime must stay unchanged."""
    probe: Callable[[Candidate], bool] = _whole
    """Whether a file opens structurally (PDF parses, DOCX is a valid package, image decodes)."""
    give_up_seconds: float = 120.0
    """How long a settled file that does not open is retried before it is read anyway (→ unreadable_file)."""
    _stable_since: dict[Key, tuple[Stat, float]] = field(default_factory=dict)
    _failing: dict[Key, tuple[Stat, float, float, int]] = field(default_factory=dict)
    """key → (stat, first failure, next try, attempts)."""

    def ready(self, candidate: Candidate, now: float) -> bool:
        """Whether `candidate`, observed at monotonic time `now`, may be read now."""
        key: Key = (candidate.dossier, candidate.path)
        stat: Stat = candidate.stat
        failing = self._failing.get(key)
        if failing is not None and failing[0] != stat:
            del self._failing[key]  # it changed again: a writer is back; settle anew
            failing = None
        if failing is None:
            seen = self._stable_since.get(key)
            if seen is None or seen[0] != stat:
                self._stable_since[key] = (stat, now)
                if self.settle_seconds > 0:
                    return False
            elif now - seen[1] < self.settle_seconds:
                return False
            self._stable_since.pop(key, None)
        elif now < failing[2]:
            return False
        if self.probe(candidate):
            self._failing.pop(key, None)
            return True
        first, attempts = (failing[1], failing[3] + 1) if failing else (now, 1)
        if now - first >= self.give_up_seconds:
            self._failing.pop(key, None)
            return True  # read it anyway: it becomes an unreadable_file deficiency, replaced if it completes
        next_try = min(now + min(2.0 ** attempts * 0.5, 30.0), first + self.give_up_seconds)
        self._failing[key] = (stat, first, next_try, attempts)
        return False

    @property
    def waiting(self) -> set[str]:
        """Dossier folders with files held back right now."""
        return {dossier for dossier, _ in (*self._stable_since, *self._failing)}


def written_or_old(probe: Callable[[Candidate], bool], now_ns: int, give_up_seconds: float = 120.0,
                   ) -> Callable[[Candidate], bool]:
    """For one pass with no watching (`intake scan` from cron): a file may be read when it opens structurally, or
    when it last changed `give_up_seconds` before `now_ns` (wall clock) and never will (→ unreadable_file). One
    that is still being written is left for the next run (audit 27: a Word file saved in two steps was read half
    written, and the enterprise asked to send it again)."""
    def ready(candidate: Candidate) -> bool:
        changed = max(candidate.stat[1], candidate.stat[3])  # mtime, ctime (ns)
        return probe(candidate) or now_ns - changed >= give_up_seconds * 1e9

    return ready
