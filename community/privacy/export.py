"""'Your data': everything held about one person, as JSON and CSV files in a zip.

Contributions are read from the shared ``contributions`` table with every kind's
own table joined (``with_polymorphic``), and each row is written with every column
its kind has, so a new kind of contribution is exported without a change here.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import selectinload, with_polymorphic

from ..accounts.models import User
from ..audit.models import AuditEvent
from ..contributions.models import Contribution
from ..conversations.models import Conversation, Participant, Statement, Vote
from ..extensions import db
from ..groups.models import Group, Membership, ProjectMessage
from ..ideas.models import Idea, Support
from ..moderation.models import Report
from ..notifications.models import OutboxMessage
from ..spreadsheet import neutralise
from ..surveys import about_you
from ..surveys.models import AboutYouAnswer, Answer, Question, Response, Survey
from .consents import consents_for, follows_for

VOTE_LABELS = {1: "agree", -1: "disagree", 0: "pass"}


@dataclass
class Dataset:
    """One file pair in the zip: a name, what it holds, and its rows."""

    name: str
    description: str
    rows: list[dict]


def plain(value):
    """A value as JSON can hold it: dates as ISO 8601, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def columns_of(obj) -> dict:
    """Every mapped column of a row (its kind's columns too), by attribute name."""
    return {attr.key: plain(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


def _account(user: User) -> list[dict]:
    return [
        {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": plain(user.role),
            "age_band": plain(user.age_band),
            "organisation": plain(user.organisation),
            "registered_at": plain(user.created_at),
            "email_verified_at": plain(user.email_verified_at),
            "last_sign_in_at": plain(user.last_sign_in_at),
            "disabled_at": plain(user.disabled_at),
        }
    ]


def _contributions(user: User) -> list[dict]:
    every_kind = with_polymorphic(Contribution, "*")
    rows = db.session.scalars(
        select(every_kind).where(every_kind.author_id == user.id).order_by(every_kind.id)
    ).all()
    return [columns_of(row) for row in rows]


def _responses(user: User) -> list[Response]:
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.user_id == user.id)
            .options(selectinload(Response.survey).selectinload(Survey.consultation))
            .order_by(Response.id)
        ).unique()
    )


def _survey_responses(responses: list[Response]) -> list[dict]:
    return [
        {
            "reference": r.reference,
            "survey": r.survey.title,
            "consultation": r.survey.consultation.title,
            "status": plain(r.status),
            "channel": plain(r.channel),
            "hear_back": r.hear_back,
            "started_at": plain(r.created_at),
            "submitted_at": plain(r.submitted_at),
        }
        for r in responses
    ]


def _survey_answers(responses: list[Response]) -> list[dict]:
    if not responses:
        return []
    by_id = {r.id: r for r in responses}
    rows = db.session.execute(
        select(Answer, Question)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.response_id.in_(list(by_id)))
        .order_by(Answer.response_id, Question.position, Answer.id)
    ).all()
    return [
        {
            "reference": by_id[answer.response_id].reference,
            "survey": by_id[answer.response_id].survey.title,
            "question": question.text,
            "answer": question.type.display(question, answer.value),
            "stored_value": plain(answer.value),
        }
        for answer, question in rows
    ]


def _about_you(responses: list[Response]) -> list[dict]:
    if not responses:
        return []
    by_id = {r.id: r for r in responses}
    rows = db.session.scalars(
        select(AboutYouAnswer)
        .where(AboutYouAnswer.response_id.in_(list(by_id)))
        .order_by(AboutYouAnswer.response_id, AboutYouAnswer.id)
    )
    return [
        {
            "reference": by_id[row.response_id].reference,
            "survey": by_id[row.response_id].survey.title,
            "question": str(about_you.QUESTIONS[row.key].text)
            if row.key in about_you.QUESTIONS
            else row.key,
            "answer": about_you.label(row.key, row.value)
            if row.key in about_you.QUESTIONS
            else row.value,
            "stored_value": row.value,
        }
        for row in rows
    ]


def _votes(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Vote, Statement.body, Conversation.question)
        .join(Participant, Participant.id == Vote.participant_id)
        .join(Statement, Statement.id == Vote.statement_id)
        .join(Conversation, Conversation.id == Participant.conversation_id)
        .where(Participant.user_id == user.id)
        .order_by(Vote.id)
    ).all()
    return [
        {
            "conversation": question,
            "statement": body,
            "vote": VOTE_LABELS.get(vote.value, str(vote.value)),
            "voted_at": plain(vote.created_at),
            "changed_at": plain(vote.updated_at),
        }
        for vote, body, question in rows
    ]


def _supports(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Support, Idea.title)
        .join(Idea, Idea.id == Support.idea_id)
        .where(Support.user_id == user.id)
        .order_by(Support.id)
    ).all()
    return [
        {"idea_id": support.idea_id, "idea": title, "supported_at": plain(support.created_at)}
        for support, title in rows
    ]


