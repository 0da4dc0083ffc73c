"""A pooled connection is checked before use only after it has lain idle
(community/operations/connections.py): a connection the database dropped while idle
is replaced before anyone sees it, one in steady use costs no extra round trip."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from community.extensions import db

ONE_CONNECTION = {"pool_size": 1, "max_overflow": 0}


def backend(app) -> int:
    """The server process behind the pool's one connection, given back afterwards."""
    with app.app_context():
        try:
            return db.session.scalar(text("SELECT pg_backend_pid()"))
        finally:
            db.session.remove()


def drop(postgres_url: str, pid: int) -> None:
    """What a restart, an idle timeout or a firewall does to a connection."""
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    engine.dispose()


@pytest.mark.postgres
def test_a_connection_dropped_while_idle_is_replaced_before_use(pg_app, postgres_url):
    app = pg_app(DATABASE_PING_AFTER_IDLE=0.2, SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    first = backend(app)
    drop(postgres_url, first)
    time.sleep(0.3)
    second = backend(app)  # no error: the ping found it dead and the pool reconnected
    assert second != first
    assert app.test_client().get("/consultations/").status_code == 200


@pytest.mark.postgres
def test_a_connection_in_steady_use_is_not_pinged(pg_app, postgres_url):
    """The round trip saved is real: a connection given back moments ago goes
    straight to work (so one dropped in that moment fails the one request that finds
    it), and the pool replaces it for the next."""
    app = pg_app(DATABASE_PING_AFTER_IDLE=60, SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    first = backend(app)
    drop(postgres_url, first)
    with pytest.raises(OperationalError):
        backend(app)
    assert backend(app) != first
    # A page that finds its connection gone says so (503, try again), never a 500.
    drop(postgres_url, backend(app))
    client = app.test_client()
    refused = client.get("/consultations/")
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert client.get("/consultations/").status_code == 200


@pytest.mark.postgres
def test_zero_pings_every_checkout(pg_app, postgres_url):
    app = pg_app(DATABASE_PING_AFTER_IDLE=0, SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    first = backend(app)
    drop(postgres_url, first)
    assert backend(app) != first
