"""The evidence matrix: principles (or the 5Cs) × issues.

Each cell counts the published contributions tagged with both terms (directly, or
through a consultation theme mapped to them), the consensus of the published
findings resting on both, the findings, and the plan actions whose priority
answers both. It shows where community voice is strong, where it is missing, and
where actions have no community evidence behind them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..consultations.models import consultation_terms
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term, Vocabulary
from ..tagging.models import Tag, theme_terms
from .models import Finding, PlanAction, Priority

#: Below this many contributions a cell's community voice is "thin".
STRONG = 5


@dataclass
class Filters:
    ward_id: int | None = None
    prevention_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: For a partner: a select of the consultation ids it may read
    #: (``partners.service.readable_consultations``); None for officers (everything).
    consultations: Any = None


@dataclass
class Cell:
    row: Term
    column: Term
    contribution_ids: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    consensus: list[float] = field(default_factory=list)

    @property
    def contributions(self) -> int:
        return len(self.contribution_ids)

    @property
    def mean_consensus(self) -> float | None:
        return sum(self.consensus) / len(self.consensus) if self.consensus else None

    @property
    def flag(self) -> str:
        """ "unsupported": actions with no community evidence; "unanswered": voice, no action;
        "missing": nothing heard; "" otherwise."""
        if self.actions and not self.contributions and not self.findings:
            return "unsupported"
        if self.contributions >= STRONG and not self.actions:
            return "unanswered"
        if not self.contributions:
            return "missing"
        return ""


@dataclass
class Matrix:
    rows: list[Term]
    columns: list[Term]
    cells: dict[tuple[int, int], Cell]

    def cell(self, row: Term, column: Term) -> Cell:
        return self.cells[(row.id, column.id)]


def _terms(code: str) -> list[Term]:
    return list(
        db.session.scalars(
            select(Term)
            .join(Vocabulary)
            .where(Vocabulary.code == code, Term.retired_at.is_(None))
            .order_by(Term.position, Term.name)
        )
    )


def contribution_terms(filters: Filters) -> dict[int, set[int]]:
    """Each published contribution's framework terms: direct tags and mapped themes."""
    conditions = [Contribution.status == ContributionStatus.PUBLISHED]
    if filters.consultations is not None:
        conditions.append(Contribution.consultation_id.in_(filters.consultations))
    if filters.ward_id:
        conditions.append(Contribution.area_id == filters.ward_id)
    if filters.since:
        conditions.append(Contribution.created_at >= filters.since)
    if filters.until:
        conditions.append(Contribution.created_at < filters.until)
    direct = select(Tag.contribution_id, Tag.term_id).where(Tag.term_id.is_not(None))
    via_theme = select(Tag.contribution_id, theme_terms.c.term_id).join(
        theme_terms, theme_terms.c.theme_id == Tag.theme_id
    )
    terms: dict[int, set[int]] = defaultdict(set)
    for stmt in (direct, via_theme):
        stmt = stmt.join(Contribution, Contribution.id == Tag.contribution_id).where(*conditions)
        for contribution_id, term_id in db.session.execute(stmt):
            terms[contribution_id].add(term_id)
    if filters.prevention_id:
        terms = {c: t for c, t in terms.items() if filters.prevention_id in t}
    return terms


def build(axis: str = "principle", filters: Filters | None = None) -> Matrix:
    filters = filters or Filters()
    rows, columns = _terms(axis), _terms("issue")
    cells = {(r.id, c.id): Cell(r, c) for r in rows for c in columns}
    row_ids, column_ids = {r.id for r in rows}, {c.id for c in columns}
    for contribution_id, terms in contribution_terms(filters).items():
        for r in terms & row_ids:
            for c in terms & column_ids:
                cells[(r, c)].contribution_ids.add(contribution_id)

    finding_stmt = select(Finding).where(Finding.published_at.is_not(None))
    if filters.ward_id:
        finding_stmt = finding_stmt.where(
            Finding.consultation_id.in_(
                select(consultation_terms.c.consultation_id).where(
                    consultation_terms.c.term_id == filters.ward_id
                )
            )
        )
    if filters.since:
        finding_stmt = finding_stmt.where(Finding.published_at >= filters.since)
    if filters.until:
        finding_stmt = finding_stmt.where(Finding.published_at < filters.until)
    for finding in db.session.scalars(finding_stmt):
        term_ids = {t.id for t in finding.terms}
        if filters.prevention_id and filters.prevention_id not in term_ids:
            continue
        values = [
            e.frozen["consensus"]
            for e in finding.evidence
            if e.frozen and e.frozen.get("consensus") is not None
        ]
        for r in term_ids & row_ids:
            for c in term_ids & column_ids:
                cells[(r, c)].findings.append(finding)
                cells[(r, c)].consensus.extend(values)

    for priority in db.session.scalars(select(Priority)):
        term_ids = {t.id for t in priority.terms}
        if filters.prevention_id and filters.prevention_id not in term_ids:
            continue
        for r in term_ids & row_ids:
            for c in term_ids & column_ids:
                cells[(r, c)].actions.extend(
                    a for a in priority.actions if a.status.value != "dropped"
                )
    return Matrix(rows, columns, cells)


def period_bounds(period: str) -> tuple[datetime | None, datetime | None]:
    """ "2025" or "2025-Q3" → [start, end) in UTC; anything else → no bounds."""
    from ..models_base import utcnow

    tz = utcnow().tzinfo
    try:
        if "-Q" in period:
            year, quarter = period.split("-Q")
            start_month = (int(quarter) - 1) * 3 + 1
            if not 1 <= int(quarter) <= 4:
                return None, None
            start = datetime(int(year), start_month, 1, tzinfo=tz)
            end = (
                datetime(int(year) + 1, 1, 1, tzinfo=tz)
                if start_month == 10
                else datetime(int(year), start_month + 3, 1, tzinfo=tz)
            )
            return start, end
        if period.isdigit() and len(period) == 4:
            return datetime(int(period), 1, 1, tzinfo=tz), datetime(
                int(period) + 1, 1, 1, tzinfo=tz
            )
    except ValueError:
        pass
    return None, None
