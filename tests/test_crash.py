"""Crash safety: SIGKILL the watcher at random points of a large intake, restart, repeat; nothing is lost or doubled."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dossiers
from conftest import REPO
from test_watch import query, start_watcher, stop, wait_for

DOSSIERS = 10
CYCLES = 12


def make_inbox(inbox: Path) -> int:
    rng = random.Random(2020)
    files = 0
    for i in range(DOSSIERS):
        omit = () if i % 3 else ("environment",)
        formats = {"quality_system": "scan", "product_conformity": "jpg"} if i % 2 else None
        written = dossiers.write_dossier(inbox / f"Công ty số {i:02d}", dossiers.make_enterprise(rng), rng,
                                         omit=omit, formats=formats)
        files += len(written)
    return files


def verdicts(data: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "intake.cli", "report", "--data", str(data), "--format", "json"],
                            capture_output=True, text=True, cwd=REPO, check=True)
    return {
        d["folder"]: (d["status"], d["documents"], d["missing"], [(x["code"], x["document"], x["file"]) for x in d["deficiencies"]])
        for d in json.loads(result.stdout)["dossiers"]
    }


def test_kill_restart_cycles_lose_and_double_nothing(tmp_path):
    files = make_inbox(tmp_path / "inbox")
    reference = tmp_path / "reference"
    shutil.copytree(tmp_path / "inbox", reference / "inbox")
    subprocess.run([sys.executable, "-m", "intake.cli", "scan", "--inbox", str(reference / "inbox"),
                    "--data", str(reference / "data")], cwd=REPO, check=True, capture_output=True)
    expected = verdicts(reference / "data")

    rng = random.Random(7)
    kills = 0
    for cycle in range(CYCLES):
        watcher = start_watcher(tmp_path, "--settle", "0", "--dossier-settle", "0")
        time.sleep(rng.uniform(0.3, 4.0))
        if watcher.poll() is None:
            watcher.send_signal(signal.SIGKILL)
            kills += 1
        watcher.communicate(timeout=60)
    assert kills >= CYCLES - 1

    watcher = start_watcher(tmp_path, "--settle", "0", "--dossier-settle", "0")
    try:
        wait_for(lambda: len(query(tmp_path, "SELECT 1 FROM dossiers WHERE status IS NOT NULL")) == DOSSIERS
                 and not query(tmp_path, "SELECT 1 FROM files f LEFT JOIN extractions e ON e.sha256 = f.sha256 "
                                         "WHERE e.sha256 IS NULL"),
                 timeout=600, what="the intake to finish")
        time.sleep(1.0)
    finally:
        stop(watcher)

    # Every file ingested exactly once.
    assert query(tmp_path, "SELECT count(*) FROM files")[0][0] == files
    assert query(tmp_path, "SELECT count(*) FROM events WHERE kind = 'file_received'")[0][0] == files
    # Every dossier has exactly one receipt number; none reused or skipped.
    numbers = sorted(n for (n,) in query(tmp_path, "SELECT receipt_no FROM dossiers"))
    assert numbers == [f"GTCLQG-2026-{i:04d}" for i in range(1, DOSSIERS + 1)] or \
        [n[-4:] for n in numbers] == [f"{i:04d}" for i in range(1, DOSSIERS + 1)]
    # Verdicts equal those of an uninterrupted run.
    assert verdicts(tmp_path / "data") == expected
    # No half-written archive copy is left behind.
    assert not list((tmp_path / "data" / "archive").glob(".incoming-*"))


UPLOADS = 3
RESTARTS = 21


@pytest.mark.slow
def test_kills_during_a_one_by_one_upload_give_one_request_per_dossier(tmp_path):
    """The quiet time of a dossier survives restarts: SIGKILL the watcher again and again while enterprises copy
    their files one by one, and each incomplete dossier still gets exactly one request to supplement."""
    rng = random.Random(14)
    staging = tmp_path / "staging"
    copies = []  # (source, target), dossier by dossier, file by file, as an enterprise's copy goes
    for i in range(UPLOADS):
        written = dossiers.write_dossier(staging / f"Công ty Tải lên {i}", dossiers.make_enterprise(rng), rng,
                                         omit=("environment",), formats={"*": "pdf"})
        copies += [(staging / f"Công ty Tải lên {i}" / name, tmp_path / "inbox" / f"Công ty Tải lên {i}" / name)
                   for name in sorted(written.values())]
    (tmp_path / "inbox").mkdir()
    total = len(copies)
    options = ("--settle", "0.3", "--dossier-settle", "8")

    def copy_next() -> None:
        source, target = copies.pop(0)
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(source.read_bytes())

    def received() -> int:
        rows = query(tmp_path, "SELECT count(*) FROM files")
        return rows[0][0] if rows else 0

    kills = 0
    for _ in range(RESTARTS):
        watcher = start_watcher(tmp_path, *options)
        time.sleep(rng.uniform(0.2, 1.0))
        if copies:
            copy_next()
        # Killed only once it has received what is there (so it had every chance to judge and notify too early).
        copied = total - len(copies)
        wait_for(lambda: received() >= copied, timeout=120, what="the file just copied to be received")
        time.sleep(rng.uniform(0.0, 0.8))
        if watcher.poll() is None:
            watcher.send_signal(signal.SIGKILL)
            kills += 1
        watcher.communicate(timeout=60)
    assert kills >= 20

    watcher = start_watcher(tmp_path, *options)
    try:
        while copies:
            time.sleep(0.7)
            copy_next()
        wait_for(lambda: len(query(tmp_path, "SELECT DISTINCT dossier_id FROM notices WHERE kind = 'deficiency'"))
                 == UPLOADS, timeout=300, what="a request to supplement for each dossier")
        time.sleep(10)  # longer than the dossier settle: a second request would have appeared by now
    finally:
        stop(watcher)
    requests = query(tmp_path, "SELECT d.folder, count(n.id) FROM dossiers d LEFT JOIN notices n "
                               "ON n.dossier_id = d.id AND n.kind = 'deficiency' GROUP BY d.id")
    assert len(requests) == UPLOADS and all(count == 1 for _, count in requests), requests
