"""The session cookie, signed again at most once a minute when nothing in it changed.

A signed-in person's session is permanent with a sliding lifetime
(``PERMANENT_SESSION_LIFETIME``, 8 hours from their last request). Flask keeps it
sliding by serialising and signing the cookie afresh on every response, even when
nothing in the session changed: for a vote or a support, a tenth of the request's
own work and a ``Set-Cookie`` header each time (issue 15). Here the cookie is signed
again only when the session changed or the cookie in hand was signed more than
``SESSION_REFRESH_SECONDS`` (60) ago, so the lifetime still slides, to the minute.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class SignedSession(SecureCookieSession):
    #: When the cookie this session was read from was signed (None: a new session).
    signed_at: datetime | None = None


class SessionInterface(SecureCookieSessionInterface):
    session_class = SignedSession

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        if signed_at is None:
            return True
        age = (datetime.now(UTC) - signed_at).total_seconds()
        return age >= app.config["SESSION_REFRESH_SECONDS"]


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
