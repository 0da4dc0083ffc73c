"""The service's own pages, security headers, error pages and languages."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/", "/privacy", "/accessibility", "/cookies"])
def test_public_pages_render_with_the_layout(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="govuk-skip-link"' in page
    assert "Safer Kingston Partnership" in page
    assert '<html lang="en-GB" dir="ltr"' in page
    for link in ('href="/privacy"', 'href="/accessibility"', 'href="/cookies"'):
        assert link in page
    assert "govuk-header__logotype" not in page  # no crown


def test_navigation_follows_the_role(role_client):
    visitor = role_client("visitor").get("/").get_data(as_text=True)
    assert "Sign in" in visitor and "People" not in visitor
    resident = role_client("resident").get("/").get_data(as_text=True)
    assert "Your account" in resident and "Sign out" in resident and "Framework" not in resident
    officer = role_client("officer").get("/").get_data(as_text=True)
    assert "Framework" in officer and "Audit log" not in officer
    admin = role_client("admin").get("/").get_data(as_text=True)
    assert all(item in admin for item in ("Framework", "People", "Audit log", "Mail"))


def test_cookie_notice_can_be_hidden_without_javascript(client):
    assert "Cookies on Community Voice" in client.get("/").get_data(as_text=True)
    response = client.post("/cookies/hide-notice", data={"next": "/privacy"})
    assert response.headers["Location"] == "/privacy"
    assert "Cookies on Community Voice" not in client.get("/").get_data(as_text=True)
    # An off-site "next" is ignored.
    assert (
        client.post("/cookies/hide-notice", data={"next": "https://evil.example"}).headers[
            "Location"
        ]
        == "/"
    )


def test_security_headers(client):
    response = client.get("/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers
    assert "<script>" not in response.get_data(as_text=True)  # no inline script at all
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_http_only_and_same_site(app, client):
    response = client.post("/cookies/hide-notice", data={})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("cv_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_settings_make_cookies_secure(monkeypatch, tmp_path):
    from community.config import from_environment

    monkeypatch.setenv("COMMUNITY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = from_environment(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["MAIL_BACKEND"] == "sendgrid"
    assert settings["JOBS_MODE"] == "worker"
    assert settings["SECRET_KEY"] == "x" * 40


def test_database_url_forms_are_normalised(monkeypatch, tmp_path):
    from community.config import from_environment

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/cv")
    assert from_environment(tmp_path)["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://u:p@db:5432/cv"
    )
    monkeypatch.delenv("DATABASE_URL")
    assert from_environment(tmp_path)["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_404_page_explains(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_405_page_explains(client):
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert "This page cannot be used like that" in response.get_data(as_text=True)
    assert "POST" in response.headers["Allow"]


def test_413_page_explains(app, client):
    response = client.post("/register", data={"display_name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_500_page_and_roll_back(make_app):
    broken = make_app()

    @broken.route("/boom")
    def boom():
        from community.accounts.models import AgeBand, User
        from community.extensions import db

        db.session.add(
            User(
                email="half@example.com",
                display_name="x",
                password_hash="x",
                age_band=AgeBand.AGE_25_34,
            )
        )
        db.session.flush()
        raise RuntimeError("boom")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    with broken.app_context():
        from sqlalchemy import select

        from community.accounts.models import User
        from community.extensions import db

        assert db.session.scalar(select(User).where(User.email == "half@example.com")) is None


def test_right_to_left_languages_set_the_direction(make_app):
    multilingual = make_app(LANGUAGES=["en_GB", "ar"])
    page = multilingual.test_client().get("/", headers={"Accept-Language": "ar"})
    assert '<html lang="ar" dir="rtl"' in page.get_data(as_text=True)


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_a_unique_key_met_by_another_request_is_a_409_that_saved_nothing(make_app, users):
    """A view that inserts without checking (or without retrying) and meets another
    request's row: the person reads that nothing was saved, not the 500 page."""
    clashing = make_app()

    @clashing.route("/clash")
    def clash():
        from community.accounts.models import AgeBand, User
        from community.extensions import db

        db.session.add(
            User(
                email="first@example.com",
                display_name="x",
                password_hash="x",
                age_band=AgeBand.AGE_25_34,
            )
        )
        db.session.flush()
        existing = users["resident"].email
        db.session.add(
            User(email=existing, display_name="y", password_hash="y", age_band=AgeBand.AGE_25_34)
        )
        db.session.flush()
        return "unreachable"

    response = clashing.test_client().get("/clash")
    assert response.status_code == 409
    assert "changed somewhere else at the same time" in response.get_data(as_text=True)
    with clashing.app_context():
        from sqlalchemy import select

        from community.accounts.models import User
        from community.extensions import db

        assert db.session.scalar(select(User).where(User.email == "first@example.com")) is None
