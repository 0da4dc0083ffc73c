"""A survey's results version moves with every change to its submitted responses,
including the ones made around the ORM (consents withdrawn, retention, erasure), so
figures cached under it are never stale (surveys/changes.py, issue 15)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.accounts.models import User
from community.consultations.models import Consultation
from community.extensions import db
from community.insights.service import fingerprints
from community.models_base import utcnow
from community.privacy.erasure import erase_person
from community.privacy.models import Consent, ConsentPurpose
from community.privacy.retention import apply_retention
from community.surveys import changes
from community.surveys.models import Answer, Response, ResponseStatus, Survey
from tests.conftest import sign_in_client


def _version(app, survey_id: int) -> int:
    with app.app_context():
        return changes.versions([survey_id])[survey_id][1]


def _insights_key(app, survey_id: int) -> tuple:
    """What the consensus views' cached figures of the survey are looked up by."""
    with app.app_context():
        return fingerprints([survey_id], "age_band")[survey_id]


def test_sending_moves_the_version_and_answering_in_progress_does_not(app, world):
    with app.app_context():
        user = db.session.get(User, world.other)
        db.session.expunge(user)
        survey = db.session.get(Survey, world.survey)
        section_id = survey.sections[0].id
        question_id = world.questions["Do you feel safe at night?"]
        db.session.execute(
            Response.__table__.delete().where(Response.user_id == world.other)
        )  # answer afresh
        db.session.commit()
    client = sign_in_client(app, user)
    before = _version(app, world.survey)
    client.post(f"/surveys/{world.survey}/begin")
    client.post(f"/surveys/{world.survey}/sections/{section_id}", data={f"q{question_id}": "Yes"})
    assert _version(app, world.survey) == before  # nothing sent yet: figures unchanged
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.user_id == world.other))
        response.status, response.submitted_at = ResponseStatus.SUBMITTED, utcnow()
        db.session.commit()
    sent = _version(app, world.survey)
    assert sent > before
    with app.app_context():  # an answer of a sent response changed afterwards
        answer = db.session.scalar(
            select(Answer).join(Response).where(Response.user_id == world.other)
        )
        answer.value = "No"
        db.session.commit()
    assert _version(app, world.survey) > sent


def test_withdrawing_a_consent_moves_the_version_and_the_figures_follow(app, world):
    key = _insights_key(app, world.survey)
    before = _version(app, world.survey)
    with app.app_context():
        consent = db.session.scalar(
            select(Consent).where(
                Consent.user_id == world.person, Consent.purpose == ConsentPurpose.ABOUT_YOU
            )
        )
        user = db.session.get(User, world.person)
        db.session.expunge(user)
    sign_in_client(app, user).post(f"/account/consents/{consent.id}/withdraw")
    assert _version(app, world.survey) > before
    assert _insights_key(app, world.survey) != key  # figures by age band are recomputed


def test_retention_moves_the_version_when_it_deletes_answers_about_you(app, world):
    before = _version(app, world.survey)
    with app.app_context():
        consultation = db.session.get(Consultation, world.consultation)
        consultation.closes_at = utcnow() - timedelta(days=5 * 365)
        db.session.commit()
    assert _version(app, world.survey) == before  # closing changes no response
    with app.test_request_context():
        assert apply_retention().demographics_deleted > 0
    assert _version(app, world.survey) > before


def test_erasing_a_respondent_moves_the_version(app, world):
    before = _version(app, world.survey)
    with app.test_request_context():
        erase_person(db.session.get(User, world.person), keep_contributions=False, via="self")
        db.session.commit()
    assert _version(app, world.survey) > before