def _memberships(user: User) -> list[dict]:
    rows = db.session.execute(
        select(Membership, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    ).all()
    return [
        {
            "group": name,
            "joined_at": plain(member.joined_at),
            "removed_at": plain(member.removed_at),
        }
        for member, name in rows
    ]


def _groups_led(user: User) -> list[dict]:
    rows = db.session.scalars(select(Group).where(Group.leader_id == user.id).order_by(Group.id))
    return [
        {
            "group": group.name,
            "status": plain(group.status),
            "applied_at": plain(group.created_at),
            "what_you_told_us": group.leader_statement,
            "decided_at": plain(group.decided_at),
        }
        for group in rows
    ]


def _follows(user: User) -> list[dict]:
    rows = follows_for(user)
    return [
        {
            "follows": item.consultation.title if item.consultation else item.term.name,
            "kind": "consultation" if item.consultation_id else "issue or ward",
            "since": plain(item.created_at),
        }
        for item in rows
    ]


def _reports(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    return [
        {
            "contribution_id": r.contribution_id,
            "reason": plain(r.reason),
            "note": r.note,
            "reported_at": plain(r.created_at),
        }
        for r in rows
    ]


def _project_messages(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(ProjectMessage)
        .where(ProjectMessage.author_id == user.id)
        .order_by(ProjectMessage.id)
    )
    return [
        {"project_id": m.project_id, "message": m.body, "written_at": plain(m.created_at)}
        for m in rows
    ]


def _mail(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(or_(OutboxMessage.user_id == user.id, OutboxMessage.to_address == user.email))
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "queued_at": plain(m.created_at),
            "sent_at": plain(m.sent_at),
            "status": plain(m.status),
            "to": m.to_address,
            "subject": m.subject,
            "kind": m.template,
            "text": m.text_body,
        }
        for m in rows
    ]


def _account_history(user: User) -> list[dict]:
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id == user.id)
        .order_by(AuditEvent.id)
    )
    return [
        {"action": e.action, "at": plain(e.created_at), "details": plain(e.details)} for e in rows
    ]


def _consents(user: User) -> list[dict]:
    return [
        {
            "what": consent.purpose_label,
            "survey": consent.scope_label,
            "privacy_notice_version": consent.version,
            "given_at": plain(consent.given_at),
            "where": consent.source,
            "withdrawn_at": plain(consent.withdrawn_at),
        }
        for consent in consents_for(user)
    ]


def collect(user: User) -> list[Dataset]:
    """Every dataset held about ``user``, in the order the README lists them."""
    responses = _responses(user)
    what = [
        ("account", _("Your account"), _account(user)),
        (
            "contributions",
            _("Everything you wrote: survey answers, ideas, comments, statements, projects"),
            _contributions(user),
        ),
        ("survey_responses", _("Your survey responses"), _survey_responses(responses)),
        ("survey_answers", _("Your answers to survey questions"), _survey_answers(responses)),
        ("about_you", _("What you told us about yourself in surveys"), _about_you(responses)),
        ("conversation_votes", _("Your votes on statements"), _votes(user)),
        ("idea_supports", _("Ideas you supported"), _supports(user)),
        ("group_memberships", _("Groups you belong to"), _memberships(user)),
        ("groups_led", _("Groups you lead or applied to lead"), _groups_led(user)),
        ("follows", _("Consultations, issues and wards you follow"), _follows(user)),
        ("consents", _("What you agreed to, and when"), _consents(user)),
        ("reports", _("Contributions you reported to moderators"), _reports(user)),
        ("project_messages", _("Messages you wrote about projects"), _project_messages(user)),
        ("mail", _("Email we sent you"), _mail(user)),
        ("account_history", _("Changes to your account"), _account_history(user)),
    ]
    return [Dataset(name, description, rows) for name, description, rows in what]


def _csv(rows: list[dict]) -> str:
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(keys)
    for row in rows:
        cells = []
        for key in keys:
            value = row.get(key)
            if isinstance(value, dict | list):
                value = json.dumps(value, ensure_ascii=False)
            cells.append(neutralise("" if value is None else value))
        writer.writerow(cells)
    return out.getvalue()


def _readme(datasets: list[Dataset], user: User) -> str:
    lines = [
        _("Everything %(service)s holds about you", service=current_app.config["SERVICE_NAME"]),
        "",
        _("Each set of data is here twice: as JSON (json/) and as CSV for spreadsheets (csv/)."),
        "",
    ]
    for item in datasets:
        lines.append(f"{item.name}: {item.description} ({len(item.rows)})")
    lines += [
        "",
        _(
            "Questions about your data: %(email)s",
            email=current_app.config["PARTNERSHIP_CONTACT_EMAIL"],
        ),
    ]
    return "\n".join(lines) + "\n"


def build_zip(user: User) -> tuple[bytes, dict[str, int]]:
    """The zip of everything held about ``user``, and how many rows each file has."""
    datasets = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(datasets, user))
        for item in datasets:
            archive.writestr(
                f"json/{item.name}.json", json.dumps(item.rows, ensure_ascii=False, indent=2)
            )
            archive.writestr(f"csv/{item.name}.csv", _csv(item.rows))
    return buffer.getvalue(), {item.name: len(item.rows) for item in datasets}
