"""Deleting an account: nothing of the person is left anywhere, and published figures stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from community.accounts.models import User
from community.audit.models import AuditEvent
from community.contributions.models import Contribution, ContributionStatus
from community.conversations.models import Statement, Vote
from community.extensions import db
from community.ideas.models import Idea, Support
from community.notifications.models import OutboxMessage, OutboxStatus
from community.notifications.service import deliver_due
from community.privacy.erasure import scrub_erased_mail
from community.surveys.models import AboutYouAnswer, Answer, Response, Survey
from community.surveys.results import counts as results
from tests.conftest import sign_in_client
from tests.privacy.conftest import (
    PERSON_ABOUT,
    PERSON_EMAIL,
    PERSON_NAME,
    PERSON_SURNAME,
)
from tests.privacy.scan import needles_for, scan
from tests.support.factories import PASSWORD
from tests.support.mail import outbox


def _person(app, world) -> User:
    with app.app_context():
        user = db.session.get(User, world.person)
        db.session.expunge(user)
    return user


def _fingerprint(survey: Survey, *, public: bool):
    summary = results.summarise(survey, results.load(survey), public=public)
    return (
        summary.responses.count,
        [
            (
                q.question.id,
                q.answered.count,
                q.skipped,
                [(bar.label, bar.count) for chart in q.charts for bar in chart.bars],
                q.stats,
            )
            for q in summary.questions
        ],
    )


def aggregates(app, world) -> dict:
    """The figures the public sees (and analysts' true counts) for the world's consultation."""
    with app.test_request_context():
        survey = db.session.get(Survey, world.survey)
        votes = db.session.execute(
            select(Vote.statement_id, Vote.value, func.count())
            .where(Vote.statement_id.in_(world.statements))
            .group_by(Vote.statement_id, Vote.value)
            .order_by(Vote.statement_id, Vote.value)
        ).all()
        idea = db.session.get(Idea, world.other_idea)
        return {
            "survey_public": _fingerprint(survey, public=True),
            "survey_analysts": _fingerprint(survey, public=False),
            "votes": [tuple(row) for row in votes],
            "supports": (
                idea.support_count,
                db.session.scalar(
                    select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
                ),
            ),
        }


def _delete(app, world, choice: str):
    client = sign_in_client(app, _person(app, world))
    response = client.post(
        "/account/delete",
        data={"contributions": choice, "password": PASSWORD, "confirm": "y"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/account/deleted")
    return client


def _deliver(app):
    with app.app_context():
        deliver_due()
        scrub_erased_mail()


def _person_about_hits(before, app, world) -> dict:
    """Where each of the person's own "about you" answers is stored (their rows only)."""
    with app.app_context():
        rows = {
            repr((a.id,))
            for a in db.session.scalars(
                select(AboutYouAnswer)
                .join(Response, Response.id == AboutYouAnswer.response_id)
                .where(Response.user_id == world.person)
            )
        }
    return {
        value: {h for h in before[value] if h.table == "survey_about_you" and h.row in rows}
        for value in PERSON_ABOUT.values()
    }


@pytest.mark.parametrize("choice", ["keep", "withdraw"])
def test_after_erasure_no_table_holds_the_persons_email_name_or_answers(app, world, choice):
    identity = needles_for(PERSON_EMAIL, PERSON_NAME, PERSON_NAME[:60], PERSON_SURNAME)
    about = list(PERSON_ABOUT.values())
    before = scan(app, identity + about)
    # The person is really there before: in their account, their mail, their writing.
    assert {h.table for h in before[PERSON_EMAIL]} >= {"users", "outbox_messages"}
    assert {h.table for h in before[PERSON_SURNAME]} >= {"contributions", "users"}
    theirs = _person_about_hits(before, app, world)
    assert all(theirs.values()), "each answer about themselves is stored"
    figures = aggregates(app, world)

    _delete(app, world, choice)
    with app.app_context():
        # The confirmation waits in the outbox for the old address, without the name.
        (confirmation,) = outbox(template="account_erased")
        assert confirmation.to_address == PERSON_EMAIL and confirmation.user_id is None
        assert PERSON_SURNAME not in confirmation.text_body + confirmation.html_body
    _deliver(app)

    after = scan(app, identity + about)
    for needle in identity:
        assert after[needle] == set(), f"{needle!r} is still in {sorted(after[needle])}"
    for value in about:
        # Ward codes and bands are also the vocabulary everyone chooses from: only the
        # places they were because of the person have gone.
        assert after[value] == before[value] - theirs[value], value
    assert aggregates(app, world) == figures


def test_the_confirmation_goes_to_the_old_address_then_the_address_is_not_kept(app, world):
    _delete(app, world, "keep")
    with app.app_context():
        (message,) = outbox(template="account_erased")
        assert "What you wrote stays, without your name." in message.text_body
        assert deliver_due().sent >= 1
        db.session.refresh(message)
        # Sent, with the address it went to: until the privacy job runs.
        assert message.status == OutboxStatus.SENT and message.to_address == PERSON_EMAIL
        assert scrub_erased_mail() == 1
        db.session.refresh(message)
        assert message.to_address == "" and message.text_body == "" and message.html_body == ""
        assert scrub_erased_mail() == 0  # nothing left to do
        message_id = message.id
    (sent,) = Path(app.config["MAIL_FILE_DIR"]).glob(f"{message_id:08d}-account_erased.eml")
    assert PERSON_EMAIL in sent.read_text()


def test_the_erased_account_cannot_sign_in_and_the_address_can_register_again(app, world):
    client = _delete(app, world, "keep")
    # The old session is gone.
    assert client.get("/account").status_code == 302
    fresh = app.test_client()
    page = fresh.post("/sign-in", data={"email": PERSON_EMAIL, "password": PASSWORD})
    assert (
        page.status_code == 200
        and "Enter a correct email address and password" in page.get_data(as_text=True)
    )
    with app.app_context():
        tombstone = db.session.get(User, world.person)
        assert tombstone.is_erased and not tombstone.is_active
        assert tombstone.email == f"erased-{world.person}@erased.invalid"
        assert tombstone.display_name == "" and tombstone.password_hash == ""
        placeholder = tombstone.email
    # Not even with the placeholder address and an empty password.
    page = fresh.post("/sign-in", data={"email": placeholder, "password": ""})
    assert "/account" not in page.headers.get("Location", "")
    register = fresh.post(
        "/register",
        data={
            "email": PERSON_EMAIL,
            "display_name": "Back again",
            "age_band": "25_34",
            "password": "a new long password",
            "confirm_password": "a new long password",
        },
    )
    assert register.status_code == 302
    with app.app_context():
        again = db.session.scalar(select(User).where(User.email == PERSON_EMAIL))
        assert again is not None and again.id != world.person and not again.is_erased
        assert outbox(template="verify_email", to=PERSON_EMAIL)
        assert not outbox(template="already_registered")


def test_kept_contributions_lose_their_author_and_withdrawn_ones_their_text(app, world):
    _delete(app, world, "withdraw")
    with app.app_context():
        rows = db.session.scalars(
            select(Contribution).where(
                Contribution.id.in_(
                    [world.person_idea, world.person_comment, world.person_statement]
                )
            )
        ).all()
        assert {(r.status, r.body, r.author_id) for r in rows} == {
            (ContributionStatus.WITHDRAWN, "", None)
        }
        assert db.session.get(Idea, world.person_idea).title == ""
        # The group's project stays with the group, unnamed.
        project = db.session.get(Contribution, world.project)
        assert project.author_id is None and project.body
        # The survey's free text is withdrawn; the counted choice stays, unlinked.
        (response,) = db.session.scalars(
            select(Response).where(Response.reference.is_not(None), Response.user_id.is_(None))
        ).all()
        answers = {a.question_id: a.value for a in response.answers}
        assert answers[world.questions["Do you feel safe at night?"]] == {"choice": "No"}
        assert answers[world.questions["What would help?"]] == ""
        assert not response.hear_back
        assert db.session.scalar(select(func.count()).select_from(AboutYouAnswer)) == 3
        statement = db.session.get(Statement, world.person_statement)
        assert statement.conversation.stale


def test_keeping_contributions_keeps_them_published_without_a_name(app, world):
    _delete(app, world, "keep")
    with app.app_context():
        idea = db.session.get(Idea, world.person_idea)
        assert idea.status == ContributionStatus.PUBLISHED and idea.author_id is None
        assert idea.title == "Benches by the river"
        assert idea.body == "I'm [removed] from the estate; benches would bring people back"
        page = app.test_client().get(f"/ideas/{world.board}/{world.person_idea}")
        assert page.status_code == 200 and "Benches by the river" in page.get_data(as_text=True)


def test_a_wrong_password_erases_nothing(app, world):
    client = sign_in_client(app, _person(app, world))
    page = client.post(
        "/account/delete",
        data={"contributions": "keep", "password": "not my password", "confirm": "y"},
    )
    assert page.status_code == 400 and "Your password is not right" in page.get_data(as_text=True)
    page = client.post("/account/delete", data={"password": PASSWORD})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "There is a problem" in text
    assert "Select what should happen to what you wrote" in text
    with app.app_context():
        assert not db.session.get(User, world.person).is_erased


def test_the_audit_entry_has_counts_and_nothing_personal(app, world):
    _delete(app, world, "keep")
    with app.app_context():
        (event,) = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.erased").order_by(AuditEvent.id)
        ).all()
        assert event.target_id == world.person and event.details["via"] == "self"
        assert event.details["counts"]["supports_kept"] == 1
        assert event.details["counts"]["votes_kept"] == 3
        assert event.details["counts"]["about_you_deleted"] == 3


