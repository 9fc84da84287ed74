"""The `intake` command line: options → settings → one call into the package; errors → stable exit codes."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from .receiving import lock
from .receiving import clean_partials
from .campaign import forwarded, invitee_keys, status_record
from .judging import load_contacts
from .desk import JSON_FILE, WORKBOOK, render_council_json, render_council_workbook
from .desk import collect
from .errors import check_free_space, full_disk_is_an_error
from .errors import ConfigError, IntakeError, NotFoundError
from .desk import export_complete
from .desk import render_html
from .campaign import InvitationError, read_invitations
from .notices import mail_settings, read_mail_config
from .notices import MailSettings
from .models import Override
from .judging import RuleSet
from .notices import FORMS
from .reading import Tesseract, check_tesseract
from .notices import listing_lines
from .pipeline import Context, apply_decisions_now, scan
from .desk import write_atomically
from .desk import render_register, render_register_csv
from .desk import build_report, confirm_email, format_table, with_identities
from .judging import load_rules
from .desk import match_expression, search
from .desk import read_ledger
from .settings import Settings, check_layout, prepare_folders, use_scratch
from .web import serve_command, users_group
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


def smtp_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that e-mail notices, folded into one `mail` argument (None: notices are only written).
    Goes right above the command function, under `_handle_errors`, so that a bad value is a ConfigError."""

    @wraps(command)
    def wrapper(*args: Any, smtp_config: Path | None, smtp_host: str | None, smtp_port: int | None,
                smtp_from: str | None, smtp_starttls: bool | None, smtp_user: str | None, contacts: Path | None,
                **kwargs: Any) -> Any:
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
    """Validated settings, the lock, the store and the engines for one run. A full data disk, at start-up or
    anywhere in the run, is one DiskFullError (exit code 8, one line), never a traceback."""
    settings = Settings(inbox=inbox, data=data, rules=rules_path, **extra)
    if workers:
        settings = Settings(**{**settings.__dict__, "workers": workers})
    check_layout(settings)
    # Everything that can refuse to start is checked before any folder is created.
    rules = load_rules(settings.rules)
    timezone = rules.campaign.deadline.tzinfo
    assert isinstance(timezone, ZoneInfo)
    clock = _now_option(now, timezone)
    check_tesseract()
    with full_disk_is_an_error(settings.data), ExitStack() as held:
        settings = prepare_folders(settings)
        held.callback(lock.acquire(settings.data).close)
        if clean_partials(settings.archive):
            log.info("removed archive copies left half-written by an earlier crash")
        held.callback(use_scratch(settings.data / "tmp"))
        check_free_space(settings.data)  # after the clean-ups, which may have freed some
        store = Store(settings.database)
        held.callback(store.close)
        store.set_meta("campaign", rules.campaign.id)
        # `intake override` while the service is stopped queues its notices for e-mail when this service would.
        store.set_meta("email", "smtp" if settings.mail is not None else "off")
        ctx = Context(settings, rules, store, clock, Tesseract())
        held.callback(ctx.close)
        yield ctx


@main.command("scan")
@inbox_option
@data_option
@rules_option
@workers_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601), to replay a past campaign.")
@_handle_errors
@smtp_options
def scan_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, now: str | None,
                 mail: MailSettings | None) -> None:
    """Process everything pending once, then exit."""
    with _service(inbox, data, rules, workers, now, mail=mail) as ctx:
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
@click.option("--dossier-settle", "dossier_settle_seconds", type=float, default=60.0, show_default=True,
              help="Seconds a dossier must be quiet before a notice is written.")
@click.option("--polling", is_flag=True, help="Poll the inbox (network shares where inotify does not work).")
@_handle_errors
@smtp_options
def watch_command(inbox: Path, data: Path, rules: Path | None, workers: int | None, settle_seconds: float,
                  rescan_seconds: float, dossier_settle_seconds: float, polling: bool,
                  mail: MailSettings | None) -> None:
    """Run until stopped: ingest what is there, then react to new files."""
    from .watch import watch

    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("signal %d received: stopping after the current step", signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with _service(inbox, data, rules, workers, settle_seconds=settle_seconds, rescan_seconds=rescan_seconds,
                  dossier_settle_seconds=dossier_settle_seconds, polling=polling, mail=mail) as ctx:
        watch(ctx, stop)
    log.info("stopped")


@main.command("report")
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx", "html", "csv"]), default="table",
              show_default=True, help="xlsx: tracking register workbook; html: summary page and a page per dossier.")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601): days left to the deadline as of then.")
