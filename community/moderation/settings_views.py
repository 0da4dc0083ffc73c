"""Moderators keep the abuse word list and the rejection reasons."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from . import settings
from .forms import AbuseTermForm, TemplateForm
from .models import AbuseTerm, RejectionTemplate

bp = Blueprint("moderation_settings", __name__, url_prefix="/moderation/settings")


@bp.route("/", methods=["GET", "POST"])
@requires("moderate")
def index():
    """The abuse list and the rejection reasons, with forms to add to each."""
    term_form, template_form = AbuseTermForm(prefix="term"), TemplateForm(prefix="template")
    if term_form.submit.data and term_form.validate_on_submit():
        add = partial(settings.add_abuse_term, term_form.phrase.data, term_form.language.data)
        if attempt(add, form=term_form, field="phrase").ok:
            flash(_("Added to the list."), "success")
            return redirect(url_for("moderation_settings.index"))
    if template_form.submit.data and template_form.validate_on_submit():
        add_reason = partial(
            settings.add_reason,
            template_form.code.data,
            template_form.title.data,
            template_form.message.data,
        )
        if attempt(add_reason, form=template_form).ok:
            flash(_("Reason added."), "success")
            return redirect(url_for("moderation_settings.index"))
    return render_template(
        "moderation/settings.html",
        terms=list(
            db.session.scalars(select(AbuseTerm).order_by(AbuseTerm.language, AbuseTerm.phrase))
        ),
        templates=list(
            db.session.scalars(select(RejectionTemplate).order_by(RejectionTemplate.id))
        ),
        term_form=term_form,
        template_form=template_form,
        form=term_form if term_form.errors else template_form,
    )


@bp.route("/terms/<int:term_id>/remove", methods=["POST"])
@requires("moderate")
def remove_term(term_id: int):
    """Take a word off the abuse list (the list is settings, not people's data)."""
    term = db.get_or_404(AbuseTerm, term_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(settings.remove_abuse_term, term)).ok:
        flash(_("Removed from the list."), "success")
    return redirect(url_for("moderation_settings.index"))


@bp.route("/reasons/<int:template_id>/retire", methods=["POST"])
@requires("moderate")
def retire_reason(template_id: int):
    """Stop offering a rejection reason (kept, so old decisions still read right)."""
    template = db.get_or_404(RejectionTemplate, template_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(settings.retire_reason, template)).ok:
        flash(_("Reason retired."), "success")
    return redirect(url_for("moderation_settings.index"))
