"""The rules for consultations: create, edit, publish, follow, and tell followers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, false, or_, select

from .. import jobs
from ..audit.service import record
from ..extensions import db
from ..failures import ServiceError
from ..framework.models import Term
from ..models_base import utcnow
from ..notifications import mails
from ..sanitise import rich_text
from ..urls import external_url
from .models import Audience, Consultation, ConsultationSlug, Follow, ModerationPolicy, Phase


class ConsultationError(ServiceError):
    """A rule was broken; the message is safe to show."""


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day``, local time, as UTC."""
    return datetime.combine(day, time.min, tzinfo=local_zone()).astimezone(ZoneInfo("UTC"))


def end_of(day: date) -> datetime:
    """The first moment after ``day`` ends (local time): a consultation closing on a day
    is open all of that day."""
    return start_of(day + timedelta(days=1))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70] or "consultation"


def unique_slug(title: str, exclude_id: int | None = None) -> str:
    """A slug no other consultation has, or ever had (old slugs keep redirecting)."""
    base = slugify(title)
    slug, n = base, 2
    while True:
        found = db.session.scalar(select(Consultation.id).where(Consultation.slug == slug))
        if found is None:
            found = db.session.scalar(
                select(ConsultationSlug.consultation_id).where(ConsultationSlug.slug == slug)
            )
        if found is None or found == exclude_id:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _set_slug(consultation: Consultation, data: ConsultationData) -> None:
    """A draft's slug follows its title; once published it changes only when an officer
    sets a new one on purpose, and the old one is kept so its links redirect."""
    if consultation.published_at is None or not consultation.slug:
        consultation.slug = unique_slug(data.slug or data.title, exclude_id=consultation.id)
        return
    wanted = slugify(data.slug) if data.slug.strip() else consultation.slug
    if wanted == consultation.slug:
        return
    old = consultation.slug
    consultation.slug = unique_slug(wanted, exclude_id=consultation.id)
    if consultation.slug != old:
        db.session.execute(
            delete(ConsultationSlug).where(ConsultationSlug.slug == consultation.slug)
        )
        db.session.add(ConsultationSlug(consultation_id=consultation.id, slug=old))


def moved_to(slug: str) -> str | None:
    """The current slug of a consultation that used to be at ``slug``, if any."""
    return db.session.scalar(
        select(Consultation.slug)
        .join(ConsultationSlug, ConsultationSlug.consultation_id == Consultation.id)
        .where(ConsultationSlug.slug == slug)
    )


def parse_documents(text: str) -> list[dict]:
    """One document per line: ``Title | https://…``. Lines without a web address are refused."""
    documents = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _sep, url = line.rpartition("|")
        title, url = title.strip(), url.strip()
        if not re.match(r"^https?://[^\s]+$", url):
            raise ConsultationError(
                _("Line %(n)s of the documents needs a web address starting https://", n=number)
            )
        documents.append({"title": title or url, "url": url})
    return documents


def documents_text(documents: list[dict]) -> str:
    return "\n".join(f"{d['title']} | {d['url']}" for d in documents or [])


@dataclass
class ConsultationData:
    title: str
    summary: str
    body: str
    why_asking: str
    how_used: str
    opens_on: date | None
    closes_on: date | None
    contact_name: str
    contact_email: str
    documents: str
    term_ids: list[int] = field(default_factory=list)
    moderation_policy: ModerationPolicy = ModerationPolicy.PRE_YOUTH_ANON
    allow_anonymous: bool = False
    audience: Audience = Audience.EVERYONE
    results_public: bool = True
    slug: str = ""


def _apply(consultation: Consultation, data: ConsultationData) -> None:
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        raise ConsultationError(_("The closing date must be on or after the opening date"))
    if consultation.published_at is not None and not (data.opens_on and data.closes_on):
        raise ConsultationError(
            _("A published consultation needs an opening date and a closing date")
        )
    consultation.title = data.title.strip()
    _set_slug(consultation, data)
    consultation.summary = data.summary.strip()
    consultation.body_html = rich_text(data.body)
    consultation.why_asking = data.why_asking.strip()
    consultation.how_used = data.how_used.strip()
    consultation.opens_at = start_of(data.opens_on) if data.opens_on else None
    consultation.closes_at = end_of(data.closes_on) if data.closes_on else None
    consultation.contact_name = data.contact_name.strip()
    consultation.contact_email = data.contact_email.strip()
    consultation.documents = parse_documents(data.documents)
    consultation.moderation_policy = data.moderation_policy
    consultation.allow_anonymous = data.allow_anonymous
    consultation.audience = data.audience
    consultation.results_public = data.results_public
    consultation.terms = list(db.session.scalars(select(Term).where(Term.id.in_(data.term_ids))))


def create(data: ConsultationData, officer) -> Consultation:
    consultation = Consultation(created_by_id=officer.id, documents=[])
    _apply(consultation, data)
    db.session.add(consultation)
    db.session.flush()
    record("consultation.created", "consultation", consultation.id, actor=officer)
    return consultation


