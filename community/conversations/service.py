"""Voting and statements; the background recompute of groups and consensus is in
``recompute.py`` (its job is named here too, as ``service.recompute_stale``)."""

from __future__ import annotations

import functools
import hashlib
import random

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import jobs
from ..audit.service import record
from ..contributions.models import Contribution, ContributionStatus
from ..contributions.service import initial_status, set_status
from ..extensions import affected, db, dialect_insert, insert_with_conflicts
from ..failures import ServiceError
from ..models_base import utcnow
from . import stored
from .models import Conversation, Participant, Statement, Vote
from .recompute import recompute_stale  # noqa: F401  (the job; callers name it here)

MAX_STATEMENT_LENGTH = 280
VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}


class ConversationError(ServiceError):
    """A rule was broken; the message is safe to show."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _who(user, browser_token) -> tuple[str, object] | None:
    """The participant column naming this person and its value, or None (nobody):
    an account's id, or an anonymous browser's token, hashed."""
    if user is not None and user.is_authenticated:
        return "user_id", user.id
    if browser_token:
        return "browser_token", hash_token(browser_token)
    return None


def find_participant(conversation: Conversation, *, user=None, browser_token=None):
    who = _who(user, browser_token)
    if who is None:
        return None
    column, value = who
    return db.session.scalar(
        select(Participant).where(
            Participant.conversation_id == conversation.id, getattr(Participant, column) == value
        )
    )


def participant(conversation: Conversation, *, user=None, browser_token=None) -> Participant:
    """This person's participant row, made on first vote; one each (a constraint)."""
    existing = find_participant(conversation, user=user, browser_token=browser_token)
    if existing is not None:
        return existing
    signed_in = user is not None and user.is_authenticated
    item = Participant(
        conversation_id=conversation.id,
        user_id=user.id if signed_in else None,
        browser_token=None if signed_in else hash_token(browser_token),
    )
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        existing = find_participant(conversation, user=user, browser_token=browser_token)
        if existing is None:
            raise
        return existing
    return item


def published_statements(conversation_id: int):
    return (
        select(Statement)
        .where(
            Statement.conversation_id == conversation_id,
            Statement.status == ContributionStatus.PUBLISHED,
        )
        .order_by(Statement.id)
    )


@functools.cache
def _mark_statement():
    conversations = Conversation.__table__
    return (
        update(conversations)
        .where(conversations.c.id == bindparam("cid"), conversations.c.stale.is_(False))
        .values(stale=True)
    )


def _mark_stale(conversation_id: int) -> None:
    """Ask for the results to be recomputed. Only a conversation not already marked is
    written: every vote updating the same row held each voter on its lock until the
    one before committed (issue 15: 32 people voting queued behind each other). The
    worker is woken only by the vote that marks it: one already marked is either
    waiting for the worker, which was woken then (and polls besides), or being
    claimed, and the claim waits for this transaction (``_claim``)."""
    if affected(_mark_statement(), {"cid": conversation_id}):
        jobs.after_commit("recompute_conversations")


def vote(
    conversation: Conversation, statement_id: int, value: int, *, user=None, browser_token=None
) -> None:
    """The way a person votes (the view): a returning participant's vote is one
    ``INSERT … SELECT`` that finds their participant row and checks the statement is
    published in the same statement (issue 15: a vote was 6 statements, now 4: the
    conversation, the person, this, the mark). A first vote, or a statement not open
    for votes, goes the long way: ``participant`` makes the row, ``cast_vote`` says
    what is wrong."""
    if value not in (-1, 0, 1):
        raise ConversationError(_("Choose agree, disagree or pass"))
    who = _who(user, browser_token)
    if who is not None:
        column, person = who
        written = db.session.scalar(
            _returning_vote_statement(db.session.get_bind().dialect.name, column),
            {
                "cid": conversation.id,
                "who": person,
                "sid": statement_id,
                "value": value,
                "now": utcnow(),
            },
        )
        if written is not None:
            _mark_stale(conversation.id)
            return
    voter = participant(conversation, user=user, browser_token=browser_token)
    cast_vote(conversation, voter, statement_id, value)


