"""``%`` and ``_`` typed into a search box match only themselves (community/likes.py)."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role
from community.accounts.service import search_users
from community.contributions.models import ContributionStatus
from community.extensions import db
from community.ideas.models import Idea, IdeaBoard
from community.ideas.service import board_query
from community.likes import contains_pattern, escape_like
from tests.support.factories import make_consultation, make_user


def test_escape_like_escapes_wildcards_and_the_escape_itself():
    assert escape_like("100%_a\\b") == "100\\%\\_a\\\\b"
    assert contains_pattern("  50% OFF ") == "%50\\% off%"


def test_admin_user_list_matches_wildcards_literally(app, ctx):
    make_user(Role.RESIDENT, email="a_b@example.com", display_name="Percy 100% sure")
    make_user(Role.RESIDENT, email="axb@example.com", display_name="Percy 1000 sure")

    def emails(q: str) -> set[str]:
        return {u.email for u in db.session.scalars(search_users(q))}

    assert emails("a_b") == {"a_b@example.com"}
    assert emails("100%") == {"a_b@example.com"}
    assert emails("%") == {"a_b@example.com"}
    assert emails("_") == {"a_b@example.com"}
    assert emails("percy") == {"a_b@example.com", "axb@example.com"}


def test_admin_user_list_page(app, ctx):
    admin = make_user(Role.ADMIN, email="admin@example.com", display_name="Admin")
    make_user(Role.RESIDENT, email="under_score@example.com", display_name="Under")
    make_user(Role.RESIDENT, email="underxscore@example.com", display_name="Plain")
    from tests.conftest import sign_in_client

    page = sign_in_client(app, admin).get("/admin/users/?q=r_s").get_data(as_text=True)
    assert "under_score@example.com" in page and "underxscore@example.com" not in page


def test_idea_board_search_matches_wildcards_literally(app, ctx):
    consultation = make_consultation()
    board = IdeaBoard(consultation_id=consultation.id, title="Ideas")
    db.session.add(board)
    db.session.flush()
    for title in ("50% more lights", "500 more lights", "snake_case lights", "snakeXcase lights"):
        db.session.add(
            Idea(
                board_id=board.id,
                consultation_id=consultation.id,
                title=title,
                body="lights",
                status=ContributionStatus.PUBLISHED,
            )
        )
    db.session.commit()

    def titles(q: str) -> set[str]:
        return {i.title for i in db.session.scalars(board_query(board, q=q))}

    assert titles("50%") == {"50% more lights"}
    assert titles("%") == {"50% more lights"}
    assert titles("e_c") == {"snake_case lights"}
    assert titles("lights") == {
        "50% more lights",
        "500 more lights",
        "snake_case lights",
        "snakeXcase lights",
    }
    assert db.session.scalar(select(Idea.id).where(Idea.title == "500 more lights"))
    response = app.test_client().get(f"/ideas/{board.id}?q=50%25")
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200 and "500 more lights" not in html and "50% more lights" in html
    )
