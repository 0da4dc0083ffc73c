"""Benchmark: the partnership consensus view (and one consultation's) with many surveys.

Builds a fresh database with ``--consultations`` closed consultations about one issue
and one principle, each with a survey of 4 Likert questions and a 2-statement matrix
(6 agreement items) answered by ``--responses`` people from 6 wards, sent over 8
quarters, then times through the app and test client, with the number of SQL
statements each request runs:

  cold: the first request (every survey's figures computed: what every request cost
        before the figures were cached);
  warm: the median of ``--repeat`` later requests (figures read from the cache; only a
        fingerprint of each survey's responses is read).

Run: .venv/bin/python bench/consensus_views.py [--consultations 30] [--responses 400]
SQLite in a temporary directory by default; BENCH_DATABASE_URL for PostgreSQL (the
database is dropped and created). BENCH_SOURCE=<dir> runs another copy of the code
(for example the commit before the cache, from ``git archive``) on the same data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_SOURCE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

WARDS = ["norbiton", "tolworth", "tudor", "canbury", "berrylands", "alexandra"]


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{tempfile.mkdtemp(prefix='bench-consensus-')}/bench.sqlite"
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


def build(app, consultations: int, responses: int, seed: int = 7) -> str:
    """The data, inserted in bulk; returns one consultation's slug."""
    from community.consultations.models import Consultation
    from community.extensions import db
    from community.framework.models import Term
    from community.framework.service import seed as seed_framework
    from community.surveys.models import (
        AboutYouAnswer,
        Answer,
        Question,
        Response,
        Section,
        Survey,
    )

    rng = random.Random(seed)
    now = datetime.now(UTC)
    with app.app_context():
        seed_framework(app.config["FRAMEWORK_FILE"])
        terms = list(db.session.scalars(select(Term).where(Term.code.in_(["road-safety", "PH1"]))))
        slug = ""
        for c in range(consultations):
            consultation = Consultation(
                slug=f"bench-{c}",
                title=f"Bench consultation {c}",
                summary="",
                body_html="",
                opens_at=now - timedelta(days=800),
                closes_at=now - timedelta(days=1),
                published_at=now - timedelta(days=801),
                documents=[],
            )
            consultation.terms = terms
            survey = Survey(consultation=consultation, title=f"Survey {c}", about_you=["ward"])
            section = Section(position=1, title="Page")
            survey.sections.append(section)
            for q in range(4):
                section.questions.append(Question(position=q, kind="likert", text=f"Item {q}"))
            section.questions.append(
                Question(
                    position=5,
                    kind="matrix",
                    text="These would help",
                    options={"statements": ["Lighting", "Patrols"]},
                )
            )
            db.session.add(consultation)
            db.session.flush()
            slug = slug or consultation.slug
            questions = [q.id for q in section.questions]
            first = db.session.scalar(select(Response.id).order_by(Response.id.desc()).limit(1))
            first = (first or 0) + 1
            rows, answers, about = [], [], []
            for r in range(responses):
                rid = first + r
                rows.append(
                    {
                        "id": rid,
                        "survey_id": survey.id,
                        "status": "submitted",
                        "reference": f"B{c:03d}{r:05d}"[:12],
                        "browser_token": f"{c}-{r}",
                        "submitted_at": now - timedelta(days=rng.randint(2, 720)),
                        "created_at": now,
                        "updated_at": now,
                        "channel": "online",
                        "hear_back": False,
                    }
                )
                ward = rng.choice(WARDS)
                bias = WARDS.index(ward) % 3
                for qid in questions[:4]:
                    answers.append(
                        {"response_id": rid, "question_id": qid, "value": rng.randint(1 + bias, 5)}
                    )
                answers.append(
                    {
                        "response_id": rid,
                        "question_id": questions[4],
                        "value": {"0": rng.randint(1, 5), "1": rng.randint(1, 5)},
                    }
                )
                about.append({"response_id": rid, "key": "ward", "value": ward})
            db.session.execute(insert(Response), rows)
            db.session.execute(insert(Answer), answers)
            db.session.execute(insert(AboutYouAnswer), about)
        db.session.commit()
    return slug


def measure(app, client, path: str, repeat: int) -> tuple[int, float, int, float]:
    """(queries, seconds) for the first request, then for the median later one."""
    from community.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    try:
        from community.insights.cache import figures

        figures.clear()  # cold: nothing computed yet
    except ImportError:  # code from before the cache
        pass
    event.listen(engine, "before_cursor_execute", count)
    try:
        start = time.perf_counter()
        assert client.get(path).status_code == 200, path
        cold_time, cold_queries = time.perf_counter() - start, len(statements)
        times, counts = [], []
        for _ in range(repeat):
            statements.clear()
            start = time.perf_counter()
            assert client.get(path).status_code == 200, path
            times.append(time.perf_counter() - start)
            counts.append(len(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return cold_queries, cold_time, int(statistics.median(counts)), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consultations", type=int, default=30)
    parser.add_argument("--responses", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from community import create_app

    url = database_url()
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-instance-"),
            "JOBS_MODE": "off",
            "MAIL_BACKEND": "file",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    started = time.perf_counter()
    slug = build(app, args.consultations, args.responses)
    print(
        f"{args.consultations} consultations x {args.responses} responses x 6 items "
        f"({make_url(url).get_backend_name()}), built in {time.perf_counter() - started:.1f} s"
    )
    print(f"code: {ROOT}")
    client = app.test_client()
    for path in ("/consensus/", f"/consultations/{slug}/consensus"):
        cold_q, cold_t, warm_q, warm_t = measure(app, client, path, args.repeat)
        print(
            f"{path:40} cold {cold_q:5d} queries {cold_t * 1000:8.0f} ms | "
            f"warm {warm_q:5d} queries {warm_t * 1000:8.0f} ms"
        )


if __name__ == "__main__":
    main()
