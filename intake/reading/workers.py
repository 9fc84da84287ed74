"""OCR worker processes: each keeps one Tesseract engine loaded and reads the pages sent to it, one at a time.

A page that runs past its time limit has its worker killed and replaced, a worker that dies in the middle of a
page (killed, crashed) is replaced and the page read once more: either way only that page is at stake. A worker
answers in plain JSON (text, confidence, doubtful words, what the seal detector saw, whether the picture was a
camera photograph), never in anything the service would execute; it never touches the store, the inbox or the
archive beyond the one file a page is read from.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from ..models import Page, SealMark
from .extract import OcrEngine, OcrJob

log = logging.getLogger(__name__)

UNREAD = 0.0
"""Confidence of a page no worker could read (an illegible page, as a page Tesseract failed on)."""


_ENTRY = "import sys; from intake.reading.workers import main; main(sys.argv[1:])"
"""A worker's program (not `-m`: the package's `__init__` imports this module, which would then run twice)."""


class _Lost(Exception):
    """The worker did not answer: it died ("crash") or ran past the page's limit ("timeout")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Worker:
    """One worker process and the two pipes to it (jobs in, answers out)."""

    def __init__(self, engine: OcrEngine) -> None:
        jobs_r, jobs_w = os.pipe()
        answers_r, answers_w = os.pipe()
        env = dict(os.environ, OMP_THREAD_LIMIT="1", GLIBC_TUNABLES=_tunables(os.environ.get("GLIBC_TUNABLES")))
        try:
            # A fresh interpreter (not a fork of this threaded service): it imports the reading code, loads its
            # engine while the service goes on, and inherits only its two pipe ends.
            self.process = subprocess.Popen(
                [sys.executable, "-c", _ENTRY, str(jobs_r), str(answers_w), str(os.getpid())],
                pass_fds=(jobs_r, answers_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env,
            )
        finally:
            os.close(jobs_r)
            os.close(answers_w)
        self.jobs = Connection(jobs_w, readable=False)
        self.answers = Connection(answers_r, writable=False)
        self.jobs.send_bytes(pickle.dumps((list(sys.path), engine)))

    @property
    def pid(self) -> int:
        return self.process.pid

    def read(self, job: OcrJob, engine: OcrEngine, limit: float) -> Page:
        try:
            self.jobs.send_bytes(pickle.dumps((engine, job)))
            if not self.answers.poll(limit):
                raise _Lost("timeout")
            number, text, confidence, doubtful, seal, photo = json.loads(self.answers.recv_bytes())
            mark = None if seal is None else _seal_mark(seal)
        except (EOFError, OSError, ValueError, TypeError) as exc:
            raise _Lost("crash") from exc
        if number != job.number or not isinstance(text, str) or not isinstance(doubtful, list):
            raise _Lost("crash")
        return Page(job.number, text, "ocr", None if confidence is None else float(confidence),
                    tuple(str(word) for word in doubtful), mark, photo=photo is True)

    def close(self) -> None:
        """Kill the process (an idle worker has nothing to lose) and reap it."""
        for conn in (self.jobs, self.answers):
            try:
                conn.close()
            except OSError:
                pass
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("OCR worker %d did not exit", self.process.pid)


MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728"
"""glibc's malloc in a worker: a page's image buffers (up to 32 MB) come from the heap and stay there for the next
page, instead of being mapped afresh and faulted in page by page each time (measured on sparse 200-dpi pages:
glibc's defaults cost ~5% more CPU, trimming after every page ~8% and ~7,000 pages of 4 KB faulted in and zeroed
again a page). What a worker holds is handed back when it goes idle (`IDLE_TRIM`)."""

IDLE_TRIM = 0.25
"""Seconds without a page after which a worker hands its free memory back to the system (malloc_trim): between
the pages of a scan it keeps it, the next page reuses it; after a burst it returns it."""


def _tunables(inherited: str | None) -> str:
    """The worker's GLIBC_TUNABLES: `MALLOC_TUNABLES`, after any the service was started with."""
    return f"{inherited}:{MALLOC_TUNABLES}" if inherited else MALLOC_TUNABLES


def _seal_mark(answer: list[Any]) -> SealMark:
    """A seal mark from a worker's answer: [found, colour, box or null, score]."""
    found, colour, box, score = answer
    if box is not None:
        box = tuple(float(v) for v in box)
        if len(box) != 4:
            raise ValueError("a box has four sides")
    return SealMark(bool(found), bool(colour), box, float(score))


def _seal_answer(mark: SealMark | None) -> list[Any] | None:
    return None if mark is None else [mark.found, mark.colour, None if mark.box is None else list(mark.box), mark.score]


class OcrWorkers:
    """`size` OCR worker processes, started on first use (or `start`), each with its engine loaded once.

    `read` is called from up to `size` threads at once (the service's OCR threads); each takes an idle worker,
    hands it one page and waits for the answer at most `limit` seconds."""

    def __init__(self, size: int, engine: OcrEngine, limit: float) -> None:
        self.engine = engine
        self.limit = limit
        self.size = max(1, size)
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(self.size):
            self._idle.put(None)  # a slot whose worker is not started yet
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.replaced = 0
        """Workers killed or lost and replaced (a page past its limit, a crash)."""

    def start(self) -> None:
        """Start every worker not started yet, so that their engines load while files are being parsed."""
        slots = []
        while True:
            try:
                slots.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for slot in slots:
            self._idle.put(slot if slot is not None else self._new())

    def _new(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("OCR workers closed")
            worker = _Worker(self.engine)
            self._all.add(worker)
        log.debug("OCR worker %d started", worker.pid)
        return worker

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.close()

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        with self._lock:
            return [w.pid for w in self._all if w.process.poll() is None]

    def read(self, job: OcrJob, ocr: OcrEngine | None = None) -> Page:
        """The page read by a worker; an empty page of confidence 0 (illegible) when it ran past the limit or
        its worker died on it twice."""
        engine = self.engine if ocr is None else ocr
        for attempt in (1, 2):
            slot = self._idle.get()
            worker = None
            try:
                worker = slot if slot is not None and slot.process.poll() is None else None
                if slot is not None and worker is None:
                    self.replaced += 1
                    self._drop(slot)  # died while idle (killed from outside)
                worker = worker or self._new()
                page = worker.read(job, engine, self.limit)
            except _Lost as lost:
                self.replaced += 1
                if worker is not None:
                    self._drop(worker)
                self._idle.put(None)
                if lost.reason == "timeout":
                    log.warning("page %d ran past %g s: its OCR worker was replaced, the page left unread",
                                job.number, self.limit)
                    return Page(job.number, "", "ocr", UNREAD)
                log.warning("the OCR worker died reading page %d (attempt %d of 2)", job.number, attempt)
                continue
            except BaseException:
                if worker is not None:
                    self._drop(worker)
                self._idle.put(None)
                raise
            self._idle.put(worker)
            return page
        return Page(job.number, "", "ocr", UNREAD)

    def close(self) -> None:
        """Kill every worker (idle ones, and any still reading a page of a pass being abandoned)."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.close()


# ---- the worker process ------------------------------------------------------------------------------


def _orphaned(parent: int) -> None:
    """Exit as soon as the service is gone (killed), even in the middle of a page (Tesseract releases the GIL)."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


def serve(jobs: Connection, answers: Connection, parent: int) -> None:
    """The worker's loop: read a page sent by the service, answer its text; until the service closes the pipe."""
    path, engine = pickle.loads(jobs.recv_bytes())
    sys.path[:] = path
    threading.Thread(target=_orphaned, args=(parent,), daemon=True).start()
    load = getattr(engine, "load", None)
    if load is not None:
        load()  # now, not with the first page
    trim = _malloc_trim()
    while True:
        try:
            if not jobs.poll(IDLE_TRIM):
                trim()  # no page waiting: the memory the last ones used goes back until the next burst
            data = jobs.recv_bytes()
        except (EOFError, OSError):
            return
        engine, job = pickle.loads(data)
        try:
            page = job.read(engine)
            answer = [page.number, page.text, page.confidence, list(page.doubtful), _seal_answer(page.seal),
                      page.photo]
        except Exception as exc:  # noqa: BLE001 - a page that breaks the reading code is unread, not the worker
            log.warning("page %d could not be OCR'd: %s", job.number, type(exc).__name__)
            answer = [job.number, "", UNREAD, [], None, False]
        answers.send_bytes(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


def _malloc_trim() -> Any:
    """glibc's malloc_trim: hands the free memory of the last pages back to the system (a 300-dpi page's buffers
    are tens of MB, which an idle worker would otherwise keep resident)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return lambda: libc.malloc_trim(0)
    except (OSError, AttributeError):
        return lambda: None


def main(argv: list[str]) -> None:
    # The service decides when a worker ends (closing its pipe, or killing it): Ctrl-C in a terminal reaches
    # the whole process group, but must not cut off the page being read.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    jobs_fd, answers_fd, parent = (int(a) for a in argv)
    serve(Connection(jobs_fd, writable=False), Connection(answers_fd, readable=False), parent)


if __name__ == "__main__":
    main(sys.argv[1:])
