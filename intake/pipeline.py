"""The orchestrator: inbox → receipt → text → classification → verdict → notices. No business rules here."""

from __future__ import annotations

import io
import itertools
import json
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from datetime import datetime
from functools import partial
from pathlib import Path

from .errors import AlreadyRunningError
from .receiving import inbox, lock
from .desk import publish
from .errors import check_free_space, is_disk_full, raise_if_full
from .receiving import Refused, archive_path, archive_stream, open_walked
from .judging import apply_assignments, classify_dossier
from .judging import evaluate
from .reading import OcrEngine, OcrJob, OcrWorkers, Tesseract, extract_text, page_image
from .notices import DeliverySummary
from .models import Extraction, Page, Verdict
from .judging import RuleSet
from .notices import deficiency_hash
from .notices import deliver_notices, issue_notices
from .judging import read_dossier
from .notices import new_day, send_reminders
from .desk import verdict_record
from .judging import SEAL_DPI
from .settings import Settings
from .store import DossierRow, Stat, Store

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
    ocr_workers: OcrWorkers | None = None
    """The OCR worker processes (None: made here; the service's commands start theirs before importing this)."""

    def __post_init__(self) -> None:
        # `workers` OCR worker processes, each with one single-threaded Tesseract engine loaded for good, keep
        # every core busy; an OCR thread per worker hands it pages from the files' shared queue. Files are read
        # by more threads than that so that one long PDF never idles the other cores.
        self.ocr_pool = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="ocr")
        self.file_pool = ThreadPoolExecutor(self.settings.workers * 2, thread_name_prefix="file")
        # An engine that is not a picklable description (a test's fake) reads in the OCR threads instead.
        if self.ocr_workers is None and isinstance(self.ocr, Tesseract):
            self.ocr_workers = OcrWorkers(self.settings.workers, self.ocr, self.ocr.page_limit)

    def read_page(self, job: OcrJob, ocr: OcrEngine) -> Page:
        """Read one page in this thread: on an OCR worker process (waiting for its answer), or here when the
        engine is not a Tesseract description (a test's fake)."""
        workers = self.ocr_workers
        if workers is None or not isinstance(ocr, Tesseract):
            return job.read(ocr)
        return workers.read(job, ocr)

    def close(self) -> None:
        self.file_pool.shutdown(wait=True, cancel_futures=True)
        self.ocr_pool.shutdown(wait=True, cancel_futures=True)
        if self.ocr_workers is not None:
            self.ocr_workers.close()


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
    mail_left: int = 0
    """Notices due that the pass's delivery left for the next pass (its time budget spent)."""


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
    found = inbox.discover(ctx.settings.inbox)
    changed = changed_files(ctx, folders, found)
    whole = [ready(c) for c in changed]
    candidates = [c for c, ok in zip(changed, whole) if ok]
    if writing := {c.dossier for c, ok in zip(changed, whole) if not ok}:
        log.info("%d file(s) still being written, left for the next pass; their dossiers' notices wait (audit 43)",
                 whole.count(False))
    if candidates and ctx.ocr_workers is not None:
        ctx.ocr_workers.start()  # their engines load while the files are received and parsed
    # Each new content is read as soon as it is archived, while the next files are being received.
    reading = Reading(ctx, stopping)
    folders, loose = inbox.top_level(ctx.settings.inbox)
    loose_changed = publish.note_loose_files(ctx.store, loose)
    still_there = partial(inbox.still_there, frozenset((c.dossier, c.path) for c in found),
                          folders | {c.dossier for c in found})
    touched = receive(ctx, candidates, stopping, arrived=reading.submit, still_there=still_there)
    ctx.store.dossiers.note_gone(still_there, ctx.clock())
    pending = ctx.store.pages.pending_extractions()
    requested = ctx.store.verdicts.rejudge_requests()  # officers' decisions recorded since the last pass
    unread = Counter(d for dossier_ids in pending.values() for d in dossier_ids)  # dossier → contents unread
    dossiers = [
        d for d in ctx.store.dossiers.all()
        if evaluate_all or d.id in touched or unread[d.id] or d.folder in judge_folders or d.id in requested
    ]
    # Each dossier is judged, and its due notices written, as soon as its last unread content is read, while
    # the other files are still being read: this process's work overlaps the parsing and OCR (other processes).
    judged: dict[int, Verdict] = {}
    failed: set[int] = set()
    notified: set[int] = set()
    notices = 0

    def judge_ready() -> None:
        nonlocal notices
        for d in dossiers:
            if not unread[d.id] and d.id not in judged and d.id not in failed:
                try:
                    judged[d.id] = judge(ctx, d)
                except Exception as exc:  # noqa: BLE001 - one dossier's failure never stops the others' intake
                    raise_if_full(exc, ctx.settings.data)  # not this dossier's failure: the pass stops
                    log.exception("dossier=%d could not be judged; it is judged again when it changes", d.id)
                    failed.add(d.id)
                    continue
                if d.folder not in writing and notify_ready(d):  # a notice would ask for what is on its way
                    notified.add(d.id)
                    notices += notify(ctx, d, judged[d.id])

    judge_ready()
    extracted = 0
    for dossier_ids in extract_pending(ctx, pending, stopping, reading):
        extracted += 1
        unread.subtract(dossier_ids)
        judge_ready()
    if stopping():
        return ScanSummary(len(candidates), extracted, len(judged), notices)
    verdicts = [(d, judged[d.id]) for d in dossiers if d.id in judged]
    ctx.store.verdicts.clear_rejudge({d: token for d, token in requested.items() if d not in failed})
    notices += remind(ctx, notify_ready)
    delivery = deliver(ctx, stopping)
    verdicts_changed = any(d.verdict != verdict_record(v) for d, v in verdicts)
    another_day = new_day(ctx.store, ctx.rules, ctx.clock())  # the reports' days left change at midnight
    # A notice e-mailed changes the register's delivery states (one a leader approved on the desk, audit 19).
    if (candidates or extracted or notices or requested or verdicts_changed or another_day or loose_changed
            or delivery != DeliverySummary() or publish.reports_stale(ctx.settings.reports)):
        write_reports(ctx)
    return ScanSummary(
        received=len(candidates),
        extracted=extracted,
        evaluated=len(verdicts),
        notices=notices,
        changed=frozenset(d.folder for d in dossiers if d.id in touched),
        deferred=frozenset(d.folder for d, _ in verdicts if d.id not in notified),
        mail_left=delivery.left,
    )


