"""Fixtures: one app per session on SQLite or PostgreSQL, a clean database per test,
a signed-in client per role, hostile factories, and real mail and browser parts."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from community import create_app, pagecache, shortcache
from community.accounts.models import Role
from community.extensions import db, limiter
from tests.support.config import kept_config
from tests.support.env import per_worker
from tests.support.factories import make_user

ROOT = Path(__file__).resolve().parent.parent

#: Every role the access matrix walks; "visitor" is not signed in.
ROLES = [
    "visitor",
    "resident",
    "youth",
    "group_leader",
    "partner",
    "moderator",
    "officer",
    "admin",
]


def pytest_collection_modifyitems(items) -> None:
    """Every test that drives Chromium is an ``e2e`` test, whether or not its module
    says so, so ``make test-fast`` (``-m "not e2e and not slow"``) never starts a browser.

    A test that never asks for the app (directly or through another fixture) and brings
    no PostgreSQL database of its own touches no database: it is marked ``no_database``,
    and `make test` runs it once, in the SQLite run (scripts/run-tests.sh)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "browser" in fixtures:
            item.add_marker(pytest.mark.e2e)
        if "app" not in fixtures and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.no_database)


def _database_url(tmp_dir: Path) -> str:
    """SQLite in the test run's own temporary folder, or TEST_DATABASE_URL; under
    pytest-xdist each worker gets its own PostgreSQL database (name + worker id)."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.sqlite'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return per_worker(url)


def _reset_postgres(url: str) -> None:
    """Create the test database if needed, and empty its schema."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def base_config(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("community")
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp / "instance"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
        "WTF_CSRF_ENABLED": False,
        "JOBS_MODE": "off",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(tmp / "mail"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_SIGN_IN": "1000 per minute",
        "RATELIMIT_REGISTER": "1000 per minute",
        "RATELIMIT_RESET": "1000 per minute",
        "RATELIMIT_SURVEY": "1000 per minute",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "REDIS_URL": "",
    }


@pytest.fixture(scope="session")
def app(base_config):
    """The app, on a database migrated to head with Alembic (not create_all)."""
    from flask_migrate import upgrade

    url = base_config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        _reset_postgres(url)
    app = create_app(base_config)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


@pytest.fixture
def make_app(app, base_config):
    """Build a variant app on the same database (CSRF on, real rate limits, Redis …)."""
    made = []

    def factory(**overrides):
        variant = create_app({**base_config, **overrides})
        made.append(variant)
        return variant

    yield factory
    if made:
        # The limiter is shared: hand it back to the session app with its settings.
        limiter.init_app(app)


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Each test that uses the app starts with empty tables: after it, DELETE every
    table in dependency order (children first). DELETE, not TRUNCATE: on PostgreSQL a
    TRUNCATE of 60 tables costs about a second, DELETE of a few rows milliseconds.
    Identity sequences are not restarted, so no test may rely on ids. Tests that never
    ask for the app (the maths, parsers) touch no database and reset nothing."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
    with kept_config(app):  # a setting a test changes is put back after it
        yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    shortcache.forget()  # the lists it keeps were in the tables just emptied
    pagecache.forget(app)  # so were the pages


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.test_request_context("/"):
        yield app
        db.session.remove()


@pytest.fixture
def framework(app):
    """The Safer Kingston framework, loaded with `flask seed`'s service."""
    from community.framework.service import seed

    with app.app_context():
        seed(app.config["FRAMEWORK_FILE"])
        db.session.commit()


@pytest.fixture
def without_page_cache(app, monkeypatch):
    """For tests of what a page reads as it is drawn: no kept visitor page answers
    (``community/pagecache/``; its own tests are in tests/main/test_page_cache.py)."""
    monkeypatch.delitem(app.extensions, "community_pages", raising=False)


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in_client(app, user):
    """A test client whose session holds ``user`` (as Flask-Login stores it): the
    account's current session token, read afresh, since signing out (or a password or
    role change) rotates it and a detached ``user`` may hold an old one."""
    from community.accounts.models import User

    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.id == user.id))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token or user.get_id()
        session["_fresh"] = True
        session["cookie_notice_hidden"] = True
    return client


@pytest.fixture
def users(app):
    """One user for each stored role, keyed by role name."""
    with app.app_context():
        made = {role.value: make_user(role) for role in Role}
        for user in made.values():
            db.session.refresh(user)
        db.session.expunge_all()
    return made


@pytest.fixture
def role_client(app, users):
    """``role_client("officer")``: a client signed in with that role; "visitor" is anonymous."""

    def factory(role: str):
        if role == "visitor":
            return app.test_client()
        return sign_in_client(app, users[role])

    return factory


@contextmanager
def count_queries(app):
    """Count SQL statements run inside the block: ``with count_queries(app) as n: ...``."""
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)
