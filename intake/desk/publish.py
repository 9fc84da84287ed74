"""Write the always-current reports to `<data>/reports/` (HTML, Excel, CSV, JSON); never reads the inbox.

Each file is written to a temporary name and renamed into place, so an officer opening a report from the share
never sees half a file; a file that cannot be replaced (Excel keeps it open on Windows) is logged and skipped,
the others are still written, and the reports stay stale until a later pass writes them all."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from ..campaign import forwarded, status_record
from ..errors import raise_if_full
from .collect import LOOSE_FILES, collect
from .council import JSON_FILE, WORKBOOK, render_council_json, render_council_workbook
from .html import INDEX, render_html
from .ledger import Ledger, read_ledger
from .models import Desk
from ..judging import RuleSet
from .register import render_deficiencies_csv, render_register, render_register_csv
from .report import build_report, with_sheets
from ..store import Store

log = logging.getLogger(__name__)

REGISTER = "so-theo-doi-ho-so.xlsx"
REGISTER_CSV = "so-theo-doi-ho-so.csv"
DEFICIENCIES_CSV = "thieu-sot.csv"
REPORT_JSON = "bao-cao.json"
CURRENT = ".intake-reports-current"
"""Present only while every report file was written by the last write: removed before writing (never needs
space), created after the last file, so a failed or interrupted write leaves the reports stale."""


def render_all(desk: Desk, report: dict, ledger: Mapping[str, Ledger] | None = None,  # type: ignore[type-arg]
               ) -> dict[str, bytes]:
    """Every report file: relative path → bytes. CSV carries a UTF-8 BOM so that Excel shows Vietnamese."""
    files = {path: text.encode("utf-8") for path, text in render_html(desk, ledger=ledger).items()}
    files[REGISTER] = render_register(desk, ledger)
    files[REGISTER_CSV] = render_register_csv(desk, ledger).encode("utf-8-sig")
    files[DEFICIENCIES_CSV] = render_deficiencies_csv(desk).encode("utf-8-sig")
    files[REPORT_JSON] = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def write_atomically(path: Path, content: bytes) -> None:
    """Replace `path` with `content` in one rename (unchanged content is not rewritten)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_bytes() == content:
            return
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_reports(store: Store, rules: RuleSet, folder: Path, generated_at: datetime, desk: Desk | None = None) -> int:
    """Write every report into `folder` (from `desk` when the caller has read it at `generated_at`); returns how many
    files were written or already current."""
    desk = desk or collect(store, rules, generated_at)
    report = with_sheets(build_report(rules.campaign.id, store.dossiers.all()), desk)
    if desk.campaign_status is not None and desk.campaign_status.invitees:  # as `intake report --format json`
        report["campaign_status"] = status_record(desk.campaign_status)
    files = render_all(desk, report, read_ledger(store, rules, desk))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CURRENT).unlink(missing_ok=True)
    written = 0
    for relative, content in files.items():
        try:
            write_atomically(folder / relative, content)
            written += 1
        except OSError as exc:  # e.g. the workbook is open in Excel on a Windows share: next pass retries
            raise_if_full(exc, folder)  # a full disk: the other files would fail too
            log.warning("report %s could not be written: %s", relative, exc.strerror or exc)
    if written == len(files):
        (folder / CURRENT).touch()
    log.info("reports written: %d of %d files, %d dossiers", written, len(files), len(desk.dossiers))
    return written


def reports_stale(folder: Path) -> bool:
    """Whether the reports must be written even if nothing changed: the last write failed for some file, was
    interrupted, or never happened (first run, or someone deleted them)."""
    return not (folder / CURRENT).exists() or not (folder / INDEX).exists()


def close_intake(store: Store, rules: RuleSet, folder: Path, at: datetime, *,
                 include_late: bool) -> tuple[datetime, int, int]:
    """Intake closed at `at` (after the deadline; the first closing's time is kept, closing again rewrites the list):
    the reports rewritten at once (the register and the desk say "đã chuyển Hội đồng" from now on, not after the
    next scan: audit 13) and the council's list written into `folder`. Returns when intake was closed and how many
    dossiers of how many were forwarded."""
    closed_at = store.campaign.close_intake(at, forward_late=include_late)
    desk = collect(store, rules, at)
    write_reports(store, rules, folder, at, desk)
    write_atomically(folder / WORKBOOK, render_council_workbook(desk, include_late=include_late))
    write_atomically(folder / JSON_FILE, render_council_json(desk, include_late=include_late))
    assert desk.campaign_status is not None
    sent, _ = forwarded(desk.campaign_status, include_late=include_late)
    return closed_at, len(sent), len(desk.campaign_status.dossiers)


def note_loose_files(store: Store, loose: tuple[str, ...]) -> bool:
    """Keep what lies at the inbox's top level, in no dossier's folder, for the reports and the desk (never read:
    whose it is is for an officer to say), and log it when it changes; whether it changed."""
    listed = json.dumps(list(loose), ensure_ascii=False)
    if listed == (store.meta(LOOSE_FILES) or "[]"):
        return False
    store.set_meta(LOOSE_FILES, listed)
    if loose:
        log.warning("%d file(s) at the inbox's top level, in no dossier folder, not received: %s", len(loose),
                    ", ".join(loose))
    return True
