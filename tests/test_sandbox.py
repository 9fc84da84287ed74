"""Per-file time and memory limits: a parser that loops or allocates without bound costs one file, not the service."""

import time

import pytest

from intake.reading.sandbox import SandboxFailed, run_limited


def _sleep_forever() -> None:
    while True:
        time.sleep(1)


def _allocate() -> int:
    hog = []
    while True:
        hog.append(bytearray(50 << 20))


def _crash() -> None:
    raise ValueError("parser bug")


def _double(x: int) -> int:
    return 2 * x


def test_result_comes_back():
    assert run_limited(_double, 21, timeout=30, memory_bytes=1 << 30) == 42


def test_a_hanging_parser_is_killed_at_the_time_limit():
    started = time.monotonic()
    with pytest.raises(SandboxFailed) as failed:
        run_limited(_sleep_forever, timeout=1.0, memory_bytes=1 << 30)
    assert failed.value.reason == "timeout"
    assert time.monotonic() - started < 15


def test_runaway_memory_is_stopped():
    with pytest.raises(SandboxFailed) as failed:
        run_limited(_allocate, timeout=60, memory_bytes=600 << 20)
    assert failed.value.reason == "memory"


def test_a_parser_exception_is_a_crash_of_that_file_only():
    with pytest.raises(SandboxFailed) as failed:
        run_limited(_crash, timeout=30, memory_bytes=1 << 30)
    assert failed.value.reason == "crash"


def _touch_then_sleep(marker: str, seconds: float) -> None:
    open(marker, "w").close()
    time.sleep(seconds)


def test_a_parse_outliving_a_killed_service_ends_quietly(tmp_path):
    """SIGKILL the service while a sandboxed parse runs: the parse ends with it, with no BrokenPipe traceback
    that would look like a crash in the service's log."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "started"
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from test_sandbox import _touch_then_sleep; "
              "from intake.reading.sandbox import run_limited; "
              "run_limited(_touch_then_sleep, sys.argv[2], 6, timeout=60, memory_bytes=1 << 30)")
    service = subprocess.Popen([sys.executable, "-c", script, str(Path(__file__).parent), str(marker)],
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert time.monotonic() < deadline and service.poll() is None, "the parse never started"
        time.sleep(0.05)
    service.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    _, stderr = service.communicate(timeout=60)  # returns once every process holding its stderr is gone
    assert time.monotonic() - killed < 5.0  # the parse died with the service instead of sleeping on
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def _pid() -> int:
    import os

    return os.getpid()


def _grow_then_pid() -> int:
    import os

    _grow_then_pid.kept = bytearray(700 << 20)  # type: ignore[attr-defined]  # what a leaky parser keeps
    return os.getpid()


def test_a_parser_process_serves_the_next_file_after_a_clean_parse_only(monkeypatch):
    """A fork per file cost ~28 ms CPU: a clean parse leaves its process for the next file. A parse that fails
    (crash, memory, time) retires its process, and so does one that left the process's memory grown: no file
    inherits another's state or its heap."""
    import os

    from intake.reading import sandbox

    monkeypatch.setattr(sandbox, "IDLE", 120.0)  # kept however slowly this test runs
    first = run_limited(_pid, timeout=30, memory_bytes=1 << 30)
    assert first != os.getpid()
    assert run_limited(_pid, timeout=30, memory_bytes=1 << 30) == first  # the same process, kept
    with pytest.raises(SandboxFailed):
        run_limited(_crash, timeout=30, memory_bytes=1 << 30)
    after_crash = run_limited(_pid, timeout=30, memory_bytes=1 << 30)
    assert after_crash != first  # the process that crashed was not kept (a new one, or another idle one)
    grown = run_limited(_grow_then_pid, timeout=30, memory_bytes=1 << 30)
    assert run_limited(_pid, timeout=30, memory_bytes=1 << 30) != grown  # over half the limit: replaced
    with pytest.raises(SandboxFailed):
        run_limited(_sleep_forever, timeout=1.0, memory_bytes=1 << 30)
    assert run_limited(_double, 4, timeout=30, memory_bytes=1 << 30) == 8  # the next file is read as ever


def test_a_kept_parser_process_killed_while_idle_costs_no_file_anything():
    """Something outside the service (the OOM killer, an administrator) kills an idle parser process: the next
    file is read by a new one, not refused as broken."""
    import os
    import signal

    idle = run_limited(_pid, timeout=30, memory_bytes=1 << 30)
    os.kill(idle, signal.SIGKILL)
    assert run_limited(_double, 5, timeout=30, memory_bytes=1 << 30) == 10


def test_an_idle_parser_process_exits_by_itself(monkeypatch):
    """Files come in bursts: a kept parser process left without a file exits by itself (its ~35 MB go back while
    the pages are OCR'd), and the next file gets a new one."""
    import os

    from intake.reading import sandbox

    monkeypatch.setattr(sandbox, "IDLE", 0.5)
    idle = run_limited(_pid, timeout=30, memory_bytes=1 << 30)
    deadline = time.monotonic() + 60
    while os.path.exists(f"/proc/{idle}") and _state(idle) != "Z":
        assert time.monotonic() < deadline, "the idle parser process never exited"
        time.sleep(0.1)
    assert run_limited(_pid, timeout=30, memory_bytes=1 << 30) != idle


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_a_kept_parser_found_dead_behind_a_live_one_leaves_the_pool(monkeypatch):
    """Two kept parser processes, the newer one gone (exited while idle, or killed): the next file takes the older
    one and the dead one leaves the pool. It stayed there, closed, and every later file was refused ("process
    object is closed"): one idle exit at the wrong moment made the service refuse every file after it."""
    from intake.reading import sandbox

    monkeypatch.setattr(sandbox, "IDLE", 120.0)  # only the one this test kills goes
    memory = 1 << 30
    with sandbox._idle_lock:
        kept, sandbox._idle[:] = list(sandbox._idle), []
    for parser in kept:
        parser.close()
    older, newer = sandbox._Parser(memory), sandbox._Parser(memory)
    sandbox._give_back(older)
    sandbox._give_back(newer)
    newer.process.kill()
    newer.process.join(10)
    assert run_limited(_pid, timeout=30, memory_bytes=memory) == older.process.pid
    assert newer not in sandbox._idle
    for n in range(3):
        assert run_limited(_double, n, timeout=30, memory_bytes=memory) == 2 * n
