"""The home page and the pages every service must have."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import text

from .. import i18n
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..urls import is_safe_next
from . import home as home_page

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """The partnership's public home page: what is open now, what came of it, who took part."""
    return render_template(
        "main/home.html",
        open_now=home_page.open_now(),
        outcomes=home_page.latest_outcomes(),
        figures=home_page.figures(),
    )


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("main/accessibility.html")


@bp.route("/cookies")
def cookies():
    """The one cookie we use, and why."""
    return render_template("main/cookies.html")


@bp.route("/cookies/hide-notice", methods=["POST"])
def hide_cookie_notice():
    """Hide the cookie notice (remembered in the session cookie it describes)."""
    if ConfirmForm().validate_on_submit():
        session["cookie_notice_hidden"] = True
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))


@bp.route("/language/<code>")
def choose_language(code: str):
    """The language switcher: remember the choice, then go back to the same page.

    A link (the GOV.UK pattern, working without JavaScript), so a GET; it changes only
    the person's own preference."""
    if not i18n.is_supported(code):
        abort(404)
    attempt(partial(i18n.remember_choice, code))
    target = request.args.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))


@bp.route("/healthz")
def health():
    """For load balancers: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.route("/healthz/ready")
def ready():
    """For monitoring: database, Redis, the worker's heartbeat and the outbox (503 if not)."""
    from ..operations.health import readiness

    report = readiness()
    response = jsonify(report)
    response.status_code = 200 if report["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
