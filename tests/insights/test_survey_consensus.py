"""Consensus across declared groups for survey agreement items, with small groups left out."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.insights.service import survey_consensus
from community.models_base import utcnow
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus, Survey
from tests.support.factories import make_consultation, make_survey

QUESTIONS = [
    (
        "Page",
        [
            {"kind": "likert", "text": "Lighting is good"},
            {
                "kind": "matrix",
                "text": "These would help",
                "options": {"statements": ["Patrols", "Clubs"]},
            },
        ],
    )
]


def _respond(survey, n, *, likert, matrix=None, ward=None, age=None):
    likert_q, matrix_q = survey.questions
    for i in range(n):
        response = Response(
            survey_id=survey.id,
            browser_token=f"{ward}{age}{likert}{i}{id(survey)}"[:64],
            status=ResponseStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
        db.session.add(response)
        response.answers.append(Answer(question_id=likert_q.id, value=likert))
        if matrix is not None:
            response.answers.append(Answer(question_id=matrix_q.id, value=matrix))
        db.session.flush()
        for key, value in (("ward", ward), ("age_band", age)):
            if value:
                db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))


@pytest.fixture
def survey_id(app, framework):
    with app.app_context():
        survey = make_survey(
            make_consultation(phase="closed"), QUESTIONS, about_you=["ward", "age_band"]
        )
        _respond(survey, 6, likert=5, matrix={"0": 4, "1": 3}, ward="norbiton", age="25_34")
        _respond(survey, 6, likert=1, matrix={"0": 2, "1": 3}, ward="tolworth", age="35_44")
        _respond(survey, 3, likert=4, ward="tudor", age="16_17")  # too few to show
        db.session.commit()
        return survey.id


def test_agreement_by_ward_with_small_groups_left_out(app, survey_id):
    with app.app_context():
        items = survey_consensus(db.session.get(Survey, survey_id), "ward")
    lighting, patrols, clubs = items
    assert (
        lighting.overall.n == 15 and lighting.overall.agree == 9 and lighting.overall.disagree == 6
    )
    assert [(g.name, g.n, g.agree) for g in lighting.groups] == [
        ("Norbiton", 6, 6),
        ("Tolworth", 6, 0),
    ]
    assert lighting.left_out == 3
    # Pol.is's group-informed consensus, by hand: (6+1)/(6+2) × (0+1)/(6+2).
    assert lighting.consensus == pytest.approx((7 / 8) * (1 / 8))
    assert lighting.divides
    # Matrix statements are items too; the midpoint is a pass (counted in S_g).
    assert patrols.text == "These would help: Patrols"
    assert [(g.agree, g.disagree) for g in patrols.groups] == [(6, 0), (0, 6)]
    assert clubs.overall.neutral == 12 and clubs.consensus == pytest.approx((1 / 8) * (1 / 8))
    low, high = lighting.groups[0].interval
    assert low == pytest.approx(0.6097, abs=1e-3) and high == pytest.approx(1.0)


def test_under_18_groups_need_ten_people(app, survey_id):
    with app.app_context():
        items = survey_consensus(db.session.get(Survey, survey_id), "age_band")
    assert [g.name for g in items[0].groups] == ["25 to 34", "35 to 44"]  # 3 aged 16-17 left out


def test_consensus_page_is_public_after_close_only(app, role_client, survey_id):
    with app.app_context():
        slug = db.session.get(Survey, survey_id).consultation.slug
    page = role_client("visitor").get(f"/consultations/{slug}/consensus?grouping=ward")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Norbiton" in text and "Tudor" not in text and "Groups divide" in text
    with app.app_context():
        open_slug = make_consultation(phase="open").slug
    assert role_client("visitor").get(f"/consultations/{open_slug}/consensus").status_code == 403
    assert role_client("officer").get(f"/consultations/{open_slug}/consensus").status_code == 200


def test_partnership_view_places_consultations_by_issue_and_principle(app, client, framework):
    from sqlalchemy import select

    from community.framework.models import Term

    with app.app_context():
        terms = list(db.session.scalars(select(Term).where(Term.code.in_(["road-safety", "PH1"]))))
        consultation = make_consultation(phase="closed", title="Roads and prevention", terms=terms)
        make_survey(consultation, QUESTIONS)
    page = client.get("/consensus/").get_data(as_text=True)
    assert "Roads and prevention" in page and "No evidence yet" in page


def test_public_page_withholds_a_group_so_small_groups_cannot_be_worked_out(
    app, role_client, survey_id
):
    from community.insights.service import withheld_groups

    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        slug = survey.consultation.slug
        lighting = survey_consensus(survey, "ward")[0]
    # 3 people left out: overall less the shown groups would give away their answers,
    # so the smallest shown group is withheld too (3 + 6 = 9 hidden, at least 5).
    assert withheld_groups(lighting) == {"Norbiton"}
    hidden = lighting.left_out + sum(g.n for g in lighting.groups if g.name == "Norbiton")
    assert hidden >= 5
    public = role_client("visitor").get(f"/consultations/{slug}/consensus?grouping=ward")
    text = public.get_data(as_text=True)
    norbiton = text[text.index(">Norbiton<") :]
    norbiton = norbiton[: norbiton.index("</tr>")]
    assert "not shown, so that smaller groups stay hidden" in norbiton and "100%" not in norbiton
    analyst = role_client("officer").get(f"/consultations/{slug}/consensus?grouping=ward")
    assert "not shown, so that smaller groups stay hidden" not in analyst.get_data(as_text=True)


def test_nothing_is_withheld_when_nobody_or_enough_people_are_left_out():
    from community.insights.service import GroupShare, Item, withheld_groups

    groups = [GroupShare("A", 6, 3, 3, 0), GroupShare("B", 8, 8, 0, 0)]

    def item(left_out):
        overall = GroupShare("All", 14 + left_out, 11, 3, 0)
        return Item("q1", "t", 1, overall, groups=groups, left_out=left_out)

    assert withheld_groups(item(0)) == set()
    assert withheld_groups(item(5)) == set()
    assert withheld_groups(item(1)) == {"A"}
