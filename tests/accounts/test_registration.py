"""Registering, confirming an email address, and what each age band becomes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from tests.support.factories import HOSTILE_NAME, make_user
from tests.support.mail import link_in, outbox

FORM = {
    "email": "New.Person@Example.com ",
    "display_name": HOSTILE_NAME,
    "age_band": "35_44",
    "password": "a long enough password",
    "confirm_password": "a long enough password",
}


def register(client, **changes):
    return client.post("/register", data={**FORM, **changes})


def test_registering_creates_an_unverified_resident_and_mails_a_link(app, client):
    response = register(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/register/check-your-email")
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "new.person@example.com"
        assert user.display_name == HOSTILE_NAME[:60]
        assert user.role == Role.RESIDENT
        assert user.email_verified_at is None
        assert user.password_hash.startswith("$argon2id$")
        (mail,) = outbox(to="new.person@example.com")
        assert mail.template == "verify_email"
        assert "/verify/" in mail.text_body and "/verify/" in mail.html_body
    page = client.get("/register/check-your-email").get_data(as_text=True)
    assert "new.person@example.com" in page


@pytest.mark.parametrize("band", ["13_15", "16_17"])
def test_13_to_17_year_olds_become_youth_members(app, client, band):
    register(client, age_band=band)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == Role.YOUTH
        assert user.public_name == "A young person"


def test_under_13s_cannot_register_and_are_told_why(app, client):
    response = register(client, age_band="under_13")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert 'href="#age_band"' in page
    assert "You must be 13 or over to register" in page
    assert page.count("<title>Error:") == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_form_errors_keep_what_was_typed(client):
    response = register(client, password="short", confirm_password="different")
    page = response.get_data(as_text=True)
    assert "Password must be 10 characters or more" in page
    assert "Passwords must match" in page
    assert 'value="New.Person@Example.com' in page
    # Hostile text is escaped on the way out, never run.
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;" in page


def test_empty_form_lists_every_missing_answer(client):
    page = client.post("/register", data={}).get_data(as_text=True)
    for message in (
        "Enter your email address",
        "Enter a display name",
        "Select your age",
        "Enter a password",
    ):
        assert message in page


def test_registering_an_existing_email_reveals_nothing(app, client):
    with app.app_context():
        make_user(email="taken@example.com")
    first = register(client, email="taken@example.com")
    second = register(client, email="free@example.com")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        (mail,) = outbox(to="taken@example.com")
        assert mail.template == "already_registered"
        assert "/password/forgot" in mail.text_body


def test_the_link_confirms_the_address_once_and_then_sign_in_works(app, client):
    register(client)
    with app.app_context():
        link = link_in(outbox(template="verify_email")[0])
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert "Your email address is confirmed" in client.get("/sign-in").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User)).email_verified_at is not None
    signed_in = client.post(
        "/sign-in", data={"email": "new.person@example.com", "password": FORM["password"]}
    )
    assert signed_in.headers["Location"].endswith("/account")


def test_expired_or_tampered_links_explain_and_offer_a_new_one(app, client):
    register(client)
    with app.app_context():
        link = link_in(outbox(template="verify_email")[0])
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400
    assert "Get a new link" in tampered.get_data(as_text=True)
    app.config["VERIFY_TOKEN_MAX_AGE"] = -1
    try:
        assert client.get(link).status_code == 400
    finally:
        app.config["VERIFY_TOKEN_MAX_AGE"] = 3 * 24 * 3600
    with app.app_context():
        assert db.session.scalar(select(User)).email_verified_at is None


def test_resending_the_link_mails_only_unverified_accounts(app, client):
    with app.app_context():
        make_user(email="done@example.com", verified=True)
        make_user(email="waiting@example.com", verified=False)
    for email in ("done@example.com", "waiting@example.com", "nobody@example.com"):
        response = client.post("/verify/resend", data={"email": email})
        assert response.headers["Location"].endswith("/register/check-your-email")
    with app.app_context():
        sent = [m.to_address for m in outbox(template="verify_email")]
    assert sent == ["waiting@example.com"]


def test_a_link_for_an_old_email_address_stops_working(app, client):
    register(client)
    with app.app_context():
        link = link_in(outbox(template="verify_email")[0])
        user = db.session.scalar(select(User))
        user.email = "changed@example.com"
        db.session.commit()
    assert client.get(link).status_code == 400


def test_signed_in_people_are_sent_to_their_account_from_register(role_client):
    response = role_client("resident").get("/register")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")


def test_verification_mail_is_rendered_in_text_and_html(app, client):
    register(client)
    with app.app_context():
        mail = outbox()[0]
        assert re.search(r"Hello .*O'Brien", mail.text_body)
        assert "&lt;script&gt;" in mail.html_body  # names are escaped in HTML mail
        assert "<script>" not in mail.html_body