def changed_files(ctx: Context, folders: set[str] | None = None,
                  found: list[inbox.Candidate] | None = None) -> list[inbox.Candidate]:
    """Inbox files whose size, mtime, inode or ctime differ from the record (a stat, not a read); `found`: the walk."""
    found = inbox.discover(ctx.settings.inbox) if found is None else found
    known = ctx.store.inbox.known_stats()  # files received before their inode and ctime were kept
    if follow_renames(ctx, found, {folder for folder, _ in known}):
        known = ctx.store.inbox.known_stats()
    seen = ctx.store.inbox.seen_stats()
    return [c for c in found if (folders is None or c.dossier in folders) and _changed(c, seen, known)]


def follow_renames(ctx: Context, found: list[inbox.Candidate], known: set[str]) -> bool:
    """A new dossier folder holding every file (names and bytes) of a dossier whose folder vanished is that dossier
    renamed (an enterprise fixing a typo, and perhaps adding a file at the same time): recorded as a rename, its
    receipt kept, any further file received into it. A new folder sharing most names with a vanished one, and the
    size of one of them, but not all its bytes stays a new dossier, and the officers are told (log and event,
    once); names alone ("Don dang ky.pdf") link nothing. Reads files only when names and sizes already match.
    `known`: the dossier folders on record; returns whether a rename was recorded."""
    present = {c.dossier for c in found}
    new = sorted(present - known)
    vanished = [d for d in ctx.store.dossiers.all() if d.folder not in present] if new and known - present else []
    renamed = False
    for folder in new if vanished else ():
        files = [c for c in found if c.dossier == folder]
        for old in vanished:
            current = ctx.store.dossiers.current_files(old.id)
            if _same_files(ctx, files, current):
                ctx.store.dossiers.rename(old.id, old.folder, folder, ctx.clock())
                log.info("dossier=%d: its folder was renamed; receipt %s kept", old.id, old.receipt_no)
                vanished.remove(old)
                renamed = True
                break
            shared = [c for c in files if c.path in current]
            if (len(shared) * 2 > len(current) and any(c.size == current[c.path][1] for c in shared)
                    and ctx.store.dossiers.note_event(old.id, "possible_rename", folder, ctx.clock())):
                log.warning("dossier=%d: its folder vanished and a folder with most of its file names but other "
                            "files appeared; received as a new dossier (an officer should check)", old.id)
    return renamed


