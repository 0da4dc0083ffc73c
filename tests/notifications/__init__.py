"""Mail tests: the outbox, its backends (the real SendGrid client against a fake
server on loopback) and the worker. Helpers shared by both test modules."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select

from community.extensions import db
from community.notifications.models import OutboxMessage


@contextmanager
def context(app):
    """A request context on ``app``: services render templates and use its session."""
    with app.test_request_context("/"):
        try:
            yield app
        finally:
            db.session.remove()


def reload(message_id: int) -> OutboxMessage:
    """The row as the database has it now, not as this session last saw it."""
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def count_messages() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))
