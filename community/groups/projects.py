"""Projects: drafted by the group, submitted by its leader, moved through co-production by
officers (each move a dated update, audited, mailed to the leader), with a leader-officer
thread. Services add and flush; the request commits."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.service import record
from ..contributions.service import initial_status, set_status
from ..extensions import db
from ..failures import ServiceError
from ..framework.models import Term, Vocabulary
from ..models_base import utcnow
from ..notifications import mails
from ..urls import external_url
from . import stages
from .models import (
    Group,
    Project,
    ProjectMessage,
    ProjectStage,
    ProjectUpdate,
    SupportKind,
)
from .permissions import can_draft, can_edit_project, can_oversee, can_post_message, can_submit
from .stages import STAGE_LABELS


class ProjectError(ServiceError):
    """A rule was broken; the message is safe to show."""


@dataclass
class Proposal:
    """The proposal template, as the group fills it in."""

    title: str
    problem: str
    audience: str
    activities: str
    strengths: str
    support_kinds: list[str] = field(default_factory=list)
    support_details: str = ""
    success_measures: str = ""
    issue_ids: list[int] = field(default_factory=list)
    principle_ids: list[int] = field(default_factory=list)
    area_id: int | None = None


#: The template's sections, in order, as they appear in the text moderators check.
SECTIONS = [
    ("problem", "The problem or harmful narrative it answers"),
    ("audience", "Who it is for"),
    ("activities", "What the group will do"),
    ("strengths", "The role models, aspirations or community strengths it builds on"),
    ("support_details", "Support needed"),
    ("success_measures", "How the group will know it worked"),
]


#: What a draft must have before the leader submits it (a draft saves whatever is there).
REQUIRED_TO_SUBMIT = [
    ("problem", _l("the problem or harmful story it answers")),
    ("audience", _l("who it is for")),
    ("activities", _l("what the group will do")),
    ("strengths", _l("what it builds on")),
    ("success_measures", _l("how the group will know it worked")),
]


def compose(project: Project) -> str:
    """The whole proposal as one text: what the automatic holds and moderators check."""
    parts = [project.title]
    for name, heading in SECTIONS:
        text = getattr(project, name)
        if name == "support_details" and project.support_kinds:
            text = f"({', '.join(project.support_kinds)}) {text}".strip()
        if text:
            parts.append(f"{heading}:\n{text}")
    return "\n\n".join(parts)


def _terms(ids, vocabulary: str) -> list[Term]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Term)
            .join(Vocabulary)
            .where(Term.id.in_(list(ids)), Vocabulary.code == vocabulary)
        )
    )


def _fill(project: Project, proposal: Proposal) -> None:
    kinds = {k.value for k in SupportKind}
    project.title = " ".join(proposal.title.split())  # one line: it is a mail subject too
    project.problem = proposal.problem.strip()
    project.audience = proposal.audience.strip()
    project.activities = proposal.activities.strip()
    project.strengths = proposal.strengths.strip()
    project.support_kinds = [k for k in proposal.support_kinds if k in kinds]
    project.support_details = proposal.support_details.strip()
    project.success_measures = proposal.success_measures.strip()
    project.terms = _terms(proposal.issue_ids, "issue") + _terms(
        proposal.principle_ids, "principle"
    )
    area = _terms([proposal.area_id] if proposal.area_id else [], "area")
    project.area_id = area[0].id if area else None
    project.body = compose(project)


def _moderate(project: Project, writer) -> None:
    """Youth writing is always held for a moderator; once youth wrote it, it stays so."""
    project.by_youth = bool(project.by_youth or writer.is_youth)
    project.published_at = None
    set_status(project, initial_status(None, by_youth=project.by_youth, anonymous=False))
    db.session.flush()
    from ..moderation.service import screen

    screen(project)


def draft(group: Group, author, proposal: Proposal) -> Project:
    """A youth member (or the leader) drafts a project for the group."""
    if not can_draft(author, group):
        raise ProjectError(_("Only the group’s members and leader can draft its projects"))
    project = Project(group_id=group.id, author_id=author.id, stage=ProjectStage.DRAFT)
    _fill(project, proposal)
    db.session.add(project)
    _moderate(project, author)
    record("project.drafted", "project", project.id, actor=author, group_id=group.id)
    _tell_leader_of_draft(project, author)
    return project


def _tell_leader_of_draft(project: Project, author) -> None:
    """A member's new draft waits for the leader to read and submit it: tell them."""
    leader = project.group.leader
    if leader is None or not leader.is_active or leader.id == author.id:
        return
    mails.project_drafted(
        leader,
        project=project,
        group=project.group,
        link=external_url("groups.project", project_id=project.id),
        key=f"project-drafted:{project.id}",
    )


