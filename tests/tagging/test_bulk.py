"""Bulk tagging from a filtered list: by code, uncoded only, ward, age band, words."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.audit.models import AuditEvent
from community.consultations.models import Consultation
from community.extensions import db
from community.tagging.models import Tag
from tests.support.factories import make_contribution
from tests.tagging.conftest import about_you, add_tag, term_id, term_key


def _listed(client, setting, **args) -> set[int]:
    page = client.get(f"/tagging/{setting.consultation}/contributions", query_string=args)
    assert page.status_code == 200
    return {int(n) for n in re.findall(r'name="selected" type="checkbox" value="(\d+)"', page.text)}


def test_filters_by_code_uncoded_ward_age_and_words(app, role_client, setting, survey, users):
    with app.app_context():
        consultation = db.session.get(Consultation, setting.consultation)
        in_tolworth = make_contribution(
            consultation, status="published", body="100% sure_thing", area_id=term_id("tolworth")
        ).id
        about_you(setting.published[1], survey, ward="tolworth", age_band="16_17")
        about_you(setting.published[2], survey, ward="norbiton", age_band="45_54")
        add_tag(setting.published[0], term_key("PH1"), users["officer"].id)
        db.session.commit()
        ph1 = term_key("PH1")
    officer = role_client("officer")
    everyone = {*setting.published, *setting.pending, in_tolworth}
    assert _listed(officer, setting) == everyone  # not the rejected one
    assert _listed(officer, setting, key=ph1) == {setting.published[0]}
    assert _listed(officer, setting, untagged="yes") == everyone - {setting.published[0]}
    assert _listed(officer, setting, ward="tolworth") == {in_tolworth, setting.published[1]}
    assert _listed(officer, setting, age="16_17") == {setting.published[1]}
    assert _listed(officer, setting, age="unknown") == everyone - set(setting.published[1:])
    assert _listed(officer, setting, youth="yes") == set(setting.pending)
    assert _listed(officer, setting, status="pending") == set(setting.pending)
    assert _listed(officer, setting, q="KNIFE") == {setting.published[1]}
    # LIKE wildcards typed by the officer are taken literally.
    assert _listed(officer, setting, q="100%") == {in_tolworth}
    assert _listed(officer, setting, q="e_h") == set()  # "the high" would match e_h as a wildcard
    assert _listed(officer, setting, q="%") == {in_tolworth}


def test_bulk_adds_a_code_to_every_ticked_contribution_once(app, role_client, setting, users):
    with app.app_context():
        asb = term_key("anti-social-behaviour")
        add_tag(setting.published[0], asb, users["admin"].id)
        db.session.commit()
    officer = role_client("officer")
    chosen = [setting.published[0], setting.published[1], setting.pending[0], setting.rejected]
    response = officer.post(
        f"/tagging/{setting.consultation}/bulk",
        data={"selected": chosen, "add": asb, "untagged": "yes", "q": "a"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/tagging/{setting.consultation}/contributions?untagged=yes&q=a"
    )
    with app.app_context():
        tagged = set(
            db.session.scalars(select(Tag.contribution_id).where(Tag.term_id.is_not(None)))
        )
        # Already tagged once stays once; the rejected one is never tagged.
        assert tagged == {setting.published[0], setting.published[1], setting.pending[0]}
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "tagging.tag_added")
            .order_by(AuditEvent.id)
        ).all()
        assert sorted(e.target_id for e in events) == [setting.published[1], setting.pending[0]]
        assert all(e.details["bulk"] is True for e in events)
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added to 2 contributions." in page


def test_bulk_needs_contributions_and_a_code_of_this_consultation(app, role_client, setting):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/bulk"
    page = officer.post(url, data={"add": "term-1"}, follow_redirects=True).get_data(as_text=True)
    assert "Tick some contributions" in page
    page = officer.post(
        url, data={"selected": setting.published, "add": "theme-999"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Choose a term or theme to add." in page
    with app.app_context():
        assert db.session.scalar(select(Tag.id)) is None
