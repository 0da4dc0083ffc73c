"""Groups and their projects: apply to lead, join with a code, members, draft, submit, thread."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..failures import attempt
from ..forms import ConfirmForm
from ..framework.models import active_terms_query
from ..moderation.detect import redact
from ..transactions import lock
from . import permissions, projects, service
from .forms import (
    KIND_LABELS,
    SUPPORT_LABELS,
    ApplyForm,
    JoinForm,
    MessageForm,
    ProjectForm,
    UpdateForm,
)
from .models import Group, GroupKind, Membership, Project
from .stages import STAGE_LABELS, allows

bp = Blueprint("groups", __name__)


def load_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or not permissions.can_view_group(current_user, group):
        abort(404)
    return group


def load_project(project_id: int, *, check_view: bool = True) -> Project:
    """404 unless ``current_user`` may see it (actions check their own rule instead)."""
    project = db.session.get(Project, project_id)
    if project is None or (check_view and not permissions.can_view_project(current_user, project)):
        abort(404)
    return project


def _require(allowed: bool) -> None:
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?"))))
    if not allowed:
        abort(403)


def _choices(vocabulary: str, blank: str | None = None) -> list:
    terms = [(t.id, t.name) for t in db.session.scalars(active_terms_query(vocabulary))]
    return [("", blank)] + [(str(i), n) for i, n in terms] if blank else terms


@bp.route("/groups/")
def index():
    """Groups and their public projects; your own groups; apply, join or manage."""
    return render_template(
        "groups/index.html",
        groups=db.session.scalars(service.active_groups()).all(),
        projects=db.session.scalars(projects.public_projects()).all(),
        mine=service.groups_of(current_user),
        groups_can={
            "apply": permissions.can_apply(current_user),
            "join": permissions.can_join(current_user),
            "oversee": permissions.can_oversee(current_user),
        },
        kind_labels=KIND_LABELS,
        stage_labels=STAGE_LABELS,
    )


@bp.route("/groups/apply", methods=["GET", "POST"])
@login_required
def apply():
    """An adult resident applies to lead a group; an officer approves or declines."""
    _require(permissions.can_apply(current_user))
    form = ApplyForm()
    form.ward.choices = _choices("area", _("Choose a ward"))
    if form.validate_on_submit():
        applied = attempt(
            lambda: service.apply(
                current_user,
                name=form.name.data,
                kind=GroupKind(form.kind.data),
                description=form.description.data,
                area_id=int(form.ward.data),
                statement=form.statement.data,
            ),
            form=form,
        )
        if applied.ok:
            flash(_("Thank you. An officer will look at your application."), "success")
            return redirect(url_for("groups.show", group_id=applied.value.id))
    return render_template("groups/apply.html", form=form)


@bp.route("/groups/join", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per minute;200 per day", methods=["POST"])
def join():
    """A young person joins a group with its code (or a link carrying it)."""
    _require(permissions.can_join(current_user))
    form = JoinForm(
        data={"code": request.args.get("code", "")} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        code = form.code.data
        # A second click at once meets the one-membership constraint, and retries.
        joined = attempt(
            lambda: service.join(current_user, code), form=form, field="code", retry_conflicts=True
        )
        if not joined.ok or joined.result is None:
            return render_template("groups/join.html", form=form), 400
        group = joined.result
        flash(_("You have joined %(name)s.", name=group.name), "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/join.html", form=form), 400 if form.errors else 200


@bp.route("/groups/<int:group_id>")
def show(group_id: int):
    """A group's public page (never a member's name), with what you may do in it."""
    group = load_group(group_id)
    is_leader = permissions.is_leader(current_user, group)
    return render_template(
        "groups/show.html",
        group=group,
        projects=projects.group_projects(group, current_user),
        is_leader=is_leader,
        is_member=permissions.is_member(current_user, group),
        can_draft=permissions.can_draft(current_user, group),
        can_manage=permissions.can_manage_members(current_user, group),
        code=service.display_code(group.invite_code) if is_leader else "",
        kind_labels=KIND_LABELS,
        stage_labels=STAGE_LABELS,
    )


@bp.route("/groups/<int:group_id>/members")
@login_required
def members(group_id: int):
    """The group's members, for its leader and officers: remove one, or make a new code."""
    group = load_group(group_id)
    _require(permissions.can_manage_members(current_user, group))
    return render_template(
        "groups/members.html",
        group=group,
        members=service.members(group),
        code=service.display_code(group.invite_code),
        confirm=ConfirmForm(),
    )


