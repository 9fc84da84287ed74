"""What officers on the web desk cost intake: the same seeded corpus ingested (`intake scan`, the watcher's pipeline)
with and without N officers opening queue and dossier pages on `intake serve`; every answer's status and latency.

    .venv/bin/python bench/desk_load.py [--officers 20] [--scanned 3] [--digital 6] [--think 1] [--repeat 1]

Runs alternate (without, with, without, with…) on fresh data folders; the desk and the officers run at nice 10 as
scripts/run starts the desk. Prints a JSON summary (also written to --json). Target: ingest time with officers at
most 1/0.9 of the time without (throughput down by at most 10%), every page answered.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
INTAKE = [sys.executable, "-m", "intake.cli"]
PASSWORD = "mat-khau-do-tai"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_DOSSIER = re.compile(r'href="/ho-so/(\d+)"')


def corpus(folder: Path, scanned: int, digital: int) -> Path:
    """Seeded dossiers (scanned ones: every component an image-only PDF, OCR'd), built once per size."""
    import dossiers

    target = folder / f"corpus-{scanned}s-{digital}d"
    if (target / ".done").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    rng = random.Random(20200630)
    for index in range(scanned + digital):
        ent = dossiers.make_enterprise(rng)
        fmt = "scan" if index < scanned else "pdf"
        dossiers.write_dossier(target / f"Doanh nghiep {index + 1:02d}", ent, rng, formats={"*": fmt})
    (target / ".done").write_text("ok")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def officer(base: str, name: str, think: float, stop: threading.Event, results: list, seed: int) -> None:
    """One officer: signs in, then opens the queue and a dossier page, reads for `think` seconds, again."""
    rng = random.Random(seed)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> str:
        started = time.monotonic()
        try:
            with opener.open(base + path, timeout=60) as response:
                body = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = "", exc.code
        except OSError:
            body, status = "", 0
        results.append((path.split("?")[0].rstrip("0123456789") or "/", status, time.monotonic() - started))
        return body

    form = get("/dang-nhap")
    token = _TOKEN.search(form)
    data = urllib.parse.urlencode({"name": name, "password": PASSWORD, "csrf_token": token.group(1) if token else ""})
    opener.open(base + "/dang-nhap", data.encode(), timeout=60).read()
    while not stop.is_set():
        ids = _DOSSIER.findall(get("/"))
        if ids:
            get(f"/ho-so/{rng.choice(ids)}")
        stop.wait(think)


def officers_main(base: str, count: int, think: float, seconds_file: Path) -> None:
    """The officers, in their own (niced) process: run until SIGTERM, then write every answer to `seconds_file`."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    results: list = []
    threads = [threading.Thread(target=officer, args=(base, f"canbo{i:02d}", think, stop, results, i), daemon=True)
               for i in range(count)]
    for thread in threads:
        thread.start()
    while not stop.wait(0.2):
        pass
    for thread in threads:
        thread.join(timeout=70)
    seconds_file.write_text(json.dumps(results))


def one_run(work: Path, source: Path, *, officers: int, think: float, index: int) -> dict:
    run = work / f"run-{index}"
    shutil.rmtree(run, ignore_errors=True)
    inbox, data = run / "inbox", run / "data"
    inbox.mkdir(parents=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(REPO)}
    subprocess.run(INTAKE + ["scan", "--inbox", str(inbox), "--data", str(data)], check=True, env=env,
                   capture_output=True, timeout=300)
    desk = clients = None
    answers = run / "answers.json"
    try:
        if officers:
            for i in range(officers):
                subprocess.run(INTAKE + ["users", "add", f"canbo{i:02d}", "--role", "officer", "--password-stdin",
                                         "--data", str(data)], input=PASSWORD + "\n", text=True, check=True, env=env,
                               capture_output=True, timeout=120)
            port = free_port()
            desk = subprocess.Popen(["nice", "-n", "10", *INTAKE, "serve", "--data", str(data), "--port", str(port)],
                                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                if time.monotonic() > deadline:
                    raise RuntimeError("the desk did not start")
                time.sleep(0.2)
            clients = subprocess.Popen(["nice", "-n", "10", sys.executable, __file__, "--officers-only",
                                        f"http://127.0.0.1:{port}", "--officers", str(officers), "--think", str(think),
                                        "--answers", str(answers)], env=env)
            time.sleep(3)  # every officer signed in and reading before intake starts
        for dossier in sorted(source.iterdir()):
            if dossier.is_dir():
                shutil.copytree(dossier, inbox / dossier.name)
        started = time.monotonic()
        subprocess.run(INTAKE + ["scan", "--inbox", str(inbox), "--data", str(data), "--workers", "2"], check=True,
                       env=env, capture_output=True, timeout=3600)
        elapsed = time.monotonic() - started
    finally:
        for child in (clients, desk):
            if child is not None:
                child.send_signal(signal.SIGTERM)
                child.wait(timeout=120)
    result = {"officers": officers, "ingest_seconds": round(elapsed, 2)}
    if officers:
        rows = json.loads(answers.read_text())
        latencies = sorted(r[2] for r in rows)
        result.update({
            "answers": len(rows),
            "not_ok": sum(1 for r in rows if r[1] != 200),
            "by_page": {p: sum(1 for r in rows if r[0] == p) for p in sorted({r[0] for r in rows})},
            "latency_p50": round(statistics.median(latencies), 3),
            "latency_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
            "latency_max": round(latencies[-1], 3),
        })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/intake-desk-bench"))
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--scanned", type=int, default=3)
    parser.add_argument("--digital", type=int, default=6)
    parser.add_argument("--think", type=float, default=1.0, help="Seconds an officer reads a page before the next.")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--officers-only", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--answers", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.officers_only:
        officers_main(args.officers_only, args.officers, args.think, args.answers)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    source = corpus(args.work, args.scanned, args.digital)
    runs = []
    for repeat in range(args.repeat):
        for officers in (0, args.officers):
            runs.append(one_run(args.work, source, officers=officers, think=args.think, index=len(runs)))
            print(json.dumps(runs[-1], ensure_ascii=False), flush=True)
    without = statistics.median(r["ingest_seconds"] for r in runs if not r["officers"])
    with_load = statistics.median(r["ingest_seconds"] for r in runs if r["officers"])
    summary = {
        "corpus": {"scanned_dossiers": args.scanned, "digital_dossiers": args.digital},
        "officers": args.officers, "think_seconds": args.think, "cores": os.cpu_count(),
        "ingest_seconds_without": without, "ingest_seconds_with": with_load,
        "throughput_ratio": round(without / with_load, 3),
        "every_page_answered": all(r.get("not_ok", 0) == 0 for r in runs),
        "runs": runs,
    }
    text = json.dumps(summary, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
