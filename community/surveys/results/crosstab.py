"""Cross-tabulation for analysts: one question's answers, group by group.

A breakdown is an "about you" answer (age band, ward, gender …) or the answer to
a one-choice question of the survey (including a ward question). Counts are true
counts (this is for analysts only); cells the public could not be shown are
flagged, using the under-18s' threshold for under-18 groups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_percent
from flask_babel import gettext as _

from ... import disclosure
from ...framework.service import ward_names
from .. import about_you
from ..models import Question, Survey
from ..qtypes import OTHER
from .counts import OPTION_KINDS, ResponseRow, Responses, is_youth_consultation

#: Question types that can split responses into groups (one answer each).
GROUPING_KINDS = ("single_choice", "dropdown", "ward")
#: "About you" answers from under-18s.
YOUTH_BANDS = frozenset({"13_15", "16_17"})
NOT_ANSWERED = None


@dataclass(frozen=True)
class Breakdown:
    key: str  # "about:<key>" or "question:<id>"
    label: str


@dataclass
class CrossCell:
    count: int
    share: float | None
    #: True when the public could not be shown this count.
    small: bool

    @property
    def share_text(self) -> str:
        return "" if self.share is None else format_percent(self.share)


@dataclass
class CrossRow:
    label: str
    answered: int
    cells: list[CrossCell]
    youth: bool = False


@dataclass
class CrossTab:
    question: Question
    breakdown: Breakdown
    columns: list[str]
    rows: list[CrossRow]
    total: CrossRow


def questions(survey: Survey) -> list[Question]:
    """The questions whose answers can be counted group by group."""
    return [q for q in survey.questions if q.kind in OPTION_KINDS]


def breakdowns(survey: Survey) -> list[Breakdown]:
    """What responses can be split by: the survey's "about you" answers, then questions."""
    found = [
        Breakdown(f"about:{key}", str(about_you.QUESTIONS[key].text))
        for key in about_you.QUESTIONS
        if key in survey.about_you
    ]
    found += [
        Breakdown(f"question:{q.id}", q.text) for q in survey.questions if q.kind in GROUPING_KINDS
    ]
    return found


def _grouping(
    survey: Survey, key: str, data: Responses
) -> tuple[list[tuple[str | None, str]], Callable[[ResponseRow], str | None]]:
    """The groups (value, label) in order, and a function giving each response's group."""
    kind, _sep, name = key.partition(":")
    if kind == "about":
        groups: list[tuple[str | None, str]] = [
            (code, str(label)) for code, label in about_you.choices(about_you.QUESTIONS[name])
        ]
        return groups, lambda row: data.about_you.get(row.id, {}).get(name)
    question = next(q for q in survey.questions if str(q.id) == name)
    if question.kind == "ward":
        groups = sorted(ward_names().items(), key=lambda pair: pair[1])
        return groups, lambda row: data.values[row.id].get(question.id)
    groups = [(str(c), str(c)) for c in question.options.get("choices", [])]
    if question.options.get("allow_other"):
        groups.append((OTHER, _("Other")))

    def group_of(row):
        value = data.values[row.id].get(question.id)
        return value.get("choice") if isinstance(value, dict) else None

    return groups, group_of


def crosstab(survey: Survey, data: Responses, question: Question, breakdown: Breakdown) -> CrossTab:
    """Counts of ``question``'s options in each group of ``breakdown``."""
    groups, group_of = _grouping(survey, breakdown.key, data)
    members: dict[str | None, list[ResponseRow]] = {}
    for row in data.rows:
        members.setdefault(group_of(row), []).append(row)
    known = {value for value, _label in groups}
    # Values no longer offered (a retired ward) keep their own group rather than vanish.
    groups += [(v, str(v)) for v in members if v is not NOT_ANSWERED and v not in known]
    groups.append((NOT_ANSWERED, _("Not answered")))
    youth_survey = is_youth_consultation(survey)
    columns: list[str] = []

    def make_row(label: str, rows: list[ResponseRow], youth: bool) -> CrossRow:
        aggregate = question.type.aggregate(question, data.values_for(question, rows))
        options, answered = aggregate["options"], aggregate["answered"]
        columns[:] = [str(o["label"]) for o in options]
        limit = disclosure.threshold(youth=youth or youth_survey)
        cells = disclosure.suppress_row([o["count"] for o in options], limit, total=answered)
        return CrossRow(
            label,
            answered,
            [
                CrossCell(cell.count, cell.count / answered if answered else None, cell.suppressed)
                for cell in cells
            ],
            youth,
        )

    rows = [
        make_row(label, members.get(value, []), _is_youth_group(breakdown, value))
        for value, label in groups
    ]
    total = make_row(_("All responses"), data.rows, False)
    return CrossTab(question, breakdown, columns, rows, total)


def _is_youth_group(breakdown: Breakdown, value: str | None) -> bool:
    return breakdown.key == "about:age_band" and value in YOUTH_BANDS
