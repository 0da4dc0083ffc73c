"""Groups, members and projects for tests, with hostile text by default."""

from __future__ import annotations

from community.contributions.models import ContributionStatus
from community.extensions import db
from community.groups.models import Group, GroupKind, GroupStatus, Membership, Project, ProjectStage
from community.groups.service import new_code
from community.models_base import utcnow
from tests.support.factories import HOSTILE_TEXT

GROUP_NAME = "Norbiton <b>Youth</b> Club & O'Neill's “crew” 🚲"
PROJECT_TITLE = "Real <i>role</i> models & “heroes” 🌳"


def make_group(leader, *, status: GroupStatus = GroupStatus.ACTIVE, name: str = GROUP_NAME):
    group = Group(
        name=name,
        kind=GroupKind.YOUTH_CLUB,
        description=HOSTILE_TEXT[:400],
        leader_id=leader.id,
        leader_statement="Youth worker, DBS checked",
        status=status,
    )
    if status == GroupStatus.ACTIVE:
        group.invite_code, group.code_created_at, group.decided_at = new_code(), utcnow(), utcnow()
    db.session.add(group)
    db.session.commit()
    return group


def add_member(group: Group, user) -> Membership:
    member = Membership(group_id=group.id, user_id=user.id)
    db.session.add(member)
    db.session.commit()
    return member


def make_project(
    group: Group,
    author,
    *,
    stage: ProjectStage = ProjectStage.DRAFT,
    status: str = "pending",
    title: str = PROJECT_TITLE,
) -> Project:
    project = Project(
        group_id=group.id,
        author_id=author.id,
        by_youth=author.is_youth,
        title=title,
        problem=HOSTILE_TEXT[:300],
        audience="Year 9 and 10",
        activities="Workshops",
        strengths="Local boxers",
        success_measures="Fewer fights",
        body=f"{title}\n\n{HOSTILE_TEXT[:300]}",
        stage=stage,
        status=ContributionStatus(status),
        published_at=utcnow() if status == "published" else None,
    )
    db.session.add(project)
    db.session.commit()
    return project
