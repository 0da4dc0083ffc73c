"""Officers keep the plan up to date; partners update the actions their organisation leads."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Organisation
from ..accounts.permissions import can, requires
from ..extensions import db
from ..failures import attempt
from . import service
from .forms import STATUS_LABELS, ActionForm, PriorityForm, UpdateForm, organisation_choices
from .models import ActionStatus, PlanAction, Priority

bp = Blueprint("plan_editor", __name__, url_prefix="/manage")


@bp.route("/plan/")
@requires("update_plan_actions")
def plan():
    """The plan to edit: officers everything, partners the actions their organisation leads."""
    current = service.current_plan()
    return render_template(
        "plan/admin/plan.html",
        plan=current,
        status_labels=STATUS_LABELS,
        can_edit=lambda action: service.can_edit_action(current_user, action),
        manage=can(current_user, "manage_plan"),
    )


@bp.route("/plan/priorities/new", methods=["GET", "POST"])
@requires("manage_plan")
def new_priority():
    current = service.current_plan()
    if current is None:
        abort(404)
    form = PriorityForm()
    form.fill_terms()
    if form.validate_on_submit():
        create = partial(
            service.create_priority,
            current,
            form.title.data.strip(),
            (form.summary.data or "").strip(),
            service.terms_by_ids(form.chosen_term_ids()),
            current_user,
        )
        if attempt(create, form=form).ok:
            flash(_("Priority added."), "success")
            return redirect(url_for("plan_editor.plan"))
    return render_template("plan/admin/priority.html", form=form, priority=None)


@bp.route("/plan/priorities/<int:priority_id>", methods=["GET", "POST"])
@requires("manage_plan")
def edit_priority(priority_id: int):
    priority = db.get_or_404(Priority, priority_id)
    form = PriorityForm(obj=priority) if not PriorityForm().is_submitted() else PriorityForm()
    form.fill_terms(priority.terms)
    if form.validate_on_submit():
        change = partial(
            service.edit_priority,
            priority,
            form.title.data.strip(),
            (form.summary.data or "").strip(),
            service.terms_by_ids(form.chosen_term_ids()),
            current_user,
        )
        if attempt(change, form=form).ok:
            flash(_("Priority saved."), "success")
            return redirect(url_for("plan_editor.plan"))
    return render_template("plan/admin/priority.html", form=form, priority=priority)


def _action_data(form: ActionForm) -> service.ActionData:
    return service.ActionData(
        title=form.title.data.strip(),
        description=(form.description.data or "").strip(),
        lead_organisation=Organisation(form.lead_organisation.data),
        lead_officer_name=(form.lead_officer_name.data or "").strip(),
        starts_on=form.starts_on.data,
        due_on=form.due_on.data,
        status=ActionStatus(form.status.data),
        progress=form.progress.data,
    )


@bp.route("/plan/priorities/<int:priority_id>/actions/new", methods=["GET", "POST"])
@requires("manage_plan")
def new_action(priority_id: int):
    priority = db.get_or_404(Priority, priority_id)
    form = ActionForm()
    form.lead_organisation.choices = organisation_choices()
    if form.validate_on_submit():
        create = partial(service.create_action, priority, _action_data(form), current_user)
        created = attempt(create, form=form, field="due_on")
        if created.ok and created.result is not None:
            flash(_("Action added."), "success")
            return redirect(url_for("plan.action", action_id=created.result.id))
    return render_template("plan/admin/action.html", form=form, priority=priority, action=None)


def _editable(action_id: int) -> PlanAction:
    action = db.get_or_404(PlanAction, action_id)
    if not service.can_edit_action(current_user, action):
        abort(403)
    return action


@bp.route("/plan/actions/<int:action_id>", methods=["GET", "POST"])
@requires("update_plan_actions")
def edit_action(action_id: int):
    action = _editable(action_id)
    form = ActionForm(obj=action) if not ActionForm().is_submitted() else ActionForm()
    form.lead_organisation.choices = organisation_choices()
    if not form.is_submitted():
        form.lead_organisation.data = action.lead_organisation.value
        form.status.data = action.status.value
    if form.validate_on_submit():
        data = _action_data(form)
        if not can(current_user, "manage_plan"):
            data.lead_organisation = action.lead_organisation  # partners cannot hand it away
        edit = partial(service.edit_action, action, data, current_user)
        if attempt(edit, form=form, field="due_on").ok:
            flash(_("Action saved."), "success")
            return redirect(url_for("plan.action", action_id=action.id))
    return render_template(
        "plan/admin/action.html", form=form, priority=action.priority, action=action
    )


@bp.route("/plan/actions/<int:action_id>/update", methods=["GET", "POST"])
@requires("update_plan_actions")
def add_update(action_id: int):
    """A dated progress update, with the action's status and progress now."""
    action = _editable(action_id)
    form = UpdateForm()
    if not form.is_submitted():
        form.status.data, form.progress.data = action.status.value, action.progress
    if form.validate_on_submit():
        update = partial(
            service.add_update,
            action,
            form.body.data,
            ActionStatus(form.status.data),
            form.progress.data,
            current_user,
        )
        if attempt(update, form=form).ok:
            flash(_("Update added."), "success")
            return redirect(url_for("plan.action", action_id=action.id))
    return render_template("plan/admin/update.html", form=form, action=action)
