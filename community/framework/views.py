"""Public pages that explain the framework in plain English."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from . import service

bp = Blueprint("framework", __name__, url_prefix="/framework")


@bp.route("/")
def index():
    """How the partnership works: every vocabulary and its terms."""
    return render_template("framework/index.html", vocabularies=service.vocabularies())


@bp.route("/<code>")
def vocabulary(code: str):
    """One vocabulary, each term with its meaning."""
    vocabulary = service.get_vocabulary(code)
    if vocabulary is None:
        abort(404)
    return render_template("framework/vocabulary.html", vocabulary=vocabulary)
