"""Password hashing with argon2id."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

#: A real hash of a random password, checked when no account matches, so a sign-in
#: for an unknown email takes as long as one for a known email.
_DUMMY_PASSWORD = "not-a-real-password-0000"  # noqa: S105 (never an account's)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


#: One dummy hash per cost setting, made once, so the unknown-address path does
#: exactly one verify, like the known one (hashing it again each time doubled it).
_dummy_hashes: dict[tuple[int, int], str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hasher.hash(_DUMMY_PASSWORD)
    return _dummy_hashes[key]


def equal_work(password: str) -> None:
    """The cost of hashing ``password``, spent and thrown away: paths that know the
    address (registering an existing one) take as long as those that do not."""
    _hasher().hash(password)


def check_password(stored_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if not stored_hash:
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(hasher), password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)
