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
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import disclosure
from ..accounts.models import Role, User
from ..consensus.formula import informed_consensus, wilson
from ..extensions import db
from ..surveys import changes
from ..surveys.about_you import QUESTIONS as ABOUT_YOU
from ..surveys.about_you import choices as about_you_choices
from ..surveys.models import AboutYouAnswer, Answer, Question, Response, ResponseStatus, Survey
from ..surveys.qtypes import agreement_vote
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


def _respondent_type(role: Role | None) -> str:
    if role == Role.YOUTH:
        return "Young people"
    if role in (Role.PARTNER, Role.OFFICER, Role.MODERATOR, Role.ADMIN):
        return "Partners and officers"
    return "Residents"


def _submitted(survey_id: int) -> list[tuple[int, Role | None, datetime | None]]:
    return db.session.execute(
        select(Response.id, User.role, Response.submitted_at)
        .outerjoin(User, User.id == Response.user_id)
        .where(Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)
        .order_by(Response.id)
    ).all()


def declared_groups(survey_id: int, responses=None) -> dict[str, dict[int, str | None]]:
    """For each grouping, each submitted response's group (None when not given)."""
    responses = _submitted(survey_id) if responses is None else responses
    about = defaultdict(dict)
    for response_id, key, value in db.session.execute(
        select(AboutYouAnswer.response_id, AboutYouAnswer.key, AboutYouAnswer.value)
        .join(Response, Response.id == AboutYouAnswer.response_id)
        .where(Response.survey_id == survey_id, AboutYouAnswer.key.in_(("ward", "age_band")))
    ):
        about[response_id][key] = value
    groups = {name: {} for name in GROUPINGS}
    for response_id, role, _when in responses:
        for key in ("ward", "age_band"):
            value = about[response_id].get(key)
            groups[key][response_id] = None if value in (None, "prefer_not_to_say") else value
        groups["respondent"][response_id] = _respondent_type(role)
    return groups


def _youth_group(grouping: str, name: str) -> bool:
    return (grouping == "age_band" and name in YOUTH_BANDS) or name == "Young people"


def _shown(grouping: str, sizes: Counter) -> set[str]:
    """The groups large enough to publish, from the number of responses in each group
    (None: not given)."""
    given = {name: n for name, n in sizes.items() if name is not None}
    return disclosure.groups_to_show(given, youth=lambda name: _youth_group(grouping, name))


def shown_groups(survey: Survey, grouping: str) -> dict[int, str | None]:
    """Each submitted response's group as the consensus view shows it (None: not shown)."""
    groups = declared_groups(survey.id)[grouping]
    shown = _shown(grouping, Counter(groups.values()))
    return {rid: name if name in shown else None for rid, name in groups.items()}


#: In a tally, "every group" or "every quarter".
ANY = object()


class _Tally:
    """Agreement votes counted by item, group and quarter: [answered, agree, disagree,
    pass], kept for each group and quarter and for every group or quarter (``ANY``)."""

    def __init__(self) -> None:
        self.cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(self, j: int, label: str | None, quarter: Quarter | None, vote: int | None) -> None:
        if vote is None:
            return
        side = 1 if vote == 1 else 2 if vote == -1 else 3
        for key in ((j, label, quarter), (j, label, ANY), (j, ANY, quarter), (j, ANY, ANY)):
            cell = self.cells[key]
            cell[0] += 1
            cell[side] += 1

    def counts(self, j: int, label=ANY, quarter=ANY) -> list[int]:
        return self.cells.get((j, label, quarter), [0, 0, 0, 0])


@dataclass
class _Data:
    items: list
    tally: _Tally  # agreement votes by item, group and quarter
    people: Counter  # responses by (group, quarter): group None = not given


#: Rows read at a time: a survey of 100,000 responses is counted without holding its
#: rows (about 120 MB at once when read whole, in a web worker whose target is 120).
_BATCH = 5000


