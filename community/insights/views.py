"""Consensus views: per consultation (surveys and conversations), and across the partnership."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..consultations import permissions as consultation_permissions
from ..consultations.models import Consultation, Phase
from ..consultations.service import get_by_slug
from ..extensions import db
from ..framework.models import active_terms_query
from . import service

bp = Blueprint("insights", __name__)

GROUPING_LABELS = {"ward": "Ward", "age_band": "Age band", "respondent": "Respondent type"}


@bp.route("/consultations/<slug>/consensus")
def consultation(slug: str):
    """Where people agree and where groups divide, for every survey item in a consultation."""
    consultation = get_by_slug(slug)
    if consultation is None or not consultation_permissions.can_view(current_user, consultation):
        abort(404)
    if not consultation_permissions.can_see_results(current_user, consultation):
        abort(403)
    grouping = request.args.get("grouping", "ward")
    if grouping not in service.GROUPINGS:
        grouping = "ward"
    surveys = [
        (survey, service.survey_consensus(survey, grouping)) for survey in consultation.surveys
    ]
    return render_template(
        "insights/consultation.html",
        consultation=consultation,
        surveys=surveys,
        grouping=grouping,
        grouping_labels={k: _(v) for k, v in GROUPING_LABELS.items()},
        min_group=service.MIN_GROUP,
        min_youth=service.MIN_YOUTH_GROUP,
    )


@bp.route("/consensus/")
def partnership():
    """Across consultations: per issue and principle, how much evidence, how much agreement."""
    consultations = db.session.scalars(
        select(Consultation)
        .where(Consultation.phase.in_([Phase.CLOSED.value, Phase.OUTCOME.value, Phase.OPEN.value]))
        .options(selectinload(Consultation.terms))
        .order_by(Consultation.closes_at)
    ).all()
    visible = [
        c for c in consultations if consultation_permissions.can_see_results(current_user, c)
    ]
    issues = db.session.scalars(active_terms_query("issue")).all()
    principles = db.session.scalars(active_terms_query("principle")).all()
    cells = {}
    for consultation in visible:
        items = [
            item
            for survey in consultation.surveys
            for item in service.survey_consensus(survey, "ward")
        ]
        codes = {t.code for t in consultation.terms}
        for issue in issues:
            for principle in principles:
                if issue.code in codes and principle.code in codes:
                    cell = cells.setdefault(
                        (issue.code, principle.code), {"consultations": [], "items": []}
                    )
                    cell["consultations"].append(consultation)
                    cell["items"].extend(items)
    return render_template(
        "insights/partnership.html", issues=issues, principles=principles, cells=cells
    )
