"""The results page at size: figures cached under a fingerprint of the responses (never
stale, never a scan of every answer per view), written answers a page at a time."""

from __future__ import annotations

import re

from markupsafe import escape
from sqlalchemy import select

from community.contributions.models import ContributionStatus
from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import Answer, Response, ResponseStatus, SurveyText
from community.surveys.results.page import TEXTS_PER_PAGE, TEXTS_SHOWN, answer_values
from tests.conftest import count_queries
from tests.support.factories import make_consultation, make_survey
from tests.surveys.results_data import add_responses, make_results_survey, questions_by_text


def _reads_every_answer(statements: list[str]) -> bool:
    """A statement reading answer values without a LIMIT: the full scan a view must not do."""
    return any("survey_answers.value" in s and "LIMIT" not in s.upper() for s in statements)


def _views(app, client, url, times=2):
    counts = []
    for _ in range(times):
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        counts.append(list(statements))
    return counts


def test_views_read_no_answers_and_cost_the_same_at_any_size(app, role_client, framework):
    counts = {}
    # Enough responses that no "other" count is withheld (which would skip a query).
    for size, seed in ((50, 1), (150, 2)):
        with app.app_context():
            survey = make_results_survey()
            add_responses(survey, size, seed=seed)
            url = f"/surveys/{survey.id}/results"
        for role in ("officer", "visitor"):
            client = role_client(role)
            first, second = _views(app, client, url)
            assert _reads_every_answer(first)  # computed once per change …
            assert not _reads_every_answer(second)  # … then read from the cache
            counts[(size, role)] = len(second)
    assert counts[(50, "officer")] == counts[(150, "officer")], counts
    assert counts[(50, "visitor")] == counts[(150, "visitor")], counts
    assert max(counts.values()) < 20, counts


def _submit_one(survey, question, value):
    response = Response(survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=utcnow())
    response.answers.append(Answer(question_id=question.id, value=value))
    db.session.add(response)
    db.session.commit()
    return response.id


def _answered(page: str, question_text: str) -> int:
    section = page.split(f">{question_text}</h2>", 1)[1]
    return int(re.search(r"Answered by (\d+) (?:person|people)", section).group(1))


def test_a_new_response_shows_at_once(app, role_client, framework):
    with app.app_context():
        survey = make_results_survey()
        add_responses(survey, 30, seed=7)
        survey_id = survey.id
        number = questions_by_text(survey)["How many times did you report a crime?"]
    client = role_client("officer")
    url = f"/surveys/{survey_id}/results"
    before = _answered(client.get(url).get_data(as_text=True), number.text)
    client.get(url)  # cached now
    with app.app_context():
        response_id = _submit_one(db.session.merge(survey), number, 12)
    assert _answered(client.get(url).get_data(as_text=True), number.text) == before + 1
    # A response removed shows at once too.
    with app.app_context():
        db.session.delete(db.session.get(Response, response_id))
        db.session.commit()
    assert _answered(client.get(url).get_data(as_text=True), number.text) == before


