"""Ideas: post (seeing similar ones first), support, comment, edit, withdraw, respond."""

from __future__ import annotations

import functools

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import selectinload

from ..audit.service import record
from ..contributions.models import Contribution, ContributionStatus
from ..contributions.service import initial_status, set_status
from ..extensions import db, dialect_insert, insert_ignoring_conflicts
from ..failures import ServiceError
from ..framework.models import Term
from ..likes import ESCAPE, contains_pattern
from ..models_base import utcnow
from ..notifications import mails
from ..urls import external_url
from .models import BoardPhase, Comment, Idea, IdeaBoard, IdeaStatus, Support
from .phases import board_allows


class IdeaError(ServiceError):
    """A rule was broken; the message is safe to show."""


def create_board(
    consultation_id: int, *, title: str, description: str, phase: BoardPhase
) -> IdeaBoard:
    """A new idea board in a consultation."""
    board = IdeaBoard(
        consultation_id=consultation_id,
        title=title.strip(),
        description=description.strip(),
        phase=phase,
    )
    db.session.add(board)
    db.session.flush()
    record("idea_board.created", "idea_board", board.id)
    return board


def edit_board(board: IdeaBoard, *, title: str, description: str, phase: BoardPhase) -> None:
    """Change a board's wording, or move it to another phase."""
    board.title, board.description, board.phase = title.strip(), description.strip(), phase
    record("idea_board.edited", "idea_board", board.id, phase=phase.value)


def _place(contribution, board: IdeaBoard, author) -> None:
    by_youth = bool(author.is_youth)
    contribution.by_youth = by_youth
    set_status(contribution, initial_status(board.consultation, by_youth=by_youth, anonymous=False))
    db.session.flush()
    from ..moderation.service import screen

    screen(contribution)


def post_idea(
    board: IdeaBoard, author, *, title: str, description: str, issue_ids=(), area_id=None
) -> Idea:
    if not board_allows(board, "post"):
        raise IdeaError(_("This board is not collecting ideas now"))
    idea = Idea(
        board_id=board.id,
        consultation_id=board.consultation_id,
        author_id=author.id,
        title=title.strip(),
        body=description.strip(),
        area_id=area_id or None,
    )
    idea.issues = list(db.session.scalars(select(Term).where(Term.id.in_(list(issue_ids)))))
    db.session.add(idea)
    _place(idea, board, author)
    return idea


