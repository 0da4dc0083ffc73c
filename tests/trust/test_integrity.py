"""Consultations without a closing date never break a page; published slugs never move."""

from __future__ import annotations

from community.consultations.models import Consultation
from community.extensions import db
from tests.support.factories import make_consultation

FORM = {
    "title": "Safer parks",
    "summary": "About parks.",
    "opens_on": ["1", "1", "2026"],
    "closes_on": ["1", "2", "2099"],
    "moderation_policy": "pre_youth_anon",
    "audience": "everyone",
    "allow_anonymous": "no",
    "results_public": "yes",
}


def test_a_published_consultation_without_a_closing_date_breaks_no_page(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        consultation.closes_at = None
        db.session.commit()
        slug = consultation.slug
    for role in ("visitor", "resident", "officer"):
        client = role_client(role)
        for url in (
            "/consultations/",
            f"/consultations/{slug}",
            "/",
            "/api/v1/consultations",
            f"/api/v1/consultations/{slug}",
            "/outcomes/",
            "/open-data",
        ):
            assert client.get(url).status_code < 500, (role, url)


def test_a_published_consultation_cannot_lose_its_closing_date(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        consultation_id = consultation.id
    data = {k: v for k, v in FORM.items() if not k.startswith("closes_on")}
    page = role_client("officer").post(f"/manage/consultations/{consultation_id}/edit", data=data)
    assert page.status_code == 200
    assert "closing date" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).closes_at is not None


def test_editing_dates_keeps_a_published_slug(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        consultation_id, slug = consultation.id, consultation.slug
    officer = role_client("officer")
    saved = officer.post(f"/manage/consultations/{consultation_id}/edit", data=FORM)
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).slug == slug


def test_a_deliberate_rename_redirects_the_old_address(app, role_client):
    with app.app_context():
        consultation = make_consultation()
        consultation_id, old = consultation.id, consultation.slug
    officer = role_client("officer")
    saved = officer.post(
        f"/manage/consultations/{consultation_id}/edit", data={**FORM, "slug": "safer-parks"}
    )
    assert saved.status_code == 302
    visitor = role_client("visitor")
    moved = visitor.get(f"/consultations/{old}?x=1")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/consultations/safer-parks?x=1")
    api = visitor.get(f"/api/v1/consultations/{old}")
    assert api.status_code == 301
    assert api.headers["Location"].endswith("/api/v1/consultations/safer-parks")
    assert visitor.get("/consultations/safer-parks").status_code == 200
    # An old address is never handed to another consultation.
    with app.app_context():
        from community.consultations.service import unique_slug

        assert unique_slug(old) != old


def test_a_draft_slug_follows_its_title(app, role_client):
    with app.app_context():
        consultation = make_consultation(phase="draft")
        consultation_id = consultation.id
    role_client("officer").post(f"/manage/consultations/{consultation_id}/edit", data=FORM)
    with app.app_context():
        assert db.session.get(Consultation, consultation_id).slug == "safer-parks"
