"""Administrators manage people's roles and accounts; every change is audited."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audit.service import record
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..pagination import paginate
from . import service
from .forms import AGE_BAND_LABELS, ROLE_LABELS, ChangeRoleForm, UserSearchForm
from .models import Organisation, Role, User
from .permissions import requires

bp = Blueprint("users_admin", __name__, url_prefix="/admin/users")


@bp.route("/")
@requires("manage_users")
def list_users():
    """Find people by email, name or role."""
    form = UserSearchForm(request.args)
    form.validate()
    role = "" if form.role.errors else form.role.data or ""  # ?role=x: shown as an error
    page = paginate(
        service.search_users(form.q.data or "", role),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template("admin/users/list.html", form=form, page=page, role_labels=ROLE_LABELS)


@bp.route("/<int:user_id>")
@requires("manage_users")
def show_user(user_id: int):
    """One person's account, with role and access controls."""
    user = db.get_or_404(User, user_id)
    attempt(partial(record, "user.viewed", "user", user.id))
    form = ChangeRoleForm(
        role=user.role.value, organisation=user.organisation.value if user.organisation else ""
    )
    return render_template(
        "admin/users/show.html",
        user=user,
        form=form,
        confirm=ConfirmForm(),
        role_labels=ROLE_LABELS,
        age_band_labels=AGE_BAND_LABELS,
    )


@bp.route("/<int:user_id>/role", methods=["POST"])
@requires("manage_users")
def change_role(user_id: int):
    """Give someone a different role."""
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm()
    if form.validate_on_submit():
        old_role, old_organisation = user.role, user.organisation
        change = partial(
            service.change_access,
            current_user,
            user,
            Role(form.role.data),
            Organisation(form.organisation.data) if form.organisation.data else None,
        )
        if attempt(change, form=form, field="role").ok:
            flash(_changed(user, old_role, old_organisation), "success")
            return redirect(url_for("users_admin.show_user", user_id=user.id))
    return render_template(
        "admin/users/show.html",
        user=user,
        form=form,
        confirm=ConfirmForm(),
        role_labels=ROLE_LABELS,
        age_band_labels=AGE_BAND_LABELS,
    ), 400


def _changed(user, old_role, old_organisation) -> str:
    """Say what was changed, and only that."""
    organisation = user.organisation.label if user.organisation else _("no organisation")
    role_moved, organisation_moved = user.role != old_role, user.organisation != old_organisation
    if role_moved and organisation_moved:
        return _(
            "Role changed to %(role)s and organisation to %(organisation)s.",
            role=ROLE_LABELS[user.role],
            organisation=organisation,
        )
    if role_moved:
        return _("Role changed to %(role)s.", role=ROLE_LABELS[user.role])
    if organisation_moved:
        return _("Organisation changed to %(organisation)s.", organisation=organisation)
    return _("Nothing changed: the role and organisation were already as chosen.")


@bp.route("/<int:user_id>/disable", methods=["POST"])
@requires("manage_users")
def disable_user(user_id: int):
    """Stop someone signing in (their contributions stay)."""
    return _toggle(user_id, service.disable, _("Account disabled."))


@bp.route("/<int:user_id>/enable", methods=["POST"])
@requires("manage_users")
def enable_user(user_id: int):
    """Let a disabled account sign in again."""
    return _toggle(user_id, service.enable, _("Account enabled."))


def _toggle(user_id: int, action, message: str):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(partial(action, current_user, user)).ok:
        flash(message, "success")
    return redirect(url_for("users_admin.show_user", user_id=user.id))
