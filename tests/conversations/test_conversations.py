"""Conversations: voting one statement at a time, statements, import/export, results."""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from community import jobs
from community.contributions.models import ContributionStatus
from community.conversations import polis
from community.conversations.models import Conversation, Participant, Statement, Vote
from community.extensions import db
from tests.conftest import count_queries, sign_in_client
from tests.support.factories import make_consultation

LONDON = Path(__file__).resolve().parents[2] / "community/conversations/data/london.youth.policing"


def _conversation(
    app, *, seeds=("Lighting matters", "Patrols help", "Youth clubs work"), **consultation
):
    from community.conversations.service import add_statement

    with app.test_request_context():
        c = make_consultation(**consultation)
        conversation = Conversation(consultation_id=c.id, question="How do we make streets safer?")
        db.session.add(conversation)
        db.session.flush()
        ids = [add_statement(conversation, None, text, seed=True).id for text in seeds]
        db.session.commit()
        return conversation.id, ids


def _votes(app):
    with app.app_context():
        return list(db.session.execute(select(Vote.statement_id, Vote.value)).all())


def test_a_resident_votes_changes_a_vote_and_sees_how_many_remain(app, role_client):
    conversation_id, ids = _conversation(app)
    client = role_client("resident")
    page = client.get(f"/conversations/{conversation_id}").get_data(as_text=True)
    assert "3 statements left to vote on" in page
    client.post(
        f"/conversations/{conversation_id}/vote", data={"statement": ids[0], "vote": "agree"}
    )
    page = client.get(f"/conversations/{conversation_id}").get_data(as_text=True)
    assert "2 statements left to vote on" in page and "you have voted on 1" in page
    with app.app_context():
        first = db.session.execute(select(Vote.created_at, Vote.updated_at)).one()
    client.post(
        f"/conversations/{conversation_id}/vote", data={"statement": ids[0], "vote": "disagree"}
    )
    assert _votes(app) == [(ids[0], -1)]  # the latest counts, one row
    with app.app_context():
        changed = db.session.execute(select(Vote.created_at, Vote.updated_at)).one()
    assert changed.created_at == first.created_at and changed.updated_at > first.updated_at
    for sid in ids[1:]:
        client.post(
            f"/conversations/{conversation_id}/vote", data={"statement": sid, "vote": "pass"}
        )
    assert "You have voted on every statement" in client.get(
        f"/conversations/{conversation_id}"
    ).get_data(as_text=True)


def test_bad_votes_are_refused_without_saving(app, role_client):
    conversation_id, ids = _conversation(app)
    client = role_client("resident")
    assert (
        client.post(
            f"/conversations/{conversation_id}/vote", data={"statement": ids[0], "vote": "maybe"}
        ).status_code
        == 400
    )
    client.post(
        f"/conversations/{conversation_id}/vote", data={"statement": 999999, "vote": "agree"}
    )
    assert _votes(app) == []


