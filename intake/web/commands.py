"""`intake serve` and `intake users add|list|disable`: the web desk and its accounts from the command line (registered
by intake/cli.py); errors become the documented exit codes. Never prints or logs a password."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path

import click

from ..errors import ConfigError, IntakeError, NotFoundError
from ..judging import RuleSet, load_rules
from ..store import Store
from . import accounts

log = logging.getLogger(__name__)

data_option = click.option("--data", type=click.Path(path_type=Path), default=Path("intake-data"), show_default=True,
                           help="Database, archive, outbox and reports (outside the inbox).")


class _Failure(click.ClickException):
    """An error of the tree in errors.py, shown and exited with as `intake` does for every command."""

    def __init__(self, error: IntakeError) -> None:
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)

    def show(self, file: object = None) -> None:
        click.echo(f"intake: error: {self.message}", err=True)


def _store(data: Path) -> Store:
    database = data / "intake.db"
    if not database.exists():
        raise _Failure(NotFoundError(f"no intake database in {data}; run `intake scan` or `intake watch` first"))
    return Store(database)


@click.group("users")
def users_group() -> None:
    """Accounts of the web desk (`intake serve`): officers and leaders."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(list(accounts.ROLES)), required=True,
              help="officer: works the queue and decides; leader: also approves notices.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (first line).")
@data_option
def users_add_command(name: str, role: str, password_stdin: bool, data: Path) -> None:
    """Create an account (the password is asked for, or read from standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store(data)
    try:
        created = accounts.add_user(store, name.strip(), role, password, at=datetime.now().astimezone())
    except accounts.AccountError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"account {created.name} ({created.role}) ready")


@users_group.command("list")
@data_option
def users_list_command(data: Path) -> None:
    """List the accounts."""
    store = _store(data)
    try:
        found = store.accounts.users()
    finally:
        store.close()
    if not found:
        click.echo("no accounts yet: create one with `intake users add NAME --role officer`")
    for user in found:
        state = f"disabled {user.disabled_at.isoformat()}" if user.disabled_at else "active"
        click.echo(f"{user.name:<24} {user.role:<8} {state}  (created {user.created_at.isoformat()})")


@users_group.command("disable")
@click.argument("name")
@data_option
def users_disable_command(name: str, data: Path) -> None:
    """Disable an account: it can no longer sign in and its open sessions end."""
    store = _store(data)
    try:
        accounts.disable_user(store, name.strip(), at=datetime.now().astimezone())
    except accounts.AccountError as exc:
        raise _Failure(NotFoundError(str(exc))) from exc
    finally:
        store.close()
    click.echo(f"account {name.strip()} disabled")


def _rules(store: Store, path: Path | None) -> RuleSet:
    """The rules of the campaign the data folder serves (another campaign's are refused)."""
    try:
        rules = load_rules(path)
    except IntakeError as exc:
        raise _Failure(exc) from exc
    served = store.meta("campaign")
    if served and served != rules.campaign.id:
        raise _Failure(ConfigError(f"the data folder serves campaign {served!r} but the rules are for "
                                   f"{rules.campaign.id!r}; pass the campaign's rule file with --rules"))
    return rules


@click.command("serve")
@data_option
@click.option("--rules", type=click.Path(path_type=Path), default=None,
              help="Rule file (default: the bundled 2020 rules).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 or the machine's address serves the office network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Requests served at once.")
@click.option("--now", default=None, help="Replace the clock (ISO 8601).")
def serve_command(data: Path, rules: Path | None, host: str, port: int, threads: int, now: str | None) -> None:
    """The officers' desk in a web browser, on the data folder the watcher fills (its own process)."""
    import waitress

    from .app import create_app

    store = _store(data)
    try:
        ruleset = _rules(store, rules)
    finally:
        store.close()
    timezone = ruleset.campaign.deadline.tzinfo
    try:
        fixed = datetime.fromisoformat(now) if now else None
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {now!r}", param_hint="--now") from exc
    if fixed is not None and fixed.tzinfo is None:
        fixed = fixed.replace(tzinfo=timezone)
    app = create_app(data.resolve(), ruleset, clock=(lambda: fixed) if fixed else (lambda: datetime.now(timezone)))
    click.echo(f"intake desk: http://{host}:{port}/", err=True)
    log.info("desk serving %s on %s:%d", data, host, port)
    waitress.serve(app, host=host, port=port, threads=threads, ident="intake", clear_untrusted_proxy_headers=True,
                   _quiet=True)
