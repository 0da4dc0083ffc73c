"""Consent records: made where consent is given, listed, and withdrawn with immediate effect."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts.models import User
from community.audit.models import AuditEvent
from community.consultations.models import Consultation, Follow
from community.extensions import db
from community.privacy.models import Consent, ConsentPurpose
from community.surveys.models import AboutYouAnswer, Response
from tests.conftest import sign_in_client
from tests.privacy.conftest import PERSON_ABOUT
from tests.support.factories import PASSWORD


def _client(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
    return sign_in_client(app, user)


def _consents(app, user_id) -> dict[ConsentPurpose, list[Consent]]:
    with app.app_context():
        found: dict[ConsentPurpose, list[Consent]] = {}
        for consent in db.session.scalars(
            select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)
        ):
            db.session.expunge(consent)
            found.setdefault(consent.purpose, []).append(consent)
        return found


def _about(app, user_id) -> dict[str, str]:
    with app.app_context():
        return dict(
            db.session.execute(
                select(AboutYouAnswer.key, AboutYouAnswer.value)
                .join(Response, Response.id == AboutYouAnswer.response_id)
                .where(Response.user_id == user_id)
            ).all()
        )


def _withdraw(client, consent_id):
    return client.post(f"/account/consents/{consent_id}/withdraw")


def test_registering_records_the_privacy_notice_version(app, client):
    response = client.post(
        "/register",
        data={
            "email": "new.person@example.org",
            "display_name": "New person",
            "age_band": "25_34",
            "password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
        (consent,) = db.session.scalars(select(Consent).where(Consent.user_id == user.id)).all()
        assert consent.purpose == ConsentPurpose.PRIVACY_NOTICE
        assert consent.version == "2026-11" and consent.source == "registration"
        assert consent.is_active and not consent.can_withdraw


def test_sending_a_response_records_hear_back_and_about_you_consents(app, world):
    found = _consents(app, world.person)
    assert set(found) == {
        ConsentPurpose.HEAR_BACK,
        ConsentPurpose.ABOUT_YOU,
        ConsentPurpose.SPECIAL_CATEGORY,
    }
    assert all(len(rows) == 1 and rows[0].is_active for rows in found.values())
    page = _client(app, world.person).get("/account/consents").get_data(as_text=True)
    assert "Email me what the partnership did as a result" in page
    assert "Use my answers about ethnicity and disability" in page
    assert "Your views <i>matter</i>" not in page and "Your views &lt;i&gt;matter" in page
    assert page.count(">Withdraw<") == 3


def test_withdrawing_hear_back_stops_the_outcome_mail_at_once(app, world):
    from community.plan.outcomes import hear_back_participants

    with app.test_request_context():
        consultation = db.session.get(Consultation, world.consultation)
        assert world.person in hear_back_participants(consultation)
    client = _client(app, world.person)
    # Following the consultation is a separate consent: stop that too, so only hear-back
    # could bring them an outcome mail.
    with app.app_context():
        follow_id = db.session.scalar(select(Follow.id).where(Follow.user_id == world.person))
    assert client.post(f"/account/follows/{follow_id}/stop").status_code == 302
    (hear_back,) = _consents(app, world.person)[ConsentPurpose.HEAR_BACK]
    done = _withdraw(client, hear_back.id)
    assert done.status_code == 302 and done.headers["Location"].endswith("/account/consents")
    with app.test_request_context():
        consultation = db.session.get(Consultation, world.consultation)
        assert world.person not in hear_back_participants(consultation)
        assert world.other in hear_back_participants(consultation)
        response = db.session.scalar(select(Response).where(Response.user_id == world.person))
        assert response.hear_back is False
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("consent.%")).order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.actor_id) for e in events] == [
            ("consent.follow_stopped", world.person),
            ("consent.withdrawn", world.person),
        ]
        assert events[1].details["purpose"] == "hear_back"
    (hear_back,) = _consents(app, world.person)[ConsentPurpose.HEAR_BACK]
    assert hear_back.withdrawn_at is not None
    page = client.get("/account/consents").get_data(as_text=True)
    assert "Withdrawn on" in page and "You do not follow any consultation" in page


def test_withdrawing_special_category_consent_deletes_only_those_answers(app, world):
    assert _about(app, world.person) == PERSON_ABOUT
    (special,) = _consents(app, world.person)[ConsentPurpose.SPECIAL_CATEGORY]
    _withdraw(_client(app, world.person), special.id)
    assert _about(app, world.person) == {
        "age_band": PERSON_ABOUT["age_band"],
        "ward": PERSON_ABOUT["ward"],
    }
    assert _about(app, world.other)["ethnicity"] == "white"  # nobody else's


def test_withdrawing_about_you_consent_deletes_every_answer_about_yourself(app, world):
    (about,) = _consents(app, world.person)[ConsentPurpose.ABOUT_YOU]
    _withdraw(_client(app, world.person), about.id)
    assert _about(app, world.person) == {}
    found = _consents(app, world.person)
    assert found[ConsentPurpose.SPECIAL_CATEGORY][0].withdrawn_at is not None
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "consent.withdrawn")
        )
        assert event.details == {"purpose": "about_you", "answers_deleted": 3}
    # Withdrawing again changes nothing and says so.
    again = _withdraw(_client(app, world.person), about.id)
    assert again.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "consent.withdrawn")
            )
            == 1
        )


def test_nobody_can_withdraw_someone_elses_consent(app, world):
    (theirs,) = _consents(app, world.other)[ConsentPurpose.HEAR_BACK]
    assert _withdraw(_client(app, world.person), theirs.id).status_code == 404
    with app.app_context():
        follow_id = db.session.scalar(select(Follow.id).where(Follow.user_id == world.other))
    stop = _client(app, world.person).post(f"/account/follows/{follow_id}/stop")
    assert stop.status_code == 404
    assert _consents(app, world.other)[ConsentPurpose.HEAR_BACK][0].is_active


def test_sending_again_without_hear_back_closes_that_consent(app, world):
    client = _client(app, world.person)
    done = client.post(f"/surveys/{world.survey}/submit", data={})
    assert done.status_code == 302
    found = _consents(app, world.person)
    assert found[ConsentPurpose.HEAR_BACK][0].withdrawn_at is not None
    assert found[ConsentPurpose.ABOUT_YOU][0].is_active
    # Asking again later is a new record: the history is kept.
    client.post(f"/surveys/{world.survey}/submit", data={"hear_back": "y"})
    rows = _consents(app, world.person)[ConsentPurpose.HEAR_BACK]
    assert [r.is_active for r in rows] == [False, True]


def test_a_new_privacy_notice_version_asks_to_be_read_again(app, world):
    client = _client(app, world.person)
    page = client.get("/account/consents").get_data(as_text=True)
    assert "we have no record that you did" in page  # made by the factory: no record yet
    client.post("/account/consents/privacy-notice")
    page = client.get("/account/consents").get_data(as_text=True)
    assert "You have agreed to the current" in page
    app.config["PRIVACY_NOTICE_VERSION"] = "2027-01"
    try:
        page = client.get("/account/consents").get_data(as_text=True)
        assert "version 2027-01" in page and "Please read the" in page
        client.post("/account/consents/privacy-notice")
        versions = [c.version for c in _consents(app, world.person)[ConsentPurpose.PRIVACY_NOTICE]]
        assert versions == ["2026-11", "2027-01"]
    finally:
        app.config["PRIVACY_NOTICE_VERSION"] = "2026-11"


def test_hear_back_stopped_from_the_mail_shows_as_withdrawn(app, world):
    from community.plan.outcomes import stop_hearing_back, stop_token

    with app.test_request_context():
        stop_hearing_back(stop_token(world.person, world.consultation))
        db.session.commit()
    page = _client(app, world.person).get("/account/consents").get_data(as_text=True)
    assert page.count(">Withdraw<") == 2
    assert _consents(app, world.person)[ConsentPurpose.HEAR_BACK][0].withdrawn_at is not None


def test_the_download_holds_the_consents_and_erasure_removes_them(app, world):
    import io
    import json
    import zipfile

    client = _client(app, world.person)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/your-data/download").data))
    rows = json.loads(archive.read("json/consents.json"))
    assert len(rows) == 3 and {r["survey"] for r in rows} == {"Your views <i>matter</i>"}
    client.post(
        "/account/delete", data={"contributions": "keep", "password": PASSWORD, "confirm": "y"}
    )
    assert _consents(app, world.person) == {}


def _answered_surveys(app, user_id: int, n: int) -> None:
    """``n`` more surveys the person answered, each with hear-back and about-you consent."""
    from tests.support.factories import make_consultation, make_survey

    with app.app_context():
        for _ in range(n):
            survey = make_survey(make_consultation(), commit=False)
            response = Response(survey_id=survey.id, user_id=user_id, hear_back=True)
            db.session.add(response)
            db.session.flush()
            for purpose in (ConsentPurpose.HEAR_BACK, ConsentPurpose.ABOUT_YOU):
                db.session.add(Consent(user_id=user_id, purpose=purpose, response_id=response.id))
            consultation_id = survey.consultation_id
            db.session.add(Follow(user_id=user_id, consultation_id=consultation_id))
        db.session.commit()


def test_the_consents_page_reads_a_fixed_number_of_queries(app, world):
    from tests.conftest import count_queries

    client = _client(app, world.person)
    _answered_surveys(app, world.person, 1)
    client.get("/account/consents")
    with count_queries(app) as few:
        assert client.get("/account/consents").status_code == 200
    _answered_surveys(app, world.person, 8)
    with count_queries(app) as many:
        page = client.get("/account/consents")
    assert page.get_data(as_text=True).count(">Withdraw<") == 3 + 2 * 9
    assert len(many) == len(few), many
