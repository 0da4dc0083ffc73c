"""Reading mail from the outbox in tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.notifications.models import OutboxMessage


def outbox(to: str | None = None, template: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        stmt = stmt.where(OutboxMessage.to_address == to)
    if template:
        stmt = stmt.where(OutboxMessage.template == template)
    return list(db.session.scalars(stmt))


def link_in(message: OutboxMessage) -> str:
    """The first link in a mail's text, as a path on this site."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.text_body)
    assert match, f"no link in {message.template}"
    return match.group(1)
