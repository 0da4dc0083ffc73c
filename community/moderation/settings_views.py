"""Moderators keep the abuse word list and the rejection reasons."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.permissions import requires
from ..audit.service import record
from ..extensions import db
from ..forms import ConfirmForm
from ..models_base import utcnow
from .forms import AbuseTermForm, TemplateForm
from .models import AbuseTerm, RejectionTemplate

bp = Blueprint("moderation_settings", __name__, url_prefix="/moderation/settings")


@bp.route("/", methods=["GET", "POST"])
@requires("moderate")
def index():
    """The abuse list and the rejection reasons, with forms to add to each."""
    term_form, template_form = AbuseTermForm(prefix="term"), TemplateForm(prefix="template")
    if term_form.submit.data and term_form.validate_on_submit():
        phrase = term_form.phrase.data.strip().lower()
        if db.session.scalar(select(AbuseTerm.id).where(AbuseTerm.phrase == phrase)) is None:
            db.session.add(AbuseTerm(phrase=phrase, language=term_form.language.data))
            record(
                "moderation.abuse_term_added", "abuse_term", None, language=term_form.language.data
            )
            db.session.commit()
        flash(_("Added to the list."), "success")
        return redirect(url_for("moderation_settings.index"))
    if template_form.submit.data and template_form.validate_on_submit():
        code = template_form.code.data.strip().lower()
        if db.session.scalar(select(RejectionTemplate.id).where(RejectionTemplate.code == code)):
            template_form.code.errors.append(_("There is already a reason with this code"))
        else:
            db.session.add(
                RejectionTemplate(
                    code=code,
                    title=template_form.title.data.strip(),
                    message=template_form.message.data.strip(),
                )
            )
            record("moderation.reason_added", "rejection_template", None, code=code)
            db.session.commit()
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
    db.session.delete(term)
    record("moderation.abuse_term_removed", "abuse_term", term_id)
    db.session.commit()
    flash(_("Removed from the list."), "success")
    return redirect(url_for("moderation_settings.index"))


@bp.route("/reasons/<int:template_id>/retire", methods=["POST"])
@requires("moderate")
def retire_reason(template_id: int):
    """Stop offering a rejection reason (kept, so old decisions still read right)."""
    template = db.get_or_404(RejectionTemplate, template_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    template.retired_at = template.retired_at or utcnow()
    record("moderation.reason_retired", "rejection_template", template_id)
    db.session.commit()
    flash(_("Reason retired."), "success")
    return redirect(url_for("moderation_settings.index"))
