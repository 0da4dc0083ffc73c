"""Benchmark: publishing an outcome to N participants, on PostgreSQL, through the app.

Builds a closed consultation with a survey answered by N people who asked to hear
back (default 1,000), a theme with tagged contributions and two findings with their
evidence and responses. Then times, through the real app and test client:

  (a) POST /manage/consultations/<id>/outcome/publish: freeze every finding's
      figures, claim the consultation, queue one mail per participant (rendered
      text and HTML, with an idempotency key each), commit;
  (b) the public outcome page afterwards (frozen figures, no recomputation).

The baseline, measured in the same run on the same database: inserting N outbox
rows with pre-rendered bodies in one transaction (the least any "mail everyone"
could cost). (a) is printed as a ratio to it, and (b) as a ratio to GET /healthz.

Run: .venv/bin/python bench/outcome_publish.py [--participants 1000]
Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL to use another).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/community_bench_outcome"
)


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def build(app, participants: int) -> dict:
    """A closed consultation ready to publish; returns ids for the timed steps."""
    from community.accounts.models import Role
    from community.extensions import db
    from community.framework.service import seed
    from community.plan import service
    from community.plan.models import PlanAction

    with app.test_request_context("/"):
        seed(app.config["FRAMEWORK_FILE"])
        service.seed_plan(app.config["PLAN_FILE"])
        db.session.commit()
        from tests.plan.test_plan import _closed_consultation, _finding
        from tests.support.factories import make_user

        officer = make_user(Role.OFFICER, email="bench-officer@example.com")
        consultation, survey, theme, _people, _q = _closed_consultation(
            app, respondents=participants, tagged=20
        )
        action = db.session.scalar(select(PlanAction).order_by(PlanAction.id))
        for _ in range(2):
            _finding(consultation, survey, theme, officer, action)
        db.session.commit()
        return {
            "consultation": consultation.id,
            "slug": consultation.slug,
            "officer_token": officer.get_id(),
        }


def baseline_insert(app, n: int) -> float:
    """N outbox rows with pre-rendered bodies, one transaction: the floor for (a)."""
    from community.extensions import db
    from community.models_base import utcnow
    from community.notifications.models import OutboxMessage

    body = "The partnership has published what happened. " * 8
    rows = [
        {
            "idempotency_key": f"bench:{uuid.uuid4()}",
            "template": "bench",
            "to_address": f"bench{i}@example.com",
            "subject": "What happened next",
            "text_body": body,
            "html_body": f"<p>{body}</p>",
            "next_attempt_at": utcnow(),
        }
        for i in range(n)
    ]
    with app.app_context():
        start = time.perf_counter()
        db.session.execute(insert(OutboxMessage), rows)
        db.session.commit()
        elapsed = time.perf_counter() - start
        db.session.execute(text("DELETE FROM outbox_messages WHERE template = 'bench'"))
        db.session.commit()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    fresh_database(URL)
    from flask_migrate import upgrade

    from community import create_app
    from community.extensions import db
    from community.notifications.models import OutboxMessage

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
    start = time.perf_counter()
    ids = build(app, args.participants)
    print(f"built {args.participants:,} participants in {time.perf_counter() - start:.1f} s")

    floor = statistics.median(baseline_insert(app, args.participants) for _ in range(3))
    print(f"baseline: insert {args.participants:,} outbox rows: {floor * 1000:.0f} ms")

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = ids["officer_token"]
        session["_fresh"] = True
    start = time.perf_counter()
    response = client.post(f"/manage/consultations/{ids['consultation']}/outcome/publish")
    publish = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    with app.app_context():
        queued = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.template == "consultation_outcome"
            )
        )
    assert queued == args.participants, queued
    again = client.post(f"/manage/consultations/{ids['consultation']}/outcome/publish")
    assert again.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.template == "consultation_outcome"
                )
            )
            == args.participants
        )
    print(
        f"(a) publish to {args.participants:,}: {publish * 1000:.0f} ms "
        f"({publish / floor:.1f}x the bare insert), {queued:,} mails queued, "
        "a second publish queued none"
    )

    anonymous = app.test_client()
    health = [0.0] * args.repeat
    page = [0.0] * args.repeat
    for i in range(args.repeat):
        t = time.perf_counter()
        anonymous.get("/healthz")
        health[i] = time.perf_counter() - t
        t = time.perf_counter()
        assert anonymous.get(f"/consultations/{ids['slug']}/outcome").status_code == 200
        page[i] = time.perf_counter() - t
    h, p = statistics.median(health), statistics.median(page)
    print(f"(b) outcome page: {p * 1000:.1f} ms ({p / h:.0f}x GET /healthz at {h * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
