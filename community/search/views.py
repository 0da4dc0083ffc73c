"""The search page: one box across everything public, with filters and pages."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..framework.models import active_terms_query
from .index import KINDS
from .query import Filters, search

bp = Blueprint("search", __name__)

KIND_LABELS = {
    "consultation": _l("Consultations"),
    "survey_answer": _l("Survey answers"),
    "idea": _l("Ideas"),
    "statement": _l("Conversation statements"),
    "project": _l("Youth and community projects"),
    "finding": _l("What you said (findings)"),
    "action": _l("Plan actions"),
}


def _term_id(terms, code: str) -> int | None:
    return next((t.id for t in terms if t.code == code), None)


@bp.route("/search")
def index():
    """Results for ``q``; unknown filter values are ignored, so a link never breaks."""
    args = request.args
    issues = db.session.scalars(active_terms_query("issue")).all()
    wards = db.session.scalars(active_terms_query("area")).all()
    kind = args.get("kind", "")
    filters = Filters(
        q=args.get("q", ""),
        kind=kind if kind in KINDS else "",
        issue_id=_term_id(issues, args.get("issue", "")),
        ward_id=_term_id(wards, args.get("ward", "")),
    )
    page = args.get("page", 1, type=int) or 1
    per_page = current_app.config["ITEMS_PER_PAGE"]
    results = search(filters, page=page, per_page=per_page)
    return render_template(
        "search/index.html",
        results=results,
        filters=filters,
        query=args.get("q", "")[:200].replace("\x00", ""),
        kind_labels=KIND_LABELS,
        issues=issues,
        wards=wards,
        args=args,
    )
