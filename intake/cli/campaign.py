"""The campaign's commands: `invite` (the invitation list) and `close` (intake closed, the council's list)."""

from __future__ import annotations

from pathlib import Path

import click

from ..campaign import InvitationError, invitee_keys, read_invitations
from ..desk import JSON_FILE, WORKBOOK, close_intake
from ..errors import ConfigError, NotFoundError
from ..store import Store
from .base import clock_of, data_option, desk_rules, handle_errors, main, open_store, rules_option


@main.command("invite")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@data_option
@rules_option
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
@handle_errors
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
        ruleset = desk_rules(store, rules)
        if store.meta("campaign") is None:
            store.set_meta("campaign", ruleset.campaign.id)
        new, updated, unchanged = store.campaign.save_invitees([(invitee_keys(i), i) for i in invitees],
                                                      clock_of(ruleset, now)())
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
@handle_errors
def close_command(data: Path, rules: Path | None, now: str | None, include_late: bool) -> None:
    """After the deadline: close intake and write the list of dossiers forwarded to the council."""
    store = open_store(data)
    try:
        ruleset = desk_rules(store, rules)
        at = clock_of(ruleset, now)()
        deadline = ruleset.campaign.deadline
        if at <= deadline:
            raise click.UsageError(f"intake closes after the deadline ({deadline.isoformat()}), not before")
        reports = data / "reports"
        closed_at, sent, total = close_intake(store, ruleset, reports, at, include_late=include_late)
    finally:
        store.close()
    click.echo(f"intake closed at {closed_at.isoformat()}: {sent} of {total} dossiers forwarded to "
               f"the council; list in {reports / WORKBOOK} and {reports / JSON_FILE}")
