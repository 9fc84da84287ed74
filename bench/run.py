"""Benchmark of the intake service against the machine's limit: `python bench/run.py --size tiny|small|full`.

Generates a seeded corpus (bench/corpus.py), then measures in one run, on the same pages, for dense 300-dpi
report pages and for sparse 200-dpi certificates and letters: bare Tesseract (one single-threaded `tesseract`
process per page, one at a time per core, on page images prepared in advance), the in-process limit (the same
images through one loaded engine per core, bench/limit.py), OCRmyPDF (`--output-type none --sidecar`,
`-j` = cores), the service ingesting the scanned dossiers (`intake scan`),
digital dossiers end to end, the latency of `intake watch`, the rescan of ingested files, the memory of a
300-page scan (full size) and how much OCR time goes to pages no rule reads. Prints a table and writes it,
with the raw numbers, to bench/out/ (or --out). Timings are never asserted: tests run it at --size tiny.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus as corpora
import measure

NOW = "2020-06-20T09:00:00"
"""The service clock during the benchmark: before the campaign deadline."""
MB = 1024 * 1024
TARGET_VS_BARE = {"dense": 1.1, "sparse": 1.3}
TARGET_VS_LIMIT = 0.95
TARGET_VS_OCRMYPDF = 2.5
TARGET_DIGITAL_PAGES_PER_S = 100.0
TARGET_RESCAN_SECONDS = 2.0
TARGET_PEAK_RSS_MB = 400.0

SETS = {"sparse": "sparse-", "dense": ""}
"""The two sets of scanned pages (in the order they are measured), and the prefix of their rows' keys."""
ROWS = (
    ("bare", "dense 300 dpi: bare Tesseract processes"),
    ("limit", "dense 300 dpi: one loaded engine per core (limit)"),
    ("ocrmypdf", "dense 300 dpi: OCRmyPDF --sidecar"),
    ("service", "service: scanned intake"),
    ("sparse-bare", "sparse 200 dpi: bare Tesseract processes"),
    ("sparse-limit", "sparse 200 dpi: one loaded engine per core (limit)"),
    ("sparse-ocrmypdf", "sparse 200 dpi: OCRmyPDF --sidecar"),
    ("sparse-service", "service: sparse scanned intake"),
    ("digital", "service: digital dossiers"),
    ("latency", "watch latency, 1-page file"),
    ("rescan", "rescan of ingested inbox"),
    ("memory", "300-page scan: memory"),
    ("unread", "OCR on pages no rule reads"),
)


@dataclass
class Row:
    """One line of the table; empty cells are shown as "—"."""

    key: str
    label: str
    pages: str = ""
    seconds: float | None = None
    rate: float | None = None
    """Pages per second."""
    cpu_per_page: float | None = None
    vs_bare: float | None = None
    vs_limit: float | None = None
    vs_ocrmypdf: float | None = None
    peak_rss: int | None = None
    peak_pss: int | None = None
    others: float | None = None
    """Share of the machine's CPU time other processes (other users' jobs) took during the run."""
    target: str = ""
    result: str = ""
    met: bool | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _intake(*args: str) -> list[str]:
    return [sys.executable, "-m", "intake.cli", *args]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _ocr_pages(database: Path) -> dict[tuple[str, str, int], str]:
    """(dossier folder, file path, page) → text of every OCR'd page the service stored."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT d.folder, f.path, p.number, p.text FROM files f JOIN dossiers d ON d.id = f.dossier_id "
            "JOIN pages p ON p.sha256 = f.sha256 WHERE p.method = 'ocr' AND f.current = 1"
        ).fetchall()
    return {(folder, path, number): text for folder, path, number, text in rows}


def _statuses(database: Path) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return [status or "none" for (status,) in db.execute("SELECT status FROM dossiers ORDER BY id")]


# ---- (1) bare Tesseract ------------------------------------------------------------------------------


def bare_tesseract(corpus: corpora.Corpus, workers: int,
                   kind: str = "dense") -> tuple[Row, dict[tuple[str, str, int], tuple[float, str]]]:
    """The page images, ready on disk, OCR'd by `tesseract IMG - -l vie`, one process per page, `workers` at once."""
    images = corpus.images(kind)
    batch = measure.run_batch([["tesseract", str(img), "-", "-l", "vie"] for img, *_ in images], workers,
                              _env(OMP_THREAD_LIMIT="1"))
    failed = sum(1 for j in batch.jobs if j.returncode)
    per_page = {
        (folder, path, number): (job.cpu, job.stdout.decode("utf-8", "replace"))
        for (_, folder, path, number), job in zip(images, batch.jobs)
    }
    row = Row(SETS[kind] + "bare", "", pages=str(len(images)), seconds=batch.seconds, rate=len(images) / batch.seconds,
              cpu_per_page=batch.cpu / len(images), vs_bare=1.0, peak_rss=batch.peak_rss, peak_pss=batch.peak_pss,
              others=_share(batch.others, batch.seconds),
              result=f"{failed} failed" if failed else "")
    return row, per_page


