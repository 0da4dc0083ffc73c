"""We asked: how many took part and who (by ward and age band), small numbers suppressed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import disclosure
from ..consultations.models import Audience
from ..contributions.models import Contribution, ContributionStatus
from ..conversations.models import Conversation, Participant, Vote
from ..extensions import db
from ..surveys.about_you import label as about_you_label
from ..surveys.models import AboutYouAnswer, Response, ResponseStatus, Survey

YOUTH_BANDS = {"13_15", "16_17"}


@dataclass
class Row:
    label: str
    cell: disclosure.Cell


@dataclass
class TookPart:
    counts: list[Row]
    wards: list[Row]
    ages: list[Row]
    not_said: dict[str, disclosure.Cell]
    #: Whether young people answered (the age row is then suppressed below 10).
    youth: bool = False


def _cells(counter: Counter, labeller, *, public: bool, youth: bool = False) -> list[Row]:
    keys = sorted(counter, key=lambda k: (-counter[k], k))
    counts = [counter[k] for k in keys]
    limit = disclosure.threshold(youth=youth)
    cells = (
        disclosure.suppress_row(counts, limit, total=sum(counts))
        if public
        else [disclosure.Cell(c) for c in counts]
    )
    return [Row(labeller(k), cell) for k, cell in zip(keys, cells, strict=True)]


def participation(consultation, *, public: bool = True) -> TookPart:
    """How people took part, and who answered the surveys' optional "about you" questions.

    The public sees counts from 1 to 4 as "fewer than 5" (and the age row at the
    under-18 threshold, 10, when young people answered), with the secondary
    suppression of community.disclosure so no hidden cell can be worked out from the
    total. Officers with the analyse capability see every count.
    """
    survey_ids = select(Survey.id).where(Survey.consultation_id == consultation.id)
    responses = (
        db.session.scalar(
            select(func.count(Response.id)).where(
                Response.survey_id.in_(survey_ids), Response.status == ResponseStatus.SUBMITTED
            )
        )
        or 0
    )
    conversation_ids = select(Conversation.id).where(
        Conversation.consultation_id == consultation.id
    )
    voters = db.session.scalar(
        select(func.count(func.distinct(Vote.participant_id)))
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Participant.conversation_id.in_(conversation_ids))
    )
    by_kind = dict(
        db.session.execute(
            select(Contribution.kind, func.count(Contribution.id))
            .where(
                Contribution.consultation_id == consultation.id,
                Contribution.status == ContributionStatus.PUBLISHED,
            )
            .group_by(Contribution.kind)
        ).all()
    )
    raw = [
        (_("Survey responses"), responses),
        (_("People voting in conversations"), voters),
        (_("Ideas"), by_kind.get("idea", 0)),
        (_("Statements written"), by_kind.get("statement", 0)),
        (_("Comments"), by_kind.get("comment", 0)),
    ]
    # A consultation for young people counts only under-18s: every row at 10.
    everyone_young = getattr(consultation, "audience", None) == Audience.YOUTH
    limit = disclosure.threshold(youth=everyone_young)
    counts = [
        Row(name, disclosure.shown_total(n, limit) if public else disclosure.Cell(n))
        for name, n in raw
        if n
    ]
    answers = db.session.execute(
        select(AboutYouAnswer.key, AboutYouAnswer.value)
        .join(Response, Response.id == AboutYouAnswer.response_id)
        .where(
            Response.survey_id.in_(survey_ids),
            Response.status == ResponseStatus.SUBMITTED,
            AboutYouAnswer.key.in_(("ward", "age_band")),
        )
    ).all()
    wards: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for key, value in answers:
        if value == "prefer_not_to_say":
            continue
        (wards if key == "ward" else ages)[value] += 1
        said[key] += 1
    youth = everyone_young or any(band in YOUTH_BANDS for band in ages)
    not_said = {
        key: disclosure.Cell(responses - said[key])
        if not public
        else disclosure.shown_total(responses - said[key], limit)
        for key in ("ward", "age_band")
    }
    return TookPart(
        counts=counts,
        wards=_cells(
            wards, lambda k: about_you_label("ward", k), public=public, youth=everyone_young
        ),
        ages=_cells(ages, lambda k: about_you_label("age_band", k), public=public, youth=youth),
        not_said=not_said,
        youth=youth,
    )
