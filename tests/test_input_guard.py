"""The request guard: control characters, invalid UTF-8 and out-of-range values get 400."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from community.ideas.models import Idea, IdeaBoard
from tests.support.factories import make_consultation, make_survey
from tests.support.mail import outbox


def _board(app) -> int:
    with app.app_context():
        board = IdeaBoard(consultation_id=make_consultation().id, title="Ideas")
        db.session.add(board)
        db.session.commit()
        return board.id


def test_a_nul_in_registration_is_refused_with_an_explanation(app, client):
    data = {
        "display_name": "Sam\x00",
        "email": "sam@example.org",
        "password": "a long password 123",
        "confirm": "a long password 123",
        "age_band": "25_34",
        "accept": "y",
    }
    response = client.post("/register", data=data)
    assert response.status_code == 400
    assert "characters that are not allowed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_nul_in_the_path_is_a_400_not_a_500(client):
    assert client.get("/consultations/a%00b").status_code == 400
    assert client.get("/consultations/a%ffb").status_code == 400


def test_out_of_range_paging_and_filters_are_refused(role_client):
    admin = role_client("admin")
    assert (
        role_client("visitor").get("/consultations/?page=99999999999999999999").status_code == 400
    )
    assert admin.get("/admin/users/?role=x").status_code in {200, 400}
    assert admin.get("/admin/users/?role=x").status_code != 500
    assert role_client("visitor").get("/outcomes/?ward=" + "W" * 5000).status_code == 400
    assert role_client("visitor").get("/consultations/?q=a%0ab").status_code == 400


def test_line_breaks_only_where_several_lines_are_expected(app, role_client):
    board_id = _board(app)
    resident = role_client("resident")
    title = resident.post(
        f"/ideas/{board_id}/new",
        data={"title": "Lights\r\nBcc: x@example.org", "description": "One line"},
    )
    assert title.status_code == 400
    assert "line break in a box that takes one line" in title.get_data(as_text=True)
    body = resident.post(
        f"/ideas/{board_id}/new",
        data={"title": "Lights", "description": "First line\r\nSecond line\tand a tab"},
    )
    assert body.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Idea.title)) == "Lights"


def test_a_title_saved_with_a_line_break_never_splits_a_mail_subject(app, role_client, users):
    """Saved before the guard existed: the subject is put on one line when queued."""
    board_id = _board(app)
    with app.app_context():
        idea = Idea(
            board_id=board_id,
            author_id=users["resident"].id,
            title="Lights\r\nBcc: x@example.org",
            body="Text",
        )
        db.session.add(idea)
        db.session.commit()
        idea_id = idea.id
    role_client("officer").post(
        f"/ideas/{board_id}/{idea_id}/respond",
        data={"status": "accepted", "explanation": "Yes."},
    )
    with app.app_context():
        subjects = [m.subject for m in outbox(template="idea_status_changed")]
    assert subjects and all("\r" not in s and "\n" not in s for s in subjects)


def test_a_nul_never_reaches_a_survey_answer(app, role_client):
    with app.app_context():
        survey = make_survey(
            make_consultation(), [("Part", [{"kind": "long_text", "text": "Tell us"}])]
        )
        survey_id, section = survey.id, survey.sections[0]
        section_id, field = section.id, section.questions[0].field_name
    resident = role_client("resident")
    resident.post(f"/surveys/{survey_id}/begin")
    url = f"/surveys/{survey_id}/sections/{section_id}"
    assert resident.post(url, data={field: "broken\x00answer"}).status_code == 400
    saved = resident.post(url, data={field: "Two\r\nlines"})
    assert saved.status_code == 302