def test_twenty_concurrent_votes_leave_one_vote(app, users):
    conversation_id, ids = _conversation(app)
    clients = [sign_in_client(app, users["resident"]) for _ in range(20)]
    barrier = threading.Barrier(len(clients))
    codes = []

    def vote(client, n):
        barrier.wait()
        codes.append(
            client.post(
                f"/conversations/{conversation_id}/vote",
                data={"statement": ids[0], "vote": ["agree", "disagree", "pass"][n % 3]},
            ).status_code
        )

    threads = [threading.Thread(target=vote, args=(c, n)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(codes) == {302}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 1


def test_anonymous_participation_only_where_allowed(app, client):
    closed, closed_ids = _conversation(app)
    open_, open_ids = _conversation(app, allow_anonymous=True)
    refused = client.post(
        f"/conversations/{closed}/vote", data={"statement": closed_ids[0], "vote": "agree"}
    )
    assert "/sign-in" in refused.headers["Location"]
    client.post(f"/conversations/{open_}/vote", data={"statement": open_ids[0], "vote": "agree"})
    with app.app_context():
        (participant,) = db.session.scalars(select(Participant)).all()
        assert participant.user_id is None and len(participant.browser_token) == 64


def test_statements_from_young_people_wait_for_a_moderator(app, role_client):
    conversation_id, _ids = _conversation(app)
    role_client("youth").post(
        f"/conversations/{conversation_id}/statements", data={"text": "More youth clubs please"}
    )
    role_client("resident").post(
        f"/conversations/{conversation_id}/statements",
        data={"text": "Better lighting by the river"},
    )
    with app.app_context():
        added = {
            s.body: s
            for s in db.session.scalars(select(Statement).where(Statement.is_seed.is_(False)))
        }
        assert added["More youth clubs please"].status == ContributionStatus.PENDING
        assert added["Better lighting by the river"].status == ContributionStatus.PUBLISHED
    page = role_client("visitor").get(f"/conversations/{conversation_id}").get_data(as_text=True)
    results = (
        role_client("visitor")
        .get(f"/conversations/{conversation_id}/results")
        .get_data(as_text=True)
    )
    assert "More youth clubs please" not in page + results


def test_a_long_statement_is_explained_and_not_saved(app, role_client):
    conversation_id, _ids = _conversation(app)
    response = role_client("resident").post(
        f"/conversations/{conversation_id}/statements", data={"text": "x" * 281}
    )
    assert response.status_code == 400
    assert "280 characters or fewer" in response.get_data(as_text=True)


def _independent_counts():
    """Per-statement agree/disagree/pass from participants-votes.csv, with plain loops."""
    counts = {}
    with open(LONDON / "participants-votes.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            for key, value in row.items():
                if key.isdigit() and value not in ("", None):
                    c = counts.setdefault(key, [0, 0, 0])
                    c[{"1": 0, "-1": 1, "0": 2}[value]] += 1
    return counts


def test_importing_london_keeps_the_latest_votes_and_results_match_the_files(app):
    with app.test_request_context():
        consultation = make_consultation()
        conversation = polis.import_folder(
            consultation, LONDON, question="Q", attribution="CC BY 4.0"
        )
        db.session.commit()
        conversation_id = conversation.id
        assert jobs.run("recompute_conversations") == 1
        conversation = db.session.get(Conversation, conversation_id)
        results = conversation.results
        cluster_state = conversation.cluster_state  # deferred: read while in the session
        by_external = {s.id: s.external_id for s in db.session.scalars(select(Statement))}
    expected = _independent_counts()
    moderated_out = set()
    with open(LONDON / "comments.csv", newline="") as fh:
        moderated_out = {r["comment-id"] for r in csv.DictReader(fh) if r["moderated"] == "-1"}
    got = {
        by_external[int(sid)]: [v["agree"], v["disagree"], v["pass"]]
        for sid, v in results["statements"].items()
        if not v.get("moderated_out")
    }
    assert got == {k: v for k, v in expected.items() if k not in moderated_out}
    marked = {
        by_external[int(s)] for s, v in results["statements"].items() if v.get("moderated_out")
    }
    assert marked == moderated_out
    assert results["participants"] == 26 and results["k"] >= 2
    assert conversation.stale is False
    # the clusters and k are stored for the next recompute to carry forward
    assert cluster_state["smoothed_k"] == results["k"]
    assert len(cluster_state["in_conv"]) == sum(
        g is not None for g in results["membership"].values()
    )


def test_export_then_import_gives_the_same_votes(app):
    with app.test_request_context():
        consultation = make_consultation()
        original = polis.import_folder(consultation, LONDON, question="Q")
        db.session.flush()
        archive = zipfile.ZipFile(io.BytesIO(polis.export_zip(original)))
        copy = polis.import_files(
            consultation, archive.read("comments.csv"), archive.read("votes.csv"), question="Q2"
        )
        db.session.commit()

        def matrix(conversation):
            rows = db.session.execute(
                select(Participant.external_id, Statement.body, Vote.value)
                .join(Vote, Vote.participant_id == Participant.id)
                .join(Statement, Statement.id == Vote.statement_id)
                .where(Participant.conversation_id == conversation.id)
            ).all()
            return sorted((body, value) for _pid, body, value in rows)

        assert matrix(original) == matrix(copy)
        assert len(matrix(original)) > 500


def test_officer_starts_a_conversation_and_imports_one(app, role_client):
    with app.app_context():
        consultation_id = make_consultation().id
    officer = role_client("officer")
    created = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/new",
        data={
            "question": "What would help?",
            "seeds": "Lighting\n\nPatrols\n",
            "allow_statements": "yes",
        },
    )
    assert created.status_code == 302
    # A refused seed refuses the whole conversation, naming its line: nothing half-made.
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Conversation))
    refused = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/new",
        data={
            "question": "Another?",
            "seeds": "Fine seed\n" + "x" * 400,
            "allow_statements": "yes",
        },
    )
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.get_data(as_text=True)
    assert "“xxxxxxxx" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Conversation)) == before
    upload = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={
            "question": "Youth scrutiny",
            "attribution": "CC BY 4.0, The Computational Democracy Project",
            "comments": (io.BytesIO((LONDON / "comments.csv").read_bytes()), "comments.csv"),
            "votes": (io.BytesIO((LONDON / "votes.csv").read_bytes()), "votes.csv"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    bad = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={
            "question": "Broken",
            "comments": (io.BytesIO(b"nonsense"), "comments.csv"),
            "votes": (io.BytesIO(b"nonsense"), "votes.csv"),
        },
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200
    assert "comments.csv, row 1: the header has no column comment-id" in bad.get_data(as_text=True)
    with app.app_context():
        questions = sorted(db.session.scalars(select(Conversation.question)))
        assert questions == ["What would help?", "Youth scrutiny"]
    page = role_client("visitor").get(
        f"/conversations/{upload.headers['Location'].rsplit('/', 1)[1]}/results"
    )
    assert page.status_code == 200 and "Computational Democracy Project" in page.get_data(
        as_text=True
    )


def _london_with_results(app) -> int:
    """The London conversation imported, its results computed; its id."""
    with app.test_request_context():
        conversation = polis.import_folder(make_consultation(), LONDON, question="Q")
        db.session.commit()
        jobs.run("recompute_conversations")
        return conversation.id


@pytest.mark.parametrize("path", ["", "/results"])
def test_pages_read_stored_results_with_bounded_queries(app, role_client, path):
    conversation_id = _london_with_results(app)
    client = role_client("resident")
    with count_queries(app) as queries:
        assert client.get(f"/conversations/{conversation_id}{path}").status_code == 200
    assert len(queries) <= 12


def test_a_vote_reads_no_stored_results_and_runs_a_few_statements(app, role_client):
    """A vote reads neither the computed results nor the groups' state (about 110 KB of
    JSON at 1,000 x 100) and does not load the conversation again to redirect."""
    conversation_id = _london_with_results(app)
    with app.app_context():
        statement_id = db.session.scalar(
            select(Vote.statement_id).order_by(Vote.statement_id).limit(1)
        )
    client = role_client("resident")
    client.get(f"/conversations/{conversation_id}")  # the person's first visit
    with count_queries(app) as queries:
        voted = client.post(
            f"/conversations/{conversation_id}/vote",
            data={"statement": statement_id, "vote": "agree"},
        )
    assert voted.status_code == 302
    reads_results = [
        q for q in queries if re.search(r"conversations\.(results|cluster_state)\b", q)
    ]
    assert reads_results == [], reads_results
    # A first vote: user, conversation with its consultation, the vote of a returning
    # participant tried first (none yet: nothing written), participant (+ its insert
    # inside a savepoint: 3), statement, the vote as one insert-or-update, the stale
    # mark: at most 10 (12 with the results read twice). A returning participant's vote
    # is 4 (test_vote_statements.py).
    assert len(queries) <= 10, queries
    assert not [q for q in queries if q.startswith("SELECT conversation_votes")], queries


def test_pages_read_the_stored_results_once_per_recompute(app, role_client):
    """The results JSON is decoded once per recompute and kept; a page after that does
    not read the column; a new recompute gives the pages the new results at once."""
    from community.conversations import stored

    conversation_id = _london_with_results(app)
    client = role_client("resident")
    assert client.get(f"/conversations/{conversation_id}/results").status_code == 200
    stored_column = re.compile(r"conversations\.results\b")
    for path in ("/results", ""):
        with count_queries(app) as queries:
            assert client.get(f"/conversations/{conversation_id}{path}").status_code == 200
        assert not [q for q in queries if stored_column.search(q)], path
    with app.test_request_context():
        conversation = db.session.get(Conversation, conversation_id)
        before = stored.results(conversation)
        voter = db.session.scalar(select(Participant).order_by(Participant.id).limit(1))
        vote = db.session.scalar(select(Vote).where(Vote.participant_id == voter.id).limit(1))
        vote.value = -vote.value if vote.value else 1
        conversation.stale = True
        db.session.commit()
        jobs.run("recompute_conversations")
        db.session.expire_all()
        conversation = db.session.get(Conversation, conversation_id)
        after = stored.results(conversation)
        assert after is not before and after == conversation.results
        assert after["statements"] != before["statements"]
