"""From evidence to the plan: findings, frozen figures, responses, outcomes, closing the loop."""

from __future__ import annotations

import io

import pytest
from flask import g
from openpyxl import load_workbook
from sqlalchemy import func, select

from community.accounts.models import Organisation, Role, User
from community.consultations.models import Consultation, Phase
from community.extensions import db
from community.framework.models import Term, Vocabulary
from community.notifications.models import OutboxMessage
from community.plan import outcomes, service
from community.plan.evidence import finding_figures
from community.plan.findings import add_evidence, create_finding, set_response
from community.plan.models import (
    ActionStatus,
    EvidenceKind,
    Finding,
    PlanAction,
    Priority,
    ResponseKind,
)
from community.surveys.models import AboutYouAnswer, Answer, Response, ResponseStatus
from community.tagging.models import Tag, Theme
from tests.conftest import count_queries, sign_in_client
from tests.support.concurrency import at_once
from tests.support.factories import make_consultation, make_contribution, make_survey, make_user
from tests.support.mail import link_in, outbox

LIKERT = {"kind": "likert", "text": "Street lighting makes me feel safer", "required": False}


def _term(vocabulary: str, code: str) -> Term:
    return db.session.scalar(
        select(Term).join(Vocabulary).where(Vocabulary.code == vocabulary, Term.code == code)
    )


def _seed_plan(app):
    service.seed_plan(app.config["PLAN_FILE"])
    db.session.commit()


def _respond(survey, user=None, *, agree=5, ward="norbiton", age="25_34", hear_back=True):
    question = survey.questions[0]
    response = Response(
        survey_id=survey.id,
        user_id=user.id if user else None,
        status=ResponseStatus.SUBMITTED,
        hear_back=hear_back,
        submitted_at=func.now(),
    )
    db.session.add(response)
    db.session.flush()
    db.session.add(Answer(response_id=response.id, question_id=question.id, value=agree))
    for key, value in (("ward", ward), ("age_band", age)):
        if value:
            db.session.add(AboutYouAnswer(response_id=response.id, key=key, value=value))
    return response


def _closed_consultation(app, respondents: int = 6, tagged: int = 3):
    """A closed consultation with a survey, respondents who asked to hear back, a tagged theme."""
    issue = _term("issue", "anti-social-behaviour")
    ward = _term("area", "norbiton")
    consultation = make_consultation(phase="closed", terms=[issue, ward], commit=False)
    survey = make_survey(
        consultation, [("Your views", [LIKERT])], about_you=("ward", "age_band"), commit=False
    )
    people = [make_user(commit=False) for _ in range(respondents)]
    db.session.flush()
    for person in people:
        _respond(survey, person)
    theme = Theme(consultation_id=consultation.id, code="lighting", name="Street lighting")
    theme.terms = [issue, _term("principle", "PH3")]
    db.session.add(theme)
    db.session.flush()
    quotes = []
    for i in range(tagged):
        quote = make_contribution(
            consultation,
            status="published",
            body=f"The lights on the path are broken {i}",
            author=people[i % len(people)],
            commit=False,
        )
        db.session.flush()
        db.session.add(Tag(contribution_id=quote.id, theme_id=theme.id))
        quotes.append(quote)
    db.session.commit()
    return consultation, survey, theme, people, quotes


def _finding(consultation, survey, theme, officer, action=None):
    finding = create_finding(
        consultation,
        "People want the paths lit",
        [_term("issue", "anti-social-behaviour")],
        officer,
    )
    add_evidence(finding, EvidenceKind.THEME, theme.id, officer)
    add_evidence(finding, EvidenceKind.QUESTION, survey.questions[0].id, officer)
    if action is not None:
        set_response(
            finding, ResponseKind.EXISTING_ACTION, "Already lighting paths", officer, action=action
        )
    return finding


def test_the_plan_is_seeded_once_and_shown_with_each_action(app, ctx, framework, client):
    assert service.seed_plan(app.config["PLAN_FILE"]) is True
    db.session.commit()
    assert service.seed_plan(app.config["PLAN_FILE"]) is False  # idempotent
    priorities = db.session.scalars(select(Priority)).all()
    actions = db.session.scalars(select(PlanAction)).all()
    assert len(priorities) == 5 and len(actions) == 7
    youth = next(p for p in priorities if "young people" in p.title)
    assert {t.code for t in youth.terms} >= {"serious-violence-and-knife-crime", "PH1", "C4"}
    page = client.get("/plan/").get_data(as_text=True)
    for action in actions:
        assert action.title in page
    assert "In progress" in page and "Metropolitan Police" in page


