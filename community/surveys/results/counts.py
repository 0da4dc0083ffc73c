"""Survey results: every submitted response counted, question by question.

Loading takes a fixed number of queries whatever the number of responses or
questions (responses; answers with their free-text contributions; "about you").
Counting is left to each question type's ``aggregate``; this module turns those
counts into charts and tables, through disclosure control for the public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from ... import disclosure
from ...contributions.models import Contribution, ContributionStatus
from ...extensions import db
from ..models import AboutYouAnswer, Answer, Channel, Question, Response, ResponseStatus, Survey
from .charts import bar_chart

#: Option-counting types: one chart of their options.
OPTION_KINDS = ("single_choice", "dropdown", "multiple_choice", "ward", "likert", "scale")
#: Agreement summary: strongly agree + agree, the midpoint, disagree + strongly disagree
#: (indexes into the Likert options, which run from strongly agree to strongly disagree).
AGREEMENT_PARTS = ((0, 1), (2,), (3, 4))


# --- loading ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRow:
    id: int
    reference: str
    submitted_at: datetime | None
    channel: Channel


@dataclass(frozen=True)
class TextRow:
    """The contribution a free-text answer was filed as."""

    status: ContributionStatus
    body: str


@dataclass
class Responses:
    """The submitted responses of one survey, read in bulk."""

    rows: list[ResponseRow]
    #: response id → question id → the stored answer value
    values: dict[int, dict[int, Any]]
    #: (response id, question id) → the answer's free-text contribution
    texts: dict[tuple[int, int], TextRow]
    #: response id → "about you" key → value (loaded only when asked for)
    about_you: dict[int, dict[str, str]]

    def values_for(self, question: Question, rows: list[ResponseRow] | None = None) -> list:
        """The question's answers in response order, None where not answered."""
        return [self.values[r.id].get(question.id) for r in (self.rows if rows is None else rows)]


def load(survey: Survey, *, about_you: bool = False) -> Responses:
    """Every submitted response with its answers (and "about you" when asked for)."""
    submitted = (Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
    rows = [
        ResponseRow(*row)
        for row in db.session.execute(
            select(Response.id, Response.reference, Response.submitted_at, Response.channel)
            .where(*submitted)
            .order_by(Response.submitted_at, Response.id)
        )
    ]
    values: dict[int, dict[int, Any]] = {r.id: {} for r in rows}
    texts: dict[tuple[int, int], TextRow] = {}
    answers = (
        select(
            Answer.response_id,
            Answer.question_id,
            Answer.value,
            Contribution.status,
            Contribution.body,
        )
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Contribution, Contribution.id == Answer.contribution_id)
        .where(*submitted)
    )
    for response_id, question_id, value, status, body in db.session.execute(answers):
        values[response_id][question_id] = value
        if status is not None:
            texts[(response_id, question_id)] = TextRow(ContributionStatus(status), body)
    about: dict[int, dict[str, str]] = defaultdict(dict)
    if about_you:
        for response_id, key, value in db.session.execute(
            select(AboutYouAnswer.response_id, AboutYouAnswer.key, AboutYouAnswer.value)
            .join(Response, Response.id == AboutYouAnswer.response_id)
            .where(*submitted)
        ):
            about[response_id][key] = value
    return Responses(rows, values, texts, about)


# --- what a page shows --------------------------------------------------------------


@dataclass
class Bar:
    """One option's count, as the reader may see it."""

    label: str
    cell: disclosure.Cell
    base: int
    #: True when the reader is the public: suppressed cells are not shown.
    public: bool
    #: The threshold in force.
    limit: int = disclosure.PUBLIC_THRESHOLD

    @property
    def count(self) -> int:
        return self.cell.count

    @property
    def hidden(self) -> bool:
        return self.public and self.cell.suppressed

    @property
    def share(self) -> float | None:
        if self.hidden or not self.base:
            return None
        return self.count / self.base

    @property
    def count_text(self) -> str:
        if not self.hidden:
            return format_decimal(self.count)
        if self.cell.reason == disclosure.SMALL:
            return _("fewer than %(n)s", n=self.limit)
        return _("not shown")

    @property
    def share_text(self) -> str:
        share = self.share
        return "" if share is None else format_percent(share)

    @property
    def text(self) -> str:
        """The count and share together, as drawn beside a bar."""
        return f"{self.count_text} ({self.share_text})" if self.share_text else self.count_text

    @property
    def withheld_from_public(self) -> bool:
        """For analysts: this count is not shown to the public."""
        return not self.public and self.cell.suppressed


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    base: disclosure.Cell
    public: bool
    limit: int

    @property
    def base_text(self) -> str:
        if self.public and self.base.suppressed:
            return _("fewer than %(n)s", n=self.limit)
        return format_decimal(self.base.count)

    @property
    def any_withheld(self) -> bool:
        return any(bar.cell.suppressed for bar in self.bars)

    @property
    def withheld(self) -> bool:
        """For the public: too few people answered to show anything but the total."""
        return self.public and self.base.suppressed

    @cached_property
    def svg(self) -> Markup:
        """Drawn once per chart: charts live in the results page's cache (per language and
        fingerprint), and drawing eleven of them was a third of each view (issue 15)."""
        return bar_chart(self)


@dataclass
class Text:
    body: str
    status: ContributionStatus | None
    label: str = ""


@dataclass
class QuestionResult:
    #: The question, or inside the results page's cache a stand-in with only its id.
    question: Question | Any
    number: int
    answered: disclosure.Cell
    skipped: int
    charts: list[Chart] = field(default_factory=list)
    stats: list[tuple[str, str]] = field(default_factory=list)
    ranking: list[tuple[str, str]] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    #: True when figures exist but too few people answered to publish them.
    withheld: bool = False


