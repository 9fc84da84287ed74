"""The orchestrator: inbox → receipt → text → classification → verdict → notices. No business rules here."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import inbox
from .archive import archive_file, archive_path
from .classify import classify_dossier
from .completeness import evaluate
from .extract import OcrEngine, OcrJob, extract_text
from .models import Page, RuleSet, Verdict
from .notices import deficiency_hash, notice_request, render_deficiency_notice
from .report import verdict_record
from .settings import Settings
from .store import DossierRow, Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class Context:
    """What one running service holds: settings, rules, the store, the clock and the engines."""

    settings: Settings
    rules: RuleSet
    store: Store
    clock: Clock
    ocr: OcrEngine
    ocr_pool: ThreadPoolExecutor = field(init=False)
    file_pool: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        # Each OCR job runs one single-threaded Tesseract process: `workers` of them at once keep every core
        # busy. Files are read by more threads than that so that one long PDF never idles the other cores.
        self.ocr_pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="ocr")
        self.file_pool = ThreadPoolExecutor(self.settings.workers * 2, thread_name_prefix="file")

    def run_jobs(self, jobs: Sequence[OcrJob]) -> list[Page]:
        """Run one file's OCR jobs in the shared OCR pool, keeping page order."""
        return list(self.ocr_pool.map(lambda job: job(), jobs))

    def close(self) -> None:
        self.file_pool.shutdown(wait=True, cancel_futures=True)
        self.ocr_pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class ScanSummary:
    """What one pass over the inbox did."""

    received: int
    """File versions newly received."""
    extracted: int
    """Distinct contents read (OCR'd or parsed)."""
    evaluated: int
    """Dossiers judged."""
    notices: int
    """Notices written."""


def scan(
    ctx: Context,
    *,
    folders: set[str] | None = None,
    evaluate_all: bool = False,
    ready: Callable[[inbox.Candidate], bool] = lambda candidate: True,
) -> ScanSummary:
    """One pass: receive changed files, read new contents, judge touched dossiers, write due notices."""
    candidates = [c for c in changed_files(ctx, folders) if ready(c)]
    touched = receive(ctx, candidates)
    extracted, waiting = extract_pending(ctx)
    dossiers = ctx.store.dossiers() if evaluate_all else [
        d for d in ctx.store.dossiers() if d.id in touched | waiting
    ]
    verdicts = [(d, judge(ctx, d)) for d in dossiers]
    notices = sum(notify(ctx, d, v) for d, v in verdicts)
    return ScanSummary(len(candidates), extracted, len(verdicts), notices)


def changed_files(ctx: Context, folders: set[str] | None = None) -> list[inbox.Candidate]:
    """Inbox files whose size or mtime differ from the version on record (a stat, never a read)."""
    known = ctx.store.known_stats()
    return [
        c for c in inbox.discover(ctx.settings.inbox)
        if (folders is None or c.dossier in folders) and known.get((c.dossier, c.path)) != (c.size, c.mtime_ns)
    ]


def receive(ctx: Context, candidates: list[inbox.Candidate]) -> set[int]:
    """Archive each file and record its receipt (time = the service clock now), in discovery order."""
    touched = set()
    for candidate in candidates:
        received_at = ctx.clock()
        try:
            sha256, _, _ = archive_file(candidate.location, ctx.settings.archive)
        except OSError as exc:
            # Vanished or unreadable right now: the next pass sees it again (nothing is marked as seen).
            log.warning("could not archive a file of dossier %r: %s", candidate.dossier, exc)
            continue
        dossier_id = ctx.store.receive_file(
            folder=candidate.dossier, path=candidate.path, sha256=sha256, size=candidate.size,
            mtime_ns=candidate.mtime_ns, received_at=received_at,
            receipt_pattern=ctx.rules.campaign.receipt_pattern,
        )
        log.info("received dossier=%d sha256=%s", dossier_id, sha256[:12])
        touched.add(dossier_id)
    return touched


def extract_pending(ctx: Context) -> tuple[int, set[int]]:
    """Read every received content not yet read (from its archive copy), in parallel; cache by SHA-256."""
    pending = ctx.store.pending_extractions()
    futures: dict[str, Future] = {
        sha256: ctx.file_pool.submit(
            extract_text, archive_path(ctx.settings.archive, sha256), ocr=ctx.ocr, run=ctx.run_jobs,
            limits=ctx.settings.limits,
        )
        for sha256 in pending
    }
    for sha256, future in futures.items():
        extraction = future.result()
        ctx.store.save_extraction(sha256, extraction, ctx.clock())
        outcome = extraction.problem.code if extraction.problem else f"{len(extraction.pages)} pages"
        log.info("extracted sha256=%s kind=%s %s", sha256[:12], extraction.kind, outcome)
    return len(futures), {d for dossier_ids in pending.values() for d in dossier_ids}


def judge(ctx: Context, dossier: DossierRow) -> Verdict:
    """Classify a dossier's files, evaluate completeness and store the verdict with its deficiency history."""
    files = ctx.store.received_files(dossier.id)
    matches = classify_dossier(files, ctx.rules)
    verdict = evaluate(files, matches, ctx.rules, received_at=dossier.received_at)
    opened, resolved = ctx.store.save_verdict(
        dossier.id, verdict, verdict_record(verdict), deficiency_hash(verdict.deficiencies), ctx.clock()
    )
    log.info("dossier=%d %s: %d deficiencies (+%d -%d)", dossier.id, verdict.status,
             len(verdict.deficiencies), len(opened), len(resolved))
    return verdict


_UNSAFE = re.compile(r"[^\w.-]+")


def notify(ctx: Context, dossier: DossierRow, verdict: Verdict) -> int:
    """Write a deficiency notice to the outbox when the set of deficiencies changed; never breaks intake."""
    if verdict.status == "complete" and not verdict.deficiencies:
        return 0
    content_hash = deficiency_hash(verdict.deficiencies)
    if ctx.store.last_notice_hash(dossier.id, "deficiency") == content_hash:
        return 0
    try:
        issued_at = ctx.clock()
        request = notice_request(dossier.receipt_no, dossier.folder, dossier.received_at, verdict, issued_at)
        document = render_deficiency_notice(request, ctx.rules)
        folder = ctx.settings.outbox / dossier.folder
        folder.mkdir(parents=True, exist_ok=True)
        number = len([n for n in ctx.store.notices(dossier.id) if n["kind"] == "deficiency"]) + 1
        name = f"{_UNSAFE.sub('-', dossier.receipt_no)}-yeu-cau-bo-sung-{number}.docx"
        _write_atomically(folder / name, document)
        ctx.store.add_notice(dossier.id, "deficiency", content_hash, str(Path(dossier.folder) / name), issued_at)
    except Exception:  # noqa: BLE001 - a failing notice must never stop intake; it is retried next pass
        log.exception("notice for dossier=%d could not be written", dossier.id)
        return 0
    log.info("notice written dossier=%d", dossier.id)
    return 1


def _write_atomically(path: Path, content: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(path)
