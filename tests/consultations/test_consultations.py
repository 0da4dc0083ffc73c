"""Consultations: lifecycle, public pages, officers' builder, following."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from community.audit.models import AuditEvent
from community.consultations.models import Consultation, Follow, Phase
from community.consultations.phases import PHASE_ALLOWS
from community.consultations.service import notify_openings
from community.extensions import db
from community.framework.models import Term
from tests.conftest import count_queries
from tests.support.factories import make_consultation, make_consultations_about, make_user
from tests.support.mail import outbox

PHASES = ["draft", "scheduled", "open", "closed", "outcome"]


@pytest.mark.parametrize("phase", PHASES)
def test_phase_is_derived_from_dates_in_python_and_in_sql(app, phase):
    with app.app_context():
        consultation = make_consultation(phase=phase)
        assert consultation.phase == Phase(phase)
        in_sql = db.session.scalar(select(Consultation.id).where(Consultation.phase == phase))
        assert in_sql == consultation.id


def test_each_phase_declares_what_it_allows():
    assert set(PHASE_ALLOWS) == set(Phase)
    assert [p for p, allows in PHASE_ALLOWS.items() if allows["respond"]] == [Phase.OPEN]
    assert PHASE_ALLOWS[Phase.CLOSED]["results"] == "public"


def test_drafts_are_hidden_from_everyone_but_officers(app, role_client):
    with app.app_context():
        slug = make_consultation(phase="draft").slug
    for role in ("visitor", "resident", "youth", "moderator", "partner"):
        assert role_client(role).get(f"/consultations/{slug}").status_code == 404, role
        assert slug not in role_client(role).get("/consultations/").get_data(as_text=True)
    page = role_client("officer").get(f"/consultations/{slug}").get_data(as_text=True)
    assert "This is a draft" in page


def test_public_list_filters_by_status_issue_and_ward(app, client, framework):
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        tolworth = db.session.scalar(select(Term).where(Term.code == "tolworth"))
        make_consultation(title="Open road safety", terms=[road, tolworth])
        make_consultation(title="Closed one", phase="closed")
        make_consultation(title="Coming soon", phase="scheduled")
    everything = client.get("/consultations/").get_data(as_text=True)
    assert "3 consultations" in everything
    assert "Closes in 9 days" in everything or "Closes in 10 days" in everything
    assert "Opening soon" in everything
    only_open = client.get("/consultations/?status=open").get_data(as_text=True)
    assert "Open road safety" in only_open and "Closed one" not in only_open
    by_issue = client.get("/consultations/?issue=road-safety").get_data(as_text=True)
    assert "1 consultation" in by_issue and "Open road safety" in by_issue
    by_ward = client.get("/consultations/?ward=tolworth").get_data(as_text=True)
    assert "Open road safety" in by_ward and "Coming soon" not in by_ward
    nonsense = client.get("/consultations/?status=nonsense")
    assert nonsense.status_code == 200  # a bad filter is ignored, never an error


def test_list_queries_do_not_grow_with_consultations(app, client, framework):
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        make_consultation(terms=[road])
    with count_queries(app) as few:
        client.get("/consultations/")
    with app.app_context():
        make_consultations_about("road-safety", 15)
    with count_queries(app) as many:
        client.get("/consultations/")
    assert len(many) == len(few)
    # The list shows no consultation's terms, so it does not read them (issue 15).
    assert not [s for s in many if s.lstrip().startswith("SELECT consultation_terms")], many


def test_consultation_page_escapes_and_counts_down(app, client):
    with app.app_context():
        slug = make_consultation().slug
    page = client.get(f"/consultations/{slug}").get_data(as_text=True)
    assert "Safer streets &lt;b&gt;tonight&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "Open now. Closes in" in page


def _form(**changes):
    today = date.today()
    opens, closes = today + timedelta(days=1), today + timedelta(days=28)
    data = {
        "title": "Lighting in <Canbury> Gardens",
        "summary": "Tell us where you feel unsafe after dark.",
        "body": '<h2>Background</h2><p>Text <a href="https://example.org">link</a></p>'
        '<script>alert(1)</script><img src=x onerror=alert(2)><p style="color:red">x</p>',
        "why_asking": "Because",
        "how_used": "To plan",
        "opens_on": [opens.day, opens.month, opens.year],
        "closes_on": [closes.day, closes.month, closes.year],
        "contact_name": "Community safety team",
        "contact_email": "team@example.org",
        "documents": "Partnership Plan | https://example.org/plan.pdf",
        "moderation_policy": "pre_youth_anon",
        "audience": "everyone",
        "allow_anonymous": "yes",
        "results_public": "yes",
    }
    data.update(changes)
    return data


def test_officer_builds_and_publishes_a_consultation(app, role_client, framework):
    officer = role_client("officer")
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety")).id
    response = officer.post("/manage/consultations/new", data={**_form(), "issues": [road]})
    assert response.status_code == 302
    with app.app_context():
        consultation = db.session.scalar(select(Consultation))
        assert consultation.phase == Phase.DRAFT
        assert consultation.slug == "lighting-in-canbury-gardens"
        assert "<script>" not in consultation.body_html and "onerror" not in consultation.body_html
        assert "style=" not in consultation.body_html
        assert '<h2 class="govuk-heading-m">Background</h2>' in consultation.body_html
        assert consultation.documents == [
            {"title": "Partnership Plan", "url": "https://example.org/plan.pdf"}
        ]
        assert [t.code for t in consultation.terms] == ["road-safety"]
        assert consultation.allow_anonymous is True
        cid = consultation.id
    officer.post(f"/manage/consultations/{cid}/publish")
    with app.app_context():
        consultation = db.session.get(Consultation, cid)
        assert consultation.phase == Phase.SCHEDULED
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["consultation.created", "consultation.published"]
    officer.post(f"/manage/consultations/{cid}/unpublish")
    with app.app_context():
        assert db.session.get(Consultation, cid).phase == Phase.DRAFT


def test_editing_shows_saved_values_and_keeps_them(app, role_client, framework):
    officer = role_client("officer")
    officer.post("/manage/consultations/new", data=_form())
    with app.app_context():
        cid = db.session.scalar(select(Consultation.id))
    page = officer.get(f"/manage/consultations/{cid}/edit").get_data(as_text=True)
    assert "Partnership Plan | https://example.org/plan.pdf" in page
    assert 'value="Lighting in &lt;Canbury&gt; Gardens"' in page
    officer.post(f"/manage/consultations/{cid}/edit", data=_form(title="New title"))
    with app.app_context():
        assert db.session.get(Consultation, cid).title == "New title"


def test_builder_explains_bad_input_and_saves_nothing(app, role_client, framework):
    officer = role_client("officer")
    page = officer.post(
        "/manage/consultations/new",
        data=_form(closes_on=[1, 1, date.today().year - 1], documents="just words"),
    ).get_data(as_text=True)
    assert "There is a problem" in page
    assert "The closing date must be on or after the opening date" in page
    missing = officer.post("/manage/consultations/new", data={}).get_data(as_text=True)
    assert "Enter a title" in missing and "Enter a summary" in missing
    bad_docs = officer.post("/manage/consultations/new", data=_form(documents="just words"))
    assert "needs a web address" in bad_docs.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Consultation)) is None


def test_publishing_needs_dates(app, role_client):
    with app.app_context():
        consultation = make_consultation(phase="draft")
        consultation.opens_at = None
        db.session.commit()
        cid = consultation.id
    response = role_client("officer").post(f"/manage/consultations/{cid}/publish")
    assert response.status_code == 302
    page = role_client("officer").get(f"/manage/consultations/{cid}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Consultation, cid).published_at is None
    assert "Draft" in page


def test_followers_hear_once_when_it_opens_and_can_unsubscribe_in_one_click(app, client, framework):
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        consultation = make_consultation(terms=[road])
        direct = make_user(email="direct@example.com")
        by_issue = make_user(email="issue@example.com")
        both = make_user(email="both@example.com")
        db.session.add_all(
            [
                Follow(user_id=direct.id, consultation_id=consultation.id),
                Follow(user_id=by_issue.id, term_id=road.id),
                Follow(user_id=both.id, term_id=road.id),
                Follow(user_id=both.id, consultation_id=consultation.id),
            ]
        )
        db.session.commit()
    with app.test_request_context():
        assert notify_openings() == 3
        assert notify_openings() == 0  # told once
        mails = outbox(template="consultation_opened")
        assert sorted(m.to_address for m in mails) == [
            "both@example.com",
            "direct@example.com",
            "issue@example.com",
        ]
        unsubscribe = [line for line in mails[0].text_body.splitlines() if "/unsubscribe/" in line][
            0
        ]
        path = unsubscribe[unsubscribe.index("/consultations/unsubscribe/") :]
    assert "You have unsubscribed" in client.get(path).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Follow).where(Follow.user_id == mails[0].user_id)) in (
            None,
            *db.session.scalars(select(Follow)),
        )
        assert len(list(db.session.scalars(select(Follow)))) == 3
    assert client.get(path).status_code == 200  # a second click is harmless


def test_residents_follow_and_unfollow_from_the_page(app, role_client, users):
    with app.app_context():
        slug = make_consultation().slug
    resident = role_client("resident")
    resident.post(f"/consultations/{slug}/follow")
    resident.post(f"/consultations/{slug}/follow")  # twice is still once
    with app.app_context():
        assert len(list(db.session.scalars(select(Follow)))) == 1
    assert "Stop following" in resident.get(f"/consultations/{slug}").get_data(as_text=True)
    resident.post(f"/consultations/{slug}/unfollow")
    with app.app_context():
        assert list(db.session.scalars(select(Follow))) == []


def test_publishing_the_outcome_tells_each_follower_once(app, role_client, framework):
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        consultation = make_consultation(phase="closed", terms=[road])
        direct, by_issue = (
            make_user(email="direct@example.com"),
            make_user(email="road@example.com"),
        )
        db.session.add_all(
            [
                Follow(user_id=direct.id, consultation_id=consultation.id),
                Follow(user_id=by_issue.id, term_id=road.id),
            ]
        )
        db.session.commit()
        cid, slug = consultation.id, consultation.slug
        opened = make_consultation(phase="open")
        open_id = opened.id
        from community.plan.models import Finding, FindingResponse, ResponseKind

        for item in (consultation, opened):  # each has a finding, answered
            finding = Finding(consultation_id=item.id, statement="People asked for crossings")
            finding.response = FindingResponse(
                kind=ResponseKind.NOT_TAKEN_FORWARD, explanation="No budget"
            )
            db.session.add(finding)
        db.session.commit()
    officer = role_client("officer")
    officer.post(f"/manage/consultations/{open_id}/outcome/publish")  # not closed: refused
    officer.post(f"/manage/consultations/{cid}/outcome/publish")
    officer.post(f"/manage/consultations/{cid}/outcome/publish")  # already published: refused
    with app.app_context():
        assert db.session.get(Consultation, cid).phase == Phase.OUTCOME
        assert db.session.get(Consultation, open_id).outcome_published_at is None
        mails = outbox(template="consultation_outcome")
        assert sorted(m.to_address for m in mails) == ["direct@example.com", "road@example.com"]
        assert all(f"/consultations/{slug}" in m.text_body for m in mails)


def test_following_twice_at_once_without_a_token_follows_once_and_never_fails(app, users):
    """Two follows at the same moment from a page or script without the form's token:
    both find no follow and insert; the second meets the first's row and runs again."""
    from tests.conftest import sign_in_client
    from tests.support.concurrency import at_once

    with app.app_context():
        slug = make_consultation().slug
    clients = [sign_in_client(app, users["resident"]) for _ in range(8)]
    codes = at_once(lambda c: c.post(f"/consultations/{slug}/follow").status_code, clients)
    assert codes == [302] * len(clients)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Follow)) == 1