def test_plan_page_queries_do_not_grow_with_actions(app, ctx, framework, client):
    _seed_plan(app)
    with count_queries(app) as few:
        assert client.get("/plan/").status_code == 200
    priority = db.session.scalar(select(Priority))
    for i in range(30):
        db.session.add(
            PlanAction(
                priority=priority,
                position=10 + i,
                title=f"Extra {i}",
                lead_organisation=Organisation.FIRE,
            )
        )
    db.session.commit()
    with count_queries(app) as many:
        assert client.get("/plan/").status_code == 200
    assert len(many) == len(few)


def test_frozen_figures_do_not_change_when_new_responses_arrive(app, ctx, framework):
    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, people, _quotes = _closed_consultation(app)
    action = db.session.scalar(select(PlanAction))
    finding = _finding(consultation, survey, theme, officer, action)
    db.session.commit()
    totals, per = finding_figures(finding)
    assert per[0]["contributions"] == 3 and per[1]["answered"] == 6
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    frozen = (dict(finding.figures), [dict(e.frozen) for e in finding.evidence])

    # Late arrivals: more answers and more tagged contributions.
    for _ in range(4):
        _respond(survey, make_user(commit=False))
    late = make_contribution(consultation, status="published", commit=False)
    db.session.flush()
    db.session.add(Tag(contribution_id=late.id, theme_id=theme.id))
    db.session.commit()
    db.session.expire_all()
    finding = db.session.get(Finding, finding.id)
    totals, per = finding_figures(finding)
    assert (totals, per) == frozen
    assert per[0]["contributions"] == 3 and per[1]["answered"] == 6
    # …while a live computation would have moved.
    from community.plan.evidence import live

    assert live(finding.evidence[0])["contributions"] == 4
    assert live(finding.evidence[1])["answered"] == 10


@pytest.mark.slow  # 1,000 participants
def test_publishing_to_a_thousand_participants_mails_each_exactly_once(app, ctx, framework):
    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, _people, _q = _closed_consultation(app, respondents=1000)
    # Someone who did not ask to hear back is not mailed.
    _respond(survey, make_user(commit=False), hear_back=False)
    db.session.commit()
    _finding(consultation, survey, theme, officer, db.session.scalar(select(PlanAction)))
    db.session.commit()
    assert outcomes.publish_outcome(consultation, officer) == 1000
    db.session.commit()
    try:
        outcomes.publish_outcome(consultation, officer)
    except service.PlanError:
        db.session.rollback()
    else:
        raise AssertionError("a second publication must be refused")
    assert len(outbox(template="consultation_outcome")) == 1000
    assert db.session.scalar(select(func.count(func.distinct(OutboxMessage.to_address)))) == 1000


def test_two_officers_publishing_at_once_queue_the_mails_once(app, framework):
    with app.app_context():
        _seed_plan(app)
        officers = [make_user(Role.OFFICER) for _ in range(2)]
        consultation, survey, theme, _p, _q = _closed_consultation(app, respondents=40)
        _finding(consultation, survey, theme, officers[0], db.session.scalar(select(PlanAction)))
        db.session.commit()
        cid = consultation.id
        clients = [sign_in_client(app, officer) for officer in officers]
    codes = at_once(
        lambda c: c.post(f"/manage/consultations/{cid}/outcome/publish").status_code, clients
    )
    assert codes == [302, 302]
    with app.app_context():
        assert len(outbox(template="consultation_outcome")) == 40
        assert db.session.get(Consultation, cid).phase == Phase.OUTCOME
        findings = db.session.scalars(select(Finding)).all()
        assert all(f.published_at is not None for f in findings)


