"""Results: Pol.is's majority rule, the method in plain words, moderated-out counts for
officers only, and the opinion map."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert

from community.consensus import polis_consensus_statements
from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation, Participant, Statement, Vote
from community.conversations.results import load_matrix, recompute
from community.extensions import db
from tests.support.factories import make_consultation

BODIES = ["Lighting matters", "Patrols help", "Youth clubs work", "Abolish the council"]


def _voted_conversation(app, n=40) -> tuple[int, list[int]]:
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