def similar_ideas(
    board: IdeaBoard, title: str, description: str, limit: int = 3, threshold: float = 0.2
):
    """Published ideas on the board most like the text (TF-IDF cosine over title and text)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    ideas = list(
        db.session.scalars(
            select(Idea).where(
                Idea.board_id == board.id, Idea.status == ContributionStatus.PUBLISHED
            )
        )
    )
    query = f"{title} {description}".strip()
    if not ideas or not query:
        return []
    texts = [f"{i.title} {i.title} {i.body}" for i in ideas]
    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts + [query])
    except ValueError:  # only stop words
        return []
    scores = cosine_similarity(matrix[-1], matrix[:-1]).ravel()
    ranked = sorted(zip(scores, ideas, strict=True), key=lambda pair: -pair[0])
    return [idea for score, idea in ranked[:limit] if score >= threshold]


def supported(idea_ids: list[int], user) -> set[int]:
    if not user.is_authenticated or not idea_ids:
        return set()
    return set(
        db.session.scalars(
            select(Support.idea_id).where(Support.user_id == user.id, Support.idea_id.in_(idea_ids))
        )
    )


@functools.cache
def _recount_statement():
    ideas, supports = Idea.__table__, Support.__table__
    count = (
        select(func.count())
        .select_from(supports)
        .where(supports.c.idea_id == bindparam("idea"))
        .scalar_subquery()
    )
    return update(ideas).where(ideas.c.id == bindparam("idea")).values(support_count=count)


def _refresh_count(idea_id: int) -> None:
    db.session.execute(_recount_statement(), {"idea": idea_id})


def support(idea: Idea, user) -> None:
    """Support an idea; supporting twice is still once (the database keeps it so)."""
    if not board_allows(idea.board, "support"):
        raise IdeaError(_("Ideas on this board cannot be supported now"))
    if not idea.is_public:
        raise IdeaError(_("This idea is not published"))
    db.session.execute(  # already supported: nothing to add
        insert_ignoring_conflicts(Support).values(
            idea_id=idea.id, user_id=user.id, created_at=utcnow()
        )
    )
    _refresh_count(idea.id)


def withdraw_support(idea: Idea, user) -> None:
    """Withdraw a support: one DELETE (none there is nothing to withdraw, no error)."""
    db.session.execute(
        delete(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    )
    _refresh_count(idea.id)


# The views' way: the idea is not loaded. Supporting or withdrawing from a published
# idea of the board is one statement that checks the idea as it writes, then the
# recount (issue 15: 5 statements, now 4 with the person and the board). When nothing
# is written (the idea is not a published idea of this board, the board does not
# take support now, or there is nothing to add or take away) the view goes the long
# way above, which says which, or does nothing.


@functools.cache
def _published_idea():
    """The id of idea ``idea`` if it is a published idea of board ``board`` (Core)."""
    ideas, contributions = Idea.__table__, Contribution.__table__
    return (
        select(ideas.c.id)
        .join(contributions, contributions.c.id == ideas.c.id)
        .where(
            ideas.c.id == bindparam("idea"),
            ideas.c.board_id == bindparam("board"),
            contributions.c.status == ContributionStatus.PUBLISHED,
        )
    )


@functools.cache
def _support_statement(dialect: str):
    supports = Support.__table__
    source = _published_idea().add_columns(
        bindparam("user", type_=supports.c.user_id.type),
        bindparam("now", type_=supports.c.created_at.type),
    )
    return (
        dialect_insert(dialect)(supports)
        .from_select(["idea_id", "user_id", "created_at"], source)
        .on_conflict_do_nothing()
        .returning(supports.c.id)
    )


@functools.cache
def _withdraw_statement():
    supports = Support.__table__
    return (
        delete(supports)
        .where(supports.c.idea_id.in_(_published_idea()), supports.c.user_id == bindparam("user"))
        .returning(supports.c.id)
    )


def support_published(board: IdeaBoard, idea_id: int, user) -> bool:
    """Support idea ``idea_id`` if it is a published idea of ``board``; True if added."""
    if not board_allows(board, "support"):
        return False
    added = db.session.scalar(
        _support_statement(db.session.get_bind().dialect.name),
        {"idea": idea_id, "board": board.id, "user": user.id, "now": utcnow()},
    )
    if added is None:
        return False
    _refresh_count(idea_id)
    return True


def withdraw_published(board: IdeaBoard, idea_id: int, user) -> bool:
    """Withdraw support from idea ``idea_id`` if it is a published idea of ``board``;
    True if a support was taken away."""
    gone = db.session.scalars(
        _withdraw_statement(), {"idea": idea_id, "board": board.id, "user": user.id}
    ).all()
    if not gone:
        return False
    _refresh_count(idea_id)
    return True


def can_edit(idea: Idea, user) -> bool:
    return (
        user.is_authenticated
        and idea.author_id == user.id
        and idea.status not in (ContributionStatus.WITHDRAWN, ContributionStatus.REJECTED)
        and idea.idea_status == IdeaStatus.SUBMITTED
        and board_allows(idea.board, "edit")
    )


def edit(idea: Idea, user, *, title: str, description: str) -> None:
    if not can_edit(idea, user):
        raise IdeaError(_("You can change an idea only until it is under review"))
    idea.title, idea.body = title.strip(), description.strip()
    _place(idea, idea.board, user)


def withdraw(idea: Idea, user) -> None:
    if idea.author_id != user.id:
        raise IdeaError(_("Only the author can withdraw an idea"))
    idea.status = ContributionStatus.WITHDRAWN
    idea.published_at = None


def comment(idea: Idea, author, text: str, parent: Comment | None = None) -> Comment:
    if not board_allows(idea.board, "comment"):
        raise IdeaError(_("Comments are closed on this board"))
    if parent is not None and (parent.idea_id != idea.id or parent.parent_id is not None):
        raise IdeaError(_("You can reply to a comment, but not to a reply"))
    item = Comment(
        idea_id=idea.id,
        consultation_id=idea.consultation_id,
        author_id=author.id,
        body=text.strip(),
        parent_id=parent.id if parent else None,
    )
    db.session.add(item)
    _place(item, idea.board, author)
    return item


def respond(idea: Idea, officer, status: IdeaStatus, explanation: str) -> int:
    """Set the official status with a public explanation; mail the author and supporters once."""
    changed = idea.idea_status != status or idea.response != explanation.strip()
    idea.idea_status = status
    idea.response = explanation.strip()
    idea.responded_at = utcnow()
    idea.responded_by_id = officer.id
    record("idea.responded", "idea", idea.id, actor=officer, status=status.value)
    if not changed:
        return 0
    from ..accounts.models import User

    people = db.session.scalars(
        select(User).where(
            User.disabled_at.is_(None),
            or_(
                User.id == idea.author_id,
                User.id.in_(select(Support.user_id).where(Support.idea_id == idea.id)),
            ),
        )
    ).all()
    link = external_url("ideas.show", board_id=idea.board_id, idea_id=idea.id)
    for person in people:
        mails.idea_status_changed(
            person,
            idea=idea,
            link=link,
            key=f"idea-status:{idea.id}:{status.value}:{idea.responded_at.isoformat()}:{person.id}",
            is_author=person.id == idea.author_id,
        )
    return len(people)


def board_query(
    board: IdeaBoard,
    *,
    sort: str = "newest",
    issue: str = "",
    ward: str = "",
    status: str = "",
    q: str = "",
):
    """Published ideas on a board, filtered and sorted, in one query (their authors,
    named on the list, in one more rather than one per idea)."""
    stmt = (
        select(Idea)
        .where(Idea.board_id == board.id, Idea.status == ContributionStatus.PUBLISHED)
        .options(selectinload(Idea.author))
    )
    if issue:
        stmt = stmt.where(Idea.issues.any(Term.code == issue))
    if ward:
        stmt = stmt.where(Idea.area.has(Term.code == ward))
    if status in {s.value for s in IdeaStatus}:
        stmt = stmt.where(Idea.idea_status == IdeaStatus(status))
    if q:
        like = contains_pattern(q)
        stmt = stmt.where(
            or_(
                func.lower(Idea.title).like(like, escape=ESCAPE),
                func.lower(Idea.body).like(like, escape=ESCAPE),
            )
        )
    order = {
        "newest": (Idea.created_at.desc(), Idea.id.desc()),
        "supported": (Idea.support_count.desc(), Idea.created_at.desc()),
        "updated": (Idea.updated_at.desc(), Idea.id.desc()),
    }.get(sort, (Idea.created_at.desc(), Idea.id.desc()))
    return stmt.order_by(*order)
