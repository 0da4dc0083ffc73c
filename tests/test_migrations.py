"""Migrations: upgrade an empty database to head, match the models exactly, go back down."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.support.env import own_database, per_worker, port_open, require

#: Migrations run `flask` in subprocesses, up and down on two databases.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
_GIVEN = os.environ.get("TEST_MIGRATIONS_DATABASE_URL")
PG_URL = per_worker(_GIVEN) if _GIVEN else own_database("community_migrations")


def _fresh_postgres() -> str:
    url = make_url(PG_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return PG_URL


def _flask(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi:app"}
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _round_trip(url: str) -> None:
    up = _flask(url, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert {"users", "contributions", "terms", "outbox_messages", "audit_events"} <= _tables(url)
    check = _flask(url, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    down = _flask(url, "db", "downgrade", "base")
    assert down.returncode == 0, down.stderr
    assert _tables(url) == set()


@pytest.mark.postgres
def test_postgresql_upgrade_check_downgrade():
    require(port_open("127.0.0.1", 5432), "PostgreSQL")
    _round_trip(_fresh_postgres())


@pytest.mark.own_sqlite
def test_sqlite_upgrade_check_downgrade(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'migrations.sqlite'}")


@pytest.mark.own_sqlite
def test_there_is_a_single_head():
    heads = subprocess.run(
        [sys.executable, "-m", "flask", "db", "heads"],
        cwd=ROOT,
        env={**os.environ, "FLASK_APP": "wsgi:app", "DATABASE_URL": "sqlite:///:memory:"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert heads.returncode == 0, heads.stderr
    assert len([line for line in heads.stdout.splitlines() if "(head)" in line]) == 1
