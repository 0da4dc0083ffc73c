"""The emailed copy of a response: once per response, a few a day to one address."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ...extensions import db
from ...models_base import utcnow
from ...notifications import mails
from ...notifications.models import OutboxMessage
from ..models import Response


def _address_tag(address: str) -> str:
    """A keyed hash of an address: counts receipts per address without keeping it."""
    secret = current_app.config["SECRET_KEY"].encode()
    normal = address.strip().lower().encode()
    return hmac.new(secret, normal, hashlib.sha256).hexdigest()[:24]


def send_receipt(
    response: Response, address: str, *, rows: list[dict], author=None, link: str = ""
) -> bool:
    """Mail a copy of a response, once per response and at most
    ``SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY`` a day to one address.

    ``rows`` are the answers as the check page lists them (``service.check_rows``).
    Why the limit: the receipt carries the sender's own text to any address they
    type, so without it the survey would relay messages to strangers. Returns
    whether a receipt was queued.
    """
    tag = _address_tag(address)
    prefix = f"survey-receipt:{tag}:"
    since = utcnow() - timedelta(days=1)
    sent_today = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.idempotency_key.like(f"{prefix}%"))
        .where(OutboxMessage.created_at >= since)
    )
    if sent_today >= current_app.config["SURVEY_RECEIPTS_PER_ADDRESS_PER_DAY"]:
        return False
    mails.survey_receipt(
        to=address,
        user=author if author is not None and author.is_authenticated else None,
        response=response,
        rows=rows,
        link=link,
        key=f"{prefix}{response.id}",
        first_time=True,
        # Sent only in the transaction that first marks the (locked) response
        # submitted, and nothing marks it back: its key cannot be there yet, so it is
        # not looked up (the outbox's unique key still guards it).
        known_new=True,
    )
    return True
