"""Each partner organisation sees on the web exactly what its API token may read."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Organisation, Role
from community.extensions import db
from community.framework.models import Term, Vocabulary
from community.partners.models import ConsultationShare
from community.tagging.models import Tag
from tests.api.conftest import bearer, make_token
from tests.conftest import sign_in_client
from tests.support.factories import make_consultation, make_contribution, make_user

KINDS = {
    "public": dict(phase="closed", results_public=True),
    "shared_with_police": dict(phase="open", results_public=False),
    "closed_private_shared_with_council": dict(phase="closed", results_public=False),
    "not_shared": dict(phase="open", results_public=True),
}
SHARES = {
    "shared_with_police": Organisation.POLICE,
    "closed_private_shared_with_council": Organisation.COUNCIL,
}


def _term(vocabulary: str, code: str) -> Term:
    return db.session.scalar(
        select(Term).join(Vocabulary).where(Vocabulary.code == vocabulary, Term.code == code)
    )


def test_partners_see_on_the_web_what_their_api_token_may_read(app, framework):
    with app.app_context():
        row, column = _term("principle", "PH3"), _term("issue", "anti-social-behaviour")
        slugs = {}
        for name, fields in KINDS.items():
            consultation = make_consultation(**fields)
            slugs[name] = consultation.slug
            answer = make_contribution(consultation, status="published", body=f"Answer in {name}")
            db.session.add_all(
                [
                    Tag(contribution_id=answer.id, term_id=row.id),
                    Tag(contribution_id=answer.id, term_id=column.id),
                ]
            )
            if name in SHARES:
                db.session.add(
                    ConsultationShare(consultation_id=consultation.id, organisation=SHARES[name])
                )
        db.session.commit()
        cell = f"/partnership/evidence/cell?row={row.id}&column={column.id}"
        organisations = [Organisation.POLICE, Organisation.COUNCIL, Organisation.HEALTH]
        partners = {}
        for organisation in organisations:
            partner = make_user(Role.PARTNER)
            partner.organisation = organisation
            db.session.commit()
            db.session.refresh(partner)
            db.session.expunge(partner)
            partners[organisation] = (partner, make_token(organisation=organisation)[1])
    for organisation, (partner, secret) in partners.items():
        page = sign_in_client(app, partner).get(cell).get_data(as_text=True)
        on_web = {name for name in KINDS if f"Answer in {name}" in page}
        client = app.test_client()
        by_api = {
            name
            for name, slug in slugs.items()
            if client.get(
                f"/api/v1/consultations/{slug}/results", headers=bearer(secret)
            ).status_code
            == 200
        }
        assert on_web == by_api, organisation
        assert "public" in on_web and "not_shared" not in on_web
    police_web = sign_in_client(app, partners[Organisation.POLICE][0]).get(cell)
    assert "Answer in shared_with_police" in police_web.get_data(as_text=True)
