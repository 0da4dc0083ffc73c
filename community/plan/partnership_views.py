"""For the partnership: the evidence matrix, its drill-down, exports and a printable report."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..accounts.permissions import can, requires
from ..audit.service import record
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..failures import attempt
from ..framework.models import Term, active_terms_query
from ..tagging.analysis.exports import XLSX, to_csv, write_sheet
from . import assessment, service
from . import matrix as evidence_matrix
from .forms import RESPONSE_LABELS, STATUS_LABELS
from .models import Finding

bp = Blueprint("partnership", __name__, url_prefix="/partnership")

AXES = {"principle", "five_c"}


def _filters() -> tuple[str, evidence_matrix.Filters, dict]:
    axis = request.args.get("axis", "principle")
    if axis not in AXES:
        axis = "principle"
    ward = request.args.get("ward", type=int)
    prevention = request.args.get("prevention", type=int)
    period = request.args.get("period", "").strip()
    since, until = evidence_matrix.period_bounds(period)
    filters = evidence_matrix.Filters(
        ward_id=ward,
        prevention_id=prevention,
        since=since,
        until=until,
        consultations=_readable(),
    )
    chosen = {
        "axis": axis,
        "ward": ward or "",
        "prevention": prevention or "",
        "period": period if since else "",
    }
    return axis, filters, chosen


def _readable():
    """What this person may read: everything for analysts; for a partner, the same
    "public or shared with your organisation" rule as its API token."""
    from ..partners.service import readable_consultations

    if can(current_user, "analyse"):
        return None
    return readable_consultations(current_user.organisation)


def _partner_figures(columns: list[Term], ward_id: int | None) -> dict[int, list]:
    """Partner data beside community evidence, per issue, suppressed like the rest."""
    from ..partners.service import partner_figures

    by_code = {term.code: term.id for term in columns}
    shown: dict[int, list] = {}
    for figure in partner_figures(ward_id=ward_id):  # one call for every issue
        if figure.issue_code in by_code:
            shown.setdefault(by_code[figure.issue_code], []).append(figure)
    return shown


@bp.route("/evidence")
@requires("view_shared_analysis")
def matrix():
    """Principles (or the 5Cs) × issues: contributions, consensus, findings and actions."""
    axis, filters, chosen = _filters()
    built = evidence_matrix.build(axis, filters)
    return render_template(
        "plan/partnership/matrix.html",
        matrix=built,
        chosen=chosen,
        wards=db.session.scalars(active_terms_query("area")).all(),
        levels=db.session.scalars(active_terms_query("prevention")).all(),
        partner=_partner_figures(built.columns, filters.ward_id),
        strong=evidence_matrix.STRONG,
    )


@bp.route("/evidence/cell")
@requires("view_shared_analysis")
def cell():
    """One cell's evidence: the contributions, findings and actions behind the numbers."""
    axis, filters, chosen = _filters()
    row = db.session.get(Term, request.args.get("row", type=int) or 0)
    column = db.session.get(Term, request.args.get("column", type=int) or 0)
    if row is None or column is None:
        abort(404)
    built = evidence_matrix.build(axis, filters)
    if (row.id, column.id) not in built.cells:
        abort(404)
    item = built.cell(row, column)
    contributions = (
        db.session.scalars(
            select(Contribution)
            .where(
                Contribution.id.in_(item.contribution_ids),
                Contribution.status == ContributionStatus.PUBLISHED,
            )
            .order_by(Contribution.created_at.desc())
            .limit(200)
        ).all()
        if item.contribution_ids
        else []
    )
    return render_template(
        "plan/partnership/cell.html",
        cell=item,
        chosen=chosen,
        contributions=contributions,
        status_labels=STATUS_LABELS,
        response_labels=RESPONSE_LABELS,
    )


@bp.route("/export.xlsx")
@requires("view_shared_analysis")
def export_xlsx():
    """For the annual strategic assessment: findings, evidence figures, actions, statuses."""
    from openpyxl import Workbook  # imported when a workbook is made: it is heavy

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in assessment.tables().items():
        write_sheet(workbook.create_sheet(name.capitalize()), header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    attempt(lambda: record("plan.exported", "plan", None, format="xlsx"))
    return Response(
        buffer.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="strategic-assessment.xlsx"'},
    )


@bp.route("/export/<table>.csv")
@requires("view_shared_analysis")
def export_csv(table: str):
    tables = assessment.tables()
    if table not in tables:
        abort(404)
    header, rows = tables[table]
    attempt(lambda: record("plan.exported", "plan", None, format="csv", table=table))
    return Response(
        to_csv(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )


@bp.route("/report")
@requires("view_shared_analysis")
def report():
    """A printable report: the plan's actions and statuses, and every published finding."""
    findings = db.session.scalars(
        select(Finding).where(Finding.published_at.is_not(None)).order_by(Finding.published_at)
    ).all()
    return render_template(
        "plan/partnership/report.html",
        plan=service.current_plan(),
        findings=findings,
        status_labels=STATUS_LABELS,
        response_labels=RESPONSE_LABELS,
        matrix=evidence_matrix.build(
            "principle", evidence_matrix.Filters(consultations=_readable())
        ),
    )
