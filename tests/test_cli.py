"""The command line: in-process with CliRunner (exit codes asserted) and once end to end as a real watcher."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from intake.cli import main
from intake.errors import ExitCode

import dossiers
from conftest import REPO, assert_never_complete_with_missing


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make_inbox(root: Path, folder: str, seed: int, **kwargs) -> None:
    rng = random.Random(seed)
    dossiers.write_dossier(root / "inbox" / folder, dossiers.make_enterprise(rng), rng, **kwargs)


def test_scan_then_report(tmp_path):
    make_inbox(tmp_path, "Công ty A", 1)
    make_inbox(tmp_path, "Công ty B", 2, omit=("environment",))
    inbox, data = str(tmp_path / "inbox"), str(tmp_path / "data")
    result = run("scan", "--inbox", inbox, "--data", data, "--now", "2020-06-29T16:00:00")
    assert result.exit_code == 0, result.output
    assert "2 dossiers evaluated" in result.output

    result = run("report", "--data", data, "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["campaign"] == "gtclqg-2020"
    by_folder = {d["folder"]: d for d in report["dossiers"]}
    assert by_folder["Công ty A"]["status"] == "complete"
    assert by_folder["Công ty B"]["missing"] == ["environment"]
    assert by_folder["Công ty A"]["received_at"] == "2020-06-29T16:00:00+07:00"
    assert set(by_folder["Công ty B"]) >= {"folder", "receipt_no", "received_at", "status", "late", "documents",
                                           "missing", "deficiencies"}
    assert_never_complete_with_missing(by_folder)

    table = run("report", "--data", data)
    assert table.exit_code == 0
    assert "GTCLQG-2020-0002  INCOMPLETE  Công ty B" in table.output
    assert "Thiếu thành phần hồ sơ: Báo cáo đánh giá tác động môi trường" in table.output

    out = tmp_path / "report.json"
    assert run("report", "--data", data, "--format", "json", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == report


def test_scan_after_the_deadline_flags_late(tmp_path):
    make_inbox(tmp_path, "Muộn", 3)
    result = run("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data"),
                 "--now", "2020-07-01T00:00:01")
    assert result.exit_code == 0
    report = json.loads(run("report", "--data", str(tmp_path / "data"), "--format", "json").output)
    assert report["dossiers"][0]["late"] is True


def test_a_moment_given_in_another_zone_is_kept_in_the_campaign_s(tmp_path):
    """Audit 27: `--now 2020-06-30T17:00:30Z` gave received_at "2020-06-30T17:00:30+00:00" in the JSON."""
    make_inbox(tmp_path, "Giờ quốc tế", 3)
    assert run("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data"),
               "--now", "2020-06-30T17:00:30Z").exit_code == 0
    (dossier,) = json.loads(run("report", "--data", str(tmp_path / "data"), "--format", "json").output)["dossiers"]
    assert dossier["received_at"] == "2020-07-01T00:00:30+07:00" and dossier["late"] is True


def test_exit_codes(tmp_path):
    inbox = tmp_path / "inbox"
    bad_rules = tmp_path / "bad.toml"
    bad_rules.write_text("[campaign]\nid = 'x'\n", encoding="utf-8")
    result = run("scan", "--inbox", str(inbox), "--data", str(tmp_path / "d"), "--rules", str(bad_rules))
    assert result.exit_code == ExitCode.bad_rules
    assert "bad.toml: campaign.deadline: is required but missing" in result.output

    result = run("scan", "--inbox", str(inbox), "--data", str(inbox / "data"))
    assert result.exit_code == ExitCode.bad_config and "inside the inbox" in result.output

    rules_in_inbox = inbox / "rules.toml"
    inbox.mkdir(exist_ok=True)
    rules_in_inbox.write_text("", encoding="utf-8")
    result = run("scan", "--inbox", str(inbox), "--data", str(tmp_path / "d"), "--rules", str(rules_in_inbox))
    assert result.exit_code == ExitCode.bad_config and "never loaded from the inbox" in result.output

    result = run("report", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == ExitCode.not_found

    assert run("scan", "--now", "yesterday").exit_code == ExitCode.usage
    assert run("report", "--format", "pdf").exit_code == ExitCode.usage


def test_the_program_ends_at_once_yet_as_the_interpreter_would(tmp_path):
    """`intake` (`run`) ends its process without tearing down every module, but its exit status, its output to
    pipes, the exit handlers and other threads' ends are the interpreter's."""
    script = """
