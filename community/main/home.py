"""What the home page shows: what is open now, the latest outcomes, a few honest figures.

Everything here is public: only published consultations, and figures that are plain
counts of what people did (no estimates, no percentages of unknown wholes).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers, selectinload

from .. import shortcache
from ..consultations.models import Consultation, Phase
from ..contributions.models import Contribution, ContributionStatus
from ..conversations.models import Vote
from ..extensions import db
from ..surveys.models import Response, Survey


@dataclass(frozen=True)
class Figures:
    """Counts anyone may see: finished survey responses, published contributions,
    votes on statements, and consultations whose outcome is published."""

    responses: int
    contributions: int
    votes: int
    outcomes: int


def open_now(limit: int = 6) -> list[Consultation]:
    """Open consultations, closing soonest first (ways to take part loaded with them).

    Only what the page shows: not the consultations' terms nor the surveys' sections
    and questions, which load with them elsewhere (4 queries here, not 7: 6 -> 4 ms).
    """
    configure_mappers()  # the ways to take part are backrefs, defined when mappers configure
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.phase == Phase.OPEN.value)
            .options(
                selectinload(Consultation.surveys).lazyload(Survey.sections),
                selectinload(Consultation.conversations),
                selectinload(Consultation.idea_boards),
            )
            .order_by(Consultation.closes_at.asc().nulls_last(), Consultation.id)
            .limit(limit)
        )
    )


def latest_outcomes(limit: int = 3) -> list[Consultation]:
    """Consultations whose "we asked, you said, we did" is published, newest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.phase == Phase.OUTCOME.value)
            .order_by(Consultation.outcome_published_at.desc(), Consultation.id.desc())
            .limit(limit)
        )
    )


#: How long a process keeps the participation figures: they are running totals, and
#: counting every response and vote on each view of the home page was most of its time
#: (issue 15: 4 counts, 25 of its 35 ms with 110,000 responses).
FIGURES_SECONDS = 60.0


def figures() -> Figures:
    """The participation figures, at most ``FIGURES_SECONDS`` old."""
    return shortcache.cached("home_figures", _count_figures, seconds=FIGURES_SECONDS)


def _count_figures() -> Figures:
    """The participation figures, each one a single count query."""
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    return Figures(
        responses=count(select(func.count(Response.id)).where(Response.submitted_at.is_not(None))),
        contributions=count(
            select(func.count(Contribution.id)).where(
                Contribution.status == ContributionStatus.PUBLISHED
            )
        ),
        votes=count(select(func.count(Vote.id))),
        outcomes=count(
            select(func.count(Consultation.id)).where(Consultation.phase == Phase.OUTCOME.value)
        ),
    )