@functools.cache
def _returning_vote_statement(dialect: str, column: str):
    """Upsert the vote of the participant whose ``column`` is ``who`` (``_who``) on
    statement ``sid`` if it is a published statement of conversation ``cid``; returns
    the vote's id, or no row (no such participant or statement). Built once
    per database kind, as Core: the ORM's insert and update cost 3-4 times as much
    Python per statement as these (issue 15)."""
    votes, people = Vote.__table__, Participant.__table__
    statements, contributions = Statement.__table__, Contribution.__table__
    now = bindparam("now", type_=votes.c.created_at.type)
    source = (
        select(people.c.id, statements.c.id, bindparam("value", type_=votes.c.value.type), now, now)
        .select_from(
            people.join(
                statements,
                and_(
                    statements.c.conversation_id == people.c.conversation_id,
                    statements.c.id == bindparam("sid"),
                ),
            ).join(contributions, contributions.c.id == statements.c.id)
        )
        .where(
            people.c.conversation_id == bindparam("cid"),
            people.c[column] == bindparam("who"),
            contributions.c.status == ContributionStatus.PUBLISHED,
        )
    )
    upsert = dialect_insert(dialect)(votes).from_select(
        ["participant_id", "statement_id", "value", "created_at", "updated_at"], source
    )
    return upsert.on_conflict_do_update(
        index_elements=[votes.c.participant_id, votes.c.statement_id],
        set_={"value": upsert.excluded.value, "updated_at": upsert.excluded.updated_at},
    ).returning(votes.c.id)


def cast_vote(
    conversation: Conversation, voter: Participant, statement_id: int, value: int
) -> None:
    """Record a vote; voting again on the same statement changes it (the latest counts).

    One ``INSERT … ON CONFLICT DO UPDATE`` on the one-vote-per-statement key: no read
    of the old vote first, and two votes at once from one person (a double tap) meet
    on the key rather than both inserting (issue 15: 6 -> 5 statements a vote).
    """
    if value not in (-1, 0, 1):
        raise ConversationError(_("Choose agree, disagree or pass"))
    statement = db.session.scalar(
        published_statements(conversation.id)
        .where(Statement.id == statement_id)
        .with_only_columns(Statement.id)
    )
    if statement is None:
        raise ConversationError(_("That statement is not open for votes"))
    now = utcnow()
    vote = insert_with_conflicts(Vote).values(
        participant_id=voter.id,
        statement_id=statement_id,
        value=value,
        created_at=now,
        updated_at=now,
    )
    db.session.execute(
        vote.on_conflict_do_update(
            index_elements=[Vote.participant_id, Vote.statement_id],
            set_={"value": vote.excluded.value, "updated_at": vote.excluded.updated_at},
        )
    )
    _mark_stale(conversation.id)


def create(
    consultation_id: int,
    author,
    *,
    question: str,
    description: str = "",
    allow_statements: bool = True,
    seeds: str = "",
) -> Conversation:
    """A new conversation with its seed statements (one per line); a refused seed
    refuses the whole conversation, naming the line (field ``seeds``)."""
    conversation = Conversation(
        consultation_id=consultation_id,
        question=question.strip(),
        description=description.strip(),
        allow_statements=allow_statements,
    )
    db.session.add(conversation)
    db.session.flush()
    for line in seeds.splitlines():
        if line.strip():
            try:
                add_statement(conversation, author, line, seed=True)
            except ConversationError as error:
                raise ConversationError(f"“{line.strip()[:40]}…”: {error}", field="seeds") from None
    record("conversation.created", "conversation", conversation.id)
    return conversation


def import_upload(
    consultation, path, *, question: str | None = None, attribution: str = ""
) -> Conversation:
    """A conversation from an uploaded Pol.is export (``polis.import_export``); a bad
    file refuses the whole import, saying which file, row and column."""
    from . import polis

    try:
        conversation = polis.import_export(
            consultation, path, question=question, attribution=attribution
        )
    except polis.PolisImportError as error:
        raise ConversationError(
            _("This export cannot be imported: %(e)s. Nothing was imported.", e=str(error))
        ) from None
    record("conversation.imported", "conversation", conversation.id)
    return conversation


