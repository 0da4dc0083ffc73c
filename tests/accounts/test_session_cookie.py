"""The session cookie is signed again only when the session changed or the cookie is
older than SESSION_REFRESH_SECONDS (community/sessions.py), and the signed-in
session's lifetime still slides with use."""

from __future__ import annotations

import time

import pytest

from tests.support.factories import PASSWORD, make_user

COOKIE = "cv_session"


@pytest.fixture
def signed_in(app, client):
    with app.app_context():
        make_user(email="person@example.com")
    sent = client.post("/sign-in", data={"email": "person@example.com", "password": PASSWORD})
    assert sent.status_code == 302
    assert COOKIE in sent.headers.get("Set-Cookie", "")
    return client


def session_cookie(response) -> str | None:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{COOKIE}=")]
    return found[0] if found else None


def test_an_unchanged_session_is_not_signed_again_within_the_minute(signed_in):
    signed_in.get("/account")  # (the first page with a form puts its CSRF secret in)
    page = signed_in.get("/account")
    assert page.status_code == 200
    assert session_cookie(page) is None


def test_an_older_cookie_is_signed_again_with_a_new_expiry(app, signed_in):
    app.config["SESSION_REFRESH_SECONDS"] = 0
    page = signed_in.get("/account")
    cookie = session_cookie(page)
    assert cookie is not None
    assert "Expires=" in cookie and "HttpOnly" in cookie


def test_a_changed_session_is_always_sent(signed_in):
    changed = signed_in.post("/cookies/hide-notice", data={})
    assert session_cookie(changed) is not None


@pytest.mark.slow  # waits out a 4-second session
def test_the_lifetime_still_slides_with_use(app, client, signed_in):
    app.config["PERMANENT_SESSION_LIFETIME"] = 4
    app.config["SESSION_REFRESH_SECONDS"] = 1
    with app.app_context():
        make_user(email="idle@example.com")
    idle = app.test_client()
    assert idle.post("/sign-in", data={"email": "idle@example.com", "password": PASSWORD})
    time.sleep(2.6)
    assert signed_in.get("/account").status_code == 200  # signed again: 4 s from now
    time.sleep(2.6)
    assert signed_in.get("/account").status_code == 200
    assert idle.get("/account").status_code == 302  # 5 s without a request: signed out
