"""The only module that talks to watchdog: events mark dossier folders dirty; the loop rescans them.

Handlers only filter and enqueue (a handler that raises silently stops watchdog); the folder,
not the events, is the truth: a start-up scan and a periodic full rescan catch whatever events miss.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .errors import check_free_space, disk_full_message, is_disk_full
from .reading import opens_structurally
from .receiving import Candidate, FileSettle, display_name, probe_walked
from .pipeline import Context, scan
from .store import DossierRow

log = logging.getLogger(__name__)

NETWORK_FILESYSTEMS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "9p", "davfs", "fuse.rclone"}


class _Enqueue(FileSystemEventHandler):
    """Puts the dossier folder name of every event into a queue; nothing else, nothing that can raise."""

    def __init__(self, inbox: Path, dirty: queue.SimpleQueue[str | None]) -> None:
        self.inbox = str(inbox)
        self.dirty = dirty

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(raw) if raw else ""
            if path.startswith(self.inbox + os.sep):
                first = path[len(self.inbox) + 1 :].split(os.sep, 1)[0]
                self.dirty.put(display_name(first))


def filesystem_type(path: Path) -> str | None:
    """The file system type of the mount holding `path` (Linux /proc/mounts), if known."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/")):
            if len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


class Backoff:
    """Tries after a failure: the next after 1, 2, 4 … seconds (at most `longest`), until one goes through. The
    clock is passed in (monotonic seconds)."""

    def __init__(self, *, first: float = 1.0, longest: float = 30.0) -> None:
        self.first = first
        self.longest = longest
        self.failures = 0
        self.next_try = float("-inf")

    def ready(self, now: float) -> bool:
        """Whether a pass may run now."""
        return now >= self.next_try

    def failed(self, now: float) -> float:
        """A try failed; returns the seconds until the next one."""
        self.failures += 1
        wait = min(self.first * 2 ** (self.failures - 1), self.longest)
        self.next_try = now + wait
        return wait

    def cleared(self, now: float) -> None:
        """A try went through."""
        self.failures = 0
        self.next_try = float("-inf")


class FullDiskPacing(Backoff):
    """The watcher's passes while the disk is full: retried after 1, 2, 4 … seconds (at most `longest`), one
    warning a minute at most, and one line when space is back."""

    def __init__(self, folder: Path, *, first: float = 1.0, longest: float = 30.0, warn_every: float = 60.0) -> None:
        super().__init__(first=first, longest=longest)
        self.folder = folder
        self.warn_every = warn_every
        self.warned_at = float("-inf")
        self.since = 0.0

    def full(self, now: float) -> float:
        """A pass stopped for lack of space; returns the seconds until the next try."""
        if not self.failures:
            self.since = now
        wait = self.failed(now)
        log.debug("pass stopped: disk full (try %d, next in %.0f s)", self.failures, wait)
        if now - self.warned_at >= self.warn_every:
            self.warned_at = now
            log.warning("%s; intake waits and retries by itself (next in %.0f s)",
                        disk_full_message(self.folder).split(";")[0], wait)
        return wait

    def cleared(self, now: float) -> None:
        """A pass went through: space is back (said once)."""
        if self.failures:
            log.info("space is back on the data disk after %.0f s: intake resumes", now - self.since)
        super().cleared(now)


