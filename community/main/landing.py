"""What each person must do next: the figures on their landing page after signing in.

Each section is a handful of counts (and a few named items), one query each, and
every count carries the address of the list behind it, so the page is a map of
work rather than a copy of it. Which sections a person sees follows their
capabilities, so an admin sees what an officer sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for
from sqlalchemy import case, func, select

from ..accounts.permissions import can
from ..consultations.models import Consultation, Follow, Phase
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..groups.models import Group, GroupStatus, Project, ProjectStage
from ..models_base import utcnow
from ..moderation.models import Report
from ..plan.models import PlanAction
from ..surveys.models import Response, ResponseStatus, Survey
from ..tagging.queries import TAGGABLE, confirmed_tag_exists

#: How far ahead "closing soon" looks, for officers.
CLOSING_WITHIN_DAYS = 14
#: Waiting-time bands for held and reported items (days), oldest band last.
AGE_BANDS = ((0, 1), (1, 3), (3, None))


@dataclass
class Count:
    """One figure and the list it counts."""

    label: str
    number: int
    href: str
    urgent: bool = False


@dataclass
class Section:
    """A heading, its figures and, where useful, the named items themselves."""

    key: str
    title: str
    counts: list[Count] = field(default_factory=list)
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (text, href, note)
    empty: str = ""


def sections_for(user) -> list[Section]:
    """Every section this person's role calls for, in the order they act on them."""
    found = []
    if can(user, "manage_consultations"):
        found.append(officer_section())
    if can(user, "update_plan_actions") and not can(user, "manage_plan"):
        found.append(partner_section(user))
    if can(user, "moderate"):
        found.append(moderator_section())
    if can(user, "lead_group"):
        found.append(leader_section(user))
    if can(user, "contribute"):
        found.append(resident_section(user))
    return found


def _open_count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def resident_section(user) -> Section:
    """Surveys started and not sent (still open), what came of what they said, what they follow."""
    from flask_babel import gettext as _

    section = Section("yours", _("What you have started and follow"))
    started = db.session.execute(
        select(Survey.id, Survey.title)
        .join(Response, Response.survey_id == Survey.id)
        .join(Consultation, Consultation.id == Survey.consultation_id)
        .where(
            Response.user_id == user.id,
            Response.status != ResponseStatus.SUBMITTED,
            Consultation.phase == Phase.OPEN.value,
        )
        .order_by(Consultation.closes_at)
    ).all()
    for survey_id, title in started:
        section.items.append(
            (title, url_for("surveys.start", survey_id=survey_id), _("Started, not sent"))
        )
    said = _open_count(
        select(func.count(Contribution.id)).where(Contribution.author_id == user.id)
    ) + _open_count(
        select(func.count(Response.id)).where(
            Response.user_id == user.id, Response.status == ResponseStatus.SUBMITTED
        )
    )
    section.counts.append(
        Count(
            _("Things you said: see what happened to them"),
            said,
            url_for("plan.my_contributions"),
        )
    )
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at.desc())
    ).all()
    for item in follows:
        if item.consultation_id:
            consultation = db.session.get(Consultation, item.consultation_id)
            section.items.append(
                (
                    consultation.title,
                    url_for("consultations.show", slug=consultation.slug),
                    _("You follow this consultation"),
                )
            )
        elif item.term_id:
            from ..framework.models import Term

            term = db.session.get(Term, item.term_id)
            key = "ward" if term.vocabulary.code == "area" else "issue"
            section.items.append(
                (
                    term.name,
                    url_for("consultations.index", **{key: term.code}),
                    _("You follow consultations about this"),
                )
            )
    section.empty = _("Nothing started and nothing followed yet.")
    return section


def leader_section(user) -> Section:
    """Drafts waiting to be submitted, and the group's projects by stage."""
    from flask_babel import gettext as _

    from ..groups.stages import STAGE_LABELS

    section = Section("groups", _("Your groups' projects"))
    groups = db.session.scalars(
        select(Group).where(Group.leader_id == user.id, Group.status == GroupStatus.ACTIVE)
    ).all()
    for group in groups:
        rows = db.session.execute(
            select(Project.stage, func.count(Project.id))
            .where(Project.group_id == group.id)
            .group_by(Project.stage)
        ).all()
        by_stage = dict(rows)
        href = url_for("groups.show", group_id=group.id)
        drafts = by_stage.pop(ProjectStage.DRAFT, 0)
        section.counts.append(
            Count(
                _("%(group)s: drafts waiting to be submitted", group=group.name),
                drafts,
                href + "#projects",
                urgent=drafts > 0,
            )
        )
        for stage in ProjectStage:
            if by_stage.get(stage):
                section.counts.append(
                    Count(
                        _("%(group)s: %(stage)s", group=group.name, stage=STAGE_LABELS[stage]),
                        by_stage[stage],
                        href + "#projects",
                    )
                )
    section.empty = _("You do not lead a group yet.")
    if not groups:
        section.items.append((_("Apply to lead a group"), url_for("groups.apply"), ""))
    return section


