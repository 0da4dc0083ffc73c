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


def expire(token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