def test_outcome_page_suppresses_small_numbers(app, ctx, framework, client):
    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, _people, _q = _closed_consultation(app, respondents=12)
    for _ in range(3):  # three people in Tolworth: shown as "fewer than 5", never 3
        _respond(survey, make_user(commit=False), ward="tolworth")
    _respond(survey, make_user(commit=False), ward="tudor")  # one in Tudor
    db.session.commit()
    _finding(consultation, survey, theme, officer, db.session.scalar(select(PlanAction)))
    db.session.commit()
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}/outcome").get_data(as_text=True)
    assert "We asked" in page and "You said" in page and "We did" in page
    ward_table = page[page.index("by ward") :]
    ward_table = ward_table[: ward_table.index("</table>")]
    assert "Norbiton" in ward_table and ">12<" in ward_table
    assert "Tolworth" in ward_table and "Tudor" in ward_table
    assert ">3<" not in ward_table and ">1<" not in ward_table
    assert ward_table.count("fewer than 5") == 2
    # The theme counted 3 contributions: the public sees "fewer than 5" (and, as the
    # total is small too, no "of N" that would give it away: community/disclosure.py).
    assert "fewer than 5 published contributions in all" in page
    # An analyst sees the true counts (a fresh request user: ctx shares flask.g with requests).
    g.pop("_login_user", None)
    analyst = sign_in_client(app, officer).get(f"/consultations/{consultation.slug}/outcome")
    assert ">3<" in analyst.get_data(as_text=True)


def test_officer_writes_findings_responds_and_publishes_over_http(app, framework):
    with app.app_context():
        _seed_plan(app)
        officer = make_user(Role.OFFICER)
        consultation, survey, theme, people, quotes = _closed_consultation(app)
        priority = db.session.scalar(select(Priority).order_by(Priority.position))
        ids = {
            "c": consultation.id,
            "slug": consultation.slug,
            "theme": theme.id,
            "q": survey.questions[0].id,
            "quote": quotes[0].id,
            "priority": priority.id,
            "person": people[0].email,
            "person_id": people[0].id,
        }
        client = sign_in_client(app, officer)
    # Nothing to publish yet.
    client.post(f"/manage/consultations/{ids['c']}/outcome/publish")
    with app.app_context():
        assert db.session.get(Consultation, ids["c"]).outcome_published_at is None
    # An empty finding is refused with the error summary.
    page = client.post(f"/manage/consultations/{ids['c']}/findings", data={"statement": ""})
    assert "govuk-error-summary" in page.get_data(as_text=True)
    first = client.post(
        f"/manage/consultations/{ids['c']}/findings",
        data={"statement": "Paths need lighting"},
    )
    fid = int(first.headers["Location"].rsplit("/", 1)[1])
    second = client.post(
        f"/manage/consultations/{ids['c']}/findings", data={"statement": "More youth clubs"}
    )
    fid2 = int(second.headers["Location"].rsplit("/", 1)[1])
    assert (
        client.post(
            f"/manage/findings/{fid}/evidence", data={"evidence": f"theme:{ids['theme']}"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/manage/findings/{fid}/evidence", data={"evidence": f"question:{ids['q']}:"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/manage/findings/{fid2}/evidence", data={"contribution": str(ids["quote"])}
        ).status_code
        == 302
    )
    bad = client.post(f"/manage/findings/{fid2}/evidence", data={"contribution": "999999"})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.get_data(as_text=True)
    # A new action needs its title: refused on the form, and nothing is half-saved.
    untitled = client.post(
        f"/manage/findings/{fid}/response",
        data={"kind": "new_action", "priority": str(ids["priority"]), "new_lead": "council"},
    )
    assert untitled.status_code == 400
    assert "govuk-error-summary" in untitled.get_data(as_text=True)
    assert "Enter the new action’s title" in untitled.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Finding, fid).response is None
    # One finding gets a new action; the other is not taken forward (a reason is required).
    client.post(
        f"/manage/findings/{fid}/response",
        data={
            "kind": "new_action",
            "priority": str(ids["priority"]),
            "new_title": "Light the Norbiton paths",
            "new_lead": "council",
            "explanation": "We will light them this winter.",
        },
    )
    refused = client.post(f"/manage/findings/{fid2}/response", data={"kind": "not_taken_forward"})
    assert refused.status_code == 400
    assert "Say why it was not taken forward" in refused.get_data(as_text=True)
    client.post(
        f"/manage/findings/{fid2}/response",
        data={"kind": "not_taken_forward", "explanation": "No budget this year."},
    )
    published = client.post(f"/manage/consultations/{ids['c']}/outcome/publish")
    assert published.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(PlanAction).where(PlanAction.title.like("Light the%")))
        assert action.lead_organisation == Organisation.COUNCIL
        assert db.session.get(Consultation, ids["c"]).phase == Phase.OUTCOME
        mails = outbox(template="consultation_outcome")
        assert len(mails) == 6
        mail = next(m for m in mails if m.to_address == ids["person"])
        participant = sign_in_client(app, db.session.get(User, ids["person_id"]))
    outcome_page = participant.get(link_in(mail)).get_data(as_text=True)
    assert "Paths need lighting" in outcome_page and "Light the Norbiton paths" in outcome_page
    assert "No budget this year." in outcome_page and "Includes what you said" in outcome_page
    mine = participant.get("/account/what-happened").get_data(as_text=True)
    assert "Paths need lighting" in mine and "Light the Norbiton paths" in mine
    assert "reference" in mine
    action_page = participant.get(f"/plan/actions/{action.id}").get_data(as_text=True)
    assert "What residents said behind this action" in action_page
    assert "Paths need lighting" in action_page
    plan_page = participant.get("/plan/").get_data(as_text=True)
    assert "1 finding from residents" in plan_page
    hub = participant.get("/outcomes/").get_data(as_text=True)
    assert ids["slug"] in hub
    assert ids["slug"] in participant.get("/outcomes/?issue=anti-social-behaviour").get_data(
        as_text=True
    )
    assert ids["slug"] not in participant.get("/outcomes/?issue=road-safety").get_data(as_text=True)
    # The evidence link shows what people actually said.
    with app.app_context():
        evidence_id = db.session.get(Finding, fid).evidence[0].id
    evidence_page = participant.get(f"/consultations/{ids['slug']}/outcome/evidence/{evidence_id}")
    assert "The lights on the path are broken 0" in evidence_page.get_data(as_text=True)
    # Published findings are frozen: no more edits.
    with app.app_context():
        assert db.session.get(Finding, fid).published_at is not None
    client.post(f"/manage/findings/{fid}", data={"statement": "Changed"})
    with app.app_context():
        assert db.session.get(Finding, fid).statement == "Paths need lighting"


