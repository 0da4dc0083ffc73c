"""Tokens for API tests: issued through the service, as an admin would."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.accounts.models import Organisation
from community.api import tokens
from community.api.models import ApiToken, TokenScope
from community.extensions import db
from community.models_base import utcnow
from tests.opendata.conftest import make_open_data_consultation


def make_token(
    scope: TokenScope = TokenScope.ANALYSIS,
    organisation: Organisation | None = Organisation.POLICE,
    *,
    days: int = 30,
) -> tuple[int, str]:
    token, secret = tokens.issue(
        name="Analysts' dashboard",
        scope=scope,
        organisation=organisation,
        expires_on=(utcnow() + timedelta(days=days)).date(),
        user=None,
    )
    db.session.commit()
    return token.id, secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_data(app, framework):
    """A closed consultation with public results, an open one shared with the police,
    an open one shared with nobody, and three tokens."""
    from community.partners.models import ConsultationShare

    with app.app_context():
        public = make_open_data_consultation()
        shared = make_open_data_consultation(phase="open")
        unshared = make_open_data_consultation(phase="open")
        db.session.add(
            ConsultationShare(consultation_id=shared.id, organisation=Organisation.POLICE)
        )
        db.session.commit()
        add_plan_and_tags(public, shared)
        analysis_id, analysis = make_token()
        _id, open_data = make_token(TokenScope.OPEN_DATA, None)
        _id, council = make_token(TokenScope.ANALYSIS, Organisation.COUNCIL)
        return {
            "public": public.slug,
            "shared": shared.slug,
            "unshared": unshared.slug,
            "analysis": analysis,
            "analysis_id": analysis_id,
            "open_data": open_data,
            "council": council,
        }


def add_plan_and_tags(public, shared) -> None:
    """A plan action answering a published finding of ``public``; tags and a theme on
    ``shared``; partner figures for a ward and the whole area."""
    from datetime import date

    from sqlalchemy import select

    from community.framework.models import Term
    from community.partners.models import PartnerFigure, SharingAgreement
    from community.plan.models import (
        ActionStatus,
        Finding,
        FindingResponse,
        Plan,
        PlanAction,
        Priority,
        ResponseKind,
    )
    from community.tagging.models import Tag, Theme
    from tests.support.factories import make_contribution

    def term(code):
        return db.session.scalar(select(Term).where(Term.code == code))

    plan = Plan(title="Partnership Plan", period="2024-2029")
    db.session.add(plan)
    db.session.flush()
    priority = Priority(plan_id=plan.id, title="Safer streets at night", position=0)
    db.session.add(priority)
    db.session.flush()
    action = PlanAction(
        priority_id=priority.id,
        title="Brighter lighting on the high street",
        lead_organisation=Organisation.COUNCIL,
        lead_officer_name="A. Officer",
        status=ActionStatus.IN_PROGRESS,
        progress=40,
        due_on=date(2026, 12, 31),
    )
    db.session.add(action)
    db.session.flush()
    finding = Finding(
        consultation_id=public.id,
        statement="People feel unsafe on the high street after dark.",
        published_at=utcnow(),
    )
    finding.terms = [term("anti-social-behaviour")]
    draft = Finding(consultation_id=public.id, statement="Not yet published")
    db.session.add_all([finding, draft])
    db.session.flush()
    db.session.add(
        FindingResponse(
            finding_id=finding.id,
            kind=ResponseKind.NEW_ACTION,
            action_id=action.id,
            explanation="We are adding lighting.",
        )
    )
    theme = Theme(consultation_id=shared.id, code="lighting", name="Street lighting")
    db.session.add(theme)
    db.session.flush()
    for n in range(7):
        contribution = make_contribution(shared, status="published", commit=False)
        db.session.flush()
        db.session.add(
            Tag(contribution_id=contribution.id, term_id=term("anti-social-behaviour").id)
        )
        if n < 3:
            db.session.add(Tag(contribution_id=contribution.id, theme_id=theme.id))
    agreement = SharingAgreement(
        organisation=Organisation.POLICE, name="ISA", reference="ISA-1", signed_on=date(2025, 4, 1)
    )
    db.session.add(agreement)
    db.session.flush()
    for ward, value in (("tudor", 3), ("norbiton", 30), (None, 50)):
        db.session.add(
            PartnerFigure(
                agreement_id=agreement.id,
                issue_id=term("anti-social-behaviour").id,
                ward_id=term(ward).id if ward else None,
                measure="Reports",
                period_start=date(2026, 3, 1),
                period_end=date(2026, 3, 31),
                value=value,
            )
        )
    db.session.commit()


def expire(token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