def add_statement(
    conversation: Conversation, author, text: str, *, seed: bool = False
) -> Statement:
    """A new statement: moderated like any contribution (youth always checked first)."""
    text = " ".join((text or "").split())
    if not text:
        raise ConversationError(_("Enter a statement"))
    if len(text) > MAX_STATEMENT_LENGTH:
        raise ConversationError(
            _("A statement must be %(n)d characters or fewer", n=MAX_STATEMENT_LENGTH)
        )
    signed_in = author is not None and author.is_authenticated
    by_youth = bool(signed_in and author.is_youth)
    statement = Statement(
        conversation_id=conversation.id,
        consultation_id=conversation.consultation_id,
        author_id=author.id if signed_in else None,
        body=text,
        by_youth=by_youth,
        anonymous=not signed_in,
        is_seed=seed,
    )
    db.session.add(statement)
    if seed:
        set_status(statement, ContributionStatus.PUBLISHED)
    else:
        set_status(
            statement,
            initial_status(conversation.consultation, by_youth=by_youth, anonymous=not signed_in),
        )
    db.session.flush()
    if not seed:
        from ..moderation.service import screen

        screen(statement)
    _mark_stale(conversation.id)
    return statement


def vote_counts(conversation_id: int) -> dict[int, int]:
    """How many votes each statement has, in one query."""
    return dict(
        db.session.execute(
            select(Vote.statement_id, func.count())
            .join(Statement, Statement.id == Vote.statement_id)
            .where(Statement.conversation_id == conversation_id)
            .group_by(Vote.statement_id)
        ).all()
    )


def my_votes(voter: Participant | None) -> dict[int, int]:
    if voter is None:
        return {}
    return dict(
        db.session.execute(
            select(Vote.statement_id, Vote.value).where(Vote.participant_id == voter.id)
        ).all()
    )


def priority(votes: int, divisiveness: float, pass_share: float) -> float:
    """Pol.is-style priority: new statements first, then those that split or unite groups,
    less for statements most people pass on."""
    novelty = 1 + 8 * 2 ** (-votes / 5)
    return novelty * (1 + 2 * divisiveness) * (1 - 0.5 * pass_share)


def next_statement(
    conversation: Conversation, voter: Participant | None, rng: random.Random | None = None
):
    """A weighted random pick among statements this person has not voted on."""
    rng = rng or random.Random()
    voted = set(my_votes(voter))
    candidates = [
        s for s in db.session.scalars(published_statements(conversation.id)) if s.id not in voted
    ]
    if not candidates:
        return None, 0
    # Counts come from the stored results, so this page costs the same at 1M votes as at 10.
    stats = stored.results(conversation).get("statements", {})
    weights = []
    for statement in candidates:
        info = stats.get(str(statement.id), {})
        weights.append(
            priority(
                info.get("votes", 0),
                info.get("divisiveness", 0.0),
                info.get("pass_share", 0.0),
            )
        )
    return rng.choices(candidates, weights=weights, k=1)[0], len(candidates)


# --- the maths, loaded only where it runs ------------------------------------------
# ``results`` (NumPy, scikit-learn) and ``polis`` (NumPy) are imported inside these
# functions: the job worker's recompute (in a child process, ``jobs.heavy``), an
# officer's recompute or Pol.is import and export. A web worker serving pages never
# loads them (tests/main/test_weight.py; issue 15: about 15 MB a worker).


def recompute_now(conversation: Conversation) -> None:
    """Recompute now (an officer's button): the caller's unit of work commits."""
    from .results import recompute

    recompute(conversation)


def export_zip(conversation: Conversation) -> bytes:
    """comments.csv and votes.csv in Pol.is's format, zipped."""
    from . import polis

    return polis.export_zip(conversation)
