"""When a file is ready: unchanged for the settle time and structurally whole, with bounded retries."""

from pathlib import Path

from intake.receiving.inbox import Candidate
from intake.receiving.settle import FileSettle


def cand(size: int, mtime: int = 1) -> Candidate:
    return Candidate("HS", "a.pdf", Path("/nonexistent/a.pdf"), size, mtime)


def test_a_file_is_ready_only_after_it_stopped_changing():
    settle = FileSettle(2.0)
    assert not settle.ready(cand(10), 0.0)
    assert not settle.ready(cand(20, 2), 1.5)  # still growing: the clock restarts
    assert not settle.ready(cand(20, 2), 3.0)
    assert settle.ready(cand(20, 2), 3.6)
    assert settle.waiting == set()


def test_zero_settle_reads_at_once():
    assert FileSettle(0).ready(cand(1), 0.0)


def test_a_file_that_does_not_open_is_retried_with_backoff_then_given_up():
    opens = {"now": False}
    settle = FileSettle(1.0, probe=lambda path: opens["now"], give_up_seconds=10.0)
    assert not settle.ready(cand(5), 0.0)
    assert not settle.ready(cand(5), 1.0)  # settled, but the probe fails: held back
    assert settle.waiting == {"HS"}
    assert not settle.ready(cand(5), 1.2)  # before the next try
    attempts = [t for t in (x / 10 for x in range(12, 200)) if settle.ready(cand(5), t)]
    assert attempts and 11.0 <= attempts[0] < 12.5  # given up after ~10 s: it becomes unreadable_file


def test_a_file_that_completes_is_read_when_it_opens():
    opens = {"now": False}
    settle = FileSettle(1.0, probe=lambda path: opens["now"], give_up_seconds=100.0)
    settle.ready(cand(5), 0.0)
    assert not settle.ready(cand(5), 1.0)
    # The copy resumes: the file grows, settles again, and now opens.
    assert not settle.ready(cand(9, 2), 2.0)
    opens["now"] = True
    assert not settle.ready(cand(9, 2), 2.5)
    assert settle.ready(cand(9, 2), 3.1)
