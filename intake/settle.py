"""Decide when a file has stopped changing: its size and mtime unchanged for the settle time; pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from .inbox import Candidate


@dataclass
class FileSettle:
    """Remembers each pending file's last (size, mtime) and since when it has been unchanged."""

    settle_seconds: float
    """How long a file must stay unchanged."""
    _seen: dict[tuple[str, str], tuple[int, int, float]] = field(default_factory=dict)

    def ready(self, candidate: Candidate, now: float) -> bool:
        """Whether `candidate` (observed at monotonic time `now`) has been unchanged long enough."""
        key = (candidate.dossier, candidate.path)
        stat = (candidate.size, candidate.mtime_ns)
        previous = self._seen.get(key)
        if previous is None or previous[:2] != stat:
            self._seen[key] = (*stat, now)
            return self.settle_seconds <= 0
        if now - previous[2] >= self.settle_seconds:
            del self._seen[key]
            return True
        return False

    @property
    def waiting(self) -> int:
        """Files seen changing and not yet ready."""
        return len(self._seen)
