"""Idea boards: post (with similar ideas first), support once, comment, respond, mail once."""

from __future__ import annotations

from sqlalchemy import func, select

from community.contributions.models import ContributionStatus
from community.extensions import db
from community.ideas.models import BoardPhase, Comment, Idea, IdeaBoard, IdeaStatus, Support
from tests.conftest import count_queries, sign_in_client
from tests.support.concurrency import at_once
from tests.support.factories import HOSTILE_NAME, make_consultation, make_user
from tests.support.mail import outbox


def _board(app, phase=BoardPhase.COLLECTING, **consultation):
    with app.app_context():
        c = make_consultation(**consultation)
        board = IdeaBoard(consultation_id=c.id, title="Ideas for safer parks", phase=phase)
        db.session.add(board)
        db.session.commit()
        return board.id


def _post(client, board_id, title, text, **extra):
    return client.post(
        f"/ideas/{board_id}/new", data={"title": title, "description": text, **extra}
    )


def test_a_resident_posts_an_idea_and_sees_similar_ones_first(app, role_client):
    board_id = _board(app)
    resident = role_client("resident")
    first = _post(
        resident,
        board_id,
        "Better lighting in Fairfield park",
        "Install brighter lights along the park paths",
    )
    assert first.status_code == 302
    other = role_client("group_leader")
    page = _post(other, board_id, "Lighting in the park", "More lights on the park paths at night")
    text = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "Similar ideas" in text
        and "Better lighting in Fairfield park" in text
    )
    assert "Post my idea anyway" in text
    anyway = _post(
        other,
        board_id,
        "Lighting in the park",
        "More lights on the park paths at night",
        confirmed="yes",
    )
    assert anyway.status_code == 302
    unrelated = _post(
        other, board_id, "Youth football on Fridays", "Free football sessions for teenagers"
    )
    assert unrelated.status_code == 302  # nothing similar: posted straight away
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Idea)) == 3


def test_one_support_per_person_even_under_twenty_concurrent_clicks(app, users):
    board_id = _board(app)
    with app.app_context():
        author = make_user()
        idea = Idea(
            board_id=board_id,
            author_id=author.id,
            title="Idea",
            body="Text",
            status=ContributionStatus.PUBLISHED,
        )
        db.session.add(idea)
        db.session.commit()
        idea_id = idea.id
    clients = [sign_in_client(app, users["resident"]) for _ in range(20)]
    codes = at_once(lambda c: c.post(f"/ideas/{board_id}/{idea_id}/support").status_code, clients)
    assert set(codes) == {302}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Support)) == 1
        assert db.session.get(Idea, idea_id).support_count == 1
    clients[0].post(f"/ideas/{board_id}/{idea_id}/unsupport")
    with app.app_context():
        assert db.session.get(Idea, idea_id).support_count == 0


def test_supporting_costs_a_few_statements_and_supporting_again_changes_nothing(app, users):
    """Issue 15: no savepoint, no reading the idea and the account again after the commit."""
    board_id = _board(app)
    with app.app_context():
        idea = Idea(
            board_id=board_id, title="Idea", body="Text", status=ContributionStatus.PUBLISHED
        )
        db.session.add(idea)
        db.session.commit()
        idea_id = idea.id
    client = sign_in_client(app, users["resident"])
    client.get(f"/ideas/{board_id}")
    with count_queries(app) as first:
        assert client.post(f"/ideas/{board_id}/{idea_id}/support").status_code == 302
    with count_queries(app) as again:
        assert client.post(f"/ideas/{board_id}/{idea_id}/support").status_code == 302
    # The user, the board with its consultation, the support inserted only if the idea
    # is a published idea of the board (the idea is not loaded), the count: 4 (5
    # with the idea loaded, 8 with the terms read too).
    assert len(first) == 4, "\n".join(s[:90] for s in first)
    # Supporting again adds nothing, so the long way runs (the idea, the insert that
    # finds it there, the count) without loading the user or the board again.
    assert len(again) <= 6, "\n".join(s[:90] for s in again)
    for statements in (first, again):
        assert not any("SAVEPOINT" in s.upper() for s in statements)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Support)) == 1
        assert db.session.get(Idea, idea_id).support_count == 1
    # Withdrawing is one DELETE, not a read of the support and then its delete.
    with count_queries(app) as withdrawn:
        assert client.post(f"/ideas/{board_id}/{idea_id}/unsupport").status_code == 302
    assert len(withdrawn) == 4, "\n".join(s[:90] for s in withdrawn)  # 5 with the idea
    assert not [s for s in withdrawn if s.startswith("SELECT idea_supports")], withdrawn
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Support)) == 0
        assert db.session.get(Idea, idea_id).support_count == 0


