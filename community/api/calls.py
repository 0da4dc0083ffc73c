"""The API call log: one row per call under /api/, written after the answer as its own
unit of work, so a failure to log never turns an answer into an error.

The row is a Core ``INSERT``: through the ORM's unit of work the log was
most of an API call that a kept page answered (1.5 ms of CPU of 1.7, issue 15).
"""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..models_base import utcnow
from .models import ApiCall


def log_call(*, token_id: int | None, method: str, endpoint: str, status: int, ms: int) -> None:
    """Store one call (no personal data); on any failure, roll back and log the fault."""
    try:
        db.session.execute(
            ApiCall.__table__.insert(),
            {
                "token_id": token_id,
                "method": method[:8],
                "endpoint": endpoint[:120],
                "status": status,
                "duration_ms": ms,
                "called_at": utcnow(),
            },
        )
        db.session.commit()
    except Exception:  # the log must never turn an answer into an error
        db.session.rollback()
        current_app.logger.exception("could not log an API call")
