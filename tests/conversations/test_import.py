"""Importing Pol.is exports: folder or zip, with or without votes.csv, from the command line
or the upload form (its own size limit), bad files named and nothing half-imported."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from community.conversations.models import Conversation, Participant, Statement, Vote
from community.extensions import db
from tests.support.factories import make_consultation

POLIS = Path(__file__).resolve().parents[1] / "data" / "polis"
LONDON = POLIS / "london.youth.policing"


def _zip(files: dict[str, bytes], folder: str = "export/", stored=False) -> bytes:
    buffer = io.BytesIO()
    mode = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", mode) as archive:
        for name, data in files.items():
            archive.writestr(folder + name, data)
    return buffer.getvalue()


def _london(*names: str) -> dict[str, bytes]:
    return {name: (LONDON / name).read_bytes() for name in names}


def _latest_votes_in_file() -> int:
    with open(LONDON / "participants-votes.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fixed = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    return sum(1 for r in rows for k, v in r.items() if k not in fixed and v not in ("", None))


def _topic() -> str:
    with open(LONDON / "summary.csv", newline="", encoding="utf-8") as fh:
        return dict(row[:2] for row in csv.reader(fh) if len(row) >= 2)["topic"].strip()


def _counts(app) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Conversation, Statement, Participant, Vote)
        )


def test_cli_imports_a_zip_without_votes_csv_into_a_consultation(app, tmp_path):
    with app.app_context():
        slug = make_consultation().slug
    path = tmp_path / "london.zip"
    path.write_bytes(_zip(_london("comments.csv", "participants-votes.csv", "summary.csv")))
    result = app.test_cli_runner().invoke(
        args=["conversations", "import", str(path), "--consultation", slug]
    )
    assert result.exit_code == 0, result.output
    assert "Statements: 39" in result.output and "Participants: 26" in result.output
    total = _latest_votes_in_file()
    assert f"Votes: {total:,} of {total:,}" in result.output
    with app.app_context():
        conversation = db.session.scalar(select(Conversation))
        assert conversation.consultation.slug == slug
        votes = db.session.scalar(select(func.count()).select_from(Vote))
    assert votes == _latest_votes_in_file()


def test_cli_imports_a_folder_into_a_new_draft_consultation(app):
    result = app.test_cli_runner().invoke(args=["conversations", "import", str(LONDON)])
    assert result.exit_code == 0, result.output
    assert "New draft consultation" in result.output
    with app.app_context():
        conversation = db.session.scalar(select(Conversation))
        assert conversation.consultation.published_at is None
        assert conversation.question == _topic()
        votes = db.session.scalar(select(func.count()).select_from(Vote))
    assert votes == _latest_votes_in_file()


@pytest.mark.parametrize(
    ("name", "row", "column", "text"),
    [
        ("votes.csv", 4, "vote", "“2” is not one of -1, 0, 1"),
        ("votes.csv", 3, "comment-id", "statement 999 is not in comments.csv"),
        ("comments.csv", 2, "moderated", "“x” is not one of -1, 0, 1"),
    ],
)
def test_a_bad_file_names_file_row_and_column_and_imports_nothing(
    app, tmp_path, name, row, column, text
):
    with app.app_context():
        slug = make_consultation().slug
    before = _counts(app)
    folder = tmp_path / "bad"
    folder.mkdir()
    for file in ("comments.csv", "votes.csv"):
        (folder / file).write_bytes((LONDON / file).read_bytes())
    with open(folder / name, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    rows[row - 1][header.index(column)] = {"vote": "2", "comment-id": "999", "moderated": "x"}[
        column
    ]
    with open(folder / name, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    result = app.test_cli_runner().invoke(
        args=["conversations", "import", str(folder), "--consultation", slug]
    )
    assert result.exit_code != 0
    assert f"{name}, row {row}, column {column}: {text}" in result.output
    assert "nothing was imported" in result.output
    assert _counts(app) == before


def test_upload_form_takes_a_zip_above_the_app_limit(app, role_client):
    with app.app_context():
        consultation_id = make_consultation().id
    padding = b"x" * (3 * 1024 * 1024)  # over the 2 MiB app limit; ignored by the importer
    body = _zip(_london("comments.csv", "votes.csv") | {"notes.bin": padding}, stored=True)
    assert len(body) > 2 * 1024 * 1024
    response = role_client("officer").post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={"question": "", "archive": (io.BytesIO(body), "london.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        conversation = db.session.scalar(select(Conversation))
        assert conversation.question.startswith("How can we") or conversation.question


def test_upload_form_takes_comments_with_participants_votes(app, role_client):
    with app.app_context():
        consultation_id = make_consultation().id
    data = {
        "question": "Youth",
        "comments": (io.BytesIO((LONDON / "comments.csv").read_bytes()), "comments.csv"),
        "participants_votes": (
            io.BytesIO((LONDON / "participants-votes.csv").read_bytes()),
            "participants-votes.csv",
        ),
    }
    response = role_client("officer").post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Vote)) == (
            _latest_votes_in_file()
        )


def test_uploads_above_the_limit_are_refused_with_the_limit_named(app, role_client):
    with app.app_context():
        consultation_id = make_consultation().id
    app.config["UPLOAD_LIMITS"]["conversations_admin.import_polis"] = 3 * 1024 * 1024
    officer = role_client("officer")
    big = io.BytesIO(b"x" * (4 * 1024 * 1024))
    refused = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={"archive": (big, "big.zip")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 413
    assert "The largest we accept here is 3 MiB." in refused.get_data(as_text=True)
    # everywhere else the app keeps its 2 MiB limit
    elsewhere = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/new",
        data={"question": "x" * (3 * 1024 * 1024)},
    )
    assert elsewhere.status_code == 413
    assert "The largest we accept here is 2 MiB." in elsewhere.get_data(as_text=True)
    assert _counts(app)[0] == 0


def test_upload_form_errors_name_the_file_and_import_nothing(app, role_client):
    with app.app_context():
        consultation_id = make_consultation().id
    officer = role_client("officer")
    missing = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={"question": "Q"},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 200
    assert "Choose the export’s .zip file, or its comments.csv" in missing.get_data(as_text=True)
    not_zip = officer.post(
        f"/manage/consultations/{consultation_id}/conversations/import",
        data={"archive": (io.BytesIO(b"not a zip"), "export.zip")},
        content_type="multipart/form-data",
    )
    html = not_zip.get_data(as_text=True)
    assert not_zip.status_code == 200 and "export.zip: not a zip file" in html
    assert "Nothing was imported" in html
    assert _counts(app)[0] == 0