def test_youth_ideas_are_held_and_never_show_a_name(app, role_client, users):
    board_id = _board(app)
    role_client("youth").post(
        f"/ideas/{board_id}/new", data={"title": "Youth club", "description": "Open late"}
    )
    with app.app_context():
        idea = db.session.scalar(select(Idea))
        assert idea.status == ContributionStatus.PENDING and idea.by_youth
        idea.status = ContributionStatus.PUBLISHED
        db.session.commit()
        idea_id = idea.id
    for role in ("visitor", "resident", "officer"):
        page = role_client(role).get(f"/ideas/{board_id}/{idea_id}").get_data(as_text=True)
        board = role_client(role).get(f"/ideas/{board_id}").get_data(as_text=True)
        assert "A young person" in page and HOSTILE_NAME[:20] not in page + board


def test_comments_with_one_level_of_replies(app, role_client):
    board_id = _board(app)
    resident = role_client("resident")
    _post(resident, board_id, "Idea", "Text")
    with app.app_context():
        idea_id = db.session.scalar(select(Idea.id))
    resident.post(f"/ideas/{board_id}/{idea_id}/comments", data={"text": "Good idea"})
    with app.app_context():
        parent_id = db.session.scalar(select(Comment.id))
    resident.post(
        f"/ideas/{board_id}/{idea_id}/comments", data={"text": "Agreed", "parent": parent_id}
    )
    with app.app_context():
        reply_id = db.session.scalar(select(Comment.id).where(Comment.parent_id == parent_id))
    resident.post(
        f"/ideas/{board_id}/{idea_id}/comments", data={"text": "Too deep", "parent": reply_id}
    )
    with app.app_context():
        bodies = sorted(db.session.scalars(select(Comment.body)))
    assert bodies == ["Agreed", "Good idea"]
    page = role_client("visitor").get(f"/ideas/{board_id}/{idea_id}").get_data(as_text=True)
    assert "Good idea" in page and "Agreed" in page


def test_an_officer_responds_and_author_and_supporters_hear_exactly_once(app, role_client, users):
    board_id = _board(app)
    _post(role_client("resident"), board_id, "Idea", "Text")
    with app.app_context():
        idea_id = db.session.scalar(select(Idea.id))
    role_client("partner").post(f"/ideas/{board_id}/{idea_id}/support")
    officer = role_client("officer")
    data = {"status": "accepted", "explanation": "We will fund this in spring."}
    officer.post(f"/ideas/{board_id}/{idea_id}/respond", data=data)
    officer.post(f"/ideas/{board_id}/{idea_id}/respond", data=data)  # no change: no more mail
    with app.app_context():
        idea = db.session.get(Idea, idea_id)
        assert idea.idea_status == IdeaStatus.ACCEPTED
        sent = sorted(m.to_address for m in outbox(template="idea_status_changed"))
    assert sent == sorted([users["resident"].email, users["partner"].email])
    page = role_client("visitor").get(f"/ideas/{board_id}/{idea_id}").get_data(as_text=True)
    assert "We will fund this in spring." in page


