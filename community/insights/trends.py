"""How community voice and consensus changed over time, per issue and per principle.

A consultation counts towards a term (an issue or a principle) when it is about it
(its terms). Per calendar quarter: the survey responses sent, the published
contributions written (free-text answers, ideas, comments, statements …; also those
officers tagged with the term in other consultations), and the group-informed
consensus across wards of the agreement items answered that quarter, where at least
two wards were large enough to show. Only consultations whose results the viewer may
see count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import extract, func, select, union

from ..consultations.models import Consultation, consultation_terms
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term
from ..tagging.models import Tag
from .quarters import Quarter, span
from .service import SurveyFigures


@dataclass
class Cell:
    """The figures of one quarter (of one consultation, or of a term across them)."""

    responses: int = 0
    contributions: int = 0
    consensus: list[float] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)

    def add(self, other: Cell) -> None:
        self.responses += other.responses
        self.contributions += other.contributions
        self.consensus += other.consensus
        self.groups += other.groups

    @property
    def items(self) -> int:
        """Agreement items with a group consensus this quarter."""
        return len(self.consensus)

    @property
    def average(self) -> float | None:
        return sum(self.consensus) / len(self.consensus) if self.consensus else None

    @property
    def wards(self) -> tuple[int, int] | None:
        """The fewest and most wards compared in an item's consensus."""
        return (min(self.groups), max(self.groups)) if self.groups else None

    @property
    def empty(self) -> bool:
        return not (self.responses or self.contributions)


@dataclass
class TermTrend:
    term: Term
    quarters: list[Quarter]
    totals: dict[Quarter, Cell]
    #: Per quarter, the consultations behind the totals, with their own figures.
    sources: dict[Quarter, list[tuple[Consultation, Cell]]]

    @property
    def responses(self) -> int:
        return sum(c.responses for c in self.totals.values())

    @property
    def contributions(self) -> int:
        return sum(c.contributions for c in self.totals.values())


def _utc(column):
    """A timestamp as UTC wall time, so quarters start at midnight UTC on every database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.timezone("UTC", column)
    return column  # SQLite stores UTC already


def contribution_counts(consultation_ids: list[int]) -> dict[tuple[int, int, Quarter], int]:
    """Published contributions per (term, consultation, quarter), in one query: a
    contribution counts for a term its consultation is about, or it was tagged with."""
    if not consultation_ids:
        return {}
    pairs = union(
        select(
            consultation_terms.c.term_id.label("term_id"),
            Contribution.id.label("contribution_id"),
        ).join(
            consultation_terms, consultation_terms.c.consultation_id == Contribution.consultation_id
        ),
        select(Tag.term_id.label("term_id"), Tag.contribution_id.label("contribution_id")).where(
            Tag.term_id.is_not(None)
        ),
    ).subquery("pairs")
    created = _utc(Contribution.created_at)
    year, month = extract("year", created), extract("month", created)
    rows = db.session.execute(
        select(pairs.c.term_id, Contribution.consultation_id, year, month, func.count())
        .join(Contribution, Contribution.id == pairs.c.contribution_id)
        .where(
            Contribution.consultation_id.in_(consultation_ids),
            Contribution.status == ContributionStatus.PUBLISHED,
        )
        .group_by(pairs.c.term_id, Contribution.consultation_id, year, month)
    ).all()
    counts: dict[tuple[int, int, Quarter], int] = defaultdict(int)
    for term_id, consultation_id, y, m, n in rows:
        counts[(term_id, consultation_id, Quarter(int(y), (int(m) - 1) // 3 + 1))] += n
    return counts


def _survey_cells(consultation: Consultation, figures: dict[int, SurveyFigures]):
    cells: dict[Quarter, Cell] = defaultdict(Cell)
    for survey in consultation.surveys:
        for quarter in figures[survey.id].quarters:
            cell = cells[quarter.quarter]
            cell.responses += quarter.responses
            for item in quarter.items:
                if item.consensus is not None:
                    cell.consensus.append(item.consensus)
                    cell.groups.append(item.groups)
    return cells


def term_trends(
    consultations: list[Consultation], terms: list[Term], figures: dict[int, SurveyFigures]
) -> dict[str, TermTrend]:
    """Per term with any evidence: every quarter from the first to the last with some."""
    counts = contribution_counts([c.id for c in consultations])
    surveyed = {c.id: _survey_cells(c, figures) for c in consultations}
    trends = {}
    for term in terms:
        sources: dict[Quarter, list[tuple[Consultation, Cell]]] = defaultdict(list)
        for consultation in consultations:
            about = term in consultation.terms
            quarters = set(surveyed[consultation.id]) if about else set()
            quarters |= {q for (t, c, q) in counts if t == term.id and c == consultation.id}
            for quarter in sorted(quarters):
                cell = Cell()
                if about:
                    cell.add(surveyed[consultation.id].get(quarter, Cell()))
                cell.contributions = counts.get((term.id, consultation.id, quarter), 0)
                if not cell.empty or cell.items:
                    sources[quarter].append((consultation, cell))
        if not sources:
            continue
        totals: dict[Quarter, Cell] = {}
        quarters = span(min(sources), max(sources))
        for quarter in quarters:
            totals[quarter] = Cell()
            for _consultation, cell in sources.get(quarter, []):
                totals[quarter].add(cell)
        trends[term.code] = TermTrend(term, quarters, totals, dict(sources))
    return trends
