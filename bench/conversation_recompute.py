"""Benchmark: recompute of a conversation from the database, end to end, beside the maths.

For each database (SQLite file, PostgreSQL) and each size (2,000 x 900 at 12.5 %,
about 225k votes; 10,000 x 1,000 at 10 %, about 1M votes) it loads a synthetic
conversation with planted groups, then times, median of --repeat runs:

  load    reading the vote matrix (one query of packed integers into NumPy);
  maths   groups, consensus, repness and majority on the matrix already in memory;
  total   `results.recompute` + commit: load, maths and storing the JSON results.

Targets (issue 16): total <= 1.5 s at 225k votes and <= 3 s at 1M, on both databases.

Run: .venv/bin/python bench/conversation_recompute.py [--repeat 3] [--sizes 225k,1m]
     [--databases sqlite,postgresql]; PostgreSQL at BENCH_DATABASE_URL (default
     cv_h16_bench on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/cv_h16_bench"
)
INSERT_VOTES = (
    "INSERT INTO conversation_votes (participant_id, statement_id, value, created_at, "
    "updated_at) VALUES (%s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
COPY_VOTES = (
    "COPY conversation_votes (participant_id, statement_id, value, created_at, updated_at) "
    "FROM STDIN"
)
SIZES = {"225k": (2_000, 900, 0.875, 1.5), "1m": (10_000, 1_000, 0.9, 3.0)}


def fresh_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def make_app(url: str):
    from flask_migrate import upgrade

    from community import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_MODE": "off",
            "MAIL_BACKEND": "file",
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-"),
        }
    )
    with app.app_context():
        upgrade()
    return app


def load(app, participants: int, statements: int, missing: float) -> tuple[int, int]:
    """A planted conversation inserted in bulk through the driver: (conversation id, votes)."""
    from community.consensus.synthetic import planted_conversation
    from community.contributions.models import ContributionStatus
    from community.conversations.models import Conversation, Participant, Statement
    from community.extensions import db
    from community.models_base import utcnow
    from tests.support.factories import make_consultation

    planted = planted_conversation(4, participants // 4, statements, missing=(missing, missing))
    with app.app_context():
        consultation = make_consultation()
        conversation = Conversation(consultation_id=consultation.id, question="Bench")
        db.session.add(conversation)
        db.session.flush()
        rows = [
            Statement(
                conversation_id=conversation.id,
                consultation_id=consultation.id,
                body=f"Statement {j}",
                status=ContributionStatus.PUBLISHED,
                published_at=utcnow(),
            )
            for j in range(statements)
        ]
        people = [Participant(conversation_id=conversation.id) for _ in range(participants)]
        db.session.add_all(rows + people)
        db.session.flush()
        sids = np.array([s.id for s in rows])
        pids = np.array([p.id for p in people])
        votes = list(
            zip(
                pids[planted.participants].tolist(),
                sids[planted.statements].tolist(),
                planted.votes.astype(int).tolist(),
                strict=True,
            )
        )
        raw = db.session.connection().connection.driver_connection
        cursor = raw.cursor()
        sql = (
            INSERT_VOTES.replace("%s", "?") if db.engine.dialect.name == "sqlite" else INSERT_VOTES
        )
        cursor.executemany(sql, votes)
        cursor.close()
        db.session.commit()
        return conversation.id, len(votes)


def median_of(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench(app, conversation_id: int, repeat: int) -> dict[str, float]:
    from community.consensus.polis_groups import polis_opinion_groups
    from community.conversations.models import Conversation
    from community.conversations.results import load_matrix, recompute, summarise
    from community.extensions import db

    with app.app_context():
        matrix, out = load_matrix(conversation_id)

        def maths():
            groups, _ = polis_opinion_groups(matrix, moderated_out=out, seed=1)
            summarise(matrix, out, groups.labels, groups.coordinates, groups.k)

        def total():
            conversation = db.session.get(Conversation, conversation_id)
            recompute(conversation)
            db.session.commit()

        return {
            "load": median_of(lambda: load_matrix(conversation_id), repeat),
            "maths": median_of(maths, repeat),
            "total": median_of(total, repeat),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="225k,1m")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    failed = False
    print(f"{'database':<11}{'size':<6}{'votes':>10}{'load':>9}{'maths':>9}{'total':>9}  target")
    for database in args.databases.split(","):
        for size in args.sizes.split(","):
            participants, statements, missing, target = SIZES[size]
            if database == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.db"
            else:
                fresh_postgres(PG_URL)
                url = PG_URL
            app = make_app(url)
            conversation_id, votes = load(app, participants, statements, missing)
            t = bench(app, conversation_id, args.repeat)
            ok = t["total"] <= target
            failed |= not ok
            print(
                f"{database:<11}{size:<6}{votes:>10,}{t['load']:>8.2f}s{t['maths']:>8.2f}s"
                f"{t['total']:>8.2f}s  <= {target} s {'met' if ok else 'MISSED'}",
                flush=True,
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
