"""Loading a survey for the answering flow: one query per request, the structure cached.

A complete response is a dozen requests (start, begin, three sections shown and
sent, check, submit, confirmation). Each needs the survey, its consultation, its
sections and questions, and the person's response with its answers; loaded the
plain way that was about eight statements a request before any work was done.

Here the survey and its consultation are one query, and the sections with their
questions come from the process's copy (``surveys/structure.py``).
"""

from __future__ import annotations

import functools

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from ...extensions import db
from ..models import Response, Survey
from ..structure import with_sections

#: The survey with its consultation, built once (every request of the flow runs it).
_SURVEY = (
    select(Survey)
    .where(Survey.id == bindparam("survey"))
    .options(joinedload(Survey.consultation), lazyload(Survey.sections))
)


def load_survey(survey_id: int) -> Survey | None:
    """The survey with its consultation (one query) and its sections from the cache."""
    survey = db.session.execute(_SURVEY, {"survey": survey_id}).unique().scalar_one_or_none()
    return with_sections(survey)


@functools.cache
def _with_response(column: str, *, for_update: bool):
    """The survey and the response whose ``column`` is the parameter ``who``, built
    once per column and kind (``load_survey_and_response``)."""
    mine = getattr(Response, column) == bindparam("who")
    if for_update:
        return (
            select(Response)
            .join(Response.survey)
            .where(Response.survey_id == bindparam("survey"), mine)
            .options(
                contains_eager(Response.survey).joinedload(Survey.consultation),
                contains_eager(Response.survey).lazyload(Survey.sections),
                joinedload(Response.answers),
            )
            .with_for_update(of=Response)
        )
    return (
        select(Survey, Response)
        .outerjoin(Response, and_(Response.survey_id == Survey.id, mine))
        .where(Survey.id == bindparam("survey"))
        .options(
            joinedload(Survey.consultation),
            lazyload(Survey.sections),
            joinedload(Response.answers),
        )
    )


def load_survey_and_response(
    survey_id: int, mine: tuple[str, object], *, for_update: bool = False
) -> tuple[Survey | None, Response | None]:
    """The survey with its consultation and the person's response with its answers, in
    one query; the sections from the cache as in ``load_survey``. ``mine`` is the
    column naming the person's responses and its value (``service.whose_key``).

    ``for_update`` locks the response as it is read (a POST that will change it). A
    row lock cannot be taken on the nullable side of an outer join (PostgreSQL), so
    then the response is read joined to its survey, and only when there is none is the
    survey read on its own.
    """
    column, who = mine
    parameters = {"survey": survey_id, "who": who}
    statement = _with_response(column, for_update=for_update)
    if for_update:
        response = db.session.execute(statement, parameters).unique().scalar_one_or_none()
        if response is None:
            return load_survey(survey_id), None
        return with_sections(response.survey), response
    row = db.session.execute(statement, parameters).unique().one_or_none()
    if row is None:
        return None, None
    return with_sections(row[0]), row[1]
