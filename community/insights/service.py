"""Consensus beyond statements: survey agreement items across declared groups.

Likert and matrix answers become votes (agree/strongly agree = agree, disagree/
strongly disagree = disagree, the midpoint = pass), so every survey can show
group-informed consensus per item — across opinion-free, declared groups: ward,
age band and respondent type. Groups too small to publish (fewer than 5 people,
10 for under-18s) are left out of the figures and counted as such.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from ..accounts.models import Role, User
from ..consensus import group_informed_consensus, wilson_interval
from ..extensions import db
from ..surveys.about_you import label as about_you_label
from ..surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus, Survey
from ..surveys.qtypes import agreement_vote

MIN_GROUP = 5
MIN_YOUTH_GROUP = 10
YOUTH_BANDS = {"13_15", "16_17"}
GROUPINGS = ("ward", "age_band", "respondent")


@dataclass
class GroupShare:
    name: str
    n: int
    agree: int
    disagree: int
    neutral: int

    @property
    def share(self) -> float:
        return self.agree / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        low, high = wilson_interval(self.agree, self.n) if self.n else (0.0, 0.0)
        return float(low), float(high)


@dataclass
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


def _items(survey: Survey) -> list[tuple[str, str, object, int | None]]:
    items = []
    for question in survey.questions:
        if question.kind == "likert":
            items.append((f"q{question.id}", question.text, question, None))
        elif question.kind == "matrix":
            for i, statement in enumerate(question.options.get("statements", [])):
                items.append((f"q{question.id}_{i}", f"{question.text}: {statement}", question, i))
    return items


def _respondent_type(role: Role | None) -> str:
    if role == Role.YOUTH:
        return "Young people"
    if role in (Role.PARTNER, Role.OFFICER, Role.MODERATOR, Role.ADMIN):
        return "Partners and officers"
    return "Residents"


def declared_groups(survey_id: int) -> dict[str, dict[int, str | None]]:
    """For each grouping, each submitted response's group (None when not given)."""
    responses = db.session.execute(
        select(Response.id, User.role)
        .outerjoin(User, User.id == Response.user_id)
        .where(Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)
    ).all()
    about = defaultdict(dict)
    for response_id, key, value in db.session.execute(
        select(AboutYouAnswer.response_id, AboutYouAnswer.key, AboutYouAnswer.value)
        .join(Response, Response.id == AboutYouAnswer.response_id)
        .where(Response.survey_id == survey_id, AboutYouAnswer.key.in_(("ward", "age_band")))
    ):
        about[response_id][key] = value
    groups = {name: {} for name in GROUPINGS}
    for response_id, role in responses:
        for key in ("ward", "age_band"):
            value = about[response_id].get(key)
            groups[key][response_id] = None if value in (None, "prefer_not_to_say") else value
        groups["respondent"][response_id] = _respondent_type(role)
    return groups


def _youth_group(grouping: str, name: str) -> bool:
    return (grouping == "age_band" and name in YOUTH_BANDS) or name == "Young people"


def survey_consensus(survey: Survey, grouping: str = "ward") -> list[Item]:
    """Every agreement item of a survey, with consensus across the chosen declared groups."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    items = _items(survey)
    groups = declared_groups(survey.id)[grouping]
    response_ids = sorted(groups)
    row = {rid: i for i, rid in enumerate(response_ids)}
    values = np.full((len(response_ids), len(items)), np.nan)
    column = {(question.id, index): j for j, (_k, _t, question, index) in enumerate(items)}
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .where(Answer.response_id.in_(response_ids) if response_ids else False)
        .where(Answer.question_id.in_([q.id for _k, _t, q, _i in items]) if items else False)
    ).all()
    for response_id, question_id, value in answers:
        if isinstance(value, dict):  # matrix: {"0": 4, "1": 2}
            for index, answer in value.items():
                j = column.get((question_id, int(index)))
                if j is not None:
                    values[row[response_id], j] = agreement_vote(answer)
        else:
            j = column.get((question_id, None))
            if j is not None:
                values[row[response_id], j] = agreement_vote(value)
    sizes = defaultdict(int)
    for name in groups.values():
        if name is not None:
            sizes[name] += 1
    shown = {
        name
        for name, n in sizes.items()
        if n >= (MIN_YOUTH_GROUP if _youth_group(grouping, name) else MIN_GROUP)
    }
    labels = [groups[rid] if groups[rid] in shown else None for rid in response_ids]
    consensus = (
        group_informed_consensus(values, labels) if len(shown) >= 1 and response_ids else None
    )
    result = []
    for j, (key, text, question, _index) in enumerate(items):
        col = values[:, j]
        answered = ~np.isnan(col)
        overall = GroupShare(
            "All",
            int(answered.sum()),
            int((col == 1).sum()),
            int((col == -1).sum()),
            int((col == 0).sum()),
        )
        per_group = []
        for name in sorted(shown):
            rows = np.array([label == name for label in labels]) & answered
            per_group.append(
                GroupShare(
                    _display(grouping, name),
                    int(rows.sum()),
                    int((col[rows] == 1).sum()),
                    int((col[rows] == -1).sum()),
                    int((col[rows] == 0).sum()),
                )
            )
        left_out = int(sum(1 for i, label in enumerate(labels) if label is None and answered[i]))
        result.append(
            Item(
                key=key,
                text=text,
                question_id=question.id,
                overall=overall,
                consensus=float(consensus.agree[j])
                if consensus is not None and not np.isnan(consensus.agree[j])
                else None,
                groups=per_group,
                left_out=left_out,
            )
        )
    return result


def _display(grouping: str, name: str) -> str:
    if grouping in ("ward", "age_band"):
        return about_you_label(grouping, name)
    return name
