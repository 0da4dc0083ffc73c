"""Admins issue tokens (shown once), see their calls and revoke them; all audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.api.models import ApiToken
from community.audit.models import AuditEvent
from community.extensions import db


def _issue(client, **fields):
    data = {
        "name": "Police dashboard <b>",
        "organisation": "police",
        "scope": "analysis",
        "expires_on": ["31", "12", "2099"],
        **fields,
    }
    return client.post("/admin/api-tokens/new", data=data)


def test_an_admin_issues_a_token_that_is_shown_once_and_works(app, role_client, framework):
    admin = role_client("admin")
    form = admin.get("/admin/api-tokens/new")
    assert form.status_code == 200
    page = _issue(admin)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = re.search(r'<code id="token">(cv_[A-Za-z0-9_-]+)</code>', html).group(1)
    assert "Police dashboard &lt;b&gt;" in html
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.scope.value == "analysis" and token.organisation.value == "police"
        assert token.prefix == secret[:10] and secret not in (token.token_hash, token.name)
        events = db.session.scalars(select(AuditEvent.action)).all()
        assert "api_token.issued" in events
        token_id = token.id
    # Nowhere else is the secret shown again.
    assert secret not in admin.get("/admin/api-tokens/").get_data(as_text=True)
    shown = admin.get(f"/admin/api-tokens/{token_id}").get_data(as_text=True)
    assert secret not in shown and secret[:10] in shown
    client = app.test_client()
    assert (
        client.get(
            "/api/v1/partner-figures", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    # The call shows on the token's page; revoking stops it at once.
    assert "/api/v1/partner-figures" in admin.get(f"/admin/api-tokens/{token_id}").get_data(
        as_text=True
    )
    assert admin.post(f"/admin/api-tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Revoked" in admin.get("/admin/api-tokens/").get_data(as_text=True)
    with app.app_context():
        assert "api_token.revoked" in db.session.scalars(select(AuditEvent.action)).all()


def test_an_analysis_token_needs_an_organisation_and_a_future_expiry(app, role_client):
    admin = role_client("admin")
    page = _issue(admin, organisation="none").get_data(as_text=True)
    assert "There is a problem" in page and "Choose the organisation" in page
    page = _issue(admin, expires_on=["1", "1", "2001"]).get_data(as_text=True)
    assert "The expiry date must be in the future" in page
    page = _issue(admin, name="").get_data(as_text=True)
    assert "Enter what the token is for" in page
    assert _issue(admin, organisation="none", scope="open_data").status_code == 200
    with app.app_context():
        (token,) = db.session.scalars(select(ApiToken)).all()
        assert token.organisation is None and token.scope.value == "open_data"


def test_only_admins_manage_tokens(role_client):
    for role in ("officer", "partner", "resident"):
        assert role_client(role).get("/admin/api-tokens/").status_code == 403
        assert _issue(role_client(role)).status_code == 403


def test_forms_posted_empty_show_errors_not_a_crash(role_client, framework):
    admin = role_client("admin")
    for path in (
        "/admin/api-tokens/new",
        "/manage/partner-data/agreements/new",
        "/manage/consultations/999999/sharing",
    ):
        response = admin.post(path, data={})
        assert response.status_code in (200, 302, 404), path
        if response.status_code == 200:
            assert "There is a problem" in response.get_data(as_text=True), path
