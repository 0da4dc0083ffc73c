"""The results page at any size: cached figures, free text a page at a time.

A borough-wide survey can have 100,000 responses. Reading every answer on every view
(what ``results.load`` does for exports and cross-tabulation) made the page take
seconds, so here:

- the figures (counts, charts, statistics) are computed once per change of the
  survey's submitted responses and kept in the process's figure cache under a
  fingerprint: the survey's results version (``surveys/changes.py``, moved in the
  same transaction as any change to its submitted responses) and the questions as
  they are worded. The version is one read by primary key, so a view costs the same
  with 10 or 100,000 responses, and nothing stale is ever shown;
- computing them reads one question's answers at a time, so memory holds one
  column of answers, never the whole survey;
- written answers are read live (moderation changes them without changing a
  response), newest first, a page at a time (``TEXTS_SHOWN`` on the results page,
  ``TEXTS_PER_PAGE`` on each question's own page), so the page stays small
  whatever the number of answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from itertools import repeat

from flask_babel import get_locale
from sqlalchemy import String, cast, func, select

from ... import disclosure
from ...contributions.models import Contribution, ContributionStatus
from ...extensions import db
from ...insights.cache import figures as figure_cache
from .. import changes
from ..models import Answer, Question, Response, ResponseStatus, Survey
from .counts import QuestionResult, Results, Text, is_youth_consultation, question_result

#: Written answers shown under each question on the results page.
TEXTS_SHOWN = 10
#: Written answers on each page of a question's own list.
TEXTS_PER_PAGE = 50
TEXT_KINDS = ("short_text", "long_text")


def _submitted(survey_id: int):
    return (Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)


def fingerprint(survey: Survey) -> tuple:
    """What the figures depend on among the responses: their version, read by key (a
    count over the index took 11-20 ms at 100,000 responses, on every view)."""
    return (changes.versions([survey.id]).get(survey.id),)


def structure(questions: list[Question]) -> tuple:
    """The questions as worded now (labels and options can change after responses)."""
    return tuple((q.id, q.kind, q.text, repr(q.options), q.position) for q in questions)


def figures(survey: Survey, *, public: bool) -> Results:
    """Every answerable question's figures (without written answers), from the cache
    unless the responses changed since they were computed."""
    answerable = [q for q in survey.questions if q.type.takes_answer]
    limit = disclosure.threshold(youth=is_youth_consultation(survey))
    key = (
        "survey-results",
        str(db.engine.url),
        survey.id,
        public,
        limit,
        str(get_locale()),
        fingerprint(survey),
        structure(answerable),
    )
    cached = figure_cache.get(key, lambda: _compute(survey, answerable, public, limit))
    # The cache holds plain figures; the questions are this request's objects.
    by_id = {q.id: q for q in answerable}
    questions = [replace(r, question=by_id[r.question.id]) for r in cached.questions]
    return Results(survey, cached.responses, questions, public, limit)


@dataclass(frozen=True)
class _QuestionRef:
    """Stands in for a question inside the cache (no database object is kept there)."""

    id: int


def answer_values(survey_id: int, question_id: int) -> list:
    """Every sent answer to the question, grouped by the database: each distinct answer
    is decoded once and listed as many times as it was given, as references to that one
    object. At 100,000 responses a choice question is a few rows from the database and
    a list of pointers, not 100,000 decoded values (which left ~18 MB per worker)."""
    as_text = cast(Answer.value, String)
    values: list = []
    for raw, given in db.session.execute(
        select(as_text, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(*_submitted(survey_id), Answer.question_id == question_id)
        .group_by(as_text)
    ):
        values.extend(repeat(None if raw is None else json.loads(raw), given))
    return values


def _compute(survey: Survey, answerable: list[Question], public: bool, limit: int) -> Results:
    total = db.session.scalar(select(func.count(Response.id)).where(*_submitted(survey.id))) or 0
    questions = []
    for number, question in enumerate(answerable, start=1):
        values = answer_values(survey.id, question.id)
        values += [None] * (total - len(values))
        result = question_result(question, number, values, public, limit)
        questions.append(replace(result, question=_QuestionRef(question.id)))
        del values
    return Results(None, disclosure.shown_total(total, limit), questions, public, limit)


def has_texts(question: Question) -> bool:
    return question.kind in TEXT_KINDS or bool(question.options.get("allow_other"))


def texts(
    survey: Survey,
    result: QuestionResult,
    *,
    public: bool,
    offset: int = 0,
    limit: int = TEXTS_SHOWN,
) -> tuple[list[Text], bool]:
    """One page of a question's written answers, newest first, and whether more follow.

    Analysts see every filed answer with its moderation status; the public only
    published ones, and no "other" answers while the count of "other" is withheld
    (listing them would count them).
    """
    question = result.question
    if not has_texts(question):
        return [], False
    other = question.kind not in TEXT_KINDS
    if public and question.kind == "short_text":
        # Short answers are never filed for moderation, so none is ever published:
        # asking would scan every answer to the question for nothing (issue 15).
        return [], False
    if public and other and result.charts and result.charts[0].bars[-1].hidden:
        return [], False
    stmt = (
        select(Contribution.body, Contribution.status, Answer.value)
        .select_from(Answer)
        .where(Answer.question_id == question.id)
        .order_by(Answer.id.desc())
        .offset(offset)
        .limit(limit + 1)
    )
    if question.kind == "short_text":
        # Short text is never filed for moderation: read the answers of sent responses.
        stmt = stmt.join(Response, Response.id == Answer.response_id).where(*_submitted(survey.id))
        stmt = stmt.outerjoin(Contribution, Contribution.id == Answer.contribution_id)
    else:
        # Long and "other" text is filed as a contribution when its response is sent
        # (answering/service.py ``submit``), and only then: so no join to the responses
        # is needed, and the question fixes the survey. With that join the planner
        # hashed every answer to the question (12 ms at 10,000 responses); without it,
        # it walks the question's answers newest first on (question_id, id) and stops
        # at the page.
        stmt = stmt.join(Contribution, Contribution.id == Answer.contribution_id)
        if public:
            stmt = stmt.where(Contribution.status == ContributionStatus.PUBLISHED)
    rows = db.session.execute(stmt).all()
    label = _other_label() if other else ""
    shown = [
        Text(
            body if body is not None else str(value),
            None if public or status is None else ContributionStatus(status),
            label,
        )
        for body, status, value in rows[:limit]
    ]
    return shown, len(rows) > limit


def _other_label() -> str:
    from flask_babel import gettext as _

    return _("Other")
