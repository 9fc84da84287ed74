"""The service's commands: `scan` once and `watch` until stopped, with their e-mail options."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import click

from ..errors import ConfigError, check_free_space, full_disk_is_an_error
from ..reading import OcrWorkers, Tesseract, check_tesseract, start_parsers
from ..settings import (Settings, check_layout, default_workers, prepare_folders, scratch_folder, scratch_for_children,
                        use_scratch)
from .base import data_option, handle_errors, inbox_option, log, main, now_option, rules_option, workers_option

if TYPE_CHECKING:
    from ..notices import MailSettings
    from ..pipeline import Context

def readers_first(command: Callable[..., Any]) -> Callable[..., Any]:
    """Start the OCR workers (each loading its engine) and the parsers' fork server first, and hand the workers
    to the command (`ocr_workers`); they are closed when it ends, whether it used them or not. Goes under
    `handle_errors`, above everything that imports the service's modules (the pipeline, judging, notices, the
    register's openpyxl: ~0.7 s of CPU), which this module imports inside its functions: the workers' start-up
    runs on the other core meanwhile, instead of after it while that core would be idle."""

    @wraps(command)
    def wrapper(*args: Any, workers: int | None, data: Path, **kwargs: Any) -> Any:
        engine = Tesseract()
        ocr_workers = OcrWorkers(workers or default_workers(), engine, engine.page_limit)
        try:
            with scratch_for_children(scratch_folder(data)):
                ocr_workers.start()
                start_parsers()
            return command(*args, workers=workers, data=data, ocr_workers=ocr_workers, **kwargs)
        finally:
            ocr_workers.close()

    return wrapper


def smtp_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that e-mail notices, folded into one `mail` argument (None: notices are only written).
    Goes right above the command function, under `handle_errors`, so that a bad value is a ConfigError."""

    @wraps(command)
    def wrapper(*args: Any, smtp_config: Path | None, smtp_host: str | None, smtp_port: int | None,
                smtp_from: str | None, smtp_starttls: bool | None, smtp_user: str | None, contacts: Path | None,
                **kwargs: Any) -> Any:
        from ..judging import load_contacts
        from ..notices import mail_settings, read_mail_config

        values: dict[str, Any] = read_mail_config(smtp_config) if smtp_config else {}
        values.update({k: v for k, v in {"host": smtp_host, "port": smtp_port, "sender": smtp_from,
                                         "starttls": smtp_starttls, "username": smtp_user}.items() if v is not None})
        if os.environ.get("INTAKE_SMTP_PASSWORD"):
            values["password"] = os.environ["INTAKE_SMTP_PASSWORD"]
        if contacts is not None:
            values["contacts"] = str(contacts)
        mail = mail_settings(values, str(smtp_config) if smtp_config else "command line")
        if mail is None and values.get("contacts"):
            raise ConfigError("--contacts: a contacts file needs an SMTP server (--smtp-host or --smtp-config)")
        if mail is not None and mail.contacts:
            load_contacts(mail.contacts)  # a broken contacts file stops start-up, with its line
        return command(*args, mail=mail, **kwargs)

    for option in reversed((
        click.option("--smtp-config", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="TOML file with an [smtp] table (host, port, from, starttls, username, password, ...)."),
        click.option("--smtp-host", default=None, help="SMTP server that e-mails notices (default: none)."),
        click.option("--smtp-port", type=click.IntRange(1, 65535), default=None, help="SMTP port (default 25)."),
        click.option("--smtp-from", default=None, help="From address of the notices' e-mails."),
        click.option("--smtp-starttls/--smtp-no-starttls", default=None, help="Use STARTTLS."),
        click.option("--smtp-user", default=None, help="SMTP login; the password from INTAKE_SMTP_PASSWORD."),
        click.option("--contacts", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     help="CSV (folder,email) whose addresses override the registration forms'."),
    )):
        wrapper = option(wrapper)
    return wrapper


@contextmanager
def _service(inbox: Path, data: Path, rules_path: Path | None, workers: int | None, ocr_workers: OcrWorkers,
             now: str | None = None, **extra: Any) -> Iterator[Context]:
    """Validated settings, the lock, the store and the engines for one run. A full data disk, at start-up or
    anywhere in the run, is one DiskFullError (exit code 8, one line), never a traceback."""
    from ..judging import load_rules
    from ..pipeline import Context
    from ..receiving import clean_partials, lock
    from ..store import Store

    settings = Settings(inbox=inbox, data=data, rules=rules_path, **extra)
    if workers:
        settings = Settings(**{**settings.__dict__, "workers": workers})
    check_layout(settings)
    # Everything that can refuse to start is checked before any folder is created.
    rules = load_rules(settings.rules)
    timezone = rules.campaign.deadline.tzinfo
    assert isinstance(timezone, ZoneInfo)
    clock = now_option(now, timezone)
    check_tesseract()
    with full_disk_is_an_error(settings.data), ExitStack() as held:
        settings = prepare_folders(settings)
        held.callback(lock.acquire(settings.data).close)
        if clean_partials(settings.archive):
            log.info("removed archive copies left half-written by an earlier crash")
        held.callback(use_scratch(scratch_folder(settings.data)))
        check_free_space(settings.data)  # after the clean-ups, which may have freed some
        store = Store(settings.database)
        held.callback(store.close)
        store.set_meta("campaign", rules.campaign.id)
        # `intake override` while the service is stopped queues its notices for e-mail when this service would.
        store.set_meta("email", "smtp" if settings.mail is not None else "off")
        ctx = Context(settings, rules, store, clock, ocr_workers.engine, ocr_workers=ocr_workers)
        held.callback(ctx.close)
        yield ctx


@main.command("scan")
@inbox_option
@data_option
@rules_option
@workers_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601), to replay a past campaign.")
@handle_errors
@readers_first
@smtp_options
def scan_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, now: str | None,
                 mail: MailSettings | None, ocr_workers: OcrWorkers) -> None:
    """Process everything pending once, then exit."""
    import time

    from ..pipeline import scan
    from ..reading import opens_structurally
    from ..receiving import probe_walked, written_or_old

    with _service(inbox, data, rules, workers, ocr_workers, now, mail=mail) as ctx:
        # A file still being written is left for the next run, as the watcher holds it back until it is whole.
        ready = written_or_old(lambda c: probe_walked(ctx.settings.inbox, c, opens_structurally), time.time_ns())
        summary = scan(ctx, evaluate_all=True, ready=ready)
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
@click.option("--dossier-settle", "dossier_settle_seconds", type=float, default=60.0, show_default=True,
              help="Seconds a dossier must be quiet before a notice is written.")
@click.option("--polling", is_flag=True, help="Poll the inbox (network shares where inotify does not work).")
@handle_errors
@readers_first
@smtp_options
def watch_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, settle_seconds: float,
                  rescan_seconds: float, dossier_settle_seconds: float, polling: bool,
                  mail: MailSettings | None, ocr_workers: OcrWorkers) -> None:
    """Run until stopped: ingest what is there, then react to new files."""
    from ..watch import watch

    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("signal %d received: stopping after the current step", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with _service(inbox, data, rules, workers, ocr_workers, settle_seconds=settle_seconds,
                  rescan_seconds=rescan_seconds, dossier_settle_seconds=dossier_settle_seconds, polling=polling,
                  mail=mail) as ctx:
        watch(ctx, stop)
    log.info("stopped")
