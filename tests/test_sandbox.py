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