@_handle_errors
def report_command(data: Path, fmt: str, output: Path | None, rules: Path | None, now: str | None) -> None:
    """The officers' view of every dossier, after where the campaign stands."""
    database = data / "intake.db"
    if not database.exists():
        raise NotFoundError(f"no intake database in {data}; run `intake scan` or `intake watch` first")
    if fmt in ("xlsx", "html", "csv"):
        return _desk_report(database, rules, fmt, output, now)
    store = Store(database)
    try:
        report = build_report(store.meta("campaign") or "", store.dossiers.all())
        ruleset = _desk_rules(store, rules)
        desk = collect(store, ruleset, _clock(ruleset, now)())
        status = desk.campaign_status
        with_identities(report, desk)
    finally:
        store.close()
    assert status is not None
    if status.invitees:  # the campaign calendar is in use: the contract gains its summary
        report["campaign_status"] = status_record(status)
    text = json.dumps(report, ensure_ascii=False, indent=2) if fmt == "json" else \
        format_table({**report, "campaign_status": status_record(status)})
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)



# ---- the officers' desk: reports in files, decisions, search, hand-off ---------------------------------------


def _open_store(data: Path) -> Store:
    database = data / "intake.db"
    if not database.exists():
        raise NotFoundError(f"no intake database in {data}; run `intake scan` or `intake watch` first")
    return Store(database)


def _desk_rules(store: Store, rules_path: Path | None) -> RuleSet:
    """The rules of the campaign the data folder serves (judging or titling with another campaign's is refused)."""
    rules = load_rules(rules_path)
    served = store.meta("campaign")
    if served and served != rules.campaign.id:
        raise ConfigError(f"the data folder serves campaign {served!r} but the rules are for {rules.campaign.id!r}; "
                          "pass the campaign's rule file with --rules")
    return rules


def _clock(rules: RuleSet, now: str | None) -> Callable[[], datetime]:
    timezone = rules.campaign.deadline.tzinfo
    assert isinstance(timezone, ZoneInfo)
    return _now_option(now, timezone)


def _desk_report(database: Path, rules_path: Path | None, fmt: str, output: Path | None,
                 now: str | None = None) -> None:
    if output is None and fmt != "csv":
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    store = Store(database)
    try:
        rules = _desk_rules(store, rules_path)
        desk = collect(store, rules, _clock(rules, now)())
        ledger = read_ledger(store, rules, desk)
    finally:
        store.close()
    if fmt == "csv":
        text = render_register_csv(desk, ledger)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_bytes(text.encode("utf-8-sig"))  # the BOM makes Excel read the file as UTF-8
    elif fmt == "xlsx":
        assert output is not None
        output.write_bytes(render_register(desk, ledger))
    else:
        assert output is not None
        site = render_html(desk, pages=f"{output.stem}-ho-so", index=output.name, ledger=ledger)
        for relative, page in site.items():
            target = output.parent / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")


@main.command("override")
@click.argument("receipt_no")
@click.argument("component")
@click.option("--accept", is_flag=True, help="The component is present (the service missed it).")
@click.option("--reject", is_flag=True, help="The component does not count (even if the service recognised it).")
@click.option("--undo", is_flag=True, help="Withdraw the decision in force on this component.")
@click.option("--officer", required=True, help="Who decides (kept in the audit trail).")
@click.option("--note", required=True, help="Why; for --reject, the reason the enterprise is given.")
@data_option
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@_handle_errors
def override_command(receipt_no: str, component: str, accept: bool, reject: bool, undo: bool, officer: str,
                     note: str, data: Path, rules: Path | None, now: str | None) -> None:
    """Accept or reject one component of a dossier, or undo that; the dossier is judged again at once."""
    if accept + reject + undo != 1:
        raise click.UsageError("give exactly one of --accept, --reject, --undo")
    if not officer.strip() or not note.strip():
        raise click.UsageError("--officer and --note must not be empty")
    store = _open_store(data)
    try:
        ruleset = _desk_rules(store, rules)
        clock = _clock(ruleset, now)
        dossier = store.dossiers.by_receipt(receipt_no.strip())
        if dossier is None:
            raise NotFoundError(f"no dossier has the receipt number {receipt_no!r}")
        if component not in {c.id for c in ruleset.components}:
            raise NotFoundError(f"no component {component!r}; components: "
                                + ", ".join(c.id for c in ruleset.components))
        at = clock()
        if undo:
            undone = store.decisions.undo_override(dossier.id, component, officer=officer.strip(), note=note.strip(), at=at)
            if undone is None:
                raise NotFoundError(f"{receipt_no}: no decision on {component!r} is in force")
            click.echo(f"{dossier.receipt_no}: decision #{undone} on {component} undone by {officer.strip()}")
        else:
            decision = "accept" if accept else "reject"
            number = store.decisions.add_override(dossier.id, Override(component, decision, officer.strip(), note.strip(), at))
            click.echo(f"{dossier.receipt_no}: {component} {decision}ed by {officer.strip()} (decision #{number})")
        if not _apply_decisions(data, store, ruleset, clock):
            click.echo(f"{dossier.receipt_no}: decision recorded; the running intake service judges the dossier "
                       "again at its next pass and writes its notices once the dossier is quiet")
            return
        judged = store.dossiers.by_receipt(dossier.receipt_no)
        if judged is not None and judged.status:
            click.echo(f"{judged.receipt_no}: {judged.status}")
    finally:
        store.close()


