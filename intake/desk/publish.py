"""Write the always-current reports to `<data>/reports/` (HTML, Excel, CSV, JSON); never reads the inbox.

Each file is written to a temporary name and renamed into place, so an officer opening a report from the share
never sees half a file; a file that cannot be replaced (Excel keeps it open on Windows) is logged and skipped,
the others are still written."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path

from ..campaign import status_record
from .collect import collect
from .html import INDEX, render_html
from .models import Desk
from ..judging import RuleSet
from .register import render_deficiencies_csv, render_register, render_register_csv
from .report import build_report, with_identities
from ..store import Store

log = logging.getLogger(__name__)

REGISTER = "so-theo-doi-ho-so.xlsx"
REGISTER_CSV = "so-theo-doi-ho-so.csv"
DEFICIENCIES_CSV = "thieu-sot.csv"
REPORT_JSON = "bao-cao.json"


def render_all(desk: Desk, report: dict) -> dict[str, bytes]:  # type: ignore[type-arg]
    """Every report file: relative path → bytes. CSV carries a UTF-8 BOM so that Excel shows Vietnamese."""
    files = {path: text.encode("utf-8") for path, text in render_html(desk).items()}
    files[REGISTER] = render_register(desk)
    files[REGISTER_CSV] = render_register_csv(desk).encode("utf-8-sig")
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


def write_reports(store: Store, rules: RuleSet, folder: Path, generated_at: datetime) -> int:
    """Write every report into `folder`; returns how many files were written or already current."""
    desk = collect(store, rules, generated_at)
    report = with_identities(build_report(rules.campaign.id, store.dossiers.all()), desk)
    if desk.campaign_status is not None and desk.campaign_status.invitees:  # as `intake report --format json`
        report["campaign_status"] = status_record(desk.campaign_status)
    written = 0
    for relative, content in render_all(desk, report).items():
        try:
            write_atomically(folder / relative, content)
            written += 1
        except OSError as exc:  # e.g. the workbook is open in Excel on a Windows share: next pass retries
            log.warning("report %s could not be written: %s", relative, exc.strerror or exc)
    log.info("reports written: %d files, %d dossiers", written, len(desk.dossiers))
    return written


def reports_missing(folder: Path) -> bool:
    """Whether the report folder lacks its summary page (first run, or someone deleted it)."""
    return not (folder / INDEX).exists()
