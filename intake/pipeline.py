"""The orchestrator: inbox → receipt → text → classification → verdict → notices. No business rules here."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from .receiving import inbox
from .desk import publish
from .receiving import archive_file, archive_path
from .judging import classify_dossier
from .judging import evaluate
from .reading import OcrEngine, OcrJob, extract_text, page_image
from .notices import DeliverySummary
from .models import Page, Verdict
from .judging import RuleSet
from .notices import deficiency_hash
from .notices import deliver_notices, issue_notices
from .judging import read_dossier
from .notices import new_day, send_reminders
from .desk import verdict_record
from .judging import SEAL_DPI
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
    changed: frozenset[str] = frozenset()
    """Dossier folders that received a file in this pass."""
    deferred: frozenset[str] = frozenset()
    """Dossier folders judged whose notice waits until the dossier has settled."""


def _never() -> bool:
    return False


def scan(
    ctx: Context,
    *,
    folders: set[str] | None = None,
    evaluate_all: bool = False,
    judge_folders: frozenset[str] | set[str] = frozenset(),
    ready: Callable[[inbox.Candidate], bool] = lambda candidate: True,
    notify_ready: Callable[[DossierRow], bool] = lambda dossier: True,
    stopping: Callable[[], bool] = _never,
) -> ScanSummary:
    """One pass: receive changed files, read new contents, judge touched dossiers, write due notices.

    `ready` holds back files still being written; `notify_ready` holds back notices of dossiers still
    being added to; `stopping` ends the pass early (what is left is picked up by the next one)."""
    candidates = [c for c in changed_files(ctx, folders) if ready(c)]
    touched = receive(ctx, candidates, stopping)
    pending = ctx.store.dossiers.pending_extractions()
    requested = ctx.store.verdicts.rejudge_requests()  # officers' decisions recorded since the last pass
    unread = Counter(d for dossier_ids in pending.values() for d in dossier_ids)  # dossier → contents unread
    dossiers = [
        d for d in ctx.store.dossiers.all()
        if evaluate_all or d.id in touched or unread[d.id] or d.folder in judge_folders or d.id in requested
    ]
    # Each dossier is judged, and its due notices written, as soon as its last unread content is read, while
    # the other files are still being read: this process's work overlaps the parsing and OCR (other processes).
    judged: dict[int, Verdict] = {}
    notified: set[int] = set()
    notices = 0

    def judge_ready() -> None:
        nonlocal notices
        for d in dossiers:
            if not unread[d.id] and d.id not in judged:
                judged[d.id] = judge(ctx, d)
                if notify_ready(d):
                    notified.add(d.id)
                    notices += notify(ctx, d, judged[d.id])

    judge_ready()
    extracted = 0
    for dossier_ids in extract_pending(ctx, pending, stopping):
        extracted += 1
        unread.subtract(dossier_ids)
        judge_ready()
    if stopping():
        return ScanSummary(len(candidates), extracted, len(judged), notices)
    verdicts = [(d, judged[d.id]) for d in dossiers]
    ctx.store.verdicts.clear_rejudge(requested)
    notices += remind(ctx, notify_ready)
    deliver(ctx)
    verdicts_changed = any(d.verdict != verdict_record(v) for d, v in verdicts)
    another_day = new_day(ctx.store, ctx.rules, ctx.clock())  # the reports' days left change at midnight
    if (candidates or extracted or notices or requested or verdicts_changed or another_day
            or publish.reports_missing(ctx.settings.reports)):
        write_reports(ctx)
    return ScanSummary(
        received=len(candidates),
        extracted=extracted,
        evaluated=len(verdicts),
        notices=notices,
        changed=frozenset(d.folder for d in dossiers if d.id in touched),
        deferred=frozenset(d.folder for d, _ in verdicts if d.id not in notified),
    )


def changed_files(ctx: Context, folders: set[str] | None = None) -> list[inbox.Candidate]:
    """Inbox files whose size or mtime differ from the version on record (a stat, never a read)."""
    known = ctx.store.dossiers.known_stats()
    return [
        c for c in inbox.discover(ctx.settings.inbox)
        if (folders is None or c.dossier in folders) and known.get((c.dossier, c.path)) != (c.size, c.mtime_ns)
    ]


def receive(ctx: Context, candidates: list[inbox.Candidate], stopping: Callable[[], bool] = _never) -> set[int]:
    """Archive each file and record its receipt (time = the service clock now), in discovery order."""
    touched = set()
    for candidate in candidates:
        if stopping():
            break
        received_at = ctx.clock()
        try:
            sha256, _, _ = archive_file(candidate.location, ctx.settings.archive)
        except OSError as exc:
            # Vanished or unreadable right now: the next pass sees it again (nothing is marked as seen).
            log.warning("could not archive a file of dossier %r: %s", candidate.dossier, exc)
            continue
        dossier_id = ctx.store.dossiers.receive_file(
            folder=candidate.dossier, path=candidate.path, sha256=sha256, size=candidate.size,
            mtime_ns=candidate.mtime_ns, received_at=received_at,
            receipt_pattern=ctx.rules.campaign.receipt_pattern,
        )
        log.info("received dossier=%d sha256=%s", dossier_id, sha256[:12])
        touched.add(dossier_id)
    return touched


def extract_pending(ctx: Context, pending: dict[str, list[int]],
                    stopping: Callable[[], bool] = _never) -> Iterator[list[int]]:
    """Read the `pending` contents (SHA-256 → dossiers; from their archive copies) in parallel and cache each by
    its hash; yields, as each is saved, the dossiers that were waiting for it. Stops early when `stopping`."""
    futures: dict[str, Future] = {
        sha256: ctx.file_pool.submit(
            extract_text, archive_path(ctx.settings.archive, sha256), ocr=ctx.ocr, run=ctx.run_jobs,
            limits=ctx.settings.limits,
        )
        for sha256 in pending
    }
    for sha256, future in futures.items():
        if stopping():
            # Unsaved contents stay pending in the store and are read again after the restart.
            for other in futures.values():
                other.cancel()
            return
        extraction = future.result()
        ctx.store.dossiers.save_extraction(sha256, extraction, ctx.clock())
        outcome = extraction.problem.code if extraction.problem else f"{len(extraction.pages)} pages"
        log.info("extracted sha256=%s kind=%s %s", sha256[:12], extraction.kind, outcome)
        yield pending[sha256]


def judge(ctx: Context, dossier: DossierRow) -> Verdict:
    """Classify a dossier's files, evaluate completeness and store the verdict with its deficiency history."""
    files = ctx.store.dossiers.received_files(dossier.id)
    matches = classify_dossier(files, ctx.rules)
    overrides = ctx.store.decisions.active_overrides(dossier.id)
    verdict = evaluate(files, matches, ctx.rules, received_at=dossier.received_at, overrides=overrides)
    verdict = read_dossier(dossier.id, files, verdict, ctx.rules, store=ctx.store, overrides=overrides,
                           archive=partial(archive_path, ctx.settings.archive), at=ctx.clock(),
                           page_image=partial(page_image, dpi=SEAL_DPI, limits=ctx.settings.limits))
    opened, resolved = ctx.store.verdicts.save_verdict(
        dossier.id, verdict, verdict_record(verdict), deficiency_hash(verdict.deficiencies), ctx.clock()
    )
    log.info("dossier=%d %s: %d deficiencies (+%d -%d)", dossier.id, verdict.status,
             len(verdict.deficiencies), len(opened), len(resolved))
    return verdict


