"""Queries behind the tagging screens: filtered lists, where one contribution sits, progress.

Each function is a fixed number of statements, whatever the number of
contributions or tags.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import and_, case, exists, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term
from ..insights.quarters import Quarter
from ..likes import ESCAPE, escape_like
from ..surveys.models import AboutYouAnswer, Answer
from .models import CONFIRMED_SOURCES, Tag, parse_key
from .permissions import TAGGABLE

#: Filter value for "no ward / no age band known".
UNKNOWN = "unknown"


def consultation_or_404(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id)
    return consultation


def profile_subquery(consultation_id: int):
    """Per contribution of a consultation, its survey response's "about you" ward and age band."""
    ids = select(Contribution.id).where(Contribution.consultation_id == consultation_id)
    return (
        select(
            Answer.contribution_id.label("contribution_id"),
            func.max(case((AboutYouAnswer.key == "ward", AboutYouAnswer.value))).label("ward"),
            func.max(case((AboutYouAnswer.key == "age_band", AboutYouAnswer.value))).label(
                "age_band"
            ),
        )
        .join(AboutYouAnswer, AboutYouAnswer.response_id == Answer.response_id)
        .where(Answer.contribution_id.in_(ids), AboutYouAnswer.key.in_(("ward", "age_band")))
        .group_by(Answer.contribution_id)
        .subquery("profile")
    )


def with_profile(stmt, consultation_id: int):
    """Join what is needed for ward and age band; returns the statement and both expressions.

    A contribution's ward is its own area (chosen with it) or else the ward given in
    "about you"; its age band comes from "about you" only.
    """
    area = aliased(Term)
    profile = profile_subquery(consultation_id)
    stmt = stmt.outerjoin(area, area.id == Contribution.area_id).outerjoin(
        profile, profile.c.contribution_id == Contribution.id
    )
    return stmt, func.coalesce(area.code, profile.c.ward), profile.c.age_band


def confirmed_tag_exists():
    return exists().where(Tag.contribution_id == Contribution.id, Tag.source.in_(CONFIRMED_SOURCES))


def tagged_with(keys: set[str]):
    """The contribution carries at least one of the codes."""
    term_ids = [t for t, _ in filter(None, map(parse_key, keys)) if t is not None]
    theme_ids = [h for _, h in filter(None, map(parse_key, keys)) if h is not None]
    if not term_ids and not theme_ids:
        return false()
    return exists().where(
        Tag.contribution_id == Contribution.id,
        or_(Tag.term_id.in_(term_ids or [-1]), Tag.theme_id.in_(theme_ids or [-1])),
    )


@dataclass
class Filters:
    """What a list of contributions (or the analysis behind it) is narrowed to."""

    key: str = ""  # a code key
    via_themes: str = ""  # "yes": also contributions with a theme mapped onto the term
    untagged: str = ""  # "yes": only those no officer has coded yet; "no": only coded ones
    ward: str = ""  # a ward code, or "unknown"
    age: str = ""  # an "about you" age band, or "unknown"
    youth: str = ""  # "yes" / "no": written by a young person
    status: str = ""  # "published" / "pending"; empty for both (when allowed)
    q: str = ""  # words in the text
    quarter: str = ""  # "2026-Q1": written in that quarter (links from the consensus views)

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(**{name: (args.get(name) or "").strip()[:200] for name in cls.__annotations__})

    def as_args(self, **changes) -> dict[str, str]:
        return {k: v for k, v in {**asdict(self), **changes}.items() if v}


def _narrow(stmt, consultation_id, statuses, filters: Filters, mapped, ward=None, age=None):
    stmt = stmt.where(
        Contribution.consultation_id == consultation_id, Contribution.status.in_(statuses)
    )
    if filters.status in {s.value for s in statuses}:
        stmt = stmt.where(Contribution.status == ContributionStatus(filters.status))
    if filters.key:
        keys = {filters.key}
        if filters.via_themes == "yes":
            keys |= (mapped or {}).get(filters.key, set())
        stmt = stmt.where(tagged_with(keys))
    if filters.untagged == "yes":
        stmt = stmt.where(~confirmed_tag_exists())
    elif filters.untagged == "no":
        stmt = stmt.where(confirmed_tag_exists())
    if filters.youth in ("yes", "no"):
        stmt = stmt.where(Contribution.by_youth.is_(filters.youth == "yes"))
    if filters.q:
        stmt = stmt.where(Contribution.body.ilike(f"%{escape_like(filters.q)}%", escape=ESCAPE))
    quarter = Quarter.parse(filters.quarter)
    if quarter is not None:
        stmt = stmt.where(
            Contribution.created_at >= quarter.start, Contribution.created_at < quarter.end
        )
    for value, column in ((filters.ward, ward), (filters.age, age)):
        if value == UNKNOWN:
            stmt = stmt.where(column.is_(None))
        elif value:
            stmt = stmt.where(column == value)
    return stmt