def test_an_admin_erases_a_person_on_request(app, world, users):
    admin = sign_in_client(app, users["admin"])
    page = admin.get(f"/admin/users/{world.person}")
    assert f"/admin/privacy/people/{world.person}/erase" in page.get_data(as_text=True)
    form = admin.get(f"/admin/privacy/people/{world.person}/erase")
    assert form.status_code == 200
    missing = admin.post(f"/admin/privacy/people/{world.person}/erase", data={})
    assert missing.status_code == 400 and "Enter the reference" in missing.get_data(as_text=True)
    done = admin.post(
        f"/admin/privacy/people/{world.person}/erase",
        data={"contributions": "keep", "request_reference": "DPA-2026-0042"},
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(User, world.person).is_erased
        actions = [
            (e.action, e.actor_id, e.details.get("via") or e.details.get("reference"))
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.target_id == world.person)
                .order_by(AuditEvent.id)
            )
        ]
        assert ("privacy.erasure_requested", users["admin"].id, "DPA-2026-0042") in actions
        assert ("user.erased", users["admin"].id, "admin") in actions
        (message,) = outbox(template="account_erased")
        assert "As you asked, we have deleted" in message.text_body
    # An erased account cannot be erased again, nor enabled again.
    again = admin.post(
        f"/admin/privacy/people/{world.person}/erase",
        data={"contributions": "keep", "request_reference": "again"},
    )
    assert again.status_code == 400 and "This account was erased on" in again.get_data(as_text=True)
    admin.post(f"/admin/users/{world.person}/enable")
    with app.app_context():
        assert not db.session.get(User, world.person).is_active


