"""One way to fail: services raise a ServiceError carrying the message a person should
see; views run service calls through ``attempt``, which commits once on success, or
rolls back and shows the message (on the form, in the GOV.UK error summary, or as a
flash) on failure. No view writes its own try/rollback/flash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from flask import flash

from .extensions import db
from .transactions import run_in_transaction

T = TypeVar("T")

#: Fields a person does not fill in, so never where a message is shown.
_NOT_ANSWERS = {"CSRFTokenField", "HiddenField", "SubmitField"}


class ServiceError(Exception):
    """A rule refused what the person asked. ``str(error)`` is the message for them,
    already translated; ``field`` names the form field it belongs to, if any.
    ``problems`` lists every (field, message) when one refusal has several (each box
    of a translation form, every fault in an uploaded file)."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        problems: list[tuple[str | None, str]] | None = None,
    ):
        super().__init__(message)
        self.field = field
        self.problems = problems or [(field, message)]

    @property
    def message(self) -> str:
        return str(self)


@dataclass
class Attempt(Generic[T]):
    """What ``attempt`` did: ``ok`` and the service's ``result``, or the ``error``."""

    ok: bool
    result: T | None = None
    error: ServiceError | None = None

    @property
    def value(self) -> T:
        """The service's result, once ``ok`` is checked (or when the call cannot refuse)."""
        if not self.ok:
            raise RuntimeError("a refused attempt has no result") from self.error
        return cast(T, self.result)


def attempt(
    call: Callable[[], T],
    *,
    form: Any = None,
    field: str | None = None,
    commit: bool = True,
    retry_conflicts: bool = False,
    keep_loaded: bool = False,
) -> Attempt[T]:
    """Run one unit of work: ``call()``, then commit. A ServiceError rolls everything
    back and is shown: on ``form``'s field (``field``, else the error's own field,
    else the form's first field) so the error summary lists it, or flashed when
    there is no form. ``retry_conflicts`` runs it with ``run_in_transaction`` (an
    invariant met by a concurrent request: roll back, run again, else 409), with
    ``keep_loaded`` passed on to it. Anything else is not a refusal and propagates
    (the 500, 503 or 409 page)."""
    try:
        if retry_conflicts:
            result = run_in_transaction(call, keep_loaded=keep_loaded)
        elif commit:
            result = call()
            db.session.commit()
        else:
            result = call()
    except ServiceError as error:
        db.session.rollback()
        show(error, form=form, field=field)
        return Attempt(ok=False, error=error)
    return Attempt(ok=True, result=result)


def show(error: ServiceError, *, form: Any = None, field: str | None = None) -> None:
    """Put a refusal where the person will read it: each of its problems on its own
    field (``field`` overrides the field of a refusal with one problem)."""
    single = len(error.problems) == 1
    for own, message in error.problems:
        _show_one(message, form=form, name=(field or own) if single else (own or field))


def _show_one(message: str, *, form: Any, name: str | None) -> None:
    target = None
    if form is not None:
        target = getattr(form, name, None) if name else None
        if target is None:
            target = next((f for f in form if f.type not in _NOT_ANSWERS), None)
    if target is None:
        flash(message, "error")
        return
    target.errors = [*target.errors, message]