def filtered(
    consultation_id: int,
    statuses: tuple[ContributionStatus, ...],
    filters: Filters,
    mapped: dict[str, set[str]] | None = None,
):
    """A select of the consultation's contributions matching the filters, oldest first."""
    stmt, ward, age = select(Contribution), None, None
    if filters.ward or filters.age:
        stmt, ward, age = with_profile(stmt, consultation_id)
    stmt = _narrow(stmt, consultation_id, statuses, filters, mapped, ward, age)
    return stmt.order_by(Contribution.created_at, Contribution.id)


def scope(
    consultation_id: int,
    statuses: tuple[ContributionStatus, ...],
    filters: Filters,
    mapped: dict[str, set[str]] | None = None,
) -> list:
    """Id, status, youth flag, ward and age band of every matching contribution (one query)."""
    stmt, ward, age = with_profile(
        select(Contribution.id, Contribution.status, Contribution.by_youth), consultation_id
    )
    stmt = _narrow(
        stmt.add_columns(ward, age), consultation_id, statuses, filters, mapped, ward, age
    )
    return db.session.execute(stmt.order_by(Contribution.id)).all()


def profiles(consultation_id: int, contribution_ids: list[int]) -> dict[int, tuple]:
    """Ward and age band of each given contribution, in one query."""
    if not contribution_ids:
        return {}
    stmt, ward, age = with_profile(select(Contribution.id), consultation_id)
    rows = db.session.execute(
        stmt.add_columns(ward, age).where(Contribution.id.in_(contribution_ids))
    ).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def tags_for(contribution_ids: list[int]) -> dict[int, list[Tag]]:
    """Every tag of the given contributions, in one query."""
    found: dict[int, list[Tag]] = defaultdict(list)
    if contribution_ids:
        for tag in db.session.scalars(
            select(Tag)
            .options(joinedload(Tag.coder))
            .where(Tag.contribution_id.in_(contribution_ids))
            .order_by(Tag.id)
        ):
            found[tag.contribution_id].append(tag)
    return found


@dataclass
class Place:
    """Where a contribution sits in its consultation's list: "12 of 87", and its neighbours."""

    position: int
    total: int
    previous_id: int | None
    next_id: int | None
    next_untagged_id: int | None


def place(contribution: Contribution) -> Place:
    """Position, total, previous, next and the next one nobody has coded yet (4 queries)."""
    base = (
        Contribution.consultation_id == contribution.consultation_id,
        Contribution.status.in_(TAGGABLE),
    )
    before = or_(
        Contribution.created_at < contribution.created_at,
        and_(Contribution.created_at == contribution.created_at, Contribution.id < contribution.id),
    )
    after = or_(
        Contribution.created_at > contribution.created_at,
        and_(Contribution.created_at == contribution.created_at, Contribution.id > contribution.id),
    )
    total, earlier = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((before, 1), else_=0)), 0)).where(*base)
    ).one()
    previous_id = db.session.scalar(
        select(Contribution.id)
        .where(*base, before)
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
        .limit(1)
    )
    next_id = db.session.scalar(
        select(Contribution.id)
        .where(*base, after)
        .order_by(Contribution.created_at, Contribution.id)
        .limit(1)
    )
    # The next uncoded one after this, else the first uncoded from the start.
    next_untagged_id = db.session.scalar(
        select(Contribution.id)
        .where(*base, Contribution.id != contribution.id, ~confirmed_tag_exists())
        .order_by(case((after, 0), else_=1), Contribution.created_at, Contribution.id)
        .limit(1)
    )
    return Place(earlier + 1, total, previous_id, next_id, next_untagged_id)


def first_to_read(consultation_id: int) -> int | None:
    """The first contribution nobody has coded yet, else the very first."""
    base = select(Contribution.id).where(
        Contribution.consultation_id == consultation_id, Contribution.status.in_(TAGGABLE)
    )
    order = (Contribution.created_at, Contribution.id)
    return db.session.scalar(
        base.where(~confirmed_tag_exists()).order_by(*order).limit(1)
    ) or db.session.scalar(base.order_by(*order).limit(1))


@dataclass
class Progress:
    """How much of a consultation has been coded by an officer."""

    total: int
    analysed: int

    @property
    def share(self) -> float | None:
        return self.analysed / self.total if self.total else None


def progress(consultation_ids: list[int]) -> dict[int, Progress]:
    """For each consultation: published and pending contributions, and how many are coded."""
    found = {cid: Progress(0, 0) for cid in consultation_ids}
    if not consultation_ids:
        return found
    rows = db.session.execute(
        select(
            Contribution.consultation_id,
            func.count(),
            func.coalesce(func.sum(case((confirmed_tag_exists(), 1), else_=0)), 0),
        )
        .where(
            Contribution.consultation_id.in_(consultation_ids), Contribution.status.in_(TAGGABLE)
        )
        .group_by(Contribution.consultation_id)
    ).all()
    for cid, total, analysed in rows:
        found[cid] = Progress(int(total), int(analysed))
    return found
