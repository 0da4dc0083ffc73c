"""'Your data': a person downloads everything held about them, and nothing of anyone else's."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from sqlalchemy import select

from community.accounts.models import User
from community.audit.models import AuditEvent
from community.extensions import db
from tests.conftest import sign_in_client
from tests.privacy.conftest import (
    OTHER_ABOUT,
    PERSON_ABOUT,
    PERSON_EMAIL,
    PERSON_NAME,
    PERSON_SURNAME,
)
from tests.support.factories import HOSTILE_NAME


def _download(app, user_id: int) -> dict[str, list[dict]]:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
    response = sign_in_client(app, user).get("/account/your-data/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert "README.txt" in names
    data = {}
    for name in names:
        if name.startswith("json/"):
            key = name[len("json/") : -len(".json")]
            data[key] = json.loads(archive.read(name))
            # The CSV twin has the same rows.
            rows = list(csv.DictReader(io.StringIO(archive.read(f"csv/{key}.csv").decode())))
            assert len(rows) == len(data[key]), key
    data["_raw"] = b"".join(archive.read(n) for n in names)
    return data


def test_the_zip_holds_the_persons_data_of_every_kind(app, world):
    data = _download(app, world.person)
    (account,) = data["account"]
    assert account["email"] == PERSON_EMAIL and account["display_name"] == PERSON_NAME[:60]
    kinds = {row["kind"] for row in data["contributions"]}
    assert kinds == {"idea", "comment", "statement", "project", "survey_answer"}
    idea = next(row for row in data["contributions"] if row["kind"] == "idea")
    # Each kind brings its own columns (joined-table inheritance), read generically.
    assert idea["title"] == "Benches by the river" and "board_id" in idea
    project = next(row for row in data["contributions"] if row["kind"] == "project")
    assert project["audience"] == "Year 9 and 10"
    (response,) = data["survey_responses"]
    assert response["hear_back"] is True and response["status"] == "submitted"
    answers = {row["question"]: row["answer"] for row in data["survey_answers"]}
    assert answers["Do you feel safe at night?"] == "No"
    assert PERSON_SURNAME in answers["What would help?"]
    assert {row["stored_value"] for row in data["about_you"]} == set(PERSON_ABOUT.values())
    assert sorted(row["vote"] for row in data["conversation_votes"]) == [
        "agree",
        "disagree",
        "pass",
    ]
    assert [row["idea"] for row in data["idea_supports"]] == ["Lights in the park"]
    assert len(data["group_memberships"]) == 1
    assert data["groups_led"][0]["group"] == "Riverside residents"
    assert len(data["follows"]) == 1
    assert data["reports"][0]["reason"] == "off_topic"
    assert data["project_messages"][0]["message"] == "Can we meet on Tuesday?"
    receipts = [m for m in data["mail"] if m["kind"] == "survey_receipt"]
    assert len(receipts) == 1 and receipts[0]["to"] == PERSON_EMAIL


def test_the_zip_holds_nothing_of_anyone_else(app, world):
    data = _download(app, world.person)
    raw = data["_raw"].decode()
    with app.app_context():
        other = db.session.get(User, world.other)
        other_email = other.email
    assert other_email not in raw
    assert HOSTILE_NAME not in raw and json.dumps(HOSTILE_NAME)[1:-1] not in raw
    assert "More buses at night" not in raw  # the other person's free text
    assert OTHER_ABOUT["ward"] not in raw and OTHER_ABOUT["ethnicity"] not in raw
    # And the other person's own download has their data, not the person's.
    theirs = _download(app, world.other)
    raw = theirs["_raw"].decode()
    assert PERSON_EMAIL not in raw and PERSON_SURNAME not in raw
    assert {row["stored_value"] for row in theirs["about_you"]} == set(OTHER_ABOUT.values())


def test_the_download_is_audited_and_the_page_lists_what_it_holds(app, world):
    with app.app_context():
        user = db.session.get(User, world.person)
        db.session.expunge(user)
    client = sign_in_client(app, user)
    page = client.get("/account/your-data").get_data(as_text=True)
    assert "Download your data" in page and "Ideas you supported" in page
    assert "/account/your-data/download" in page
    client.get("/account/your-data/download")
    with app.app_context():
        (event,) = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "privacy.data_downloaded")
            .order_by(AuditEvent.id)
        ).all()
        assert event.actor_id == world.person and event.target_id == world.person
        assert event.details["files"]["idea_supports"] == 1
        assert PERSON_EMAIL not in json.dumps(event.details)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/account/your-data/download")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