def _same_files(ctx: Context, files: list[inbox.Candidate], current: dict[str, tuple[str, int]]) -> bool:
    """Whether `files` hold every file of `current`, same names and same bytes (and perhaps more)."""
    files = [c for c in files if c.path in current]
    if not files or {c.path for c in files} != current.keys() or any(c.size != current[c.path][1] for c in files):
        return False
    for candidate in files:
        try:
            with open_walked(ctx.settings.inbox, candidate) as (src, _):
                sha256, _, _ = archive_stream(src, ctx.settings.archive)  # content-addressed: nothing new
        except OSError:
            return False
        if sha256 != current[candidate.path][0]:
            return False
    return True


def _changed(candidate: inbox.Candidate, seen: dict[tuple[str, str], Stat],
             known: dict[tuple[str, str], tuple[int, int]]) -> bool:
    """Whether a file differs from the version on record. A file received whole whose size, mtime and inode are
    the same, and that only gained a hard link (its ctime moved), is the same file: the link made elsewhere is
    refused there, never here (audit 30: another folder's link to it made the innocent dossier's file refused)."""
    key = (candidate.dossier, candidate.path)
    if key in seen:
        before = seen[key]
        return before != candidate.stat and not (candidate.nlink > 1 and before[:3] == candidate.stat[:3])
    return known.get(key) != (candidate.size, candidate.mtime_ns)


def receive(ctx: Context, candidates: list[inbox.Candidate], stopping: Callable[[], bool] = _never,
            arrived: Callable[[str], None] = lambda sha256: None,
            still_there: Callable[[str, str], bool] | None = None) -> set[int]:
    """Archive each file and record its receipt (time = the service clock now), in discovery order, telling
    `arrived` the hash of each content never read before; a file that fails is logged and left for the next
    pass, never stopping the others. `still_there(folder, path)`: whether a received file is still in the inbox
    (`inbox.still_there`), when known: the same bytes received here and gone from another dossier's folder were moved,
    and stop counting there."""
    touched = set()
    for candidate in candidates:
        if stopping():
            break
        try:
            dossier_id, sha256 = receive_one(ctx, candidate)
            touched.add(dossier_id)
            # The same bytes gone from another dossier's folder were moved here, not copied: that dossier is
            # judged again without them.
            if still_there is not None:
                touched.update(ctx.store.dossiers.move_out(sha256, into=dossier_id, present=still_there,
                                                            at=ctx.clock()))
            if not ctx.store.pages.extracted(sha256):
                arrived(sha256)
        except OSError as exc:
            raise_if_full(exc, ctx.settings.data)  # no file can be received: the pass stops here, not per file
            # Vanished, moved or unreadable right now: the next pass sees it again (nothing is marked as seen).
            log.warning("could not archive a file of dossier %r: %s", candidate.dossier, exc.strerror or exc)
        except Exception as exc:  # noqa: BLE001 - one dossier's failure never stops the others' intake
            raise_if_full(exc, ctx.settings.data)
            log.exception("could not receive a file of dossier %r", candidate.dossier)
    return touched


