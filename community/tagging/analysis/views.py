"""Summaries for analysts: the analysis page, the printable report, spreadsheet downloads."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, make_response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ...accounts.permissions import requires
from ...audit.service import record
from ...contributions.models import ContributionStatus
from ...extensions import db
from ...failures import attempt
from ...models_base import utcnow
from .. import codebook as codebooks
from .. import queries
from ..models import CodingRound
from ..permissions import can_tag, visible_statuses
from ..rounds import service as rounds
from ..suggestions import service as suggestions
from . import exports
from . import figures as analysis

bp = Blueprint("tagging_analysis", __name__, url_prefix="/tagging")


def _statuses(status: str) -> tuple[ContributionStatus, ...]:
    allowed = visible_statuses(current_user)
    chosen = tuple(s for s in allowed if s.value == status)
    return chosen or allowed


@bp.route("/<int:consultation_id>/analysis")
@requires("analyse")
def show(consultation_id: int):
    """Each theme and framework term: counts by ward and age band, pinned quotes, filters."""
    consultation = queries.consultation_or_404(consultation_id)
    filters = queries.Filters.from_args(request.args)
    group = request.args.get("group", "")
    codebook = codebooks.load(consultation.id)
    return render_template(
        "tagging/analysis.html",
        consultation=consultation,
        codebook=codebook,
        filters=filters,
        group=group,
        result=analysis.build(consultation.id, codebook, _statuses(filters.status), filters, group),
        wards=analysis.ward_labels(codebook),
        ages=analysis.age_labels(),
        statuses=visible_statuses(current_user),
    )


@bp.route("/<int:consultation_id>/report")
@requires("analyse")
def report(consultation_id: int):
    """A printable summary: progress, themes, framework terms, published quotes, agreement."""
    consultation = queries.consultation_or_404(consultation_id)
    codebook = codebooks.load(consultation.id)
    latest_round = db.session.scalar(
        select(CodingRound)
        .where(CodingRound.consultation_id == consultation.id)
        .order_by(CodingRound.id.desc())
        .limit(1)
    )
    return render_template(
        "tagging/report.html",
        consultation=consultation,
        codebook=codebook,
        # The report may be printed and handed on: published contributions only.
        result=analysis.build(
            consultation.id, codebook, (ContributionStatus.PUBLISHED,), queries.Filters()
        ),
        progress=queries.progress([consultation.id])[consultation.id],
        precision=suggestions.precision(consultation.id),
        coding_round=latest_round,
        agreement=rounds.report(latest_round) if latest_round else None,
        today=utcnow(),
    )


def _export(consultation_id: int, fmt: str):
    consultation = queries.consultation_or_404(consultation_id)
    codebook = codebooks.load(consultation.id)
    statuses = (
        tuple(ContributionStatus) if can_tag(current_user) else (ContributionStatus.PUBLISHED,)
    )
    header, rows, tag_header, tag_rows = exports.table(consultation.id, codebook, statuses)
    attempt(
        partial(
            record, "tagging.exported", "consultation", consultation.id, format=fmt, rows=len(rows)
        )
    )
    name = f"{consultation.slug}-tags.{fmt}"
    if fmt == "csv":
        response = make_response(exports.to_csv(header, rows))
        response.mimetype = "text/csv"
        response.charset = "utf-8"
    else:
        response = make_response(exports.to_xlsx(header, rows, tag_header, tag_rows))
        response.mimetype = exports.XLSX
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:consultation_id>/export.csv")
@requires("analyse")
def export_csv(consultation_id: int):
    """Every contribution with its codes, as CSV (audited)."""
    return _export(consultation_id, "csv")


@bp.route("/<int:consultation_id>/export.xlsx")
@requires("analyse")
def export_xlsx(consultation_id: int):
    """Every contribution with its codes, as an Excel workbook (audited)."""
    return _export(consultation_id, "xlsx")