def moderator_section() -> Section:
    """Held and reported items, by how long they have waited."""
    from flask_babel import gettext as _

    section = Section("moderation", _("Waiting for moderation"))
    now = utcnow()
    open_reports = (
        select(Report.contribution_id)
        .where(Report.resolved_at.is_(None))
        .group_by(Report.contribution_id)
    )
    for status, label, where in (
        ("pending", _("Held for a decision"), Contribution.status == ContributionStatus.PENDING),
        ("reported", _("Reported"), Contribution.id.in_(open_reports)),
    ):
        for low, high in AGE_BANDS:
            stmt = select(func.count(Contribution.id)).where(
                where, Contribution.created_at <= now - timedelta(days=low)
            )
            if high is not None:
                stmt = stmt.where(Contribution.created_at > now - timedelta(days=high))
            band = (
                _("under a day")
                if high == 1
                else _("%(low)d to %(high)d days", low=low, high=high)
                if high
                else _("over %(low)d days", low=low)
            )
            waited = f"{low}-{high}" if high else f"{low}-"
            section.counts.append(
                Count(
                    _("%(what)s, waiting %(band)s", what=label, band=band),
                    _open_count(stmt),
                    url_for("moderation.queue", status=status, waited=waited, sort="oldest"),
                    urgent=high is None,
                )
            )
    return section


def officer_section() -> Section:
    """Consultations closing, answers not yet tagged, outcomes due, actions overdue."""
    from flask_babel import gettext as _

    section = Section("officer", _("For officers"))
    now = utcnow()
    closing = db.session.scalars(
        select(Consultation)
        .where(
            Consultation.phase == Phase.OPEN.value,
            Consultation.closes_at <= now + timedelta(days=CLOSING_WITHIN_DAYS),
        )
        .order_by(Consultation.closes_at)
    ).all()
    section.counts.append(
        Count(
            _("Consultations closing in the next %(days)d days", days=CLOSING_WITHIN_DAYS),
            len(closing),
            url_for("consultations.index", status="open"),
        )
    )
    for consultation in closing:
        section.items.append(
            (
                consultation.title,
                url_for("consultations_admin.show", consultation_id=consultation.id),
                _("closes %(date)s", date=consultation.last_day.strftime("%d %b %Y")),
            )
        )
    untagged = db.session.execute(
        select(
            Consultation.id,
            Consultation.title,
            func.sum(case((~confirmed_tag_exists(), 1), else_=0)),
        )
        .join(Contribution, Contribution.consultation_id == Consultation.id)
        .where(Contribution.status.in_(TAGGABLE))
        .group_by(Consultation.id, Consultation.title)
        .order_by(Consultation.id)
    ).all()
    total_untagged = sum(int(n or 0) for _id, _t, n in untagged)
    section.counts.append(
        Count(_("Answers not yet tagged"), total_untagged, url_for("tagging.index"))
    )
    for consultation_id, title, n in untagged:
        if n:
            section.items.append(
                (
                    title,
                    url_for(
                        "tagging.contributions", consultation_id=consultation_id, untagged="yes"
                    ),
                    _("%(n)d not yet tagged", n=int(n)),
                )
            )
    due = db.session.scalars(
        select(Consultation)
        .where(Consultation.phase == Phase.CLOSED.value)
        .order_by(Consultation.closes_at)
    ).all()
    section.counts.append(
        Count(
            _("Closed, outcome not yet published"),
            len(due),
            url_for("consultations_admin.index"),
            urgent=bool(due),
        )
    )
    for consultation in due:
        section.items.append(
            (
                consultation.title,
                url_for("plan_admin.findings", consultation_id=consultation.id),
                _("write findings and publish the outcome"),
            )
        )
    overdue = _open_count(select(func.count(PlanAction.id)).where(PlanAction.overdue_clause()))
    section.counts.append(
        Count(
            _("Plan actions overdue"),
            overdue,
            url_for("plan.index", overdue="yes"),
            urgent=bool(overdue),
        )
    )
    section.counts.append(Count(_("The evidence matrix"), -1, url_for("partnership.matrix")))
    return section


def partner_section(user) -> Section:
    """The actions the partner's organisation leads, overdue first."""
    from flask_babel import gettext as _

    section = Section("partner", _("Actions your organisation leads"))
    if user.organisation is None:
        section.empty = _("Your account is not linked to an organisation yet: ask an admin.")
        return section
    actions = db.session.scalars(
        select(PlanAction)
        .where(PlanAction.lead_organisation == user.organisation)
        .order_by(
            case((PlanAction.overdue_clause(), 0), else_=1),
            PlanAction.due_on.asc().nulls_last(),
            PlanAction.id,
        )
    ).all()
    overdue = sum(1 for a in actions if a.is_overdue)
    section.counts.append(
        Count(_("Overdue"), overdue, url_for("plan.index", overdue="yes"), urgent=bool(overdue))
    )
    section.counts.append(Count(_("Actions you lead"), len(actions), url_for("plan.index")))
    for action in actions:
        note = (
            _("Overdue: was due %(date)s", date=action.due_on.strftime("%d %b %Y"))
            if (action.is_overdue)
            else (
                _("due %(date)s", date=action.due_on.strftime("%d %b %Y")) if action.due_on else ""
            )
        )
        section.items.append(
            (
                f"{action.reference} {action.title}",
                url_for("plan.action", action_id=action.id),
                note,
            )
        )
    section.counts.append(Count(_("The evidence matrix"), -1, url_for("partnership.matrix")))
    return section
