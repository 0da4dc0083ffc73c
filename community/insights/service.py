"""Consensus beyond statements: survey agreement items across declared groups.

Likert and matrix answers become votes (agree/strongly agree = agree, disagree/
strongly disagree = disagree, the midpoint = pass), so every survey can show
group-informed consensus per item — across opinion-free, declared groups: ward,
age band and respondent type. Groups too small to publish (fewer than 5 people,
10 for under-18s) are left out of the figures and counted as such.

A survey's figures (per item, and per quarter for the trend) are computed once per
change of its responses and kept in ``cache.figures``: pages ask for them by survey,
and only a fingerprint of the responses is read per request.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import disclosure
from ..accounts.models import User
from ..consensus.formula import wilson
from ..extensions import db
from ..surveys import changes
from ..surveys.about_you import QUESTIONS as ABOUT_YOU
from ..surveys.about_you import choices as about_you_choices
from ..surveys.models import Question, Response, ResponseStatus, Survey
from . import tally
from .cache import figures as figure_cache
from .quarters import Quarter

MIN_GROUP = disclosure.PUBLIC_THRESHOLD
MIN_YOUTH_GROUP = disclosure.YOUTH_THRESHOLD
YOUTH_BANDS = {"13_15", "16_17"}
GROUPINGS = ("ward", "age_band", "respondent")
#: The group of a response that is in no group shown (too small, or not given).
NOT_SHOWN = "not-shown"


@dataclass(frozen=True)
class GroupShare:
    name: str
    n: int
    agree: int
    disagree: int
    neutral: int
    #: The group as stored (a ward or age band code, a respondent type), for links.
    key: str = ""

    @property
    def share(self) -> float:
        return self.agree / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.agree, self.n) if self.n else (0.0, 0.0)


@dataclass(frozen=True)
class Item:
    """One agreement item: a Likert question, or one statement of a matrix question."""

    key: str
    text: str
    question_id: int
    overall: GroupShare
    consensus: float | None = None
    groups: list[GroupShare] = field(default_factory=list)
    left_out: int = 0

    @property
    def spread(self) -> float:
        shares = [g.share for g in self.groups]
        return max(shares) - min(shares) if len(shares) > 1 else 0.0

    @property
    def divides(self) -> bool:
        """Groups clearly differ: some pair's 95% intervals do not overlap."""
        return any(a.interval[1] < b.interval[0] for a in self.groups for b in self.groups)


@dataclass(frozen=True)
class QuarterItem:
    """An item's consensus among the responses sent in one quarter (None: fewer than two
    groups large enough to show answered it)."""

    key: str
    answered: int
    groups: int
    consensus: float | None


@dataclass(frozen=True)
class SurveyQuarter:
    quarter: Quarter
    responses: int
    items: tuple[QuarterItem, ...]


@dataclass(frozen=True)
class SurveyFigures:
    """Everything the consensus views show for one survey and one grouping."""

    items: tuple[Item, ...]
    quarters: tuple[SurveyQuarter, ...]


def _items(survey: Survey) -> list[tuple[str, str, Question, int | None]]:
    items = []
    for question in survey.questions:
        if question.kind == "likert":
            items.append((f"q{question.id}", question.text, question, None))
        elif question.kind == "matrix":
            for i, statement in enumerate(question.options.get("statements", [])):
                items.append((f"q{question.id}_{i}", f"{question.text}: {statement}", question, i))
    return items


def withheld_groups(item, limit: int = MIN_GROUP) -> set[str]:
    """Shown groups the public must not see, so the groups too small to show stay hidden.

    The overall figure and the shown groups together give away the answers of the
    people left out (overall less the groups). When fewer than ``limit`` people are
    left out, the smallest shown groups are withheld as well until the hidden people
    number at least ``limit``: secondary suppression, as in community/disclosure.py.
    """
    return disclosure.withheld_groups({g.name: g.n for g in item.groups}, item.left_out, limit)


def find_item(survey: Survey, key: str):
    """The item of ``survey`` with this key (``q12`` or ``q12_0``), or None."""
    return next((item for item in _items(survey) if item[0] == key), None)


def _youth_group(grouping: str, name: str) -> bool:
    return (grouping == "age_band" and name in YOUTH_BANDS) or name == "Young people"


def _shown(grouping: str, sizes: Counter) -> set[str]:
    """The groups large enough to publish, from the number of responses in each group
    (None: not given)."""
    given = {name: n for name, n in sizes.items() if name is not None}
    return disclosure.groups_to_show(given, youth=lambda name: _youth_group(grouping, name))


def shown_groups(survey: Survey, grouping: str) -> dict[int, str | None]:
    """Each submitted response's group as the consensus view shows it (None: not shown)."""
    groups = {rid: label for rid, (label, _quarter) in tally.groups(survey.id, grouping).items()}
    shown = _shown(grouping, Counter(groups.values()))
    return {rid: name if name in shown else None for rid, name in groups.items()}


