"""Choosing a language: the browser first, then the person's own choice, kept for
visitors in the session and for signed-in people on their account; mail in the
recipient's language; dates and numbers formatted for the locale."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from community.accounts.models import Role, User
from community.extensions import db
from community.notifications import mails
from tests.conftest import count_queries, sign_in_client
from tests.support.factories import make_user
from tests.support.mail import outbox

OWN_NAMES = {"en-GB": "English", "ko": "한국어", "ta": "தமிழ்", "pl": "Polski", "ar": "العربية"}


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


@pytest.mark.parametrize(
    ("header", "lang", "direction"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.5", "ko", "ltr"),
        ("ta-IN", "ta", "ltr"),
        ("pl,en;q=0.8", "pl", "ltr"),
        ("ar-EG,ar;q=0.9", "ar", "rtl"),
        ("en-US,en;q=0.9", "en-GB", "ltr"),
        ("fr-FR", "en-GB", "ltr"),
    ],
)
def test_the_browser_chooses_before_anyone_does(client, header, lang, direction):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert _html_tag(page) == f'<html lang="{lang}" dir="{direction}" class="govuk-template">'


def test_every_page_offers_each_language_named_in_itself(client):
    page = client.get("/consultations/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    switcher = re.search(r'<nav class="cv-language-switcher".*?</nav>', page, re.S).group(0)
    for lang, name in OWN_NAMES.items():
        assert f'lang="{lang}"' in switcher and name in switcher
    # The current language is not a link; the others are, back to this page.
    assert '<span class="cv-language-switcher__current" aria-current="true" lang="ko"' in switcher
    assert 'href="/language/ar?next=/consultations/" hreflang="ar" lang="ar" dir="rtl"' in switcher
    assert "/language/ko" not in switcher


def test_a_visitors_choice_is_kept_in_the_session_over_the_browser(client):
    answer = client.get("/language/ar?next=/consultations/?page=1")
    assert answer.status_code == 302 and answer.location == "/consultations/?page=1"
    page = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in _html_tag(page)
    client.get("/language/en_GB")
    page = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'lang="en-GB"' in _html_tag(page)


def test_a_signed_in_persons_choice_is_kept_on_their_account(app, ctx):
    person = make_user()
    client = sign_in_client(app, person)
    assert client.get("/language/pl?next=/account").location == "/account"
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "pl"
    # Another browser, another session: still Polish, whatever that browser prefers.
    elsewhere = sign_in_client(app, person)
    page = elsewhere.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert 'lang="pl"' in _html_tag(page)


def test_an_unknown_language_or_a_foreign_next_is_refused(client):
    assert client.get("/language/fr").status_code == 404
    assert client.get("/language/ko?next=https://evil.example/").location == "/"
    assert client.get("/language/ko?next=//evil.example/").location == "/"


def test_registering_keeps_the_language_of_the_page(app, ctx, client):
    answer = client.post(
        "/register",
        data={
            "email": "minji@example.com",
            "display_name": "Minji",
            "password": "a long enough password",
            "confirm_password": "a long enough password",
            "age_band": "25_34",
            "agree": "y",
        },
        headers={"Accept-Language": "ko-KR"},
    )
    assert answer.status_code in (200, 302)
    user = db.session.scalar(select(User).where(User.email == "minji@example.com"))
    assert user is not None and user.language == "ko"
    (message,) = outbox(to="minji@example.com")
    assert '<html lang="ko" dir="ltr">' in message.html_body


@pytest.mark.parametrize(
    ("language", "day"),
    [
        ("ko", "2027년 1월 3일"),
        ("pl", "3 stycznia 2027"),
        ("ar", "3 يناير 2027"),
        ("ta", "3 ஜனவரி, 2027"),
        ("en_GB", "3 January 2027"),
    ],
)
def test_mail_is_written_in_the_recipients_language(app, ctx, language, day):
    """Whatever language the request is in (English here), the recipient's is used:
    the page language and direction of the mail and its dates."""
    person = make_user()
    person.language = language
    mails.inactivity_warning(
        person,
        last_active=date(2024, 1, 3),
        deadline=date(2027, 1, 3),
        sign_in="https://example.org/sign-in",
        key=f"warning:{person.id}",
    )
    (message,) = outbox(to=person.email)
    lang = language.replace("_", "-")
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in message.html_body
    assert day in message.text_body


def test_outcome_mail_in_five_languages_is_still_one_query_per_batch(app, ctx, framework):
    """Each participant's language is a column of the row already loaded for the batch."""
    from community.plan import outcomes
    from tests.support.factories import make_consultation

    consultation = make_consultation(phase="closed")
    languages = ["en_GB", "ko", "ta", "pl", "ar"]

    def participants(n):
        people = [make_user(commit=False) for _ in range(n)]
        for i, person in enumerate(people):
            person.language = languages[i % 5]
        db.session.flush()
        return {p.id: f"https://example.org/stop/{p.id}" for p in people}

    few, many = participants(10), participants(100)
    db.session.commit()
    with count_queries(app) as small:
        assert outcomes.queue_outcome_mails(consultation, few, batch=500) == 10
    with count_queries(app) as large:
        assert outcomes.queue_outcome_mails(consultation, many, batch=500) == 100
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in small if s.lstrip().upper().startswith("SELECT")])
    sent = {m.user_id: m for m in outbox(template="consultation_outcome")}
    people = db.session.scalars(select(User).where(User.id.in_(list(sent)))).all()
    for person in people:
        lang = person.language.replace("_", "-")
        assert f'<html lang="{lang}"' in sent[person.id].html_body


def test_numbers_and_percentages_follow_the_locale(app):
    from flask import render_template_string

    for header, share in (("en-GB", "46%"), ("pl", "46%"), ("ar", "46")):
        with app.test_request_context("/", headers={"Accept-Language": header}):
            text = render_template_string("{{ 0.456 | percent }} {{ 1234567 | number }}")
            assert share in text
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        assert render_template_string("{{ 1234567 | number }}") == "1\xa0234\xa0567"
    with app.test_request_context("/", headers={"Accept-Language": "en-GB"}):
        assert render_template_string("{{ 1234567 | number }}") == "1,234,567"


def test_officers_keep_their_own_language_for_pages(app, ctx):
    officer = make_user(Role.OFFICER)
    officer.language = "ta"
    db.session.commit()
    page = sign_in_client(app, officer).get("/manage/consultations/").get_data(as_text=True)
    assert 'lang="ta"' in _html_tag(page)


def test_templates_find_the_catalogue_once_per_locale_and_follow_a_forced_one(app, monkeypatch):
    """A page translates hundreds of strings; the catalogue is found once per locale
    in a request (issue 15), yet a forced locale (mail in its recipient's language)
    and the request's own language still each get their own words."""
    from flask import render_template_string
    from flask_babel import Domain

    from community.i18n import in_language

    found = []
    real = Domain.get_translations
    monkeypatch.setattr(
        Domain, "get_translations", lambda self: found.append(1) or real(self), raising=True
    )
    page = "{% for _i in range(50) %}{{ _('Sign in') }}|{% endfor %}"
    with app.test_request_context("/", headers={"Accept-Language": "pl"}):
        polish = render_template_string(page)
        with in_language("ko"):
            korean = render_template_string(page)
        again = render_template_string(page)
    assert polish == again and polish != korean
    assert polish.split("|")[0] == "Zaloguj się" and korean.split("|")[0] == "로그인"
    # Each switch of locale looks once (3); the old lookup per string made it 150.
    assert len(found) <= 6, f"{len(found)} catalogue lookups for 150 strings in 2 locales"
