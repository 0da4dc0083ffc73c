"""Extension instances, created unbound and initialised in create_app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, MetaData
from sqlalchemy.orm import DeclarativeBase

#: Stable constraint names, so migrations are the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def init_migrations(app, directory: str) -> None:
    """Flask-Migrate, for ``flask db …`` and the tests. Imported here rather than at the
    top: it brings Alembic (about 11 MB a process), which a web worker never uses
    (issue 15; ``wsgi.py`` leaves it out under gunicorn)."""
    from flask_migrate import Migrate

    Migrate(app, db, directory=directory, compare_type=True, render_as_batch=True)


def _rate_limit_key() -> str:
    return get_remote_address() or request.remote_addr or "unknown"


def per_person_key() -> str:
    """Signed-in people are limited per account, everyone else per address.

    Thirty young people in one school or library share one public address: a limit
    per address would stop the class after the first few had answered a survey.
    Signing in and registering stay per address (that is what guessing comes from).
    """
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{_rate_limit_key()}"


limiter = Limiter(key_func=_rate_limit_key, default_limits=[])


def insert_with_conflicts(model):
    """An ``INSERT`` for ``model`` on this session's database (PostgreSQL or SQLite) that
    can say what a row a unique key already holds does: ``.on_conflict_do_nothing()``
    or ``.on_conflict_do_update(...)``, with no savepoint and no error."""
    return dialect_insert(db.session.get_bind().dialect.name)(model)


def dialect_insert(dialect: str):
    """The ``insert`` of this kind of database (``postgresql`` or ``sqlite``), the one
    with ``on_conflict_do_…``; for statements built once per kind of database."""
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return postgresql_insert if dialect == "postgresql" else sqlite_insert


def insert_ignoring_conflicts(model):
    """``INSERT … ON CONFLICT DO NOTHING`` for ``model``: a row a unique key already
    holds is left as it is (one support per person, one response per survey)."""
    return insert_with_conflicts(model).on_conflict_do_nothing()


def affected(statement, parameters: dict | None = None) -> int:
    """Run an UPDATE or DELETE in the request's session: how many rows it changed."""
    result: CursorResult = db.session.execute(statement, parameters)  # type: ignore[assignment]
    return result.rowcount