def test_stop_hearing_back_link_stops_outcome_mail(app, ctx, framework, client):
    consultation, survey, _theme, people, _q = _closed_consultation(app, respondents=2)
    participants = outcomes.hear_back_participants(consultation)
    assert set(participants) == {p.id for p in people}
    link = participants[people[0].id]
    assert client.get(link[link.index("/outcomes/") :]).status_code == 200
    db.session.expire_all()
    assert set(outcomes.hear_back_participants(consultation)) == {people[1].id}
    assert client.get("/outcomes/stop/not-a-token").status_code == 404


def test_outcome_is_hidden_from_the_public_until_published(app, ctx, framework, client, users):
    consultation, *_rest = _closed_consultation(app)
    assert client.get(f"/consultations/{consultation.slug}/outcome").status_code == 404
    g.pop("_login_user", None)
    officer = sign_in_client(app, users["officer"])
    preview = officer.get(f"/consultations/{consultation.slug}/outcome")
    assert preview.status_code == 200 and "Preview" in preview.get_data(as_text=True)


def test_partners_update_only_their_own_organisations_actions(app, ctx, framework):
    _seed_plan(app)
    police = make_user(Role.PARTNER)
    police.organisation = Organisation.POLICE
    db.session.commit()
    own = db.session.scalar(
        select(PlanAction).where(PlanAction.lead_organisation == Organisation.POLICE)
    )
    other = db.session.scalar(
        select(PlanAction).where(PlanAction.lead_organisation == Organisation.COUNCIL)
    )
    client = sign_in_client(app, police)
    ok = client.post(
        f"/manage/plan/actions/{own.id}/update",
        data={"body": "Training delivered to 40 venues", "status": "in_progress", "progress": "70"},
    )
    assert ok.status_code == 302
    assert client.get(f"/manage/plan/actions/{other.id}/update").status_code == 403
    assert client.get("/manage/plan/priorities/new").status_code == 403
    bad = client.post(
        f"/manage/plan/actions/{own.id}/update",
        data={"body": "x", "status": "in_progress", "progress": "170"},
    )
    assert bad.status_code == 200 and "Progress must be from 0 to 100" in bad.get_data(as_text=True)
    db.session.expire_all()
    own = db.session.get(PlanAction, own.id)
    assert own.progress == 70 and own.updates[0].body == "Training delivered to 40 venues"
    page = client.get(f"/plan/actions/{own.id}").get_data(as_text=True)
    assert "Training delivered to 40 venues" in page
    assert own.status == ActionStatus.IN_PROGRESS


