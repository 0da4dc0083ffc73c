"""Invariants under load: one response per person, and a bounded number of SQL queries."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from community.extensions import db
from community.surveys.models import Answer, Response, ResponseStatus, Survey
from tests.conftest import count_queries, sign_in_client
from tests.support.factories import make_survey, make_user


def _simple_survey(app) -> int:
    with app.app_context():
        return make_survey(
            sections=[("Only", [{"kind": "short_text", "text": "Why?", "required": True}])]
        ).id


def test_twenty_concurrent_submissions_store_exactly_one_response(app, users):
    survey_id = _simple_survey(app)
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        section_id, question_id = survey.sections[0].id, survey.questions[0].id
    clients = [sign_in_client(app, users["resident"]) for _ in range(20)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def answer(client, n):
        barrier.wait()
        codes = [
            client.post(f"/surveys/{survey_id}/begin").status_code,
            client.post(
                f"/surveys/{survey_id}/sections/{section_id}", data={f"q{question_id}": f"n{n}"}
            ).status_code,
            client.post(f"/surveys/{survey_id}/submit").status_code,
        ]
        statuses.extend(codes)

    threads = [threading.Thread(target=answer, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 500 not in statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        response = db.session.scalar(select(Response))
        assert response.status == ResponseStatus.SUBMITTED
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def _big_survey(app, n: int) -> tuple[int, int, dict]:
    kinds = [
        ("single_choice", {"choices": ["A", "B", "C"]}, "B"),
        ("likert", {}, "4"),
        ("short_text", {}, "Some words"),
        ("scale", {}, "7"),
        ("number", {}, "12"),
    ]
    questions = [
        {"kind": kinds[i % 5][0], "text": f"Question {i}", "options": kinds[i % 5][1]}
        for i in range(n)
    ]
    with app.app_context():
        survey = make_survey(sections=[("All", questions)])
        data = {f"q{q.id}": kinds[i % 5][2] for i, q in enumerate(survey.questions)}
        return survey.id, survey.sections[0].id, data


def _queries_to_answer(app, user, n: int) -> int:
    survey_id, section_id, data = _big_survey(app, n)
    client = sign_in_client(app, user)
    client.post(f"/surveys/{survey_id}/begin")
    with count_queries(app) as saving:
        assert (
            client.post(f"/surveys/{survey_id}/sections/{section_id}", data=data).status_code == 302
        )
    with count_queries(app) as submitting:
        assert client.post(f"/surveys/{survey_id}/submit").status_code == 302
    with app.app_context():
        stored = db.session.scalar(
            select(func.count())
            .select_from(Answer)
            .join(Response)
            .where(Response.survey_id == survey_id)
        )
        assert stored == n
    return len(saving) + len(submitting)


def test_query_count_does_not_grow_with_the_number_of_questions(app, users):
    few = _queries_to_answer(app, users["resident"], 5)
    with app.app_context():
        db.session.execute(Response.__table__.delete())
        db.session.commit()
        # Another person: the same one again would find the receipt already queued
        # (SQLite reuses the deleted response's id, and the receipt's key holds it),
        # and send one statement fewer for a reason that has nothing to do with size.
        other = make_user(email="other-resident@example.org")
    many = _queries_to_answer(app, other, 30)
    assert many == few, (few, many)
