"""The command group, the error handler and the options and helpers every command shares; no command here."""

from __future__ import annotations

import atexit
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from zoneinfo import ZoneInfo

import click

from ..errors import ConfigError, IntakeError, NotFoundError

if TYPE_CHECKING:
    from ..judging import RuleSet
    from ..store import Store

log = logging.getLogger("intake")


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the error tree into a message on stderr and the error's exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IntakeError as exc:
            click.echo(f"intake: error: {exc}", err=True)
            sys.exit(int(exc.exit_code))

    return wrapper


def now_option(value: str | None, timezone: ZoneInfo) -> Callable[[], datetime]:
    if value is None:
        return lambda: datetime.now(timezone)
    try:
        fixed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 date-time: {value!r}", param_hint="--now") from exc
    # A moment given in another zone ("…Z") is the same moment in the campaign's, as every time the service keeps
    # (audit 27: received_at "+00:00" in the JSON).
    fixed = fixed.astimezone(timezone) if fixed.tzinfo else fixed.replace(tzinfo=timezone)
    return lambda: fixed


inbox_option = click.option("--inbox", type=click.Path(path_type=Path), default=Path("inbox"), show_default=True,
                            help="Shared folder with one sub-folder per dossier.")


data_option = click.option("--data", type=click.Path(path_type=Path), default=Path("intake-data"), show_default=True,
                           help="Database, archive, outbox and reports (outside the inbox).")


rules_option = click.option("--rules", type=click.Path(path_type=Path), default=None,
                            help="Rule file (default: the bundled 2020 rules).")


workers_option = click.option("--workers", type=click.IntRange(1, 64), default=None,
                              help="Tesseract processes at once (default: one per core).")


class LazyGroup(click.Group):
    """A command group whose commands are imported only when typed (or listed by --help): a command pays for its
    own imports alone (`intake scan` not for the web desk's Flask and Argon2, nor for the officers' reports)."""

    lazy: dict[str, str] = {}
    """Command name → "module:attribute", imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup)
@click.version_option(package_name="intake")
@click.option("-v", "--verbose", is_flag=True, help="Log debug details.")
def main(verbose: bool) -> None:
    """Dossier intake for the Vietnam National Quality Award (GTCLQG)."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def run(args: Sequence[str] | None = None) -> NoReturn:
    """The `intake` program: `main`, then the process ends as soon as the command is done. What the interpreter
    does at exit still happens (other threads joined, exit handlers run: logs, child processes, temporary
    folders; output flushed); what is skipped is tearing down every module and object one by one, ~0.2 s after
    every command with openpyxl, lxml and NumPy loaded: wall time at the end of each scan, both cores idle."""
    try:
        main.main(args=list(args) if args is not None else None)
        status = 0
    except SystemExit as done:
        status = _exit_status(done.code)
    # CPython's own exit steps, in its order: other threads ended (thread pools shut down, non-daemon threads
    # joined), then the exit handlers. Elsewhere the interpreter's exit, whole.
    join_threads, exit_handlers = getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)
    if join_threads is None or exit_handlers is None:
        sys.exit(status)
    join_threads()
    exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(status)


def _exit_status(code: object) -> int:
    """A SystemExit's code as the interpreter turns it into the process's status (a message is printed)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def open_store(data: Path) -> Store:
    from ..store import Store

    database = data / "intake.db"
    if not database.exists():
        raise NotFoundError(f"no intake database in {data}; run `intake scan` or `intake watch` first")
    return Store(database)


def desk_rules(store: Store, rules_path: Path | None) -> RuleSet:
    """The rules of the campaign the data folder serves (judging or titling with another campaign's is refused)."""
    from ..judging import load_rules

    rules = load_rules(rules_path)
    served = store.meta("campaign")
    if served and served != rules.campaign.id:
        raise ConfigError(f"the data folder serves campaign {served!r} but the rules are for {rules.campaign.id!r}; "
                          "pass the campaign's rule file with --rules")
    return rules


def clock_of(rules: RuleSet, now: str | None) -> Callable[[], datetime]:
    timezone = rules.campaign.deadline.tzinfo
    assert isinstance(timezone, ZoneInfo)
    return now_option(now, timezone)