def test_evidence_matrix_counts_cells_flags_gaps_and_exports(app, ctx, framework, users):
    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, _people, quotes = _closed_consultation(app, tagged=6)
    action = db.session.scalar(select(PlanAction))
    _finding(consultation, survey, theme, officer, action)
    db.session.commit()
    finding = db.session.scalar(select(Finding))
    finding.terms = [_term("issue", "anti-social-behaviour"), _term("principle", "PH3")]
    db.session.commit()
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    from community.plan.matrix import Filters, build

    matrix = build("principle")
    ph3, asb = _term("principle", "PH3"), _term("issue", "anti-social-behaviour")
    cell = matrix.cell(ph3, asb)
    assert cell.contributions == 6  # the theme maps to PH3 and anti-social behaviour
    assert len(cell.findings) == 1
    assert cell.actions  # the ASB priority answers PH3
    assert cell.flag == ""
    road = _term("issue", "road-safety")
    assert matrix.cell(ph3, road).contributions == 0
    knife = _term("issue", "serious-violence-and-knife-crime")
    assert build("principle").cell(_term("principle", "PH1"), knife).flag == "unsupported"
    tolworth = _term("area", "tolworth")
    assert build("principle", Filters(ward_id=tolworth.id)).cell(ph3, asb).contributions == 0
    g.pop("_login_user", None)
    partner = sign_in_client(app, users["partner"])
    page = partner.get("/partnership/evidence").get_data(as_text=True)
    assert "No evidence" in page
    drill = partner.get(f"/partnership/evidence/cell?row={ph3.id}&column={asb.id}")
    assert "The lights on the path are broken 0" in drill.get_data(as_text=True)
    xlsx = partner.get("/partnership/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert set(book.sheetnames) == {"Findings", "Evidence", "Actions"}
    rows = list(book["Findings"].values)
    assert rows[1][2] == "People want the paths lit"
    csv = partner.get("/partnership/export/actions.csv").get_data(as_text=True)
    assert action.title in csv
    assert partner.get("/partnership/export/nope.csv").status_code == 404
    report = partner.get("/partnership/report").get_data(as_text=True)
    assert "People want the paths lit" in report
    g.pop("_login_user", None)
    assert sign_in_client(app, users["resident"]).get("/partnership/evidence").status_code == 403


def test_an_admin_sets_a_partners_organisation_and_it_is_audited(app, ctx, framework, users):
    from community.audit.models import AuditEvent

    partner_id = users["partner"].id
    admin = sign_in_client(app, users["admin"])
    response = admin.post(
        f"/admin/users/{partner_id}/role", data={"role": "partner", "organisation": "police"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, partner_id).organisation == Organisation.POLICE
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.organisation_changed")
    )
    assert event is not None and event.target_id == partner_id
    page = admin.get(f"/admin/users/{partner_id}").get_data(as_text=True)
    assert "Metropolitan Police" in page


def test_outcome_page_queries_do_not_grow_with_findings(app, ctx, framework, client):
    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, _people, quotes = _closed_consultation(app)
    action = db.session.scalar(select(PlanAction))

    def add(n):
        for _ in range(n):
            finding = _finding(consultation, survey, theme, officer, action)
            add_evidence(finding, EvidenceKind.CONTRIBUTION, quotes[0].id, officer)
        db.session.commit()

    add(2)
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    url = f"/consultations/{consultation.slug}/outcome"
    with count_queries(app) as few:
        assert client.get(url).status_code == 200
    consultation.outcome_published_at = None
    add(8)
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    with count_queries(app) as many:
        page = client.get(url)
    assert page.get_data(as_text=True).count('class="cv-finding"') == 10
    assert len(many) == len(few)


def test_partner_data_shows_beside_community_evidence_suppressed(app, ctx, framework, users):
    from datetime import date

    from community.partners.models import PartnerFigure, SharingAgreement

    asb = _term("issue", "anti-social-behaviour")
    agreement = SharingAgreement(
        organisation=Organisation.POLICE,
        name="Kingston ASB data sharing",
        reference="ISA-2026-04",
        signed_on=date(2026, 1, 5),
    )
    db.session.add(agreement)
    db.session.flush()
    for ward, value in (("norbiton", 42), ("tolworth", 3), ("tudor", 17)):
        db.session.add(
            PartnerFigure(
                agreement_id=agreement.id,
                issue_id=asb.id,
                ward_id=_term("area", ward).id,
                measure="ASB calls to police",
                period_start=date(2026, 9, 1),
                period_end=date(2026, 9, 30),
                value=value,
            )
        )
    db.session.commit()
    g.pop("_login_user", None)
    page = sign_in_client(app, users["partner"]).get("/partnership/evidence")
    text = page.get_data(as_text=True)
    row = text[text.index("Partner data") :]
    assert "ASB calls to police (Norbiton): 42" in row
    assert "ASB calls to police (Tolworth): withheld" in row  # 3 is below 5
    assert "(Tolworth): 3" not in row


def test_an_idea_cited_by_a_published_finding_says_so_on_its_page(app, ctx, framework, client):
    from community.contributions.models import ContributionStatus
    from community.ideas.models import Idea, IdeaBoard

    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, people, _q = _closed_consultation(app)
    board = IdeaBoard(consultation_id=consultation.id, title="Ideas for safer paths")
    db.session.add(board)
    db.session.flush()
    idea = Idea(
        board_id=board.id,
        consultation_id=consultation.id,
        title="Motion-sensor lights",
        body="Lights that come on as you walk",
        status=ContributionStatus.PUBLISHED,
        author_id=people[0].id,
    )
    db.session.add(idea)
    db.session.commit()
    url = f"/ideas/{board.id}/{idea.id}"
    assert "Used in the partnership" not in client.get(url).get_data(as_text=True)
    finding = _finding(consultation, survey, theme, officer, db.session.scalar(select(PlanAction)))
    add_evidence(finding, EvidenceKind.CONTRIBUTION, idea.id, officer)
    db.session.commit()
    assert "Used in the partnership" not in client.get(url).get_data(as_text=True)  # a draft
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Used in the partnership" in page and "People want the paths lit" in page


def test_a_large_outcome_is_mailed_by_the_job_once_in_batches(make_app, framework):
    from community import jobs

    app = make_app(OUTCOME_MAIL_IN_REQUEST_LIMIT=10, JOBS_MODE="off")
    with app.test_request_context("/"):
        _seed_plan(app)
        officer = make_user(Role.OFFICER)
        consultation, survey, theme, _people, _q = _closed_consultation(app, respondents=25)
        _finding(consultation, survey, theme, officer, db.session.scalar(select(PlanAction)))
        db.session.commit()
        assert outcomes.publish_outcome(consultation, officer) == 25  # to be told
        db.session.commit()
        assert outbox(template="consultation_outcome") == []  # not in the request
        assert consultation.outcome_mailed_at is None
        assert jobs.run("mail_outcomes") == 25
        assert jobs.run("mail_outcomes") == 0  # idempotent: nothing left to do
        mails = outbox(template="consultation_outcome")
        assert len(mails) == 25 and len({m.to_address for m in mails}) == 25
        db.session.expire_all()
        assert db.session.get(Consultation, consultation.id).outcome_mailed_at is not None
        # A run cut short part-way: the next one queues only the rest.
        db.session.get(Consultation, consultation.id).outcome_mailed_at = None
        db.session.delete(mails[-1])
        db.session.commit()
        assert jobs.run("mail_outcomes") == 1
        assert len(outbox(template="consultation_outcome")) == 25


def test_a_youth_findings_evidence_page_hides_counts_below_ten(app, ctx, framework, client):
    """A consultation for young people: the theme behind a finding counted 7
    contributions, so its evidence page says "fewer than 10", never 7 (nor "fewer than
    5", which would say there are at least 5)."""
    from community.consultations.models import Audience

    _seed_plan(app)
    officer = make_user(Role.OFFICER)
    consultation, survey, theme, _people, _q = _closed_consultation(app, respondents=12, tagged=7)
    consultation.audience = Audience.YOUTH
    db.session.commit()
    finding = _finding(consultation, survey, theme, officer, db.session.scalar(select(PlanAction)))
    db.session.commit()
    outcomes.publish_outcome(consultation, officer)
    db.session.commit()
    evidence = finding.evidence[0]
    page = client.get(f"/consultations/{consultation.slug}/outcome/evidence/{evidence.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The finding counted fewer than 10 contributions with this theme." in text
    assert "counted 7 contributions" not in text and "fewer than 5" not in text
    outcome = client.get(f"/consultations/{consultation.slug}/outcome").get_data(as_text=True)
    assert "fewer than 10 published contributions in all" in outcome
    assert "fewer than 5 published contributions" not in outcome
