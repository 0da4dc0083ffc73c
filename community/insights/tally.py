"""Survey agreement answers counted as votes, by item, declared group and quarter.

Likert and matrix answers become votes (agree/strongly agree = agree, disagree/
strongly disagree = disagree, the midpoint = pass) and are counted in one pass over the
survey's answers, read in batches: no matrix of responses x items (the pages need
counts only, and a web worker never loads NumPy for them; issue 15). The consensus of
an item is ``consensus.formula.informed_consensus`` over the counts of its groups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..accounts.models import Role, User
from ..consensus.formula import informed_consensus
from ..extensions import db
from ..surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from ..surveys.qtypes import agreement_vote
from .quarters import Quarter

#: In a tally, "every group" or "every quarter".
ANY = object()

#: Rows read at a time: a survey of 100,000 responses is counted without holding its
#: rows (about 120 MB at once when read whole, in a web worker whose target is 120).
BATCH = 5000


class Tally:
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
class Votes:
    items: list
    tally: Tally  # agreement votes by item, group and quarter
    people: Counter  # responses by (group, quarter): group None = not given


def respondent_type(role: Role | None) -> str:
    if role == Role.YOUTH:
        return "Young people"
    if role in (Role.PARTNER, Role.OFFICER, Role.MODERATOR, Role.ADMIN):
        return "Partners and officers"
    return "Residents"


def groups(survey_id: int, grouping: str) -> dict[int, tuple]:
    """Each submitted response's (group, quarter of sending), one shared tuple per pair;
    the group is None when not given (or "prefer not to say")."""
    if grouping == "respondent":
        query = select(Response.id, Response.submitted_at, User.role).outerjoin(
            User, User.id == Response.user_id
        )
    else:
        query = select(Response.id, Response.submitted_at, AboutYouAnswer.value).outerjoin(
            AboutYouAnswer,
            (AboutYouAnswer.response_id == Response.id) & (AboutYouAnswer.key == grouping),
        )
    query = query.where(
        Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED
    ).execution_options(yield_per=BATCH)
    pairs: dict[tuple, tuple] = {}
    found = {}
    for response_id, submitted_at, value in db.session.execute(query):
        if grouping == "respondent":
            label = respondent_type(value)
        else:
            label = None if value in (None, "prefer_not_to_say") else value
        pair = (label, Quarter.of(submitted_at) if submitted_at else None)
        found[response_id] = pairs.setdefault(pair, pair)
    return found


def votes(survey_id: int, items: list, grouping: str) -> Votes:
    """The agreement votes on ``items`` (key, text, question, statement index or None),
    counted by group of ``grouping`` and quarter, in one pass read in batches."""
    where = groups(survey_id, grouping)
    column = {(question.id, index): j for j, (_k, _t, question, index) in enumerate(items)}
    tally = Tally()
    answers = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey_id, Response.status == ResponseStatus.SUBMITTED)
        .where(Answer.question_id.in_([q.id for _k, _t, q, _i in items]) if items else False)
        .execution_options(yield_per=BATCH)
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
    return Votes(items=items, tally=tally, people=Counter(where.values()))


def consensus(tally: Tally, j: int, shown: set[str], quarter=ANY) -> float | None:
    """Group-informed consensus of item ``j`` over the shown groups, in key order."""
    if not shown:
        return None
    return informed_consensus(
        (counts[1], counts[0])
        for counts in (tally.counts(j, name, quarter) for name in sorted(shown))
    )
