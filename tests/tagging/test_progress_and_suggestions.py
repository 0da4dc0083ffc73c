"""Progress per consultation, suggestions in the reading view, their precision, retraining."""

from __future__ import annotations

from sqlalchemy import select

from community import jobs
from community.contributions.models import Contribution
from community.extensions import db
from community.tagging import codebook as codebooks
from community.tagging.models import (
    SuggestionDecision,
    SuggestionModel,
    Tag,
    TagSource,
)
from community.tagging.queries import progress
from community.tagging.suggestions import service as suggestions
from tests.support.factories import make_consultation, make_contribution
from tests.tagging.conftest import add_tag, term_key
from tests.tagging.corpus import generate


def test_progress_is_the_share_of_published_and_pending_coded_by_an_officer(
    app, role_client, setting, users
):
    with app.app_context():
        add_tag(setting.published[0], term_key("PH1"), users["officer"].id)
        add_tag(setting.published[0], term_key("PH2"), users["officer"].id)
        add_tag(setting.pending[0], term_key("PH1"), users["admin"].id, source=TagSource.SUGGESTION)
        add_tag(setting.published[1], term_key("PH1"), None, source=TagSource.AUTHOR)
        add_tag(setting.rejected, term_key("PH1"), users["officer"].id)  # not counted
        empty = make_consultation().id
        db.session.commit()
        found = progress([setting.consultation, empty])
        assert (found[setting.consultation].total, found[setting.consultation].analysed) == (5, 2)
        assert found[setting.consultation].share == 0.4
        assert (found[empty].total, found[empty].analysed, found[empty].share) == (0, 0, None)
    page = role_client("officer").get("/tagging/").get_data(as_text=True)
    assert "40%" in page
    overview = role_client("admin").get(f"/tagging/{setting.consultation}/").get_data(as_text=True)
    assert ">5</span>" in overview and ">2</span>" in overview and ">40%</span>" in overview


def test_keyword_suggestions_are_accepted_or_rejected_and_precision_is_shown(
    app, role_client, setting, users
):
    officer = role_client("officer")
    url = f"/tagging/{setting.consultation}/contributions/{setting.published[1]}"
    page = officer.get(url).get_data(as_text=True)
    # "Knife crime near the station worries me, kids carrying knives"
    with app.app_context():
        knife = term_key("serious-violence-and-knife-crime")
        item = db.session.get(Contribution, setting.published[1])
        codebook = codebooks.load(setting.consultation)
        offered = [s.key for s in suggestions.for_contribution(item, codebook, set())]
    assert knife in offered and f'name="key" value="{knife}"' in page
    officer.post(f"{url}/suggestions", data={"key": knife, "decision": "accept"})
    other = next(k for k in offered if k != knife) if len(offered) > 1 else None
    if other:
        officer.post(f"{url}/suggestions", data={"key": other, "decision": "reject"})
    with app.app_context():
        tag = db.session.scalar(select(Tag).where(Tag.contribution_id == setting.published[1]))
        assert (tag.key, tag.source, tag.coder_id) == (
            knife,
            TagSource.SUGGESTION,
            users["officer"].id,
        )
        decisions = db.session.scalars(select(SuggestionDecision)).all()
        assert sorted(d.accepted for d in decisions) == ([False, True] if other else [True])
        precision = suggestions.precision(setting.consultation)
        assert precision.accepted == 1 and precision.decided == len(decisions)
    page = officer.get(url).get_data(as_text=True)
    assert f'name="key" value="{knife}"' not in page  # decided: not suggested again
    if other:
        assert f'name="key" value="{other}"' not in page
    overview = officer.get(f"/tagging/{setting.consultation}/").get_data(as_text=True)
    share = "50%" if other else "100%"
    assert f"data-precision>{share}<" in overview
    # A suggestion that is not (or no longer) offered is refused.
    response = officer.post(f"{url}/suggestions", data={"key": knife, "decision": "accept"})
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(SuggestionDecision)).all()) == len(decisions)


def test_saving_tags_asks_for_retraining_which_trains_off_the_request_path(
    app, role_client, setting, users, monkeypatch
):
    asked = []
    monkeypatch.setattr(jobs, "_dispatch", lambda app, names: asked.append(set(names)))
    role_client("officer").post(
        f"/tagging/{setting.consultation}/contributions/{setting.published[0]}",
        data={"code": []},
    )
    assert asked == []  # nothing changed: no retraining
    with app.app_context():
        ph1 = term_key("PH1")
    role_client("officer").post(
        f"/tagging/{setting.consultation}/contributions/{setting.published[0]}",
        data={"code": [ph1]},
    )
    assert asked == [{"retrain_suggestions"}]
    with app.app_context():
        assert db.session.scalar(select(SuggestionModel.id)) is None  # not trained in the request
        assert jobs.run("retrain_suggestions") == "not enough tags yet (1 coded contributions)"
        assert jobs.run("retrain_suggestions") is None  # nothing changed since
        assert db.session.scalar(select(SuggestionModel.ready)) is False


def test_once_there_are_enough_tags_the_model_suggests_and_is_reused(
    app, role_client, setting, users
):
    """Officers code a generated corpus; the job trains; the reading view suggests from it."""
    codes = {
        "lighting": "theme",
        "knife": "serious-violence-and-knife-crime",
        "roads": "road-safety",
    }
    with app.app_context():
        from community.consultations.models import Consultation
        from community.tagging.themes.service import add_theme

        consultation = db.session.get(Consultation, setting.consultation)
        theme = add_theme(consultation.id, "Dim", "", db.session.merge(users["officer"]))
        keys = {
            name: theme.key if code == "theme" else term_key(code) for name, code in codes.items()
        }
        for text, labels in generate(n=120, seed=11):
            chosen = [keys[x] for x in labels if x in keys]
            if not chosen:
                continue
            item = make_contribution(consultation, status="published", body=text, commit=False)
            db.session.flush()
            for key in chosen:
                add_tag(item.id, key, users["officer"].id)
        probe = make_contribution(
            consultation,
            status="published",
            body="so dark, the lamp is unlit and the bulb gone, gloomy shadows everywhere",
        ).id
        db.session.commit()
        result = jobs.run("retrain_suggestions")
        assert result.startswith("trained on") and "3 codes" in result
        model = db.session.scalar(select(SuggestionModel))
        assert model.ready and model.summary["labels"][keys["lighting"]] >= 5
    page = (
        role_client("officer")
        .get(f"/tagging/{setting.consultation}/contributions/{probe}")
        .get_data(as_text=True)
    )
    assert f'name="key" value="{keys["lighting"]}"' in page
    assert "from the model" in page
    with app.app_context():
        first = suggestions.current()
        assert first is suggestions.current()  # cached in the process


def test_the_fingerprint_changes_with_codes_but_not_with_pins(app, setting, users):
    with app.app_context():
        from community.tagging.themes.service import add_theme, merge

        officer = db.session.merge(users["officer"])
        a, b = (add_theme(setting.consultation, name, "", officer) for name in ("A", "B"))
        tag = add_tag(setting.published[0], a.key, officer.id)
        db.session.commit()
        before = suggestions.fingerprint()
        tag.pinned = True
        db.session.commit()
        assert suggestions.fingerprint() == before
        merge(a, b, officer)
        db.session.commit()
        assert suggestions.fingerprint() != before
