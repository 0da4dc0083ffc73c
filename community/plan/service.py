"""The plan, findings and responses, and publishing an outcome (closing the loop)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Organisation
from ..accounts.permissions import can
from ..audit.service import record
from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..failures import ServiceError
from ..framework.models import Term, Vocabulary
from ..surveys.models import Survey
from ..tagging.models import Tag
from .models import (
    ActionStatus,
    ActionUpdate,
    EvidenceKind,
    Finding,
    FindingEvidence,
    FindingResponse,
    Plan,
    PlanAction,
    Priority,
    ResponseKind,
)


class PlanError(ServiceError):
    """A change the rules do not allow; the message is for the person."""


# --- the plan ------------------------------------------------------------------------


def terms_by_ids(ids: list[int]) -> list[Term]:
    return list(db.session.scalars(select(Term).where(Term.id.in_(ids)))) if ids else []


def current_plan() -> Plan | None:
    return db.session.scalar(select(Plan).order_by(Plan.period.desc()).limit(1))


def _terms_by_code() -> dict[tuple[str, str], Term]:
    rows = db.session.execute(select(Vocabulary.code, Term).join(Term.vocabulary)).all()
    return {(vocab, term.code): term for vocab, term in rows}


def seed_plan(path: str | Path) -> bool:
    """Load the plan from a TOML file unless a plan for its period exists. True if loaded.

    Like the framework seed it never overwrites: once loaded, the plan is edited in
    the app by officers and partners.
    """
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    plan_data = data["plan"]
    if db.session.scalar(select(Plan.id).where(Plan.period == plan_data["period"])):
        return False
    terms = _terms_by_code()
    plan = Plan(title=plan_data["title"], period=plan_data["period"], summary=plan_data["summary"])
    db.session.add(plan)
    for p_index, item in enumerate(data.get("priority", [])):
        priority = Priority(
            plan=plan, title=item["title"], summary=item.get("summary", ""), position=p_index
        )
        priority.terms = [
            terms[tuple(code.split(":", 1))]
            for code in item.get("terms", [])
            if tuple(code.split(":", 1)) in terms
        ]
        db.session.add(priority)
        for a_index, action in enumerate(item.get("action", [])):
            db.session.add(
                PlanAction(
                    priority=priority,
                    position=a_index,
                    title=action["title"],
                    description=action.get("description", ""),
                    lead_organisation=Organisation(action["lead"]),
                    lead_officer_name=action.get("lead_officer", ""),
                    starts_on=action.get("starts"),
                    due_on=action.get("due"),
                    status=ActionStatus(action.get("status", "planned")),
                    progress=action.get("progress", 0),
                )
            )
    db.session.flush()
    return True


def can_edit_action(user, action: PlanAction) -> bool:
    """Officers edit every action; a partner edits the actions their organisation leads."""
    if can(user, "manage_plan"):
        return True
    return (
        can(user, "update_plan_actions")
        and user.organisation is not None
        and user.organisation == action.lead_organisation
    )


@dataclass
class ActionData:
    title: str
    description: str
    lead_organisation: Organisation
    lead_officer_name: str = ""
    starts_on: date | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    progress: int = 0


def _check_dates(data: ActionData) -> None:
    if data.starts_on and data.due_on and data.due_on < data.starts_on:
        raise PlanError(_("The due date must be on or after the start date"))
    if not 0 <= data.progress <= 100:
        raise PlanError(_("Progress must be from 0 to 100"))


def create_action(priority: Priority, data: ActionData, user) -> PlanAction:
    _check_dates(data)
    position = db.session.scalar(
        select(func.count(PlanAction.id)).where(PlanAction.priority_id == priority.id)
    )
    action = PlanAction(priority=priority, position=position, **vars(data))
    db.session.add(action)
    db.session.flush()
    record("plan.action_created", "plan_action", action.id, actor=user)
    return action


def edit_action(action: PlanAction, data: ActionData, user) -> None:
    _check_dates(data)
    changed = {k: v for k, v in vars(data).items() if getattr(action, k) != v}
    for key, value in changed.items():
        setattr(action, key, value)
    record("plan.action_edited", "plan_action", action.id, actor=user, fields=sorted(changed))


def add_update(
    action: PlanAction, body: str, status: ActionStatus, progress: int, user
) -> ActionUpdate:
    """A dated progress update; the action takes its status and progress."""
    if not body.strip():
        raise PlanError(_("Say what has happened"))
    if not 0 <= progress <= 100:
        raise PlanError(_("Progress must be from 0 to 100"))
    update_row = ActionUpdate(
        action=action, body=body.strip(), status=status, progress=progress, author_id=user.id
    )
    action.status, action.progress = status, progress
    db.session.add(update_row)
    db.session.flush()
    record(
        "plan.action_updated",
        "plan_action",
        action.id,
        actor=user,
        status=status.value,
        progress=progress,
    )
    return update_row


def create_priority(plan: Plan, title: str, summary: str, terms: list[Term], user) -> Priority:
    position = db.session.scalar(select(func.count(Priority.id)).where(Priority.plan_id == plan.id))
    priority = Priority(plan=plan, title=title, summary=summary, position=position)
    priority.terms = terms
    db.session.add(priority)
    db.session.flush()
    record("plan.priority_created", "plan_priority", priority.id, actor=user)
    return priority


def edit_priority(priority: Priority, title: str, summary: str, terms: list[Term], user) -> None:
    priority.title, priority.summary, priority.terms = title, summary, terms
    record("plan.priority_edited", "plan_priority", priority.id, actor=user)


# --- findings ------------------------------------------------------------------------


def findings_for(consultation_id: int, *, published_only: bool = False) -> list[Finding]:
    stmt = (
        select(Finding)
        .where(Finding.consultation_id == consultation_id)
        .options(
            selectinload(Finding.evidence).options(
                selectinload(FindingEvidence.theme),
                selectinload(FindingEvidence.term),
                selectinload(FindingEvidence.question),
                selectinload(FindingEvidence.contribution),
            ),
            selectinload(Finding.response)
            .selectinload(FindingResponse.action)
            .selectinload(PlanAction.priority),
        )
    )
    if published_only:
        stmt = stmt.where(Finding.published_at.is_not(None))
    return list(db.session.scalars(stmt.order_by(Finding.position, Finding.id)))


def create_finding(consultation: Consultation, statement: str, terms: list[Term], user) -> Finding:
    if not statement.strip():
        raise PlanError(_("Write the finding"))
    position = db.session.scalar(
        select(func.count(Finding.id)).where(Finding.consultation_id == consultation.id)
    )
    finding = Finding(
        consultation_id=consultation.id,
        statement=statement.strip(),
        position=position,
        created_by_id=user.id,
    )
    finding.terms = terms
    db.session.add(finding)
    db.session.flush()
    record("plan.finding_created", "finding", finding.id, actor=user)
    return finding


def edit_finding(finding: Finding, statement: str, terms: list[Term], user) -> None:
    if finding.is_published:
        raise PlanError(_("A published finding cannot be changed: its figures are frozen"))
    if not statement.strip():
        raise PlanError(_("Write the finding"))
    finding.statement, finding.terms = statement.strip(), terms
    record("plan.finding_edited", "finding", finding.id, actor=user)


def delete_finding(finding: Finding, user) -> None:
    if finding.is_published:
        raise PlanError(_("A published finding cannot be deleted"))
    record("plan.finding_deleted", "finding", finding.id, actor=user)
    db.session.delete(finding)


def add_evidence(
    finding: Finding,
    kind: EvidenceKind,
    target_id: int,
    user,
    item_index: int | None = None,
) -> FindingEvidence:
    """Attach evidence; it must belong to the finding's consultation."""
    if finding.is_published:
        raise PlanError(_("A published finding's evidence is frozen"))
    evidence = FindingEvidence(finding_id=finding.id, kind=kind, item_index=item_index)
    if kind == EvidenceKind.THEME:
        from ..tagging.models import Theme

        theme = db.session.get(Theme, target_id)
        if theme is None or theme.consultation_id != finding.consultation_id:
            raise PlanError(_("Choose a theme of this consultation"))
        evidence.theme_id = theme.id
    elif kind == EvidenceKind.TERM:
        if db.session.get(Term, target_id) is None:
            raise PlanError(_("Choose a framework term"))
        evidence.term_id = target_id
    elif kind == EvidenceKind.CONTRIBUTION:
        contribution = db.session.get(Contribution, target_id)
        if (
            contribution is None
            or contribution.consultation_id != finding.consultation_id
            or contribution.status != ContributionStatus.PUBLISHED
        ):
            raise PlanError(_("Choose a published contribution to this consultation"))
        evidence.contribution_id = contribution.id
    elif kind == EvidenceKind.QUESTION:
        from ..surveys.models import Question, Section

        question = db.session.get(Question, target_id)
        survey_consultation = (
            db.session.scalar(
                select(Survey.consultation_id)
                .join(Section, Section.survey_id == Survey.id)
                .where(Section.id == question.section_id)
            )
            if question is not None
            else None
        )
        if question is None or survey_consultation != finding.consultation_id:
            raise PlanError(_("Choose a question of this consultation's surveys"))
        evidence.question_id = question.id
    same = (kind, evidence.theme_id, evidence.term_id, evidence.contribution_id)
    for existing in finding.evidence:
        key = (existing.kind, existing.theme_id, existing.term_id, existing.contribution_id)
        if key == same and (existing.question_id, existing.item_index) == (
            evidence.question_id,
            item_index,
        ):
            return existing
    finding.evidence.append(evidence)
    db.session.flush()
    record("plan.evidence_added", "finding", finding.id, actor=user, kind=kind.value)
    return evidence


