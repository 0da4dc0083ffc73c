"""Officers translate a consultation, one language at a time, and see what is complete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from markupsafe import Markup
from wtforms import SubmitField, TextAreaField

from ..accounts.permissions import requires
from ..consultations.models import Consultation
from ..extensions import db
from ..failures import attempt
from ..i18n import html_lang, language_name, text_direction
from . import service

bp = Blueprint("translations_admin", __name__, url_prefix="/manage/consultations")

FIELD_LABELS = {
    "consultation": _l("Consultation"),
    "survey": _l("Survey"),
    "section": _l("Survey section"),
    "question": _l("Question"),
    "board": _l("Idea board"),
    "finding": _l("You said (finding)"),
    "response": _l("We did (response)"),
    "title": _l("title"),
    "summary": _l("summary"),
    "body_html": _l("page text (HTML)"),
    "intro": _l("introduction"),
    "text": _l("wording"),
    "help_text": _l("help"),
    "choices": _l("options, one per line in the same order"),
    "description": _l("introduction"),
    "statement": _l("statement"),
    "explanation": _l("explanation"),
}


def _load(consultation_id: int) -> Consultation:
    consultation = db.get_or_404(Consultation, consultation_id)
    return consultation


def _form(units, language: str) -> FlaskForm:
    """One box per translatable field, the English shown above it as its hint."""
    attrs = {"lang": html_lang(language), "dir": text_direction(language)}
    fields = {
        unit.name: TextAreaField(
            f"{FIELD_LABELS[unit.kind]}: {FIELD_LABELS[unit.field]}",
            description=Markup('<span lang="en-GB" dir="ltr">{}</span>').format(
                unit.original[:600]
            ),
            default=unit.translation,
            render_kw=attrs,
            widget=GovTextArea(),
        )
        for unit in units
    }
    fields["submit"] = SubmitField(_l("Save translations"), widget=GovSubmitInput())
    return type("TranslationForm", (FlaskForm,), fields)()


@bp.route("/<int:consultation_id>/translations")
@requires("manage_consultations")
def index(consultation_id: int):
    """Each language with how much of the consultation is translated into it."""
    consultation = _load(consultation_id)
    return render_template(
        "multilingual/index.html",
        consultation=consultation,
        completeness=service.completeness(consultation),
    )


@bp.route("/<int:consultation_id>/translations/<language>", methods=["GET", "POST"])
@requires("manage_consultations")
def edit(consultation_id: int, language: str):
    """Translate every field of the consultation into one language."""
    consultation = _load(consultation_id)
    if language not in service.other_languages():
        abort(404)
    units = service.with_translations(consultation, language)
    form = _form(units, language)
    if form.validate_on_submit():
        submitted = {unit.name: form[unit.name].data for unit in units}
        saved = attempt(
            lambda: service.save(consultation, language, submitted, current_user), form=form
        )
        if saved.ok:
            flash(_("Translations into %(language)s saved.", language=language_name(language)))
            return redirect(url_for("translations_admin.index", consultation_id=consultation.id))
    return render_template(
        "multilingual/edit.html",
        consultation=consultation,
        language=language,
        units=units,
        form=form,
    )


@bp.before_app_request
def _fresh_language_and_translations():
    """Each request chooses its language and reads translations afresh: Flask-Babel keeps
    the locale on the app context, which can outlive a request (tests, commands)."""
    refresh()
    service.forget_cached()