def notify(ctx: Context, dossier: DossierRow, verdict: Verdict, *, settled: bool = True) -> int:
    """Write the notices now due for a dossier to the outbox (receipt, deficiency notice when its deficiencies
    changed, notice that it is complete, or refusal), only once it has `settled`; never breaks intake."""
    if not settled:
        return 0
    try:
        return issue_notices(ctx.store, ctx.settings.outbox, ctx.rules, dossier, verdict, issued_at=ctx.clock(),
                             email=ctx.settings.mail is not None)
    except Exception:  # noqa: BLE001 - a failing notice must never stop intake; it is due again next pass
        log.exception("notices for dossier=%d could not be written", dossier.id)
        return 0


def remind(ctx: Context, ready: Callable[[DossierRow], bool] = lambda dossier: True) -> int:
    """Write the reminders of the deadline due now (the campaign calendar) to the outbox, to be e-mailed with the
    other notices; dossiers not `ready` (still being added to) wait for a later pass. Never breaks intake."""
    try:
        return send_reminders(ctx.store, ctx.settings.outbox, ctx.rules, now=ctx.clock(),
                              email=ctx.settings.mail is not None,
                              held=lambda: frozenset(d.receipt_no for d in ctx.store.dossiers.all() if not ready(d)))
    except Exception:  # noqa: BLE001 - a failing reminder must never stop intake; it is due again next pass
        log.exception("reminders could not be written")
        return 0


def deliver(ctx: Context) -> DeliverySummary:
    """E-mail the notices due (when SMTP is configured), within the pass's time budget; failures are rows."""
    if ctx.settings.mail is None:
        return DeliverySummary()
    try:
        summary = deliver_notices(ctx.store, ctx.settings.outbox, ctx.rules, ctx.settings.mail, now=ctx.clock())
    except Exception:  # noqa: BLE001 - delivery must never stop intake; what is due stays due
        log.exception("notice delivery pass failed")
        return DeliverySummary()
    if summary != DeliverySummary():
        log.info("notices e-mailed: %d sent, %d retrying, %d unconfirmed, %d failed, %d without address, %d left",
                 summary.sent, summary.retrying, summary.unconfirmed, summary.failed, summary.waiting, summary.left)
    return summary


def write_reports(ctx: Context) -> None:
    """Rewrite the officers' reports in `<data>/reports/`; a failure is logged and never affects intake."""
    try:
        publish.write_reports(ctx.store, ctx.rules, ctx.settings.reports, ctx.clock())
    except Exception:  # noqa: BLE001 - reports are a view: the next change rewrites them
        log.exception("reports could not be written")


def apply_decisions(ctx: Context) -> list[tuple[DossierRow, Verdict]]:
    """Judge again the dossiers officers' decisions touched, write due notices and the reports."""
    requested = ctx.store.verdicts.rejudge_requests()
    verdicts = [(d, judge(ctx, d)) for d in ctx.store.dossiers.all() if d.id in requested]
    ctx.store.verdicts.clear_rejudge(requested)
    for dossier, verdict in verdicts:
        notify(ctx, dossier, verdict)
    write_reports(ctx)
    return verdicts
