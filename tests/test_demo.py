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
        assert db.session.scalar(select(func.count()).select_from(Consultation)) == 4
        assert db.session.scalar(select(func.count()).select_from(Response)) == 80
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
    for slug, _phase in consultations:
        assert client.get(f"/consultations/{slug}").status_code == 200
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
        assert stages == {ProjectStage.CO_DESIGN, ProjectStage.EVALUATED}
        group_id, youth_name = group.id, youth.display_name
        project_ids = list(db.session.scalars(select(Project.id)))
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
