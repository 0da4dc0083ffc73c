"""The home page (what is open, what came of it, who took part) and each role's landing page."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from community.accounts.models import Organisation, Role
from community.extensions import db
from community.models_base import utcnow
from community.plan import service as plan_service
from community.plan.models import ActionStatus, PlanAction
from community.surveys.models import Response, ResponseStatus
from tests.conftest import sign_in_client
from tests.support.factories import make_consultation, make_contribution, make_survey, make_user


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html.replace("&amp;", "&")))


def test_home_lists_what_is_open_closing_soonest_first_with_one_tap_to_the_survey(app, client):
    with app.app_context():
        later = make_consultation(title="Later one")
        sooner = make_consultation(title="Sooner one")
        sooner.closes_at = utcnow() + timedelta(days=3, hours=1)
        later.closes_at = utcnow() + timedelta(days=20, hours=1)
        draft = make_consultation(title="Secret draft", phase="draft")
        survey = make_survey(sooner, [("Part", [{"kind": "short_text", "text": "Why?"}])])
        outcome = make_consultation(title="Finished one", phase="outcome")
        make_contribution(sooner, status="published")
        make_contribution(sooner, status="pending")
        db.session.commit()
        survey_id, outcome_slug, draft_title = survey.id, outcome.slug, draft.title

    page = client.get("/").get_data(as_text=True)
    assert page.index("Sooner one") < page.index("Later one")
    assert "3 days left" in page and "20 days left" in page
    assert f'href="/surveys/{survey_id}"' in page  # one tap from the home page
    assert draft_title not in page
    assert f"/consultations/{outcome_slug}/outcome" in page
    figures = re.search(r"Ideas, comments and statements published</dt><dd[^>]*>(\d+)<", page)
    assert figures and figures.group(1) == "1"  # the held one is not counted
    assert client.get(f"/surveys/{survey_id}").status_code == 200


def test_home_says_so_when_nothing_is_open(client):
    page = client.get("/").get_data(as_text=True)
    assert "Nothing is open right now." in page
    assert "No outcomes are published yet." in page


def test_sign_in_lands_on_the_page_for_your_role(app, client):
    with app.app_context():
        make_user(Role.OFFICER, email="lands@example.com")
    response = client.post(
        "/sign-in", data={"email": "lands@example.com", "password": "correct horse battery"}
    )
    assert response.headers["Location"].endswith("/account")
    page = client.get("/account").get_data(as_text=True)
    assert "For officers" in page and "Waiting for moderation" in page


def test_resident_sees_what_they_started_said_and_follow(app, framework):
    with app.app_context():
        resident = make_user()
        open_one = make_consultation(title="Half done")
        survey = make_survey(open_one, [("Part", [{"kind": "short_text", "text": "Why?"}])])
        db.session.add(
            Response(survey_id=survey.id, user_id=resident.id, status=ResponseStatus.IN_PROGRESS)
        )
        make_contribution(open_one, author=resident, status="published")
        from community.consultations import service as consultations

        consultations.follow(resident, consultation=open_one)
        db.session.commit()
        survey_id, slug = survey.id, open_one.slug
        db.session.refresh(resident)
    page = sign_in_client(app, resident).get("/account").get_data(as_text=True)
    links = _links(page)
    assert f"/surveys/{survey_id}" in links and "Started, not sent" in page
    assert "/account/what-happened" in links
    assert f"/consultations/{slug}" in links and "You follow this consultation" in page
    assert "For officers" not in page and "Waiting for moderation" not in page


def test_moderator_sees_held_and_reported_items_by_age_linking_to_the_queue(app, framework):
    with app.app_context():
        moderator = make_user(Role.MODERATOR)
        consultation = make_consultation()
        old = make_contribution(consultation, status="pending")
        old.created_at = utcnow() - timedelta(days=5)
        make_contribution(consultation, status="pending")
        db.session.commit()
        db.session.refresh(moderator)
    client = sign_in_client(app, moderator)
    page = client.get("/account").get_data(as_text=True)
    assert "Held for a decision, waiting over 3 days" in page
    older = "/moderation/?status=pending&waited=3-&sort=oldest"
    assert older in _links(page)
    listed = client.get(older).get_data(as_text=True)
    assert "1 contribution" in listed  # only the five-day-old one
    assert "2 contributions" in client.get("/moderation/?status=pending").get_data(as_text=True)


def test_officer_sees_closing_untagged_outcomes_due_and_overdue_actions(app, framework):
    with app.app_context():
        plan_service.seed_plan(app.config["PLAN_FILE"])
        officer = make_user(Role.OFFICER)
        closing = make_consultation(title="Closing soon")
        closed = make_consultation(title="Closed, no outcome", phase="closed")
        make_contribution(closing, status="published")
        action = db.session.scalar(select(PlanAction).order_by(PlanAction.id))
        action.due_on = date.today() - timedelta(days=1)
        action.status = ActionStatus.IN_PROGRESS
        db.session.commit()
        closing_id, closed_id, action_id = closing.id, closed.id, action.id
        db.session.refresh(officer)
    client = sign_in_client(app, officer)
    page = client.get("/account").get_data(as_text=True)
    links = _links(page)
    assert f"/manage/consultations/{closing_id}" in links
    assert f"/tagging/{closing_id}/contributions?untagged=yes" in links
    assert f"/manage/consultations/{closed_id}/findings" in links
    assert "/plan/?overdue=yes" in links and "/partnership/evidence" in links
    overdue = client.get("/plan/?overdue=yes").get_data(as_text=True)
    assert f"/plan/actions/{action_id}" in overdue and "Overdue" in overdue
    assert "Overdue" in client.get(f"/plan/actions/{action_id}").get_data(as_text=True)
    # The page where officers manage a consultation links to creating an idea board.
    show = client.get(f"/manage/consultations/{closing_id}").get_data(as_text=True)
    assert f"/manage/consultations/{closing_id}/boards/new" in show


def test_partner_sees_the_actions_their_organisation_leads_overdue_first(app, framework):
    with app.app_context():
        plan_service.seed_plan(app.config["PLAN_FILE"])
        partner = make_user(Role.PARTNER)
        partner.organisation = Organisation.POLICE
        ours = db.session.scalars(
            select(PlanAction)
            .where(PlanAction.lead_organisation == Organisation.POLICE)
            .order_by(PlanAction.id)
        ).all()
        assert len(ours) >= 2
        ours[-1].due_on = date.today() - timedelta(days=3)
        ours[-1].status = ActionStatus.PLANNED
        ours[0].due_on = date.today() + timedelta(days=300)
        db.session.commit()
        late, on_time = ours[-1], ours[0]
        late_ref, on_time_ref = f"{late.reference} {late.title}", f"{on_time.reference}"
        db.session.refresh(partner)
    page = sign_in_client(app, partner).get("/account").get_data(as_text=True)
    assert "Actions your organisation leads" in page
    assert page.index(late_ref) < page.index(f">{on_time_ref} ")
    assert "Overdue: was due" in page


def test_group_leader_sees_drafts_waiting_and_projects_by_stage(app, framework):
    from community.groups.models import ProjectStage
    from tests.groups.factories import add_member, make_group, make_project

    with app.app_context():
        leader = make_user(Role.GROUP_LEADER)
        youth = make_user(Role.YOUTH)
        group = make_group(leader)
        add_member(group, youth)
        make_project(group, youth)
        make_project(group, youth, stage=ProjectStage.CO_DESIGN, status="published")
        group_id = group.id
        db.session.refresh(leader)
    page = sign_in_client(app, leader).get("/account").get_data(as_text=True)
    assert "drafts waiting to be submitted" in page
    assert f"/groups/{group_id}#projects" in _links(page)


def test_home_figures_are_counted_once_a_minute_not_on_every_view(app, client, without_page_cache):
    """Counting every response and vote on each view was most of the home page's time."""
    from community import shortcache
    from community.main import home
    from tests.conftest import count_queries

    with app.app_context():
        make_contribution(make_consultation(), status="published")
        db.session.commit()
    published = r"Ideas, comments and statements published</dt><dd[^>]*>(\d+)<"
    with count_queries(app) as first:
        assert re.search(published, client.get("/").get_data(as_text=True)).group(1) == "1"
    with count_queries(app) as again:
        client.get("/")
    assert len(again) == len(first) - 4  # the four counts are not run again
    with app.app_context():
        make_contribution(make_consultation(), status="published")
        db.session.commit()
    assert home.FIGURES_SECONDS <= 60
    shortcache.forget("home_figures")  # as when the minute is up
    assert re.search(published, client.get("/").get_data(as_text=True)).group(1) == "2"


