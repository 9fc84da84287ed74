"""The unattended watcher: partial writes, dossier settle, lost events, polling — with real processes and files."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import dossiers
from conftest import REPO, Service



def wait_complete(service, folder: str, timeout: float = 60.0) -> None:
    """Wait until the dossier in `folder` is judged complete (by a watcher running in a thread)."""
    wait_for(lambda: (service.store.dossiers.get(folder) or None) and
             service.store.dossiers.get(folder).status == "complete", timeout, f"{folder} judged complete")


def wait_for(condition, timeout: float = 120.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_watcher(root: Path, *options: str) -> subprocess.Popen:
    args = [sys.executable, str(REPO / "watcher.py"), "--inbox", str(root / "inbox"), "--data", str(root / "data"),
            *options]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(args, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return stderr


def query(root: Path, sql: str, *args) -> list[tuple]:
    database = root / "data" / "intake.db"
    if not database.exists():
        return []
    # Read-only, as an officer's tool would: never competes with the watcher for the write lock.
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql, list(args)).fetchall()
    except sqlite3.OperationalError:
        return []  # the watcher is still creating the schema
    finally:
        conn.close()


def status(root: Path, folder: str) -> str | None:
    rows = query(root, "SELECT status FROM dossiers WHERE folder = ?", folder)
    return rows[0][0] if rows else None


def test_a_large_pdf_written_slowly_is_read_once_and_whole(tmp_path):
    rng = random.Random(1)
    folder = tmp_path / "inbox" / "Công ty Chậm"
    dossiers.write_dossier(folder, dossiers.make_enterprise(rng), rng, omit=("company_profile",))
    big = tmp_path / "big.pdf"
    ent = dossiers.make_enterprise(rng)
    pages = dossiers.component_pages("company_profile", ent, rng) * 150  # ~150 pages, well over a megabyte
    dossiers.write_digital_pdf(big, pages)
    content = big.read_bytes()
    watcher = start_watcher(tmp_path, "--settle", "0.5", "--dossier-settle", "1")
    try:
        wait_for(lambda: status(tmp_path, "Công ty Chậm") == "incomplete", what="first verdict")
        with open(folder / "Giới thiệu chung.pdf", "wb") as out:
            for i in range(0, len(content), 64 * 1024):
                out.write(content[i : i + 64 * 1024])
                out.flush()
                # One long stall half-way (an SMB copy pausing), longer than the settle time.
                time.sleep(2.0 if i == (len(content) // 2) // (64 * 1024) * (64 * 1024) else 0.05)
        wait_for(lambda: status(tmp_path, "Công ty Chậm") == "complete", what="complete verdict")
    finally:
        stop(watcher)
    versions = query(tmp_path, "SELECT sha256 FROM files WHERE path = ?", "Giới thiệu chung.pdf")
    assert len(versions) == 1  # read once, whole
    assert not query(tmp_path, "SELECT * FROM deficiencies WHERE code = 'unreadable_file'")


def test_ten_files_copied_one_by_one_give_one_notice(tmp_path):
    rng = random.Random(2)
    staging = tmp_path / "staging"
    written = dossiers.write_dossier(staging, dossiers.make_enterprise(rng), rng, omit=("environment",))
    (tmp_path / "inbox").mkdir()
    watcher = start_watcher(tmp_path, "--settle", "0.3", "--dossier-settle", "3")
    try:
        target = tmp_path / "inbox" / "Công ty Từng tệp"
        target.mkdir()
        for name in sorted(written.values()):
            (target / name).write_bytes((staging / name).read_bytes())
            time.sleep(0.7)
        wait_for(lambda: query(tmp_path, "SELECT count(*) FROM notices")[0][0] >= 1, what="a notice")
        time.sleep(4)  # longer than the dossier settle: a second notice would have appeared by now
    finally:
        stop(watcher)
    kinds = [k for (k,) in query(tmp_path, "SELECT kind FROM notices")]
    assert kinds.count("deficiency") == 1, kinds


def test_files_that_arrived_while_the_service_was_down_are_picked_up(tmp_path):
    rng = random.Random(3)
    (tmp_path / "inbox").mkdir()
    watcher = start_watcher(tmp_path, "--settle", "0.2")
    wait_for(lambda: (tmp_path / "data" / "intake.db").exists(), what="start")
    stop(watcher)
    dossiers.write_dossier(tmp_path / "inbox" / "Công ty Lúc nghỉ", dossiers.make_enterprise(rng), rng)
    watcher = start_watcher(tmp_path, "--settle", "0.2")
    try:
        wait_for(lambda: status(tmp_path, "Công ty Lúc nghỉ") == "complete", what="start-up scan")
    finally:
        stop(watcher)


def test_polling_observer_sees_new_files(tmp_path):
    rng = random.Random(4)
    (tmp_path / "inbox").mkdir()
    watcher = start_watcher(tmp_path, "--settle", "0.2", "--polling")
    try:
        wait_for(lambda: (tmp_path / "data" / "intake.db").exists(), what="start")
        dossiers.write_dossier(tmp_path / "inbox" / "Công ty Mạng", dossiers.make_enterprise(rng), rng)
        wait_for(lambda: status(tmp_path, "Công ty Mạng") == "complete", what="polled files")
    finally:
        stderr = stop(watcher)
    assert "polling observer" in stderr


def test_lost_events_are_caught_by_the_periodic_rescan(tmp_path, rules, monkeypatch):
    """An observer that never delivers an event (a share where inotify is silent): the rescan finds the files."""
    import intake.watch as watch_module

    class DeafObserver:
        def __init__(self, *args, **kwargs):
            pass

        def schedule(self, *args, **kwargs):
            pass

        def start(self):
            pass

        def stop(self):
            pass

        def join(self, timeout=None):
            pass

    monkeypatch.setattr(watch_module, "Observer", DeafObserver)
    service = Service(tmp_path, rules, settle_seconds=0.2, rescan_seconds=1.0, dossier_settle_seconds=0.0)
    stopping = threading.Event()
    thread = threading.Thread(target=watch_module.watch, args=(service.ctx, stopping), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # the start-up scan has run on an empty inbox
        rng = random.Random(5)
        dossiers.write_dossier(tmp_path / "inbox" / "Công ty Im lặng", dossiers.make_enterprise(rng), rng)
        wait_complete(service, "Công ty Im lặng", 120)
    finally:
        stopping.set()
        thread.join(timeout=120)
        service.close()


def test_a_store_unreadable_between_passes_does_not_end_the_watcher(tmp_path, rules, caplog):
    """The store fails to be read between passes for a while (an I/O error): the watcher says so once, goes on,
    says when it can read again, and receives the next dossier dropped."""
    import logging
    import sqlite3

    from intake.watch import watch

    service = Service(tmp_path, rules, settle_seconds=0.2, rescan_seconds=3600, dossier_settle_seconds=0.0)
    verdicts = service.store.verdicts
    reads = verdicts.rejudge_requests
    failures = []
    failing = threading.Event()

    def unreadable():
        if failing.is_set():
            failures.append(time.monotonic())
            raise sqlite3.OperationalError("disk I/O error")
        return reads()

    verdicts.rejudge_requests = unreadable
    stopping = threading.Event()
    thread = threading.Thread(target=watch, args=(service.ctx, stopping), kwargs={"tick": 0.1}, daemon=True)
    caplog.set_level(logging.INFO, logger="intake.watch")
    thread.start()
    try:
        time.sleep(0.5)  # the start-up scan has run on an empty inbox
        failing.set()
        wait_for(lambda: len(failures) >= 10, 30, "ten ticks that could not read the store")
        assert thread.is_alive()
        failing.clear()
        rng = random.Random(6)
        dossiers.write_dossier(tmp_path / "inbox" / "Công ty Gián đoạn", dossiers.make_enterprise(rng), rng)
        wait_complete(service, "Công ty Gián đoạn")
    finally:
        stopping.set()
        thread.join(timeout=120)
        service.close()
    said = [r.getMessage() for r in caplog.records if r.name == "intake.watch"]
    assert sum("could not be read between passes" in m for m in said) == 1
    assert sum("can be read again" in m for m in said) == 1


def _watching(service) -> tuple[threading.Thread, threading.Event]:
    """The watcher of `service` running in a thread (ticking every 0.1 s), and the event that stops it."""
    import intake.watch as watch_module

    stopping = threading.Event()
    thread = threading.Thread(target=watch_module.watch, args=(service.ctx, stopping), kwargs={"tick": 0.1},
                              daemon=True)
    thread.start()
    return thread, stopping


def test_passes_that_keep_failing_are_paced_not_repeated_at_every_tick(tmp_path, rules, monkeypatch):
    """An officer's decision waits to be applied while every pass fails (the store, a bug): the watcher tries
    again after 1, 2, 4 … s, not at every tick; once passes go through, the decision is applied."""
    import intake.watch as watch_module
    from intake.models import Override

    service = Service(tmp_path, rules, settle_seconds=0.2, rescan_seconds=3600, dossier_settle_seconds=0.0)
    rng = random.Random(7)
    dossiers.write_dossier(tmp_path / "inbox" / "Công ty Lỗi lặp", dossiers.make_enterprise(rng), rng)
    calls = []
    failing = threading.Event()
    scan = watch_module.scan

    def failing_scan(*args, **kwargs):
        if failing.is_set():
            calls.append(time.monotonic())
            raise RuntimeError("a pass that fails")
        return scan(*args, **kwargs)

    monkeypatch.setattr(watch_module, "scan", failing_scan)
    thread, stopping = _watching(service)
    try:
        wait_complete(service, "Công ty Lỗi lặp")
        dossier = service.store.dossiers.get("Công ty Lỗi lặp")
        failing.set()
        service.store.decisions.add_override(dossier.id, Override(
            "environment", "reject", officer="Trần Văn Bình", note="bản chụp mờ", at=service.now))
        wait_for(lambda: calls, 10, "a pass for the decision")
        time.sleep(3.5)  # 35 ticks
        assert 2 <= len(calls) <= 3, [round(t - calls[0], 1) for t in calls]  # at 0, 1 and 3 s
        failing.clear()
        wait_for(lambda: service.store.dossiers.get("Công ty Lỗi lặp").status == "incomplete", 30,
                 "the decision applied once passes go through")
    finally:
        stopping.set()
        thread.join(timeout=120)
        service.close()


def test_a_failed_pass_keeps_its_folders_for_the_next_one(tmp_path, rules, monkeypatch):
    """A dossier folder moved into the inbox whole (one event) and the pass for it fails once: it is read by the
    next pass, a second later, not left until the next full rescan (an hour here)."""
    import intake.watch as watch_module

    service = Service(tmp_path, rules, settle_seconds=0.2, rescan_seconds=3600, dossier_settle_seconds=0.0)
    rng = random.Random(8)
    staged = tmp_path / "staged" / "Công ty Thử lại"
    dossiers.write_dossier(staged, dossiers.make_enterprise(rng), rng)
    failed = []
    scan = watch_module.scan

    def failing_once(*args, **kwargs):
        if kwargs.get("folders") and not failed:
            failed.append(sorted(kwargs["folders"]))
            raise RuntimeError("a pass that fails once")
        return scan(*args, **kwargs)

    monkeypatch.setattr(watch_module, "scan", failing_once)
    thread, stopping = _watching(service)
    try:
        time.sleep(0.5)  # the start-up scan has run on an empty inbox
        time.sleep(0.3)  # the staged files are older than the settle time: nothing waits on them once seen
        staged.rename(tmp_path / "inbox" / staged.name)
        wait_for(lambda: failed, 30, "the failing pass")
        assert failed == [["Công ty Thử lại"]]
        wait_complete(service, "Công ty Thử lại")
    finally:
        stopping.set()
        thread.join(timeout=120)
        service.close()
