"""Officers: decide applications to lead groups, move projects through co-production."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import requires
from ..extensions import db
from ..failures import attempt
from ..forms import ConfirmForm
from ..transactions import lock
from . import projects, service, stages
from .forms import KIND_LABELS, DeclineForm, MoveForm, UpdateForm
from .models import Group, GroupStatus, Project, ProjectStage
from .permissions import OVERSEE
from .stages import STAGE_LABELS

bp = Blueprint("groups_admin", __name__, url_prefix="/manage")


def _get(model, row_id: int):
    row = db.get_or_404(model, row_id)
    return row


@bp.route("/groups/")
@requires(OVERSEE)
def index():
    """Applications waiting for a decision, active groups, and projects by stage."""
    submitted = db.session.scalars(projects.in_stage()).all()
    by_stage = {
        s: [p for p in submitted if p.stage == s] for s in ProjectStage if s != ProjectStage.DRAFT
    }
    return render_template(
        "groups/admin/index.html",
        applications=db.session.scalars(service.applications()).all(),
        groups=db.session.scalars(service.active_groups()).all(),
        by_stage=by_stage,
        stage_labels=STAGE_LABELS,
        kind_labels=KIND_LABELS,
    )


def _application_page(group: Group, decline_form: DeclineForm, status: int = 200):
    return render_template(
        "groups/admin/application.html",
        group=group,
        confirm=ConfirmForm(),
        decline_form=decline_form,
        form=decline_form,  # for the error summary
        kind_labels=KIND_LABELS,
        pending=group.status == GroupStatus.PENDING,
    ), status


@bp.route("/groups/<int:group_id>")
@requires(OVERSEE)
def application(group_id: int):
    """An application to lead a group: who applied, what they said; approve or decline."""
    return _application_page(_get(Group, group_id), DeclineForm())


@bp.route("/groups/<int:group_id>/approve", methods=["POST"])
@requires(OVERSEE)
def approve(group_id: int):
    """Approve: the group becomes active and its applicant a group leader."""
    group = _get(Group, group_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # Locked and retried, so two officers clicking at once approve (and mail) once.
    approved = attempt(
        lambda: service.approve(lock(Group, group.id), current_user), retry_conflicts=True
    )
    if approved.ok:
        flash(_("Approved. The group is active and its leader has been told."), "success")
    return redirect(url_for("groups_admin.application", group_id=group.id))


@bp.route("/groups/<int:group_id>/decline", methods=["POST"])
@requires(OVERSEE)
def decline(group_id: int):
    """Decline, with reasons the applicant is sent."""
    group = _get(Group, group_id)
    form = DeclineForm()
    if form.validate_on_submit():
        reasons = form.reasons.data
        declined = attempt(
            lambda: service.decline(lock(Group, group.id), current_user, reasons),
            form=form,
            field="reasons",
            retry_conflicts=True,
        )
        if declined.ok:
            flash(_("Declined. The applicant has been sent your reasons."), "success")
            return redirect(url_for("groups_admin.application", group_id=group.id))
    return _application_page(group, form, 400)


def _move_form(project: Project) -> MoveForm:
    form = MoveForm()
    form.to.choices = [(s.value, STAGE_LABELS[s]) for s in stages.next_stages(project.stage)]
    form.mentor.choices = [("", _("Choose an officer"))] + [
        (str(u.id), u.display_name) for u in service.mentors()
    ]
    if request.method == "GET" and project.mentor_id:
        form.mentor.data = str(project.mentor_id)
    return form


@bp.route("/projects/<int:project_id>/move", methods=["GET", "POST"])
@requires(OVERSEE)
def move(project_id: int):
    """Move a project in two steps that work without JavaScript: choose the stage, then fill
    in only what that stage records (a mentor, resources, reasons or the results)."""
    project = _get(Project, project_id)
    form = _move_form(project)
    next_stages = [value for value, _label in form.to.choices]
    to = request.values.get("to", "")
    if to not in next_stages:
        chosen = "to" in request.values or "step" in request.values
        if request.method == "POST" or (chosen and to):
            form.to.errors = [projects.refusal(project, to or None)]
            return _move_page(form, project, None, 400)
        if chosen or len(next_stages) != 1:
            if chosen:
                form.to.errors = [_("Choose the stage to move it to")]
            return _move_page(form, project, None, 400 if chosen else 200)
        to = next_stages[0]  # one way on: no need to ask
    form.to.data = to
    rule = stages.move(project.stage, ProjectStage(to))
    if request.method == "POST" and form.validate_on_submit():
        note, details = form.note.data or "", _details(form)
        # Locked, so the stage table is checked against the stage as it is now.
        moved = attempt(
            lambda: projects.move(lock(Project, project.id), current_user, to, note, **details),
            form=form,
            field="to",
            retry_conflicts=True,
        )
        if moved.ok:
            stage = STAGE_LABELS[project.stage]
            flash(_("Moved to “%(stage)s”. The leader has been told.", stage=stage), "success")
            return redirect(url_for("groups.project", project_id=project.id))
    status = 400 if form.errors else 200
    return _move_page(
        form, project, rule.needs if rule else (), status, single=len(next_stages) == 1
    )


def _move_page(form, project, needs, status, single=False):
    return render_template(
        "groups/admin/move.html",
        form=form,
        project=project,
        stage_labels=STAGE_LABELS,
        needs=needs,
        single=single,
        chosen_label=STAGE_LABELS[ProjectStage(form.to.data)] if needs is not None else "",
    ), status


def _details(form: MoveForm) -> dict:
    return {
        "mentor": form.mentor.data,
        "resources": form.resources.data,
        "reasons": form.reasons.data,
        "outcome": form.outcome.data,
        "people_reached": form.people_reached.data,
        "lessons": form.lessons.data,
    }


@bp.route("/projects/<int:project_id>/updates", methods=["POST"])
@requires(OVERSEE)
def add_update(project_id: int):
    """A dated update for the group, without moving the project."""
    project = _get(Project, project_id)
    form = UpdateForm(prefix="update")
    if not form.validate_on_submit():
        flash(_("Write the update (3000 characters or fewer)"), "error")
    elif attempt(lambda: projects.add_update(project, current_user, form.note.data)).ok:
        flash(_("Update posted."), "success")
    return redirect(url_for("groups.project", project_id=project.id, _anchor="updates"))