def test_an_admin_downloads_a_persons_data_on_request(app, world, users):
    admin = sign_in_client(app, users["admin"])
    response = admin.get(f"/admin/privacy/people/{world.person}/data")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    with app.app_context():
        (event,) = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "privacy.data_exported_on_request")
            .order_by(AuditEvent.id)
        ).all()
        assert event.actor_id == users["admin"].id and event.target_id == world.person


def test_an_admin_cannot_erase_themselves_here(app, users):
    admin = sign_in_client(app, users["admin"])
    page = admin.post(
        f"/admin/privacy/people/{users['admin'].id}/erase",
        data={"contributions": "keep", "request_reference": "self"},
    )
    assert page.status_code == 400 and "Delete your account" in page.get_data(as_text=True)


def test_unsent_mail_to_the_person_is_dropped(app, world):
    from community.notifications import mails

    with app.test_request_context():
        person = db.session.get(User, world.person)
        mails.password_changed(person)
        db.session.commit()
        pending = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.user_id == world.person)
        )
        assert pending >= 1
    _delete(app, world, "keep")
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.user_id == world.person)
        ).all()
        assert all(r.status != OutboxStatus.PENDING for r in rows)
        assert all(r.to_address == "" and r.text_body == "" for r in rows)
        assert db.session.scalar(select(func.count()).select_from(Answer)) >= 2


def test_the_deletion_forms_have_legends(app, world, users):
    from tests.main.test_fieldsets import _legends_ok

    for client, path in (
        (sign_in_client(app, _person(app, world)), "/account/delete"),
        (sign_in_client(app, users["admin"]), f"/admin/privacy/people/{world.person}/erase"),
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<fieldset" in html and _legends_ok(html) == [], path


def test_an_erased_officer_is_no_longer_a_consultations_contact(app, users):
    from community.consultations.models import Consultation
    from community.privacy.erasure import erase_person
    from tests.support.factories import make_consultation

    with app.test_request_context():
        officer = db.session.get(User, users["officer"].id)
        consultation = make_consultation(
            contact_name="Olive Officer",
            contact_email=officer.email.upper(),
            created_by_id=officer.id,
        )
        erase_person(officer, keep_contributions=True, via="admin")
        db.session.commit()
        consultation = db.session.get(Consultation, consultation.id)
        assert consultation.contact_email == app.config["PARTNERSHIP_CONTACT_EMAIL"]
        assert consultation.contact_name == ""
        assert consultation.created_by_id is None
