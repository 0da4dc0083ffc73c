"""The kept pages: which requests may be answered from them, and keeping them.

See the package's docstring for what is kept and why it is never stale.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request, session

from ..insights.cache import FigureCache
from . import statements
from .statements import EVERYTHING, Reading
from .versions import backend

#: Session keys that do not make a visitor's page their own (the two that change it,
#: the language and the hidden cookie notice, are in the key).
_NEUTRAL_SESSION = frozenset(
    {"language", "csrf_token", "_permanent", "_fresh", "cookie_notice_hidden"}
)
#: Where a kept page had its visitor's CSRF token: each visitor is sent their own.
_TOKEN = b"\x00cv-csrf-token\x00"
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Vary",
    "ETag",
    "Last-Modified",
)
_NEVER = frozenset({"main.health", "main.ready"})
MAX_BYTES = 1_000_000


@dataclass
class Kept:
    versions: tuple[tuple[str, int], ...]
    at: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Pages:
    def __init__(self, app: Flask, versions) -> None:
        self.versions = versions
        self.kept = FigureCache(size=int(app.config.get("PAGE_CACHE_ENTRIES", 128)))
        self.seconds = float(app.config.get("PAGE_CACHE_SECONDS", 60))
        self.known = statements.known_tables()
        self.hits = 0


def _visitor_request() -> bool:
    if request.method != "GET" or request.endpoint in _NEVER or request.endpoint == "static":
        return False
    if "Authorization" in request.headers:
        return False
    return set(session.keys()) <= _NEUTRAL_SESSION


def _key(app: Flask) -> tuple:
    from ..i18n import select_locale

    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    cookies = tuple(sorted((k, v) for k, v in request.cookies.items() if k != cookie_name))
    return (
        "page",
        str(app.config["SQLALCHEMY_DATABASE_URI"]),
        request.host_url,
        request.full_path,
        select_locale(),
        bool(session.get("cookie_notice_hidden")),
        request.headers.get("Accept", ""),
        cookies,
    )


def _fresh(kept: Kept, store: Pages) -> bool:
    """Younger than the store's limit, and drawn from tables that have not changed (only
    their versions are read: a handful, not every table's, about seventy)."""
    if time.monotonic() - kept.at >= store.seconds:
        return False
    versions = store.versions.read(t for t, _ in kept.versions if t != "epoch")
    return versions is not None and all(versions.get(t) == v for t, v in kept.versions)


def _before() -> Response | None:
    statements.start_reading(None)
    store: Pages | None = current_app.extensions.get("community_pages")
    if store is None or not _visitor_request():
        return None
    key = _key(current_app)
    kept: Kept | None = store.kept.peek(key)  # type: ignore[assignment]
    if kept is not None and _fresh(kept, store):
        store.hits += 1
        kept_page = Response(_with_token(zlib.decompress(kept.body)), kept.status, kept.headers)
        return kept_page.make_conditional(request)  # an ETag sent back: 304
    # Drawn afresh: every table's version, read before anything else is, is what the
    # page will be kept under (the package's docstring: why it is never stale).
    versions = store.versions.read(store.known)
    if versions is None:
        store.kept.clear()
        return None
    statements.start_reading(Reading(key=key, versions=versions))
    return None


def _storable(response: Response, reading: Reading) -> bool:
    from flask_login import current_user

    length = response.calculate_content_length()
    return (
        response.status_code == 200
        and not response.is_streamed
        and not response.direct_passthrough
        and response.mimetype in ("text/html", "application/json")
        and "Set-Cookie" not in response.headers
        and set(session.keys()) <= _NEUTRAL_SESSION
        and not reading.wrote
        and not current_user.is_authenticated
        and length is not None
        and length <= MAX_BYTES
    )


def _without_token(body: bytes) -> bytes:
    token = g.get("csrf_token")
    return body.replace(token.encode(), _TOKEN) if token else body


def _with_token(body: bytes) -> bytes:
    if _TOKEN not in body:
        return body
    from flask_wtf.csrf import generate_csrf

    return body.replace(_TOKEN, generate_csrf().encode())


def _after(response: Response) -> Response:
    reading = statements.stop_reading()
    store: Pages | None = current_app.extensions.get("community_pages")
    if reading is None or store is None or not _storable(response, reading):
        return response
    depends = reading.tables | {EVERYTHING} | ({"epoch"} & reading.versions.keys())
    store.kept.put(
        reading.key,
        Kept(
            versions=tuple(sorted((t, reading.versions.get(t, 0)) for t in depends)),
            at=time.monotonic(),
            status=response.status_code,
            headers=[(h, response.headers[h]) for h in _KEPT_HEADERS if h in response.headers],
            body=zlib.compress(_without_token(response.get_data()), 1),
        ),
    )
    return response


def _teardown(_error=None) -> None:
    statements.stop_reading()
    statements.committed()


def init_app(app: Flask) -> None:
    versions = backend(app)
    if versions is None:
        return
    statements.listen_once()
    app.extensions["community_pages"] = Pages(app, versions)
    app.before_request(_before)
    app.after_request(_after)
    app.teardown_appcontext(_teardown)


def forget(app: Flask) -> None:
    """Drop every kept page of ``app`` (tests empty the tables between them)."""
    store = app.extensions.get("community_pages")
    if store is not None:
        store.kept.clear()
        store.hits = 0
