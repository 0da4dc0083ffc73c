"""Supporting without loading the idea (issue 15) still refuses what it refused: an
idea of another board, one not published, a board not taking support now."""

from __future__ import annotations

from sqlalchemy import select

from community.contributions.models import ContributionStatus
from community.extensions import db
from community.ideas.models import BoardPhase, Idea, Support
from tests.ideas.test_ideas import _board


def _idea(app, board_id, status=ContributionStatus.PUBLISHED, author_id=None) -> int:
    with app.app_context():
        idea = Idea(board_id=board_id, title="Idea", body="Text", status=status)
        idea.author_id = author_id
        db.session.add(idea)
        db.session.commit()
        return idea.id


def _supports(app) -> list[tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(select(Support.idea_id, Support.user_id).order_by(Support.id))
        return [tuple(row) for row in rows]


def _counts(app) -> dict[int, int]:
    with app.app_context():
        return {
            row.id: row.support_count
            for row in db.session.execute(select(Idea.id, Idea.support_count))
        }


def _message(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_idea_of_another_board_is_not_found_either_way(app, role_client):
    here, there = _board(app), _board(app)
    idea = _idea(app, there)
    client = role_client("resident")
    assert client.post(f"/ideas/{here}/{idea}/support").status_code == 404
    assert client.post(f"/ideas/{here}/999999/support").status_code == 404
    assert _supports(app) == []
    assert client.post(f"/ideas/{there}/{idea}/support").status_code == 302
    (supported,) = _supports(app)
    # Withdrawing through the wrong board is not found and takes nothing away.
    assert client.post(f"/ideas/{here}/{idea}/unsupport").status_code == 404
    assert _supports(app) == [supported] and _counts(app) == {idea: 1}
    assert client.post(f"/ideas/{there}/{idea}/unsupport").status_code == 302
    assert _supports(app) == [] and _counts(app) == {idea: 0}


def test_an_idea_not_yet_published_cannot_be_supported_even_by_its_author(app, role_client, users):
    board = _board(app)
    idea = _idea(app, board, ContributionStatus.PENDING, author_id=users["resident"].id)
    client = role_client("resident")
    page = _message(client, client.post(f"/ideas/{board}/{idea}/support"))
    assert "This idea is not published" in page
    assert _supports(app) == [] and _counts(app) == {idea: 0}
    # Someone else cannot see it at all.
    assert role_client("youth").post(f"/ideas/{board}/{idea}/support").status_code == 404


def test_a_board_under_review_takes_no_support(app, role_client):
    board = _board(app, phase=BoardPhase.REVIEW)
    idea = _idea(app, board)
    client = role_client("resident")
    page = _message(client, client.post(f"/ideas/{board}/{idea}/support"))
    assert "Ideas on this board cannot be supported now" in page
    assert _supports(app) == []


def test_supporting_twice_is_once_and_the_count_says_so(app, role_client):
    board = _board(app)
    idea = _idea(app, board)
    client = role_client("resident")
    for _ in range(2):
        assert client.post(f"/ideas/{board}/{idea}/support").status_code == 302
    assert len(_supports(app)) == 1 and _counts(app) == {idea: 1}
    assert client.post(f"/ideas/{board}/{idea}/unsupport").status_code == 302
    assert client.post(f"/ideas/{board}/{idea}/unsupport").status_code == 302  # nothing left
    assert _supports(app) == [] and _counts(app) == {idea: 0}
    page = client.get(f"/ideas/{board}/{idea}").get_data(as_text=True)
    assert f'action="/ideas/{board}/{idea}/support"' in page  # can support again
