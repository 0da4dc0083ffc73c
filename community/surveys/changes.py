"""A survey's results version: a counter that moves whenever its submitted responses
change, so cached figures are looked up by one primary-key read, not a count over
every response (issue 15: 11-20 ms at 100,000 responses on every results view).

It moves in the same transaction as the change, so it is never behind what is stored:

- every change the ORM flushes (a response submitted, edited after submitting,
  unlinked by erasure, deleted; an answer or "about you" answer of a submitted
  response added, changed or deleted) is seen by ``_note_changes`` before the flush;
- statements that bypass the ORM (bulk DELETE of "about you" answers on withdrawing a
  consent, by retention, by erasure) call ``responses_changed`` with the responses
  they touched.

Moving it too often only costs a recount; missing a change would show stale figures,
so when in doubt, callers move it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, func, literal, select
from sqlalchemy.orm import Session, attributes
from sqlalchemy.sql import Select

from ..extensions import db, dialect_insert
from .models import AboutYouAnswer, Answer, Response, ResponseStatus, Survey, SurveyResultsVersion


def _bump(session: Session, surveys) -> None:
    """One statement: each survey's version row made at 1, or moved by 1. Nothing of
    the survey's own row changes (its ``updated_at`` keys its structure, and pages
    kept from the ``surveys`` table stay kept)."""
    table = SurveyResultsVersion.__table__
    insert = dialect_insert(session.get_bind().dialect.name)(table).from_select(
        ["survey_id", "version"], select(Survey.id, literal(1)).where(Survey.id.in_(surveys))
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.survey_id], set_={"version": table.c.version + 1}
        )
    )


def responses_changed(responses: Iterable[int] | Select) -> None:
    """The surveys of these responses (ids, or a SELECT of ids) have new results."""
    ids = responses if isinstance(responses, Select) else list(responses)
    if isinstance(ids, list) and not ids:
        return
    _bump(db.session(), select(Response.survey_id).where(Response.id.in_(ids)).distinct())


def versions(survey_ids: list[int]) -> dict[int, tuple[str, int]]:
    """Each survey's results version, read by primary key, with when the survey was
    created: SQLite can give a deleted survey's id to the next one, whose version
    starts again at 0, and a figure cache must not take one for the other."""
    if not survey_ids:
        return {}
    version = func.coalesce(SurveyResultsVersion.version, 0)
    return {
        survey_id: (str(created), number)
        for survey_id, created, number in db.session.execute(
            select(Survey.id, Survey.created_at, version)
            .outerjoin(SurveyResultsVersion, SurveyResultsVersion.survey_id == Survey.id)
            .where(Survey.id.in_(survey_ids))
        )
    }


def _was_or_is_submitted(response: Response) -> bool:
    if response.status == ResponseStatus.SUBMITTED:
        return True
    history = attributes.get_history(response, "status")
    return ResponseStatus.SUBMITTED in (history.deleted or ())


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    surveys: set[int] = set()
    responses: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if not isinstance(obj, Response | Answer | AboutYouAnswer):
            continue
        if not (obj in session.new or obj in session.deleted or session.is_modified(obj)):
            continue
        if isinstance(obj, Response):
            if obj.survey_id is not None and _was_or_is_submitted(obj):
                surveys.add(obj.survey_id)
        elif obj.response_id is not None:
            responses.add(obj.response_id)
    unknown = set()
    for response_id in responses:
        # Usually loaded already (the answers were changed through it): no query.
        loaded = session.identity_map.get(session.identity_key(Response, response_id))
        if loaded is None:
            unknown.add(response_id)
        elif _was_or_is_submitted(loaded):
            surveys.add(loaded.survey_id)
    if unknown:
        submitted = select(Response.survey_id).where(
            Response.id.in_(unknown), Response.status == ResponseStatus.SUBMITTED
        )
        with session.no_autoflush:
            surveys.update(session.scalars(submitted.distinct()))
    if surveys:
        _bump(session, sorted(surveys))
