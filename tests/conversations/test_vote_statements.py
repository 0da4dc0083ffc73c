"""A vote from someone who has voted before is one statement that finds their
participant row, checks the statement and writes the vote (issue 15), and that
statement still refuses what the long way refused."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.contributions.models import ContributionStatus
from community.conversations.models import Statement, Vote
from community.extensions import db
from tests.conftest import count_queries
from tests.conversations.test_conversations import _conversation


def _vote(client, conversation_id, statement_id, value="agree"):
    return client.post(
        f"/conversations/{conversation_id}/vote",
        data={"statement": statement_id, "vote": value},
    )


def _votes(app):
    with app.app_context():
        return sorted(tuple(r) for r in db.session.execute(select(Vote.statement_id, Vote.value)))


def _writes(queries):
    found = (re.match(r"(INSERT INTO|UPDATE|DELETE FROM) (\w+)", q) for q in queries)
    return [m.group(0) for m in found if m]


def test_a_returning_residents_vote_is_four_statements(app, role_client):
    conversation_id, ids = _conversation(app)
    client = role_client("resident")
    assert _vote(client, conversation_id, ids[0]).status_code == 302  # makes the participant
    with count_queries(app) as queries:
        assert _vote(client, conversation_id, ids[1], "disagree").status_code == 302
    # The conversation (with its consultation), the person, the vote, the mark: the
    # participant lookup and the statement check are inside the vote's INSERT.
    assert len(queries) == 4, queries
    assert not [q for q in queries if re.match(r"SELECT conversation_participants\.", q)]
    assert _writes(queries) == [
        "INSERT INTO conversation_votes",
        "UPDATE conversations",
    ]
    assert _votes(app) == [(ids[0], 1), (ids[1], -1)]
    # Voting again changes the vote, still one row.
    _vote(client, conversation_id, ids[1], "pass")
    assert _votes(app) == [(ids[0], 1), (ids[1], 0)]


def test_a_returning_anonymous_vote_is_three_statements(app, client):
    conversation_id, ids = _conversation(app, allow_anonymous=True)
    assert _vote(client, conversation_id, ids[0]).status_code == 302
    with count_queries(app) as queries:
        assert _vote(client, conversation_id, ids[1]).status_code == 302
    assert len(queries) == 3, queries  # no person to load
    assert _votes(app) == [(ids[0], 1), (ids[1], 1)]


def test_the_one_statement_still_refuses_statements_not_open_for_votes(app, role_client):
    conversation_id, ids = _conversation(app)
    other_id, other_ids = _conversation(app, seeds=("Elsewhere",))
    with app.app_context():
        held = db.session.get(Statement, ids[2])
        held.status = ContributionStatus.PENDING
        db.session.commit()
    client = role_client("resident")
    _vote(client, conversation_id, ids[0])
    for statement_id in (ids[2], other_ids[0], 999999):
        refused = _vote(client, conversation_id, statement_id)
        assert refused.status_code == 302
        page = client.get(refused.headers["Location"]).get_data(as_text=True)
        assert "That statement is not open for votes" in page
    assert _votes(app) == [(ids[0], 1)]
    # Someone else's participant row is never used: a second resident's first vote
    # makes their own.
    other = role_client("youth")
    _vote(other, conversation_id, ids[1], "disagree")
    with app.app_context():
        rows = db.session.execute(select(Vote.participant_id, Vote.statement_id)).all()
    assert len({participant for participant, _ in rows}) == 2
