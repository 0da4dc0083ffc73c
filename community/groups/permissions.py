"""Who may do what with groups and projects: one place, for views and templates alike."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import Role
from ..accounts.permissions import can
from ..contributions.models import ContributionStatus
from ..extensions import db
from . import stages
from .models import Group, Membership, Project, ProjectStage

#: Officers oversee groups and projects with the capability that runs the partnership plan.
OVERSEE = "manage_plan"
#: Only adult residents apply to lead a group (approval makes them group leaders);
#: staff roles would lose theirs.
APPLICANT_ROLES = frozenset({Role.RESIDENT, Role.GROUP_LEADER})


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def can_oversee(user) -> bool:
    """Officers: approve leaders, move projects, mentor, see every group's work."""
    return can(user, OVERSEE)


def can_apply(user) -> bool:
    return _signed_in(user) and user.role in APPLICANT_ROLES


def can_join(user) -> bool:
    """Members are young people (13-17), who join with their group's code."""
    return _signed_in(user) and user.is_youth


def is_leader(user, group: Group) -> bool:
    """The approved leader of an active group (who still holds the group leader role)."""
    return (
        _signed_in(user)
        and group.is_active
        and group.leader_id == user.id
        and can(user, "lead_group")
    )


def membership(user, group: Group) -> Membership | None:
    if not _signed_in(user):
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.group_id == group.id,
            Membership.user_id == user.id,
            Membership.is_current,
        )
    )


def is_member(user, group: Group) -> bool:
    return group.is_active and membership(user, group) is not None


def can_view_group(user, group: Group) -> bool:
    """Active groups are public; an application only for its applicant and officers."""
    if group.is_active:
        return True
    return _signed_in(user) and (group.leader_id == user.id or can_oversee(user))


def can_manage_members(user, group: Group) -> bool:
    """See members, remove them, and make a new code: the leader and officers."""
    return group.is_active and (is_leader(user, group) or can_oversee(user))


def can_draft(user, group: Group) -> bool:
    """Youth members draft projects; the leader may too."""
    return is_leader(user, group) or (can_join(user) and is_member(user, group))


def can_view_project(user, project: Project) -> bool:
    """Public once listed; before that the leader, officers and moderators, and of the
    youth members only its author until moderators publish it (never seen unchecked)."""
    if project.is_listed:
        return True
    if not _signed_in(user):
        return False
    group = project.group
    if can_oversee(user) or can(user, "moderate") or is_leader(user, group):
        return True
    if not is_member(user, group):
        return False
    return project.author_id == user.id or project.status == ContributionStatus.PUBLISHED


def sees_unredacted(user, project: Project) -> bool:
    """Who sees a project as written even after moderators removed personal details."""
    if not _signed_in(user):
        return False
    return (
        project.author_id == user.id
        or can_oversee(user)
        or can(user, "moderate")
        or is_leader(user, project.group)
    )


def in_group_view(user, project: Project) -> bool:
    """Sees the group's side of a project (stages and dated updates), not just the public page."""
    group = project.group
    return _signed_in(user) and (
        can_oversee(user) or is_leader(user, group) or is_member(user, group)
    )


def can_edit_project(user, project: Project) -> bool:
    if not stages.allows(project.stage, "edit") or not _signed_in(user):
        return False
    group = project.group
    if is_leader(user, group):
        return True
    return project.author_id == user.id and is_member(user, group)


def can_submit(user, project: Project) -> bool:
    return project.stage == ProjectStage.DRAFT and is_leader(user, project.group)


def can_see_thread(user, project: Project) -> bool:
    """The co-design thread is between the leader and officers: never youth members."""
    if not _signed_in(user) or user.is_youth:
        return False
    return can_oversee(user) or is_leader(user, project.group)


def can_post_message(user, project: Project) -> bool:
    return can_see_thread(user, project) and stages.allows(project.stage, "message")


def can_move(user, project: Project) -> bool:
    """Officers; the stage table (``stages.py``) says which moves exist from each stage."""
    return can_oversee(user)