def receive_one(ctx: Context, candidate: inbox.Candidate) -> tuple[int, str]:
    """Archive one file, opened exactly as it was walked, and record it; a file with other hard links or a symbolic
    link is recorded unread with its deficiency (`Refused.problem`). Returns the dossier id and the hash of what was
    archived."""
    received_at = ctx.clock()
    try:
        with open_walked(ctx.settings.inbox, candidate) as (src, info):
            sha256, size, _ = archive_stream(src, ctx.settings.archive)
        stat = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
    except Refused as refused:
        # Never read: a placeholder naming the refusal is archived in its place (its own hash, so exports and the
        # archive stay whole) with its reading already known, so nothing ever extracts it.
        code = refused.problem.code
        placeholder = f"intake: refused unread ({code})\n{candidate.dossier}/{candidate.path}\n".encode()
        sha256, size, _ = archive_stream(io.BytesIO(placeholder), ctx.settings.archive)
        stat = candidate.stat
        ctx.store.pages.save_extraction(sha256, Extraction("refused", (), refused.problem), received_at)
        log.warning("refused a file in dossier %r: %s", candidate.dossier, refused.problem.code)
    with ctx.store.transaction():  # the receipt, the stat it was taken at and its events: one commit
        dossier_id = ctx.store.dossiers.receive_file(
            folder=candidate.dossier, path=candidate.path, sha256=sha256, size=size,
            mtime_ns=stat[1], received_at=received_at,
            receipt_pattern=ctx.rules.campaign.receipt_pattern,
        )
        ctx.store.inbox.record_stat(candidate.dossier, candidate.path, stat)
        ctx.store.inbox.record_activity({candidate.dossier}, time.time())
        if candidate.twin_of is not None:
            ctx.store.dossiers.note_event(dossier_id, "file_twin", json.dumps(
                {"file": candidate.path, "twin_of": candidate.twin_of}, ensure_ascii=False), ctx.clock())
    if candidate.twin_of is not None:
        log.warning("dossier=%d: a file named like another but for Unicode normalisation (NFC/NFD) was received "
                    "under a distinct name", dossier_id)
    log.info("received dossier=%d sha256=%s", dossier_id, sha256[:12])
    return dossier_id, sha256


class Reading:
    """The contents of one pass being read in parallel (file threads, OCR threads): each hash submitted once,
    as soon as it is archived or found unread; `extract_pending` saves them."""

    def __init__(self, ctx: Context, stopping: Callable[[], bool] = _never) -> None:
        self.ctx = ctx
        self.stopping = stopping
        self.futures: dict[str, Future] = {}

    def submit(self, sha256: str) -> None:
        """Start reading a content from its archive copy (no-op when it is under way already)."""
        if sha256 in self.futures:
            return
        if not self.futures and self.ctx.ocr_workers is not None:
            self.ctx.ocr_workers.start()  # no-op where they are started already
        self.futures[sha256] = self.ctx.file_pool.submit(
            extract_text, archive_path(self.ctx.settings.archive, sha256), ocr=self.ctx.ocr,
            run=page_by_page(self.ctx, sha256, self.stopping), limits=self.ctx.settings.limits,
        )

    def cancel(self) -> None:
        """Cancel the readings not started yet (a stop, a full disk): their contents stay pending in the store."""
        for future in self.futures.values():
            future.cancel()


def extract_pending(ctx: Context, pending: dict[str, list[int]], stopping: Callable[[], bool] = _never,
                    reading: Reading | None = None) -> Iterator[list[int]]:
    """Read the `pending` contents (SHA-256 → dossiers; from their archive copies) in parallel, with those
    `reading` started already, and cache each by its hash; yields, as each is saved, the dossiers that were
    waiting for it. Stops early when `stopping`."""
    reading = reading or Reading(ctx, stopping)
    for sha256 in pending:
        reading.submit(sha256)
    # Pending ones first, in receipt order; then any other started (bytes replaced during the pass): cached too.
    for sha256 in [*pending, *(h for h in reading.futures if h not in pending)]:
        if stopping():
            # Unsaved contents stay pending in the store and are read again after the restart.
            reading.cancel()
            return
        try:
            extraction = reading.futures[sha256].result()
            ctx.store.pages.save_extraction(sha256, extraction, ctx.clock())
        except Stopped:
            continue  # its pages read so far are kept; the rest is read after the restart
        except Exception as exc:  # noqa: BLE001 - left pending (read again next pass); the other contents go on
            if is_disk_full(exc):  # not this content's failure: the pass stops, the other readings with it
                reading.cancel()
                raise_if_full(exc, ctx.settings.data)
            log.exception("sha256=%s could not be read or saved", sha256[:12])
            continue
        outcome = extraction.problem.code if extraction.problem else f"{len(extraction.pages)} pages"
        outcome += f", {len(extraction.enclosed)} enclosed files unread" if extraction.enclosed else ""
        log.info("extracted sha256=%s kind=%s %s", sha256[:12], extraction.kind, outcome)
        yield pending.get(sha256, [])


