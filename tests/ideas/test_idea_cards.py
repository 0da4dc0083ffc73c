"""Each idea's card on a board is drawn once and kept under everything it shows
(templates/ideas/board.html, community/layoutparts.py): a support redraws the one
card it changed, and no card is ever shown out of date."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.ideas.models import BoardPhase, Idea, IdeaBoard
from tests.conftest import sign_in_client
from tests.support.factories import make_consultation, make_user

pytestmark = pytest.mark.usefixtures("without_page_cache")


def _board_with_ideas(app, n: int = 3) -> tuple[int, list[int], int]:
    with app.app_context():
        board = IdeaBoard(
            consultation_id=make_consultation().id,
            title="Ideas for safer parks",
            phase=BoardPhase.COLLECTING,
        )
        db.session.add(board)
        author = make_user(email="author@example.org", display_name="Sam Author")
        ideas = [
            Idea(
                board=board,
                title=f"Idea {i}",
                body=f"Body of idea {i}",
                author_id=author.id,
                status=ContributionStatus.PUBLISHED,
            )
            for i in range(n)
        ]
        db.session.add_all(ideas)
        db.session.commit()
        return board.id, [idea.id for idea in ideas], author.id


def _cards_drawn(app) -> int:
    return app.extensions["community_layout_parts"].misses


def _card(page: str, idea_id: int) -> str:
    return page.split(f'/{idea_id}">Idea', 1)[1].split("</li>", 1)[0]


def test_a_board_drawn_again_draws_no_card_again(app, client):
    board_id, ids, _author = _board_with_ideas(app)
    client.get("/ideas/")  # the layout's parts, drawn before the board
    before = _cards_drawn(app)
    first = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    drawn = _cards_drawn(app)
    assert drawn >= before + len(ids)  # each card drawn once
    second = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert _cards_drawn(app) == drawn
    for idea_id in ids:
        assert _card(second, idea_id) == _card(first, idea_id)
    for idea_id in ids:
        assert "Sam Author" in _card(second, idea_id)


def test_a_support_redraws_its_card_only_and_shows_at_once(app, client, users):
    board_id, ids, _author = _board_with_ideas(app)
    before = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert "0 supporters" in _card(before, ids[1])
    resident = sign_in_client(app, users["resident"])
    assert resident.post(f"/ideas/{board_id}/{ids[1]}/support").status_code == 302
    drawn = _cards_drawn(app)
    after = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert "1 supporter " in _card(after, ids[1])
    assert _card(after, ids[0]) == _card(before, ids[0])
    assert _cards_drawn(app) == drawn + 1  # the supported idea's card, no other


def test_what_changes_outside_the_idea_still_shows(app, client):
    """The author's name is not the idea's row: a new name is a new card all the same."""
    board_id, ids, author_id = _board_with_ideas(app, n=1)
    assert "Sam Author" in client.get(f"/ideas/{board_id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, author_id).display_name = "Sam Renamed"
        db.session.commit()
    page = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert "Sam Renamed" in _card(page, ids[0]) and "Sam Author" not in page
    with app.app_context():
        idea = db.session.scalars(select(Idea).where(Idea.id == ids[0])).one()
        idea.title = "A better title"
        db.session.commit()
    assert "A better title" in client.get(f"/ideas/{board_id}").get_data(as_text=True)


def test_each_language_has_its_own_cards(app, client):
    board_id, ids, _author = _board_with_ideas(app, n=1)
    english = _card(client.get(f"/ideas/{board_id}").get_data(as_text=True), ids[0])
    client.get(f"/language/ko?next=/ideas/{board_id}")
    korean = _card(client.get(f"/ideas/{board_id}").get_data(as_text=True), ids[0])
    assert re.search(r"\d{4}년", korean) and not re.search(r"\d{4}년", english)
    assert "supporters" in english and "supporters" not in korean