@bp.route("/groups/<int:group_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def remove_member(group_id: int, member_id: int):
    """Remove a member (the leader or an officer); they can no longer rejoin with a code."""
    group = load_group(group_id)
    _require(permissions.can_manage_members(current_user, group))
    member = db.session.get(Membership, member_id)
    if member is None or not ConfirmForm().validate_on_submit():
        abort(404 if member is None else 400)
    if attempt(lambda: service.remove_member(group, member, current_user)).ok:
        flash(_("The member has been removed."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


@bp.route("/groups/<int:group_id>/code", methods=["POST"])
@login_required
def new_code(group_id: int):
    """Make a new invite code; the old code and links stop working."""
    group = load_group(group_id)
    _require(permissions.can_manage_members(current_user, group))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(lambda: service.regenerate_code(group, current_user))
    flash(_("There is a new code. The old code no longer works."), "success")
    return redirect(url_for("groups.members", group_id=group.id))


def _project_form(obj: Project | None = None) -> ProjectForm:
    form = ProjectForm(obj=obj) if request.method == "GET" and obj else ProjectForm()
    form.issues.choices = _choices("issue")
    form.principles.choices = _choices("principle")
    form.ward.choices = _choices("area", _("Choose a ward"))
    if request.method == "GET" and obj:
        form.issues.data = [t.id for t in obj.terms_of("issue")]
        form.principles.data = [t.id for t in obj.terms_of("principle")]
        form.ward.data = str(obj.area_id or "")
    return form


def _proposal(form: ProjectForm) -> projects.Proposal:
    return projects.Proposal(
        title=form.title.data,
        problem=form.problem.data or "",
        audience=form.audience.data or "",
        activities=form.activities.data or "",
        strengths=form.strengths.data or "",
        support_kinds=form.support_kinds.data or [],
        support_details=form.support_details.data or "",
        success_measures=form.success_measures.data or "",
        issue_ids=form.issues.data or [],
        principle_ids=form.principles.data or [],
        area_id=int(form.ward.data) if (form.ward.data or "").isdigit() else None,
    )


@bp.route("/groups/<int:group_id>/projects/new", methods=["GET", "POST"])
@login_required
def new_project(group_id: int):
    """A youth member (or the leader) drafts a project with the proposal template."""
    group = load_group(group_id)
    _require(permissions.can_draft(current_user, group))
    form = _project_form()
    if form.validate_on_submit():
        drafted = attempt(lambda: projects.draft(group, current_user, _proposal(form)), form=form)
        if drafted.ok:
            flash(
                _("Draft saved. Your group’s leader can submit it to the partnership."), "success"
            )
            return redirect(url_for("groups.project", project_id=drafted.value.id))
    return render_template("groups/project_form.html", form=form, group=group, project=None)


@bp.route("/projects/<int:project_id>")
def project(project_id: int):
    """A project: in public under the group's name; for the group and officers, its stages,
    dated updates and (for the leader and officers only) the co-design thread."""
    project = load_project(project_id)
    user = current_user
    see_thread = permissions.can_see_thread(user, project)
    show_fields = permissions.sees_unredacted(user, project) or not projects.was_redacted(project)
    return render_template(
        "groups/project.html",
        project=project,
        group=project.group,
        title=project.title if show_fields else redact(project.title),
        show_fields=show_fields,
        in_group=permissions.in_group_view(user, project),
        updates=projects.timeline(project),
        messages=projects.thread(project) if see_thread else [],
        see_thread=see_thread,
        can_message=permissions.can_post_message(user, project),
        can_edit=permissions.can_edit_project(user, project),
        can_submit=permissions.can_submit(user, project),
        can_move=permissions.can_move(user, project),
        can_update=permissions.can_move(user, project) and allows(project.stage, "update"),
        message_form=MessageForm(prefix="message"),
        update_form=UpdateForm(prefix="update"),
        stage_labels=STAGE_LABELS,
        support_labels=SUPPORT_LABELS,
    )


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit_project(project_id: int):
    """Change a draft (its author or the leader); it is checked again by moderators."""
    project = load_project(project_id, check_view=False)
    _require(permissions.can_edit_project(current_user, project))
    form = _project_form(project)

    def edit():
        return projects.edit(project, current_user, _proposal(form))

    if form.validate_on_submit() and attempt(edit, form=form).ok:
        flash(_("Draft saved."), "success")
        return redirect(url_for("groups.project", project_id=project.id))
    return render_template(
        "groups/project_form.html", form=form, group=project.group, project=project
    )


@bp.route("/projects/<int:project_id>/submit", methods=["POST"])
@login_required
def submit_project(project_id: int):
    """The leader submits a draft to the partnership."""
    project = load_project(project_id, check_view=False)
    _require(permissions.can_submit(current_user, project))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    submitted = attempt(
        lambda: projects.submit(lock(Project, project.id), current_user), retry_conflicts=True
    )
    if submitted.ok:
        flash(_("Submitted. Officers will be in touch through the co-design thread."), "success")
    return redirect(url_for("groups.project", project_id=project.id))


@bp.route("/projects/<int:project_id>/messages", methods=["POST"])
@login_required
def post_message(project_id: int):
    """A message in the co-design thread: between the group's leader and officers only."""
    project = load_project(project_id)
    _require(permissions.can_see_thread(current_user, project))
    form = MessageForm(prefix="message")
    if not form.validate_on_submit():
        flash(_("Write a message of 3000 characters or fewer"), "error")
    elif attempt(lambda: projects.post_message(project, current_user, form.body.data)).ok:
        flash(_("Message sent."), "success")
    return redirect(url_for("groups.project", project_id=project.id, _anchor="thread"))