def _apply_decisions(data: Path, store: Store, rules: RuleSet, clock: Callable[[], datetime]) -> bool:
    """Judge at once and write the notices due, unless a running service holds the data folder (it then applies
    the decisions at its next pass: returns False)."""
    return apply_decisions_now(data, rules, store, clock)


main.add_command(users_group)  # the web desk's commands live with it (intake/web/commands.py)
main.add_command(serve_command)


@main.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@data_option
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True, help="At most this many pages.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_handle_errors
def search_command(words: tuple[str, ...], data: Path, limit: int, fmt: str) -> None:
    """Find pages of every dossier containing all WORDS, with or without diacritics ("quan trắc 2018"); a word
    starting with "-" is a word too (or put the words after "--")."""
    query = " ".join(words)
    if not match_expression(query):
        raise click.UsageError("the search has no words")
    store = _open_store(data)
    try:
        hits = search(store, query, limit=limit)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([{"receipt_no": h.receipt_no, "folder": h.folder, "file": h.file, "page": h.page,
                                "current": h.current, "snippet": h.snippet} for h in hits],
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"no page matches {query!r}")
        return
    for h in hits:
        old = "" if h.current else "  (replaced version)"
        click.echo(f"{h.receipt_no}  {h.folder}  {h.file}  page {h.page}{old}")
        click.echo(f"    {h.snippet}")


@main.command("export")
@click.option("--complete", "target", type=click.Path(path_type=Path), required=True,
              help="Folder to write every complete dossier into (one sub-folder each).")
@data_option
@rules_option
@click.option("--inbox", type=click.Path(path_type=Path), default=Path("inbox"), show_default=True,
              help="The shared folder (the export is refused inside it).")
@click.option("--include-late", is_flag=True, help="Also export complete dossiers received after the deadline.")
@_handle_errors
def export_command(target: Path, data: Path, rules: Path | None, inbox: Path, include_late: bool) -> None:
    """Hand-off to the council: files in component order, a manifest per dossier, the tracking register."""
    resolved, data_dir, inbox_dir = target.resolve(), data.resolve(), inbox.resolve()
    for outside, what in ((data_dir, "data folder"), (inbox_dir, "inbox")):
        if resolved == outside or outside in resolved.parents or resolved in outside.parents:
            raise ConfigError(f"the export folder {resolved} must lie outside the {what} {outside}")
    store = _open_store(data)
    try:
        ruleset = _desk_rules(store, rules)
        exported = export_complete(store, ruleset, data / "archive", target, _clock(ruleset, None)(),
                                   include_late=include_late)
    finally:
        store.close()
    click.echo(f"{len(exported)} complete dossiers exported to {target}")


# ---- notices and their delivery ----------------------------------------------------------------------------


@main.command("notices")
@data_option
@click.option("--resend", metavar="RECEIPT_NO", default=None,
              help="E-mail this dossier's newest notice (again) at the service's next delivery pass.")