import atexit, sys, threading, time
from intake.cli import run
atexit.register(lambda: print("exit handler ran", flush=True))
late = threading.Thread(target=lambda: (time.sleep(0.3), print("thread ended")))
late.start()
run(sys.argv[1:])
"""
    def program(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=REPO,
                              timeout=120)

    done = program("report", "--data", str(tmp_path / "nowhere"))
    assert done.returncode == ExitCode.not_found
    assert done.stdout.splitlines() == ["thread ended", "exit handler ran"]  # piped, so block-buffered: flushed
    assert done.stderr.startswith("intake: error: no intake database in")
    done = program("--version")
    assert done.returncode == 0 and "version" in done.stdout and done.stdout.endswith("exit handler ran\n")
    assert program("report", "--format", "pdf").returncode == ExitCode.usage
    make_inbox(tmp_path, "Công ty A", 1)
    done = program("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data"))
    assert done.returncode == 0 and "1 dossiers evaluated" in done.stdout, done.stderr
    assert (tmp_path / "data" / "reports" / "index.html").exists() and not list((tmp_path / "data").glob("*.db-wal"))


def test_a_command_imports_what_it_needs_only(tmp_path):
    """The command line alone imports no stage, and `scan`/`watch` import the service's modules (the pipeline,
    the notices' python-docx, the register's openpyxl) only once their OCR workers are starting."""
    script = """
import sys
import intake.cli
print(sorted(m for m in ("intake.cli.service", "intake.reading", "intake.pipeline") if m in sys.modules))
import intake.cli.service
stages = ("intake.pipeline", "intake.judging", "intake.notices", "openpyxl", "docx")
print(sorted(m for m in stages if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "[]"]


def test_every_command_is_named_where_the_command_line_finds_it():
    """Commands are imported when typed (`main.lazy`): one a module defines but the table does not name could never
    be typed, and each name must lead to the command of that name."""
    import importlib

    import click

    for module in ("intake.cli.service", "intake.cli.officers", "intake.cli.campaign", "intake.web.commands"):
        importlib.import_module(module)
    assert set(main.commands) <= set(main.lazy)  # every command its module registered on import
    context = click.Context(main)
    for name, target in main.lazy.items():
        module, _, attribute = target.partition(":")
        command = main.get_command(context, name)
        assert command is getattr(importlib.import_module(module), attribute) and command.name == name


def test_scan_starts_its_ocr_workers_and_parsers_first_and_uses_those(tmp_path):
    """`intake scan` starts its OCR workers and the parsers' fork server before it imports the pipeline (their
    start-up runs on the other core meanwhile), then reads the scanned pages with those very workers. Started
    before the run's temporary folder is made, they still put their temporary files there."""
    make_inbox(tmp_path, "Công ty A", 1, formats={"*": "pdf", "environment": "scan"})
    script = """
import os, sys
from multiprocessing import forkserver
events = []

def hook(event, args):
    if event == "subprocess.Popen" and "intake.reading.workers" in " ".join(map(str, args[1])):
        events.append("OCR worker, TMPDIR " + args[3]["TMPDIR"])
    elif event == "import" and args[0] == "intake.pipeline":
        # multiprocessing keeps the fork server's pid here (3.11): set once it is started
        pid = forkserver._forkserver._forkserver_pid
        with open(f"/proc/{pid}/environ", "rb") as fh:
            tmpdir = dict(v.split(b"=", 1) for v in fh.read().split(b"\\0") if b"=" in v)[b"TMPDIR"].decode()
        events.append("pipeline, fork server started, TMPDIR " + tmpdir)

sys.addaudithook(hook)
from intake.cli import main
main(sys.argv[1:], standalone_mode=False)
print(events)
"""
    done = subprocess.run([sys.executable, "-c", script, "scan", "--workers", "2", "--inbox", str(tmp_path / "inbox"),
                           "--data", str(tmp_path / "data"), "--now", "2020-06-29T16:00:00"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    *_, events = done.stdout.splitlines()
    # two workers, started first; none after: the scanned page, without which the dossier is not complete, was
    # read by one of them
    scratch = str((tmp_path / "data" / "tmp").resolve())
    assert events == str([f"OCR worker, TMPDIR {scratch}"] * 2 + [f"pipeline, fork server started, TMPDIR {scratch}"])
    assert _report(tmp_path / "data")["Công ty A"]["status"] == "complete"


def test_defaults_create_inbox_and_data_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("scan")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "inbox").is_dir() and (tmp_path / "intake-data" / "intake.db").is_file()


def _wait_for(condition, timeout: float = 120.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _report(data: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "intake.cli", "report", "--data", str(data), "--format", "json"],
                            capture_output=True, text=True, cwd=REPO)
    return {d["folder"]: d for d in json.loads(result.stdout)["dossiers"]} if result.returncode == 0 else {}


def test_watcher_end_to_end(tmp_path):
    """`python watcher.py` as a real process: start-up scan, new files, a second instance refused, SIGTERM."""
    make_inbox(tmp_path, "Có sẵn", 4)
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, str(REPO / "watcher.py"), "--inbox", str(inbox), "--data", str(data), "--settle", "0.5"]
    watcher = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: _report(data).get("Có sẵn", {}).get("status") == "complete", what="start-up scan")

        second = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == ExitCode.already_running
        assert "already using the data folder" in second.stderr

        make_inbox(tmp_path, "Mới đến", 5, omit=("tax_insurance",))
        _wait_for(lambda: _report(data).get("Mới đến", {}).get("missing") == ["tax_insurance"], what="new dossier")
        assert _report(data)["Mới đến"]["receipt_no"].endswith("-0002")

        rng = random.Random(6)
        dossiers.write_digital_pdf(  # the enterprise's own (seed 5): another's tax code would not count
            inbox / "Mới đến" / "Thuế.pdf",
            dossiers.component_pages("tax_insurance", dossiers.make_enterprise(random.Random(5)), rng),
        )
        _wait_for(lambda: _report(data).get("Mới đến", {}).get("status") == "complete", what="supplement")
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, stderr = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, stderr
    assert "stopped" in stderr