def test_home_reads_only_what_it_shows_of_the_open_consultations(app, client, framework):
    """Not the terms, the surveys' sections and questions, nor a conversation's stored
    results (about 110 KB of JSON at 1,000 x 100): 6 ms of a 17 ms page before."""
    from community.conversations.models import Conversation
    from community.framework.models import Term
    from tests.conftest import count_queries

    with app.app_context():
        terms = list(db.session.scalars(select(Term).limit(3)))
        for n in range(3):
            consultation = make_consultation(title=f"Open {n}", terms=terms)
            make_survey(consultation, [("Part", [{"kind": "short_text", "text": "Why?"}])])
            db.session.add(
                Conversation(
                    consultation=consultation,
                    question=f"Question {n}",
                    results={"statements": {str(i): {"agree": i} for i in range(500)}},
                    cluster_state={"in_conv": list(range(500))},
                )
            )
        db.session.commit()
    client.get("/")  # the figures are counted once a minute
    with count_queries(app) as statements:
        page = client.get("/").get_data(as_text=True)
    assert page.count("Answer the survey") == 3 and page.count("Vote on statements") == 3
    read = " ".join(statements)
    for table in ("terms", "survey_sections", "survey_questions"):
        assert f"FROM {table}" not in read and f"JOIN {table}" not in read, table
    assert "conversations.results," not in read and "conversations.cluster_state" not in read
    assert len(statements) <= 6, statements
