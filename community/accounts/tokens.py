"""Signed, expiring tokens for links in emails."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"community.{purpose}")


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def make_verify_token(user) -> str:
    """Valid for this user and this email address only."""
    return _serializer("verify").dumps({"u": user.id, "e": _fingerprint(user.email)})


def make_reset_token(user) -> str:
    """Valid until used: changing the password changes the hash it is bound to."""
    return _serializer("reset").dumps({"u": user.id, "p": _fingerprint(user.password_hash)})


def read_verify_token(token: str, users) -> object | None:
    data = _load("verify", token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    user = users(data.get("u")) if data else None
    if user is None or data.get("e") != _fingerprint(user.email):
        return None
    return user


def read_reset_token(token: str, users) -> object | None:
    data = _load("reset", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = users(data.get("u")) if data else None
    if user is None or data.get("p") != _fingerprint(user.password_hash):
        return None
    return user


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None
