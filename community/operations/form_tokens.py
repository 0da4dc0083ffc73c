"""One-time form tokens: a double submission, a retry or a reload creates one thing.

A form that creates something carries a random ``form_token`` (``{{ one_time_token() }}``
in its template). When the request that handles it commits, the token is written to
``used_form_tokens`` in the same transaction (a ``before_commit`` hook), so the
creation and the spent token commit together or not at all:

* sent again later (a reload, the back button, a retry after a 503 whose commit
  did go through): ``before_request`` finds the token spent and sends the person
  where the first submission went, with nothing created;
* sent twice at once (a double tap): the second commit meets the first's token
  (the primary key) and gets an ``IntegrityError``; the error handler sees the
  token spent and redirects the same way;
* sent twice at once where the second reads the first's row before writing its own
  (a name or a period already taken): the service refuses it as a duplicate, and
  rather than show that refusal ``after_request`` finds the token spent and
  redirects the same way.

A form posted without a token (an old page, a script) is handled as before.
"""

from __future__ import annotations

import contextlib
import secrets

from flask import Flask, flash, g, has_request_context, redirect, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from .models import UsedFormToken

FIELD = "form_token"


def one_time_token() -> Markup:
    """The hidden field for a creating form's template."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        FIELD, secrets.token_urlsafe(24)
    )


def _posted_token() -> str | None:
    if request.method != "POST":
        return None
    token = (request.form.get(FIELD) or "").strip()
    return token[:64] if 16 <= len(token) <= 64 else None


def set_result(url: str) -> None:
    """Where a repeat of this submission should go (views that answer with a page)."""
    g.form_token_result = url


def _spent(token: str) -> UsedFormToken | None:
    return db.session.scalar(select(UsedFormToken).where(UsedFormToken.token == token))


def _repeat(used: UsedFormToken):
    flash(_("You already sent this form. It was saved once."), "success")
    return redirect(used.result_url or request.referrer or url_for("main.home"), code=303)


@event.listens_for(Session, "before_commit")
def _spend(session: Session) -> None:
    if not has_request_context() or session is not db.session():
        return
    token = g.get("form_token")
    if token and not g.get("form_token_spent"):
        endpoint = (request.endpoint or "")[:120]
        result = g.get("form_token_result")
        session.add(UsedFormToken(token=token, endpoint=endpoint, result_url=result))
        g.form_token_spent = True


@event.listens_for(Session, "after_rollback")
def _unspend(session: Session) -> None:
    if has_request_context() and g.get("form_token_spent") and session is db.session():
        g.form_token_spent = False


def init_app(app: Flask) -> None:
    app.jinja_env.globals["one_time_token"] = one_time_token

    @app.before_request
    def _check_token():
        token = _posted_token()
        if token is None:
            return None
        used = _spent(token)
        if used is not None:
            return _repeat(used)
        g.form_token = token
        return None

    @app.after_request
    def _remember_where(response):
        """A redirecting success: a repeat goes where this one went. A page (or a
        400/409 refusal) for a copy whose twin was saved meanwhile: go there too."""
        refused = response.status_code < 300 or response.status_code in (400, 409)
        if g.get("form_token") and not g.get("form_token_spent") and refused:
            # Not saved: a copy sent at the same moment may have been saved meanwhile,
            # so this one met "already exists" (a theme's name, a figure's period). It
            # is a repeat, not a mistake.
            used = None
            with contextlib.suppress(Exception):
                used = _spent(g.form_token)
            if used is not None:
                return _repeat(used)
        if g.get("form_token_spent") and response.status_code in (301, 302, 303):
            with contextlib.suppress(Exception):  # a missing result only loses the redirect
                db.session.execute(
                    update(UsedFormToken)
                    .where(UsedFormToken.token == g.form_token, UsedFormToken.result_url.is_(None))
                    .values(result_url=response.location[:500])
                )
                db.session.commit()
        return response


def repeat_after_collision():
    """After an IntegrityError: the redirect for a copy that lost the race, or None."""
    if not has_request_context() or not g.get("form_token"):
        return None
    with contextlib.suppress(Exception):
        db.session.rollback()
    used = _spent(g.form_token)
    return _repeat(used) if used is not None else None