def test_thousands_of_written_answers_keep_the_page_small(app, role_client, framework):
    with app.app_context():
        consultation = make_consultation(phase="closed", results_public=True)
        survey = make_survey(
            consultation,
            [("Views", [{"kind": "long_text", "text": "What would make streets safer?"}])],
        )
        question = survey.questions[0]
        now = utcnow()
        bodies = []
        for i in range(3000):
            body = f"Answer number {i}: " + "more lighting by the station please " * 10
            response = Response(
                survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=now
            )
            answer = Answer(question_id=question.id, value=body)
            answer.contribution = SurveyText(
                consultation_id=consultation.id, body=body, status=ContributionStatus.PUBLISHED
            )
            response.answers.append(answer)
            db.session.add(response)
            bodies.append(body)
        db.session.commit()
        survey_id, question_id = survey.id, question.id
    for role in ("visitor", "officer"):
        page = role_client(role).get(f"/surveys/{survey_id}/results")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert len(page.data) < 150 * 1024, len(page.data)
        assert html.count('class="cv-results-texts__item"') == TEXTS_SHOWN
        assert str(escape(bodies[-1])) in html  # the newest first
        assert f"/results/questions/{question_id}/answers" in html
    # Every answer can be read, a page at a time.
    client = role_client("visitor")
    seen = []
    page_number = 1
    while True:
        page = client.get(
            f"/surveys/{survey_id}/results/questions/{question_id}/answers?page={page_number}"
        )
        assert page.status_code == 200
        assert len(page.data) < 150 * 1024
        html = page.get_data(as_text=True)
        found = re.findall(r"Answer number (\d+):", html)
        assert len(found) <= TEXTS_PER_PAGE
        seen += [int(n) for n in found]
        if "Next" not in html:
            break
        page_number += 1
    assert sorted(seen) == list(range(3000))
    assert page_number == -(-3000 // TEXTS_PER_PAGE)
    beyond = client.get(
        f"/surveys/{survey_id}/results/questions/{question_id}/answers?page={page_number + 1}"
    )
    assert beyond.status_code == 404


def test_the_public_answers_page_shows_only_published_text(app, role_client, framework):
    with app.app_context():
        survey = make_results_survey(results_public=True)
        made = add_responses(survey, 40, seed=11)
        long_q = questions_by_text(survey)["What would make streets safer?"]
        survey_id, question_id = survey.id, long_q.id
    said = [
        (m["answers"][question_id], m["texts"][question_id])
        for m in made
        if question_id in m["texts"]
    ]
    url = f"/surveys/{survey_id}/results/questions/{question_id}/answers"
    public = role_client("visitor").get(url).get_data(as_text=True)
    officer = role_client("officer").get(url).get_data(as_text=True)
    for body, status in said:
        shown = str(escape(body)) in public
        assert shown == (status == ContributionStatus.PUBLISHED)
        assert str(escape(body)) in officer
    assert role_client("visitor").get(url.replace(str(question_id), "999999")).status_code == 404


def test_a_sent_response_changed_afterwards_shows_at_once(app, role_client, users):
    with app.app_context():
        survey = make_survey(
            make_consultation(results_public=True),
            [
                (
                    "Views",
                    [dict(kind="single_choice", text="Safe?", options={"choices": ["Yes", "No"]})],
                )
            ],
        )
        survey_id, section_id, question_id = (
            survey.id,
            survey.sections[0].id,
            survey.questions[0].id,
        )
    resident = role_client("resident")
    resident.post(f"/surveys/{survey_id}/begin")
    resident.post(f"/surveys/{survey_id}/sections/{section_id}", data={f"q{question_id}": "Yes"})
    assert resident.post(f"/surveys/{survey_id}/submit", data={}).status_code == 302
    officer = role_client("officer")
    url = f"/surveys/{survey_id}/results"

    def yes_and_no():
        page = officer.get(url).get_data(as_text=True)
        rows = re.findall(
            r'<th scope="row" class="govuk-table__header">(Yes|No)</th>\s*'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)',
            page,
        )
        return dict(rows)

    assert yes_and_no() == {"Yes": "1", "No": "0"}
    # The person changes their sent answer (same number of responses).
    resident.post(f"/surveys/{survey_id}/sections/{section_id}", data={f"q{question_id}": "No"})
    assert yes_and_no() == {"Yes": "0", "No": "1"}


def test_answers_are_counted_grouped_by_the_database(app, framework):
    """A question's answers come back as one decoded object per distinct answer, listed
    as often as it was given: at 100,000 responses a worker holds pointers, not 100,000
    decoded values. The figures are the same as counting every row."""
    with app.test_request_context():
        survey = make_results_survey()
        given = add_responses(survey, 120, seed=11)
        by_text = questions_by_text(survey)
        for text in ("How safe do you feel?", "Which ward is it about?"):
            question = by_text[text]
            values = answer_values(survey.id, question.id)
            stored = [
                v
                for (v,) in db.session.execute(
                    select(Answer.value)
                    .join(Response)
                    .where(
                        Answer.question_id == question.id,
                        Response.status == ResponseStatus.SUBMITTED,
                    )
                )
            ]
            assert sorted(map(repr, values)) == sorted(map(repr, stored))
            assert len({id(v) for v in values}) == len({repr(v) for v in stored}) < len(given)
