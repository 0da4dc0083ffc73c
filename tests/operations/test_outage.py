"""A database outage in the middle of survey submissions: every acknowledged
submission is stored once, every failure is the 503 page, never the 500 page."""

from __future__ import annotations

import re
import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from community.extensions import db
from community.notifications.models import OutboxMessage
from community.surveys.models import Response, ResponseStatus, Survey, SurveyText
from tests.conftest import sign_in_client
from tests.operations.conftest import through
from tests.support.factories import make_survey, make_user
from tests.support.tcp_proxy import TcpProxy

N = 20


def form_token(page) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, "the form carries no one-time token"
    return match.group(1)


@pytest.mark.postgres
@pytest.mark.slow  # the database is cut for seconds on purpose
def test_twenty_submissions_while_the_database_is_cut(pg_app, postgres_url):
    direct = pg_app()
    with direct.app_context():
        survey = make_survey(
            sections=[("Only", [{"kind": "long_text", "text": "Why?", "required": True}])]
        )
        survey_id, section_id = survey.id, survey.sections[0].id
        question_id = survey.questions[0].id
        people = [make_user(email=f"person{n}@example.com") for n in range(N)]
        for person in people:
            db.session.refresh(person)
        db.session.expunge_all()

    url = make_url(postgres_url)
    with TcpProxy(url.host, url.port or 5432) as proxy:
        web = pg_app(
            SQLALCHEMY_DATABASE_URI=through(postgres_url, proxy.port),
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": N, "max_overflow": 5},
        )
        clients = [sign_in_client(web, person) for person in people]
        for n, client in enumerate(clients):
            assert client.post(f"/surveys/{survey_id}/begin").status_code == 302
            answered = client.post(
                f"/surveys/{survey_id}/sections/{section_id}",
                data={f"q{question_id}": f"Answer number {n}"},
            )
            assert answered.status_code == 302
        tokens = [form_token(c.get(f"/surveys/{survey_id}/check")) for c in clients]

        outcomes: dict[int, tuple[int, str]] = {}
        barrier = threading.Barrier(N + 1)

        def submit(n: int) -> None:
            barrier.wait()
            time.sleep(n * 0.3)  # spread over ~6 s, so the cut lands among them
            reply = clients[n].post(f"/surveys/{survey_id}/submit", data={"form_token": tokens[n]})
            outcomes[n] = (reply.status_code, reply.get_data(as_text=True))

        threads = [threading.Thread(target=submit, args=(n,)) for n in range(N)]
        for thread in threads:
            thread.start()
        barrier.wait()
        deadline = time.monotonic() + 30
        while len(outcomes) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        proxy.cut()
        time.sleep(3)
        proxy.restore()
        for thread in threads:
            thread.join(timeout=60)

        codes = sorted(code for code, _ in outcomes.values())
        assert len(outcomes) == N
        assert set(codes) <= {302, 503}, codes
        assert 503 in codes and 302 in codes, codes  # the cut really fell among them
        for code, body in outcomes.values():
            if code == 503:
                assert "Nothing was saved" in body
                assert "Sorry, there is a problem with the service" not in body

        # Those told "try again" send the same form again once the database is back:
        # saved once, even where the lost connection had already committed it.
        for n, (code, _) in list(outcomes.items()):
            if code == 503:
                again = clients[n].post(
                    f"/surveys/{survey_id}/submit", data={"form_token": tokens[n]}
                )
                assert again.status_code in (302, 303)

    acknowledged = {n for n, (code, _) in outcomes.items() if code == 302}
    with direct.app_context():
        survey = db.session.get(Survey, survey_id)
        responses = list(
            db.session.scalars(select(Response).where(Response.survey_id == survey.id))
        )
        assert len(responses) == N  # one per person, none lost, none doubled
        assert {r.status for r in responses} == {ResponseStatus.SUBMITTED}
        texts = db.session.scalars(select(SurveyText.body)).all()
        assert sorted(texts) == sorted(f"Answer number {n}" for n in range(N))
        receipts = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.template == "survey_receipt")
        )
        assert receipts == N
    assert acknowledged  # (every acknowledged one is among the N stored above)
