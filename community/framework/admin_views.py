"""Officers and admins edit the framework: add, rename, retire and restore terms."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from . import service
from .forms import NewTermForm, TermForm
from .models import Term

bp = Blueprint("framework_admin", __name__, url_prefix="/admin/framework")


def _vocabulary_or_404(code: str):
    vocabulary = service.get_vocabulary(code)
    if vocabulary is None:
        abort(404)
    return vocabulary


@bp.route("/")
@requires("manage_framework")
def index():
    """Every vocabulary, with retired terms shown as retired."""
    return render_template(
        "admin/framework/index.html", vocabularies=service.vocabularies(), confirm=ConfirmForm()
    )


@bp.route("/<code>/new", methods=["GET", "POST"])
@requires("manage_framework")
def new_term(code: str):
    """Add a term to an open list (issues, areas)."""
    vocabulary = _vocabulary_or_404(code)
    if not vocabulary.open_list:
        abort(403)
    form = NewTermForm()
    if form.validate_on_submit():
        add = partial(
            service.add_term, vocabulary, form.name.data, form.description.data, form.code.data
        )
        if attempt(add, form=form, field="code").ok:
            flash(_("Term added."), "success")
            return redirect(url_for("framework_admin.index", _anchor=vocabulary.code))
    return render_template("admin/framework/term_form.html", form=form, vocabulary=vocabulary)


@bp.route("/terms/<int:term_id>/edit", methods=["GET", "POST"])
@requires("manage_framework")
def edit_term(term_id: int):
    """Rename a term or reword its meaning."""
    term = db.get_or_404(Term, term_id)
    form = TermForm(obj=term)
    if form.validate_on_submit():
        change = partial(service.edit_term, term, form.name.data, form.description.data or "")
        if attempt(change, form=form, field="name").ok:
            flash(_("Term saved."), "success")
            return redirect(url_for("framework_admin.index", _anchor=term.vocabulary.code))
    return render_template(
        "admin/framework/term_form.html", form=form, vocabulary=term.vocabulary, term=term
    )


@bp.route("/terms/<int:term_id>/retire", methods=["POST"])
@requires("manage_framework")
def retire_term(term_id: int):
    """Retire a term: hidden from new tagging, kept on old tags."""
    return _change(term_id, service.retire_term, _("Term retired."))


@bp.route("/terms/<int:term_id>/restore", methods=["POST"])
@requires("manage_framework")
def restore_term(term_id: int):
    """Bring a retired term back."""
    return _change(term_id, service.restore_term, _("Term restored."))


def _change(term_id: int, action, message: str):
    term = db.get_or_404(Term, term_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(action, term)).ok:
        flash(message, "success")
    return redirect(url_for("framework_admin.index", _anchor=term.vocabulary.code))
