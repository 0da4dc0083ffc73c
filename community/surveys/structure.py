"""A survey's sections and questions, kept in the process per structure version.

Pages that show a survey's questions (the answering flow, the consensus views) need
its sections and questions: two queries and a few dozen objects per survey on every
view. They are kept here, read-only and detached from any session, under the survey's
``updated_at``. Any change to a section or question touches its survey
(``_touch_surveys`` below), so the key changes with the structure and nothing stale
is used; rewording a locked survey is covered the same way.
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..insights.cache import FigureCache
from ..models_base import utcnow
from .models import Question, Section, Survey

#: Section lists by (database, survey id, survey.updated_at); least recently used out.
structures = FigureCache(size=256)


def version(survey: Survey) -> tuple:
    """The version of a survey's structure, the key of what is kept computed from it."""
    return (
        str(db.engine.url),
        survey.id,
        str(survey.created_at),  # SQLite can give a deleted survey's id to a new one
        str(survey.updated_at),
    )


def with_sections(survey: Survey | None) -> Survey | None:
    """The survey with its sections and questions from the process's copy (loaded
    without them: ``lazyload(Survey.sections)``)."""
    if survey is None:
        return None
    if "sections" not in survey.__dict__:
        sections = structures.get(version(survey), lambda: _sections(survey.id))
        set_committed_value(survey, "sections", sections)
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
