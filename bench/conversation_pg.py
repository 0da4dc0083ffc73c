"""Benchmark: a 1M-vote conversation in PostgreSQL, through the real app.

Loads two synthetic conversations into a fresh PostgreSQL database with the same
1,000 statements: a small one (100 participants, about 10k votes) and the full one
(10,000 participants, about 1M votes, 10% density, planted opinion groups). Then:

  (a) recomputes groups and consensus from the database (what the background job does);
  (b) times the public results page and the voting page (both read stored results);
  (c) times casting a vote (POST, through the app, committed).

(b) and (c) are printed as ratios of the 1M conversation to the 10k one, and every
time as a ratio to a baseline measured in the same run: GET /healthz (one SELECT 1)
on the same app and database. Aim: (a) under 5 s; (b) and (c) unchanged (ratio ≈ 1).

Run: .venv/bin/python bench/conversation_pg.py [--participants 10000] [--statements 1000]
Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL to use another).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/community_bench"
)


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def timed(fn, repeat: int) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def load_conversation(app, consultation_id: int, participants: int, statements: int, seed: int):
    """Insert a planted conversation with COPY; returns (conversation id, statement ids)."""
    from community.consensus.synthetic import planted_conversation
    from community.contributions.models import ContributionStatus
    from community.conversations.models import Conversation, Statement
    from community.extensions import db
    from community.models_base import utcnow

    groups = 4
    planted = planted_conversation(
        n_groups=groups,
        per_group=participants // groups,
        n_statements=statements,
        missing=(0.9, 0.9),
        seed=seed,
    )
    with app.app_context():
        conversation = Conversation(
            consultation_id=consultation_id, question=f"Bench {participants}"
        )
        db.session.add(conversation)
        db.session.flush()
        rows = [
            Statement(
                conversation_id=conversation.id,
                consultation_id=consultation_id,
                body=f"Statement {j}",
                status=ContributionStatus.PUBLISHED,
                published_at=utcnow(),
                is_seed=True,
            )
            for j in range(statements)
        ]
        db.session.add_all(rows)
        db.session.flush()
        statement_ids = np.array([s.id for s in rows])
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute(
                "INSERT INTO conversation_participants (conversation_id, created_at) "
                "SELECT %s, now() FROM generate_series(1, %s) RETURNING id",
                (conversation.id, int(planted.labels.shape[0])),
            )
            participant_ids = np.array(sorted(r[0] for r in cursor.fetchall()))
            with cursor.copy(
                "COPY conversation_votes (participant_id, statement_id, value, created_at, updated_at) "
                "FROM STDIN"
            ) as copy:
                for p, s, v in zip(
                    participant_ids[planted.participants].tolist(),
                    statement_ids[planted.statements].tolist(),
                    planted.votes.tolist(),
                    strict=True,
                ):
                    copy.write_row((p, s, v, "2026-01-01", "2026-01-01"))
        db.session.commit()
        return conversation.id, statement_ids.tolist(), int(planted.votes.shape[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database(URL)
    from flask_migrate import upgrade

    from community import create_app
    from community.accounts.models import AgeBand, User
    from community.conversations.models import Conversation
    from community.conversations.results import recompute
    from community.extensions import db
    from community.models_base import utcnow

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": URL,
            "JOBS_MODE": "off",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_BACKEND": "file",
            "TESTING": False,
        }
    )
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        from tests.support.factories import make_consultation

        consultation_id = make_consultation().id

    start = time.perf_counter()
    small = load_conversation(
        app, consultation_id, max(args.participants // 100, 8), args.statements, 1
    )
    large = load_conversation(app, consultation_id, args.participants, args.statements, 2)
    print(f"loaded {small[2]:,} + {large[2]:,} votes in {time.perf_counter() - start:.1f} s")

    client = app.test_client()
    baseline = timed(lambda: client.get("/healthz"), args.repeat)
    print(f"baseline GET /healthz: {baseline * 1000:.2f} ms")

    figures = {}
    for name, (conversation_id, statement_ids, n_votes) in (("10k", small), ("1M", large)):
        with app.app_context():
            conversation = db.session.get(Conversation, conversation_id)
            start = time.perf_counter()
            recompute(conversation)
            db.session.commit()
            recompute_s = time.perf_counter() - start
            user = User(
                email=f"bench-{name.lower()}@example.com",
                display_name="Bench",
                password_hash="x",
                age_band=AgeBand.AGE_25_34,
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            db.session.commit()
            token = user.session_token
        voter = app.test_client()
        with voter.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        results_s = timed(
            lambda cid=conversation_id: client.get(f"/conversations/{cid}/results"), args.repeat
        )
        page_s = timed(lambda cid=conversation_id: voter.get(f"/conversations/{cid}"), args.repeat)
        picks = iter(statement_ids * 2)
        vote_s = timed(
            lambda cid=conversation_id: voter.post(
                f"/conversations/{cid}/vote", data={"statement": next(picks), "vote": "agree"}
            ),
            args.repeat,
        )
        figures[name] = (recompute_s, results_s, page_s, vote_s)
        print(
            f"{name:>3} ({n_votes:,} votes): (a) recompute {recompute_s:.2f} s | "
            f"(b) results page {results_s * 1000:.1f} ms ({results_s / baseline:.1f}x baseline), "
            f"voting page {page_s * 1000:.1f} ms ({page_s / baseline:.1f}x) | "
            f"(c) cast a vote {vote_s * 1000:.1f} ms ({vote_s / baseline:.1f}x)"
        )
    small_f, large_f = figures["10k"], figures["1M"]
    print(
        f"1M / 10k: results page {large_f[1] / small_f[1]:.2f}, voting page {large_f[2] / small_f[2]:.2f}, "
        f"cast a vote {large_f[3] / small_f[3]:.2f}; recompute at 1M {large_f[0]:.2f} s (target < 5 s)"
    )
    return 0 if large_f[0] < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
