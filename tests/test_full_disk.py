"""A full data disk (issue 14, item 5), on a real small tmpfs: `scan` and `watch` refuse to start with exit code 8
and one line; a running watcher paces its passes (one warning a minute), resumes by itself when space is back, and
rewrites the reports it could not write (item 10)."""

from __future__ import annotations

import errno
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import dossiers
import pytest
from conftest import REPO

from intake.errors import DiskFullError, ExitCode, is_disk_full
from intake.watch import FullDiskPacing

ENV = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1"}
DIGITAL = {"*": "pdf", "company_profile": "docx"}


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MiB tmpfs mounted for the test (tests run as root); skipped only where mounting is not permitted."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m,mode=0755", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a full disk needs a small tmpfs and mounting one is not permitted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the disk with a ballast file, then give back `leave` bytes; returns the ballast."""
    ballast = disk / "ballast"
    with open(ballast, "ab") as out:
        try:
            while True:
                out.write(b"\0" * (1 << 20))
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    # What the kernel could not flush is dropped on close; tmpfs has taken every page it had.
    size = ballast.stat().st_size
    os.truncate(ballast, max(0, size - leave))
    return ballast


def write_dossier(inbox: Path, folder: str, seed: int, *, filler: int = 0) -> None:
    rng = random.Random(seed)
    dossiers.write_dossier(inbox / folder, dossiers.make_enterprise(rng), rng, formats=DIGITAL)
    if filler:  # an annex of scanned pages: big bytes (read as a file the service cannot open)
        (inbox / folder / "Phụ lục ảnh chụp.pdf").write_bytes(random.Random(seed).randbytes(filler))


def status(data: Path, folder: str) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{data / 'intake.db'}?mode=ro", uri=True, timeout=30)
    except sqlite3.OperationalError:
        return None
    try:
        row = conn.execute("SELECT status FROM dossiers WHERE folder = ?", [folder]).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# ---- pure: the pacing -------------------------------------------------------------------------------------


def test_pacing_doubles_to_its_ceiling_and_warns_once_a_minute(caplog, tmp_path):
    pacing = FullDiskPacing(tmp_path, first=1, longest=30, warn_every=60)
    now, waits = 1000.0, []
    with caplog.at_level(logging.INFO, logger="intake.watch"):
        while now < 1000 + 180:
            assert pacing.ready(now)
            waits.append(pacing.full(now))
            assert not pacing.ready(now + waits[-1] - 0.01)
            now += waits[-1]
        pacing.cleared(now)
    assert waits[:7] == [1, 2, 4, 8, 16, 30, 30]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3 and all("no space left" in r.getMessage() for r in warnings)  # minutes 0, 1, 2
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.INFO] == [
        "space is back on the data disk after 181 s: intake resumes"]
    assert pacing.ready(now) and pacing.full(now) == 1  # a new episode starts from the first wait again


def test_a_full_disk_is_recognised_from_the_os_and_from_sqlite(small_disk):
    fill(small_disk)
    with pytest.raises(OSError) as raised:
        (small_disk / "more").write_bytes(b"x" * 65536)
    assert is_disk_full(raised.value)
    wrapped = DiskFullError("x")
    wrapped.__cause__ = sqlite3.OperationalError("database or disk is full")
    assert is_disk_full(wrapped) and is_disk_full(sqlite3.OperationalError("database or disk is full"))
    assert not is_disk_full(OSError(errno.EACCES, "denied")) and not is_disk_full(ValueError("x"))


def test_libxml2_writing_on_a_full_disk_is_a_full_disk(small_disk):
    """openpyxl writes a workbook's sheets through temporary files (on the data disk: use_scratch) with lxml, which
    reports the full disk as its own SerialisationError: it once escaped the report writer as a traceback."""
    from lxml import etree

    fill(small_disk)
    with pytest.raises(etree.SerialisationError) as raised:
        with etree.xmlfile(str(small_disk / "sheet1.xml")) as xf, xf.element("sheetData"):
            for row in range(20000):
                xf.write(etree.Element("row", r=str(row)))
    assert is_disk_full(raised.value)


# ---- the command line on a full disk ------------------------------------------------------------------------


def _intake(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "intake.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env=ENV, timeout=timeout)


def test_scan_and_watch_on_a_full_disk_exit_8_with_one_line(small_disk, tmp_path):
    inbox = tmp_path / "inbox"
    write_dossier(inbox, "Công ty Đĩa đầy", 51)
    fill(small_disk)
    for command in (["scan"], ["watch", "--settle", "0.3"]):
        done = _intake(*command, "--inbox", str(inbox), "--data", str(small_disk), timeout=120)
        assert done.returncode == ExitCode.disk_full == 8, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines() == [
            f"intake: error: no space left on the disk of {small_disk}; free some space and start again"]


def test_scan_that_fills_the_disk_midway_exits_8_with_one_line(small_disk, tmp_path):
    inbox = tmp_path / "inbox"
    write_dossier(inbox, "Công ty A", 52)
    write_dossier(inbox, "Công ty B", 53, filler=4 << 20)
    fill(small_disk, leave=2 << 20)  # enough to start, not for the 4 MiB annex
    done = _intake("scan", "--inbox", str(inbox), "--data", str(small_disk), "--now", "2020-06-15T09:30:00")
    assert done.returncode == ExitCode.disk_full, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line.lower()]
    assert errors == [f"intake: error: no space left on the disk of {small_disk}; free some space and start again"]
    assert not list((small_disk / "archive").glob(".incoming-*"))  # the partial copy did not stay


# ---- a running watcher --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_watcher_waits_out_a_full_disk_and_resumes_by_itself(small_disk, tmp_path):
    inbox, data = tmp_path / "inbox", small_disk
    write_dossier(inbox, "Công ty Trước", 54)
    log_file = tmp_path / "watcher.log"
    with open(log_file, "w") as log_out:
        watcher = subprocess.Popen(
            [sys.executable, "-m", "intake.cli", "-v", "watch", "--inbox", str(inbox), "--data", str(data),
             "--settle", "0.3", "--dossier-settle", "0.5", "--rescan", "3"],
            cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=log_out, text=True)
    try:
        wait_for(lambda: status(data, "Công ty Trước"), 120, "the first dossier")
        index = data / "reports" / "index.html"
        wait_for(lambda: index.exists() and "Công ty Trước" in index.read_text(encoding="utf-8"), 60, "reports")

        ballast = fill(data, leave=256 << 10)
        write_dossier(inbox, "Công ty Sau", 55, filler=3 << 20)
        full_at = time.monotonic()
        wait_for(lambda: "no space left" in log_file.read_text(), 60, "the full-disk warning")
        time.sleep(max(0.0, 12 - (time.monotonic() - full_at)))  # let the full disk last a while
        assert watcher.poll() is None, log_file.read_text()
        during = log_file.read_text()
        assert during.count("no space left") == 1  # one warning a minute, not one per file per tick
        tries = during.count("pass stopped: disk full")
        assert 2 <= tries <= 6, tries  # paced 1, 2, 4, 8 s apart: not every 0.25 s tick (~48 in 12 s)
        assert "could not archive" not in during and "Traceback" not in during
        assert status(data, "Công ty Sau") is None

        ballast.unlink()  # space comes back: nobody restarts anything
        wait_for(lambda: status(data, "Công ty Sau"), 120, "the dossier that waited for space")
        # The reports the full disk kept from being written are written once space is back.
        wait_for(lambda: "Công ty Sau" in index.read_text(encoding="utf-8"), 60, "reports after the full disk")
        assert (data / "reports" / ".intake-reports-current").exists()
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=120)
    text = log_file.read_text()
    assert watcher.returncode == 0, text
    assert text.count("space is back") == 1 and "Traceback" not in text
