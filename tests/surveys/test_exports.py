"""Downloading responses: CSV and XLSX, formula injection, "about you" by role, the audit."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.audit.models import AuditEvent
from community.extensions import db
from community.models_base import utcnow
from community.surveys.models import AboutYouAnswer, Answer, Channel, Response, ResponseStatus
from community.surveys.qtypes import OTHER
from community.surveys.results import exports
from tests.conftest import count_queries
from tests.support.factories import make_user
from tests.surveys.results_data import (
    ABOUT,
    STATEMENTS,
    add_responses,
    make_results_survey,
    questions_by_text,
)

QUESTION_HEADERS = [
    "How do you travel?",
    "How do you travel? (other)",
    "Where do you feel unsafe?",
    "Where do you feel unsafe? (other)",
    "How often do you go out after dark?",
    "Which ward is it about?",
    "Streets are well lit",
    "How safe do you feel?",
    *[f"How far do you agree?: {s}" for s in STATEMENTS],
    "Put these in order",
    "How many times did you report a crime?",
    "When did it last happen?",
    "One word for your area",
    "What would make streets safer?",
]
ABOUT_HEADERS = [
    "About you: How old are you?",
    "About you: Which ward do you live in?",
    "About you: What is your gender?",
]
BASE_HEADERS = ["Reference", "Submitted at (UTC)", "Channel"]
HOSTILE_CELLS = {
    '=HYPERLINK("http://evil","x")': '\'=HYPERLINK("http://evil","x")',
    "+SUM(1,2)": "'+SUM(1,2)",
    "-2+3": "'-2+3",
    "@cmd": "'@cmd",
    "\t=1": "'\t=1",
    "-5": "-5",
    "+44": "+44",
    "plain": "plain",
}


@pytest.fixture
def survey_id(app, framework):
    """A closed survey with 12 random responses and one written to be awkward."""
    with app.app_context():
        survey = make_results_survey()
        add_responses(survey, 12, seed=11)
        q = questions_by_text(survey)
        person = make_user(email="someone.private@example.com")
        response = Response(
            survey_id=survey.id,
            user_id=person.id,
            status=ResponseStatus.SUBMITTED,
            submitted_at=utcnow(),
            channel=Channel.PAPER,
            reference="ZZZZ2222",
        )
        response.answers = [
            Answer(question_id=q["One word for your area"].id, value='=HYPERLINK("http://evil")'),
            Answer(
                question_id=q["Where do you feel unsafe?"].id,
                value={"choices": ["Parks", OTHER], "other": "@SUM(A1:A9)"},
            ),
            Answer(question_id=q["How many times did you report a crime?"].id, value=-5),
            Answer(question_id=q["Which ward is it about?"].id, value="tolworth"),
            Answer(question_id=q["How far do you agree?"].id, value={"0": 5, "2": 1}),
        ]
        db.session.add(response)
        db.session.flush()
        db.session.add(AboutYouAnswer(response_id=response.id, key="age_band", value="16_17"))
        db.session.commit()
        return survey.id


def _csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _awkward(rows, header):
    row = next(r for r in rows if r[0] == "ZZZZ2222")
    return dict(zip(header, row, strict=True))


def test_neutralise_prefixes_would_be_formulas():
    for given, expected in HOSTILE_CELLS.items():
        assert exports.neutralise(given) == expected, given
    assert exports.neutralise(-5) == -5 and exports.neutralise(None) is None


def test_csv_has_one_row_per_submitted_response(app, role_client, survey_id):
    response = role_client("officer").get(f"/surveys/{survey_id}/results/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header == BASE_HEADERS + QUESTION_HEADERS + ABOUT_HEADERS
    assert len(body) == 13  # 12 random + the awkward one; never the two in progress
    with app.app_context():
        references = set(
            db.session.scalars(
                select(Response.reference).where(Response.status == ResponseStatus.SUBMITTED)
            )
        )
    assert {r[0] for r in body} == references
    text = response.get_data().decode("utf-8-sig")
    assert "someone.private@example.com" not in text and "O'Brien" not in text
    awkward = _awkward(rows, header)
    assert awkward["Channel"] == "paper"
    assert awkward["Submitted at (UTC)"].endswith("Z")
    assert awkward["One word for your area"] == '\'=HYPERLINK("http://evil")'
    assert awkward["Where do you feel unsafe?"] == "Parks; Other: @SUM(A1:A9)"
    assert awkward["Where do you feel unsafe? (other)"] == "'@SUM(A1:A9)"
    assert awkward["How many times did you report a crime?"] == "-5"
    assert awkward["Which ward is it about?"] == "Tolworth"
    assert awkward[f"How far do you agree?: {STATEMENTS[0]}"] == "Strongly agree"
    assert awkward[f"How far do you agree?: {STATEMENTS[1]}"] == ""
    assert awkward["About you: How old are you?"] == "16 or 17"
    assert awkward["About you: What is your gender?"] == ""
    assert not any(cell.startswith(("=", "+", "@")) for row in body for cell in row)


def test_xlsx_has_the_same_headers_and_values_as_text(app, role_client, survey_id):
    response = role_client("admin").get(f"/surveys/{survey_id}/results/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == exports.XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header == BASE_HEADERS + QUESTION_HEADERS + ABOUT_HEADERS
    assert len(rows) == 14
    awkward = _awkward(rows, header)
    assert awkward["One word for your area"] == '\'=HYPERLINK("http://evil")'
    assert awkward["Where do you feel unsafe? (other)"] == "'@SUM(A1:A9)"
    assert awkward["Channel"] == "paper"
    assert awkward["Submitted at (UTC)"].year >= 2025  # a real date for Excel
    # No cell anywhere is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    csv_rows = _csv(role_client("admin").get(f"/surveys/{survey_id}/results/export.csv"))
    assert [r[0] for r in rows[1:]] == [r[0] for r in csv_rows[1:]]
    for xlsx_row, csv_row in zip(rows[1:], csv_rows[1:], strict=True):
        assert [("" if v is None else str(v)) for v in xlsx_row[3:]] == csv_row[3:]


def test_about_you_columns_only_for_roles_allowed_to_see_them(app, survey_id, ctx):
    allowed = {role for role in Role if exports.can_see_about_you(make_user(role))}
    assert allowed == {Role.OFFICER, Role.ADMIN}
    from community.surveys.models import Survey

    survey = db.session.get(Survey, survey_id)
    assert survey.about_you == ABOUT
    without = exports.download(survey, "csv", include_about_you=False)
    header = next(csv.reader(io.StringIO(without.body.decode("utf-8-sig"))))
    assert header == BASE_HEADERS + QUESTION_HEADERS and not without.about_you
    with_about = exports.download(survey, "xlsx", include_about_you=True)
    assert with_about.about_you and with_about.responses == 13


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_only_analysts_can_download(app, role_client, survey_id, extension):
    url = f"/surveys/{survey_id}/results/export.{extension}"
    for role in ("resident", "youth", "group_leader", "partner", "moderator"):
        assert role_client(role).get(url).status_code == 403, role
    assert "/sign-in" in role_client("visitor").get(url).headers["Location"]
    assert (
        role_client("officer").get(f"/surveys/999999/results/export.{extension}").status_code == 404
    )
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.exported"))
            is None
        )


def test_every_download_is_audited(app, role_client, users, survey_id):
    role_client("officer").get(f"/surveys/{survey_id}/results/export.csv")
    role_client("admin").get(f"/surveys/{survey_id}/results/export.xlsx")
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey.exported").order_by(AuditEvent.id)
        ).all()
        assert [(e.actor_id, e.target_type, e.target_id) for e in events] == [
            (users["officer"].id, "survey", survey_id),
            (users["admin"].id, "survey", survey_id),
        ]
        assert events[0].details == {"format": "csv", "responses": 13, "about_you": True}
        assert events[1].details["format"] == "xlsx"


def _export_queries(app, role_client, responses, seed, extension):
    with app.app_context():
        survey = make_results_survey()
        add_responses(survey, responses, seed=seed)
        survey_id = survey.id
    client = role_client("officer")
    url = f"/surveys/{survey_id}/results/export.{extension}"
    client.get(url)
    with count_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_download_query_count_does_not_grow_with_responses(app, role_client, framework, extension):
    few = _export_queries(app, role_client, 5, 1, extension)
    many = _export_queries(app, role_client, 40, 2, extension)
    assert few == many, (few, many)
