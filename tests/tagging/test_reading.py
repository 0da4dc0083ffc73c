"""Officers code contributions one at a time, through the reading view."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.audit.models import AuditEvent
from community.extensions import db
from community.framework.models import Term
from community.models_base import utcnow
from community.tagging.models import Tag, TagSource
from tests.conftest import count_queries
from tests.support.factories import make_contribution
from tests.tagging.conftest import add_tag, term_key


def _url(setting, contribution_id):
    return f"/tagging/{setting.consultation}/contributions/{contribution_id}"


def test_reading_starts_at_the_first_uncoded_contribution_and_counts_n_of_total(
    app, role_client, setting, users
):
    officer = role_client("officer")
    with app.app_context():
        add_tag(setting.published[0], term_key("PH1"), users["officer"].id)
        db.session.commit()
    response = officer.get(f"/tagging/{setting.consultation}/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(setting, setting.published[1]))
    page = officer.get(_url(setting, setting.published[1])).get_data(as_text=True)
    # Published and pending count (5); the rejected one does not.
    assert "Contribution 2 of 5" in page
    assert "Knife crime near the station" in page
    assert f'href="{_url(setting, setting.published[0])}"' in page  # previous
    assert f'href="{_url(setting, setting.published[2])}"' in page  # next
    assert "Public health approach principles" in page and "Themes of this consultation" in page
    assert 'data-tagging-shortcut="1"' in page
    assert re.search(r"/static/js/tagging(\.[0-9a-f]{12})?\.js", page)  # hashed once built


def test_an_officer_ticks_codes_saves_and_moves_on_and_every_change_is_audited(
    app, role_client, setting, users
):
    officer = role_client("officer")
    first = setting.published[0]
    with app.app_context():
        ph1, asb = term_key("PH1"), term_key("anti-social-behaviour")
    response = officer.post(_url(setting, first), data={"code": [ph1, asb], "then": "next"})
    assert response.headers["Location"].endswith(_url(setting, setting.published[1]))
    with app.app_context():
        tags = db.session.scalars(select(Tag).where(Tag.contribution_id == first)).all()
        assert {t.key for t in tags} == {ph1, asb}
        assert {(t.coder_id, t.source) for t in tags} == {(users["officer"].id, TagSource.OFFICER)}
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.target_id == first).order_by(AuditEvent.id)
        ).all()
        assert sorted(e.action for e in events) == ["tagging.tag_added"] * 2
        assert {e.details["code"] for e in events} == {"PH1", "anti-social-behaviour"}
        assert {e.actor_id for e in events} == {users["officer"].id}
    # Untick one (the form says what was ticked when shown) and pin the other as a quote.
    officer.post(
        _url(setting, first),
        data={"code": [ph1], "was": [ph1, asb], "pin_shown": [ph1, asb], "pin": [ph1]},
    )
    with app.app_context():
        tags = db.session.scalars(select(Tag).where(Tag.contribution_id == first)).all()
        assert [(t.key, t.pinned) for t in tags] == [(ph1, True)]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"tagging.tag_removed", "tagging.tag_pinned"} <= actions
    page = officer.get(_url(setting, first)).get_data(as_text=True)
    assert f'id="code-{ph1}" name="code" type="checkbox" value="{ph1}" checked' in page
    assert f'name="was" value="{ph1}"' in page


def test_saving_applies_only_what_changed_so_colleagues_do_not_undo_each_other(
    app, role_client, setting, users
):
    first = setting.published[0]
    with app.app_context():
        ph1, p1 = term_key("PH1"), term_key("P1")
        add_tag(first, p1, users["admin"].id)  # added by a colleague after the page was shown
        db.session.commit()
    role_client("officer").post(_url(setting, first), data={"code": [ph1], "was": []})
    with app.app_context():
        keys = set(db.session.scalars(select(Tag.term_id).where(Tag.contribution_id == first)))
        assert {f"term-{k}" for k in keys} == {ph1, p1}


def test_retired_terms_are_not_offered_but_their_tags_are_kept(app, role_client, setting, users):
    first = setting.published[0]
    with app.app_context():
        road = db.session.scalar(select(Term).where(Term.code == "road-safety"))
        add_tag(first, f"term-{road.id}", users["officer"].id)
        road.retired_at = utcnow()
        db.session.commit()
        key = f"term-{road.id}"
    officer = role_client("officer")
    page = officer.get(_url(setting, first)).get_data(as_text=True)
    assert f'id="code-{key}"' not in page
    assert "Also coded to retired codes" in page
    officer.post(_url(setting, first), data={"code": [], "was": [key]})
    with app.app_context():
        assert db.session.scalar(select(Tag.id).where(Tag.contribution_id == first)) is not None


def test_rejected_and_other_consultations_contributions_are_not_coded_here(
    app, role_client, setting
):
    officer = role_client("officer")
    assert officer.get(_url(setting, setting.rejected)).status_code == 404
    with app.app_context():
        elsewhere = make_contribution(None, status="published").id
    assert officer.get(_url(setting, elsewhere)).status_code == 404
    assert role_client("moderator").get(_url(setting, setting.published[0])).status_code == 403
    assert role_client("partner").get(f"/tagging/{setting.consultation}/").status_code == 403


def test_codes_not_in_the_codebook_are_ignored(app, role_client, setting):
    role_client("officer").post(
        _url(setting, setting.published[0]), data={"code": ["term-999999", "theme-1", "nonsense"]}
    )
    with app.app_context():
        assert db.session.scalar(select(Tag.id)) is None


def test_the_reading_view_costs_the_same_whatever_the_number_of_contributions_and_tags(
    app, role_client, setting, users
):
    officer = role_client("officer")
    url = _url(setting, setting.published[1])
    officer.get(url)  # warm up (first request, caches)
    with count_queries(app) as few:
        assert officer.get(url).status_code == 200
    with app.app_context():
        from community.consultations.models import Consultation

        consultation = db.session.get(Consultation, setting.consultation)
        keys = [term_key(c) for c in ("PH1", "PH2", "C1", "C2", "P1", "road-safety", "tolworth")]
        for n in range(40):
            extra = make_contribution(consultation, status="published", commit=False)
            db.session.flush()
            for key in keys[: n % 7 + 1]:
                add_tag(extra.id, key, users["admin"].id, pinned=n % 3 == 0)
        for key in keys:
            add_tag(setting.published[1], key, users["admin" if len(key) % 2 else "officer"].id)
        db.session.commit()
    with count_queries(app) as many:
        assert officer.get(url).status_code == 200
    print(f"\nreading view: {len(few)} queries, then {len(many)} with 40 more contributions")
    assert len(many) == len(few), (len(few), len(many))
