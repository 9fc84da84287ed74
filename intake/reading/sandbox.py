"""Run one risky parse (a PDF or DOCX from an enterprise) in a child process with a time and memory limit.

A malformed file can make a parser loop forever or allocate without bound; in a child process that
costs one file a deficiency, never the service its memory or its queue."""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import select
import threading
from collections.abc import Callable
from multiprocessing import forkserver, popen_forkserver, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import reduction, set_spawning_popen  # type: ignore[attr-defined]
from typing import Any, TypeVar

T = TypeVar("T")

# forkserver: children are forked from a small single-threaded server, not from the service with its
# threads (forking a threaded process can deadlock the child on a lock some other thread held). The server
# imports the parsers once; each child starts with them loaded.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["intake.reading.extract", "pypdf", "docx"])

_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")
"""What multiprocessing tells a child about the parent's main module, which the child then runs again."""


class _Popen(popen_forkserver.Popen):
    """The forkserver's start of a child, without the parent's main module: a sandboxed parse only runs
    functions of this package, which the server has imported, while re-running the main module (the CLI, and
    everything it imports) cost every file ~0.25 s. Otherwise as `popen_forkserver.Popen._launch` (3.11)."""

    def _launch(self, process_obj: Any) -> None:
        prep_data = {k: v for k, v in spawn.get_preparation_data(process_obj._name).items() if k not in _MAIN_KEYS}
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(_CONTEXT.Process):  # type: ignore[misc, name-defined]
    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:
        return _Popen(process_obj)


class SandboxFailed(Exception):
    """The child did not return a result."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        """"timeout", "memory" or "crash"."""


def _die_with_service(conn: Connection) -> None:
    """End this child as soon as the service that asked for the parse is gone (killed, SIGKILL included): its end
    of the pipe then reports an error. An orphaned parse would only burn a core, then fail to send its result."""

    def watch() -> None:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLERR)
        poller.poll()
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="service-gone").start()


def _child(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    _die_with_service(conn)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except MemoryError:
        result = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as a crash of this file only
        result = ("crash", type(exc).__name__)
    try:
        try:
            conn.send(result)
        except MemoryError:
            conn.send(("memory", None))
        conn.close()
    except OSError:  # BrokenPipeError: the service that asked is gone (killed); nobody is left to tell
        os._exit(0)


def run_limited(func: Callable[..., T], *args: Any, timeout: float, memory_bytes: int) -> T:
    """`func(*args)` in a child process; SandboxFailed when it runs out of time or memory, or dies."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _Process(target=_child, args=(sender, func, args, memory_bytes), daemon=True)
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
