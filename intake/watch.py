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

from .inbox import display_name
from .pipeline import Context, scan
from .settle import FileSettle

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
    settle = FileSettle(settings.settle_seconds)
    ready = lambda candidate: settle.ready(candidate, time.monotonic())  # noqa: E731
    try:
        scan(ctx, evaluate_all=True, ready=ready)
        last_full = time.monotonic()
        pending: set[str] = set()
        while not stop.wait(tick):
            while True:
                try:
                    folder = dirty.get_nowait()
                except queue.Empty:
                    break
                if folder:
                    pending.add(folder)
            full = time.monotonic() - last_full >= settings.rescan_seconds
            if not (pending or settle.waiting or full):
                continue
            folders = None if (full or settle.waiting) else set(pending)
            pending.clear()
            try:
                scan(ctx, folders=folders, ready=ready)
            except Exception:  # noqa: BLE001 - the watcher is unattended: log, keep going, retry next pass
                log.exception("scan pass failed; retrying on the next pass")
            if folders is None:
                last_full = time.monotonic()
    finally:
        observer.stop()
        observer.join(timeout=5)
