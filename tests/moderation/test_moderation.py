"""Moderation end to end: automatic holds, decisions, reports, the public log."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.audit.models import AuditEvent
from community.contributions.models import Contribution, ContributionStatus
from community.extensions import db
from community.moderation.models import AbuseTerm, Action, Decision
from community.moderation.service import seed_templates
from tests.conftest import count_queries
from tests.support.factories import make_consultation, make_contribution, make_survey, make_user
from tests.support.mail import outbox

PHONE_TEXT = "Someone keeps calling me, their number is 07700 900123, near the station."


def _answer_survey(app, client, text):
    with app.app_context():
        survey = make_survey(sections=[("Page", [{"kind": "long_text", "text": "Tell us"}])])
        survey_id, section_id, qid = survey.id, survey.sections[0].id, survey.questions[0].id
    client.post(f"/surveys/{survey_id}/begin")
    client.post(f"/surveys/{survey_id}/sections/{section_id}", data={f"q{qid}": text})
    assert client.post(f"/surveys/{survey_id}/submit").status_code == 302


def test_a_phone_number_is_held_then_redacted_and_published(app, role_client, users):
    _answer_survey(app, role_client("resident"), PHONE_TEXT)
    with app.app_context():
        held = db.session.scalar(select(Contribution))
        assert held.status == ContributionStatus.PENDING  # adult, default policy: held by the rule
        assert held.hold_reasons == ["phone"]
        held_id = held.id
    moderator = role_client("moderator")
    queue = moderator.get("/moderation/?reason=phone").get_data(as_text=True)
    assert "Phone number" in queue and "1 contribution" in queue
    review = moderator.get(f"/moderation/{held_id}").get_data(as_text=True)
    assert "07700 900123" in review and "[removed]" in review
    moderator.post(f"/moderation/{held_id}/publish", data={"publish-redact": "y"})
    with app.app_context():
        published = db.session.get(Contribution, held_id)
        assert published.status == ContributionStatus.PUBLISHED
        assert "07700" not in published.body and "[removed]" in published.body
        actions = [d.action for d in db.session.scalars(select(Decision).order_by(Decision.id))]
        assert actions == [Action.HOLD, Action.REDACT, Action.PUBLISH]
        audited = set(db.session.scalars(select(AuditEvent.action)))
        assert {"contribution.redact", "contribution.publish"} <= audited


def test_ordinary_text_is_published_at_once_under_the_default_policy(app, role_client):
    _answer_survey(app, role_client("resident"), "the park near the station needs lights")
    with app.app_context():
        assert db.session.scalar(select(Contribution)).status == ContributionStatus.PUBLISHED


def test_abuse_words_from_the_editable_list_hold_text(app, role_client):
    role_client("moderator").post(
        "/moderation/settings/", data={"term-phrase": "Numpty", "term-submit": "Add"}
    )
    with app.app_context():
        assert db.session.scalar(select(AbuseTerm.phrase)) == "numpty"
    _answer_survey(app, role_client("resident"), "the council are numpties? no, one numpty")
    with app.app_context():
        assert db.session.scalar(select(Contribution)).hold_reasons == ["abuse"]


def test_rejecting_tells_the_author_why_and_the_log_counts_it(app, role_client, users):
    with app.app_context():
        seed_templates()
        consultation = make_consultation()
        author = db.session.get(User, users["resident"].id)
        item = make_contribution(consultation, author=author)
        item_id, slug = item.id, consultation.slug
    role_client("moderator").post(
        f"/moderation/{item_id}/reject",
        data={"reject-template": "off_topic", "reject-note": "Try the roads one"},
    )
    with app.app_context():
        assert db.session.get(Contribution, item_id).status == ContributionStatus.REJECTED
        (mail,) = outbox(template="contribution_rejected")
        assert mail.to_address == users["resident"].email
        assert (
            "It was not about this consultation." in mail.text_body
            and "Try the roads one" in mail.text_body
        )
    log = role_client("visitor").get(f"/consultations/{slug}/moderation").get_data(as_text=True)
    assert "Off topic" in log and "Try the roads one" not in log
    assert "long long" not in log  # never the content


def test_three_different_people_reporting_hides_a_contribution(app, role_client, users):
    with app.app_context():
        item_id = make_contribution(make_consultation(), status="published").id
        reporters = [make_user() for _ in range(3)]
        for reporter in reporters:
            db.session.refresh(reporter)
    from tests.conftest import sign_in_client

    first = sign_in_client(app, reporters[0])
    first.post(f"/contributions/{item_id}/report", data={"reason": "spam"})
    first.post(f"/contributions/{item_id}/report", data={"reason": "spam"})  # the same person again
    sign_in_client(app, reporters[1]).post(
        f"/contributions/{item_id}/report", data={"reason": "abusive"}
    )
    with app.app_context():
        assert db.session.get(Contribution, item_id).status == ContributionStatus.PUBLISHED
    page = sign_in_client(app, reporters[2]).post(
        f"/contributions/{item_id}/report", data={"reason": "spam"}
    )
    assert "Thank you for your report" in page.get_data(as_text=True)
    with app.app_context():
        hidden = db.session.get(Contribution, item_id)
        assert hidden.status == ContributionStatus.HIDDEN and "reports" in hidden.hold_reasons
    # Hidden content cannot be reported (or seen) by the public any more.
    assert role_client("resident").get(f"/contributions/{item_id}/report").status_code == 404
    queue = (
        role_client("moderator")
        .get("/moderation/?status=hidden&sort=reports")
        .get_data(as_text=True)
    )
    assert "Reported" in queue


def test_safeguarding_reports_alert_the_leads_at_once(app, role_client, users):
    with app.app_context():
        lead = db.session.get(User, users["moderator"].id)
        lead.safeguarding_lead = True
        db.session.commit()
        item_id = make_contribution(make_consultation(), status="published", by_youth=True).id
    role_client("resident").post(
        f"/contributions/{item_id}/report", data={"reason": "safeguarding"}
    )
    with app.app_context():
        (alert,) = outbox(template="safeguarding_alert")
        assert alert.to_address == users["moderator"].email
        assert f"/moderation/{item_id}" in alert.text_body
        assert "long long" not in alert.text_body  # the mail carries a link, not the content


def test_bulk_publish_and_the_youth_filter(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        youth_ids = [make_contribution(consultation, by_youth=True).id for _ in range(2)]
        adult_id = make_contribution(consultation).id
    moderator = role_client("moderator")
    youth_queue = moderator.get("/moderation/?age=youth").get_data(as_text=True)
    assert "2 contributions" in youth_queue
    moderator.post("/moderation/bulk", data={"selected": youth_ids, "action": "publish"})
    with app.app_context():
        statuses = {c.id: c.status for c in db.session.scalars(select(Contribution))}
    assert statuses == {
        youth_ids[0]: ContributionStatus.PUBLISHED,
        youth_ids[1]: ContributionStatus.PUBLISHED,
        adult_id: ContributionStatus.PENDING,
    }


def test_hide_and_restore_never_delete(app, role_client):
    with app.app_context():
        item_id = make_contribution(make_consultation(), status="published").id
    moderator = role_client("moderator")
    moderator.post(f"/moderation/{item_id}/hide", data={"hide-note": "duplicate"})
    moderator.post(f"/moderation/{item_id}/restore")
    with app.app_context():
        assert db.session.get(Contribution, item_id).status == ContributionStatus.PENDING


def test_queue_queries_do_not_grow_with_contributions(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        make_contribution(consultation)
    moderator = role_client("moderator")
    with count_queries(app) as few:
        moderator.get("/moderation/")
    with app.app_context():
        consultation = db.session.scalar(select(type(consultation)))
        for _ in range(20):
            make_contribution(consultation, commit=False)
        db.session.commit()
    with count_queries(app) as many:
        moderator.get("/moderation/")
    assert len(many) == len(few)


def test_moderators_keep_an_abuse_list_per_language(app, role_client):
    moderator = role_client("moderator")
    for phrase, language in (("병신", "ko"), ("kurw*", "pl"), ("حمار", "ar")):
        moderator.post(
            "/moderation/settings/",
            data={"term-phrase": phrase, "term-language": language, "term-submit": "Add"},
        )
    page = moderator.get("/moderation/settings/").get_data(as_text=True)
    assert "한국어" in page and "Polski" in page and "العربية" in page
    assert '<span lang="ko" dir="auto">병신</span>' in page
    with app.app_context():
        assert dict(db.session.execute(select(AbuseTerm.phrase, AbuseTerm.language)).all()) == {
            "병신": "ko",
            "kurw*": "pl",
            "حمار": "ar",
        }
    # Every list applies to every contribution: people mix languages.
    _answer_survey(app, role_client("resident"), "The park is fine, ale ci kurwiarze z bloku")
    with app.app_context():
        assert db.session.scalar(select(Contribution)).hold_reasons == ["abuse"]
