"""Recording consent where it is given, and withdrawing it with immediate effect.

Consent is recorded when a person registers (the privacy notice's version) and when
they send a survey response (hearing back, "about you" answers, special-category
answers). Following a consultation, issue or ward is its own record (the follow):
the consents page lists follows beside these and stops them the same way.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..audit.service import record
from ..consultations.models import Follow
from ..extensions import affected, db
from ..failures import ServiceError
from ..models_base import utcnow
from ..surveys import about_you, changes
from ..surveys.models import AboutYouAnswer, Response
from .models import Consent, ConsentPurpose
from .wording import WORDING

SPECIAL_KEYS = [key for key, q in about_you.QUESTIONS.items() if q.special]


class ConsentError(ServiceError):
    """The message is safe to show."""


def notice_version() -> str:
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def _active(user_id: int, purpose: ConsentPurpose, response_id: int | None = None):
    stmt = select(Consent).where(
        Consent.user_id == user_id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None),
    )
    if response_id is not None:
        stmt = stmt.where(Consent.response_id == response_id)
    return db.session.scalars(stmt).all()


def _give(user_id: int, purpose: ConsentPurpose, source: str, response_id=None) -> Consent:
    existing = _active(user_id, purpose, response_id)
    if purpose == ConsentPurpose.PRIVACY_NOTICE:
        existing = [c for c in existing if c.version == notice_version()]
    if existing:
        return existing[0]
    consent = Consent(
        user_id=user_id,
        purpose=purpose,
        response_id=response_id,
        version=notice_version(),
        source=source,
        wording=str(WORDING[purpose]),
        given_at=utcnow(),
    )
    db.session.add(consent)
    return consent


def record_privacy_notice(user, source: str = "registration") -> Consent:
    """The person agreed to the privacy notice in force (registering, or after a change)."""
    return _give(user.id, ConsentPurpose.PRIVACY_NOTICE, source)


def has_current_notice(user) -> bool:
    return any(
        c.version == notice_version() for c in _active(user.id, ConsentPurpose.PRIVACY_NOTICE)
    )


def sync_survey_consents(user, response: Response) -> None:
    """On sending a response: record what it agrees to, and close what it no longer does."""
    # A survey that asks nothing about the person has no such answers to read (the
    # "about you" page stores only the keys its survey asks: surveys.answering.service).
    keys = (
        set(
            db.session.scalars(
                select(AboutYouAnswer.key).where(AboutYouAnswer.response_id == response.id)
            )
        )
        if response.survey.about_you
        else set()
    )
    # Each is what the person did on a page with those words: ticked the hear-back box,
    # sent the "about you" page with answers, ticked the special-category box (answers
    # about ethnicity or disability are refused without it, so they exist only with it).
    wanted = {
        ConsentPurpose.HEAR_BACK: response.hear_back,
        ConsentPurpose.ABOUT_YOU: bool(keys),
        ConsentPurpose.SPECIAL_CATEGORY: bool(keys & set(SPECIAL_KEYS)),
    }
    # The response's active consents for all three purposes in one query (this runs
    # on every survey sent, the busiest write there is).
    active: dict[ConsentPurpose, list[Consent]] = {purpose: [] for purpose in wanted}
    for consent in db.session.scalars(
        select(Consent).where(
            Consent.user_id == user.id,
            Consent.purpose.in_(list(wanted)),
            Consent.withdrawn_at.is_(None),
            Consent.response_id == response.id,
        )
    ):
        active[ConsentPurpose(consent.purpose)].append(consent)
    for purpose, given in wanted.items():
        if given and not active[purpose]:
            db.session.add(
                Consent(
                    user_id=user.id,
                    purpose=purpose,
                    response_id=response.id,
                    version=notice_version(),
                    source="survey",
                    # The words on the page the person ticked or sent (h14's rule).
                    wording=str(WORDING[purpose]),
                    given_at=utcnow(),
                )
            )
        elif not given:
            for consent in active[purpose]:
                consent.withdrawn_at = utcnow()


def reconcile(user) -> None:
    """Hear-back stopped from an outcome mail's link shows here as withdrawn."""
    stopped = db.session.scalars(
        select(Consent)
        .join(Response, Response.id == Consent.response_id)
        .where(
            Consent.user_id == user.id,
            Consent.purpose == ConsentPurpose.HEAR_BACK,
            Consent.withdrawn_at.is_(None),
            Response.hear_back.is_(False),
        )
    )
    for consent in stopped:
        consent.withdrawn_at = utcnow()


def consents_for(user) -> list[Consent]:
    """Newest first, with each one's survey loaded in the same few queries."""
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.user_id == user.id)
            .options(selectinload(Consent.response).selectinload(Response.survey))
            .order_by(Consent.given_at.desc(), Consent.id.desc())
        )
    )


def follows_for(user) -> list[Follow]:
    return list(
        db.session.scalars(
            select(Follow)
            .where(Follow.user_id == user.id)
            .options(selectinload(Follow.consultation), selectinload(Follow.term))
            .order_by(Follow.created_at.desc())
        )
    )


def get_own(user, consent_id: int) -> Consent | None:
    consent = db.session.get(Consent, consent_id)
    return consent if consent is not None and consent.user_id == user.id else None


def withdraw(user, consent: Consent) -> None:
    """Withdraw at once: stop the mail, or delete the answers the consent covered."""
    if not consent.can_withdraw:
        raise ConsentError(_("This cannot be withdrawn here"))
    consent.withdrawn_at = utcnow()
    deleted = 0
    response = consent.response
    if consent.purpose == ConsentPurpose.HEAR_BACK and response is not None:
        response.hear_back = False
    elif consent.purpose in (ConsentPurpose.ABOUT_YOU, ConsentPurpose.SPECIAL_CATEGORY):
        stmt = delete(AboutYouAnswer).where(AboutYouAnswer.response_id == consent.response_id)
        if consent.purpose == ConsentPurpose.SPECIAL_CATEGORY:
            stmt = stmt.where(AboutYouAnswer.key.in_(SPECIAL_KEYS))
        else:
            # No answers about yourself means none of the special ones either.
            for special in _active(user.id, ConsentPurpose.SPECIAL_CATEGORY, consent.response_id):
                special.withdrawn_at = consent.withdrawn_at
        deleted = affected(stmt)
        if deleted and consent.response_id is not None:
            changes.responses_changed([consent.response_id])
    record(
        "consent.withdrawn",
        "consent",
        consent.id,
        actor=user,
        purpose=consent.purpose.value,
        answers_deleted=deleted,
    )


def stop_following(user, follow_id: int) -> Follow | None:
    """Stop the mail about a followed consultation, issue or ward (the follow is deleted)."""
    item = db.session.get(Follow, follow_id)
    if item is None or item.user_id != user.id:
        return None
    db.session.delete(item)
    record(
        "consent.follow_stopped",
        "consultation" if item.consultation_id else "term",
        item.consultation_id or item.term_id,
        actor=user,
    )
    return item


def delete_consents(user_id: int) -> int:
    """For erasure: the records go with the person."""
    return affected(delete(Consent).where(Consent.user_id == user_id))
