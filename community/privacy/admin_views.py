"""Administrators act on requests about a person's data: a copy of it, or erasure."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..accounts.permissions import requires
from ..audit.service import record
from ..extensions import db
from ..failures import attempt
from . import export, service
from .forms import KEEP, AdminEraseForm
from .views import zip_response

bp = Blueprint("privacy_admin", __name__, url_prefix="/admin/privacy")


@bp.route("/people/<int:user_id>/data")
@requires("handle_data_requests")
def download(user_id: int):
    """A copy of everything held about someone who asked for it (audited)."""
    person = db.get_or_404(User, user_id)
    data, counts = export.build_zip(person)
    attempt(partial(record, "privacy.data_exported_on_request", "user", person.id, files=counts))
    return zip_response(data, f"person-{person.id}-data.zip")


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@requires("handle_data_requests")
def erase(user_id: int):
    """Erase someone who asked us to (by email, letter or phone)."""
    person = db.get_or_404(User, user_id)
    form = AdminEraseForm()
    if form.validate_on_submit():
        erase = partial(
            service.erase_on_request,
            current_user,
            person,
            keep_contributions=form.contributions.data == KEEP,
            reference=form.request_reference.data.strip(),
        )
        if attempt(erase, form=form, field="contributions").ok:
            flash(_("The person’s data has been erased."), "success")
            return redirect(url_for("users_admin.show_user", user_id=person.id))
    status = 400 if form.errors else 200
    return render_template("privacy/admin_erase.html", person=person, form=form), status
