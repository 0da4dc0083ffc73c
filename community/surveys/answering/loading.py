"""Loading a survey for the answering flow: one query per request, the structure cached.

A complete response is a dozen requests (start, begin, three sections shown and
sent, check, submit, confirmation). Each needs the survey, its consultation, its
sections and questions, and the person's response with its answers; loaded the
plain way that was about eight statements a request before any work was done.

Here the survey and its consultation are one query, and the sections with their
questions are kept in the process (read-only, detached from any session) under the
survey's ``updated_at``. Any change to a section or question touches its survey
(``_touch_surveys`` below), so the key changes with the structure and nothing stale
is used; rewording a locked survey is covered the same way.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import ColumnElement, and_, event, select
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ...consultations.models import Consultation
from ...extensions import db
from ...insights.cache import FigureCache
from ...models_base import utcnow
from ..models import Question, Response, Section, Survey

#: Section lists by (database, survey id, survey.updated_at); least recently used out.
structures = FigureCache(size=256)


def load_survey(survey_id: int) -> Survey | None:
    """The survey with its consultation (one query) and its sections from the cache."""
    survey = (
        db.session.execute(
            select(Survey)
            .where(Survey.id == survey_id)
            .options(
                # Its terms only if a page asks for them (the flow's pages do not).
                joinedload(Survey.consultation).lazyload(Consultation.terms),
                lazyload(Survey.sections),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    return _with_sections(survey)


def load_survey_and_response(
    survey_id: int, mine: ColumnElement[bool], *, for_update: bool = False
) -> tuple[Survey | None, Response | None]:
    """The survey with its consultation and the person's response (``mine``) with its
    answers, in one query; the sections from the cache as in ``load_survey``.

    ``for_update`` locks the response as it is read (a POST that will change it). A
    row lock cannot be taken on the nullable side of an outer join (PostgreSQL), so
    then the response is read joined to its survey, and only when there is none is the
    survey read on its own.
    """
    if for_update:
        response = (
            db.session.execute(
                select(Response)
                .join(Response.survey)
                .where(Response.survey_id == survey_id, mine)
                .options(
                    contains_eager(Response.survey)
                    .joinedload(Survey.consultation)
                    .lazyload(Consultation.terms),
                    contains_eager(Response.survey).lazyload(Survey.sections),
                    joinedload(Response.answers),
                )
                .with_for_update(of=Response)
            )
            .unique()
            .scalar_one_or_none()
        )
        if response is None:
            return load_survey(survey_id), None
        return _with_sections(response.survey), response
    row = (
        db.session.execute(
            select(Survey, Response)
            .outerjoin(Response, and_(Response.survey_id == Survey.id, mine))
            .where(Survey.id == survey_id)
            .options(
                joinedload(Survey.consultation).lazyload(Consultation.terms),
                lazyload(Survey.sections),
                joinedload(Response.answers),
            )
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return None, None
    return _with_sections(row[0]), row[1]


def _with_sections(survey: Survey | None) -> Survey | None:
    if survey is None:
        return None
    if "sections" not in survey.__dict__:
        key = (str(db.engine.url), survey.id, str(survey.updated_at))
        set_committed_value(survey, "sections", structures.get(key, lambda: _sections(survey.id)))
    return survey


def _sections(survey_id: int) -> list[Section]:
    """The sections and questions, fully loaded and then detached from the session, so
    that no commit expires them and every request can read them."""
    sections = list(
        db.session.scalars(
            select(Section)
            .where(Section.survey_id == survey_id)
            .order_by(Section.position)
            .options(selectinload(Section.questions))
        )
    )
    for section in sections:
        for question in section.questions:
            # Its section without a query once detached (translations read it).
            set_committed_value(question, "section", section)
            db.session.expunge(question)
        db.session.expunge(section)
    return sections


def _survey_of(session: Session, obj) -> Survey | None:
    if isinstance(obj, Question):
        section = obj.section
        if section is None and obj.section_id is not None:
            section = session.get(Section, obj.section_id)
        obj = section
    if isinstance(obj, Section):
        if obj.survey is not None:
            return obj.survey
        return session.get(Survey, obj.survey_id) if obj.survey_id is not None else None
    return None


@event.listens_for(Session, "before_flush")
def _touch_surveys(session: Session, _context, _instances) -> None:
    """A changed section or question gives its survey a new ``updated_at`` (the cache key)."""
    changed = [
        obj
        for obj in chain(session.new, session.dirty, session.deleted)
        if isinstance(obj, Section | Question)
        and (obj in session.new or obj in session.deleted or session.is_modified(obj))
    ]
    touched = set()
    for obj in changed:
        survey = _survey_of(session, obj)
        if survey is not None and survey.id not in touched:
            touched.add(survey.id)
            survey.updated_at = utcnow()
