"""The one error tree for failures of the process itself; bad files are data (deficiencies), never these."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Stable exit codes of the `intake` command, documented in README.md."""

    ok = 0
    """Success."""
    usage = 2
    """Bad command line (click's own code)."""
    bad_rules = 3
    """The rule file is missing or invalid."""
    bad_config = 4
    """Unusable folders or settings: data folder not writable, outputs inside the inbox, inbox not a folder; a bad
    SMTP option, mail config file or contacts file."""
    missing_dependency = 5
    """Tesseract or its `vie` language (or another required program) is not installed."""
    already_running = 6
    """Another instance already holds the lock on this data folder."""
    not_found = 7
    """A receipt number, dossier or component named on the command line does not exist."""
    disk_full = 8
    """The data folder's disk is full: nothing can be received, recorded or written."""
    internal = 10
    """An unexpected bug; the message says where."""


class IntakeError(Exception):
    """Base of every process-level failure; carries its exit code."""

    exit_code: ExitCode = ExitCode.internal


class RulesError(IntakeError):
    """A rule file cannot be read or is invalid; the message names the file and the key."""

    exit_code = ExitCode.bad_rules

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class ConfigError(IntakeError):
    """The folders or settings the service was given cannot be used."""

    exit_code = ExitCode.bad_config


class DependencyError(IntakeError):
    """A required external program or language pack is missing."""

    exit_code = ExitCode.missing_dependency


class AlreadyRunningError(IntakeError):
    """Another instance holds the data folder's lock."""

    exit_code = ExitCode.already_running


class NotFoundError(IntakeError):
    """Something named on the command line does not exist."""

    exit_code = ExitCode.not_found


class DiskFullError(IntakeError):
    """The disk of the data folder has no space left (`scan` stops; `watch` waits and resumes by itself)."""

    exit_code = ExitCode.disk_full
