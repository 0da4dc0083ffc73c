"""The plan, findings and responses, and publishing an outcome (closing the loop)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from .. import jobs
from ..accounts.models import Organisation, User
from ..accounts.permissions import can
from ..audit.service import record
from ..consultations.models import Consultation, Phase
from ..consultations.service import followers, unsubscribe_token
from ..contributions.models import Contribution, ContributionStatus
from ..extensions import db
from ..framework.models import Term, Vocabulary
from ..models_base import utcnow
from ..notifications import mails
from ..notifications.models import OutboxMessage
from ..surveys.models import Response, ResponseStatus, Survey
from ..tagging.models import Tag
from ..urls import external_url
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


class PlanError(Exception):
    """A change the rules do not allow; the message is for the person."""


# --- the plan ------------------------------------------------------------------------


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
        if survey_consultation != finding.consultation_id:
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


# --- outcome: publishing and closing the loop ------------------------------------------


def outcome_ready(consultation: Consultation) -> list[str]:
    """What is missing before the outcome can be published (empty when ready)."""
    problems = []
    findings = findings_for(consultation.id)
    if not findings:
        problems.append(_("Write at least one finding"))
    for finding in findings:
        if finding.response is None:
            problems.append(
                _("Say what was done about finding %(n)s", n=findings.index(finding) + 1)
            )
    return problems


def hear_back_participants(consultation: Consultation) -> dict[int, str]:
    """Everyone to tell about the outcome, once each: {user id: unsubscribe link}.

    Survey respondents who agreed to hear back, and followers of the consultation or
    of one of its issues or wards.
    """
    chosen: dict[int, str] = {}
    respondents = db.session.scalars(
        select(Response.user_id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(
            Survey.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.hear_back.is_(True),
            Response.user_id.is_not(None),
        )
        .distinct()
    ).all()
    for user_id in respondents:
        chosen[user_id] = external_url(
            "plan.stop_hearing_back", token=stop_token(user_id, consultation.id)
        )
    for item in followers(consultation):
        chosen.setdefault(
            item.user_id,
            external_url("consultations.unsubscribe", token=unsubscribe_token(item)),
        )
    return chosen


def _stop_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="community.hear-back")


def stop_token(user_id: int, consultation_id: int) -> str:
    return _stop_serializer().dumps({"u": user_id, "c": consultation_id})


def stop_hearing_back(token: str) -> Consultation | None:
    """One click from the mail: no more news about that consultation's outcome."""
    try:
        data = _stop_serializer().loads(token)
    except BadSignature:
        return None
    consultation = db.session.get(Consultation, data.get("c"))
    if consultation is None:
        return None
    survey_ids = select(Survey.id).where(Survey.consultation_id == consultation.id)
    db.session.execute(
        update(Response)
        .where(Response.user_id == data.get("u"), Response.survey_id.in_(survey_ids))
        .values(hear_back=False)
    )
    record("plan.stopped_hearing_back", "consultation", consultation.id, user=data.get("u"))
    return consultation


def publish_outcome(consultation: Consultation, officer) -> int:
    """Publish we asked / you said / we did, freeze the figures and tell participants.

    Safe to call twice or from two requests at once: the consultation's row is
    claimed with a conditional update, so exactly one caller freezes and mails; the
    others get a PlanError. Returns how many mails were queued.
    """
    if consultation.phase != Phase.CLOSED:
        raise PlanError(_("An outcome can be published once the consultation has closed"))
    problems = outcome_ready(consultation)
    if problems:
        raise PlanError(problems[0])
    now = utcnow()
    claimed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.outcome_published_at.is_(None))
        .values(outcome_published_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise PlanError(_("The outcome has already been published"))
    consultation.outcome_published_at = now
    from .evidence import freeze

    for finding in findings_for(consultation.id):
        if not finding.is_published:
            freeze(finding, now)
    record("consultation.outcome_published", "consultation", consultation.id, actor=officer)
    participants = hear_back_participants(consultation)
    if len(participants) > current_app.config["OUTCOME_MAIL_IN_REQUEST_LIMIT"]:
        # Too many to render in the request: the mail_outcomes job queues them.
        jobs.after_commit("mail_outcomes")
        return len(participants)
    queued = queue_outcome_mails(consultation, participants)
    consultation.outcome_mailed_at = utcnow()
    return queued


def queue_outcome_mails(
    consultation: Consultation, participants: dict[int, str], batch: int | None = None
) -> int:
    """Queue the outcome mail for each participant not yet sent one; how many were queued.

    Safe to run again: the keys already in the outbox are looked up (in one query,
    not one per person) and skipped, and the unique key guards the rest. With
    ``batch``, it commits every ``batch`` mails (the background job does), so a
    crash part-way leaves what was queued and the next run finishes the rest.
    """
    prefix = f"consultation-outcome:{consultation.id}:"
    sent = set(
        db.session.scalars(
            select(OutboxMessage.idempotency_key).where(
                OutboxMessage.idempotency_key.like(prefix + "%")
            )
        )
    )
    link = external_url("plan.outcome", slug=consultation.slug)
    yours = external_url("plan.my_contributions")
    todo = sorted(uid for uid in participants if f"{prefix}{uid}" not in sent)
    queued = 0
    step = batch or len(todo) or 1
    for start in range(0, len(todo), step):
        chunk = todo[start : start + step]
        users = db.session.scalars(select(User).where(User.id.in_(chunk))).all()
        with db.session.no_autoflush:
            for user in sorted(users, key=lambda u: u.id):
                if not user.is_active:
                    continue
                mails.consultation_outcome(
                    user,
                    consultation=consultation,
                    link=link,
                    yours=yours,
                    unsubscribe=participants[user.id],
                    key=f"{prefix}{user.id}",
                    known_new=True,
                )
                queued += 1
        if batch:
            db.session.commit()
    return queued


@jobs.job("mail_outcomes")
def mail_outcomes() -> int:
    """Queue the outcome mail of every published outcome not yet mailed (large ones)."""
    due = db.session.scalars(
        select(Consultation).where(
            Consultation.outcome_published_at.is_not(None),
            Consultation.outcome_mailed_at.is_(None),
        )
    ).all()
    queued = 0
    for consultation in due:
        queued += queue_outcome_mails(consultation, hear_back_participants(consultation), batch=500)
        consultation.outcome_mailed_at = utcnow()
        db.session.commit()
    return queued


def contributions_of(user_id: int) -> list[Contribution]:
    return list(
        db.session.scalars(
            select(Contribution)
            .where(Contribution.author_id == user_id)
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
        )
    )


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
