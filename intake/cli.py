"""The `intake` command line: options → settings → one call into the package; errors → stable exit codes."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from . import lock
from .errors import IntakeError, NotFoundError
from .ocr import Tesseract, check_tesseract
from .pipeline import Context, scan
from .report import build_report, format_table
from .rules import load_rules
from .settings import Settings, prepare_folders
from .store import Store

log = logging.getLogger("intake")


def _handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the error tree into a message on stderr and the error's exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IntakeError as exc:
            click.echo(f"intake: error: {exc}", err=True)
            sys.exit(int(exc.exit_code))

    return wrapper


def _now_option(value: str | None, timezone: ZoneInfo) -> Callable[[], datetime]:
    if value is None:
        return lambda: datetime.now(timezone)
    try:
        fixed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value!r}", param_hint="--now") from exc
    fixed = fixed if fixed.tzinfo else fixed.replace(tzinfo=timezone)
    return lambda: fixed


inbox_option = click.option("--inbox", type=click.Path(path_type=Path), default=Path("inbox"), show_default=True,
                            help="Shared folder with one sub-folder per dossier.")
data_option = click.option("--data", type=click.Path(path_type=Path), default=Path("intake-data"), show_default=True,
                           help="Database, archive, outbox and reports (outside the inbox).")
rules_option = click.option("--rules", type=click.Path(path_type=Path), default=None,
                            help="Rule file (default: the bundled 2020 rules).")
workers_option = click.option("--workers", type=click.IntRange(1, 64), default=None,
                              help="Tesseract processes at once (default: one per core).")


@click.group()
@click.version_option(package_name="intake")
@click.option("-v", "--verbose", is_flag=True, help="Log debug details.")
def main(verbose: bool) -> None:
    """Dossier intake for the Vietnam National Quality Award (GTCLQG)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@contextmanager
def _service(inbox: Path, data: Path, rules_path: Path | None, workers: int | None,
             now: str | None = None, **extra: Any) -> Iterator[Context]:
    """Validated settings, the lock, the store and the engines for one run."""
    settings = Settings(inbox=inbox, data=data, rules=rules_path, **extra)
    if workers:
        settings = Settings(**{**settings.__dict__, "workers": workers})
    settings = prepare_folders(settings)
    rules = load_rules(settings.rules)
    timezone = rules.campaign.deadline.tzinfo
    assert isinstance(timezone, ZoneInfo)
    clock = _now_option(now, timezone)
    check_tesseract()
    handle = lock.acquire(settings.data)
    store = Store(settings.database)
    store.set_meta("campaign", rules.campaign.id)
    ctx = Context(settings, rules, store, clock, Tesseract())
    try:
        yield ctx
    finally:
        ctx.close()
        store.close()
        handle.close()


@main.command("scan")
@inbox_option
@data_option
@rules_option
@workers_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601), to replay a past campaign.")
@_handle_errors
def scan_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, now: str | None) -> None:
    """Process everything pending once, then exit."""
    with _service(inbox, data, rules, workers, now) as ctx:
        summary = scan(ctx, evaluate_all=True)
    click.echo(
        f"{summary.received} files received, {summary.extracted} read, "
        f"{summary.evaluated} dossiers evaluated, {summary.notices} notices written"
    )


@main.command("watch")
@inbox_option
@data_option
@rules_option
@workers_option
@click.option("--settle", "settle_seconds", type=float, default=2.0, show_default=True,
              help="Seconds a file must stay unchanged before it is read.")
@click.option("--rescan", "rescan_seconds", type=float, default=60.0, show_default=True,
              help="Seconds between full rescans of the inbox.")
@click.option("--polling", is_flag=True, help="Poll the inbox (network shares where inotify does not work).")
@_handle_errors
def watch_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, settle_seconds: float,
                  rescan_seconds: float, polling: bool) -> None:
    """Run until stopped: ingest what is there, then react to new files."""
    from .watch import watch

    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("signal %d received: stopping after the current step", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with _service(inbox, data, rules, workers, settle_seconds=settle_seconds, rescan_seconds=rescan_seconds,
                  polling=polling) as ctx:
        watch(ctx, stop)
    log.info("stopped")


@main.command("report")
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@_handle_errors
def report_command(data: Path, fmt: str, output: Path | None) -> None:
    """The officers' view of every dossier."""
    database = data / "intake.db"
    if not database.exists():
        raise NotFoundError(f"no intake database in {data}; run `intake scan` or `intake watch` first")
    store = Store(database)
    try:
        report = build_report(store.meta("campaign") or "", store.dossiers())
    finally:
        store.close()
    text = json.dumps(report, ensure_ascii=False, indent=2) if fmt == "json" else format_table(report)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


if __name__ == "__main__":
    main()
