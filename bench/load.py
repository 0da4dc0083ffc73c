# ruff: noqa: S108, S603, S607
"""Load benchmark: the app on gunicorn + PostgreSQL against a bare one-INSERT endpoint.

A developer tool: it runs local programs (flask, gunicorn, ps) and writes under /tmp.

    .venv/bin/python bench/load.py                 # 10,000 and 100,000 responses
    .venv/bin/python bench/load.py --seconds 5     # shorter runs
    make bench                                     # the same

It creates the database ``cv_h15_bench`` (``BENCH_ADMIN_URL`` names the server),
migrates and seeds it (framework and plan), builds realistic surveys with
bench/load_data.py, starts the app and bench/bare.py on gunicorn (``--workers``,
ports 15080/15081), and drives both with the same load generator: ``--clients``
threads (32), each with its own session, reading CSRF tokens from the pages as a
browser does. Each figure is printed with its ratio to the bare insert's req/s,
measured in the same run. Rate limits are off (as in the issue's measurements).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ADMIN = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = os.environ.get("BENCH_DATABASE", "cv_h15_bench")
APP_PORT, BARE_PORT = 15080, 15081
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def database_url(driver: str = "postgresql+psycopg") -> str:
    base = ADMIN.rsplit("/", 1)[0].split("://", 1)[1]
    return f"{driver}://{base}/{NAME}"


def prepare(sizes: tuple[int, ...]) -> dict:
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {NAME}")
    env = environment()
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run(
            [str(ROOT / ".venv/bin/flask"), *command],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
    with psycopg.connect(database_url("postgresql"), autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, note text)")
    sys.path.insert(0, str(ROOT))
    from community import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url()})
    sys.path.insert(0, str(ROOT / "bench"))
    import load_data

    with app.app_context():
        started = time.perf_counter()
        ids = load_data.build(sizes)
        print(f"data: {sizes} responses in {time.perf_counter() - started:.1f} s", flush=True)
    return ids


def environment() -> dict:
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi:app",
        DATABASE_URL=database_url(),
        RATELIMIT_ENABLED="false",
        JOBS_MODE="off",
        MAIL_BACKEND="file",
        MAIL_FILE_DIR="/tmp/cv_h15_bench_mail",
        BARE_DSN=database_url("postgresql"),
    )
    env.pop("REDIS_URL", None)
    return env


def start(module: str, port: int, workers: int, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            module,
        ],
        cwd=cwd,
        env=environment(),
        start_new_session=True,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{module} did not start")


def worker_rss(master: subprocess.Popen) -> list[float]:
    """Resident memory (MB) of each gunicorn worker of ``master``."""
    out = subprocess.run(
        ["ps", "--ppid", str(master.pid), "-o", "rss="], capture_output=True, text=True
    ).stdout.split()
    return [int(kb) / 1024 for kb in out]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    def add(self, name: str, seconds: float, ok: bool):
        with self.lock:
            self.times.setdefault(name, []).append(seconds)
            if not ok:
                self.errors[name] = self.errors.get(name, 0) + 1


def drive(flow, clients: int, seconds: float) -> tuple[Recorder, float, float]:
    """Run ``flow(session, record)`` in a loop on ``clients`` threads for ``seconds``."""
    record = Recorder()
    stop = time.perf_counter() + seconds
    done = [0]

    def client():
        session = requests.Session()
        while time.perf_counter() < stop:
            flow(session, record)
            with record.lock:
                done[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return record, time.perf_counter() - started, done[0]


def timed(record, name, session, method, url, **kw):
    started = time.perf_counter()
    try:
        response = session.request(method, url, allow_redirects=False, timeout=60, **kw)
        ok = response.status_code < 400
    except requests.RequestException:
        response, ok = None, False
    record.add(name, time.perf_counter() - started, ok)
    return response


def token(page) -> str:
    found = CSRF.search(page.text if page is not None else "")
    return (found.group(1) or found.group(2)) if found else ""


def survey_flow(ids):
    base = f"http://127.0.0.1:{APP_PORT}/surveys/{ids['flow']}"
    answers = {
        "single_choice": "Yes",
        "likert": "4",
        "scale": "7",
        "number": "3",
        "multiple_choice": ["Yes", "No"],
        "dropdown": "No",
        "short_text": "quiet",
        "long_text": "More lighting by the station, please.",
    }

    def flow(session, record):
        session.cookies.clear()  # a new person each time (anonymous answers allowed)
        page = timed(record, "start", session, "GET", base)
        timed(record, "begin", session, "POST", f"{base}/begin", data={"csrf_token": token(page)})
        for section_id, questions in zip(ids["flow_sections"], ids["flow_questions"], strict=True):
            url = f"{base}/sections/{section_id}"
            page = timed(record, "section GET", session, "GET", url)
            data = {f"q{qid}": answers[kind] for qid, kind in questions}
            timed(
                record,
                "section POST",
                session,
                "POST",
                url,
                data={**data, "csrf_token": token(page)},
            )
        page = timed(record, "check", session, "GET", f"{base}/check")
        sent = timed(
            record, "submit", session, "POST", f"{base}/submit", data={"csrf_token": token(page)}
        )
        if sent is not None and sent.status_code == 302:
            timed(record, "confirmation", session, "GET", f"{base}/confirmation")
        else:
            record.add("submit refused", 0, False)

    return flow


def page(name, path, port=APP_PORT):
    def flow(session, record):
        timed(record, name, session, "GET", f"http://127.0.0.1:{port}{path}")

    return flow


def bare(session, record):
    timed(record, "bare insert", session, "POST", f"http://127.0.0.1:{BARE_PORT}/insert")


def summary(record: Recorder, elapsed: float):
    rows = []
    for name, times in record.times.items():
        times = sorted(times)
        p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
        rows.append((name, len(times) / elapsed, p(0.5), p(0.99), record.errors.get(name, 0)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-data", action="store_true", help="reuse the database")
    args = parser.parse_args()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    ids_file = Path("/tmp") / f"{NAME}_ids.json"
    import json

    if args.skip_data:
        ids = json.loads(ids_file.read_text())
        ids["results"] = {int(k): v for k, v in ids["results"].items()}
    else:
        ids = prepare(sizes)
        ids_file.write_text(json.dumps(ids))
    app = start("wsgi:app", APP_PORT, args.workers, ROOT)
    yardstick = start("bare:app", BARE_PORT, args.workers, ROOT / "bench")
    try:
        runs = [("bare insert (POST, one INSERT)", bare)]
        runs.append(("complete survey response (11 requests)", survey_flow(ids)))
        for size in sizes:
            runs.append(
                (
                    f"results page, {size:,} responses",
                    page(f"results {size:,}", f"/surveys/{ids['results'][size]}/results"),
                )
            )
        for path in (
            "/",
            "/consultations/",
            "/consultations/bench-open",
            "/consensus/",
            "/plan/",
            "/outcomes/",
        ):
            runs.append((f"GET {path}", page(f"GET {path}", path)))
        results = []
        for title, flow in runs:
            # Warm up (caches, connections), then measure.
            drive(flow, args.clients, 1.5)
            record, elapsed, loops = drive(flow, args.clients, args.seconds)
            results.append((title, record, elapsed, loops))
            print(f"... {title}: {loops / elapsed:.1f}/s", flush=True)
        rss = worker_rss(app)
        bare_rss = worker_rss(yardstick)
    finally:
        for process in (app, yardstick):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
    bare_rate = None
    print(f"\nload average: {os.getloadavg()}  (2 cores shared with other agents' work)")
    print(f"{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:.0f} s each\n")
    print("| what | req/s | p50 ms | p99 ms | errors | x bare insert |")
    print("|---|---|---|---|---|---|")
    for title, record, elapsed, loops in results:
        for name, rate, p50, p99, errors in summary(record, elapsed):
            if name == "bare insert":
                bare_rate = rate
            ratio = f"{rate / bare_rate:.3f}" if bare_rate else ""
            print(f"| {name} | {rate:.1f} | {p50:.0f} | {p99:.0f} | {errors} | {ratio} |")
        if title.startswith("complete"):
            rate = loops / elapsed
            print(f"| **complete responses** | {rate:.2f}/s | | | | {rate / bare_rate:.4f} |")
            every = [t for n, ts in record.times.items() for t in ts if n != "submit refused"]
            print(
                f"| every survey request | {len(every) / elapsed:.1f} | "
                f"{statistics.median(every) * 1000:.0f} | | | "
                f"{len(every) / elapsed / bare_rate:.3f} |"
            )
    print(
        f"\nworker RSS after the load (MB): app {[round(r) for r in rss]}, "
        f"bare {[round(r) for r in bare_rss]}"
    )


if __name__ == "__main__":
    main()
