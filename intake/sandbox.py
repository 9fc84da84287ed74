"""Run one risky parse (a PDF or DOCX from an enterprise) in a child process with a time and memory limit.

A malformed file can make a parser loop forever or allocate without bound; in a child process that
costs one file a deficiency, never the service its memory or its queue."""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

# forkserver: children are forked from a small single-threaded server, not from the service with its
# threads (forking a threaded process can deadlock the child on a lock some other thread held).
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["intake.extract"])


class SandboxFailed(Exception):
    """The child did not return a result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        """"timeout", "memory" or "crash"."""


def _child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a crash of this file only
        result = ("crash", type(exc).__name__)
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


def run_limited(func: Callable[..., T], *args: Any, timeout: float, memory_bytes: int) -> T:
    """`func(*args)` in a child process; SandboxFailed when it runs out of time or memory, or dies."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sender, func, args, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise SandboxFailed("timeout")
        try:
            status, value = receiver.recv()
        except (EOFError, OSError) as exc:
            raise SandboxFailed("crash") from exc
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        process.close()
    if status != "ok":
        raise SandboxFailed(status)
    return value  # type: ignore[no-any-return]
