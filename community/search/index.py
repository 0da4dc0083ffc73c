"""What the public may find, and keeping the search index in step with it.

The index is kept up to date **from the services' own writes**: an ``after_flush``
listener on the session (``install``) sees every consultation, contribution, idea
board, finding and plan action that was added, changed or deleted in the flush,
and rewrites or removes its row in ``search_entries`` in the same transaction, so
the index commits or rolls back with the change that caused it. A change to a
consultation or board re-indexes what belongs to it (its publicity follows theirs).
The FTS5 table on SQLite follows ``search_entries`` by triggers made in the
migration; PostgreSQL's GIN index needs nothing. ``flask search-reindex`` rebuilds
everything (after restoring a backup, or on a database made before search existed).

Only public things get a row: a rule below returning ``None`` means "nobody outside
the people who run it may see this", and the row is deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, event, func, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import object_session, selectinload

from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..conversations.models import Conversation, Statement
from ..extensions import db
from ..groups.models import Project
from ..ideas.models import Idea, IdeaBoard
from ..plan.models import Finding, PlanAction
from ..surveys.models import SurveyText
from .models import SearchEntry

#: The kinds people can filter by, in the order the filter lists them.
KINDS = ("consultation", "survey_answer", "idea", "statement", "project", "finding", "action")
#: Private-use characters that mark highlights in snippets; removed from indexed text.
MARK_START, MARK_END = "\ue000", "\ue001"


def _clean(text: str | None) -> str:
    """Text as indexed: no NUL (PostgreSQL refuses it) and no highlight markers."""
    return (text or "").replace("\x00", "").replace(MARK_START, "").replace(MARK_END, "")


def _issues(terms) -> str:
    ids = sorted({t.id for t in terms if t.vocabulary.code == "issue"})
    return " " + " ".join(str(i) for i in ids) + " " if ids else " "


def _related(obj, name: str, cls, key):
    """A many-to-one, loaded by its key when the object was made with the key only
    (a new object's relationship is not loaded in the flush that inserts it)."""
    value = getattr(obj, name)
    if value is None and key is not None:
        value = object_session(obj).get(cls, key)
    return value


def _consultation_public(consultation: Consultation | None) -> bool:
    return consultation is None or consultation.published_at is not None


def _consultation(c: Consultation) -> dict | None:
    if c.published_at is None:
        return None
    wards = [t for t in c.terms if t.vocabulary.code == "area"]
    return {
        "title": c.title,
        "body": " ".join(filter(None, [c.summary, c.why_asking, c.how_used])),
        "link": {"endpoint": "consultations.show", "values": {"slug": c.slug}},
        "consultation_id": c.id,
        "ward_id": wards[0].id if len(wards) == 1 else None,
        "issue_ids": _issues(c.terms),
        "visible_from": None,
        "dated": c.published_at,
    }


def _contribution_base(item: Contribution) -> dict | None:
    if item.status != ContributionStatus.PUBLISHED:
        return None
    if not _consultation_public(_related(item, "consultation", Consultation, item.consultation_id)):
        return None
    return {
        "body": item.body,
        "consultation_id": item.consultation_id,
        "ward_id": item.area_id,
        "issue_ids": " ",
        "visible_from": None,
        "dated": item.published_at or item.created_at,
    }


def _idea(idea: Idea) -> dict | None:
    base = _contribution_base(idea)
    board = _related(idea, "board", IdeaBoard, idea.board_id)
    consultation = board and _related(board, "consultation", Consultation, board.consultation_id)
    if base is None or board is None or not _consultation_public(consultation):
        return None
    values = {"board_id": idea.board_id, "idea_id": idea.id}
    return base | {
        "title": idea.title,
        "link": {"endpoint": "ideas.show", "values": values},
        "issue_ids": _issues(idea.issues),
    }


def _statement(statement: Statement) -> dict | None:
    base = _contribution_base(statement)
    conversation = _related(statement, "conversation", Conversation, statement.conversation_id)
    consultation = conversation and _related(
        conversation, "consultation", Consultation, conversation.consultation_id
    )
    if base is None or conversation is None or not _consultation_public(consultation):
        return None
    values = {"conversation_id": conversation.id}
    return base | {
        "title": conversation.question,
        "link": {"endpoint": "conversations.show", "values": values},
        "consultation_id": conversation.consultation_id,
    }


def _survey_answer(answer: SurveyText) -> dict | None:
    """Free-text answers are public with the results: once closed, if results are public."""
    base = _contribution_base(answer)
    c = _related(answer, "consultation", Consultation, answer.consultation_id)
    if base is None or c is None or not c.results_public or c.closes_at is None:
        return None
    return base | {
        "title": c.title,
        "link": {"endpoint": "consultations.show", "values": {"slug": c.slug}},
        "visible_from": c.closes_at,
    }


def _project(project: Project) -> dict | None:
    if not project.is_listed:
        return None
    body = " ".join(filter(None, [project.problem, project.activities, project.strengths]))
    return {
        "title": project.title,
        "body": body or project.body,
        "link": {"endpoint": "groups.project", "values": {"project_id": project.id}},
        "consultation_id": project.consultation_id,
        "ward_id": project.area_id,
        "issue_ids": _issues(project.terms),
        "visible_from": None,
        "dated": project.stage_changed_at,
    }


def _finding(finding: Finding) -> dict | None:
    c = _related(finding, "consultation", Consultation, finding.consultation_id)
    if finding.published_at is None or c is None or not _consultation_public(c):
        return None
    return {
        "title": c.title,
        "body": finding.statement,
        "link": {"endpoint": "plan.outcome", "values": {"slug": c.slug}},
        "consultation_id": c.id,
        "ward_id": None,
        "issue_ids": _issues(finding.terms),
        "visible_from": None,
        "dated": finding.published_at,
    }


def _action(action: PlanAction) -> dict | None:
    """The plan is public as a whole (``/plan/``): every action is."""
    return {
        "title": action.title,
        "body": action.description,
        "link": {"endpoint": "plan.action", "values": {"action_id": action.id}},
        "consultation_id": None,
        "ward_id": None,
        "issue_ids": " ",
        "visible_from": None,
        "dated": action.updated_at,
    }


RULES = {
    Consultation: ("consultation", _consultation),
    SurveyText: ("survey_answer", _survey_answer),
    Idea: ("idea", _idea),
    Statement: ("statement", _statement),
    Project: ("project", _project),
    Finding: ("finding", _finding),
    PlanAction: ("action", _action),
}


def _rule(obj):
    for cls, rule in RULES.items():
        if isinstance(obj, cls):
            return rule
    return None


def write(connection, obj) -> None:
    """Rewrite (or remove) one thing's row, on the flushing connection."""
    kind, entry_for = _rule(obj)
    row = entry_for(obj)
    table = SearchEntry.__table__
    where = (table.c.kind == kind) & (table.c.ref_id == obj.id)
    if row is None:
        connection.execute(delete(table).where(where))
        return
    row["title"] = _clean(row["title"])[:300]
    row["body"] = _clean(row["body"])
    # One statement either way: insert, or rewrite the row the (kind, ref_id) key names.
    upsert = _dialect_insert(connection)(table).values(kind=kind, ref_id=obj.id, **row)
    connection.execute(
        upsert.on_conflict_do_update(index_elements=[table.c.kind, table.c.ref_id], set_=row)
    )


def _dialect_insert(connection):
    """INSERT with ON CONFLICT, which both databases speak (SQLAlchemy's dialect inserts)."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def remove(connection, obj) -> None:
    kind, _ = _rule(obj)
    table = SearchEntry.__table__
    connection.execute(delete(table).where((table.c.kind == kind) & (table.c.ref_id == obj.id)))


#: A consultation's columns that decide whether (and how) what belongs to it is shown.
_PUBLICITY = ("published_at", "results_public", "closes_at", "slug", "title")


def _publicity_changed(consultation: Consultation) -> bool:
    state = inspect(consultation)
    return any(state.attrs[name].history.has_changes() for name in _PUBLICITY)


def _dependants(session, obj) -> list:
    """What a consultation or board change makes public or private with it."""
    if isinstance(obj, Consultation) and obj.id is not None and _publicity_changed(obj):
        with session.no_autoflush:
            items = list(
                session.scalars(select(Contribution).where(Contribution.consultation_id == obj.id))
            )
            items += list(session.scalars(select(Finding).where(Finding.consultation_id == obj.id)))
            boards = select(IdeaBoard.id).where(IdeaBoard.consultation_id == obj.id)
            items += list(session.scalars(select(Idea).where(Idea.board_id.in_(boards))))
        return items
    return []


def _after_flush(session, flush_context) -> None:
    touched, gone = {}, []
    for obj in list(session.new) + list(session.dirty):
        if _rule(obj) is not None:
            touched[(type(obj), obj.id)] = obj
        for dep in _dependants(session, obj):
            if _rule(dep) is not None:
                touched[(type(dep), dep.id)] = dep
    for obj in session.deleted:
        if _rule(obj) is not None:
            gone.append(obj)
            touched.pop((type(obj), obj.id), None)
    if not touched and not gone:
        return
    connection = session.connection()
    with session.no_autoflush:
        for obj in touched.values():
            write(connection, obj)
        for obj in gone:
            remove(connection, obj)


def install(session_class) -> None:
    """Keep the index in step with every flush of this session class."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def reindex(session) -> int:
    """Rebuild the whole index from the source tables; returns how many rows it holds."""
    connection = session.connection()
    connection.execute(delete(SearchEntry.__table__))
    for cls in RULES:
        stmt = select(cls)
        if cls is Consultation:
            stmt = stmt.options(selectinload(Consultation.terms))
        for obj in session.scalars(stmt):
            write(connection, obj)
    return session.scalar(select(func.count()).select_from(SearchEntry))


def visible_now(now: datetime):
    """The SQL condition for rows public at this moment."""
    return SearchEntry.visible_from.is_(None) | (SearchEntry.visible_from <= now)


def forget_deleted_text() -> None:
    """Rewrite SQLite's full-text index so removed entries' words leave its blocks.

    Why: FTS5 marks a deleted row's terms as deleted but keeps the old segment blocks
    (with the words) until a merge, so an erased person's name would stay readable in
    ``search_fts_data``. ``optimize`` merges every segment, dropping them. PostgreSQL's
    index is the entry row's own tsvector, gone with the row. Erasure is rare, so the
    rewrite's cost is paid seldom.
    """

    if db.session.get_bind().dialect.name != "sqlite":
        return
    db.session.flush()
    db.session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
