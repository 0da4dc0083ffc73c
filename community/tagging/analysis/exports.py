"""A consultation's contributions and their codes, as CSV or XLSX.

One row per contribution: its moderation status, ward, age band, text, then for
each vocabulary (and the themes) the codes and names it carries, who coded it
and how. The XLSX has a second sheet with one row per tag. Text of rejected,
hidden and withdrawn contributions is left out (they were taken down for a
reason); people without "tag" get published contributions only. Every cell a
spreadsheet could read as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from ...accounts.models import User
from ...contributions.models import Contribution, ContributionStatus
from ...extensions import db
from ...spreadsheet import ILLEGAL_CHARACTERS_RE, neutralise
from ..codebook import Codebook
from ..models import Tag, code_key
from ..queries import UNKNOWN, Filters, scope
from .figures import age_labels, ward_labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Statuses whose text is exported.
TEXT_STATUSES = (ContributionStatus.PUBLISHED, ContributionStatus.PENDING)


def table(consultation_id: int, codebook: Codebook, statuses) -> tuple[list, list, list, list]:
    """Header and rows of contributions, and header and rows of tags (three queries)."""
    wards, ages = ward_labels(codebook), age_labels()
    people = scope(consultation_id, statuses, Filters())
    contributions = {
        c.id: c
        for c in db.session.scalars(
            select(Contribution).where(
                Contribution.consultation_id == consultation_id, Contribution.status.in_(statuses)
            )
        )
    }
    tags: dict[int, list] = defaultdict(list)
    tag_rows = []
    for tag, coder in db.session.execute(
        select(Tag, User.display_name)
        .outerjoin(User, User.id == Tag.coder_id)
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(Contribution.consultation_id == consultation_id, Contribution.status.in_(statuses))
        .order_by(Tag.contribution_id, Tag.id)
    ):
        tags[tag.contribution_id].append((tag, coder or ""))
        code = codebook.by_key.get(code_key(tag.term_id, tag.theme_id))
        tag_rows.append(
            [
                tag.contribution_id,
                codebook.group_name(code.group) if code else "",
                code.code if code else "",
                code.name if code else "",
                coder or "",
                tag.source.value,
                _("yes") if tag.pinned else "",
                tag.created_at.isoformat(timespec="seconds"),
            ]
        )
    groups = codebook.groups
    header = [
        _("Contribution"),
        _("Kind"),
        _("Moderation status"),
        _("Received"),
        _("Young person"),
        _("Ward"),
        _("Age band"),
        _("Text"),
    ]
    for g in groups:
        header += [_("%(group)s: codes", group=g.name), _("%(group)s: names", group=g.name)]
    header += [_("Representative quote for"), _("Coded by"), _("How coded")]
    rows = []
    for row in people:
        contribution = contributions[row.id]
        own = tags.get(row.id, [])
        by_group = defaultdict(list)
        for tag, _coder in own:
            code = codebook.by_key.get(tag.key)
            if code is not None:
                by_group[code.group].append(code)
        text = (
            contribution.body
            if contribution.status in TEXT_STATUSES
            else _("[not exported: %(status)s]", status=contribution.status.value)
        )
        line = [
            contribution.id,
            contribution.kind,
            contribution.status.value,
            contribution.created_at.isoformat(timespec="seconds"),
            _("yes") if contribution.by_youth else _("no"),
            wards.get(row[3] or UNKNOWN, row[3]),
            ages.get(row[4] or UNKNOWN, row[4]),
            text,
        ]
        for g in groups:
            line += [
                "; ".join(c.code for c in by_group[g.code]),
                "; ".join(c.name for c in by_group[g.code]),
            ]
        line += [
            "; ".join(codebook.label(t.key) for t, _c in own if t.pinned),
            "; ".join(sorted({coder for _t, coder in own if coder})),
            "; ".join(sorted({t.source.value for t, _c in own})),
        ]
        rows.append(line)
    tag_header = [
        _("Contribution"),
        _("List"),
        _("Code"),
        _("Name"),
        _("Coded by"),
        _("How coded"),
        _("Representative quote"),
        _("Coded at"),
    ]
    return header, rows, tag_header, tag_rows


def to_csv(header: list, rows: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return "\ufeff" + buffer.getvalue()  # a BOM, so spreadsheet programs read UTF-8


def write_sheet(sheet, header: list, rows: list) -> None:
    """Every text cell is stored as text, so nothing in it is ever a formula."""
    sheet.append([str(h) for h in header])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
                cell.data_type = "s"
            else:
                cell.value = value
    sheet.freeze_panes = "A2"


def to_xlsx(header: list, rows: list, tag_header: list, tag_rows: list) -> bytes:
    from openpyxl import Workbook  # imported when a workbook is made: it is heavy

    workbook = Workbook()
    contributions = workbook.active
    contributions.title = _("Contributions")[:31]
    write_sheet(contributions, header, rows)
    write_sheet(workbook.create_sheet(_("Tags")[:31]), tag_header, tag_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
