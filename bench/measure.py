"""Measuring instruments: peak memory of a process tree, CPU time of children, one process per core."""

from __future__ import annotations

import math
import os
import resource
import subprocess
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def cores() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                found += [int(c) for c in fh.read().split()]
    except OSError:  # the process (or thread) ended meanwhile
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def tree(root: int) -> list[int]:
    """A process and all its descendants now."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return found


def _cpu(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used since boot (every CPU, idle and I/O wait excluded)."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / TICKS


class PeakMemory:
    """Samples a process tree in a thread: peak memory, CPU used, the machine's load.

    The sampler runs on the very cores it measures, and costs more the more processes and threads the tree has:
    resident memory every `interval` seconds (cheap), who is in the tree and their CPU every `tree_interval`, the
    proportional memory (a page-table walk, ~12 ms for the service's tree) only near a peak. Measured over 20 s of
    the service's sparse intake: reading it all every 50 ms, and PSS at every new peak, took 5.8% of a core from
    the service's row and 2.5% from the limit's (three processes), a bias of ~1.6% against the service."""

    def __init__(self, root: int, interval: float = 0.05, *, include_root: bool = True,
                 tree_interval: float = 0.25, pss_interval: float = 2.0, pss_recheck: float = 10.0) -> None:
        self.root = root
        self.interval = interval
        self.tree_interval = tree_interval
        self.pss_interval = pss_interval
        self.pss_recheck = pss_recheck
        self.include_root = include_root
        self.peak = 0
        """Peak of the summed resident memory (shared pages counted once per process: an upper bound)."""
        self.peak_pss = 0
        """Peak of the summed proportional memory (shared pages split between their processes)."""
        self.cpu: dict[int, float] = {}
        """CPU seconds each process of the tree had used when last seen."""
        self.busy = self.own = 0.0
        """CPU seconds the whole machine, and this process, used while sampling."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pids: list[int] = []
        tree_at = pss_at = -math.inf
        while not self._stop.is_set():
            now = time.monotonic()
            if now - tree_at >= self.tree_interval:
                # Walking every thread's children file is most of a sample's cost: the tree is looked at 4 times a
                # second; a process living less is counted by its parent's wait (run_tree's children_cpu).
                pids = tree(self.root)[0 if self.include_root else 1:]
                self.cpu.update((pid, _cpu(pid)) for pid in pids)
                tree_at = now
            rss = sum(_rss(pid) for pid in pids)
            rising = rss > self.peak
            self.peak = max(self.peak, rss)
            # PSS near the peaks only: at a new peak (at most every `pss_interval`), else every `pss_recheck`.
            since = now - pss_at
            if rss >= 0.9 * self.peak and ((rising and since >= self.pss_interval) or since >= self.pss_recheck):
                self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in pids))
                pss_at = now
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._busy = machine_busy()
        self._own = _cpu(os.getpid())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.busy = machine_busy() - self._busy
        self.own = _cpu(os.getpid()) - self._own

    def others_beside(self, ours: float) -> float:
        """CPU seconds the rest of the machine used while sampling (other users' jobs: what was not available), given
        what the measured processes used (`ours`, best from their waits: the sampler last saw a short-lived process
        up to `tree_interval` before it ended). This process, which samples, counts as ours."""
        return max(0.0, self.busy - self.own - ours)


def children_cpu() -> float:
    """User + system CPU seconds of every waited-for descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    """What one timed run cost."""

    seconds: float
    """Wall-clock time."""
    cpu: float
    """CPU seconds of the processes it started (and theirs)."""
    peak_rss: int
    """Peak resident memory of the process tree, in bytes (0: not measured)."""
    peak_pss: int = 0
    """Peak proportional memory of the process tree, in bytes."""
    others: float = 0.0
    """CPU seconds other processes of the machine used meanwhile."""
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""


def run_tree(args: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
             timeout: float | None = None) -> Run:
    """Run a command to completion, timing it and sampling its whole process tree's memory."""
    cpu0 = children_cpu()
    start = time.perf_counter()
    with (subprocess.Popen(list(args), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True) as proc, PeakMemory(proc.pid) as peak):
        out, err = proc.communicate(timeout=timeout)
    # The tree's CPU: what its waited-for processes reported, or what the sampler saw if more (the parser
    # sandbox's processes are not waited for by the service).
    cpu = max(children_cpu() - cpu0, sum(peak.cpu.values()))
    return Run(time.perf_counter() - start, cpu, peak.peak, peak.peak_pss, peak.others_beside(cpu), proc.returncode,
               out, err)


@dataclass
class Job:
    """One process of a batch: its own CPU time and output."""

    cpu: float = 0.0
    seconds: float = 0.0
    returncode: int = 0
    stdout: bytes = b""


def run_once(args: Sequence[str], env: dict[str, str] | None = None) -> Job:
    """Run one command; its CPU time comes from wait4, so it is its own even when others run beside it."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Job(usage.ru_utime + usage.ru_stime, time.perf_counter() - start, proc.returncode, out)


@dataclass
class Batch:
    """A batch of processes run `parallel` at a time."""

    jobs: list[Job] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    others: float = 0.0

    @property
    def cpu(self) -> float:
        return sum(j.cpu for j in self.jobs)


def run_batch(commands: Sequence[Sequence[str]], parallel: int, env: dict[str, str] | None = None) -> Batch:
    """Run every command, `parallel` at a time, in order; the batch's wall time and its processes' peak memory."""
    start = time.perf_counter()
    with PeakMemory(os.getpid(), include_root=False) as peak, ThreadPoolExecutor(parallel) as pool:
        jobs = list(pool.map(lambda args: run_once(args, env), commands))
    return Batch(jobs, time.perf_counter() - start, peak.peak, peak.peak_pss,
                 peak.others_beside(sum(job.cpu for job in jobs)))
