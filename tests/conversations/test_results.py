"""Results: Pol.is's majority rule, the method in plain words, moderated-out counts for
officers only, and the opinion map."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert, select

from community.consensus import polis_consensus_statements
from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation, Participant, Statement, Vote
from community.conversations.results import load_matrix, recompute
from community.extensions import db
from tests.support.factories import make_consultation

BODIES = ["Lighting matters", "Patrols help", "Youth clubs work", "Abolish the council"]


def _voted_conversation(app, n=40, user_id=None) -> tuple[int, list[int]]:
    """Two camps of n/2 people on four statements; the last one moderated out."""
    rng = np.random.default_rng(3)
    with app.test_request_context():
        c = make_consultation()
        conversation = Conversation(consultation_id=c.id, question="How do we make streets safer?")
        db.session.add(conversation)
        db.session.flush()
        statements = []
        for i, body in enumerate(BODIES):
            s = Statement(
                conversation_id=conversation.id,
                consultation_id=c.id,
                body=body,
                anonymous=True,
                status=ContributionStatus.REJECTED if i == 3 else ContributionStatus.PUBLISHED,
            )
            db.session.add(s)
            statements.append(s)
        people = [Participant(conversation_id=conversation.id) for _ in range(n)]
        people[0].user_id = user_id
        db.session.add_all(people)
        db.session.flush()
        rows = []
        for k, person in enumerate(people):
            camp = 1 if k < n // 2 else -1
            votes = [1, camp, -camp, int(rng.choice([-1, 1]))]
            for s, v in zip(statements, votes, strict=True):
                rows.append({"participant_id": person.id, "statement_id": s.id, "value": v})
        db.session.execute(insert(Vote), rows)
        recompute(conversation)
        db.session.commit()
        return conversation.id, [s.id for s in statements]


def test_majority_follows_polis_rule(app):
    conversation_id, ids = _voted_conversation(app)
    with app.app_context():
        conversation = db.session.get(Conversation, conversation_id)
        everything, out = load_matrix(conversation_id)
        expected = polis_consensus_statements(everything.without_statements(out))
        got = [(m["statement"], m["side"]) for m in conversation.results["majority"]]
    assert got == [(c.statement_id, side) for side in expected for c in expected[side]]
    assert got == [(ids[0], "agree")]  # everyone agrees with the first; the camps split


def test_results_page_explains_the_method_and_hides_moderated_out(app, role_client):
    conversation_id, ids = _voted_conversation(app)
    page = role_client("visitor").get(f"/conversations/{conversation_id}/results")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "How these results are worked out" in html
    assert "more than half of everyone who voted" in html
    assert 'href="https://compdemocracy.org/algorithms/"' in html
    assert "What most people agree on" in html and BODIES[0] in html
    assert BODIES[3] not in html


def test_officers_see_counts_for_moderated_out_statements(app, role_client):
    conversation_id, ids = _voted_conversation(app)
    with app.app_context():
        stored = db.session.get(Conversation, conversation_id).results["statements"]
    out = stored[str(ids[3])]
    assert out["moderated_out"] is True and out["votes"] == 40
    assert "moderated_out" not in stored[str(ids[0])]
    html = (
        role_client("officer")
        .get(f"/manage/conversations/{conversation_id}")
        .get_data(as_text=True)
    )
    assert BODIES[3] in html and "Moderated out: counts not public" in html
    assert f">{out['agree']}<" in html and f">{out['disagree']}<" in html


def test_the_matrix_is_read_with_one_query_of_the_votes(app):
    conversation_id, ids = _voted_conversation(app)
    with app.app_context():
        connection = db.session.connection()
        traced: list[str] = []
        if connection.dialect.name == "sqlite":
            connection.connection.driver_connection.set_trace_callback(traced.append)
        matrix, out = load_matrix(conversation_id)
        if connection.dialect.name == "sqlite":
            connection.connection.driver_connection.set_trace_callback(None)
            assert sum("conversation_votes" in sql for sql in traced) == 1
        rows = db.session.execute(select(Vote.participant_id, Vote.statement_id, Vote.value)).all()
    assert out == {ids[3]}
    assert int((~np.isnan(matrix.values)).sum()) == len(rows) == 160
    for pid, sid, value in rows:
        assert matrix.vote(pid, sid) == value


def test_opinion_map_is_an_svg_with_a_table_and_text(app, role_client):
    conversation_id, _ids = _voted_conversation(app)
    html = (
        role_client("visitor")
        .get(f"/conversations/{conversation_id}/results")
        .get_data(as_text=True)
    )
    assert '<svg class="cv-map"' in html and 'role="img"' in html
    assert 'aria-labelledby="opinion-map-title opinion-map-desc"' in html
    assert "Opinion map of 40 people in 2 groups" in html
    assert "Group 1: 20 people, blue circles" in html and "red squares" in html
    assert html.count('href="#mark-circle"') + html.count('href="#mark-square"') == 40
    assert "stroke-dasharray" in html  # each group outlined, not colour alone
    assert "The opinion map as a table" in html
    assert ">You<" not in html


def test_you_are_here_for_the_signed_in_participant(app, role_client, users):
    conversation_id, _ids = _voted_conversation(app, user_id=users["resident"].id)
    html = (
        role_client("resident")
        .get(f"/conversations/{conversation_id}/results")
        .get_data(as_text=True)
    )
    assert ">You</text>" in html
    assert "You are in group 1, at the" in html and "(your group)" in html


def test_the_map_is_laid_out_once_per_recompute_and_language_you_per_viewer(
    app, role_client, users
):
    """Everyone's marks are kept per results version and language; "you" is placed for
    each viewer; a recompute or another language draws afresh (issue 15)."""
    from community.conversations import opinion_map as drawing

    conversation_id, _ids = _voted_conversation(app, user_id=users["resident"].id)
    url = f"/conversations/{conversation_id}/results"
    layouts = []
    real = drawing._layout

    def counted(results, participant_id):
        layouts.append(participant_id)
        return real(results, participant_id)

    drawing._layout = counted
    try:
        visitor = role_client("visitor").get(url).get_data(as_text=True)
        resident = role_client("resident").get(url).get_data(as_text=True)
        again = role_client("visitor").get(url).get_data(as_text=True)
        assert layouts == [None]  # one layout for the three views
        assert ">You</text>" in resident and ">You</text>" not in visitor
        assert again == visitor.replace(_csrf(visitor), _csrf(again))
        polish = role_client("visitor")
        polish.get("/language/pl")
        polish.get(url)
        assert len(layouts) == 2  # the legend and descriptions are translated
        with app.app_context():
            conversation = db.session.get(Conversation, conversation_id)
            db.session.execute(
                insert(Vote),
                [
                    {"participant_id": p, "statement_id": s, "value": -1}
                    for p, s in [(_new_participant(conversation), sid) for sid in _ids[:3]]
                ],
            )
            recompute(conversation)
            db.session.commit()
        assert role_client("visitor").get(url).status_code == 200
        assert len(layouts) == 3  # a new results version: drawn again
    finally:
        drawing._layout = real


def _csrf(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    return found.group(1) if found else ""


def _new_participant(conversation) -> int:
    person = Participant(conversation_id=conversation.id)
    db.session.add(person)
    db.session.flush()
    return person.id
