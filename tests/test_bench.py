"""The benchmark runs end to end at its tiny size and prints every row; timings are never asserted here."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import run as bench


def test_the_benchmark_runs_and_reports_every_row(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--size", "tiny", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    written = (tmp_path / "tiny.md").read_text(encoding="utf-8")
    assert done.stdout.strip() == written.strip()
    rows = [line for line in written.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert [row.split(" | ")[1] for row in rows] == [label for _, label in bench.ROWS]
    measured = {row.split(" | ")[1]: row for row in rows}
    # Everything but the full-size memory row is measured, even at the tiny size.
    for label in ("dense 300 dpi: bare Tesseract processes", "dense 300 dpi: one loaded engine per core (limit)",
                  "service: scanned intake", "sparse 200 dpi: bare Tesseract processes",
                  "sparse 200 dpi: one loaded engine per core (limit)", "service: sparse scanned intake",
                  "service: digital dossiers", "watch latency, 1-page file", "rescan of ingested inbox",
                  "OCR on pages no rule reads"):
        assert "not run" not in measured[label], measured[label]
    assert "full size only" in measured["300-page scan: memory"]
    assert (tmp_path / "tiny.json").exists()