def _share(others: float, seconds: float) -> float:
    return min(1.0, others / (seconds * measure.cores())) if seconds else 0.0


def _mean_of_runs(first: Row, others: list[Row], what: str) -> None:
    """Make `first` the mean of itself and `others` (runs of the same measurement at other moments of the
    benchmark), saying how far apart they were: the machine's speed drifts (other virtual machines)."""
    runs = [first, *others]
    if not others or not all(r.seconds and r.cpu_per_page for r in runs):
        return
    pages = float(first.pages)
    seconds = [r.seconds or 0.0 for r in runs]
    mean = sum(seconds) / len(runs)
    spread = (max(seconds) - min(seconds)) / mean
    first.extra["runs_seconds"] = seconds
    first.seconds, first.rate = mean, pages / mean
    first.cpu_per_page = sum(r.cpu_per_page or 0.0 for r in runs) / len(runs)
    first.peak_rss = max(r.peak_rss or 0 for r in runs)
    first.peak_pss = max(r.peak_pss or 0 for r in runs)
    first.others = sum(r.others or 0.0 for r in runs) / len(runs)
    note = f"mean of {len(runs)} {what} ({', '.join(f'{s:.1f}' for s in seconds)} s)"
    if spread > 0.15:
        note += f"; they differ by {spread:.0%}: the machine's speed changed, ratios are that uncertain"
    first.result = "; ".join(filter(None, [first.result, note]))


# ---- (1b) the in-process limit -------------------------------------------------------------------------


def limit(corpus: corpora.Corpus, workers: int, scratch: Path, kind: str = "dense") -> Row:
    """The same page images through one loaded Tesseract engine per core (bench/limit.py), nothing else: what
    an OCR service that keeps its engines loaded could at best do on this machine. Start-up included."""
    from intake.reading.ocr import tessdata_path

    images = corpus.images(kind)
    folder = _fresh(scratch / f"limit-{kind}")
    listing, out = folder / "images.json", folder / "texts.json"
    listing.write_text(json.dumps([str(image) for image, *_ in images]), encoding="utf-8")
    run = measure.run_tree([sys.executable, str(BENCH / "limit.py"), str(workers), tessdata_path("vie") or "",
                            "vie", str(listing), str(out)], env=_env(OMP_THREAD_LIMIT="1"))
    if run.returncode:
        return Row(SETS[kind] + "limit", "", result=f"failed ({run.returncode}): {run.stderr[-300:]}")
    pages = len(images)
    return Row(SETS[kind] + "limit", "", pages=str(pages), seconds=run.seconds, rate=pages / run.seconds,
               cpu_per_page=run.cpu / pages, peak_rss=run.peak_rss, peak_pss=run.peak_pss,
               others=_share(run.others, run.seconds))


# ---- (2) OCRmyPDF ----------------------------------------------------------------------------------


OCRMYPDF_CLI = """
import multiprocessing, os, sys
# `ocrmypdf` as its command line runs it, except that it does not lower its own priority (os.nice(5)):
# on a busy machine a niced baseline would look slower than it is.
os.nice = lambda increment: os.getpriority(os.PRIO_PROCESS, 0)
from ocrmypdf.__main__ import run
multiprocessing.set_start_method("forkserver")
sys.exit(run(sys.argv[1:]))
"""