def test_authors_edit_until_review_and_can_withdraw(app, role_client):
    board_id = _board(app)
    resident = role_client("resident")
    _post(resident, board_id, "Idea", "Text")
    with app.app_context():
        idea_id = db.session.scalar(select(Idea.id))
    resident.post(
        f"/ideas/{board_id}/{idea_id}/edit",
        data={"title": "Better idea", "description": "More text"},
    )
    with app.app_context():
        assert db.session.get(Idea, idea_id).title == "Better idea"
        db.session.get(Idea, idea_id).board.phase = BoardPhase.REVIEW
        db.session.commit()
    assert resident.get(f"/ideas/{board_id}/{idea_id}/edit").status_code == 403
    assert role_client("moderator").post(f"/ideas/{board_id}/{idea_id}/withdraw").status_code == 403
    resident.post(f"/ideas/{board_id}/{idea_id}/withdraw")
    with app.app_context():
        assert db.session.get(Idea, idea_id).status == ContributionStatus.WITHDRAWN
    assert role_client("visitor").get(f"/ideas/{board_id}/{idea_id}").status_code == 404


def test_board_sorts_filters_and_searches(app, role_client, framework):
    board_id = _board(app)
    with app.app_context():
        from community.framework.models import Term

        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        a = Idea(
            board_id=board_id,
            title="Speed bumps",
            body="Slow cars",
            status=ContributionStatus.PUBLISHED,
            support_count=5,
        )
        a.issues = [road]
        b = Idea(
            board_id=board_id,
            title="Park lights",
            body="Brighter paths",
            status=ContributionStatus.PUBLISHED,
            support_count=9,
        )
        db.session.add_all([a, b])
        db.session.commit()
    client = role_client("visitor")
    most = client.get(f"/ideas/{board_id}?sort=supported").get_data(as_text=True)
    assert most.index("Park lights") < most.index("Speed bumps")
    assert "Park lights" not in client.get(f"/ideas/{board_id}?issue=road-safety").get_data(
        as_text=True
    )
    assert "Speed bumps" not in client.get(f"/ideas/{board_id}?q=paths").get_data(as_text=True)
    with count_queries(app) as queries:
        client.get(f"/ideas/{board_id}")
    assert len(queries) < 15


def test_board_queries_do_not_grow_with_ideas_or_their_authors(app, role_client):
    """Each idea names its author: read with the page, not one query per idea."""
    board_id = _board(app)

    def add_ideas(n: int, start: int) -> None:
        with app.app_context():
            for i in range(start, start + n):
                author = make_user(email=f"author{i}@example.org", display_name=f"Author {i}")
                db.session.add(
                    Idea(
                        board_id=board_id,
                        title=f"Idea {i}",
                        body="Body",
                        author_id=author.id,
                        status=ContributionStatus.PUBLISHED,
                    )
                )
            db.session.commit()

    client = role_client("visitor")
    add_ideas(2, 0)
    with count_queries(app) as few:
        page = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert "Author 1" in page
    add_ideas(10, 2)
    with count_queries(app) as many:
        page = client.get(f"/ideas/{board_id}").get_data(as_text=True)
    assert "Author 11" in page
    assert len(many) == len(few)


def test_phases_declared_in_one_table_gate_actions(app, role_client):
    from community.ideas.phases import BOARD_ALLOWS

    assert set(BOARD_ALLOWS) == set(BoardPhase)
    supporting = _board(app, phase=BoardPhase.SUPPORTING)
    assert role_client("resident").get(f"/ideas/{supporting}/new").status_code == 403
    with app.app_context():
        board = IdeaBoard(
            consultation_id=make_consultation(phase="closed").id,
            title="Old",
            phase=BoardPhase.COLLECTING,
        )
        db.session.add(board)
        db.session.commit()
        closed = board.id
    assert role_client("resident").get(f"/ideas/{closed}/new").status_code == 403