def edit(project: Project, editor, proposal: Proposal) -> None:
    """Change a draft; it is checked again before anyone else sees it."""
    if not can_edit_project(editor, project):
        raise ProjectError(_("A project can be changed only while it is a draft"))
    _fill(project, proposal)
    _moderate(project, editor)


def _log(project: Project, actor, to_stage: ProjectStage, note: str) -> ProjectUpdate:
    """A dated update; a move changes the stage only if nobody moved it meanwhile."""
    entry = ProjectUpdate(
        project_id=project.id,
        author_id=actor.id,
        from_stage=project.stage,
        to_stage=to_stage,
        note=note.strip(),
        created_at=utcnow(),
    )
    if to_stage != project.stage:
        _set_stage(project, to_stage, entry.created_at)
    db.session.add(entry)
    db.session.flush()
    return entry


def _set_stage(project: Project, to_stage: ProjectStage, when) -> None:
    """Compare and set, so two officers moving it at once move it once (on SQLite too)."""
    table = Project.__table__
    moved = db.session.execute(
        update(table)
        .where(table.c.id == project.id, table.c.stage == project.stage)
        .values(stage=to_stage, stage_changed_at=when)
    ).rowcount
    if moved != 1:
        raise ProjectError(_("Someone else has just moved this project. Look at it again."))
    set_committed_value(project, "stage", to_stage)
    set_committed_value(project, "stage_changed_at", when)


def submit(project: Project, leader, note: str = "") -> ProjectUpdate:
    """The leader submits a draft to the partnership: it becomes "proposed"."""
    if not can_submit(leader, project):
        raise ProjectError(_("Only the group’s leader can submit a draft project"))
    missing = [str(label) for name, label in REQUIRED_TO_SUBMIT if not getattr(project, name)]
    if missing:
        raise ProjectError(
            _(
                "Before it can be submitted, the draft needs: %(parts)s. Use “Change the "
                "draft” to add them.",
                parts="; ".join(missing),
            )
        )
    project.submitted_at, project.submitted_by_id = utcnow(), leader.id
    entry = _log(project, leader, ProjectStage.PROPOSED, note)
    record("project.submitted", "project", project.id, actor=leader, group_id=project.group_id)
    return entry


def refusal(project: Project, to_stage) -> str:
    allowed = [str(STAGE_LABELS[s]) for s in stages.next_stages(project.stage)]
    here = STAGE_LABELS[project.stage]
    target = STAGE_LABELS.get(to_stage, to_stage) if to_stage else _("nowhere")
    if not allowed:
        return _("A project that is “%(here)s” cannot move to another stage.", here=here)
    return _(
        "A project that is “%(here)s” cannot move to “%(to)s”. It can move to: %(allowed)s.",
        here=here,
        to=target,
        allowed=", ".join(allowed),
    )


def _record_needs(project: Project, needs: tuple[str, ...], details: dict) -> None:
    from ..accounts.models import User

    errors = []
    for need in needs:
        value = details.get(need)
        if need == "mentor":
            mentor = db.session.get(User, int(value)) if str(value or "").isdigit() else None
            if mentor is None or not mentor.is_active or not can_oversee(mentor):
                errors.append(_("Choose an officer to mentor the group"))
            else:
                project.mentor_id = mentor.id
        elif need == "people_reached":
            if not isinstance(value, int) or value < 0:
                errors.append(_("Enter how many people it reached, as a whole number"))
            else:
                project.people_reached = value
        elif not str(value or "").strip():
            errors.append(NEED_MESSAGES[need]())
        else:
            setattr(project, NEED_FIELDS[need], str(value).strip())
    if errors:
        raise ProjectError(" ".join(errors))


