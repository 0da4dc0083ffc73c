"""A consultation's own themes: add, rename, map to the framework, merge, retire, restore."""

from __future__ import annotations

from sqlalchemy import select

from community.audit.models import AuditEvent
from community.extensions import db
from community.framework.models import Term
from community.tagging.models import (
    CodingRound,
    RoundCode,
    RoundItem,
    SuggestionDecision,
    SuggestionMethod,
    Tag,
    Theme,
)
from tests.tagging.conftest import add_tag, term_id


def _theme(app, setting, name):
    with app.app_context():
        return db.session.scalar(
            select(Theme.id).where(
                Theme.consultation_id == setting.consultation, Theme.name == name
            )
        )


def test_officers_add_and_rename_themes_with_stable_codes(app, role_client, setting):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/themes"
    officer.post(url, data={"name": "Street lighting", "description": "Dark roads"})
    page = officer.post(url, data={"name": "street LIGHTING"}).get_data(as_text=True)
    assert "There is already a theme called" in page
    lighting = _theme(app, setting, "Street lighting")
    officer.post(
        f"/tagging/themes/{lighting}/edit",
        data={"name": "Lighting & dark alleys", "description": ""},
    )
    with app.app_context():
        theme = db.session.get(Theme, lighting)
        assert (theme.name, theme.code, theme.description) == (
            "Lighting & dark alleys",
            "street-lighting",
            "",
        )
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert actions == ["tagging.theme_added", "tagging.theme_edited"]
    page = officer.get(url).get_data(as_text=True)
    assert "Lighting &amp; dark alleys" in page and "(street-lighting)" in page
    # A theme is offered on the reading view, in its own group.
    reading = officer.get(f"/tagging/{setting.consultation}/contributions/{setting.published[0]}")
    assert f'value="theme-{lighting}"' in reading.get_data(as_text=True)


def test_merging_moves_tags_decisions_and_second_codes_and_retires_the_theme(
    app, role_client, setting, users
):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/themes"
    for name in ("Street lights", "Lighting", "Parks"):
        officer.post(url, data={"name": name})
    lights, lighting = _theme(app, setting, "Street lights"), _theme(app, setting, "Lighting")
    a, b, c = setting.published
    with app.app_context():
        add_tag(a, f"theme-{lights}", users["officer"].id, pinned=True)
        add_tag(b, f"theme-{lights}", users["officer"].id)
        add_tag(b, f"theme-{lighting}", users["admin"].id)  # b has both: one tag remains
        add_tag(c, f"theme-{lighting}", users["admin"].id)
        decision = SuggestionDecision(
            contribution_id=c, method=SuggestionMethod.KEYWORDS, accepted=False
        )
        decision.set_key(f"theme-{lights}")
        coding_round = CodingRound(
            consultation_id=setting.consultation, coder_id=users["admin"].id, size=1, seed=1
        )
        coding_round.items = [RoundItem(contribution_id=a, position=1)]
        db.session.add_all([decision, coding_round])
        db.session.flush()
        code = RoundCode(item_id=coding_round.items[0].id)
        code.set_key(f"theme-{lights}")
        db.session.add(code)
        db.session.get(Theme, lights).terms = [db.session.get(Term, term_id("P1"))]
        db.session.commit()
    page = officer.get(f"/tagging/themes/{lights}/merge").get_data(as_text=True)
    assert ">Lighting<" in page and ">Parks<" in page and ">Street lights<" not in page
    response = officer.post(f"/tagging/themes/{lights}/merge", data={"target": lighting})
    assert response.status_code == 302
    with app.app_context():
        tags = db.session.scalars(select(Tag).order_by(Tag.contribution_id)).all()
        assert [(t.contribution_id, t.theme_id, t.pinned) for t in tags] == [
            (a, lighting, True),
            (b, lighting, False),
            (c, lighting, False),
        ]
        assert db.session.scalar(select(SuggestionDecision.theme_id)) == lighting
        assert db.session.scalar(select(RoundCode.theme_id)) == lighting
        merged, target = db.session.get(Theme, lights), db.session.get(Theme, lighting)
        assert merged.retired_at is not None and merged.merged_into_id == lighting
        assert [t.code for t in target.terms] == ["P1"]
        moved = db.session.scalars(
            select(AuditEvent.target_id).where(AuditEvent.action == "tagging.tag_moved")
        ).all()
        assert sorted(moved) == [a, b]
        assert db.session.scalar(
            select(AuditEvent.details).where(AuditEvent.action == "tagging.theme_merged")
        ) == {"into": lighting, "into_code": "lighting", "moved": 2}
    # Never deleted; a merged theme cannot come back or be merged again.
    page = officer.get(url).get_data(as_text=True)
    assert "Merged into Lighting" in page
    officer.post(f"/tagging/themes/{lights}/restore")
    with app.app_context():
        assert db.session.get(Theme, lights).retired_at is not None


def test_retire_restore_and_map_themes_onto_framework_terms(app, role_client, setting):
    officer = role_client("officer")
    officer.post(f"/tagging/{setting.consultation}/themes", data={"name": "Youth clubs closing"})
    theme = _theme(app, setting, "Youth clubs closing")
    with app.app_context():
        youth, p1 = term_id("youth-safety-and-exploitation"), term_id("P1")
    officer.post(f"/tagging/themes/{theme}/terms", data={"terms": [youth, p1]})
    with app.app_context():
        assert {t.id for t in db.session.get(Theme, theme).terms} == {youth, p1}
    page = officer.get(f"/tagging/themes/{theme}/terms").get_data(as_text=True)
    assert f'value="{youth}" checked' in page
    officer.post(f"/tagging/themes/{theme}/retire")
    reading = officer.get(f"/tagging/{setting.consultation}/contributions/{setting.published[0]}")
    assert f'value="theme-{theme}"' not in reading.get_data(as_text=True)
    officer.post(f"/tagging/themes/{theme}/restore")
    with app.app_context():
        assert db.session.get(Theme, theme).retired_at is None
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {
            "tagging.theme_mapped",
            "tagging.theme_retired",
            "tagging.theme_restored",
        } <= actions
