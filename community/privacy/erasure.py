"""Erasing a person: their personal data goes, the figures they counted in stay.

The account's row is kept as an empty tombstone (a placeholder address, no name, no
password, signed out, disabled) so that audit entries, moderation records and other
rows that pointed at it stay consistent; everything that linked a vote, a support,
an answer or a contribution to it is cut. What happens, in order:

* a confirmation mail is queued to the old address (queued without the account, so
  its body has no name); the ``scrub_erased_mail`` job blanks its address and body
  as soon as it has been sent (or has failed for good);
* other mail to them: unsent mail is dropped, sent mail is blanked;
* contributions of every kind (read from the shared table): the author link is
  removed, and the person's name and address are cut out of the text; if they chose
  to withdraw, the text is emptied and the status set to withdrawn, except group
  projects, which belong to the group and stay (unnamed);
* survey responses and answers, conversation votes and idea supports stay, so
  published totals do not move, but no longer point at the person; their "about
  you" answers are deleted; hear-back is turned off;
* follows, group memberships and consent records are deleted; a group they led
  keeps going without a leader, and their application statement is emptied;
* a consultation that names them as its contact names the partnership instead;
* every other column that points at the account (who tagged, who decided …) is set
  to null, found from the schema so new features are covered;
* one audit entry, with counts and no personal data.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import String, Text, delete, func, inspect, or_, select, update
from sqlalchemy.orm import with_polymorphic

from .. import jobs
from ..accounts.models import User
from ..audit.service import record
from ..consultations.models import Follow
from ..contributions.models import Contribution, ContributionStatus
from ..conversations.models import Conversation, Participant, Statement
from ..extensions import affected, db
from ..groups.models import Group, Membership, Project, ProjectMessage, ProjectUpdate
from ..models_base import utcnow
from ..moderation.models import Report
from ..notifications import mails
from ..notifications.models import OutboxMessage, OutboxStatus
from ..search.index import forget_deleted_text
from ..surveys import changes
from ..surveys.models import AboutYouAnswer, Answer, Response
from .consents import delete_consents

REMOVED = "[removed]"

#: Columns that point at users and are left pointing at the tombstone on purpose: who
#: did what in the audit log, and which mail went to the account (blanked, not unlinked).
KEEP_LINKS = {("audit_events", "actor_id"), ("outbox_messages", "user_id")}

#: Contribution kinds that belong to a group, not to the person who drafted them.
GROUP_KINDS = (Project,)


@dataclass
class ErasureReport:
    contributions_withdrawn: int = 0
    contributions_anonymised: int = 0
    responses_unlinked: int = 0
    about_you_deleted: int = 0
    votes_kept: int = 0
    supports_kept: int = 0
    memberships_ended: int = 0
    follows_removed: int = 0
    mail_dropped: int = 0
    mail_blanked: int = 0
    links_cleared: int = 0


def placeholder_email(user_id: int) -> str:
    """The address an erased account keeps: unique, lower case, and never deliverable."""
    return f"erased-{user_id}@erased.invalid"


class Redactor:
    """Cuts a person's name and email address out of text they wrote.

    The whole name and the address go wherever they appear (any case); so does each
    word of the name of four letters or more, written as in the name, since people
    sign with part of it. An ordinary word that is part of a display name is cut too:
    in an erasure, the person's privacy comes before the text.
    """

    def __init__(self, email: str, name: str) -> None:
        whole = [w for w in (email.strip(), name.strip()) if len(w) >= 3]
        parts = set(re.findall(r"\w{4,}", name)) - set(whole)
        alternatives = sorted(whole, key=len, reverse=True)
        self.whole = _words(alternatives, re.IGNORECASE)
        self.parts = _words(sorted(parts, key=len, reverse=True), 0)

    def __call__(self, value):
        if value is None:
            return value
        if isinstance(value, str):
            for pattern in (self.whole, self.parts):
                if pattern is not None:
                    value = pattern.sub(REMOVED, value)
            return value
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


def _words(words: list[str], flags: int):
    """A pattern matching any of ``words`` standing alone (not inside a longer word)."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", flags)


