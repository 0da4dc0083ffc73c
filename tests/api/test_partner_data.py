"""Officers record partner figures under information-sharing agreements and share
consultations with partners; figures are suppressed wherever they are published."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from community.accounts.models import Organisation
from community.audit.models import AuditEvent
from community.extensions import db
from community.framework.models import Term
from community.partners import service
from community.partners.models import ConsultationShare, PartnerFigure, SharingAgreement
from tests.api.conftest import bearer, make_token
from tests.support.factories import make_consultation


def _term(code):
    return db.session.scalar(select(Term).where(Term.code == code))


def _agreement():
    agreement = SharingAgreement(
        organisation=Organisation.POLICE,
        name="Safer Kingston data sharing",
        reference="ISA-2025-014",
        signed_on=date(2025, 4, 1),
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


def _figures(
    agreement, values, *, issue="anti-social-behaviour", youth=False, start=date(2026, 3, 1)
):
    """Ward figures (and the whole area's total, under key None) for one month."""
    made = {}
    for ward, value in values.items():
        figure = PartnerFigure(
            agreement_id=agreement.id,
            issue_id=_term(issue).id,
            ward_id=_term(ward).id if ward else None,
            measure="Reports",
            period_start=start,
            period_end=date(start.year, start.month, 28),
            value=value,
            counts_youth=youth,
        )
        db.session.add(figure)
        made[ward] = figure
    db.session.commit()
    return made


def test_small_figures_and_those_that_would_give_them_away_are_withheld(app, framework):
    with app.app_context():
        agreement = _agreement()
        _figures(agreement, {"norbiton": 3, "tolworth": 40, "tudor": 22, None: 65})
        published = {f.ward_code: f.value for f in service.partner_figures()}
        # 3 is small; 22 goes too, else 65 - 40 - 22 gives the 3 away.
        assert published == {"norbiton": None, "tolworth": 40, "tudor": None, None: 65}
        # Asking for one ward withholds it the same way.
        tudor = service.partner_figures(ward_id=_term("tudor").id)
        assert [(f.ward_code, f.value) for f in tudor] == [("tudor", None)]
        (figure,) = service.partner_figures(ward_id=_term("tolworth").id)
        assert figure.agreement_reference == "ISA-2025-014"
        assert figure.organisation is Organisation.POLICE
        assert figure.issue_code == "anti-social-behaviour"


def test_under_18_figures_use_a_threshold_of_ten(app, framework):
    with app.app_context():
        agreement = _agreement()
        _figures(agreement, {"norbiton": 8, "tolworth": 30}, youth=True)
        assert {f.ward_code: f.value for f in service.partner_figures()} == {
            "norbiton": None,
            "tolworth": 30,
        }


def test_an_officer_records_an_agreement_and_figures(app, role_client, framework):
    officer = role_client("officer")
    assert officer.get("/manage/partner-data/new").status_code == 302  # agreement first
    response = officer.post(
        "/manage/partner-data/agreements/new",
        data={
            "organisation": "police",
            "name": "Safer Kingston ISA",
            "reference": "ISA-1",
            "signed_on": ["1", "4", "2025"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        agreement_id = db.session.scalar(select(SharingAgreement.id))
        issue_id, ward_id = _term("anti-social-behaviour").id, _term("norbiton").id
    data = {
        "agreement_id": agreement_id,
        "measure": "Anti-social behaviour reports",
        "issue_id": issue_id,
        "ward_id": ward_id,
        "period_start": ["1", "3", "2026"],
        "period_end": ["31", "3", "2026"],
        "value": "4",
    }
    assert officer.get("/manage/partner-data/new").status_code == 200
    assert officer.post("/manage/partner-data/new", data=data).status_code == 302
    again = officer.post("/manage/partner-data/new", data=data).get_data(as_text=True)
    assert "already a figure" in again
    backwards = {**data, "period_end": ["1", "2", "2026"]}
    assert "must end on or after" in officer.post(
        "/manage/partner-data/new", data=backwards
    ).get_data(as_text=True)
    listing = officer.get("/manage/partner-data/").get_data(as_text=True)
    assert "Anti-social behaviour reports" in listing and "Withheld from publication" in listing
    with app.app_context():
        figure = db.session.scalar(select(PartnerFigure))
        figure_id = figure.id
    edited = officer.post(f"/manage/partner-data/{figure_id}/edit", data={**data, "value": "12"})
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(PartnerFigure, figure_id).value == 12
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert {
            "sharing_agreement.created",
            "partner_figure.created",
            "partner_figure.changed",
        } <= set(actions)
    assert role_client("partner").get("/manage/partner-data/").status_code == 403


def test_partner_figures_in_the_api_need_analysis(app, client, framework):
    with app.app_context():
        agreement = _agreement()
        _figures(agreement, {"norbiton": 3, "tolworth": 40, "tudor": 22, None: 65})
        _id, secret = make_token()
    body = client.get("/api/v1/partner-figures?ward=tudor", headers=bearer(secret)).get_json()
    (figure,) = body["data"]
    assert figure["value"] is None and figure["ward"] == {"code": "tudor", "name": "Tudor"}
    assert figure["agreement"] == {
        "name": "Safer Kingston data sharing",
        "reference": "ISA-2025-014",
        "signed_on": "2025-04-01",
    }
    everything = client.get(
        "/api/v1/partner-figures?issue=anti-social-behaviour", headers=bearer(secret)
    ).get_json()
    assert everything["meta"]["total"] == 4
    nothing = client.get("/api/v1/partner-figures?issue=no-such-issue", headers=bearer(secret))
    assert nothing.status_code == 200 and nothing.get_json()["data"] == []


def test_an_officer_shares_a_consultation_with_partners(app, role_client, framework):
    with app.app_context():
        consultation = make_consultation(phase="open")
        consultation_id, slug = consultation.id, consultation.slug
        _id, police = make_token()
    officer = role_client("officer")
    page = officer.get(f"/manage/consultations/{consultation_id}/sharing")
    assert page.status_code == 200 and "Metropolitan Police" in page.get_data(as_text=True)
    client = app.test_client()
    url = f"/api/v1/consultations/{slug}/results"
    assert client.get(url, headers=bearer(police)).status_code == 403
    response = officer.post(
        f"/manage/consultations/{consultation_id}/sharing",
        data={"organisations": ["police", "health"]},
    )
    assert response.status_code == 302
    assert client.get(url, headers=bearer(police)).status_code == 200
    officer.post(
        f"/manage/consultations/{consultation_id}/sharing", data={"organisations": ["health"]}
    )
    assert client.get(url, headers=bearer(police)).status_code == 403
    with app.app_context():
        shares = db.session.scalars(select(ConsultationShare.organisation)).all()
        assert shares == [Organisation.HEALTH]
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "consultation.shared")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.details for e in events] == [
            {"added": ["health", "police"], "removed": []},
            {"added": [], "removed": ["police"]},
        ]
