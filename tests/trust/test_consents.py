"""A consent record only from an explicit act, with the words agreed to (one test each)."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.privacy import wording
from community.privacy.models import Consent, ConsentPurpose
from community.surveys.models import AboutYouAnswer
from tests.support.factories import PASSWORD, make_consultation, make_survey


def _consents(app, user_id) -> dict[ConsentPurpose, Consent]:
    with app.app_context():
        rows = db.session.scalars(select(Consent).where(Consent.user_id == user_id)).all()
        for row in rows:
            db.session.expunge(row)
        return {row.purpose: row for row in rows}


def _survey(app, about_you=("age_band", "ethnicity", "disability")):
    with app.app_context():
        survey = make_survey(
            make_consultation(),
            [("Part", [{"kind": "short_text", "text": "Anything?"}])],
            about_you=about_you,
        )
        return survey.id, survey.sections[0].id, survey.sections[0].questions[0].field_name


def _answer(client, survey_id, section_id, field):
    client.post(f"/surveys/{survey_id}/begin")
    client.post(f"/surveys/{survey_id}/sections/{section_id}", data={field: "Lights"})


def test_privacy_notice_consent_keeps_the_words_on_the_form(app, client):
    client.post(
        "/register",
        data={
            "email": "new@example.org",
            "display_name": "New",
            "age_band": "25_34",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "new@example.org"))
    consent = _consents(app, user_id)[ConsentPurpose.PRIVACY_NOTICE]
    assert consent.wording == str(wording.PRIVACY_NOTICE)


def test_hear_back_only_when_ticked(app, role_client, users):
    survey_id, section_id, field = _survey(app, about_you=())
    resident = role_client("resident")
    _answer(resident, survey_id, section_id, field)
    resident.post(f"/surveys/{survey_id}/submit", data={})
    assert ConsentPurpose.HEAR_BACK not in _consents(app, users["resident"].id)
    other_survey, other_section, other_field = _survey(app, about_you=())
    _answer(resident, other_survey, other_section, other_field)
    resident.post(f"/surveys/{other_survey}/submit", data={"hear_back": "y"})
    consent = _consents(app, users["resident"].id)[ConsentPurpose.HEAR_BACK]
    assert consent.wording == str(wording.HEAR_BACK)


def test_about_you_only_when_answers_were_sent(app, role_client, users):
    survey_id, section_id, field = _survey(app)
    resident = role_client("resident")
    _answer(resident, survey_id, section_id, field)
    resident.post(f"/surveys/{survey_id}/about-you", data={})  # skipped every question
    resident.post(f"/surveys/{survey_id}/submit", data={})
    assert _consents(app, users["resident"].id) == {}


def test_special_answers_without_the_tick_are_not_dropped_in_silence(app, role_client, users):
    survey_id, section_id, field = _survey(app)
    resident = role_client("resident")
    _answer(resident, survey_id, section_id, field)
    page = resident.post(
        f"/surveys/{survey_id}/about-you", data={"age_band": "35_44", "ethnicity": "mixed"}
    )
    assert page.status_code == 200
    assert "To keep your answers about ethnicity or disability, tick this box" in page.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalars(select(AboutYouAnswer)).all() == []
    resident.post(f"/surveys/{survey_id}/submit", data={})
    found = _consents(app, users["resident"].id)
    assert ConsentPurpose.ABOUT_YOU not in found and ConsentPurpose.SPECIAL_CATEGORY not in found


def test_special_category_consent_from_the_tick_with_its_words(app, role_client, users):
    survey_id, section_id, field = _survey(app)
    resident = role_client("resident")
    _answer(resident, survey_id, section_id, field)
    saved = resident.post(
        f"/surveys/{survey_id}/about-you",
        data={"age_band": "35_44", "ethnicity": "mixed", "special_consent": "y"},
    )
    assert saved.status_code == 302
    resident.post(f"/surveys/{survey_id}/submit", data={})
    found = _consents(app, users["resident"].id)
    assert found[ConsentPurpose.SPECIAL_CATEGORY].wording == str(wording.SPECIAL_CATEGORY)
    assert found[ConsentPurpose.ABOUT_YOU].wording == str(wording.ABOUT_YOU)
    page = role_client("resident").get("/account/consents").get_data(as_text=True)
    assert "What you agreed to" in page
