"""Downloads: every contribution of a consultation with its codes, as CSV and XLSX."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from community.audit.models import AuditEvent
from community.consultations.models import Consultation
from community.extensions import db
from community.tagging.analysis.exports import neutralise
from community.tagging.themes.service import add_theme
from tests.support.factories import make_contribution
from tests.tagging.conftest import add_tag, term_key

FORMULA = "=cmd|' /C calc'!A0"


def _prepare(app, setting, users):
    with app.app_context():
        officer = db.session.merge(users["officer"])
        consultation = db.session.get(Consultation, setting.consultation)
        hostile = make_contribution(consultation, status="published", body=FORMULA).id
        theme = add_theme(setting.consultation, "@SUM(1+1)", "", officer)
        add_tag(hostile, term_key("PH1"), officer.id, pinned=True)
        add_tag(hostile, term_key("C2"), officer.id)
        add_tag(hostile, theme.key, officer.id)
        add_tag(setting.rejected, term_key("PH1"), officer.id)
        db.session.commit()
        return hostile


def test_csv_has_codes_per_list_and_is_safe_from_formula_injection(
    app, role_client, setting, users
):
    hostile = _prepare(app, setting, users)
    response = role_client("officer").get(f"/tagging/{setting.consultation}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    body = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(body) == 7  # every contribution, whatever its status
    row = body[str(hostile)]
    assert row["Text"] == "'" + FORMULA
    assert row["Public health approach principles: codes"] == "PH1"
    assert row["The 5Cs of partnership working: codes"] == "C2"
    assert row["Themes of this consultation: names"] == "'@SUM(1+1)"
    assert row["Representative quote for"] == "Prevent and intervene early"
    assert row["How coded"] == "officer" and row["Moderation status"] == "published"
    assert "<script>" in row["Coded by"]  # names as they are: a CSV is not HTML
    rejected = body[str(setting.rejected)]
    assert rejected["Moderation status"] == "rejected"
    assert rejected["Text"] == "[not exported: rejected]"
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "tagging.exported"))
        assert event.details == {"format": "csv", "rows": 7}
        assert event.target_id == setting.consultation and event.actor_id == users["officer"].id


def test_xlsx_opens_with_a_sheet_of_contributions_and_one_of_tags(app, role_client, setting, users):
    hostile = _prepare(app, setting, users)
    response = role_client("admin").get(f"/tagging/{setting.consultation}/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Contributions", "Tags"]
    sheet = workbook["Contributions"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    cell = rows[hostile][header.index("Text")]
    assert cell.data_type == "s" and cell.value == "'" + FORMULA
    assert rows[hostile][header.index("Public health approach principles: names")].value == (
        "Prevent and intervene early"
    )
    tags = list(workbook["Tags"].iter_rows(min_row=2, values_only=True))
    assert len(tags) == 4
    assert ("PH1", "Prevent and intervene early") in {(t[2], t[3]) for t in tags}
    with app.app_context():
        formats = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "tagging.exported")
        ).all()
        assert formats == [{"format": "xlsx", "rows": 7}]


def test_plain_numbers_are_not_treated_as_formulas():
    assert neutralise("-3") == "-3" and neutralise("+44") == "+44"
    assert neutralise("-3+4") == "'-3+4" and neutralise("\tx") == "'\tx"
    assert neutralise(12) == 12
