"""Error pages that explain what happened and what to do next."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from .extensions import db
from .uploads import describe_limit

log = logging.getLogger(__name__)

#: The status codes with a page of their own; others use the generic page.
PAGES = {400, 403, 404, 405, 409, 413, 429, 500, 503}


def _render(status: int, **context):
    if request.path.startswith("/api/"):
        return _json(status, context.get("error"))
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    return render_template(template, status=status, **context), status


def _json(status: int, error: HTTPException | None):
    """The partner API answers errors in JSON, never with a page."""
    name = error.name if isinstance(error, HTTPException) else "Error"
    message = error.description if isinstance(error, HTTPException) else ""
    body = {"status": status, "code": name.lower().replace(" ", "_"), "message": message}
    return jsonify({"error": body}), status


def moved_consultation_url() -> str | None:
    """A consultation renamed after publishing: its old address leads to the new one.

    Checked only on a 404, so a page at its current address pays nothing for it.
    """
    args = dict(request.view_args or {})
    if "slug" not in args or not request.endpoint:
        return None
    from .consultations.service import moved_to

    current = moved_to(args["slug"])
    if current is None:
        return None
    args["slug"] = current
    return url_for(request.endpoint, **args, **request.args.to_dict(flat=False))


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        # Secure cookies never come back over plain http: every form then "expires".
        cookie_hint = bool(current_app.config["SESSION_COOKIE_SECURE"] and not request.is_secure)
        return _render(400, csrf=True, back=request.referrer, cookie_hint=cookie_hint)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if error.code == 404 and (moved := moved_consultation_url()):
            return redirect(moved, 301)
        limit = describe_limit(request.max_content_length) if error.code == 413 else ""
        response = _render(error.code or 500, error=error, limit=limit)
        if error.code == 405 and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        if error.code == 429:
            return response[0], 429, {"Retry-After": "60"}
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(error: Exception):
        """The database is away (or busy): say nothing was saved, never the 500 page."""
        log.error("database unavailable on %s %s: %s", request.method, request.path, type(error))
        with contextlib.suppress(Exception):  # the connection may be gone already
            db.session.rollback()
        db.session.remove()
        # The page must not need the database: show it as to someone signed out.
        from .extensions import login_manager

        g._login_user = login_manager.anonymous_user()
        response = _render(503, error=ServiceUnavailable())
        return response[0], 503, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        if isinstance(error, IntegrityError):
            from .operations.form_tokens import repeat_after_collision

            repeat = repeat_after_collision()
            if repeat is not None:  # two copies of one form at once: the second follows
                return repeat
            # Two requests met on a unique key and this one lost (a form without its
            # token, a script): nothing of it was saved, which the 409 page says.
            # Still logged as an error, so a view that should retry is found.
            log.exception("unique key met on %s %s", request.method, request.path)
            db.session.rollback()
            return _http(Conflict())
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _render(500, error=InternalServerError())
