"""Administrators issue, list and revoke partner API tokens, and see their calls."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Organisation
from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..models_base import utcnow
from ..operations import form_tokens
from ..pagination import paginate
from . import tokens
from .forms import NO_ORGANISATION, SCOPE_LABELS, TokenForm
from .models import ApiCall, ApiToken, TokenScope

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


@bp.route("/")
@requires("manage_api_tokens")
def index():
    """Every token, newest first, with how often it was used."""
    page = paginate(
        select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc()),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    ids = [t.id for t in page.items]
    calls = (
        dict(
            db.session.execute(
                select(ApiCall.token_id, func.count())
                .where(ApiCall.token_id.in_(ids))
                .group_by(ApiCall.token_id)
            ).all()
        )
        if ids
        else {}
    )
    return render_template(
        "admin/api_tokens/index.html",
        page=page,
        calls=calls,
        scope_labels=SCOPE_LABELS,
        confirm=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("manage_api_tokens")
def new():
    """Issue a token; it is shown once, on the page that answers this form."""
    form = TokenForm()
    if not form.is_submitted():
        form.expires_on.data = (
            utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"])
        ).date()
    if form.validate_on_submit():
        organisation = (
            None
            if form.organisation.data == NO_ORGANISATION
            else Organisation(form.organisation.data)
        )

        def issue():
            token, secret = tokens.issue(
                name=form.name.data,
                scope=TokenScope(form.scope.data),
                organisation=organisation,
                expires_on=form.expires_on.data,
                user=current_user,
            )
            # A reload of this page re-sends the form: it goes to the token, not a new one.
            form_tokens.set_result(url_for("api_tokens.show", token_id=token.id))
            return token, secret

        issued = attempt(issue, form=form, field="expires_on")
        if issued.ok:
            token, secret = issued.value
            return render_template(
                "admin/api_tokens/issued.html",
                token=token,
                secret=secret,
                scope_labels=SCOPE_LABELS,
            )
    return render_template("admin/api_tokens/new.html", form=form)


@bp.route("/<int:token_id>")
@requires("manage_api_tokens")
def show(token_id: int):
    """One token: its details and its calls, newest first (no personal data is logged)."""
    token = db.get_or_404(ApiToken, token_id)
    page = paginate(
        select(ApiCall)
        .where(ApiCall.token_id == token.id)
        .order_by(ApiCall.called_at.desc(), ApiCall.id.desc()),
        per_page=50,
    )
    return render_template(
        "admin/api_tokens/show.html",
        token=token,
        page=page,
        scope_labels=SCOPE_LABELS,
        confirm=ConfirmForm(),
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires("manage_api_tokens")
def revoke(token_id: int):
    """Stop a token working, at once."""
    token = db.get_or_404(ApiToken, token_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(partial(tokens.revoke, token, current_user))
    flash(_("The token was revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.show", token_id=token.id))
