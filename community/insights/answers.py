"""The responses behind a number in the consensus views, for analysts.

Filtered the way the figure was counted: a survey (or every survey of the
consultation), an agreement item and the vote given to it, a group as the view shows
it (small groups as "not shown"), and the quarter the response was sent in. A fixed
number of queries, whatever the number of responses.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from flask import request
from sqlalchemy import select

from ..consultations.models import Consultation
from ..contributions.models import Contribution
from ..extensions import db
from ..surveys.models import Answer, Question, Response, ResponseStatus, Survey
from ..surveys.qtypes import agreement_vote
from ..surveys.qtypes.scales import LIKERT_LABELS
from ..tagging.permissions import TAGGABLE
from .quarters import Quarter
from .service import GROUPINGS, NOT_SHOWN, find_item, shown_groups

VOTES = {"agree": 1, "disagree": -1, "neutral": 0}


@dataclass
class AnswerFilters:
    survey: str = ""  # a survey id; empty for every survey of the consultation
    item: str = ""  # an agreement item key (q12, q12_0): only those who answered it
    vote: str = ""  # agree, disagree or neutral (on the item)
    grouping: str = ""  # ward, age_band or respondent
    group: str = ""  # a group's key, or NOT_SHOWN
    quarter: str = ""  # 2026-Q1: sent in that quarter

    @classmethod
    def from_args(cls, args) -> AnswerFilters:
        return cls(**{name: (args.get(name) or "").strip()[:100] for name in cls.__annotations__})

    def as_args(self, **changes) -> dict[str, str]:
        return {k: v for k, v in {**asdict(self), **changes}.items() if v}


@dataclass
class Row:
    response: Response
    survey: Survey
    answer: str | None
    written: list[tuple[str, Contribution]]


@dataclass
class Listing:
    """One page of matching responses, shaped like Flask-SQLAlchemy's pagination."""

    items: list[Row]
    total: int
    page: int
    per_page: int
    surveys: list[Survey]
    item_text: str | None
    quarter: Quarter | None

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


class BadFilter(ValueError):
    """The filters name something that is not in this consultation."""


def _surveys(consultation: Consultation, filters: AnswerFilters) -> list[Survey]:
    surveys = list(consultation.surveys)
    if filters.survey:
        surveys = [s for s in surveys if str(s.id) == filters.survey]
        if not surveys:
            raise BadFilter("survey")
    return surveys


def _answer_votes(survey: Survey, key: str, response_ids: list[int]) -> dict[int, int | None]:
    """Each response's answer to the item as a Likert value (None if not answered)."""
    found = find_item(survey, key)
    if found is None:
        raise BadFilter("item")
    _key, _text, question, index = found
    values = {}
    for response_id, value in db.session.execute(
        select(Answer.response_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id == question.id, Response.survey_id == survey.id)
    ):
        if isinstance(value, dict):
            value = value.get(str(index)) if index is not None else None
        elif index is not None:
            value = None
        values[response_id] = value if isinstance(value, int) else None
    return {rid: values.get(rid) for rid in response_ids}


def matching(consultation: Consultation, filters: AnswerFilters) -> tuple[list[int], dict]:
    """The ids of the matching responses, oldest first, and each one's item answer."""
    surveys = _surveys(consultation, filters)
    quarter = Quarter.parse(filters.quarter)
    if filters.quarter and quarter is None:
        raise BadFilter("quarter")
    stmt = select(Response.id, Response.survey_id).where(
        Response.survey_id.in_([s.id for s in surveys]),
        Response.status == ResponseStatus.SUBMITTED,
    )
    if quarter is not None:
        stmt = stmt.where(
            Response.submitted_at >= quarter.start, Response.submitted_at < quarter.end
        )
    rows = db.session.execute(stmt.order_by(Response.submitted_at, Response.id)).all()
    ids = [rid for rid, _sid in rows]
    if filters.grouping or filters.group:
        if filters.grouping not in GROUPINGS or not filters.group:
            raise BadFilter("group")
        groups = {}
        for survey in surveys:
            groups.update(shown_groups(survey, filters.grouping))
        wanted = None if filters.group == NOT_SHOWN else filters.group
        ids = [rid for rid in ids if groups.get(rid) == wanted]
    answers: dict[int, int | None] = {}
    if filters.item:
        if len(surveys) != 1:
            raise BadFilter("item")
        answers = _answer_votes(surveys[0], filters.item, ids)
        vote = VOTES.get(filters.vote)
        if filters.vote and vote is None:
            raise BadFilter("vote")
        ids = [
            rid
            for rid in ids
            if answers[rid] is not None and (vote is None or agreement_vote(answers[rid]) == vote)
        ]
    elif filters.vote:
        raise BadFilter("vote")
    return ids, answers


def _written(response_ids: list[int]) -> dict[int, list[tuple[str, Contribution]]]:
    """The free-text answers of these responses (published or waiting), by response."""
    written: dict[int, list] = {rid: [] for rid in response_ids}
    if not response_ids:
        return written
    for response_id, question_text, contribution in db.session.execute(
        select(Answer.response_id, Question.text, Contribution)
        .join(Question, Question.id == Answer.question_id)
        .join(Contribution, Contribution.id == Answer.contribution_id)
        .where(Answer.response_id.in_(response_ids), Contribution.status.in_(TAGGABLE))
        .order_by(Answer.response_id, Question.position, Answer.id)
    ):
        written[response_id].append((question_text, contribution))
    return written


def listing(consultation: Consultation, filters: AnswerFilters, per_page: int) -> Listing:
    """The page of matching responses asked for in ``?page=``."""
    surveys = _surveys(consultation, filters)
    ids, answers = matching(consultation, filters)
    pages = max(math.ceil(len(ids) / per_page), 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    chosen = ids[(page - 1) * per_page : page * per_page]
    responses = {
        r.id: r for r in db.session.scalars(select(Response).where(Response.id.in_(chosen or [-1])))
    }
    written = _written(chosen)
    by_id = {s.id: s for s in surveys}
    item_text = None
    if filters.item:
        item_text = find_item(surveys[0], filters.item)[1]
    rows = [
        Row(
            response=responses[rid],
            survey=by_id[responses[rid].survey_id],
            answer=str(LIKERT_LABELS.get(answers[rid], "")) if filters.item else None,
            written=written[rid],
        )
        for rid in chosen
    ]
    return Listing(
        rows, len(ids), page, per_page, surveys, item_text, Quarter.parse(filters.quarter)
    )
