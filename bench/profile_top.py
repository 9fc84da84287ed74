"""Profile a service run with py-spy (wall clock, idle threads included) and summarise where the time goes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

PLUMBING = ("threading.py", "concurrent/", "selectors.py", "subprocess.py", "<frozen runpy>", "click/")
"""Frames every stack passes through (thread start-up, pools, process pipes, the CLI): left out of the top."""


def summarise(raw: str, top: int = 15) -> str:
    """Inclusive share of each function per thread group (main, file readers, OCR workers) of a py-spy raw file."""
    groups: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    threads: dict[str, set[str]] = {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        thread = frames[0]
        name = thread.split(": ", 1)[-1] if ": " in thread else thread
        group = "OCR workers" if name.startswith("ocr") else "file readers" if name.startswith("file") else name
        threads.setdefault(group, set()).add(thread)
        totals[group] += int(count)
        seen = set()
        for frame in frames[1:]:
            function = frame.split(" (", 1)[0]
            where = frame.split(" (", 1)[1].rstrip(")") if " (" in frame else ""
            key = f"{function} ({where})"
            if where.startswith(PLUMBING):
                continue
            if key not in seen:
                seen.add(key)
                groups.setdefault(group, Counter())[key] += int(count)
    out = []
    for group in sorted(totals, key=lambda g: -totals[g]):
        if group not in ("OCR workers", "file readers", "MainThread"):
            continue
        out.append(f"{group} ({len(threads[group])} threads, {totals[group]} samples): inclusive share of wall time")
        for key, count in groups[group].most_common(top):
            out.append(f"  {100 * count / totals[group]:5.1f}%  {key}")
        out.append("")
    return "\n".join(out)


def profile_scan(command: Sequence[str], prefix: Path, rate: int = 50) -> str:
    """Run `command` under py-spy; write the raw profile and its summary next to `prefix`; return the summary."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed (pip install -e '.[bench]')")
    raw = prefix.with_suffix(".raw.txt")
    subprocess.run([spy, "record", "--idle", "--threads", "--nolineno", "--format", "raw", "--rate", str(rate),
                    "-o", str(raw), "--", *command], check=True, stdout=sys.stderr)
    text = summarise(raw.read_text())
    prefix.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
    return text