NEED_FIELDS = {
    "resources": "resources",
    "reasons": "decision_reasons",
    "outcome": "outcome",
    "lessons": "lessons",
}
NEED_MESSAGES = {
    "resources": lambda: _("Say what resources the partnership will give"),
    "reasons": lambda: _("Give the reasons it is not taken forward"),
    "outcome": lambda: _("Say what happened"),
    "lessons": lambda: _("Say what was learned"),
}


def move(project: Project, officer, to_stage: str, note: str = "", **details) -> ProjectUpdate:
    """Move a project to another stage, if the table allows it; a dated update records it,
    the audit log keeps it, and the group's leader is told by mail."""
    if not can_oversee(officer):
        raise ProjectError(_("Only officers move projects between stages"))
    target = ProjectStage(to_stage) if to_stage in {s.value for s in ProjectStage} else None
    rule = stages.move(project.stage, target) if target else None
    if rule is None or rule.by != "officer":
        raise ProjectError(refusal(project, target or to_stage))
    _record_needs(project, rule.needs, details)
    from_stage = project.stage
    entry = _log(project, officer, target, note)
    record(
        "project.stage_changed",
        "project",
        project.id,
        actor=officer,
        old=from_stage.value,
        new=target.value,
    )
    _tell_leader(project, entry)
    return entry


def _tell_leader(project: Project, entry: ProjectUpdate) -> None:
    leader = project.group.leader
    if leader is None or not leader.is_active:
        return
    mails.project_stage_changed(
        leader,
        project=project,
        update=entry,
        stage=str(STAGE_LABELS[entry.to_stage]),
        link=external_url("groups.project", project_id=project.id),
        key=f"project-stage:{project.id}:{entry.id}",
    )


def add_update(project: Project, officer, note: str) -> ProjectUpdate:
    """A dated update within the current stage (news, a meeting, a next step)."""
    if not can_oversee(officer):
        raise ProjectError(_("Only officers post updates"))
    if not stages.allows(project.stage, "update"):
        raise ProjectError(_("Updates start once the project is proposed"))
    if not note.strip():
        raise ProjectError(_("Write the update"))
    entry = _log(project, officer, project.stage, note)
    record("project.updated", "project", project.id, actor=officer, stage=project.stage.value)
    return entry


def post_message(project: Project, author, body: str) -> ProjectMessage:
    """A message in the co-design thread (the leader and officers only)."""
    if not can_post_message(author, project):
        raise ProjectError(_("The co-design thread is open from submission until delivery"))
    if not body.strip():
        raise ProjectError(_("Write a message"))
    message = ProjectMessage(project_id=project.id, author_id=author.id, body=body.strip())
    db.session.add(message)
    db.session.flush()
    return message


def timeline(project: Project) -> list[ProjectUpdate]:
    return list(
        db.session.scalars(
            select(ProjectUpdate)
            .where(ProjectUpdate.project_id == project.id)
            .order_by(ProjectUpdate.created_at, ProjectUpdate.id)
        )
    )


def thread(project: Project) -> list[ProjectMessage]:
    return list(
        db.session.scalars(
            select(ProjectMessage)
            .where(ProjectMessage.project_id == project.id)
            .order_by(ProjectMessage.created_at, ProjectMessage.id)
        )
    )


def was_redacted(project: Project) -> bool:
    """Moderators published it with personal data removed from the text (``body``)."""
    from ..moderation.models import Action, Decision

    return (
        db.session.scalar(
            select(Decision.id).where(
                Decision.contribution_id == project.id, Decision.action == Action.REDACT
            )
        )
        is not None
    )


def public_projects():
    """Projects anyone may see: published by moderators and past "proposed"."""
    return select(Project).where(Project.is_listed).order_by(Project.stage_changed_at.desc())


def group_projects(group: Group, user) -> list[Project]:
    """A group's projects that ``user`` may see."""
    from .permissions import can_view_project

    projects = db.session.scalars(
        select(Project)
        .where(Project.group_id == group.id)
        .order_by(Project.created_at.desc(), Project.id.desc())
    )
    return [p for p in projects if can_view_project(user, p)]


def in_stage(stage_values=None):
    """Submitted projects for officers, oldest move first."""
    stmt = select(Project).where(Project.stage != ProjectStage.DRAFT)
    if stage_values:
        stmt = stmt.where(Project.stage.in_(stage_values))
    return stmt.order_by(Project.stage_changed_at, Project.id)