def _text_columns(obj) -> list[str]:
    """The free-text attributes of a row (strings and texts, not enums or codes)."""
    names = []
    for attr in inspect(obj).mapper.column_attrs:
        column = attr.columns[0]
        kind = column.type
        is_text = isinstance(kind, String | Text) and not getattr(kind, "enums", None)
        if is_text and attr.key not in ("kind", "external_id"):
            names.append(attr.key)
    return names


def _redact_row(obj, redact: Redactor) -> None:
    for name in _text_columns(obj):
        value = getattr(obj, name)
        cleaned = redact(value)
        if cleaned != value:
            setattr(obj, name, cleaned)


def erase_person(user: User, *, keep_contributions: bool, actor=None, via: str) -> ErasureReport:
    """Erase ``user`` (see the module's docstring). Flushes; the caller commits.

    ``via`` says who asked, for the audit entry: "self", "admin" or "retention".
    Erasing an already erased account does nothing.
    """
    report = ErasureReport()
    if user.is_erased:
        return report
    uid, email = user.id, user.email
    redact = Redactor(email, user.display_name)
    if user.is_verified:  # an address never confirmed may not be theirs: no mail
        mails.account_erased(
            to=email,
            key=f"account-erased:{uid}",
            kept=keep_contributions,
            via=via,
            inactive_years=current_app.config["RETENTION_INACTIVE_MONTHS"] // 12,
        )
    _mail(uid, email, redact, report)
    _contributions(uid, keep_contributions, redact, report)
    _responses(uid, keep_contributions, redact, report)
    _conversations(uid, report)
    _people_links(uid, email, redact, report)
    delete_consents(uid)
    report.links_cleared = _clear_links(uid)
    _tombstone(user)
    # The search index's words for what was deleted or redacted above (SQLite keeps them
    # in its index blocks until merged).
    forget_deleted_text()
    record(
        "user.erased",
        "user",
        uid,
        actor=actor,
        via=via,
        contributions="kept anonymised" if keep_contributions else "withdrawn",
        counts=asdict(report),
    )
    jobs.after_commit("scrub_erased_mail")
    return report


