"""Findings ("you said"): their evidence, and the response to each ("we did").

Evidence must belong to the finding's consultation; a published finding is frozen.
A response may create a new plan action (through ``service.create_action``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Organisation
from ..audit.service import record
from ..consultations.models import Consultation
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term
from ..surveys.models import Survey
from ..tagging.models import Tag
from .models import (
    EvidenceKind,
    Finding,
    FindingEvidence,
    FindingResponse,
    PlanAction,
    Priority,
    ResponseKind,
)
from .service import ActionData, PlanError, add_update, create_action


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