@click.option("--kind", type=click.Choice(sorted(FORMS)), default=None, help="With --resend: the newest of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
@click.option("--force", is_flag=True, help="With --resend after the deadline: resend anyway.")
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@_handle_errors
def notices_command(data: Path, resend: str | None, kind: str | None, fmt: str, rules: Path | None,
                    force: bool, now: str | None) -> None:
    """List the notices and their delivery state; --resend queues one to be e-mailed again."""
    if (kind or force) and not resend:
        raise click.UsageError("--kind and --force go with --resend")
    store = _open_store(data)
    try:
        if resend:
            dossier = store.dossiers.by_receipt(resend.strip())
            if dossier is None:
                raise NotFoundError(f"no dossier has the receipt number {resend!r}")
            candidates = [n for n in store.outbox.all(dossier.id) if kind is None or n["kind"] == kind]
            if not candidates:
                raise NotFoundError(f"{dossier.receipt_no}: no notice{' of kind ' + kind if kind else ''} was written")
            notice = candidates[-1]
            rule_set = _desk_rules(store, rules)
            moment = _clock(rule_set, now)()
            if moment > rule_set.campaign.deadline and not force:
                raise click.UsageError(resend_refusal(notice["kind"], rule_set))
            was = store.outbox.requeue_notice(notice["id"], moment)
            if was == "sending":
                raise ConfigError(f"{dossier.receipt_no}: {notice['number']} is being e-mailed right now; "
                                  "look again with `intake notices` in a moment")
            click.echo(f"{dossier.receipt_no}: {notice['number'] or notice['kind']} ({FORMS[notice['kind']].name}) "
                       f"queued for e-mail (was {was}); the service sends it at its next pass when SMTP is configured")
        rows = store.outbox.notice_listing()
    finally:
        store.close()
    if fmt == "json":
        keys = ("receipt_no", "folder", "kind", "number", "path", "created_at", "state", "attempts",
                "next_attempt_at", "last_error", "recipient", "sent_at", "message_id")
        click.echo(json.dumps([{k: row.get(k) for k in keys} for row in rows], ensure_ascii=False, indent=2))
    elif not resend:
        click.echo("\n".join(listing_lines(rows)))


def resend_refusal(kind: str, rules: RuleSet) -> str:
    """Why `notices --resend` wants --force once the deadline has passed."""
    deadline = f"{rules.campaign.deadline:%H:%M %d/%m/%Y}"
    why = {
        "reminder": "a reminder tells the enterprise to submit before a deadline that is over",
        "deficiency": "its date to supplement is capped at the deadline, which is over",
    }.get(kind, "it is e-mailed with today's date although the dossier's standing may have changed since")
    return (f"the deadline for dossiers ({deadline}) has passed: {why}. Check the notice, then pass --force to "
            "resend it anyway")
@main.command("contact")
@click.argument("receipt_no")
@click.option("--email", required=True, help="The address the officer confirms or corrects.")
@click.option("--officer", required=True, help="Who confirms (kept with the decision).")
@data_option
@_handle_errors
def contact_command(receipt_no: str, email: str, officer: str, data: Path) -> None:
    """Confirm or correct a dossier's e-mail address: its notices held for an uncertain address go to it."""
    store = _open_store(data)
    try:
        done = confirm_email(store, receipt_no.strip(), email, officer=officer, at=datetime.now().astimezone())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"{done.receipt_no}: notices go to {done.email}, confirmed by {officer.strip()}; "
               f"{done.released} pending notice(s) released for e-mail")


# ---- the campaign calendar: invitations, closing -----------------------------------------------------------


@main.command("invite")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@_handle_errors
def invite_command(file: Path, data: Path, rules: Path | None, now: str | None) -> None:
    """Import the invitation list (.xlsx or .csv: name, tax code, e-mail, phone, folder); re-importing updates."""
    if not file.is_file():
        raise NotFoundError(f"{file}: no such file")
    try:
        invitees, problems = read_invitations(file)
    except InvitationError as exc:
        raise click.BadParameter(str(exc), param_hint="FILE") from exc
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create {data}: {exc.strerror}") from exc
    store = Store(data / "intake.db")
    try:
        ruleset = _desk_rules(store, rules)
        if store.meta("campaign") is None:
            store.set_meta("campaign", ruleset.campaign.id)
        new, updated, unchanged = store.campaign.save_invitees([(invitee_keys(i), i) for i in invitees],
                                                      _clock(ruleset, now)())
        total = len(store.campaign.invitees())
    finally:
        store.close()
    for problem in problems:
        click.echo(f"intake: warning: {problem}", err=True)
    click.echo(f"{len(invitees)} invited enterprises read: {new} new, {updated} updated, {unchanged} unchanged; "
               f"{total} on the invitation list")


@main.command("close")
@data_option
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@click.option("--include-late", is_flag=True, help="Forward complete dossiers received after the deadline too.")
@_handle_errors
def close_command(data: Path, rules: Path | None, now: str | None, include_late: bool) -> None:
    """After the deadline: close intake and write the list of dossiers forwarded to the council."""
    store = _open_store(data)
    try:
        ruleset = _desk_rules(store, rules)
        at = _clock(ruleset, now)()
        deadline = ruleset.campaign.deadline
        if at <= deadline:
            raise click.UsageError(f"intake closes after the deadline ({deadline.isoformat()}), not before")
        closed_at = store.campaign.close_intake(at)
        desk = collect(store, ruleset, at)
    finally:
        store.close()
    reports = data / "reports"
    write_atomically(reports / WORKBOOK, render_council_workbook(desk, include_late=include_late))
    write_atomically(reports / JSON_FILE, render_council_json(desk, include_late=include_late))
    status = desk.campaign_status
    assert status is not None
    sent, _ = forwarded(status, include_late=include_late)
    click.echo(f"intake closed at {closed_at.isoformat()}: {len(sent)} of {len(status.dossiers)} dossiers forwarded to "
               f"the council; list in {reports / WORKBOOK} and {reports / JSON_FILE}")


if __name__ == "__main__":
    main()
