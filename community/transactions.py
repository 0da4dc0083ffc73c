"""Commit with retries when concurrent requests collide.

Invariants (one response per person, one vote per statement) are database
constraints. When two requests race, one of them meets the constraint (or, on
SQLite, a busy database); rather than a 500 it rolls back and runs its work again,
now seeing the winner's rows. If it still cannot, the person gets the 409 page.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from flask import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import Conflict

from .extensions import db

T = TypeVar("T")


def _is_conflict(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    text = str(getattr(error, "orig", error)).lower()
    return "locked" in text or "deadlock" in text or "could not serialize" in text


def run_in_transaction(work: Callable[[], T], attempts: int = 5, *, keep_loaded=False) -> T:
    """Run ``work`` and commit; on a conflict roll back and run it again.

    ``keep_loaded`` leaves what the request loaded as it is after the commit rather
    than expiring it, for views that go on to read it (the survey flow: reloading
    the survey, response and answers after each commit cost several statements).
    """
    for attempt in range(attempts):
        try:
            result = work()
            _commit(keep_loaded)
            return result
        except (IntegrityError, OperationalError) as error:
            db.session.rollback()
            if not _is_conflict(error):
                raise
            if isinstance(error, IntegrityError):
                from .operations.form_tokens import repeat_after_collision

                repeat = repeat_after_collision()
                if repeat is not None:  # a copy of a form already saved: go where it went
                    abort(repeat)
            if attempt == attempts - 1:
                raise Conflict() from error
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


def _commit(keep_loaded: bool) -> None:
    session = db.session()
    if not keep_loaded:
        session.commit()
        return
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def lock(model, row_id: int):
    """Load a row afresh and lock it for this transaction (FOR UPDATE on PostgreSQL)."""
    return db.session.execute(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
