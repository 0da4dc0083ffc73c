"""Officers keep a consultation's own codebook: add, rename, map, merge, retire themes."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from ...accounts.permissions import requires
from ...extensions import db
from ...failures import attempt
from ...forms import ConfirmForm
from ...framework import service as framework
from .. import queries
from ..models import Tag, Theme
from . import service as themes
from .forms import MapForm, MergeForm, ThemeForm

bp = Blueprint("tagging_themes", __name__, url_prefix="/tagging")


def _back(theme: Theme):
    return redirect(url_for("tagging_themes.index", consultation_id=theme.consultation_id))


@bp.route("/<int:consultation_id>/themes", methods=["GET", "POST"])
@requires("tag")
def index(consultation_id: int):
    """The consultation's themes, with how often each is used, and a form to add one."""
    consultation = queries.consultation_or_404(consultation_id)
    form = ThemeForm()
    if form.validate_on_submit():
        description = form.description.data or ""
        add = partial(themes.add_theme, consultation.id, form.name.data, description, current_user)
        if attempt(add, form=form, field="name").ok:
            flash(_("Theme added."), "success")
            return redirect(url_for("tagging_themes.index", consultation_id=consultation.id))
    items = list(
        db.session.scalars(
            select(Theme)
            .where(Theme.consultation_id == consultation.id)
            .order_by(Theme.retired_at.is_not(None), Theme.position, Theme.id)
        )
    )
    counts = dict(
        db.session.execute(
            select(Tag.theme_id, func.count())
            .where(Tag.theme_id.in_([t.id for t in items] or [-1]))
            .group_by(Tag.theme_id)
        ).all()
    )
    return render_template(
        "tagging/themes.html", consultation=consultation, themes=items, counts=counts, form=form
    )


@bp.route("/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@requires("tag")
def edit(theme_id: int):
    """Rename a theme or reword what belongs under it."""
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        description = form.description.data or ""
        edit = partial(themes.edit_theme, theme, form.name.data, description, current_user)
        if attempt(edit, form=form, field="name").ok:
            flash(_("Theme saved."), "success")
            return _back(theme)
    return render_template("tagging/theme_form.html", theme=theme, form=form)


@bp.route("/themes/<int:theme_id>/merge", methods=["GET", "POST"])
@requires("tag")
def merge(theme_id: int):
    """Merge a theme into another: its tags move, and it is retired."""
    theme = db.get_or_404(Theme, theme_id)
    form = MergeForm()
    form.target.choices = [
        (t.id, t.name)
        for t in db.session.scalars(
            select(Theme)
            .where(
                Theme.consultation_id == theme.consultation_id,
                Theme.retired_at.is_(None),
                Theme.id != theme.id,
            )
            .order_by(Theme.position, Theme.id)
        )
    ]
    if form.validate_on_submit():
        target = db.get_or_404(Theme, form.target.data)
        merged = attempt(
            partial(themes.merge, theme, target, current_user), form=form, field="target"
        )
        if merged.ok:
            flash(
                ngettext(
                    "Merged: %(num)d contribution moved.",
                    "Merged: %(num)d contributions moved.",
                    merged.result,
                ),
                "success",
            )
            return _back(theme)
    return render_template("tagging/theme_merge.html", theme=theme, form=form)


@bp.route("/themes/<int:theme_id>/terms", methods=["GET", "POST"])
@requires("tag")
def terms(theme_id: int):
    """Map a theme onto the framework terms it belongs under."""
    theme = db.get_or_404(Theme, theme_id)
    form = MapForm()
    vocabularies = framework.vocabularies()
    form.terms.choices = [
        (t.id, f"{v.name}: {t.name}") for v in vocabularies for t in v.terms if t.is_active
    ]
    if not form.is_submitted():
        form.terms.data = [t.id for t in theme.terms]
    if form.validate_on_submit():
        mapped = attempt(partial(themes.map_terms, theme, form.terms.data or [], current_user))
        if mapped.ok:
            flash(_("Links saved."), "success")
            return _back(theme)
    return render_template("tagging/theme_terms.html", theme=theme, form=form)


@bp.route("/themes/<int:theme_id>/retire", methods=["POST"])
@requires("tag")
def retire(theme_id: int):
    """Stop offering a theme; its tags stay."""
    return _change(theme_id, themes.retire, _("Theme retired."))


@bp.route("/themes/<int:theme_id>/restore", methods=["POST"])
@requires("tag")
def restore(theme_id: int):
    """Offer a retired theme again."""
    return _change(theme_id, themes.restore, _("Theme restored."))


def _change(theme_id: int, action, message: str):
    theme = db.get_or_404(Theme, theme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(action, theme, current_user)).ok:
        flash(message, "success")
    return _back(theme)