def _mail(uid: int, email: str, redact: Redactor, report: ErasureReport) -> None:
    theirs = or_(OutboxMessage.user_id == uid, OutboxMessage.to_address == email)
    not_the_confirmation = OutboxMessage.idempotency_key != f"account-erased:{uid}"
    report.mail_dropped = affected(
        delete(OutboxMessage).where(
            theirs, not_the_confirmation, OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    done = (OutboxStatus.SENT, OutboxStatus.FAILED)
    for message in db.session.scalars(
        select(OutboxMessage).where(theirs, not_the_confirmation, OutboxMessage.status.in_(done))
    ):
        blank(message, redact)
        report.mail_blanked += 1


def blank(message: OutboxMessage, redact: Redactor | None = None) -> None:
    """Empty a mail's address and body (kept: when, which template, the subject)."""
    message.to_address = ""
    message.text_body = ""
    message.html_body = ""
    if redact is not None:
        message.subject = redact(message.subject)


def _contributions(uid: int, keep: bool, redact: Redactor, report: ErasureReport) -> None:
    every_kind = with_polymorphic(Contribution, "*")
    stale_conversations = set()
    for item in db.session.scalars(select(every_kind).where(every_kind.author_id == uid)):
        _redact_row(item, redact)
        item.author_id = None
        if keep or isinstance(item, GROUP_KINDS):
            report.contributions_anonymised += 1
            continue
        item.body = ""
        if hasattr(item, "title"):
            item.title = ""
        if item.status != ContributionStatus.WITHDRAWN:
            item.status = ContributionStatus.WITHDRAWN
            item.published_at = None
        if isinstance(item, Statement):
            stale_conversations.add(item.conversation_id)
        report.contributions_withdrawn += 1
    if stale_conversations:
        db.session.execute(
            update(Conversation)
            .where(Conversation.id.in_(stale_conversations))
            .values(stale=True)
            .execution_options(synchronize_session=False)
        )
        jobs.after_commit("recompute_conversations")


def _responses(uid: int, keep: bool, redact: Redactor, report: ErasureReport) -> None:
    responses = db.session.scalars(select(Response).where(Response.user_id == uid)).all()
    ids = [r.id for r in responses]
    for response in responses:
        response.hear_back = False
        response.browser_token = None
        response.user_id = None
        report.responses_unlinked += 1
    if not ids:
        return
    report.about_you_deleted = affected(
        delete(AboutYouAnswer).where(AboutYouAnswer.response_id.in_(ids))
    )
    changes.responses_changed(ids)
    for answer in db.session.scalars(select(Answer).where(Answer.response_id.in_(ids))):
        value = redact(answer.value)
        if not keep and answer.contribution_id is not None:
            # The free text went with the contribution; the counted choice stays.
            if isinstance(value, str):
                value = ""
            elif isinstance(value, dict) and value.get("other"):
                value = {**value, "other": ""}
        if value != answer.value:
            answer.value = value


def _conversations(uid: int, report: ErasureReport) -> None:
    from ..conversations.models import Vote

    seats = db.session.scalars(select(Participant).where(Participant.user_id == uid)).all()
    for seat in seats:
        seat.user_id = None
        seat.browser_token = None
    if seats:
        report.votes_kept = len(
            db.session.scalars(
                select(Vote.id).where(Vote.participant_id.in_([s.id for s in seats]))
            ).all()
        )


def _people_links(uid: int, email: str, redact: Redactor, report: ErasureReport) -> None:
    from ..consultations.models import Consultation
    from ..ideas.models import Support

    # An officer named as a consultation's contact: the partnership's address instead.
    db.session.execute(
        update(Consultation)
        .where(func.lower(Consultation.contact_email) == email)
        .values(contact_email=current_app.config["PARTNERSHIP_CONTACT_EMAIL"], contact_name="")
        .execution_options(synchronize_session=False)
    )

    report.supports_kept = affected(
        update(Support)
        .where(Support.user_id == uid)
        .values(user_id=None)
        .execution_options(synchronize_session=False)
    )
    report.memberships_ended = affected(delete(Membership).where(Membership.user_id == uid))
    report.follows_removed = affected(delete(Follow).where(Follow.user_id == uid))
    for group in db.session.scalars(select(Group).where(Group.leader_id == uid)):
        group.leader_statement = ""
        group.decision_reasons = redact(group.decision_reasons)
    for model, column in (
        (Report, Report.reporter_id),
        (ProjectMessage, ProjectMessage.author_id),
        (ProjectUpdate, ProjectUpdate.author_id),
    ):
        for row in db.session.scalars(select(model).where(column == uid)):
            _redact_row(row, redact)


def _clear_links(uid: int) -> int:
    """Null every nullable column that points at the account, found from the schema."""
    db.session.flush()
    cleared = 0
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            column = fk.parent
            if fk.column.table.name != "users" or (table.name, column.name) in KEEP_LINKS:
                continue
            if not column.nullable:
                continue
            cleared += affected(update(table).where(column == uid).values({column.name: None}))
    db.session.expire_all()
    return cleared


def _tombstone(user: User) -> None:
    now = utcnow()
    user.email = placeholder_email(user.id)
    user.display_name = ""
    user.password_hash = ""
    user.email_verified_at = None
    user.last_sign_in_at = None
    user.organisation = None
    user.safeguarding_lead = False
    user.disabled_at = user.disabled_at or now
    user.erased_at = now
    user.inactivity_warned_at = None
    user.rotate_session_token()


@jobs.job("scrub_erased_mail")
def scrub_erased_mail() -> int:
    """Blank mail to erased accounts once it has been sent (or has failed for good).

    The confirmation of an erasure is the one mail queued to an erased person's old
    address; it is blanked here, after delivery, so the address is not kept.
    """
    erased = select(User.id).where(User.erased_at.is_not(None))
    done = (OutboxStatus.SENT, OutboxStatus.FAILED)
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status.in_(done),
            OutboxMessage.to_address != "",
            or_(
                OutboxMessage.template == "account_erased",
                OutboxMessage.user_id.in_(erased),
            ),
        )
    ).all()
    for message in rows:
        blank(message)
    db.session.commit()
    return len(rows)
