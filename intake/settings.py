"""Where the service reads and writes, and its tunables; validated once at start-up."""

from __future__ import annotations

import multiprocessing.util
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .reading import Limits

if TYPE_CHECKING:
    from .notices import MailSettings


def default_workers() -> int:
    """OCR worker processes when none is said: one per core."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Everything a run of the service needs besides the rules."""

    inbox: Path = Path("inbox")
    """The shared folder: one sub-folder per dossier."""
    data: Path = Path("intake-data")
    """Database, archive, outbox and reports; must lie outside the inbox."""
    rules: Path | None = None
    """Rule file (None: the bundled 2020 rules)."""
    workers: int = field(default_factory=default_workers)
    """Tesseract processes run at once (one thread each)."""
    settle_seconds: float = 2.0
    """How long a file's size and mtime must stay unchanged before it is read (watch mode)."""
    rescan_seconds: float = 60.0
    """Full rescan period of the inbox in watch mode (events are only hints)."""
    polling: bool = False
    """Poll the inbox instead of using inotify (network shares)."""
    dossier_settle_seconds: float = 60.0
    """How long a dossier must be quiet before a notice is written (watch mode): ten files, one notice."""
    incomplete_retry_seconds: float = 120.0
    """How long a settled file that does not open structurally is retried before it is unreadable_file."""
    limits: Limits = Limits()
    """Per-file limits."""
    mail: MailSettings | None = None
    """How notices are e-mailed (None: they are only written to the outbox)."""

    @property
    def database(self) -> Path:
        """The SQLite database."""
        return self.data / "intake.db"

    @property
    def archive(self) -> Path:
        """The content-addressed copies of every received file."""
        return self.data / "archive"

    @property
    def outbox(self) -> Path:
        """Notices, one folder per dossier."""
        return self.data / "outbox"

    @property
    def reports(self) -> Path:
        """Officers' reports."""
        return self.data / "reports"


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_layout(settings: Settings) -> tuple[Path, Path]:
    """Refuse layouts that would let the inbox reach the outputs or the rules, creating nothing; returns the
    resolved (inbox, data)."""
    inbox = settings.inbox.expanduser().resolve()
    data = settings.data.expanduser().resolve()
    if _inside(data, inbox):
        raise ConfigError(f"the data folder {data} lies inside the inbox {inbox}; put it outside the shared folder")
    if _inside(inbox, data):
        raise ConfigError(f"the inbox {inbox} lies inside the data folder {data}")
    if settings.rules is not None and _inside(settings.rules.expanduser().resolve(), inbox):
        raise ConfigError("rules are never loaded from the inbox; keep the rule file outside the shared folder")
    return inbox, data


def prepare_folders(settings: Settings) -> Settings:
    """Create missing folders and refuse layouts that would let the inbox reach the outputs."""
    inbox, data = check_layout(settings)
    for folder in (inbox, data):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create {folder}: {exc.strerror}") from exc
        if not folder.is_dir():
            raise ConfigError(f"{folder} is not a folder")
    if not os.access(data, os.W_OK):
        raise ConfigError(f"the data folder {data} is not writable")
    if not os.access(inbox, os.R_OK | os.X_OK):
        raise ConfigError(f"the inbox {inbox} is not readable")
    for sub in ("archive", "outbox", "reports"):
        (data / sub).mkdir(exist_ok=True)
    return Settings(**{**settings.__dict__, "inbox": inbox, "data": data})


def scratch_folder(data: Path) -> Path:
    """Where a run on the data folder `data` puts its temporary files (`use_scratch`)."""
    return data.expanduser().resolve() / "tmp"


@contextmanager
def scratch_for_children(folder: Path) -> Iterator[None]:
    """Child processes started inside (the OCR workers and the parsers' fork server, started before the run's
    `use_scratch(folder)` so that they load meanwhile) put their temporary files in `folder` too: it exists by the
    time they are given a file. The process's own setting is left as it was."""
    _keep_sockets_short()
    before = _set_tmpdir(str(folder))
    try:
        yield
    finally:
        _set_tmpdir(before)


def _keep_sockets_short() -> None:
    """multiprocessing keeps its sockets (the sandbox's fork server) in a folder of its own, made once per process:
    made before TMPDIR points into the data folder, it stays in the system's short temporary folder, since a socket
    path over 107 bytes (a deep data folder) cannot be bound and every sandboxed parse would fail."""
    multiprocessing.util.get_temp_dir()


def _set_tmpdir(value: str | None) -> str | None:
    """Set (None: unset) the TMPDIR children inherit; returns the setting it replaced."""
    before = os.environ.get("TMPDIR")
    if value is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = value
    return before


def use_scratch(folder: Path) -> Callable[[], None]:
    """Make `folder` (under the data folder, emptied: page images of enterprises' documents left by a killed run)
    where this run and its children (Tesseract, LibreOffice, parsers) put temporary files; returns the undo (the
    folder is left for the next start to empty: a child still finishing may be using it)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    _keep_sockets_short()
    before = tempfile.tempdir, _set_tmpdir(str(folder))
    tempfile.tempdir = str(folder)

    def restore() -> None:
        tempfile.tempdir = before[0]
        _set_tmpdir(before[1])

    return restore