def remove_evidence(evidence: FindingEvidence, user) -> None:
    if evidence.finding.is_published:
        raise PlanError(_("A published finding's evidence is frozen"))
    record("plan.evidence_removed", "finding", evidence.finding_id, actor=user)
    db.session.delete(evidence)


def add_evidence_choice(finding: Finding, choice: str, number: int | None, user):
    """Evidence as the finding page offers it: a contribution's number, or a choice
    ``kind:id`` (``question:id:index`` for a survey item)."""
    if number:
        return add_evidence(finding, EvidenceKind.CONTRIBUTION, number, user)
    if not choice:
        raise PlanError(_("Choose evidence, or enter a contribution number"), field="evidence")
    kind, _sep, rest = choice.partition(":")
    try:
        if kind == "question":
            qid, _s, index = rest.partition(":")
            return add_evidence(
                finding,
                EvidenceKind.QUESTION,
                int(qid),
                user,
                item_index=int(index) if index else None,
            )
        return add_evidence(finding, EvidenceKind(kind), int(rest), user)
    except ValueError:
        raise PlanError(_("Choose evidence"), field="evidence") from None


@dataclass
class NewAction:
    """The new action a response to a finding may create, as the form gave it."""

    priority_id: int | None
    title: str
    lead: str | None
    due_on: date | None


