"""Fixtures for outage tests: a PostgreSQL database to cut, worker processes, proxies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from community.extensions import db
from tests.support.env import own_database, port_open, require

ROOT = Path(__file__).resolve().parents[2]
#: Used when the suite itself runs on SQLite: outages need a server to cut.
OUTAGE_DB = os.environ.get("TEST_OUTAGE_DATABASE_URL") or own_database("community_outage")


def wait_for(condition, timeout: float = 10.0, interval: float = 0.05):
    """Poll ``condition()`` until truthy or ``timeout`` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def through(url: str, port: int) -> str:
    """``url`` with its host and port replaced by the proxy's."""
    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(base_config) -> str:
    """The suite's database when it is PostgreSQL, else a migrated database of our own."""
    url = base_config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        return url
    require(port_open("127.0.0.1", 5432), "PostgreSQL")
    parsed = make_url(OUTAGE_DB)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    env = {**os.environ, "DATABASE_URL": OUTAGE_DB, "FLASK_APP": "wsgi:app"}
    up = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert up.returncode == 0, up.stderr
    return OUTAGE_DB


@pytest.fixture
def pg_app(make_app, postgres_url, base_config):
    """``pg_app(**overrides)``: an app on PostgreSQL; its tables emptied afterwards."""
    made = []

    def factory(**overrides):
        variant = make_app(**{"SQLALCHEMY_DATABASE_URI": postgres_url, **overrides})
        made.append(variant)
        return variant

    yield factory
    if made and postgres_url != base_config["SQLALCHEMY_DATABASE_URI"]:
        with made[0].app_context():
            db.session.remove()
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    for variant in made:
        with variant.app_context():
            db.engine.dispose()


def worker_env(database_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_STORAGE_URI": "memory://",
        "JOBS_MODE": "worker",
        "COMMUNITY_ENV": "development",
        "PYTHONUNBUFFERED": "1",
        "REDIS_URL": "",
        **extra,
    }


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen(
        [str(flask), "--app", "wsgi", "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process: subprocess.Popen) -> str:
    """Stop a process (SIGTERM) and return its output."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0]
