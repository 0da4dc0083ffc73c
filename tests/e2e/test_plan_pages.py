"""Every page of the plan, outcomes and the partnership's evidence, with data, under axe.

An officer (who sees every page) walks them with a published outcome, a draft finding,
the seeded plan and partner figures in place, including an action form with an error;
a partner sees the matrix; a resident sees their own "what happened" page.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.accounts.models import Organisation, Role
from community.extensions import db
from community.plan import outcomes
from community.plan.findings import add_evidence, create_finding
from community.plan.models import EvidenceKind, Finding, PlanAction, Priority
from tests.e2e.helpers import sign_in
from tests.plan.test_plan import _closed_consultation, _finding, _seed_plan, _term
from tests.support.axe import assert_accessible
from tests.support.factories import make_user

pytestmark = pytest.mark.e2e


def check(page, live_app, path: str, what: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(page).to_have_title(f"{heading.inner_text()} – {live_app.config['PARTNERSHIP_NAME']}")
    assert_accessible(page, what)


def test_plan_outcome_and_partnership_pages_are_accessible(browser, live_app, page, framework):
    with live_app.app_context():
        _seed_plan(live_app.app)
        officer = make_user(Role.OFFICER, email="plan-officer@example.com")
        partner = make_user(Role.PARTNER, email="plan-partner@example.com")
        partner.organisation = Organisation.POLICE
        consultation, survey, theme, people, quotes = _closed_consultation(live_app.app)
        action = db.session.scalar(select(PlanAction).order_by(PlanAction.id))
        published = _finding(consultation, survey, theme, officer, action)
        add_evidence(published, EvidenceKind.CONTRIBUTION, quotes[0].id, officer)
        published.terms = [_term("issue", "anti-social-behaviour"), _term("principle", "PH3")]
        db.session.commit()
        outcomes.publish_outcome(consultation, officer)
        db.session.commit()
        draft_consultation, *_rest = _closed_consultation(live_app.app)
        draft = create_finding(draft_consultation, "Draft: more patrols", [], officer)
        db.session.commit()
        from community.partners.models import PartnerFigure, SharingAgreement

        agreement = SharingAgreement(
            organisation=Organisation.POLICE,
            name="ASB data",
            reference="ISA-1",
            signed_on=date(2026, 1, 1),
        )
        db.session.add(agreement)
        db.session.flush()
        db.session.add(
            PartnerFigure(
                agreement_id=agreement.id,
                issue_id=_term("issue", "anti-social-behaviour").id,
                ward_id=_term("area", "norbiton").id,
                measure="ASB calls",
                period_start=date(2026, 9, 1),
                period_end=date(2026, 9, 30),
                value=42,
            )
        )
        db.session.commit()
        priority = db.session.scalar(select(Priority).order_by(Priority.id))
        ids = {
            "slug": consultation.slug,
            "action": action.id,
            "priority": priority.id,
            "evidence": published.evidence[0].id,
            "finding": draft.id,
            "published_finding": published.id,
            "draft_consultation": draft_consultation.id,
            "row": _term("principle", "PH3").id,
            "column": _term("issue", "anti-social-behaviour").id,
            "participant": people[0].email,
        }
        assert db.session.get(Finding, published.id).published_at is not None
        db.session.remove()

    sign_in(page, "plan-officer@example.com")
    assert_accessible(page, "officer account")
    pages = [
        ("/plan/", "the plan"),
        (f"/plan/actions/{ids['action']}", "a plan action"),
        ("/outcomes/", "outcomes hub"),
        ("/outcomes/?issue=anti-social-behaviour", "outcomes hub filtered"),
        (f"/consultations/{ids['slug']}/outcome", "outcome page (analyst)"),
        (f"/consultations/{ids['slug']}/outcome/evidence/{ids['evidence']}", "evidence page"),
        (f"/manage/consultations/{ids['draft_consultation']}/findings", "findings list"),
        (f"/manage/findings/{ids['finding']}", "draft finding"),
        (f"/manage/findings/{ids['published_finding']}", "published finding"),
        ("/manage/plan/", "update the plan"),
        ("/manage/plan/priorities/new", "new priority"),
        (f"/manage/plan/priorities/{ids['priority']}", "edit priority"),
        (f"/manage/plan/priorities/{ids['priority']}/actions/new", "new action"),
        (f"/manage/plan/actions/{ids['action']}", "edit action"),
        (f"/manage/plan/actions/{ids['action']}/update", "progress update"),
        ("/partnership/evidence", "evidence matrix"),
        ("/partnership/evidence?axis=five_c&period=2026", "evidence matrix by 5Cs"),
        (
            f"/partnership/evidence/cell?row={ids['row']}&column={ids['column']}",
            "matrix drill-down",
        ),
        ("/partnership/report", "printable report"),
    ]
    for path, what in pages:
        check(page, live_app, path, what)

    # A form error, in the GOV.UK pattern.
    check(page, live_app, f"/manage/plan/actions/{ids['action']}/update", "progress update form")
    page.get_by_label("What has happened").fill("Patrols doubled")
    page.get_by_label("Progress now (%)").fill("170")
    page.get_by_role("button", name="Add update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Progress must be from 0 to 100")
    expect(page).to_have_title(
        f"Error: Add a progress update – {live_app.config['PARTNERSHIP_NAME']}"
    )
    assert_accessible(page, "progress update with an error")
    page.context.clear_cookies()

    sign_in(page, "plan-partner@example.com")
    assert_accessible(page, "partner account")
    check(page, live_app, "/manage/plan/", "update the plan (partner)")
    check(page, live_app, "/partnership/evidence", "evidence matrix (partner)")
    page.context.clear_cookies()

    sign_in(page, ids["participant"])
    assert_accessible(page, "participant account")
    check(page, live_app, "/account/what-happened", "what happened to mine")
    check(page, live_app, f"/consultations/{ids['slug']}/outcome", "outcome page (public)")
