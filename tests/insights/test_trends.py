"""The partnership consensus view over time, the numbers that lead to the answers behind
them, and the figures cache (computed once per change, not per request)."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from community.extensions import db
from community.insights import service, trends
from community.insights.cache import figures as figure_cache
from community.insights.quarters import Quarter, span
from tests.conftest import count_queries
from tests.insights.sites import Q1, Q3, QUESTIONS, build_site, respond, terms
from tests.support.factories import make_consultation, make_survey


@pytest.fixture
def site(app, framework):
    with app.app_context():
        return build_site()


def test_quarters():
    assert Quarter.of(datetime(2025, 3, 31, 23, 59, tzinfo=UTC)) == Quarter(2025, 1)
    assert Quarter.of(datetime(2025, 4, 1, tzinfo=UTC)) == Quarter(2025, 2)
    assert Quarter.parse("2025-Q4").end == datetime(2026, 1, 1, tzinfo=UTC)
    assert Quarter.parse("2025-Q5") is None and Quarter.parse("x") is None
    assert [q.key for q in span(Quarter(2024, 4), Quarter(2025, 2))] == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    ]
    assert Quarter(2025, 3).label == "July to September 2025"


def _trend(app, code, *, officer=False):
    """The trend as the partnership view builds it, for the public (closed consultations)."""
    from community.consultations.models import Consultation

    with app.test_request_context():
        consultations = db.session.scalars(select(Consultation).order_by(Consultation.id)).all()
        if not officer:
            consultations = [c for c in consultations if c.phase == "closed"]
        surveys = [s for c in consultations for s in c.surveys]
        figures = service.figures_for(surveys, "ward")
        [term] = terms(code)
        return trends.term_trends(consultations, [term], figures).get(code)


def test_a_term_per_quarter_with_quiet_quarters_and_tagged_contributions(app, site):
    trend = _trend(app, "road-safety")
    assert [q.key for q in trend.quarters] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    q1, q2, q3 = (trend.totals[q] for q in trend.quarters)
    assert (q1.responses, q1.contributions) == (12, 2)  # the pending one is not counted
    # Pol.is group-informed consensus by hand: (6+1)/(6+2) × (0+1)/(6+2).
    assert q1.average == pytest.approx(7 / 8 * 1 / 8) and q1.wards == (2, 2)
    assert q2.empty and q2.average is None
    # Tudor's 2 are left out of that quarter's consensus (fewer than 5): (5+1)/(5+2) squared.
    assert q3.responses == 12 and q3.average == pytest.approx((6 / 7) ** 2)
    # One in Roads, and one in Parks that officers tagged road safety.
    assert q3.contributions == 2
    assert [(c.title, cell.contributions) for c, cell in trend.sources[Quarter(2025, 3)]] == [
        ("Roads", 1),
        ("Parks", 1),
    ]
    assert trend.responses == 24 and trend.contributions == 4
    principle = _trend(app, "PH1")
    assert principle.totals[Quarter(2025, 3)].contributions == 1  # Parks is not about PH1
    # Lanes is still open: its results count for officers only.
    assert _trend(app, "road-safety", officer=True).totals[Quarter(2025, 3)].responses == 15


def test_the_partnership_view_shows_each_issue_and_principle_over_time(app, client, site):
    page = client.get("/consensus/").get_data(as_text=True)
    assert "How community voice changed over time" in page
    for text in ("Road safety", "PH1", "January to March 2025", "April to June 2025", "0.11"):
        assert text in page, text
    # Every number there leads to the term's page, at the quarter (aggregate, for everyone).
    links = re.findall(r'href="(/consensus/terms/[^"#]+)#q-(\d{4}-Q\d)"', page)
    assert ("/consensus/terms/road-safety", "2025-Q3") in links
    assert "/consensus/answers" not in page and "/tagging/" not in page
    term = client.get("/consensus/terms/road-safety")
    assert term.status_code == 200
    text = term.get_data(as_text=True)
    assert 'id="q-2025-Q3"' in text and "Parks" in text and "Lanes" not in text
    assert 'role="img"' in text  # the chart, with the table beside it
    assert "/consensus/answers" not in text and "/tagging/" not in text  # aggregates only
    assert client.get("/consensus/terms/no-such-term").status_code == 404


NUMBER_LINK = re.compile(
    r'<a class="govuk-link" href="([^"]+)">([\d,]+)'
    r'<span class="govuk-visually-hidden"> ([^<]+)</span></a>'
)


def _linked_numbers(page: str) -> list[tuple[str, int, str]]:
    return [
        (html.unescape(href), int(n.replace(",", "")), label)
        for href, n, label in NUMBER_LINK.findall(page)
    ]


def _count_on(page: str, noun: str) -> int:
    match = re.search(rf"(\d[\d,]*) {noun}s?\b", page)
    assert match, f"no count of {noun}s on the page"
    return int(match.group(1).replace(",", ""))


def test_every_number_on_a_consultation_leads_officers_to_the_responses_it_counts(
    app, role_client, site
):
    officer = role_client("officer")
    page = officer.get(f"/consultations/{site['roads']}/consensus").get_data(as_text=True)
    links = _linked_numbers(page)
    labels = {label: (href, n) for href, n, label in links}
    # 18 of 24 agree; per ward 11 and 11, of whom 11 and 5 agree; Tudor's 2 not shown.
    assert labels["people who answered"][1] == 24 and labels["people who agree"][1] == 18
    assert labels["people in Norbiton who answered"][1] == 11
    assert labels["people in Tolworth who agree"][1] == 5
    assert labels["answers in groups too small to show"][1] == 2
    for href, n, label in links:
        assert "/consensus/answers?" in href, href
        listed = officer.get(href)
        assert listed.status_code == 200, href
        assert _count_on(listed.get_data(as_text=True), "response") == n, (label, href)
    not_shown = officer.get(labels["answers in groups too small to show"][0]).get_data(as_text=True)
    assert "In a group too small to show, or not given" in not_shown
    agree = officer.get(labels["people in Tolworth who agree"][0]).get_data(as_text=True)
    assert agree.count(">Agree</td>") == 5 and "Strongly disagree" not in agree
    # The public sees the same figures, and no way to the responses.
    public = role_client("visitor").get(f"/consultations/{site['roads']}/consensus")
    assert "/consensus/answers" not in public.get_data(as_text=True)
    assert "18 (75%) of 24 people agree" in re.sub(r"<[^>]+>", "", public.get_data(as_text=True))


def test_every_number_behind_a_term_leads_officers_to_responses_and_contributions(
    app, role_client, site
):
    officer = role_client("officer")
    page = officer.get("/consensus/terms/road-safety").get_data(as_text=True)
    links = _linked_numbers(page)
    assert {label for _h, _n, label in links} >= {
        "survey responses to Roads in January to March 2025",
        "contributions to Roads in January to March 2025",
        "contributions to Parks in July to September 2025",
        "survey responses to Lanes in July to September 2025",  # open: officers see it
    }
    for href, n, label in links:
        listed = officer.get(href)
        assert listed.status_code == 200, href
        text = listed.get_data(as_text=True)
        noun = "response" if label.startswith("survey responses") else "contribution"
        assert _count_on(text, noun) == n, (label, href)
    # Parks is not about road safety: its link lists only what was tagged road safety.
    parks = next(h for h, _n, label in links if label.startswith("contributions to Parks"))
    assert "key=term-" in parks and "quarter=2025-Q3" in parks
    narrowed = officer.get(parks).get_data(as_text=True)
    assert "Only contributions written in July to September 2025." in narrowed


def test_the_answers_list_refuses_filters_from_elsewhere(app, role_client, site):
    officer = role_client("officer")
    base = f"/consultations/{site['roads']}/consensus/answers"
    assert officer.get(base).status_code == 200
    assert _count_on(officer.get(base).get_data(as_text=True), "response") == 24
    for query in ("survey=999999", "item=q999999", "quarter=2025-Q9", "vote=agree", "group=x"):
        assert officer.get(f"{base}?{query}").status_code == 404, query


def _add_consultations(app, n, responses=10):
    with app.app_context():
        about = terms("road-safety", "PH1")
        for _ in range(n):
            survey = make_survey(
                make_consultation(phase="closed", terms=about), QUESTIONS, about_you=["ward"]
            )
            respond(survey, responses // 2, 5, "norbiton", Q1)
            respond(survey, responses - responses // 2, 2, "tolworth", Q3)
        db.session.commit()


def _request(app, client, path="/consensus/"):
    with count_queries(app) as queries:
        started = time.perf_counter()
        assert client.get(path).status_code == 200
        elapsed = time.perf_counter() - started
    return len(queries), elapsed


def test_the_partnership_view_reads_cached_figures_in_a_fixed_number_of_queries(
    app, client, framework, without_page_cache
):
    figure_cache.clear()
    _add_consultations(app, 2)
    cold_small, _t = _request(app, client)
    warm_small, _t = _request(app, client)
    _add_consultations(app, 6)
    cold, cold_time = _request(app, client)
    warm, warm_time = _request(app, client)
    print(
        f"\n/consensus/ with 8 consultations: cold {cold} queries {cold_time * 1000:.0f} ms,"
        f" warm {warm} queries {warm_time * 1000:.0f} ms"
    )
    # Computing a survey's figures reads its responses (a few queries per survey); once
    # kept, a request reads only their fingerprints: the same number for 2 or 8 surveys.
    assert warm == warm_small
    assert cold - warm >= 3 * 6
    assert figure_cache.hits >= 8


def test_a_new_response_is_counted_at_once(app, client, role_client, site):
    slug = site["roads"]
    before = re.sub(
        r"<[^>]+>", "", client.get(f"/consultations/{slug}/consensus").get_data(as_text=True)
    )
    assert "of 24 people agree" in before
    with app.app_context():
        from community.surveys.models import Survey

        respond(db.session.get(Survey, site["survey"]), 1, 1, "norbiton", Q3)
        db.session.commit()
    after = re.sub(
        r"<[^>]+>", "", client.get(f"/consultations/{slug}/consensus").get_data(as_text=True)
    )
    assert "18 (72%) of 25 people agree" in after


def test_the_answers_list_shows_what_each_person_wrote_and_marks_what_waits(
    app, role_client, framework
):
    from community.contributions.models import ContributionStatus
    from community.surveys.models import Answer, Response, ResponseStatus, SurveyText

    with app.app_context():
        consultation = make_consultation(phase="closed")
        survey = make_survey(
            consultation,
            [("Page", [{"kind": "likert", "text": "Safe"}, {"kind": "long_text", "text": "Why?"}])],
        )
        likert, why = survey.questions
        for n, (text, status) in enumerate(
            [("Dark alleys <b>scare</b> me", "pending"), ("Busy and lit", "published")]
        ):
            response = Response(
                survey_id=survey.id, status=ResponseStatus.SUBMITTED, submitted_at=Q1
            )
            response.answers.append(Answer(question_id=likert.id, value=2 + 2 * n))
            written = SurveyText(
                consultation_id=consultation.id, body=text, status=ContributionStatus(status)
            )
            response.answers.append(Answer(question_id=why.id, value=text, contribution=written))
            db.session.add(response)
        db.session.commit()
        slug, item, survey_id = consultation.slug, f"q{likert.id}", survey.id
    page = role_client("officer").get(
        f"/consultations/{slug}/consensus/answers?survey={survey_id}&item={item}&vote=disagree"
    )
    text = page.get_data(as_text=True)
    assert _count_on(text, "response") == 1
    assert "Dark alleys &lt;b&gt;scare&lt;/b&gt; me" in text and "waiting for moderation" in text
    assert "Busy and lit" not in text  # that person agreed


def test_the_partnership_view_takes_survey_structures_from_the_process(
    app, client, role_client, framework
):
    """The surveys' sections and questions come from the kept structure
    (surveys/structure.py): read once, and again only after a change to them."""
    from community.surveys.models import Question

    _add_consultations(app, 2)
    client.get("/consensus/")
    with count_queries(app) as queries:
        assert client.get("/consensus/").status_code == 200
    read = " ".join(queries)
    assert "FROM survey_sections" not in read and "FROM survey_questions" not in read
    with app.app_context():
        question = db.session.scalars(select(Question).order_by(Question.id)).first()
        question.text = "Street lighting is good"
        db.session.commit()
        slug = question.section.survey.consultation.slug
    page = role_client("officer").get(f"/consultations/{slug}/consensus")
    assert "Street lighting is good" in page.get_data(as_text=True)
