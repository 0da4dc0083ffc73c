"""The "results are stale" mark under load: votes do not queue on it, and none is lost.

Every vote used to write the conversation's row (``stale = true``), so voters waited
on each other's row lock; and the recompute job cleared the mark together with the
results it had computed, erasing the mark of a vote cast while it computed.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, insert, select

from community.conversations import recompute, results, service
from community.conversations.models import Conversation, Participant, Vote
from community.conversations.service import cast_vote
from community.extensions import db
from tests.conversations.test_results import _voted_conversation


def _stale(conversation_id: int) -> tuple[bool, object]:
    db.session.expire_all()
    row = db.session.execute(
        select(Conversation.stale, Conversation.updated_at).where(
            Conversation.id == conversation_id
        )
    ).one()
    return row.stale, row.updated_at


def _mark(conversation_id: int, **values) -> None:
    """Mark the conversation's results stale (as a vote does), committed."""
    db.session.execute(
        Conversation.__table__.update()
        .where(Conversation.id == conversation_id)
        .values(stale=True, **values)
    )
    db.session.commit()


def test_a_vote_on_a_conversation_already_marked_does_not_write_it_again(app):
    conversation_id, ids = _voted_conversation(app)
    with app.test_request_context():
        conversation = db.session.get(Conversation, conversation_id)
        people = db.session.scalars(
            select(Participant).where(Participant.conversation_id == conversation_id)
        ).all()
        cast_vote(conversation, people[1], ids[0], -1)
        db.session.commit()
        stale, marked_at = _stale(conversation_id)
        assert stale is True  # the first vote since the results marks them
        cast_vote(db.session.get(Conversation, conversation_id), people[2], ids[1], 1)
        db.session.commit()
        assert _stale(conversation_id) == (True, marked_at)  # the row was not written


def test_a_vote_cast_while_the_results_compute_is_not_left_out(app):
    conversation_id, ids = _voted_conversation(app)
    with app.test_request_context():
        _mark(conversation_id)
        late = Participant(conversation_id=conversation_id)
        db.session.add(late)
        db.session.commit()
        late_id = late.id
    compute = results.compute

    def compute_then_a_vote_arrives(conversation):
        figures = compute(conversation)
        # Another person's vote, committed on its own connection while this job computes.
        with db.engine.begin() as other:
            other.execute(insert(Vote).values(participant_id=late_id, statement_id=ids[0], value=1))
            other.execute(
                Conversation.__table__.update()
                .where(Conversation.id == conversation_id, Conversation.stale.is_(False))
                .values(stale=True)
            )
        return figures

    results.compute = compute_then_a_vote_arrives
    try:
        with app.app_context():
            assert service.recompute_stale() == 1
    finally:
        results.compute = compute
    with app.app_context():
        stale, _when = _stale(conversation_id)
        assert stale is True  # so the next run counts the late vote
        assert service.recompute_stale() == 1
        conversation = db.session.get(Conversation, conversation_id)
        cast = db.session.scalar(
            select(func.count()).select_from(Vote).where(Vote.statement_id == ids[0])
        )
        assert conversation.results["statements"][str(ids[0])]["votes"] == cast  # the late one too
        assert _stale(conversation_id)[0] is False


def test_only_the_vote_that_marks_the_conversation_wakes_the_worker(app):
    conversation_id, ids = _voted_conversation(app)
    with app.test_request_context():
        people = db.session.scalars(
            select(Participant).where(Participant.conversation_id == conversation_id)
        ).all()
        queued = []
        for person, statement_id in ((people[1], ids[0]), (people[2], ids[1])):
            cast_vote(db.session.get(Conversation, conversation_id), person, statement_id, 1)
            queued.append(set(db.session.info.get("community_jobs", ())))
            db.session.commit()
    # The results were computed (not marked): the first vote marks and wakes; the
    # second finds it marked, so the worker already has it to do.
    assert queued == [{"recompute_conversations"}, set()]


def test_the_claim_waits_for_a_vote_being_written(app):
    """A vote whose mark found the conversation still marked, while the worker was
    about to unmark it, would be read by neither this recompute (not yet committed)
    nor the next (nobody marked it again): the claim waits for it to commit."""
    conversation_id, ids = _voted_conversation(app)
    with app.app_context():
        _mark(conversation_id)
    written, times = threading.Event(), {}

    def voter():
        with app.test_request_context():
            person = db.session.scalars(
                select(Participant)
                .where(Participant.conversation_id == conversation_id)
                .order_by(Participant.id)
            ).first()
            cast_vote(db.session.get(Conversation, conversation_id), person, ids[2], 1)
            written.set()
            time.sleep(0.5)
            times["vote committed"] = time.monotonic()
            db.session.commit()

    def worker():
        assert written.wait(10)
        with app.app_context():
            times["claimed"] = (recompute._claim(conversation_id), time.monotonic())

    threads = [threading.Thread(target=voter), threading.Thread(target=worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    claimed, at = times["claimed"]
    assert claimed and at > times["vote committed"]
    with app.app_context():
        assert service.recompute_stale() == 0  # claimed: nothing marked
        results.store(db.session.get_one(Conversation, conversation_id))
        conversation = db.session.get(Conversation, conversation_id)
        cast = db.session.scalar(
            select(func.count()).select_from(Vote).where(Vote.statement_id == ids[2])
        )
        assert conversation.results["statements"][str(ids[2])]["votes"] == cast


def test_under_flask_worker_the_groups_are_computed_in_a_child_process(app, tmp_path):
    """`flask worker` runs the heavy maths in a forked child that commits and exits, so
    scikit-learn and what it computed do not stay in the long-lived worker."""
    import os

    from community import jobs

    conversation_id, _ids = _voted_conversation(app)
    with app.app_context():
        _mark(conversation_id, results=None)
    where = tmp_path / "computed_in"
    compute = results.compute

    def compute_and_say_where(conversation):
        where.write_text(str(os.getpid()))
        return compute(conversation)

    results.compute = compute_and_say_where
    try:
        with app.app_context():
            jobs.work_forever(app, once=True)
    finally:
        results.compute = compute
    assert where.exists() and int(where.read_text()) != os.getpid()
    with app.app_context():
        stale, _when = _stale(conversation_id)
        assert stale is False
        assert db.session.get(Conversation, conversation_id).results["groups"]
    # Outside the worker (a web process's job thread, the CLI) it runs in place.
    with app.app_context():
        _mark(conversation_id)
        assert service.recompute_stale() == 1
