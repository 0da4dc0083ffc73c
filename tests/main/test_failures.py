"""One way to fail: a ServiceError rolls the whole unit of work back and is shown to
the person (on the form's field, so the error summary lists it, or flashed); success
commits once; anything else is not a refusal and is not swallowed."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select
from wtforms import Form, StringField

from community.accounts.models import User
from community.extensions import db
from community.failures import ServiceError, attempt
from community.forms import ConfirmForm
from community.plan.service import PlanError
from tests.support.factories import make_user


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_every_feature_error_is_a_service_error():
    assert issubclass(PlanError, ServiceError)
    assert PlanError("No.").message == "No."


def test_success_commits_and_returns_the_result(ctx):
    done = attempt(lambda: make_user(commit=False).email)
    db.session.rollback()  # nothing left to roll back: it was committed
    assert done.ok and "@" in done.result
    assert _users() == 1


def test_a_refusal_rolls_everything_back_and_is_flashed(ctx):
    def work():
        make_user(commit=False)
        db.session.flush()
        raise PlanError("That action is closed.")

    done = attempt(work)
    assert not done.ok and done.error.message == "That action is closed."
    assert _users() == 0
    assert get_flashed_messages(with_categories=True) == [("error", "That action is closed.")]


class _NameAndCode(Form):
    name = StringField()
    code = StringField()


def _refuse(message: str, field: str | None = None):
    def work():
        raise ServiceError(message, field=field)

    return work


def test_a_refusal_goes_on_the_named_field_or_the_errors_own(ctx):
    form = _NameAndCode()
    attempt(_refuse("Taken."), form=form, field="code")
    assert list(form.code.errors) == ["Taken."]
    attempt(_refuse("Too long.", field="name"), form=form)
    assert list(form.name.errors) == ["Too long."]
    assert get_flashed_messages() == []


def test_a_refusal_with_several_problems_puts_each_on_its_own_field(ctx):
    form = _NameAndCode()

    def work():
        raise ServiceError("Two faults.", problems=[("name", "Too long."), ("code", "Taken.")])

    assert not attempt(work, form=form).ok
    assert (list(form.name.errors), list(form.code.errors)) == (["Too long."], ["Taken."])
    assert get_flashed_messages() == []


def test_feature_errors_with_several_problems_are_service_errors():
    from community.multilingual.service import TranslationError
    from community.wards.geojson import BoundaryError

    translation = TranslationError({"title": "Give one", "summary": "Give two"})
    assert translation.problems == [("title", "Give one"), ("summary", "Give two")]
    upload = BoundaryError(["Not GeoJSON", "No wards"])
    assert isinstance(upload, ServiceError) and upload.messages == ["Not GeoJSON", "No wards"]
    assert upload.problems == [("boundaries", "Not GeoJSON"), ("boundaries", "No wards")]


def test_a_form_with_nothing_to_fill_in_gets_a_flash(ctx):
    confirm = ConfirmForm(meta={"csrf": False})
    attempt(_refuse("No."), form=confirm)
    assert get_flashed_messages() == ["No."]
    assert not any(field.errors for field in confirm)


def test_other_errors_are_not_swallowed(ctx):
    with pytest.raises(ZeroDivisionError):
        attempt(lambda: 1 / 0)


def test_keep_loaded_is_passed_on_so_a_view_can_go_on_reading(ctx):
    user = make_user()
    attempt(lambda: user.email, retry_conflicts=True)
    assert "email" not in user.__dict__  # expired by the commit: the next read is a query
    user.email  # noqa: B018 (loads it again)
    attempt(lambda: user.email, retry_conflicts=True, keep_loaded=True)
    assert "email" in user.__dict__