def update(consultation: Consultation, data: ConsultationData, officer) -> None:
    _apply(consultation, data)
    record("consultation.edited", "consultation", consultation.id, actor=officer)


def publish(consultation: Consultation, officer) -> None:
    """Make it public: it is scheduled until it opens, then open until it closes."""
    if consultation.published_at is not None:
        return
    if consultation.opens_at is None or consultation.closes_at is None:
        raise ConsultationError(_("Set the opening and closing dates before publishing"))
    if consultation.closes_at <= utcnow():
        raise ConsultationError(_("The closing date has passed: choose a later one"))
    consultation.published_at = utcnow()
    record("consultation.published", "consultation", consultation.id, actor=officer)
    jobs.after_commit("notify_openings")


def would_close(consultation: Consultation, closes_on: date | None) -> bool:
    """Saving this closing date would close an open consultation at once."""
    return bool(closes_on and consultation.phase == Phase.OPEN and end_of(closes_on) <= utcnow())


def close_now(consultation: Consultation, officer) -> None:
    """Stop taking responses now (the closing moment becomes this moment)."""
    if consultation.phase != Phase.OPEN:
        raise ConsultationError(_("Only an open consultation can be closed"))
    consultation.closes_at = utcnow()
    record("consultation.closed", "consultation", consultation.id, actor=officer)


def unpublish(consultation: Consultation, officer) -> None:
    """Back to draft, only before it opens."""
    if consultation.phase != Phase.SCHEDULED:
        raise ConsultationError(_("Only a consultation that has not opened can go back to draft"))
    consultation.published_at = None
    record("consultation.unpublished", "consultation", consultation.id, actor=officer)


def public_query(phase: str = "", issue: str = "", ward: str = ""):
    """Published consultations, newest closing first, with optional filters."""
    stmt = select(Consultation).where(Consultation.phase != Phase.DRAFT.value)
    if phase:
        stmt = stmt.where(Consultation.phase == phase)
    for code in (issue, ward):
        if code:
            stmt = stmt.where(Consultation.terms.any(Term.code == code))
    return stmt.order_by(Consultation.closes_at.desc(), Consultation.id.desc())


def get_by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


# --- following -------------------------------------------------------------------


def follow(user, *, consultation: Consultation | None = None, term: Term | None = None) -> Follow:
    stmt = select(Follow).where(Follow.user_id == user.id)
    stmt = stmt.where(
        Follow.consultation_id == consultation.id if consultation else Follow.term_id == term.id
    )
    existing = db.session.scalar(stmt)
    if existing:
        return existing
    item = Follow(
        user_id=user.id,
        consultation_id=consultation.id if consultation else None,
        term_id=term.id if term else None,
    )
    db.session.add(item)
    db.session.flush()
    return item


def is_following(user, consultation: Consultation) -> bool:
    if not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.user_id == user.id, Follow.consultation_id == consultation.id
            )
        )
        is not None
    )


def unfollow(user, consultation: Consultation) -> None:
    for item in db.session.scalars(
        select(Follow).where(Follow.user_id == user.id, Follow.consultation_id == consultation.id)
    ):
        db.session.delete(item)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="community.unsubscribe")


def unsubscribe_token(item: Follow) -> str:
    return _serializer().dumps({"f": item.id, "u": item.user_id})


def unsubscribe(token: str) -> bool:
    """One click from an email: stop that follow. True if the link was valid."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return False
    item = db.session.get(Follow, data.get("f"))
    if item is not None and item.user_id == data.get("u"):
        db.session.delete(item)
    return True


def followers(consultation: Consultation) -> list[Follow]:
    """One follow per person: of the consultation itself, else of one of its terms."""
    term_ids = [t.id for t in consultation.terms]
    rows = db.session.scalars(
        select(Follow)
        .where(
            or_(
                Follow.consultation_id == consultation.id,
                Follow.term_id.in_(term_ids) if term_ids else false(),
            )
        )
        .order_by(Follow.consultation_id.is_(None), Follow.id)
    )
    chosen: dict[int, Follow] = {}
    for item in rows:
        chosen.setdefault(item.user_id, item)
    return list(chosen.values())


@jobs.job("notify_openings")
def notify_openings() -> int:
    """Mail followers once when a consultation opens. Returns how many mails were queued."""
    from ..accounts.models import User

    due = db.session.scalars(
        select(Consultation).where(
            Consultation.phase == Phase.OPEN.value, Consultation.opening_notified_at.is_(None)
        )
    ).all()
    queued = 0
    for consultation in due:
        for item in followers(consultation):
            user = db.session.get(User, item.user_id)
            if user is None or not user.is_active:
                continue
            mails.consultation_opened(
                user,
                consultation=consultation,
                link=external_url("consultations.show", slug=consultation.slug),
                unsubscribe=external_url(
                    "consultations.unsubscribe", token=unsubscribe_token(item)
                ),
                key=f"consultation-opened:{consultation.id}:{user.id}",
            )
            queued += 1
        consultation.opening_notified_at = utcnow()
    db.session.commit()
    return queued
