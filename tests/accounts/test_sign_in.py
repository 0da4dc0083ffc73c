"""Signing in and out, passwords, and rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db, limiter
from tests.support.env import REDIS_URL, redis_available, require
from tests.support.factories import PASSWORD, make_user
from tests.support.mail import link_in, outbox

WRONG = "Enter a correct email address and password"


@pytest.fixture
def person(app):
    with app.app_context():
        return make_user(email="person@example.com").id


def sign_in(client, email="person@example.com", password=PASSWORD, **extra):
    return client.post("/sign-in", data={"email": email, "password": password, **extra})


def test_sign_in_then_out(client, person):
    response = sign_in(client)
    assert response.headers["Location"].endswith("/account")
    assert "Your account" in client.get("/account").get_data(as_text=True)
    assert client.post("/sign-out").status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(client, person):
    wrong = sign_in(client, password="not the password")
    unknown = sign_in(client, email="nobody@example.com")
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        page = response.get_data(as_text=True)
        assert WRONG in page and 'href="#email"' in page


def test_email_is_not_case_sensitive(client, person):
    assert sign_in(client, email="  PERSON@Example.COM ").status_code == 302


def test_unverified_accounts_are_asked_to_confirm_first(app, client):
    with app.app_context():
        make_user(email="new@example.com", verified=False)
    page = sign_in(client, email="new@example.com").get_data(as_text=True)
    assert "Confirm your email address before you sign in" in page
    assert client.get("/account").status_code == 302


def test_disabled_accounts_cannot_sign_in(app, client, person):
    with app.app_context():
        user = db.session.get(User, person)
        from community.models_base import utcnow

        user.disabled_at = utcnow()
        db.session.commit()
    assert WRONG in sign_in(client).get_data(as_text=True)


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("/framework/", "/framework/"),
        ("https://evil.example/", "/account"),
        ("//evil.example/", "/account"),
        ("/\\evil.example", "/account"),
        ("javascript:alert(1)", "/account"),
    ],
)
def test_next_redirects_stay_on_this_site(client, person, next_url, lands_on):
    response = client.post(
        f"/sign-in?next={next_url}", data={"email": "person@example.com", "password": PASSWORD}
    )
    assert response.headers["Location"] == lands_on


def test_pages_that_need_sign_in_send_you_back_after(client, person):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert "/sign-in?next=" in response.headers["Location"]


def test_sign_out_needs_a_post(client, person):
    sign_in(client)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/account").status_code == 200


def test_password_reset_is_single_use_and_signs_out_other_sessions(app, client, person):
    other_device = app.test_client()
    sign_in(other_device)
    assert other_device.get("/account").status_code == 200

    page = client.post("/password/forgot", data={"email": "person@example.com"})
    assert "If person@example.com has an account" in page.get_data(as_text=True)
    with app.app_context():
        link = link_in(outbox(template="password_reset")[0])
    new = {"password": "a brand new password", "confirm_password": "a brand new password"}
    assert client.post(link, data=new).status_code == 302
    assert client.post(link, data=new).status_code == 400  # used: the hash changed
    assert other_device.get("/account").status_code == 302  # signed out everywhere
    assert WRONG in sign_in(client).get_data(as_text=True)
    assert sign_in(client, password="a brand new password").status_code == 302
    with app.app_context():
        assert [m.template for m in outbox()] == ["password_reset", "password_changed"]


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(app, client):
    page = client.post("/password/forgot", data={"email": "nobody@example.com"})
    assert "If nobody@example.com has an account" in page.get_data(as_text=True)
    with app.app_context():
        assert outbox() == []


def test_change_password_checks_the_current_one(app, client, person):
    sign_in(client)
    bad = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "password": "another long password",
            "confirm_password": "another long password",
        },
    )
    assert "Your current password is not right" in bad.get_data(as_text=True)
    good = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "another long password",
            "confirm_password": "another long password",
        },
    )
    assert good.headers["Location"].endswith("/account")
    assert client.get("/account").status_code == 200  # this session stays signed in
    with app.app_context():
        assert [m.template for m in outbox(to="person@example.com")] == ["password_changed"]


def test_profile_name_can_be_changed(app, client, person):
    sign_in(client)
    client.post("/account/profile", data={"display_name": "  Sam  "})
    with app.app_context():
        assert db.session.get(User, person).display_name == "Sam"


def _exhaust(client, limit: int):
    codes = [sign_in(client, password="wrong").status_code for _ in range(limit + 1)]
    return codes


def test_sign_in_is_rate_limited_with_a_clear_page(app, client, person):
    app.config["RATELIMIT_SIGN_IN"] = "3 per minute"
    try:
        codes = _exhaust(client, 3)
        assert codes == [200, 200, 200, 429]
        page = sign_in(client).get_data(as_text=True)
        assert "Too many attempts" in page and "wait a minute" in page
        # Reading the page is never limited, only attempts.
        assert client.get("/sign-in").status_code == 200
    finally:
        app.config["RATELIMIT_SIGN_IN"] = "1000 per minute"


def test_registration_is_rate_limited(app, client):
    app.config["RATELIMIT_REGISTER"] = "2 per minute"
    try:
        codes = [client.post("/register", data={}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
    finally:
        app.config["RATELIMIT_REGISTER"] = "1000 per minute"


def test_rate_limits_are_kept_in_redis_when_configured(make_app, person):
    require(redis_available(), "Redis")
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    redis_app = make_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_SIGN_IN="2 per minute")
    with redis_app.app_context():
        limiter.reset()
    client = redis_app.test_client()
    codes = [sign_in(client, password="wrong").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert any(b"sign_in" in key or b"LIMIT" in key for key in server.keys("*"))
    # A second app (another gunicorn worker) shares the same counts.
    other = make_app(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_SIGN_IN="2 per minute")
    assert sign_in(other.test_client(), password="wrong").status_code == 429
    server.flushdb()


def test_stored_hash_is_argon2id(app, person):
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)).startswith("$argon2id$")
