"""Survey results: counts checked against an independent tally, disclosure control for
the public, free text by moderation status, cross-tabulation, access and query counts."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter

import pytest
from flask_babel import format_decimal

from community.consultations.models import Audience
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.framework.service import ward_names
from community.models_base import utcnow
from community.surveys.models import (
    Answer,
    Response,
    ResponseStatus,
)
from community.surveys.qtypes import OTHER
from community.surveys.results import counts as results
from community.surveys.results import crosstab
from tests.conftest import count_queries
from tests.support.factories import make_consultation, make_survey
from tests.surveys.results_data import (
    FIXES,
    LIKERT_ORDER,
    OFTEN,
    PLACES,
    SECTIONS,
    STATEMENTS,
    STATUSES,
    TRAVEL,
    add_responses,
    make_results_survey,
    questions_by_text,
)


def _bars(chart):
    return {bar.label: bar.count for bar in chart.bars}


# --- counts --------------------------------------------------------------------------


def test_results_equal_an_independent_tally(ctx, framework):
    survey = make_results_survey()
    made = add_responses(survey, 60, seed=20250301)
    q = questions_by_text(survey)
    summary = results.summarise(survey, results.load(survey), public=False)
    by_question = {r.question.text: r for r in summary.questions}
    assert summary.responses.count == 60
    assert "About this survey" not in by_question  # information blocks are skipped

    def given(text):
        return [m["answers"][q[text].id] for m in made if q[text].id in m["answers"]]

    travel = given("How do you travel?")
    expected = Counter("Other" if v["choice"] == OTHER else v["choice"] for v in travel)
    result = by_question["How do you travel?"]
    assert result.answered.count == len(travel) and result.skipped == 60 - len(travel)
    assert _bars(result.charts[0]) == {label: expected[label] for label in TRAVEL + ["Other"]}
    cycle = next(b for b in result.charts[0].bars if b.label == "Cycle")
    assert cycle.share == pytest.approx(expected["Cycle"] / len(travel))

    places = given("Where do you feel unsafe?")
    ticks = Counter("Other" if c == OTHER else c for v in places for c in v["choices"])
    chart = by_question["Where do you feel unsafe?"].charts[0]
    assert _bars(chart) == {label: ticks[label] for label in PLACES + ["Other"]}
    assert chart.base.count == len(places)  # shares are of people, not of ticks

    often = Counter(v["choice"] for v in given("How often do you go out after dark?"))
    assert _bars(by_question["How often do you go out after dark?"].charts[0]) == dict(often) | {
        k: often.get(k, 0) for k in OFTEN
    }

    wards = Counter(given("Which ward is it about?"))
    ward_bars = {b.label: b.count for b in by_question["Which ward is it about?"].charts[0].bars}
    names = ward_names()
    assert {names[code]: n for code, n in wards.items()} == {
        k: v for k, v in ward_bars.items() if v
    }

    lit = Counter(given("Streets are well lit"))
    lit_result = by_question["Streets are well lit"]
    assert [b.count for b in lit_result.charts[0].bars] == [lit[v] for v in LIKERT_ORDER]
    assert [b.count for b in lit_result.charts[1].bars] == [
        lit[5] + lit[4],
        lit[3],
        lit[2] + lit[1],
    ]

    safe = given("How safe do you feel?")
    safe_result = by_question["How safe do you feel?"]
    assert [b.count for b in safe_result.charts[0].bars] == [safe.count(n) for n in range(11)]
    assert safe_result.stats == [("Mean score", format_decimal(round(statistics.mean(safe), 1)))]

    matrix = given("How far do you agree?")
    charts = by_question["How far do you agree?"].charts
    for i, statement in enumerate(STATEMENTS):
        row = Counter(v[str(i)] for v in matrix if str(i) in v)
        detail, agreement = charts[2 * i], charts[2 * i + 1]
        assert detail.title == statement
        assert [b.count for b in detail.bars] == [row[v] for v in LIKERT_ORDER]
        assert detail.base.count == sum(row.values())
        assert agreement.bars[0].count == row[5] + row[4]

    rankings = given("Put these in order")
    expected_positions = {
        item: format_decimal(round(statistics.mean(r.index(item) + 1 for r in rankings), 1))
        for item in FIXES
    }
    assert dict(by_question["Put these in order"].ranking) == expected_positions

    numbers = given("How many times did you report a crime?")
    assert by_question["How many times did you report a crime?"].stats == [
        ("Mean", format_decimal(round(statistics.mean(numbers), 2))),
        ("Median", format_decimal(statistics.median(numbers))),
        ("Lowest", format_decimal(min(numbers))),
        ("Highest", format_decimal(max(numbers))),
    ]
    assert by_question["When did it last happen?"].answered.count == len(
        given("When did it last happen?")
    )

    long_id = q["What would make streets safer?"].id
    texts = by_question["What would make streets safer?"].texts
    assert [(t.body, t.status) for t in texts] == [
        (m["answers"][long_id], m["texts"][long_id]) for m in made if long_id in m["answers"]
    ]
    public = results.summarise(survey, results.load(survey), public=True)
    public_texts = next(r for r in public.questions if r.question.id == long_id).texts
    assert [t.body for t in public_texts] == [
        m["answers"][long_id]
        for m in made
        if m["texts"].get(long_id) == ContributionStatus.PUBLISHED
    ]


# --- what the public and analysts see ---------------------------------------------


def _survey_with_counts(app, counts, phase="closed", **fields):
    """A closed survey with one radio question answered ``counts`` times per option."""
    with app.app_context():
        consultation = make_consultation(phase=phase, **fields)
        choices = [f"Option {n}" for n in range(len(counts))]
        survey = make_survey(
            consultation,
            [
                (
                    "Only",
                    [
                        dict(kind="single_choice", text="Pick one", options={"choices": choices}),
                        dict(kind="scale", text="Score it"),
                    ],
                )
            ],
        )
        question, scale = survey.questions
        for option, count in enumerate(counts):
            for _n in range(count):
                response = Response(
                    survey_id=survey.id,
                    status=ResponseStatus.SUBMITTED,
                    submitted_at=utcnow(),
                )
                response.answers = [
                    Answer(question_id=question.id, value={"choice": choices[option]}),
                    Answer(question_id=scale.id, value=option),
                ]
                db.session.add(response)
        db.session.commit()
        return survey.id


def _row_text(page: str, label: str) -> str:
    start = page.index(f'<th scope="row" class="govuk-table__header">{label}</th>')
    return page[start : page.index("</tr>", start)]


def test_the_public_sees_small_counts_suppressed_with_a_secondary_cell(app, role_client):
    survey_id = _survey_with_counts(app, [12, 3, 7, 0])
    page = role_client("resident").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert "fewer than 5" in _row_text(page, "Option 1")
    assert "%" not in _row_text(page, "Option 1")  # no percentage for a hidden count
    assert "not shown" in _row_text(page, "Option 2") and "%" not in _row_text(page, "Option 2")
    assert ">12<" in _row_text(page, "Option 0") and "55%" in _row_text(page, "Option 0")
    assert ">0<" in _row_text(page, "Option 3")
    assert "22" in page  # the total stays
    # A mean beside hidden counts would give them away.
    assert "Mean score" not in page
    officer = role_client("officer").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert ">3 <strong" in _row_text(officer, "Option 1") and "not public" in officer
    assert ">7 <strong" in _row_text(officer, "Option 2")
    assert "Mean score" in officer and "analysts’ view" in officer
    preview = role_client("officer").get(f"/surveys/{survey_id}/results?view=public")
    assert "fewer than 5" in _row_text(preview.get_data(as_text=True), "Option 1")


def test_the_chart_draws_no_bar_for_a_hidden_count(app, role_client):
    survey_id = _survey_with_counts(app, [12, 3, 7, 0])
    page = role_client("visitor").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    chart = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="cv-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'role="img"' in chart and "<title id=" in chart and "aria-labelledby=" in chart
    assert chart.count('class="cv-chart__bar"') == 1  # only Option 0; zero has none either
    assert "Option 1: fewer than 5" in chart  # figures in words in the description
    assert "style=" not in page and "<script>alert" not in page


def test_a_youth_consultation_uses_a_threshold_of_ten(app, role_client):
    survey_id = _survey_with_counts(app, [20, 7, 12], audience=Audience.YOUTH)
    page = role_client("visitor").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert "fewer than 10" in _row_text(page, "Option 1")
    assert "not shown" in _row_text(page, "Option 2")


def test_too_few_responses_show_no_figures_to_the_public(app, role_client):
    survey_id = _survey_with_counts(app, [2, 1])
    page = role_client("visitor").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert "Fewer than 5 people answered, so the figures are not shown." in page
    assert "Option 0" not in page
    officer = role_client("officer").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert "Option 0" in officer


def test_free_text_the_public_sees_is_only_what_was_published(app, role_client, framework):
    with app.app_context():
        survey = make_results_survey()
        statuses = itertools.cycle(STATUSES)
        made = add_responses(survey, 12, seed=5, status_for=lambda q, v: next(statuses))
        long_id = questions_by_text(survey)["What would make streets safer?"].id
        survey_id = survey.id
    said = [(m["answers"][long_id], m["texts"][long_id]) for m in made if long_id in m["answers"]]
    published = [body for body, status in said if status == ContributionStatus.PUBLISHED]
    held = [body for body, status in said if status != ContributionStatus.PUBLISHED]
    assert published and held
    page = role_client("resident").get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    # The results page shows the newest few; every answer is on the question's own pages.
    officer = (
        role_client("officer")
        .get(f"/surveys/{survey_id}/results/questions/{long_id}/answers")
        .get_data(as_text=True)
    )
    from markupsafe import escape

    for body in published:
        assert str(escape(body)) in page and str(escape(body)) in officer
    for body in held:
        assert str(escape(body)) not in page and str(escape(body)) in officer
    assert "Waiting for moderation" in officer and "Waiting for moderation" not in page
    assert "<script>alert(1)</script>" not in page + officer


# --- cross-tabulation -----------------------------------------------------------------


def test_crosstab_counts_each_group(ctx, framework):
    survey = make_results_survey()
    made = add_responses(survey, 50, seed=99)
    q = questions_by_text(survey)
    lit = q["Streets are well lit"]
    breakdown = next(b for b in crosstab.breakdowns(survey) if b.key == "about:age_band")
    table = crosstab.crosstab(survey, results.load(survey, about_you=True), lit, breakdown)
    rows = {row.label: row for row in table.rows}
    labels = {"13_15": "13 to 15", "16_17": "16 or 17", "18_24": "18 to 24"}
    for band, label in labels.items():
        group = [m for m in made if m["about"].get("age_band") == band]
        expected = Counter(m["answers"][lit.id] for m in group if lit.id in m["answers"])
        assert [c.count for c in rows[label].cells] == [expected[v] for v in LIKERT_ORDER]
        assert rows[label].answered == sum(expected.values())
        assert rows[label].youth == (band in ("13_15", "16_17"))
    missing = [m for m in made if "age_band" not in m["about"] and lit.id in m["answers"]]
    assert rows["Not answered"].answered == len(missing)
    assert table.total.answered == sum(1 for m in made if lit.id in m["answers"])

    travel = q["How do you travel?"]
    by_travel = crosstab.Breakdown(f"question:{travel.id}", travel.text)
    places = q["Where do you feel unsafe?"]
    table = crosstab.crosstab(survey, results.load(survey), places, by_travel)
    cycle_group = [
        m["answers"][places.id]
        for m in made
        if m["answers"].get(travel.id, {}).get("choice") == "Cycle" and places.id in m["answers"]
    ]
    cycle_row = next(row for row in table.rows if row.label == "Cycle")
    assert table.columns == PLACES + ["Other"]
    assert [c.count for c in cycle_row.cells] == [
        sum(1 for v in cycle_group if option in v["choices"]) for option in PLACES + [OTHER]
    ]


def test_crosstab_page_for_analysts(app, role_client, framework):
    with app.app_context():
        survey = make_results_survey(phase="open")
        add_responses(survey, 20, seed=3)
        question = questions_by_text(survey)["How do you travel?"].id
        survey_id = survey.id
    url = f"/surveys/{survey_id}/results/crosstab"
    empty = role_client("officer").get(url)
    assert empty.status_code == 200 and "Split by" in empty.get_data(as_text=True)
    table = role_client("officer").get(f"{url}?question={question}&by=about:gender")
    page = table.get_data(as_text=True)
    assert "How do you travel?, by What is your gender?" in page and "Non-binary" in page
    nonsense = role_client("officer").get(f"{url}?question=999&by=about:nothing")
    assert nonsense.status_code == 200 and "cv-crosstab" not in nonsense.get_data(as_text=True)
    assert role_client("partner").get(url).status_code == 403


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "results_public", "public_gets", "visitor_gets"),
    [
        ("draft", True, 404, 404),
        ("scheduled", True, 403, 302),
        ("open", True, 403, 302),
        ("closed", True, 200, 200),
        ("closed", False, 403, 302),
        ("outcome", True, 200, 200),
    ],
)
def test_who_sees_results_in_each_phase(
    app, role_client, phase, results_public, public_gets, visitor_gets
):
    with app.app_context():
        consultation = make_consultation(phase=phase, results_public=results_public)
        survey_id = make_survey(consultation, SECTIONS[1:]).id
    url = f"/surveys/{survey_id}/results"
    for role in ("resident", "youth", "group_leader", "partner", "moderator"):
        assert role_client(role).get(url).status_code == public_gets, role
    assert role_client("visitor").get(url).status_code == visitor_gets
    for role in ("officer", "admin"):
        assert role_client(role).get(url).status_code == 200, role
    assert role_client("officer").get("/surveys/999999/results").status_code == 404


def test_the_consultation_page_links_to_results_when_they_can_be_seen(app, role_client):
    with app.app_context():
        closed = make_consultation(phase="closed")
        make_survey(closed, SECTIONS[1:])
        still_open = make_consultation(phase="open")
        open_survey = make_survey(still_open, SECTIONS[1:]).id
        closed_slug, open_slug = closed.slug, still_open.slug
    visitor = role_client("visitor").get(f"/consultations/{closed_slug}")
    assert "See the results" in visitor.get_data(as_text=True)
    resident = role_client("resident").get(f"/consultations/{open_slug}")
    assert "See the results" not in resident.get_data(as_text=True)
    officer = role_client("officer").get(f"/consultations/{open_slug}")
    assert f"/surveys/{open_survey}/results" in officer.get_data(as_text=True)


# --- no N+1 ---------------------------------------------------------------------------


def _queries_for(app, role_client, role, responses, seed, path=""):
    with app.app_context():
        survey = make_results_survey()
        add_responses(survey, responses, seed=seed)
        survey_id = survey.id
    client = role_client(role)
    client.get(f"/surveys/{survey_id}/results{path}")  # warm up (session, first queries)
    with count_queries(app) as statements:
        assert client.get(f"/surveys/{survey_id}/results{path}").status_code == 200
    return len(statements)


@pytest.mark.parametrize("role", ["officer", "visitor"])
def test_query_count_does_not_grow_with_responses(app, role_client, framework, role):
    # Enough responses that no "other" count is withheld from the public: a withheld
    # one has no written answers to read, so its question runs one query fewer.
    few = _queries_for(app, role_client, role, 50, seed=1)
    many = _queries_for(app, role_client, role, 150, seed=2)
    assert few == many, (few, many)
    assert many < 25