def ocrmypdf_version() -> str | None:
    try:
        done = subprocess.run([sys.executable, "-m", "ocrmypdf", "--version"], capture_output=True, text=True,
                              timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def ocrmypdf(corpus: corpora.Corpus, workers: int, scratch: Path, kind: str = "dense") -> Row:
    """OCRmyPDF on the same scanned PDFs, one file after the other (as its watcher does), text only."""
    version = ocrmypdf_version()
    if version is None:
        return Row(SETS[kind] + "ocrmypdf", "", result="not run: ocrmypdf is not installed (pip install -e '.[bench]')")
    pdfs = corpus.scanned_pdfs(kind)
    sidecars = _fresh(scratch / f"ocrmypdf-{kind}")
    # OMP_THREAD_LIMIT=1: left alone, OCRmyPDF gives Tesseract 2 OpenMP threads on short files, which is
    # several times slower here; with it, OCRmyPDF is the stronger baseline.
    commands = [
        [sys.executable, "-c", OCRMYPDF_CLI, "--output-type", "none", "--sidecar", str(sidecars / f"{n}.txt"),
         "-j", str(workers), "-l", "vie", str(pdf), "-"]
        for n, pdf in enumerate(pdfs)
    ]
    batch = measure.run_batch(commands, 1, _env(OMP_THREAD_LIMIT="1"))
    failed = [pdf.name for pdf, job in zip(pdfs, batch.jobs) if job.returncode]
    pages = len(corpus.images(kind))
    return Row(SETS[kind] + "ocrmypdf", "", pages=str(pages), seconds=batch.seconds, rate=pages / batch.seconds,
               cpu_per_page=batch.cpu / pages, peak_rss=batch.peak_rss, peak_pss=batch.peak_pss,
               others=_share(batch.others, batch.seconds),
               result=f"{len(failed)} files failed" if failed else "", extra={"version": version})


# ---- (3) the service on the scanned dossiers ---------------------------------------------------------


def service_scanned(corpus: corpora.Corpus, workers: int, scratch: Path,
                    baseline: dict[tuple[str, str, int], tuple[float, str]] | None,
                    kind: str = "dense") -> tuple[Row, Path]:
    """A whole intake of the scanned dossiers: `intake scan` as an officer runs it, process tree measured."""
    data = scratch / f"service-data-{kind}"
    run = _scan(corpus.inbox(kind), data, workers)
    texts = _ocr_pages(data / "intake.db")
    statuses = _statuses(data / "intake.db")
    pages = len(texts)
    extra: dict[str, Any] = {"statuses": statuses}
    result = f"{statuses.count('complete')}/{len(statuses)} complete"
    if baseline:
        from rapidfuzz import fuzz

        same = [fuzz.ratio(_norm(texts[key]), _norm(text)) for key, (_, text) in baseline.items() if key in texts]
        extra["text_vs_bare"] = round(sum(same) / len(same), 2) if same else None
        result += f"; text {extra['text_vs_bare']}% = bare"
    row = Row(SETS[kind] + "service", "", pages=str(pages), seconds=run.seconds, rate=pages / run.seconds,
              cpu_per_page=run.cpu / max(pages, 1), peak_rss=run.peak_rss, peak_pss=run.peak_pss, result=result,
              others=_share(run.others, run.seconds),
              extra=extra)
    return row, data


# ---- (4) digital dossiers ----------------------------------------------------------------------------


def _context(inbox: Path, data: Path, workers: int):  # type: ignore[no-untyped-def]
    """The service in this process, as tests/conftest.py builds it."""
    from intake.reading.ocr import Tesseract
    from intake.pipeline import Context
    from intake.judging.rules import load_rules
    from intake.settings import Settings, prepare_folders
    from intake.store import Store

    settings = prepare_folders(Settings(inbox=inbox, data=data, workers=workers))
    rules = load_rules()
    now = dt.datetime.fromisoformat(NOW).replace(tzinfo=rules.campaign.deadline.tzinfo)
    store = Store(settings.database)
    return Context(settings, rules, store, lambda: now, Tesseract())


def _close(ctx) -> None:  # type: ignore[no-untyped-def]
    ctx.close()
    ctx.store.close()


def _scan(inbox: Path, data: Path, workers: int) -> measure.Run:
    """`intake scan` as an officer runs it, its process tree measured; a failure stops the benchmark."""
    run = measure.run_tree(_intake("scan", "--inbox", str(inbox), "--data", str(_fresh(data)), "--now", NOW,
                                   "--workers", str(workers)), env=_env(OMP_THREAD_LIMIT=None))
    if run.returncode:
        raise SystemExit(f"intake scan failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run


def digital(corpus: corpora.Corpus, workers: int, scratch: Path) -> Row:
    """Receipt to verdict of text PDFs and Word files by `intake scan`, less its start-up (timed on an empty inbox)."""
    startup = _scan(_fresh(scratch / "empty-inbox"), scratch / "empty-data", workers).seconds
    data = scratch / "digital-data"
    run = _scan(corpus.digital_inbox, data, workers)
    seconds = max(run.seconds - startup, 1e-3)
    with sqlite3.connect(f"file:{data / 'intake.db'}?mode=ro", uri=True) as db:
        files = db.execute("SELECT count(*) FROM files").fetchone()[0]
        ocr = db.execute("SELECT count(*) FROM pages WHERE method = 'ocr'").fetchone()[0]
    statuses = _statuses(data / "intake.db")
    rate = corpus.digital_pages / seconds
    return Row("digital", "", pages=f"{corpus.digital_pages} ({files} files)", seconds=seconds, rate=rate,
               cpu_per_page=run.cpu / corpus.digital_pages, peak_rss=run.peak_rss, peak_pss=run.peak_pss,
               others=_share(run.others, run.seconds),
               target=f"≥ {TARGET_DIGITAL_PAGES_PER_S:.0f} pages/s", met=rate >= TARGET_DIGITAL_PAGES_PER_S,
               result=f"{statuses.count('complete')}/{len(statuses)} complete, {ocr} pages OCR'd; "
                      f"{run.seconds:.2f} s with the {startup:.2f} s start-up",
               extra={"statuses": statuses, "startup": startup, "wall": run.seconds})


# ---- (5) watch latency -------------------------------------------------------------------------------


def _wait_verdict(database: Path, folder: str, deadline: float) -> float | None:
    while time.perf_counter() < deadline:
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as db:
                row = db.execute("SELECT evaluated_at FROM dossiers WHERE folder = ?", [folder]).fetchone()
            if row and row[0]:
                return time.perf_counter()
        except sqlite3.Error:
            pass
        time.sleep(0.005)
    return None


def latency(corpus: corpora.Corpus, size: corpora.Size, workers: int, scratch: Path) -> Row:
    """A 1-page text PDF renamed into a watched inbox → its verdict in the database."""
    root = _fresh(scratch / "latency")
    inbox, data = root / "inbox", root / "data"
    inbox.mkdir()
    proc = subprocess.Popen(
        _intake("watch", "--inbox", str(inbox), "--data", str(data), "--settle", str(size.settle),
                "--workers", str(workers)),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(OMP_THREAD_LIMIT=None))
    lines: queue.SimpleQueue[str] = queue.SimpleQueue()
    assert proc.stderr is not None
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    seen: list[str] = []
    try:
        deadline = time.perf_counter() + 60
        while not any("watching" in line for line in seen):
            if proc.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit("intake watch did not start:\n" + "".join(seen)[-3000:])
            try:
                seen.append(lines.get(timeout=0.1))
            except queue.Empty:
                pass
        time.sleep(1.0)  # let the start-up pass over the empty inbox finish
        results = []
        for n in range(size.latency_drops):
            folder = f"Hồ sơ độ trễ {n + 1}"
            staging = root / f"staging-{n}.pdf"
            shutil.copyfile(corpus.latency_source, staging)
            (inbox / folder).mkdir()
            start = time.perf_counter()
            os.rename(staging, inbox / folder / "Đơn đăng ký.pdf")
            done = _wait_verdict(data / "intake.db", folder, start + size.settle + 30)
            results.append(done - start if done else float("inf"))
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    # The first file after start-up also starts the service's parser sandbox (once per run of the service);
    # the target is judged on the files after it, the steady state of a watcher that runs for weeks.
    steady = results[1:] or results
    worst = max(steady)
    return Row("latency", "", pages=f"{len(results)} × 1", seconds=worst,
               target=f"≤ settle {size.settle:g} s + 1 s", met=worst <= size.settle + 1.0,
               result=f"worst after the first; first after start-up {results[0]:.2f} s; each: "
                      + ", ".join(f"{r:.2f}" for r in results) + " s",
               extra={"latencies": results, "settle": size.settle})


# ---- (6) rescan --------------------------------------------------------------------------------------


class _FileAudit:
    """Counts, while on, files (not folders) opened below a folder and processes started (Python audit events)."""

    def __init__(self, folder: Path) -> None:
        self.folder = os.fsencode(str(folder.resolve()))
        self.on = False
        self.opened: list[str] = []
        self.processes = 0
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.on:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            if flags & os.O_DIRECTORY:
                return  # a folder opened to walk the inbox (openat, never following a link): no file read
            name = os.fsencode(os.fspath(args[0]))
            # A relative name is opened in a folder of the walk (os.open(…, dir_fd=…)): counted as in the inbox.
            if not os.path.isabs(name) or os.path.abspath(name).startswith(self.folder):
                self.opened.append(os.fsdecode(name))
        elif event in ("subprocess.Popen", "os.posix_spawn", "os.exec"):
            self.processes += 1


def rescan(corpus: corpora.Corpus, size: corpora.Size, workers: int, scratch: Path) -> Row:
    """A watch-mode full pass (in this process) over an inbox whose every file `intake scan` ingested: stats only."""
    from intake.pipeline import scan

    inbox, data = corpus.rescan_inbox, scratch / "rescan-data"
    files = sum(1 for p in inbox.rglob("*") if p.is_file())
    ingest = _scan(inbox, data, workers)
    audit = _FileAudit(inbox)
    ctx = _context(inbox, data, workers)
    try:
        audit.on = True
        start = time.perf_counter()
        again = scan(ctx)
        seconds = time.perf_counter() - start
        audit.on = False
    finally:
        _close(ctx)
    ok = seconds <= TARGET_RESCAN_SECONDS and not audit.opened and not audit.processes and again.extracted == 0
    return Row("rescan", "", pages=f"{files} files", seconds=seconds,
               target=f"≤ {TARGET_RESCAN_SECONDS:g} s, no file opened, no OCR", met=ok,
               result=f"{len(audit.opened)} files opened, {audit.processes} processes started, {again.received} "
                      f"received, {again.extracted} read (ingesting them took {ingest.seconds:.1f} s)")


# ---- (7) memory of a long scan -----------------------------------------------------------------------


def memory(corpus: corpora.Corpus, workers: int, scratch: Path, bare: Row | None) -> Row:
    """`intake scan` of one dossier holding one long scanned PDF: peak memory of the whole process tree."""
    if corpus.long_scan is None:
        return Row("memory", "", result="not run: full size only")
    data = scratch / "memory-data"
    run = _scan(corpus.long_scan.parent.parent, data, workers)
    pages = len(_ocr_pages(data / "intake.db"))
    rate = pages / run.seconds
    return Row("memory", "", pages=str(pages), seconds=run.seconds, rate=rate, cpu_per_page=run.cpu / max(pages, 1),
               vs_bare=rate / bare.rate if bare and bare.rate else None, peak_rss=run.peak_rss, peak_pss=run.peak_pss,
               others=_share(run.others, run.seconds),
               target=f"≤ {TARGET_PEAK_RSS_MB:.0f} MB", met=run.peak_rss / MB <= TARGET_PEAK_RSS_MB)


# ---- (8) OCR that no rule reads ----------------------------------------------------------------------


def _verdict(files: list, rules, received_at) -> dict:  # type: ignore[no-untyped-def, type-arg]
    from intake.judging.classify import classify_dossier
    from intake.judging.completeness import evaluate
    from intake.desk.report import verdict_record

    return verdict_record(evaluate(files, classify_dossier(files, rules), rules, received_at=received_at))


def unread(data: Path, baseline: dict[tuple[str, str, int], tuple[float, str]]) -> Row:
    """Pages whose text no rule needs: blanking any one of them leaves the verdict and all its evidence as is.

    Weighted by each page's own Tesseract CPU time in the bare baseline."""
    from intake.judging.rules import load_rules
    from intake.store import Store

    rules = load_rules()
    store = Store(data / "intake.db")
    unread_pages = total_pages = 0
    unread_cpu = total_cpu = 0.0
    try:
        for dossier in store.dossiers.all():
            files = store.dossiers.received_files(dossier.id)
            reference = _verdict(files, rules, dossier.received_at)
            for i, file in enumerate(files):
                for j, page in enumerate(file.extraction.pages):
                    if page.method != "ocr":
                        continue
                    cpu = baseline.get((dossier.folder, file.path, page.number), (0.0, ""))[0]
                    total_pages += 1
                    total_cpu += cpu
                    blank = dataclasses.replace(page, text="")
                    pages = file.extraction.pages[:j] + (blank,) + file.extraction.pages[j + 1:]
                    changed = dataclasses.replace(file, extraction=dataclasses.replace(file.extraction, pages=pages))
                    if _verdict(files[:i] + [changed] + files[i + 1:], rules, dossier.received_at) == reference:
                        unread_pages += 1
                        unread_cpu += cpu
    finally:
        store.close()
    share = unread_cpu / total_cpu if total_cpu else 0.0
    return Row("unread", "", pages=f"{unread_pages} of {total_pages}", seconds=unread_cpu,
               result=f"{share:.0%} of OCR CPU time", extra={"share": share})


# ---- table -------------------------------------------------------------------------------------------


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def table(rows: list[Row]) -> str:
    head = ("#", "measurement", "pages", "seconds", "pages/s", "CPU s/page", "× bare", "× limit", "× OCRmyPDF",
            "peak RSS / PSS MB", "target", "met", "notes")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for n, row in enumerate(rows, 1):
        cells = (
            str(n), row.label, row.pages or "—", _cell(row.seconds, ".2f"), _cell(row.rate, ".2f"),
            _cell(row.cpu_per_page, ".2f"), _cell(row.vs_bare, ".2f"), _cell(row.vs_limit, ".2f"),
            _cell(row.vs_ocrmypdf, ".2f"),
            f"{row.peak_rss / MB:.0f} / {_cell(row.peak_pss and row.peak_pss / MB, '.0f')}" if row.peak_rss else "—",
            row.target or "—",
            {True: "yes", False: "**no**", None: "—"}[row.met], row.result or "—",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown")
    ram = next(int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                               check=False).stdout.splitlines()
    return {"nproc": os.cpu_count(), "cores_usable": measure.cores(), "cpu": model,
            "ram_gib": round(ram / 1024**3, 1), "tesseract": tesseract[0] if tesseract else "?",
            "python": platform.python_version(), "kernel": platform.release()}


def report(size: corpora.Size, info: dict[str, Any], rows: list[Row], load: tuple[str, str], workers: int,
           started: dt.datetime, elapsed: float) -> str:
    title = (f"intake benchmark, size {size.name}, {started:%Y-%m-%d %H:%M} ({elapsed / 60:.1f} min in all), "
             f"{workers} workers")
    where = (f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gib']} GiB RAM, {info['tesseract']}, "
             f"Python {info['python']}; load average before {load[0]}, after {load[1]}")
    legend = (
        "Pages/s of the OCR rows: OCR'd pages per wall-clock second, start-up included; × columns: ratios of "
        "those throughputs within the same set of pages (bare: one `tesseract` process per page; limit: one loaded "
        "engine per core, nothing else). CPU s/page: CPU time of every process involved (waited-for ones) per page. Peak "
        "RSS sums the resident memory of every process of the tree, shared pages counted in each (the target's "
        "measure, an upper bound); PSS shares them out. Last row: pages whose text changes neither the verdict "
        "nor any of its evidence when blanked, weighted by their bare-Tesseract CPU time."
    )
    return "\n".join([title, where, "", table(rows), "", legend])


def from_runs(path: Path, size: corpora.Size, workers: int) -> int:
    """The table of the runs a `<size>-runs.jsonl` recorded (each row the mean of its runs), e.g. of a run cut
    short before its table was printed."""
    runs: dict[str, list[Row]] = {}
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for m in lines:
        pages = round(m["seconds"] * m["rate"]) if m.get("rate") else None
        runs.setdefault(m["key"], []).append(Row(
            m["key"], "", pages=str(pages or ""), seconds=m["seconds"], rate=m["rate"],
            cpu_per_page=m["cpu_per_page"], peak_rss=(m.get("peak_rss_mb") or 0) * MB or None,
            peak_pss=(m.get("peak_pss_mb") or 0) * MB or None,
            others=m.get("others"), result=m.get("result") or ""))
    done: dict[str, Row] = {}
    for key, measured in runs.items():
        _mean_of_runs(measured[0], measured[1:], "runs")
        done[key] = measured[0]
    compare(done)
    rows = [dataclasses.replace(done.get(key) or Row(key, "", result="not run"), label=label) for key, label in ROWS]
    started = dt.datetime.fromisoformat(lines[0]["at"]) if lines else dt.datetime.now()
    ended = dt.datetime.fromisoformat(lines[-1]["at"]) if lines else started
    loads = (lines[0]["load"], lines[-1]["load"]) if lines else ("?", "?")
    print(report(size, machine(), rows, loads, workers, started, (ended - started).total_seconds()))
    return 0


def compare(done: dict[str, Row]) -> None:
    """Fill in each row's ratios to the rows of its set, the share other jobs took, and the service's targets."""
    for kind, prefix in SETS.items():
        bare, limit_row, ocrmypdf_row = (done.get(prefix + name) for name in ("bare", "limit", "ocrmypdf"))
        members = {prefix + name for name in ("bare", "limit", "ocrmypdf", "service")}
        if kind == "dense":
            members.add("memory")
        for row in done.values():
            if not row.rate or row.key not in members:
                continue
            if bare and bare.rate:
                row.vs_bare = row.rate / bare.rate
            if limit_row and limit_row.rate and row.key in (prefix + "service", "memory", prefix + "bare"):
                row.vs_limit = row.rate / limit_row.rate
            if ocrmypdf_row and ocrmypdf_row.rate:
                row.vs_ocrmypdf = row.rate / ocrmypdf_row.rate
    for row in done.values():
        if row.others is not None and row.others >= 0.02:
            row.result = "; ".join(filter(None, [row.result, f"other jobs took {row.others:.0%} of the CPUs"]))
    for kind, prefix in SETS.items():
        service, bare, limit_row = (done.get(prefix + name) for name in ("service", "bare", "limit"))
        if not service:
            continue
        for base, name in ((bare, "bare"), (limit_row, "limit")):
            if base and base.rate and service.rate and service.others is not None and base.others is not None:
                # What the ratio would be had both runs had the same CPUs to themselves (assuming throughput
                # proportional to the CPU share left): on a shared machine, the fairer comparison.
                fair = (service.rate / max(1 - service.others, 0.05)) / (base.rate / max(1 - base.others, 0.05))
                service.extra[f"vs_{name}_same_cpus"] = fair
                service.result += f"; × {name} on equal CPUs ≈ {fair:.2f}"
        service.target = (f"≥ {TARGET_VS_BARE[kind]:g}× bare, ≥ {TARGET_VS_LIMIT:g}× limit, "
                          f"≥ {TARGET_VS_OCRMYPDF:g}× OCRmyPDF")
        checks = [v >= t for v, t in ((service.vs_bare, TARGET_VS_BARE[kind]), (service.vs_limit, TARGET_VS_LIMIT),
                                      (service.vs_ocrmypdf, TARGET_VS_OCRMYPDF)) if v is not None]
        service.met = all(checks) if checks else None


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(corpora.SIZES), default="small")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="corpus, scratch and results (git-ignored)")
    parser.add_argument("--workers", type=int, default=measure.cores(), help="OCR processes (default: cores)")
    parser.add_argument("--only", default=",".join(k for k, _ in ROWS),
                        help="comma-separated rows to run: " + ",".join(k for k, _ in ROWS))
    parser.add_argument("--fresh", action="store_true", help="regenerate the corpus even if one is kept")
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of the scanned intake, each between two bare-Tesseract runs "
                             "(default: 2 at full size, else 1)")
    parser.add_argument("--from-runs", type=Path, default=None,
                        help="print the table of the runs recorded in a <size>-runs.jsonl (a run cut short)")
    parser.add_argument("--profile", action="store_true",
                        help="instead of the table: profile the scanned intake with py-spy, write the top")
    args = parser.parse_args(argv)
    size = corpora.SIZES[args.size]
    if args.repeat is None:
        args.repeat = 2 if size.name == "full" else 1
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus = corpora.build(out, size, fresh=args.fresh, log=lambda m: print(m, file=sys.stderr))
    scratch = out / f"scratch-{size.name}"
    if args.profile:
        import profile_top

        text = profile_top.profile_scan(_intake("scan", "--inbox", str(corpus.scanned_inbox), "--data",
                                                str(_fresh(scratch / "profile-data")), "--now", NOW,
                                                "--workers", str(args.workers)), out / f"profile-{size.name}")
        print(text)
        return 0

    if args.from_runs:
        return from_runs(args.from_runs, size, args.workers)
    wanted = set(args.only.split(","))
    # The package's bytecode compiled, as an installed package has it: from an editable install with
    # PYTHONDONTWRITEBYTECODE set (as on this machine), every `intake` process and OCR worker would otherwise
    # compile its modules again (~0.1 s of the service's start-up, ~0.03 s a worker).
    import compileall
    import intake

    compileall.compile_dir(Path(intake.__file__).parent, quiet=1)
    # The in-process measurements use the package as the `intake` processes do: import it all now, once.
    import intake.pipeline
    import intake.store  # noqa: F401
    started, t0, load_before = dt.datetime.now(), time.perf_counter(), _load()
    done: dict[str, Row] = {}

    measured_so_far: list[dict[str, Any]] = []

    def progress(row: Row) -> None:
        """Each run as soon as it is measured, to stderr and `<size>-runs.jsonl`: a run cut short keeps them."""
        line = {"key": row.key, "seconds": row.seconds, "rate": row.rate, "cpu_per_page": row.cpu_per_page,
                "peak_rss_mb": (row.peak_rss or 0) // MB, "peak_pss_mb": (row.peak_pss or 0) // MB,
                "others": row.others, "result": row.result,
                "load": _load(), "at": dt.datetime.now().isoformat(timespec="seconds")}
        measured_so_far.append(line)
        print(f"  {json.dumps(line, ensure_ascii=False)}", file=sys.stderr, flush=True)
        (out / f"{size.name}-runs.jsonl").write_text(
            "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in measured_so_far), encoding="utf-8")

    def step(key: str, work: Callable[[], Row]) -> None:
        if key in wanted:
            print(f"measuring: {dict(ROWS)[key]} …", file=sys.stderr, flush=True)
            try:
                done[key] = work()
            except Exception as exc:  # noqa: BLE001 - one failed measurement must not lose the others
                traceback.print_exc()
                done[key] = Row(key, "", result=f"failed: {type(exc).__name__}: {exc}"[:200])
            progress(done[key])

    baselines: dict[str, dict[tuple[str, str, int], tuple[float, str]]] = {kind: {} for kind in SETS}
    service_data: list[Path] = []
    for kind, prefix in SETS.items():
        if kind == "sparse" and corpus.sparse_inbox is None:
            continue
        runs: dict[str, list[Row]] = {"bare": [], "limit": [], "service": []}

        def once(name: str, n: int, kind: str = kind, prefix: str = prefix,
                 runs: dict[str, list[Row]] = runs) -> None:
            key = prefix + name
            if key not in wanted:
                return
            print(f"measuring: {dict(ROWS)[key]} (run {n + 1} of {args.repeat}) …", file=sys.stderr, flush=True)
            try:
                if name == "bare":
                    row, per_page = bare_tesseract(corpus, args.workers, kind)
                    if not baselines[kind]:
                        baselines[kind].update(per_page)
                elif name == "limit":
                    row = limit(corpus, args.workers, scratch, kind)
                else:
                    row, data = service_scanned(corpus, args.workers, scratch, baselines[kind], kind)
                    if kind == "dense" and not service_data:
                        service_data.append(data)
                runs[name].append(row)
            except Exception as exc:  # noqa: BLE001 - one failed measurement must not lose the others
                traceback.print_exc()
                runs[name].append(Row(key, "", result=f"failed: {type(exc).__name__}: {exc}"[:200]))
            progress(runs[name][-1])

        # The machine's speed drifts during a run (other jobs, other virtual machines on the host): the three
        # rows of a set run interleaved, `--repeat` times, in alternating order (bare, limit, service, then
        # service, limit, bare, …), and each is the mean of its runs: all three saw the same machine on average.
        for n in range(args.repeat):
            for name in (("bare", "limit", "service") if n % 2 == 0 else ("service", "limit", "bare")):
                once(name, n)
        for name, measured in runs.items():
            if measured:
                _mean_of_runs(measured[0], measured[1:], "runs, interleaved with the other rows of this set")
                done[prefix + name] = measured[0]
        step(prefix + "ocrmypdf", lambda kind=kind: ocrmypdf(corpus, args.workers, scratch, kind))
    step("digital", lambda: digital(corpus, args.workers, scratch))
    step("latency", lambda: latency(corpus, size, args.workers, scratch))
    step("rescan", lambda: rescan(corpus, size, args.workers, scratch))
    step("memory", lambda: memory(corpus, args.workers, scratch, done.get("bare")))
    if "unread" in wanted:
        if service_data and baselines["dense"]:
            step("unread", lambda: unread(service_data[0], baselines["dense"]))
        else:
            done["unread"] = Row("unread", "", result="not run: needs the bare and service rows")

    compare(done)
    rows = [dataclasses.replace(done.get(key) or Row(key, "", result="not run (--only)"), label=label)
            for key, label in ROWS]
    text = report(size, machine(), rows, (load_before, _load()), args.workers, started, time.perf_counter() - t0)
    print(text)
    (out / f"{size.name}.md").write_text(text + "\n", encoding="utf-8")
    (out / f"{size.name}.json").write_text(json.dumps(
        {"size": dataclasses.asdict(size), "started": started.isoformat(), "machine": machine(),
         "rows": [dataclasses.asdict(r) for r in rows]}, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
