"""Demo partner data: an information-sharing agreement with the police and a year of
quarterly figures by issue and ward, so the evidence matrix and partner pages have data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from ..accounts.models import Organisation
from ..extensions import db
from ..framework.models import Term, wards_query
from ..models_base import utcnow

ISSUES = {
    "anti-social-behaviour": "Anti-social behaviour reports",
    "serious-violence-and-knife-crime": "Knife crime offences",
    "violence-against-women-and-girls": "Reports of harassment in public",
}


def _quarters(today: date, count: int = 4) -> list[tuple[date, date]]:
    """The last ``count`` whole calendar quarters before ``today``."""
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for _ in range(count):
        end = start - timedelta(days=1)
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
        quarters.append((start, end))
    return quarters


def load_demo_partner_figures(officer) -> list[str]:
    """Nothing if an agreement exists already."""
    from ..partners.models import PartnerFigure, SharingAgreement

    if db.session.scalar(select(SharingAgreement.id).limit(1)) is not None:
        return []
    rng = random.Random(99)
    agreement = SharingAgreement(
        organisation=Organisation.POLICE,
        name="Kingston BCU and Safer Kingston Partnership data sharing",
        reference="ISA-2025-014",
        signed_on=utcnow().date() - timedelta(days=300),
        purpose="Quarterly crime and incident counts by ward, for the partnership plan.",
        created_by_id=officer.id,
    )
    db.session.add(agreement)
    db.session.flush()
    wards = list(db.session.scalars(wards_query()))
    issues = {t.code: t for t in db.session.scalars(select(Term).where(Term.code.in_(ISSUES)))}
    made = 0
    for code, measure in ISSUES.items():
        for start, end in _quarters(utcnow().date()):
            total = 0
            for ward in wards:
                value = rng.randint(0, 30)
                total += value
                db.session.add(
                    PartnerFigure(
                        agreement_id=agreement.id,
                        issue_id=issues[code].id,
                        ward_id=ward.id,
                        measure=measure,
                        period_start=start,
                        period_end=end,
                        value=value,
                        created_by_id=officer.id,
                    )
                )
            db.session.add(
                PartnerFigure(
                    agreement_id=agreement.id,
                    issue_id=issues[code].id,
                    ward_id=None,
                    measure=measure,
                    period_start=start,
                    period_end=end,
                    value=total,
                    created_by_id=officer.id,
                )
            )
            made += len(wards) + 1
    db.session.flush()
    return [f"Demo partner figures: {made} police figures over four quarters"]
