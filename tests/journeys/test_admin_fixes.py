"""What admins tripped over: an error on the first visit to the people list, and a
message about the role when only the organisation was changed."""

from __future__ import annotations

from community.accounts.models import Organisation, Role
from community.extensions import db
from tests.support.factories import make_user


def test_the_people_list_shows_no_error_on_first_load(role_client):
    admin = role_client("admin")
    for path in ("/admin/users/", "/admin/users/?q=example"):
        page = admin.get(path).get_data(as_text=True)
        assert "Not a valid choice" not in page, path
        assert "govuk-error-message" not in page, path


def test_changing_only_the_organisation_says_so(app, role_client):
    with app.app_context():
        person = make_user(Role.PARTNER, display_name="Pat Partner")
        person_id = person.id
    admin = role_client("admin")
    changed = admin.post(
        f"/admin/users/{person_id}/role",
        data={"role": "partner", "organisation": "police"},
        follow_redirects=True,
    )
    page = changed.get_data(as_text=True)
    assert "Organisation changed to Metropolitan Police." in page
    assert "Role changed" not in page
    both = admin.post(
        f"/admin/users/{person_id}/role",
        data={"role": "officer", "organisation": "council"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Role changed to Officer and organisation to Royal Borough" in both
    same = admin.post(
        f"/admin/users/{person_id}/role",
        data={"role": "officer", "organisation": "council"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Nothing changed" in same
    with app.app_context():
        from community.accounts.models import User

        person = db.session.get(User, person_id)
        assert person.role == Role.OFFICER and person.organisation == Organisation.COUNCIL
