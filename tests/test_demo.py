"""`flask demo` gives a working site: every demo page renders for the roles that use it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.consultations.models import Consultation
from community.extensions import db
from community.surveys.models import Response, Survey
from tests.conftest import sign_in_client


@pytest.mark.slow  # the whole demo borough
def test_demo_loads_once_and_its_pages_work(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo account admin@example.com" in first.output
    assert "80 responses" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "Demo account" not in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consultation)) == 10
        assert db.session.scalar(select(func.count()).select_from(Response)) == 80 + 342
        consultations = [(c.slug, c.phase) for c in db.session.scalars(select(Consultation))]
        open_survey = db.session.scalar(
            select(Survey)
            .join(Consultation)
            .where(Consultation.slug == "safe-at-night-kingston-town-centre")
        )
        survey_id = open_survey.id
        from community.accounts.models import User

        resident = db.session.scalar(select(User).where(User.email == "resident@example.com"))
        from community.conversations.models import Conversation

        conversation = db.session.scalar(select(Conversation))
        assert conversation.results["participants"] == 26  # the London Pol.is conversation
        conversation_id = conversation.id
    client = app.test_client()
    assert client.get("/consultations/").status_code == 200
    results = client.get(f"/conversations/{conversation_id}/results").get_data(as_text=True)
    assert "Computational Democracy Project" in results and "Opinion group 1" in results
    for slug, phase in consultations:
        expected = 404 if phase == "draft" else 200  # drafts are for officers only
        assert client.get(f"/consultations/{slug}").status_code == expected, slug
    resident_client = sign_in_client(app, resident)
    step = resident_client.post(f"/surveys/{survey_id}/begin")
    page = resident_client.get(step.headers["Location"])
    assert page.status_code == 200
    assert "How often are you in Kingston town centre after 6pm?" in page.get_data(as_text=True)
    with app.app_context():
        sections = [s.id for s in db.session.get(Survey, survey_id).sections]
    for section_id in sections:
        assert resident_client.get(f"/surveys/{survey_id}/sections/{section_id}").status_code == 200
    assert resident_client.get(f"/surveys/{survey_id}/about-you").status_code == 200
    assert resident_client.get(f"/surveys/{survey_id}/check").status_code == 200

    # The demo group leader leads a youth club with the demo youth member in it, and its
    # projects are public under the club's name (never the young person's).
    from community.groups.models import Group, Project, ProjectStage

    assert "Demo group: Cambridge Road Youth Club" in first.output
    with app.app_context():
        leader = db.session.scalar(select(User).where(User.email == "leader@example.com"))
        youth = db.session.scalar(select(User).where(User.email == "youth@example.com"))
        group = db.session.scalar(select(Group).where(Group.leader_id == leader.id))
        assert group.is_active and group.invite_code
        stages = {p.stage for p in db.session.scalars(select(Project))}
        assert stages == set(ProjectStage)  # every stage, so every screen has an example
        group_id, youth_name = group.id, youth.display_name
        project_ids = list(db.session.scalars(select(Project.id).where(Project.is_listed)))
        assert db.session.scalar(select(func.count()).select_from(Group)) == 1  # not twice
    leader_page = sign_in_client(app, leader).get(f"/groups/{group_id}").get_data(as_text=True)
    assert "You lead this group" in leader_page and "Our streets, our heroes" in leader_page
    members = sign_in_client(app, leader).get(f"/groups/{group_id}/members")
    assert youth_name in members.get_data(as_text=True)
    for path in ["/groups/", f"/groups/{group_id}"] + [f"/projects/{i}" for i in project_ids]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert youth_name not in page.get_data(as_text=True), path
    assert "Cambridge Road Youth Club" in client.get("/groups/").get_data(as_text=True)


def test_the_demo_borough_exercises_every_feature(app):
    """What ``flask demo`` builds: phases, answers across wards and ages, an idea board,
    actions at every status, partner figures, and accounts that can do their jobs."""
    from collections import Counter

    from community.accounts.models import Organisation, User
    from community.ideas.models import Comment, Idea, Support
    from community.models_base import utcnow
    from community.partners.models import PartnerFigure
    from community.plan.models import ActionStatus, PlanAction
    from community.surveys.models import AboutYouAnswer

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        consultations = db.session.scalars(select(Consultation)).all()
        phases = Counter(c.phase for c in consultations)
        assert all(phases[p] >= 2 for p in ("draft", "scheduled", "open", "closed")), phases
        assert phases["outcome"] >= 1
        soon = [c for c in consultations if c.phase == "open" and c.days_left() <= 5]
        assert soon, "one consultation closes in a few days"
        about = Counter((a.key, a.value) for a in db.session.scalars(select(AboutYouAnswer)))
        wards = {v for k, v in about if k == "ward"}
        bands = {v for k, v in about if k == "age_band"}
        assert len(wards) == 19 and len(bands) == 9
        assert db.session.scalar(select(func.count()).select_from(Idea)) >= 30
        assert db.session.scalar(select(func.count()).select_from(Support)) >= 100
        assert db.session.scalar(select(func.count()).select_from(Comment)) >= 20
        actions = db.session.scalars(select(PlanAction)).all()
        assert {a.status for a in actions} == set(ActionStatus)
        today = utcnow().date()
        assert any(
            a.due_on and a.due_on < today and a.status != ActionStatus.DONE for a in actions
        ), "one action is overdue"
        assert db.session.scalar(select(func.count()).select_from(PartnerFigure)) > 100
        partner = db.session.scalar(select(User).where(User.email == "partner@example.com"))
        assert partner.organisation == Organisation.POLICE
        led = [a for a in actions if a.lead_organisation == Organisation.POLICE]
        assert led, "the partner's organisation leads actions"
        action_id = led[0].id
        from community.insights import service as insights

        for survey in db.session.scalars(select(Survey)):
            if survey.consultation.slug not in ("safer-neighbourhoods-priorities",):
                continue
            for grouping in ("ward", "age_band"):
                items = insights.survey_consensus(survey, grouping)
                assert items and all(item.consensus is not None for item in items), grouping
                assert all(len(item.groups) >= 5 for item in items), grouping
                assert all(item.left_out < item.overall.n / 4 for item in items), grouping
    # The partner can open the update form of an action their organisation leads.
    page = sign_in_client(app, partner).get(f"/manage/plan/actions/{action_id}/update")
    assert page.status_code == 200
