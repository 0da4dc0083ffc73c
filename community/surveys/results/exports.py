"""Responses as a spreadsheet (CSV or XLSX) for analysts: one row per submitted response.

Columns: reference, submitted at, channel, each question's ``columns()`` filled by
its ``export()``, then, only for people allowed to see them, the "about you"
answers. Never a name or an email address. Every cell a spreadsheet could take
for a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from ...accounts.permissions import can
from ...framework.service import ward_names
from ...spreadsheet import ILLEGAL_CHARACTERS_RE, neutralise
from .. import about_you
from ..models import Survey
from .counts import Responses, load

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_see_about_you(user) -> bool:
    """Whether "about you" columns go into the download.

    Decision: the people who analyse (officers and admins today), because checking
    who has been heard is their job; partners and moderators cannot download at
    all (the download needs "analyse" too). One place to change if the partnership
    decides otherwise.
    """
    return can(user, "analyse")


def about_you_keys(survey: Survey, include: bool) -> list[str]:
    """The "about you" columns: never special-category answers (ethnicity, disability),
    which people were told are used only in totals."""
    if not include:
        return []
    return [k for k, q in about_you.QUESTIONS.items() if k in survey.about_you and not q.special]


def header(survey: Survey, about_keys: list[str]) -> list[str]:
    columns = [_("Reference"), _("Submitted at (UTC)"), _("Channel")]
    for question in survey.questions:
        columns += [str(c) for c in question.type.columns(question)]
    columns += [_("About you: %(q)s", q=about_you.QUESTIONS[k].text) for k in about_keys]
    return columns


def _about_labels(keys: list[str]) -> dict[str, dict[str, str]]:
    return {
        k: {code: str(text) for code, text in about_you.choices(about_you.QUESTIONS[k])}
        for k in keys
    }


def rows(survey: Survey, data: Responses, about_keys: list[str]) -> Iterator[list[Any]]:
    """One list of cell values per submitted response (not yet neutralised)."""
    questions = [q for q in survey.questions if q.type.columns(q)]
    wards = ward_names() if any(q.kind == "ward" for q in questions) else {}
    labels = _about_labels(about_keys)
    for response in data.rows:
        values = data.values[response.id]
        row: list[Any] = [response.reference, response.submitted_at, str(response.channel)]
        for question in questions:
            value = values.get(question.id)
            if question.kind == "ward":
                row.append(wards.get(value, value) if value else "")
            else:
                row += list(question.type.export(question, value))
        answers = data.about_you.get(response.id, {})
        for key in about_keys:
            value = answers.get(key)
            row.append(labels[key].get(value, value) if value else "")
        yield row


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "" if value is None else value


def to_csv(columns: list[str], table: Iterator[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read every script correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(c) for c in columns])
    for row in table:
        writer.writerow([neutralise(_text(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: stored as UTC, as the header says.
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


@dataclass
class Download:
    body: bytes
    mimetype: str
    filename: str
    responses: int
    about_you: bool


def download(survey: Survey, extension: str, *, include_about_you: bool) -> Download:
    """The whole spreadsheet, as CSV or XLSX."""
    data = load(survey, about_you=include_about_you)
    keys = about_you_keys(survey, include_about_you)
    columns, table = header(survey, keys), rows(survey, data, keys)
    if extension == "csv":
        body, mimetype = to_csv(columns, table), "text/csv"
    else:
        body, mimetype = to_xlsx(columns, table, survey.title), XLSX
    filename = f"survey-{survey.id}-responses.{extension}"
    return Download(body, mimetype, filename, len(data.rows), bool(keys))


def to_xlsx(columns: list[str], table: Iterator[list[Any]], title: str) -> bytes:
    """One sheet; every text cell is stored as text, so nothing in it is ever a formula."""
    from openpyxl import Workbook  # imported when a workbook is made: it is heavy

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Responses")
    sheet.append([_xlsx_value(c) for c in columns])
    for row in table:
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