def respond(
    finding: Finding,
    kind: ResponseKind,
    explanation: str,
    user,
    *,
    new: NewAction | None = None,
    action_id: int | None = None,
) -> FindingResponse:
    """Answer a finding: with a new action (created here), an existing one, or none."""
    action = None
    if kind == ResponseKind.NEW_ACTION:
        new = new or NewAction(None, "", None, None)
        priority = db.session.get(Priority, new.priority_id or 0)
        if priority is None:
            raise PlanError(_("Choose a priority for the new action"))
        if not new.title.strip():
            raise PlanError(_("Enter the new action’s title"))
        if not new.lead:
            raise PlanError(_("Choose the new action’s lead organisation"))
        action = create_action(
            priority,
            ActionData(
                title=new.title.strip(),
                description=explanation.strip(),
                lead_organisation=Organisation(new.lead),
                due_on=new.due_on,
            ),
            user,
        )
    elif kind.needs_action:
        action = db.session.get(PlanAction, action_id or 0)
    return set_response(finding, kind, explanation, user, action=action)


def set_response(
    finding: Finding,
    kind: ResponseKind,
    explanation: str,
    user,
    *,
    action: PlanAction | None = None,
) -> FindingResponse:
    """Say what was done about a finding (replacing any earlier answer)."""
    explanation = explanation.strip()
    if kind.needs_action and action is None:
        raise PlanError(_("Choose the plan action"))
    if kind == ResponseKind.NOT_TAKEN_FORWARD and not explanation:
        raise PlanError(_("Say why it was not taken forward"))
    if kind == ResponseKind.CHANGED_ACTION and not explanation:
        raise PlanError(_("Say what changed in the action"))
    response = finding.response or FindingResponse(finding=finding)
    response.kind = kind
    response.action_id = action.id if kind.needs_action and action else None
    response.explanation = explanation
    response.created_by_id = user.id
    db.session.add(response)
    db.session.flush()
    if kind == ResponseKind.CHANGED_ACTION and action is not None:
        add_update(
            action,
            _(
                "Changed after “%(title)s”: %(explanation)s",
                title=finding.consultation.title,
                explanation=explanation,
            ),
            action.status,
            action.progress,
            user,
        )
    record("plan.finding_response", "finding", finding.id, actor=user, kind=kind.value)
    return response


def tagged_counts(consultation_id: int) -> dict:
    """How many published contributions each theme and term has (for evidence pickers)."""
    rows = db.session.execute(
        select(Tag.theme_id, Tag.term_id, func.count(Tag.id))
        .join(Contribution, Contribution.id == Tag.contribution_id)
        .where(
            Contribution.consultation_id == consultation_id,
            Contribution.status == ContributionStatus.PUBLISHED,
        )
        .group_by(Tag.theme_id, Tag.term_id)
    ).all()
    return {("theme", theme) if theme else ("term", term): count for theme, term, count in rows}