def _share(name: str, counts: list[int], key: str = "") -> GroupShare:
    answered, agree, disagree, passes = counts
    return GroupShare(name, answered, agree, disagree, passes, key)


def _summarise(data: tally.Votes, grouping: str) -> tuple[Item, ...]:
    sizes: Counter = Counter()
    for (label, _quarter), n in data.people.items():
        sizes[label] += n
    shown = _shown(grouping, sizes)
    hidden = set(sizes) - shown
    names = _names(grouping)
    result = []
    for j, (key, text, question, _index) in enumerate(data.items):
        result.append(
            Item(
                key=key,
                text=text,
                question_id=question.id,
                overall=_share("All", data.tally.counts(j)),
                consensus=tally.consensus(data.tally, j, shown),
                groups=[
                    _share(names.get(name, name), data.tally.counts(j, name), name)
                    for name in sorted(shown)
                ],
                left_out=sum(data.tally.counts(j, name)[0] for name in hidden),
            )
        )
    return tuple(result)


def _by_quarter(data: tally.Votes, grouping: str) -> tuple[SurveyQuarter, ...]:
    """Per quarter of sending: how many responses, and each item's consensus among them,
    with the small groups of that quarter left out."""
    by_quarter: dict[Quarter, Counter] = defaultdict(Counter)
    for (label, quarter), n in data.people.items():
        if quarter is not None:
            by_quarter[quarter][label] += n
    result = []
    for quarter in sorted(by_quarter):
        shown = _shown(grouping, by_quarter[quarter])
        items = []
        for j, (key, *_rest) in enumerate(data.items):
            answering = [name for name in shown if data.tally.counts(j, name, quarter)[0]]
            items.append(
                QuarterItem(
                    key=key,
                    answered=data.tally.counts(j, tally.ANY, quarter)[0],
                    groups=len(answering),
                    consensus=tally.consensus(data.tally, j, shown, quarter)
                    if len(shown) >= 2 and len(answering) >= 2
                    else None,
                )
            )
        result.append(SurveyQuarter(quarter, by_quarter[quarter].total(), tuple(items)))
    return tuple(result)


def _compute(survey: Survey, grouping: str) -> SurveyFigures:
    data = tally.votes(survey.id, _items(survey), grouping)
    return SurveyFigures(_summarise(data, grouping), _by_quarter(data, grouping))


def fingerprints(survey_ids: list[int], grouping: str = "ward") -> dict[int, tuple]:
    """What a survey's figures depend on, read in two queries for any number of surveys."""
    if not survey_ids:
        return {}
    # The results version moves with any change to a survey's submitted responses or
    # their "about you" answers (surveys/changes.py): one read by key, not a count.
    found = changes.versions(survey_ids)
    people: dict[int, str] = {}
    if grouping == "respondent":  # a respondent's type follows their role
        people = {
            sid: str(changed)
            for sid, changed in db.session.execute(
                select(Response.survey_id, func.max(User.updated_at))
                .join(User, User.id == Response.user_id)
                .where(
                    Response.survey_id.in_(survey_ids),
                    Response.status == ResponseStatus.SUBMITTED,
                )
                .group_by(Response.survey_id)
            )
        }
    return {sid: (found.get(sid), people.get(sid)) for sid in survey_ids}


def _structure(survey: Survey) -> tuple:
    """The agreement items as asked (their wording can change after the first response)."""
    return tuple((key, text) for key, text, _q, _i in _items(survey))


def figures_for(surveys: list[Survey], grouping: str = "ward") -> dict[int, SurveyFigures]:
    """Each survey's figures, from the cache unless its responses changed since."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    prints = fingerprints([s.id for s in surveys], grouping)
    database = str(db.engine.url)
    return {
        survey.id: figure_cache.get(
            (database, survey.id, grouping, prints[survey.id], _structure(survey)),
            lambda survey=survey: _compute(survey, grouping),
        )
        for survey in surveys
    }


def survey_figures(survey: Survey, grouping: str = "ward") -> SurveyFigures:
    return figures_for([survey], grouping)[survey.id]


def survey_consensus(survey: Survey, grouping: str = "ward") -> list[Item]:
    """Every agreement item of a survey, with consensus across the chosen declared groups."""
    return list(survey_figures(survey, grouping).items)


def _names(grouping: str) -> dict[str, str]:
    """Each group's name as people read it (wards come from the framework: one query)."""
    if grouping in ("ward", "age_band"):
        return {code: str(text) for code, text in about_you_choices(ABOUT_YOU[grouping])}
    return {}


def group_label(grouping: str, key: str) -> str:
    """A group's name as the views show it (``NOT_SHOWN`` for the groups left out)."""
    if key == NOT_SHOWN:
        return _("In a group too small to show, or not given")
    return _names(grouping).get(key, key)
