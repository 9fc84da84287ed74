"""The officers' commands: reports, decisions, search, export, notices and contacts; each one call into the package."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from ..campaign import status_record
from ..desk import (
    build_report,
    collect,
    confirm_email,
    export_complete,
    format_table,
    match_expression,
    read_ledger,
    render_html,
    render_register,
    render_register_csv,
    search,
    with_sheets,
)
from ..errors import ConfigError, NotFoundError
from ..judging import RuleSet
from ..models import Override
from ..notices import FORMS, listing_lines
from ..pipeline import apply_decisions_now
from ..store import Store
from .base import clock_of, data_option, desk_rules, handle_errors, main, open_store, rules_option


@main.command("report")
@data_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xlsx", "html", "csv"]), default="table",
              show_default=True, help="xlsx: tracking register workbook; html: summary page and a page per dossier.")
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601): days left to the deadline as of then.")
@handle_errors
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
        ruleset = desk_rules(store, rules)
        desk = collect(store, ruleset, clock_of(ruleset, now)())
        status = desk.campaign_status
        with_sheets(report, desk)
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


def _desk_report(database: Path, rules_path: Path | None, fmt: str, output: Path | None,
                 now: str | None = None) -> None:
    if output is None and fmt != "csv":
        raise click.UsageError(f"--format {fmt} needs --output FILE")
    store = Store(database)
    try:
        rules = desk_rules(store, rules_path)
        desk = collect(store, rules, clock_of(rules, now)())
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
@handle_errors
def override_command(receipt_no: str, component: str, accept: bool, reject: bool, undo: bool, officer: str,
                     note: str, data: Path, rules: Path | None, now: str | None) -> None:
    """Accept or reject one component of a dossier, or undo that; the dossier is judged again at once."""
    if accept + reject + undo != 1:
        raise click.UsageError("give exactly one of --accept, --reject, --undo")
    if not officer.strip() or not note.strip():
        raise click.UsageError("--officer and --note must not be empty")
    store = open_store(data)
    try:
        ruleset = desk_rules(store, rules)
        clock = clock_of(ruleset, now)
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
            decided = Override(component, decision, officer=officer.strip(), note=note.strip(), at=at)
            number = store.decisions.add_override(dossier.id, decided)
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


@main.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@data_option
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True, help="At most this many pages.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def search_command(words: tuple[str, ...], data: Path, limit: int, fmt: str) -> None:
    """Find pages of every dossier containing all WORDS, with or without diacritics ("quan trắc 2018"); a word
    starting with "-" is a word too (or put the words after "--")."""
    query = " ".join(words)
    if not match_expression(query):
        raise click.UsageError("the search has no words")
    store = open_store(data)
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
@handle_errors
def export_command(target: Path, data: Path, rules: Path | None, inbox: Path, include_late: bool) -> None:
    """Hand-off to the council: files in component order, a manifest per dossier, the tracking register."""
    resolved, data_dir, inbox_dir = target.resolve(), data.resolve(), inbox.resolve()
    for outside, what in ((data_dir, "data folder"), (inbox_dir, "inbox")):
        if resolved == outside or outside in resolved.parents or resolved in outside.parents:
            raise ConfigError(f"the export folder {resolved} must lie outside the {what} {outside}")
    store = open_store(data)
    try:
        ruleset = desk_rules(store, rules)
        exported = export_complete(store, ruleset, data / "archive", target, clock_of(ruleset, None)(),
                                   include_late=include_late)
    finally:
        store.close()
    click.echo(f"{len(exported)} complete dossiers exported to {target}")


@main.command("notices")
@data_option
@click.option("--resend", metavar="RECEIPT_NO", default=None,
              help="E-mail this dossier's newest notice (again) at the service's next delivery pass.")
@click.option("--kind", type=click.Choice(sorted(FORMS)), default=None, help="With --resend: the newest of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
@click.option("--force", is_flag=True, help="With --resend after the deadline: resend anyway.")
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@handle_errors
def notices_command(data: Path, resend: str | None, kind: str | None, fmt: str, rules: Path | None,
                    force: bool, now: str | None) -> None:
    """List the notices and their delivery state; --resend queues one to be e-mailed again."""
    if (kind or force) and not resend:
        raise click.UsageError("--kind and --force go with --resend")
    store = open_store(data)
    try:
        if resend:
            dossier = store.dossiers.by_receipt(resend.strip())
            if dossier is None:
                raise NotFoundError(f"no dossier has the receipt number {resend!r}")
            candidates = [n for n in store.outbox.all(dossier.id) if kind is None or n["kind"] == kind]
            if not candidates:
                raise NotFoundError(f"{dossier.receipt_no}: no notice{' of kind ' + kind if kind else ''} was written")
            notice = candidates[-1]
            rule_set = desk_rules(store, rules)
            moment = clock_of(rule_set, now)()
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
@handle_errors
def contact_command(receipt_no: str, email: str, officer: str, data: Path) -> None:
    """Confirm or correct a dossier's e-mail address: its notices held for an uncertain address go to it."""
    store = open_store(data)
    try:
        done = confirm_email(store, receipt_no.strip(), email, officer=officer, at=datetime.now().astimezone())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"{done.receipt_no}: notices go to {done.email}, confirmed by {officer.strip()}; "
               f"{done.released} pending notice(s) released for e-mail")
