"""Open data: the list of datasets, and each closed consultation's results as CSV and JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, json, render_template

from ..consultations.service import get_by_slug
from ..pagination import paginate
from . import service, tidy

bp = Blueprint("opendata", __name__)


def _dataset_or_404(slug: str):
    consultation = None if "\x00" in slug else get_by_slug(slug)
    if consultation is None or not service.available(consultation):
        abort(404)
    return consultation


def _headers(slug: str, extension: str) -> dict:
    licence = service.licence()
    return {
        "Content-Disposition": f'attachment; filename="{slug}-open-data.{extension}"',
        "Link": f'<{licence["url"]}>; rel="license"',
        "Cache-Control": "public, max-age=300",
    }


@bp.route("/open-data")
def index():
    """Every consultation with open data, with the licence and how small numbers are kept."""
    page = paginate(service.available_query(), per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "opendata/index.html",
        page=page,
        licence=service.licence(),
        attribution=service.attribution(),
        note=service.suppression_note(service.disclosure.PUBLIC_THRESHOLD),
    )


@bp.route("/consultations/<slug>/open-data.json")
def dataset_json(slug: str):
    """A closed consultation's aggregate results as JSON."""
    data = service.dataset(_dataset_or_404(slug))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers=_headers(slug, "json"))


@bp.route("/consultations/<slug>/open-data.csv")
def dataset_csv(slug: str):
    """The same figures as a tidy CSV (one figure per row)."""
    data = service.dataset(_dataset_or_404(slug))
    return Response(tidy.csv_bytes(data), mimetype="text/csv", headers=_headers(slug, "csv"))