class Stopped(BaseException):
    """The service is stopping: a file's reading ends between two pages. A BaseException, so that reading never
    takes it for a problem of the file."""


def page_by_page(ctx: Context, sha256: str, stopping: Callable[[], bool]) -> Callable[..., list[Page]]:
    """The OCR job runner for one file: queues every page job on the shared OCR threads at once (a free core
    takes the next page of any file, never waiting for its pair), keeps each page in the store as soon as it is
    read, reuses the pages kept by an earlier, interrupted reading, and raises `Stopped` once `stopping`: a page
    not started by then is not started, the pages under way are read and kept."""
    done = ctx.store.pages.page_progress(sha256)
    calls = itertools.count()

    def run(jobs: Sequence[Any], *engine: Any) -> list[Page]:
        call = next(calls)

        def one(job: int) -> Page:
            if stopping():
                raise Stopped()
            page = ctx.read_page(jobs[job], *engine)
            ctx.store.pages.save_page_progress(sha256, call, job, page)
            return page

        queued = [(job, ctx.ocr_pool.submit(one, job)) for job in range(len(jobs)) if (call, job) not in done]
        try:
            for job, future in queued:
                done[(call, job)] = future.result()
        except BaseException:
            for _, future in queued:
                future.cancel()
            raise
        return [done[(call, job)] for job in range(len(jobs))]

    return run


def judge(ctx: Context, dossier: DossierRow) -> Verdict:
    """Classify a dossier's files, evaluate completeness and store the verdict with its deficiency history."""
    # Once the deadline has passed, a dossier received on time is judged as it stood then; what came later is
    # recorded and told to the officer (a hint), not counted.
    as_of = ctx.rules.campaign.judged_as_of(dossier.received_at, ctx.clock())
    files = ctx.store.dossiers.received_files(dossier.id, as_of)
    matches = apply_assignments(classify_dossier(files, ctx.rules), ctx.store.decisions.active_assignments(dossier.id))
    overrides = ctx.store.decisions.active_overrides(dossier.id)
    verdict = evaluate(files, matches, ctx.rules, received_at=dossier.received_at, overrides=overrides, as_of=as_of)
    verdict = read_dossier(dossier.id, files, verdict, ctx.rules, store=ctx.store, overrides=overrides,
                           archive=partial(archive_path, ctx.settings.archive), at=ctx.clock(),
                           page_image=partial(page_image, dpi=SEAL_DPI, limits=ctx.settings.limits),
                           after_deadline=ctx.store.dossiers.changed_since(dossier.id, as_of) if as_of else ())
    opened, resolved = ctx.store.verdicts.save_verdict(
        dossier.id, verdict, verdict_record(verdict), deficiency_hash(verdict.deficiencies), ctx.clock()
    )
    log.info("dossier=%d %s: %d deficiencies (+%d -%d)", dossier.id, verdict.status,
             len(verdict.deficiencies), len(opened), len(resolved))
    return verdict


def notify(ctx: Context, dossier: DossierRow, verdict: Verdict, *, settled: bool = True,
           email: bool | None = None) -> int:
    """Write the notices now due for a dossier to the outbox (receipt, deficiency notice when its deficiencies
    changed, notice that it is complete, or refusal), only once it has `settled`; never breaks intake. A dossier
    taken for another (its folder vanished as a look-alike came in, or every file of it moved to other dossiers'
    folders) gets none: it would be asked for what the other holds."""
    if not settled or ctx.store.dossiers.taken_for_another(dossier.id):
        return 0
    try:
        return issue_notices(ctx.store, ctx.settings.outbox, ctx.rules, dossier, verdict, issued_at=ctx.clock(),
                             email=ctx.settings.mail is not None if email is None else email)
    except Exception as exc:  # noqa: BLE001 - a failing notice must never stop intake; it is due again next pass
        raise_if_full(exc, ctx.settings.data)  # a full disk stops the pass (pacing, exit code)
        log.exception("notices for dossier=%d could not be written", dossier.id)
        return 0


