"""Administrators manage roles and accounts; every change is audited."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role, User
from community.audit.models import AuditEvent
from community.extensions import db
from tests.conftest import count_queries
from tests.support.factories import make_user


def _events(app, action):
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def test_admin_changes_a_role_and_it_is_audited(app, role_client, users):
    admin = role_client("admin")
    target = users["resident"]
    response = admin.post(f"/admin/users/{target.id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, target.id)
        assert user.role == Role.MODERATOR
        assert user.session_token != target.session_token  # old sessions end
    (event,) = _events(app, "user.role_changed")
    assert event.actor_id == users["admin"].id
    assert event.target_id == target.id
    assert event.details == {"old": "resident", "new": "moderator"}
    page = admin.get("/admin/audit/").get_data(as_text=True)
    assert "user.role_changed" in page


def test_youth_members_keep_the_youth_role(app, role_client, users):
    response = role_client("admin").post(
        f"/admin/users/{users['youth'].id}/role", data={"role": "officer"}
    )
    assert response.status_code == 400
    assert "Youth members keep the youth role" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, users["youth"].id).role == Role.YOUTH
    assert _events(app, "user.role_changed") == []


def test_an_admin_cannot_demote_themselves(app, role_client, users):
    response = role_client("admin").post(
        f"/admin/users/{users['admin'].id}/role", data={"role": "resident"}
    )
    assert response.status_code == 400
    assert "You cannot change your own role" in response.get_data(as_text=True)


def test_disabling_signs_the_person_out_and_enabling_restores(app, role_client, users):
    resident = role_client("resident")
    assert resident.get("/account").status_code == 200
    admin = role_client("admin")
    admin.post(f"/admin/users/{users['resident'].id}/disable")
    assert resident.get("/account").status_code == 302
    admin.post(f"/admin/users/{users['resident'].id}/enable")
    with app.app_context():
        assert db.session.get(User, users["resident"].id).is_active
    assert [e.action for e in _events(app, "user.disabled") + _events(app, "user.enabled")] == [
        "user.disabled",
        "user.enabled",
    ]


def test_viewing_a_persons_account_is_logged(app, role_client, users):
    role_client("admin").get(f"/admin/users/{users['resident'].id}")
    (event,) = _events(app, "user.viewed")
    assert event.target_id == users["resident"].id


def test_search_finds_by_email_name_and_role(app, role_client, users):
    with app.app_context():
        make_user(email="findme@example.com", display_name="Findable Person")
    admin = role_client("admin")
    page = admin.get("/admin/users/?q=findme").get_data(as_text=True)
    assert "findme@example.com" in page and "1 person" in page
    page = admin.get("/admin/users/?q=findable").get_data(as_text=True)
    assert "findme@example.com" in page
    page = admin.get("/admin/users/?role=officer").get_data(as_text=True)
    assert "1 person" in page


def test_user_list_queries_do_not_grow_with_people(app, role_client, users):
    admin = role_client("admin")
    with count_queries(app) as few:
        assert admin.get("/admin/users/").status_code == 200
    with app.app_context():
        for _ in range(20):
            make_user(commit=False)
        db.session.commit()
    with count_queries(app) as many:
        assert admin.get("/admin/users/").status_code == 200
    assert len(many) == len(few)


def test_audit_log_queries_do_not_grow_with_events(app, role_client, users):
    admin = role_client("admin")
    admin.get(f"/admin/users/{users['resident'].id}")
    with count_queries(app) as few:
        admin.get("/admin/audit/")
    for _ in range(10):
        admin.get(f"/admin/users/{users['officer'].id}")
    with count_queries(app) as many:
        admin.get("/admin/audit/")
    assert len(many) == len(few)