def watch(ctx: Context, stop: threading.Event, *, tick: float = 0.25) -> None:
    """Run until `stop` is set: start-up scan, then event-driven and periodic rescans."""
    settings = ctx.settings
    polling = settings.polling or filesystem_type(settings.inbox) in NETWORK_FILESYSTEMS
    observer = PollingObserver(timeout=max(settings.settle_seconds, 1.0)) if polling else Observer()
    dirty: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    observer.schedule(_Enqueue(settings.inbox, dirty), str(settings.inbox), recursive=True)
    observer.start()
    log.info("watching %s (%s observer)", settings.inbox, "polling" if polling else "native")
    settle = FileSettle(settings.settle_seconds, lambda c: probe_walked(settings.inbox, c, opens_structurally),
                        settings.incomplete_retry_seconds)
    activity: dict[str, float] = {}
    """Dossier folder → monotonic time of its last file event or receipt."""
    persisted: dict[str, float] = {}
    """Dossier folder → monotonic time its activity was last written to the database."""
    deferred: set[str] = set()
    """Dossiers whose notice waits for them to be quiet."""

    pending: set[str] = set()
    """Dossier folders with events not yet scanned."""
    tried: frozenset[tuple[int, int]] = frozenset()
    """The notices the last pass tried to e-mail and left due as they were (see `recorded`)."""

    def mail_due() -> frozenset[tuple[int, int]]:
        return ctx.store.outbox.due_now(ctx.clock()) if settings.mail is not None else frozenset()

    def drain() -> None:
        while True:
            try:
                folder = dirty.get_nowait()
            except queue.Empty:
                return
            if folder:
                pending.add(folder)
                now = activity[folder] = time.monotonic()
                if now - persisted.get(folder, -1e9) >= 1.0:  # at most one write per folder and second
                    persisted[folder] = now
                    try:
                        ctx.store.inbox.record_activity({folder}, time.time())
                    except Exception as exc:  # a full disk: kept in memory meanwhile; the next pass is paced
                        if not is_disk_full(exc):
                            raise

    def ready(candidate: Candidate) -> bool:
        return settle.ready(candidate, time.monotonic())

    def remembered(folder: str) -> float:
        """The folder's last activity recorded in the database (by this or an earlier run), as monotonic time."""
        at = ctx.store.inbox.activity_of(folder)
        return -1e9 if at is None else time.monotonic() - max(0.0, time.time() - at)

    def quiet(dossier: DossierRow) -> bool:
        drain()  # events that arrived during a long pass count as activity too
        if dossier.folder in settle.waiting:
            return False  # a file of it is still being written (after a restart, the only sign of a copy going on)
        last = max(activity.get(dossier.folder, -1e9), remembered(dossier.folder))
        return time.monotonic() - last >= settings.dossier_settle_seconds

    def one_pass(folders: set[str] | None, judge: set[str], evaluate_all: bool = False) -> None:
        nonlocal tried
        tried = due = mail_due()  # a pass that fails before its delivery is not started again at every tick
        summary = scan(ctx, folders=folders, evaluate_all=evaluate_all, judge_folders=judge, ready=ready,
                       notify_ready=quiet, stopping=stop.is_set)
        # Tried: what was due before the pass and still is, unchanged. Not what became due during it (approved
        # after its delivery); all goes on at once when the delivery ran out of time.
        tried = frozenset() if summary.mail_left else due & mail_due()
        now = time.monotonic()
        activity.update({folder: now for folder in summary.changed})
        deferred.difference_update(judge)
        deferred.update(summary.deferred)

    unreadable = False
    """Whether the store could not be read at the last tick (said once, and again when it can be)."""

    def recorded() -> tuple[dict[int, int], bool]:
        """Between passes: the file events, then what other processes recorded (officers' decisions, notices
        due for e-mail). A store that cannot be read for a moment (I/O error, locked past its timeout) is
        logged once and the watcher goes on: the events are kept, the next tick asks again, passes are guarded."""
        nonlocal unreadable
        try:
            drain()
            decided = ctx.store.verdicts.rejudge_requests()
            if decided:  # a decision is activity: its notice waits for the dossier to be quiet (two in a row, one)
                activity.update({d.folder: time.monotonic() for d in ctx.store.dossiers.all() if d.id in decided})
            # Notices due for e-mail that no pass has tried yet: approved on the desk, resent, or their address
            # confirmed by an officer (other processes), or their retry come. Those a pass left due as they were
            # (their delivery failed) are tried again by the next change or full rescan, not at every tick.
            due = mail_due()
            mail = bool(due) and due != tried
        except Exception:  # noqa: BLE001 - the unattended watcher never ends on a store it cannot read for a moment
            if not unreadable:
                log.exception("the store could not be read between passes; trying again at every tick")
            unreadable = True
            return {}, False
        if unreadable:
            log.info("the store can be read again")
        unreadable = False
        return decided, mail

    space = FullDiskPacing(settings.data)
    failing = Backoff()

    def guarded(folders: set[str] | None, judge: set[str], evaluate_all: bool = False) -> bool:
        """One pass inside the guard: the watcher is unattended, so a failure is logged and never ends it. After
        a pass that failed, no pass runs for 1, 2, 4 … s: a failure that lasts is not repeated at every tick
        (an officer's decision waiting, a settled dossier's notice due: each starts a pass at every tick until
        one goes through); the failed pass's folders are kept for the next one. A full disk stops the pass and
        paces the next ones until space is back; returns False then (retry that pass).
        A pass does not start on an all but full disk (the start-up's limit): one that had nothing large to write
        would go through, receive a dossier's small files and judge it without the large one still waiting, and
        say that space is back when it is not."""
        try:
            check_free_space(settings.data)
            one_pass(folders, judge, evaluate_all)
        except Exception as exc:  # noqa: BLE001 - log, keep going, retry next pass
            pending.update(folders or ())
            if not is_disk_full(exc):
                log.exception("scan pass failed; its folders are read again in %.0f s at the earliest",
                              failing.failed(time.monotonic()))
                return True
            space.full(time.monotonic())
            return False
        space.cleared(time.monotonic())
        failing.cleared(time.monotonic())
        return True

    try:
        # Activity before a restart counts: a dossier half-copied when the service stopped is not quiet yet.
        activity.update({folder: remembered(folder) for folder in ctx.store.inbox.last_activity()})
        # The start-up pass (what arrived while the service was stopped) is guarded like every other one.
        started = guarded(None, set(), evaluate_all=True)
        last_full = time.monotonic()
        while not stop.wait(tick):
            if not (space.ready(time.monotonic()) and failing.ready(time.monotonic())):
                continue
            if not started:
                started = guarded(None, set(), evaluate_all=True)
                last_full = time.monotonic()
                continue
            decided, mail = recorded()
            settled = {f for f in deferred if f not in settle.waiting
                       and time.monotonic() - activity.get(f, -1e9) >= settings.dossier_settle_seconds}
            full = time.monotonic() - last_full >= settings.rescan_seconds
            if not (pending or settle.waiting or full or settled or decided or mail):
                continue
            folders = None if full else pending | settled | settle.waiting
            pending.clear()
            if guarded(folders, settled) and folders is None:
                last_full = time.monotonic()
    finally:
        observer.stop()
        observer.join(timeout=5)
