"""Second coding: a seeded random sample, coded blind by a colleague, and the agreement."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.audit.models import AuditEvent
from community.consultations.models import Consultation
from community.extensions import db
from community.tagging.models import CodingRound, RoundItem
from community.tagging.rounds.service import draw
from tests.support.factories import make_contribution
from tests.tagging.conftest import add_tag, term_key


def test_the_sample_is_random_but_the_same_seed_draws_it_again():
    candidates = list(range(1, 101))
    assert draw(candidates, 10, seed=42) == draw(list(reversed(candidates)), 10, seed=42)
    assert draw(candidates, 10, seed=42) != draw(candidates, 10, seed=43)
    assert sorted(draw(candidates[:5], 10, seed=1)) == candidates[:5]


@pytest.fixture
def coded(app, setting, users):
    """Ten contributions coded by the officer: PH1 on 0-5 (C1 also on 0, 2, 4), C1 on 6-9."""
    with app.app_context():
        consultation = db.session.get(Consultation, setting.consultation)
        ph1, c1 = term_key("PH1"), term_key("C1")
        ids = []
        for n in range(10):
            item = make_contribution(consultation, status="published", body=f"text {n}")
            ids.append(item.id)
            add_tag(item.id, ph1 if n < 6 else c1, users["officer"].id)
            if n % 2 == 0 and n < 6:
                add_tag(item.id, c1, users["officer"].id)
        db.session.commit()
        return {"ids": ids, "ph1": ph1, "c1": c1}


def test_a_colleague_codes_the_sample_blind_and_kappa_is_reported(
    app, role_client, setting, users, coded
):
    officer, admin = role_client("officer"), role_client("admin")
    url = f"/tagging/{setting.consultation}/rounds"
    page = officer.get(url).get_data(as_text=True)
    assert f'<option value="{users["admin"].id}"' in page
    assert f'<option value="{users["officer"].id}"' not in page  # not yourself
    response = officer.post(url, data={"coder": users["admin"].id, "size": 8, "seed": 5})
    assert response.status_code == 302
    with app.app_context():
        coding_round = db.session.scalar(select(CodingRound))
        sample = [i.contribution_id for i in coding_round.items]
        assert len(sample) == 8 and coding_round.seed == 5 and set(sample) <= set(coded["ids"])
        assert sample == draw(coded["ids"], 8, 5)
        round_id = coding_round.id
        first_codes = {
            cid: {coded["ph1"]} if coded["ids"].index(cid) < 6 else {coded["c1"]} for cid in sample
        }
        for cid in sample:
            if coded["ids"].index(cid) < 6 and coded["ids"].index(cid) % 2 == 0:
                first_codes[cid].add(coded["c1"])
    # Only the colleague codes, and sees neither the first coding nor suggestions.
    assert officer.get(f"/tagging/rounds/{round_id}/items/1").status_code == 403
    blind = admin.get(f"/tagging/rounds/{round_id}/items/1").get_data(as_text=True)
    assert "text " in blind and " checked" not in blind and 'name="decision"' not in blind
    # The colleague agrees on PH1 everywhere and never uses C1.
    for position, cid in enumerate(sample, start=1):
        codes = [coded["ph1"]] if coded["ph1"] in first_codes[cid] else []
        response = admin.post(f"/tagging/rounds/{round_id}/items/{position}", data={"code": codes})
    assert response.headers["Location"].endswith(f"/tagging/rounds/{round_id}")
    with app.app_context():
        assert db.session.get(CodingRound, round_id).completed_at is not None
        events = db.session.scalars(
            select(AuditEvent.target_id).where(AuditEvent.action == "tagging.second_coded")
        ).all()
        assert sorted(events) == sorted(sample)
    report = officer.get(f"/tagging/rounds/{round_id}").get_data(as_text=True)
    kappas = dict(
        re.findall(r'data-key="([^"]+)">.*?data-kappa>([^<]+)<', report.replace("\n", " "))
    )
    assert kappas[coded["ph1"]] == "1.00"
    c1_first = sum(coded["c1"] in codes for codes in first_codes.values())
    assert c1_first > 0
    # The first coder used C1 on some items, the colleague never: kappa 0 (no better than chance).
    assert kappas[coded["c1"]] == "0.00"
    assert "contributions compared (n)" in report and ">8</span>" in report


def test_a_sample_needs_coded_contributions_the_colleague_did_not_code(
    app, role_client, setting, users
):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/rounds"
    page = officer.post(url, data={"coder": users["admin"].id, "size": 5}).get_data(as_text=True)
    assert "At least two coded contributions are needed" in page
    with app.app_context():
        for cid in setting.published:
            add_tag(cid, term_key("PH1"), users["admin"].id)  # coded by the colleague themself
        db.session.commit()
    page = officer.post(url, data={"coder": users["admin"].id, "size": 5}).get_data(as_text=True)
    assert "At least two coded contributions are needed" in page
    with app.app_context():
        assert db.session.scalar(select(RoundItem.id)) is None