def _where(survey_id: int, grouping: str) -> dict[int, tuple]:
    """Each submitted response's (group, quarter of sending), one shared tuple per pair."""
    if grouping == "respondent":
        group = User.role
        query = select(Response.id, Response.submitted_at, group).outerjoin(
            User, User.id == Response.user_id
        )
    else:
        group = AboutYouAnswer.value
        query = select(Response.id, Response.submitted_at, group).outerjoin(
            AboutYouAnswer,
            (AboutYouAnswer.response_id == Response.id) & (AboutYouAnswer.key == grouping),
        )
    query = query.where(
        Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED
    ).execution_options(yield_per=_BATCH)
    pairs: dict[tuple, tuple] = {}
    quarters: dict[object, Quarter | None] = {}
    where = {}
    for response_id, submitted_at, value in db.session.execute(query):
        if grouping == "respondent":
            label = _respondent_type(value)
        else:
            label = None if value in (None, "prefer_not_to_say") else value
        when = submitted_at.date() if submitted_at else None
        if when not in quarters:
            quarters[when] = Quarter.of(submitted_at) if submitted_at else None
        pair = (label, quarters[when])
        where[response_id] = pairs.setdefault(pair, pair)
    return where


def _load(survey: Survey, grouping: str) -> _Data:
    """One pass over the survey's agreement answers, counted as votes (no matrix: the
    pages need counts only, and a web worker never loads NumPy for them), read in
    batches."""
    items = _items(survey)
    where = _where(survey.id, grouping)
    column = {(question.id, index): j for j, (_k, _t, question, index) in enumerate(items)}
    tally = _Tally()
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey.id, Response.status == ResponseStatus.SUBMITTED)
        .where(Answer.question_id.in_([q.id for _k, _t, q, _i in items]) if items else False)
        .execution_options(yield_per=_BATCH)
    )
    for response_id, question_id, value in answers:
        pair = where.get(response_id)
        if pair is None:
            continue
        if isinstance(value, dict):  # matrix: {"0": 4, "1": 2}
            for index, answer in value.items():
                j = column.get((question_id, int(index)))
                if j is not None:
                    tally.add(j, *pair, agreement_vote(answer))
        else:
            j = column.get((question_id, None))
            if j is not None:
                tally.add(j, *pair, agreement_vote(value))
    return _Data(items=items, tally=tally, people=Counter(where.values()))


def _share(name: str, counts: list[int], key: str = "") -> GroupShare:
    answered, agree, disagree, passes = counts
    return GroupShare(name, answered, agree, disagree, passes, key)


def _consensus(tally: _Tally, j: int, shown: set[str], quarter=ANY) -> float | None:
    """Group-informed consensus of item ``j`` over the shown groups, in key order."""
    if not shown:
        return None
    return informed_consensus(
        (counts[1], counts[0])
        for counts in (tally.counts(j, name, quarter) for name in sorted(shown))
    )


def _summarise(data: _Data, grouping: str) -> tuple[Item, ...]:
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
                consensus=_consensus(data.tally, j, shown),
                groups=[
                    _share(names.get(name, name), data.tally.counts(j, name), name)
                    for name in sorted(shown)
                ],
                left_out=sum(data.tally.counts(j, name)[0] for name in hidden),
            )
        )
    return tuple(result)


def _by_quarter(data: _Data, grouping: str) -> tuple[SurveyQuarter, ...]:
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
                    answered=data.tally.counts(j, ANY, quarter)[0],
                    groups=len(answering),
                    consensus=_consensus(data.tally, j, shown, quarter)
                    if len(shown) >= 2 and len(answering) >= 2
                    else None,
                )
            )
        result.append(SurveyQuarter(quarter, by_quarter[quarter].total(), tuple(items)))
    return tuple(result)


def _compute(survey: Survey, grouping: str) -> SurveyFigures:
    data = _load(survey, grouping)
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