def remind(ctx: Context, ready: Callable[[DossierRow], bool] = lambda dossier: True) -> int:
    """Write the reminders of the deadline due now (the campaign calendar) to the outbox, to be e-mailed with the
    other notices; dossiers not `ready` (still being added to) wait for a later pass, and a dossier whose folder
    vanished as a look-alike came in is not reminded until it receives something again (audit 27: a folder renamed
    while a file in it changed was reminded of what the new one had). Never breaks intake."""
    def held() -> frozenset[str]:
        vanished = ctx.store.dossiers.taken_for_another()
        return frozenset(d.receipt_no for d in ctx.store.dossiers.all() if not ready(d) or d.id in vanished)

    try:
        return send_reminders(ctx.store, ctx.settings.outbox, ctx.rules, now=ctx.clock(),
                              email=ctx.settings.mail is not None, held=held)
    except Exception as exc:  # noqa: BLE001 - a failing reminder must never stop intake; it is due again next pass
        raise_if_full(exc, ctx.settings.data)  # a full disk stops the pass (pacing, exit code)
        log.exception("reminders could not be written")
        return 0


def deliver(ctx: Context, stopping: Callable[[], bool] = _never) -> DeliverySummary:
    """E-mail the notices due (when SMTP is configured), within the pass's time budget; failures are rows. Once
    `stopping`, no further e-mail is started (the one under way ends or times out)."""
    if ctx.settings.mail is None or stopping():
        return DeliverySummary()

    def budget_clock() -> float:
        # Delivery stops between e-mails when the pass's time budget is spent: a stop spends it at once.
        return math.inf if stopping() else time.monotonic()

    try:
        summary = deliver_notices(ctx.store, ctx.settings.outbox, ctx.rules, ctx.settings.mail, now=ctx.clock(),
                                  monotonic=budget_clock)
    except Exception as exc:  # noqa: BLE001 - delivery must never stop intake; what is due stays due
        raise_if_full(exc, ctx.settings.data)  # a full disk stops the pass (pacing, exit code)
        log.exception("notice delivery pass failed")
        return DeliverySummary()
    if summary != DeliverySummary():
        log.info("notices e-mailed: %d sent, %d retrying, %d unconfirmed, %d failed, %d without address, %d left",
                 summary.sent, summary.retrying, summary.unconfirmed, summary.failed, summary.waiting, summary.left)
    return summary


def write_reports(ctx: Context) -> None:
    """Rewrite the officers' reports in `<data>/reports/`; a failure is logged, never affects intake, and leaves
    the reports stale so that the next pass writes them again (a full disk stops the pass)."""
    try:
        # An (all but) full disk stops here, before openpyxl writes the register's sheets through temporary files
        # there: a save that fails midway leaves half-closed files whose clean-up prints tracebacks later.
        check_free_space(ctx.settings.data)
        publish.write_reports(ctx.store, ctx.rules, ctx.settings.reports, ctx.clock())
    except Exception as exc:  # noqa: BLE001 - reports are a view: the next change rewrites them
        raise_if_full(exc, ctx.settings.data)  # a full disk stops the pass (pacing, exit code)
        log.exception("reports could not be written")


def apply_decisions(ctx: Context, *, email: bool | None = None) -> list[tuple[DossierRow, Verdict]]:
    """Judge again the dossiers officers' decisions touched, write due notices and the reports. `email`: queue the
    notices for e-mail (None: when this process e-mails; the CLI passes whether the delivering service does)."""
    requested = ctx.store.verdicts.rejudge_requests()
    verdicts = [(d, judge(ctx, d)) for d in ctx.store.dossiers.all() if d.id in requested]
    ctx.store.verdicts.clear_rejudge(requested)
    for dossier, verdict in verdicts:
        notify(ctx, dossier, verdict, email=email)
    write_reports(ctx)
    return verdicts


def apply_decisions_now(data: Path, rules: RuleSet, store: Store, clock: Clock) -> bool:
    """Judge at once the dossiers officers' decisions touched (`intake override`, the web desk), unless a running
    service holds the data folder: it then applies them at its next pass. True when applied here. The notices are
    queued for e-mail when the service that delivers is configured to (it records that at start-up), so its next
    pass sends them."""
    try:
        handle = lock.acquire(data)
    except AlreadyRunningError:
        return False
    try:
        ctx = Context(Settings(data=data, workers=1), rules, store, clock, Tesseract())
        try:
            apply_decisions(ctx, email=store.meta("email") == "smtp")
        finally:
            ctx.close()
    finally:
        handle.close()
    return True