@dataclass
class Results:
    survey: Survey | None  # None inside the results page's cache
    responses: disclosure.Cell
    questions: list[QuestionResult]
    public: bool
    limit: int


def summarise(survey: Survey, data: Responses, *, public: bool) -> Results:
    """Each answerable question's results, for the public or for analysts."""
    limit = disclosure.threshold(youth=is_youth_consultation(survey))
    questions = []
    answerable = [q for q in survey.questions if q.type.takes_answer]
    for number, question in enumerate(answerable, start=1):
        questions.append(_question(question, number, data, public, limit))
    return Results(survey, disclosure.shown_total(len(data.rows), limit), questions, public, limit)


def is_youth_consultation(survey: Survey) -> bool:
    """Consultations for young people only use the under-18s' threshold."""
    from ...consultations.models import Audience

    return survey.consultation.audience == Audience.YOUTH


def _question(question, number, data, public, limit) -> QuestionResult:
    result = question_result(question, number, data.values_for(question), public, limit)
    result.texts = _texts(question, data, public, result.charts)
    return result


def question_result(question, number, values: list, public: bool, limit: int) -> QuestionResult:
    """One question's figures from its answers (None where not answered), without free text."""
    aggregate = question.type.aggregate(question, values)
    answered = aggregate["answered"]
    result = QuestionResult(
        question,
        number,
        disclosure.shown_total(answered, limit),
        aggregate["skipped"],
    )
    make = _Charts(public, limit)
    kind = question.kind
    if kind in OPTION_KINDS:
        chart = make.chart(question.field_name, question.text, aggregate["options"], answered)
        result.charts.append(chart)
        if "agreement" in aggregate:
            result.charts.append(make.agreement(question.field_name, question.text, chart))
    elif kind == "matrix":
        for i, row in enumerate(aggregate["rows"]):
            chart = make.chart(
                f"{question.field_name}-{i}", row["statement"], row["options"], row["answered"]
            )
            result.charts += [
                chart,
                make.agreement(f"{question.field_name}-{i}", row["statement"], chart),
            ]
    visible = not public or disclosure.enough_to_summarise(answered, limit)
    if kind == "scale" and aggregate.get("mean") is not None:
        # A mean with hidden counts beside it would let them be solved for.
        if visible and not (public and result.charts[0].any_withheld):
            result.stats.append((_("Mean score"), format_decimal(round(aggregate["mean"], 1))))
        else:
            result.withheld = True
    elif kind == "number" and answered:
        if visible:
            result.stats = [
                (_("Mean"), format_decimal(round(aggregate["mean"], 2))),
                (_("Median"), format_decimal(aggregate["median"])),
                (_("Lowest"), format_decimal(aggregate["min"])),
                (_("Highest"), format_decimal(aggregate["max"])),
            ]
        else:
            result.withheld = True
    elif kind == "ranking" and answered:
        if visible:
            result.ranking = [
                (row["label"], format_decimal(round(row["mean_position"], 1)))
                for row in aggregate["mean_positions"]
            ]
        else:
            result.withheld = True
    return result


class _Charts:
    """Builds one question's charts for one reader (the public or analysts)."""

    def __init__(self, public: bool, limit: int):
        self.public, self.limit = public, limit

    def chart(self, chart_id: str, title: str, options: list[dict], base: int) -> Chart:
        # Analysts see every count, but are told which ones the public does not.
        cells = disclosure.suppress_row([o["count"] for o in options], self.limit, total=base)
        return self._chart(chart_id, title, [str(o["label"]) for o in options], cells, base)

    def agreement(self, chart_id: str, title: str, detail: Chart) -> Chart:
        cells = disclosure.combine([bar.cell for bar in detail.bars], AGREEMENT_PARTS)
        labels = [_("Agree"), _("Neither agree nor disagree"), _("Disagree")]
        return self._chart(
            f"{chart_id}-agreement",
            _("%(title)s: agreement", title=title),
            labels,
            cells,
            detail.base.count,
        )

    def _chart(self, chart_id, title, labels, cells, base) -> Chart:
        bars = [
            Bar(label, cell, base, self.public, self.limit)
            for label, cell in zip(labels, cells, strict=True)
        ]
        return Chart(
            chart_id, title, bars, disclosure.shown_total(base, self.limit), self.public, self.limit
        )


def _texts(question, data: Responses, public: bool, charts: list[Chart]) -> list[Text]:
    """Free text: analysts see every answer with its status; the public only published ones."""
    kind = question.kind
    if kind not in ("short_text", "long_text") and not question.options.get("allow_other"):
        return []
    # "Other" is the last option of a choice question that allows it.
    other_hidden = bool(charts) and charts[0].bars[-1].hidden
    texts = []
    for row in data.rows:
        value = data.values[row.id].get(question.id)
        if value is None:
            continue
        if kind in ("short_text", "long_text"):
            text, label = str(value), ""
        else:
            text, label = (value.get("other") or "") if isinstance(value, dict) else "", _("Other")
        if not text:
            continue
        filed = data.texts.get((row.id, question.id))
        if public:
            # Published text only, and no "other" answers when their count is withheld
            # (listing them would count them).
            if filed is None or filed.status != ContributionStatus.PUBLISHED or other_hidden:
                continue
            texts.append(Text(filed.body, None, label))
        else:
            texts.append(
                Text(filed.body if filed else text, filed.status if filed else None, label)
            )
    return texts
