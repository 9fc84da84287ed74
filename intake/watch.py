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

from .reading import opens_structurally
from .receiving import Candidate, display_name
from .pipeline import Context, scan
from .receiving import FileSettle
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


def watch(ctx: Context, stop: threading.Event, *, tick: float = 0.25) -> None:
    """Run until `stop` is set: start-up scan, then event-driven and periodic rescans."""
    settings = ctx.settings
    polling = settings.polling or filesystem_type(settings.inbox) in NETWORK_FILESYSTEMS
    observer = PollingObserver(timeout=max(settings.settle_seconds, 1.0)) if polling else Observer()
    dirty: queue.SimpleQueue[str | None] = queue.SimpleQueue()
    observer.schedule(_Enqueue(settings.inbox, dirty), str(settings.inbox), recursive=True)
    observer.start()
    log.info("watching %s (%s observer)", settings.inbox, "polling" if polling else "native")
    settle = FileSettle(settings.settle_seconds, opens_structurally, settings.incomplete_retry_seconds)
    activity: dict[str, float] = {}
    """Dossier folder → monotonic time of its last file event or receipt."""
    deferred: set[str] = set()
    """Dossiers whose notice waits for them to be quiet."""

    pending: set[str] = set()
    """Dossier folders with events not yet scanned."""

    def drain() -> None:
        while True:
            try:
                folder = dirty.get_nowait()
            except queue.Empty:
                return
            if folder:
                pending.add(folder)
                activity[folder] = time.monotonic()

    def ready(candidate: Candidate) -> bool:
        return settle.ready(candidate, time.monotonic())

    def quiet(dossier: DossierRow) -> bool:
        drain()  # events that arrived during a long pass count as activity too
        return time.monotonic() - activity.get(dossier.folder, -1e9) >= settings.dossier_settle_seconds

    def one_pass(folders: set[str] | None, judge: set[str], evaluate_all: bool = False) -> None:
        summary = scan(ctx, folders=folders, evaluate_all=evaluate_all, judge_folders=judge, ready=ready,
                       notify_ready=quiet, stopping=stop.is_set)
        now = time.monotonic()
        activity.update({folder: now for folder in summary.changed})
        deferred.difference_update(judge)
        deferred.update(summary.deferred)

    try:
        one_pass(None, set(), evaluate_all=True)
        last_full = time.monotonic()
        while not stop.wait(tick):
            drain()
            settled = {f for f in deferred if time.monotonic() - activity.get(f, -1e9) >= settings.dossier_settle_seconds}
            full = time.monotonic() - last_full >= settings.rescan_seconds
            decided = bool(ctx.store.verdicts.rejudge_requests())  # an officer's override, recorded by another process
            if not (pending or settle.waiting or full or settled or decided):
                continue
            folders = None if full else pending | settled | settle.waiting
            pending.clear()
            try:
                one_pass(folders, settled)
            except Exception:  # noqa: BLE001 - the watcher is unattended: log, keep going, retry next pass
                log.exception("scan pass failed; retrying on the next pass")
            if folders is None:
                last_full = time.monotonic()
    finally:
        observer.stop()
        observer.join(timeout=5)
