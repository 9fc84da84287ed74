"""The README stays honest: every command, exit code, rule key and deficiency code it promises exists."""

from __future__ import annotations

import re

import click

from intake.cli import main
from intake.errors import ExitCode

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SOURCES = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "intake").rglob("*.py"))


def section(title: str) -> str:
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_readme_opens_with_the_two_commands():
    head = README.split("## ", 1)[0]
    assert "scripts/run" in head and "scripts/test" in head
    assert (REPO / "scripts" / "run").exists() and (REPO / "scripts" / "test").exists()
    assert "scripts/test" in (REPO / ".ci" / "run").read_text()


def test_every_documented_command_exists():
    documented = set(re.findall(r"^intake ([a-z]+)", README, re.M)) | set(re.findall(r"`intake ([a-z]+)", README))
    assert {"watch", "scan", "report"} <= documented
    commands = set(main.list_commands(click.Context(main)))  # the web desk's are loaded when typed
    assert documented <= commands, documented - commands
    assert all(main.get_command(click.Context(main), name) is not None for name in commands)


def test_exit_code_table_matches_the_code():
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section("Exit codes"), re.M))
    assert {int(code) for code in rows} == {int(code) for code in ExitCode}


def test_every_documented_rule_key_is_read_by_the_parser():
    rules_source = (REPO / "intake" / "judging" / "rules.py").read_text(encoding="utf-8")
    keys = re.findall(r"^\| `([a-z_.\[\]]+)`", section("Rule file reference"), re.M)
    assert len(keys) >= 10
    for key in keys:
        leaf = key.split(".")[-1].replace("[]", "")
        assert f'"{leaf}"' in rules_source or leaf in ("components", "checks"), key


def test_every_documented_deficiency_code_is_produced():
    codes = re.findall(r"^\| `([a-z_]+)` \|", section("Deficiency codes"), re.M)
    assert {"missing_document", "missing_criteria", "missing_years", "unreadable_file", "illegible",
            "unsupported_format", "late_submission"} <= set(codes)
    for code in codes:
        assert f'"{code}"' in SOURCES, code
