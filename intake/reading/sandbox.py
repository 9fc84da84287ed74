"""Run one risky parse (a PDF or DOCX from an enterprise) in a parser process with a time and memory limit.

A malformed file can make a parser loop forever or allocate without bound; in a parser process that costs one
file a deficiency, never the service its memory or its queue. A parser process is kept for the next files after
a clean parse (a fork per file cost ~28 ms CPU, beside the OCR), replaced after any failure."""

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


def start_parsers() -> None:
    """Start the parsers' fork server now (it imports them: ~0.35 s of CPU) rather than at the first file's parse."""
    forkserver.ensure_running()


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


def _serve(jobs: Connection, results: Connection, memory_bytes: int, idle: float) -> None:
    """A parser process's loop: parse what the service sends, one file at a time, and answer (status, value,
    whether this process may serve again); exit when the service closes its pipes (or is gone), or after `idle`
    seconds without a file."""
    _die_with_service(results)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        try:
            if not jobs.poll(idle):
                os._exit(0)  # the burst of files is over: its memory goes back while the pages are OCR'd
            func, args = jobs.recv()
        except (EOFError, OSError):  # the service retired this process, or is gone
            os._exit(0)
        except BaseException as exc:  # noqa: BLE001 - a job this process cannot even unpickle
            func, args = _fail, (type(exc).__name__,)
        try:
            result: tuple[str, Any] = ("ok", func(*args))
        except MemoryError:
            result = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as a crash of this file only
            result = ("crash", type(exc).__name__)
        del func, args
        # Served again only after a clean parse that left the address space well under the limit: a parse that
        # failed, or a heap grown by earlier files, must never cost the next (innocent) file its memory.
        fresh = result[0] == "ok" and _address_space() < memory_bytes // 2
        try:
            try:
                results.send((*result, fresh))
            except MemoryError:
                results.send(("memory", None, False))
        except OSError:  # BrokenPipeError: the service that asked is gone (killed); nobody is left to tell
            os._exit(0)
        if not fresh:
            os._exit(0)


def _fail(name: str) -> None:
    raise RuntimeError(name)


def _address_space() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS limits)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 1 << 62  # unknown: never served again


class _Parser:
    """One parser process (forked from the server), its memory limit set once, and the two pipes to it."""

    def __init__(self, memory_bytes: int) -> None:
        jobs_r, self.jobs = _CONTEXT.Pipe(duplex=False)
        self.results, results_w = _CONTEXT.Pipe(duplex=False)
        self.memory_bytes = memory_bytes
        self.served = 0
        self.process = _Process(target=_serve, args=(jobs_r, results_w, memory_bytes, IDLE), daemon=True)
        try:
            self.process.start()
        except BaseException:
            self.jobs.close()
            self.results.close()
            raise
        finally:
            jobs_r.close()
            results_w.close()

    def parse(self, func: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> tuple[str, Any, bool]:
        try:
            self.jobs.send((func, args))
            if not self.results.poll(timeout):
                raise SandboxFailed("timeout")
            status, value, fresh = self.results.recv()
        except (EOFError, OSError) as exc:
            raise SandboxFailed("crash") from exc
        self.served += 1
        return status, value, fresh

    def close(self) -> None:
        """Kill the process (an idle one has nothing to lose; a busy one is past its time) and reap it."""
        for conn in (self.jobs, self.results):
            conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.process.close()


IDLE = 2.0
"""Seconds a kept parser process waits for the next file before it exits: files come in bursts (an inbox scanned,
a dossier copied in), and an idle parser holds ~35 MB resident while the pages are OCR'd."""
SERVED = 200
"""Files one parser process reads before it is replaced: whatever a parser library keeps between calls is
bounded, and a process's start (~28 ms CPU, a fork and its teardown) is paid once per this many files."""
KEPT = 4
"""Idle parser processes kept for the next files (the service parses at most `2 × workers` files at once)."""

_idle: list[_Parser] = []
_idle_lock = threading.Lock()
os.register_at_fork(after_in_child=_idle.clear)  # a forked copy of the service never shares its parsers


def _take(memory_bytes: int) -> _Parser:
    """A kept parser process with this memory limit that is still there (the others are reaped), else a new one."""
    gone = []
    try:
        with _idle_lock:
            for parser in reversed(list(_idle)):
                # Out of the pool at once, also when a live one is returned next: a dead one left there would be
                # closed below and break every later call (a closed process cannot be asked whether it lives).
                if not parser.process.is_alive():
                    _idle.remove(parser)
                    gone.append(parser)
                elif parser.memory_bytes == memory_bytes:
                    _idle.remove(parser)
                    return parser
    finally:
        for parser in gone:
            parser.close()
    return _Parser(memory_bytes)


def _give_back(parser: _Parser) -> None:
    if parser.served < SERVED and parser.process.is_alive():
        with _idle_lock:
            if len(_idle) < KEPT:
                _idle.append(parser)
                return
    parser.close()


def run_limited(func: Callable[..., T], *args: Any, timeout: float, memory_bytes: int) -> T:
    """`func(*args)` in a parser process with this memory limit; SandboxFailed when it runs out of time or
    memory, or dies. The process is kept for the next file only after a clean parse (a process that failed,
    timed out or grew is replaced): no file pays for another's."""
    for attempt in (1, 2):
        parser = _take(memory_bytes)
        kept = parser.served > 0
        try:
            status, value, fresh = parser.parse(func, args, timeout)
        except SandboxFailed as failed:
            parser.close()
            if failed.reason == "crash" and kept and attempt == 1:
                continue  # a kept process that died while idle (killed from outside): no fault of this file
            raise
        except BaseException:
            parser.close()
            raise
        if fresh:
            _give_back(parser)
        else:
            parser.close()
        if status != "ok":
            raise SandboxFailed(status)
        return value  # type: ignore[no-any-return]
    raise AssertionError("unreachable")
