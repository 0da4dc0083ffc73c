# ruff: noqa: S108, S603, S607
"""Load benchmark: the app on gunicorn + PostgreSQL against a bare one-INSERT endpoint.

A developer tool: it runs local programs (flask, gunicorn, ps) and writes under /tmp.

    .venv/bin/python bench/load.py                 # 10,000 and 100,000 responses
    .venv/bin/python bench/load.py --seconds 5     # shorter runs
    make bench                                     # the same

It creates the database ``cv_h15_bench`` (``BENCH_DATABASE``; ``BENCH_ADMIN_URL``
names the server), migrates and seeds it (framework and plan), builds realistic data
with bench/load_data.py (surveys, 1,000 ideas, a 1,000 x 100 conversation, signed-in
residents), starts the app and bench/bare.py on gunicorn (``--workers``, ports
``--app-port``/``--bare-port``, default 15080/15081 or ``BENCH_APP_PORT``/
``BENCH_BARE_PORT``), and drives both with the same load generator: ``--clients``
threads (32), each with its own session, reading CSRF tokens from the pages as a
browser does (signed-in flows sign in through the sign-in form first). Each row is
measured in ``--slices`` slices (4) alternating with slices of the bare insert, and
printed with its ratio to the bare insert's req/s measured beside it: on a machine
shared with other work, a ratio to a bare figure taken minutes earlier moved by 30 %
between runs of the same code. Each row also gives the CPU its server's gunicorn
workers used per request while the clock ran (the app's, and the bare insert's in
the slices beside it): steadier than req/s where other work shares the cores.
Rate limits are off (as in the issue's measurements). After the load it checks that
every acknowledged survey submission is stored once, then starts ``flask worker``
(``JOBS_MODE=worker``, ``BENCH_REDIS_URL``, default redis://127.0.0.1:6379/2) to run
the jobs the load queued, and prints the RSS of the web workers and of the worker.
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
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "15080"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "15081"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
REFERENCE = re.compile(r"<strong>([A-Z0-9]{4,12})</strong>")
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
        # Jobs (recomputing the conversation after votes, mail) are queued for
        # `flask worker`, woken through Redis, as in production.
        JOBS_MODE="worker",
        REDIS_URL=REDIS,
        MAIL_BACKEND="file",
        MAIL_FILE_DIR=f"/tmp/{NAME}_mail",
        BARE_DSN=database_url("postgresql"),
    )
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


def worker_cpu(master: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the gunicorn workers of ``master``.

    Per request it is a steadier figure than req/s on a shared machine: other work
    slows a request down far more than it adds to the CPU the request itself takes."""
    pids = subprocess.run(
        ["ps", "--ppid", str(master.pid), "-o", "pid="], capture_output=True, text=True
    ).stdout.split()
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_uss(master: subprocess.Popen) -> list[float]:
    """Memory (MB) each gunicorn worker of ``master`` holds alone (private pages, from
    /proc/<pid>/smaps_rollup): what one more worker costs, where RSS also counts the
    shared libraries every process maps."""
    pids = subprocess.run(
        ["ps", "--ppid", str(master.pid), "-o", "pid="], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kb = sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_"))
        sizes.append(kb / 1024)
    return sizes


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.cpu = 0.0  # the measured server's worker CPU seconds while the clock ran

    def add(self, name: str, seconds: float, ok: bool):
        with self.lock:
            self.times.setdefault(name, []).append(seconds)
            if not ok:
                self.errors[name] = self.errors.get(name, 0) + 1


def drive(flow, clients: int, seconds: float, meter=None) -> tuple[Recorder, float, float]:
    """Run ``flow(session, record)`` in a loop on ``clients`` threads for ``seconds``.

    A flow with a ``setup(session, index)`` attribute (signing in, reading a token) has
    it run on every thread before the clock starts. ``meter()`` (the server's worker
    CPU seconds) is read when the clock starts and when the last client is done."""
    record = Recorder()
    setup = getattr(flow, "setup", None)
    ready = threading.Barrier(clients + 1)
    stop = [0.0]
    done = [0]

    def client(index):
        session = requests.Session()
        if setup is not None:
            setup(session, index)
        ready.wait()
        while time.perf_counter() < stop[0]:
            flow(session, record)
            with record.lock:
                done[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop[0] = time.perf_counter() + 3600
    ready.wait()
    cpu_at_start = meter() if meter else 0.0
    started = time.perf_counter()
    stop[0] = started + seconds
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    record.cpu = (meter() - cpu_at_start) if meter else 0.0
    return record, elapsed, done[0]


def drive_beside(flow, clients: int, seconds: float, slices: int, meters=(None, None)):
    """``drive(flow)`` for ``seconds`` in all, in ``slices`` slices each after a slice
    of the bare insert as long: the row's figures, and the bare insert's req/s
    measured beside it (and the bare insert's loops and worker CPU seconds)."""
    record, elapsed, loops = Recorder(), 0.0, 0
    bare_loops, bare_elapsed, bare_cpu = 0, 0.0, 0.0
    app_meter, bare_meter = meters
    for _ in range(slices):
        bare_record, took, done = drive(bare, clients, seconds / slices, bare_meter)
        bare_loops, bare_elapsed = bare_loops + done, bare_elapsed + took
        bare_cpu += bare_record.cpu
        part, took, done = drive(flow, clients, seconds / slices, app_meter)
        record.cpu += part.cpu
        for name, times in part.times.items():
            record.times.setdefault(name, []).extend(times)
        for name, errors in part.errors.items():
            record.errors[name] = record.errors.get(name, 0) + errors
        elapsed, loops = elapsed + took, loops + done
    return record, elapsed, loops, bare_loops / bare_elapsed, (bare_loops, bare_cpu)


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


def survey_flow(ids, acknowledged: list[str]):
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
            shown = timed(record, "confirmation", session, "GET", f"{base}/confirmation")
            found = REFERENCE.search(shown.text if shown is not None else "")
            with record.lock:
                acknowledged.append(found.group(1) if found else "?")
        else:
            record.add("submit refused", 0, False)

    return flow


def page(name, path):
    def flow(session, record):
        timed(record, name, session, "GET", f"http://127.0.0.1:{APP_PORT}{path}")

    return flow


def sign_in(session: requests.Session, email: str) -> None:
    """Through the real form: read its CSRF token, post, expect the redirect."""
    from load_data import PASSWORD

    url = f"http://127.0.0.1:{APP_PORT}/sign-in"
    for _attempt in range(5):
        try:
            form = session.get(url, timeout=120)
            sent = session.post(
                url,
                data={"csrf_token": token(form), "email": email, "password": PASSWORD},
                allow_redirects=False,
                timeout=120,
            )
        except requests.RequestException:
            continue
        if sent.status_code == 302:
            return
    raise SystemExit(f"could not sign in as {email}")


def vote_flow(ids, first_account: int):
    """A signed-in resident voting on random statements of the conversation, with the
    vote form's CSRF token read from the conversation page (it holds for the session)."""
    import random

    url = f"http://127.0.0.1:{APP_PORT}/conversations/{ids['conversation']}"

    def setup(session, index):
        sign_in(session, ids["accounts"][first_account + index])
        session.bench_token = token(session.get(url, timeout=120))

    def flow(session, record):
        timed(
            record,
            "vote POST",
            session,
            "POST",
            f"{url}/vote",
            data={
                "csrf_token": session.bench_token,
                "statement": random.choice(ids["statements"]),  # noqa: S311
                "vote": random.choice(("agree", "disagree", "pass")),  # noqa: S311
            },
        )

    flow.setup = setup
    return flow


def support_flow(ids, first_account: int, name: str = "support POST"):
    """A signed-in resident supporting random ideas on the 1,000-idea board, and
    withdrawing the support of ideas it supported before (both real POSTs)."""
    import random

    board = f"http://127.0.0.1:{APP_PORT}/ideas/{ids['board']}"

    def setup(session, index):
        email = ids["accounts"][first_account + index]
        sign_in(session, email)
        session.bench_token = token(session.get(board, timeout=120))
        # What this resident supports already (earlier slices and runs): a person
        # supports what the page offers to support, and withdraws what they support.
        import psycopg

        with psycopg.connect(database_url("postgresql")) as conn:
            session.bench_supported = {
                row[0]
                for row in conn.execute(
                    "SELECT s.idea_id FROM idea_supports s JOIN users u ON u.id = s.user_id"
                    " WHERE u.email = %s",
                    (email,),
                )
            }

    def flow(session, record):
        idea = random.choice(ids["ideas"])  # noqa: S311
        action = "unsupport" if idea in session.bench_supported else "support"
        sent = timed(
            record,
            name,
            session,
            "POST",
            f"{board}/{idea}/{action}",
            data={"csrf_token": session.bench_token},
        )
        if sent is not None and sent.status_code == 302:
            session.bench_supported ^= {idea}

    flow.setup = setup
    return flow


def mixed_flow(ids, first_account: int):
    """Half the clients read the 1,000-idea board as visitors while the other half
    support and withdraw support on it (signed in): the page is read while the
    tables it is drawn from change, so a kept copy (the page cache) is often out of
    date; the row shows what visitors get then."""
    support = support_flow(ids, first_account, "support POST beside readers")
    board = f"http://127.0.0.1:{APP_PORT}/ideas/{ids['board']}"

    def setup(session, index):
        session.bench_supporter = index % 2 == 0
        if session.bench_supporter:
            support.setup(session, index // 2)

    def flow(session, record):
        if session.bench_supporter:
            support(session, record)
        else:
            timed(record, "board GET beside supports (visitor)", session, "GET", board)

    flow.setup = setup
    return flow


def submitted(ids) -> list[str]:
    import psycopg

    with psycopg.connect(database_url("postgresql")) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT reference FROM survey_responses"
                " WHERE survey_id = %s AND status = 'submitted'",
                (ids["flow"],),
            )
        ]


def stored_check(ids, acknowledged: list[str], before: list[str]) -> str:
    """Acknowledged = stored, and no duplicates, for the answering survey (responses
    stored before this run, with ``--skip-data``, left out)."""
    import psycopg

    earlier = set(before)
    stored = [r for r in submitted(ids) if r not in earlier]
    with psycopg.connect(database_url("postgresql")) as conn:
        in_progress = conn.execute(
            "SELECT count(*) FROM survey_responses WHERE survey_id = %s AND status = 'in_progress'",
            (ids["flow"],),
        ).fetchone()[0]
        answers = conn.execute(
            "SELECT count(*), count(DISTINCT (a.response_id, a.question_id))"
            " FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
            " WHERE r.survey_id = %s AND NOT (r.reference = ANY(%s))",
            (ids["flow"], list(earlier)),
        ).fetchone()
    ok = (
        len(acknowledged) == len(stored)
        and sorted(acknowledged) == sorted(stored)
        and len(set(stored)) == len(stored)
        and answers[0] == answers[1]
    )
    return (
        f"acknowledged (302 to the confirmation, reference shown) {len(acknowledged)}, "
        f"stored as submitted {len(stored)}, same references: "
        f"{sorted(acknowledged) == sorted(stored)}, distinct references "
        f"{len(set(stored))}, answers {answers[0]} (distinct response x question "
        f"{answers[1]}), left in progress {in_progress} -> {'OK' if ok else 'FAILED'}"
    )


def flask_worker(ids) -> tuple[float, str]:
    """Start `flask worker`, let it run the jobs the load queued (recomputing the
    conversation the votes made stale, mail), and return its RSS (MB) afterwards."""
    import psycopg

    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/flask"), "worker"],
        cwd=ROOT,
        env=environment(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with psycopg.connect(database_url("postgresql"), autocommit=True) as conn:
            for _ in range(600):
                stale, at = conn.execute(
                    "SELECT stale, results_computed_at FROM conversations WHERE id = %s",
                    (ids["conversation"],),
                ).fetchone()
                if not stale:
                    break
                time.sleep(0.2)
            # Queue one more recompute (a vote's effect), woken through Redis as the
            # app does, so the worker has run two rounds of real work.
            conn.execute(
                "UPDATE conversations SET stale = true WHERE id = %s", (ids["conversation"],)
            )
            import redis

            redis.Redis.from_url(REDIS).rpush("community:jobs:wake", "recompute_conversations")
            for _ in range(600):
                stale, second = conn.execute(
                    "SELECT stale, results_computed_at FROM conversations WHERE id = %s",
                    (ids["conversation"],),
                ).fetchone()
                if not stale:
                    break
                time.sleep(0.2)
        time.sleep(1)
        out = subprocess.run(
            ["ps", "-p", str(worker.pid), "-o", "rss="], capture_output=True, text=True
        ).stdout.split()
        rss = int(out[0]) / 1024 if out else float("nan")
        note = (
            f"recomputed the conversation at {at:%H:%M:%S} and again at {second:%H:%M:%S}"
            if not stale
            else "did NOT finish recomputing"
        )
        return rss, note
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()


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
    global APP_PORT, BARE_PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--slices", type=int, default=4, help="slices per row, each beside the bare insert"
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-data", action="store_true", help="reuse the database")
    parser.add_argument("--app-port", type=int, default=APP_PORT)
    parser.add_argument("--bare-port", type=int, default=BARE_PORT)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only the rows whose title contains this (repeatable; the bare insert always runs)",
    )
    args = parser.parse_args()
    APP_PORT, BARE_PORT = args.app_port, args.bare_port
    sys.path.insert(0, str(ROOT / "bench"))
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
    acknowledged: list[str] = []
    before = submitted(ids)
    slug = "bench-closed-10000" if 10000 in sizes else f"bench-closed-{sizes[0]}"
    try:
        runs = [("bare insert (POST, one INSERT)", bare)]
        runs.append(("complete survey response (11 requests)", survey_flow(ids, acknowledged)))
        # Two sets of residents, so the support row starts from fresh sessions.
        runs.append(("vote POST", vote_flow(ids, 0)))
        runs.append(("support POST", support_flow(ids, args.clients)))
        runs.append(("mixed: board read while supported", mixed_flow(ids, args.clients)))
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
            f"/ideas/{ids['board']}",
            f"/conversations/{ids['conversation']}/results",
            "/api/v1/consultations",
            f"/api/v1/consultations/{slug}/results",
            "/api/v1/findings",
        ):
            runs.append((f"GET {path}", page(f"GET {path}", path)))
        if args.only:
            runs = runs[:1] + [r for r in runs[1:] if any(o in r[0] for o in args.only)]
        results = []
        for index, (title, flow) in enumerate(runs):
            # Warm up (caches, connections), then measure.
            drive(flow, args.clients, 1.5)
            # Each server's worker CPU while the clock runs (signing in and reading
            # the forms' tokens before it are not counted).
            meters = (lambda: worker_cpu(app), lambda: worker_cpu(yardstick))
            if index == 0:  # the bare insert alone
                record, elapsed, loops = drive(flow, args.clients, args.seconds, meters[1])
                beside, (bare_loops, bare_cpu) = loops / elapsed, (loops, record.cpu)
            else:
                record, elapsed, loops, beside, (bare_loops, bare_cpu) = drive_beside(
                    flow, args.clients, args.seconds, args.slices, meters
                )
            requests_made = sum(len(times) for times in record.times.values())
            cpu = (
                record.cpu / max(requests_made, 1) * 1000,
                bare_cpu / max(bare_loops, 1) * 1000,
                record.cpu / max(loops, 1) * 1000,
            )
            results.append((title, record, elapsed, loops, beside, cpu))
            print(
                f"... {title}: {loops / elapsed:.1f}/s; app worker RSS after it (MB) "
                f"{[round(r) for r in worker_rss(app)]}",
                flush=True,
            )
        rss = worker_rss(app)
        bare_rss = worker_rss(yardstick)
        uss, bare_uss = worker_uss(app), worker_uss(yardstick)
        stored = stored_check(ids, acknowledged, before)
        worker_mb, worker_note = flask_worker(ids)
    finally:
        for process in (app, yardstick):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
    print(f"\nload average: {os.getloadavg()}  (2 cores shared with other agents' work)")
    print(f"{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:.0f} s each\n")
    print(
        "| what | req/s | p50 ms | p99 ms | errors | bare insert beside, req/s | x bare insert "
        "| worker CPU ms/request: app, bare |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for title, record, elapsed, loops, bare_rate, (cpu, bare_cpu, per_loop) in results:
        for name, rate, p50, p99, errors in summary(record, elapsed):
            print(
                f"| {name} | {rate:.1f} | {p50:.0f} | {p99:.0f} | {errors} | {bare_rate:.0f} "
                f"| {rate / bare_rate:.3f} | {cpu:.2f}, {bare_cpu:.2f} |"
            )
        if title.startswith("complete"):
            rate = loops / elapsed
            print(
                f"| **complete responses** | {rate:.2f}/s | | | | | {rate / bare_rate:.4f} "
                f"| {per_loop:.1f} per response |"
            )
            every = [t for n, ts in record.times.items() for t in ts if n != "submit refused"]
            print(
                f"| every survey request | {len(every) / elapsed:.1f} | "
                f"{statistics.median(every) * 1000:.0f} | | | | "
                f"{len(every) / elapsed / bare_rate:.3f} | |"
            )
    print(f"\nsurvey answers: {stored}")
    print(
        f"\nweb worker RSS after the load (MB, target <= 120 each): app "
        f"{[round(r) for r in rss]}, bare {[round(r) for r in bare_rss]}"
    )
    print(
        f"web worker private memory (USS, MB): app {[round(r) for r in uss]}, "
        f"bare {[round(r) for r in bare_uss]}"
    )
    print(f"flask worker RSS (MB, target <= 150): {worker_mb:.0f} ({worker_note})")


if __name__ == "__main__":
    main()
