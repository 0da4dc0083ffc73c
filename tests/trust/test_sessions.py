"""Sign-out ends the session on the server; timing does not tell who has an account."""

from __future__ import annotations

import statistics
import time

import pytest

from tests.support.factories import PASSWORD, make_user


@pytest.fixture
def person(app):
    with app.app_context():
        return make_user(email="person@example.com").email


def test_a_cookie_copied_before_sign_out_opens_nothing_after(app, person):
    client = app.test_client()
    client.post("/sign-in", data={"email": person, "password": PASSWORD})
    assert client.get("/account").status_code == 200
    copied = client.get_cookie("cv_session").value
    client.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie("cv_session", copied)
    assert thief.get("/account").status_code == 302
    assert thief.get("/account/your-data/download").status_code == 302


def _median_seconds(calls) -> list[float]:
    """Median time of each call, run interleaved so load on the machine hits all alike."""
    times: list[list[float]] = [[] for _ in calls]
    for _round in range(15):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def _close(known: float, unknown: float, margin: float = 0.35) -> bool:
    """Within ``margin`` of each other (generous: a shared machine is noisy; the
    leaks this catches were 2x and 10x)."""
    return abs(known - unknown) <= margin * max(known, unknown)


@pytest.fixture
def slow_hash_app(make_app):
    """Production-like argon2 cost, so the hashing is what a stopwatch would see; the
    known account's hash made at the same cost."""
    slow = make_app(ARGON2_TIME_COST=3, ARGON2_MEMORY_COST=32768)
    with slow.app_context():
        from community.accounts.passwords import hash_password
        from community.extensions import db

        make_user(email="known@example.com").password_hash = hash_password(PASSWORD)
        db.session.commit()
    return slow


@pytest.mark.slow
def test_sign_in_takes_as_long_for_unknown_addresses(slow_hash_app):
    client = slow_hash_app.test_client()

    def attempt(email):
        return lambda: client.post("/sign-in", data={"email": email, "password": "wrong pw 123"})

    known, unknown = _median_seconds([attempt("known@example.com"), attempt("nobody@example.com")])
    assert _close(known, unknown), (known, unknown)


@pytest.mark.slow
def test_registration_takes_as_long_for_existing_addresses(slow_hash_app):
    client = slow_hash_app.test_client()
    counter = iter(range(1000))

    def register(email_for):
        def call():
            client.post(
                "/register",
                data={
                    "email": email_for(),
                    "display_name": "Sam",
                    "age_band": "35_44",
                    "password": "a long enough password",
                    "confirm_password": "a long enough password",
                },
            )

        return call

    known, unknown = _median_seconds(
        [register(lambda: "known@example.com"), register(lambda: f"new{next(counter)}@example.com")]
    )
    assert _close(known, unknown), (known, unknown)


@pytest.mark.slow
def test_password_reset_takes_as_long_for_unknown_addresses(slow_hash_app):
    client = slow_hash_app.test_client()

    def ask(email):
        return lambda: client.post("/password/forgot", data={"email": email})

    known, unknown = _median_seconds([ask("known@example.com"), ask("nobody@example.com")])
    assert _close(known, unknown), (known, unknown)
