"""Groups: applying to lead one, approval, invite codes, joining and removing members.

Services add and flush; the request commits. Projects are in ``projects.py``.
"""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..accounts.models import Role, User
from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..models_base import utcnow
from ..notifications import mails
from ..urls import external_url
from .models import Group, GroupKind, GroupStatus, Membership
from .permissions import APPLICANT_ROLES, can_apply, can_join, can_oversee

#: Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class GroupError(ServiceError):
    """A rule was broken; the message is safe to show."""


def new_code() -> str:
    """A random invite code, unique among groups (about 40 bits)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Group.id).where(Group.invite_code == code)) is None:
            return code


def normalise_code(text: str) -> str:
    """What people type or paste: any case, with spaces or a dash in the middle."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def display_code(code: str | None) -> str:
    return f"{code[:4]}-{code[4:]}" if code else ""


def apply(
    user, *, name: str, kind: GroupKind, description: str, area_id: int | None, statement: str
) -> Group:
    """An adult resident applies to lead a group; it stays pending until an officer decides."""
    if not can_apply(user):
        raise GroupError(_("Only adult residents can apply to lead a group"))
    group = Group(
        name=" ".join(name.split()),  # one line: it is a mail subject too
        kind=kind,
        description=description.strip(),
        area_id=area_id or None,
        leader_id=user.id,
        leader_statement=statement.strip(),
        status=GroupStatus.PENDING,
    )
    db.session.add(group)
    db.session.flush()
    record("group.applied", "group", group.id, actor=user)
    return group


def _pending(group: Group) -> None:
    if group.status != GroupStatus.PENDING:
        raise GroupError(_("This application has already been decided"))


def _decide(group: Group, officer, status: GroupStatus) -> None:
    """Pending → decided as one conditional update, so two officers at once decide once
    (a row lock alone does not stop that on SQLite)."""
    decided = db.session.execute(
        update(Group)
        .where(Group.id == group.id, Group.status == GroupStatus.PENDING)
        .values(status=status, decided_at=utcnow(), decided_by_id=officer.id)
    ).rowcount
    if decided != 1:
        raise GroupError(_("This application has already been decided"))


def approve(group: Group, officer) -> None:
    """Make the group active and its applicant a group leader; tell them by mail."""
    from ..accounts.service import change_role

    _pending(group)
    leader = group.leader
    if leader is None or not leader.is_active or leader.role not in APPLICANT_ROLES:
        raise GroupError(_("The applicant can no longer lead a group (their account changed)"))
    _decide(group, officer, GroupStatus.ACTIVE)
    if leader.role != Role.GROUP_LEADER:
        change_role(officer, leader, Role.GROUP_LEADER)  # audited; signs their sessions out
    group.invite_code, group.code_created_at = new_code(), utcnow()
    record("group.approved", "group", group.id, actor=officer, leader_id=leader.id)
    mails.group_leader_approved(
        leader,
        group=group,
        link=external_url("groups.show", group_id=group.id),
        key=f"group-approved:{group.id}",
    )


def decline(group: Group, officer, reasons: str) -> None:
    """Decline an application, with reasons the applicant is sent."""
    _pending(group)
    if not reasons.strip():
        raise GroupError(_("Say why the application is declined"))
    _decide(group, officer, GroupStatus.DECLINED)
    group.decision_reasons = reasons.strip()
    record("group.declined", "group", group.id, actor=officer)
    if group.leader is not None and group.leader.is_active:
        mails.group_leader_declined(group.leader, group=group, key=f"group-declined:{group.id}")


def regenerate_code(group: Group, actor) -> str:
    """A new code; the old one stops working at once."""
    if not group.is_active:
        raise GroupError(_("Only an active group has a code"))
    group.invite_code, group.code_created_at = new_code(), utcnow()
    record("group.code_regenerated", "group", group.id, actor=actor)
    return group.invite_code


def join(user, code: str) -> Group:
    """A young person joins the group whose current code they were given."""
    if not can_join(user):
        raise GroupError(_("Only young people (13 to 17) join groups with a code"))
    normalised = normalise_code(code)
    group = None
    if len(normalised) == CODE_LENGTH:
        group = db.session.scalar(
            select(Group).where(Group.invite_code == normalised, Group.is_active)
        )
    if group is None:
        raise GroupError(
            _("That code does not work. Check it with your group’s leader: they may have a new one")
        )
    existing = db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )
    if existing is not None and existing.removed_at is not None:
        raise GroupError(_("You were removed from this group. Talk to its leader"))
    if existing is None:
        db.session.add(Membership(group_id=group.id, user_id=user.id))
        db.session.flush()
        record("group.member_joined", "group", group.id, actor=user, user_id=user.id)
    return group


def remove_member(group: Group, member: Membership, actor) -> None:
    """The leader or an officer removes a member (kept, with who removed them and when)."""
    if member.group_id != group.id or member.removed_at is not None:
        raise GroupError(_("They are not a member of this group"))
    member.removed_at, member.removed_by_id = utcnow(), actor.id
    record("group.member_removed", "group", group.id, actor=actor, user_id=member.user_id)


def members(group: Group) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.group_id == group.id, Membership.is_current)
            .order_by(Membership.joined_at, Membership.id)
        )
    )


def member_count(group: Group) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.group_id == group.id, Membership.is_current)
    )


def groups_of(user) -> dict[str, list[Group]]:
    """The groups someone leads (or applied to lead) and the groups they belong to."""
    if not user.is_authenticated:
        return {"leading": [], "member_of": []}
    leading = db.session.scalars(
        select(Group).where(Group.leader_id == user.id).order_by(Group.created_at.desc())
    ).all()
    member_of = db.session.scalars(
        select(Group)
        .join(Membership, Membership.group_id == Group.id)
        .where(Membership.user_id == user.id, Membership.is_current, Group.is_active)
        .order_by(Group.name)
    ).all()
    return {"leading": list(leading), "member_of": list(member_of)}


def active_groups():
    return (
        select(Group)
        .where(Group.is_active)
        .options(selectinload(Group.area))
        .order_by(Group.name, Group.id)
    )


def applications():
    return select(Group).where(Group.status == GroupStatus.PENDING).order_by(Group.created_at)


def mentors() -> list[User]:
    """Officers who can mentor a group through co-design."""
    people = db.session.scalars(
        select(User)
        .where(User.disabled_at.is_(None), User.role.in_([Role.OFFICER, Role.ADMIN]))
        .order_by(User.display_name, User.id)
    )
    return [p for p in people if can_oversee(p)]