@pytest.mark.parametrize("bad", [("--now", "30/6/2020"), ("--rules", "missing.toml")])
def test_a_refused_start_creates_no_folder(tmp_path, bad):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    result = run("scan", "--inbox", str(inbox), "--data", str(data), bad[0], str(tmp_path / bad[1]) if bad[0] ==
                 "--rules" else bad[1])
    assert result.exit_code != 0
    assert not inbox.exists() and not data.exists()


def test_search_words_may_start_with_a_dash(tmp_path):
    make_inbox(tmp_path, "Công ty A", 1)
    data = str(tmp_path / "data")
    assert run("scan", "--inbox", str(tmp_path / "inbox"), "--data", data).exit_code == 0
    for args in (("search", "-x", "--data", data), ("search", "--data", data, "--", "-x")):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "no page matches" in result.output


def test_temporary_files_live_under_the_data_folder_and_a_start_clears_them(tmp_path):
    """Page images of a killed run's OCR are enterprises' documents: kept under the data folder, removed at start."""
    make_inbox(tmp_path, "Công ty A", 1, formats={"*": "pdf"})
    data = tmp_path / "data"
    (data / "tmp" / "intake-ocr-left").mkdir(parents=True)
    (data / "tmp" / "intake-ocr-left" / "page.tiff").write_bytes(b"II*\0")
    assert run("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(data)).exit_code == 0
    assert (data / "tmp").is_dir() and not (data / "tmp" / "intake-ocr-left").exists()
    assert not [p for p in (data / "tmp").iterdir() if p.name.startswith("intake-")]  # each run cleans its own
    assert os.environ.get("TMPDIR") != str(data / "tmp")  # the process's own setting is restored afterwards


def test_a_deep_data_folder_does_not_break_the_sandbox(tmp_path):
    """The fork server's socket must not follow temporary files into a data folder whose path is long."""
    data = tmp_path / ("dữ liệu tiếp nhận hồ sơ " * 3).strip() / "data"
    script = ("import sys; from pathlib import Path; from intake.settings import use_scratch; "
              "use_scratch(Path(sys.argv[1])); from intake.reading.sandbox import run_limited; "
              "print(run_limited(abs, -3, timeout=60, memory_bytes=1 << 30))")
    data.mkdir(parents=True)
    assert len(str(data / "tmp" / "pymp-12345678" / "listener-12345678").encode()) > 108
    result = subprocess.run([sys.executable, "-c", script, str(data / "tmp")], capture_output=True, text=True,
                            timeout=300, cwd=REPO)
    assert result.returncode == 0 and result.stdout.strip() == "3", result.stderr[-2000:]


def test_scan_leaves_a_file_still_being_written_for_its_next_run(tmp_path):
    """Audit 27: a Word file saved in two steps, `intake scan` (cron) between them: the half-written file was read,
    found broken, and the enterprise asked to send again a file it was still saving."""
    make_inbox(tmp_path, "Công ty Đang lưu", 5)
    folder = tmp_path / "inbox" / "Công ty Đang lưu"
    rng = random.Random(6)
    dossiers.write_docx(tmp_path / "saved.docx",
                        dossiers.component_pages("other_evidence", dossiers.make_enterprise(rng), rng))
    whole = (tmp_path / "saved.docx").read_bytes()
    (folder / "Bo sung.docx").write_bytes(whole[: len(whole) // 2])  # the central directory is not written yet
    args = ("scan", "--inbox", str(tmp_path / "inbox"), "--data", str(tmp_path / "data"), "--now",
            "2020-06-20T09:00:00")
    assert run(*args).exit_code == 0
    report = json.loads(run("report", "--data", str(tmp_path / "data"), "--format", "json").output)
    (dossier,) = report["dossiers"]
    assert not any(d["file"] == "Bo sung.docx" for d in dossier["deficiencies"])
    assert all(not e["file"].startswith("Bo sung.docx") for e in dossier["evidence"])
    (folder / "Bo sung.docx").write_bytes(whole)  # saved: the next run reads it
    assert run(*args).exit_code == 0
    report = json.loads(run("report", "--data", str(tmp_path / "data"), "--format", "json").output)
    assert any(e["file"] == "Bo sung.docx" for e in report["dossiers"][0]["evidence"])
    # Long unchanged and still broken, a file is read all the same: a deficiency, never lost.
    from intake.receiving import Candidate, written_or_old
    broken = Candidate("A", "x.docx", folder / "x.docx", 10, mtime_ns=1_000, ctime_ns=2_000)
    assert not written_or_old(lambda c: False, 2_000 + 119 * 10**9)(broken)
    assert written_or_old(lambda c: False, 2_000 + 120 * 10**9)(broken)
    assert written_or_old(lambda c: True, 2_000)(broken)
