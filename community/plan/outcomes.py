"""Publishing an outcome and closing the loop: freeze, claim, tell each participant once."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from .. import jobs
from ..accounts.models import User
from ..audit.service import record
from ..consultations.models import Consultation, Phase
from ..consultations.service import followers, unsubscribe_token
from ..extensions import affected, db
from ..models_base import utcnow
from ..notifications import mails
from ..notifications.models import OutboxMessage
from ..surveys.models import Response, ResponseStatus, Survey
from ..urls import external_url
from .evidence import freeze
from .findings import findings_for
from .service import PlanError


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
        if user_id is None:  # the query keeps only signed-in respondents
            continue
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
    claimed = affected(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.outcome_published_at.is_(None))
        .values(outcome_published_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        db.session.rollback()
        raise PlanError(_("The outcome has already been published"))
    consultation.outcome_published_at = now
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
