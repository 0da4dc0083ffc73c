"""The framework: loaded from the data file, explained in public, edited by officers."""

from __future__ import annotations

from sqlalchemy import func, select

from community.audit.models import AuditEvent
from community.extensions import db
from community.framework.models import Term, Vocabulary
from community.framework.service import seed


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_flask_seed_loads_the_plan_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert "5 vocabularies and 47 terms added" in first.output
    second = runner.invoke(args=["seed"])
    assert "0 vocabularies and 0 terms added (already up to date)" in second.output
    assert _count(app, Vocabulary) == 5
    assert _count(app, Term) == 47
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(Vocabulary.code, func.count(Term.id)).join(Term).group_by(Vocabulary.code)
            ).all()
        )
    assert counts == {"principle": 7, "five_c": 5, "prevention": 3, "issue": 11, "area": 21}


def test_seeding_again_keeps_officers_edits(app, framework):
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.code == "anti-social-behaviour"))
        term.name = "ASB"
        term.retire()
        db.session.commit()
        report = seed(app.config["FRAMEWORK_FILE"])
        db.session.commit()
        assert not report.changed
        term = db.session.scalar(select(Term).where(Term.code == "anti-social-behaviour"))
        assert term.name == "ASB" and not term.is_active


def test_public_pages_explain_the_framework(client, framework):
    page = client.get("/framework/").get_data(as_text=True)
    for text in (
        "Public health approach principles",
        "Prevent and intervene early",
        "Counter-narrative development",
        "Norbiton",
        "Anti-social behaviour",
    ):
        assert text in page
    detail = client.get("/framework/five_c").get_data(as_text=True)
    assert "alternatives to criminal activity" in detail.lower()
    assert client.get("/framework/nonsense").status_code == 404


def test_officer_adds_renames_retires_and_restores_an_issue(app, role_client, framework):
    officer = role_client("officer")
    response = officer.post(
        "/admin/framework/issue/new",
        data={"name": "Shoplifting", "description": "Theft from shops", "code": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        term = db.session.scalar(select(Term).where(Term.code == "shoplifting"))
        term_id = term.id
    officer.post(
        f"/admin/framework/terms/{term_id}/edit",
        data={"name": "Retail crime", "description": "Theft from shops"},
    )
    assert "Retail crime" in officer.get("/framework/issue").get_data(as_text=True)
    officer.post(f"/admin/framework/terms/{term_id}/retire")
    assert "Retail crime" not in officer.get("/framework/issue").get_data(as_text=True)
    assert _count(app, Term) == 48  # retired, never deleted
    officer.post(f"/admin/framework/terms/{term_id}/restore")
    assert "Retail crime" in officer.get("/framework/issue").get_data(as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["term.added", "term.edited", "term.retired", "term.restored"]


def test_duplicate_codes_are_refused_with_a_message(role_client, framework):
    response = role_client("admin").post(
        "/admin/framework/issue/new", data={"name": "Road safety", "description": ""}
    )
    assert response.status_code == 200
    assert "There is already a term with the code road-safety" in response.get_data(as_text=True)


def test_the_plans_own_lists_cannot_grow(role_client, framework):
    officer = role_client("officer")
    assert officer.get("/admin/framework/principle/new").status_code == 403
    assert officer.post("/admin/framework/principle/new", data={"name": "PH8"}).status_code == 403
