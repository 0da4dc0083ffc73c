"""The moderation queue: one query, whatever the number of contributions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import joinedload

from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..models_base import utcnow
from .models import Report

SORTS = {"oldest", "newest", "reports"}


def queue(
    status: str = "pending",
    kind: str = "",
    consultation_id: int | None = None,
    reason: str = "",
    age: str = "",
    sort: str = "oldest",
    waited: str = "",
):
    """A select of contributions for the queue (report counts come from report_counts).

    ``waited`` is a band of days since the contribution was written ("3-" is over
    three days, "1-3" one to three), as linked from moderators' landing page.
    """
    reports = (
        select(Report.contribution_id, func.count().label("reports"))
        .where(Report.resolved_at.is_(None))
        .group_by(Report.contribution_id)
        .subquery()
    )
    count = func.coalesce(reports.c.reports, 0)
    stmt = (
        select(Contribution)
        .outerjoin(reports, reports.c.contribution_id == Contribution.id)
        .options(joinedload(Contribution.author), joinedload(Contribution.consultation))
    )
    if status == "reported":
        stmt = stmt.where(count > 0)
    elif status in {s.value for s in ContributionStatus}:
        stmt = stmt.where(Contribution.status == ContributionStatus(status))
    if kind:
        stmt = stmt.where(Contribution.kind == kind)
    if consultation_id:
        stmt = stmt.where(Contribution.consultation_id == consultation_id)
    if age == "youth":
        stmt = stmt.where(Contribution.by_youth.is_(True))
    elif age == "adult":
        stmt = stmt.where(Contribution.by_youth.is_(False))
    if reason:
        if reason == "reports":
            stmt = stmt.where(count > 0)
        else:  # JSON lists as text, portable across SQLite and PostgreSQL
            stmt = stmt.where(cast(Contribution.hold_reasons, String).like(f'%"{reason}"%'))
    stmt = _waited(stmt, waited)
    order = {
        "oldest": (Contribution.created_at.asc(), Contribution.id.asc()),
        "newest": (Contribution.created_at.desc(), Contribution.id.desc()),
        "reports": (count.desc(), Contribution.created_at.asc()),
    }[sort if sort in SORTS else "oldest"]
    return stmt.order_by(*order)


def _waited(stmt, waited: str):
    low, _sep, high = waited.partition("-")
    now = utcnow()
    if low.isdigit():
        stmt = stmt.where(Contribution.created_at <= now - timedelta(days=int(low)))
    if high.isdigit():
        stmt = stmt.where(Contribution.created_at > now - timedelta(days=int(high)))
    return stmt


def pending_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Contribution)
        .where(Contribution.status == ContributionStatus.PENDING)
    )


def report_counts(contribution_ids: list[int]) -> dict[int, int]:
    """Open reports for each of the given contributions, in one query."""
    if not contribution_ids:
        return {}
    return dict(
        db.session.execute(
            select(Report.contribution_id, func.count())
            .where(Report.contribution_id.in_(contribution_ids), Report.resolved_at.is_(None))
            .group_by(Report.contribution_id)
        ).all()
    )
