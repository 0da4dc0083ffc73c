"""Backups: deploy/backup.sh dumps the database, deploy/restore.sh brings it back
into an empty database, and the restored copy holds the same rows at the same
migration (the commands the README documents, run for real)."""

from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from community.extensions import db
from tests.operations.conftest import ROOT
from tests.support.env import own_database
from tests.support.factories import make_user

#: Runs pg_dump and a restore in subprocesses.
pytestmark = pytest.mark.slow

RESTORE_DB = os.environ.get("TEST_RESTORE_DATABASE_URL") or own_database("community_restore")


def _counts(url: str) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "users": conn.scalar(text("SELECT count(*) FROM users")),
                "emails": sorted(conn.scalars(text("SELECT email FROM users"))),
                "revision": conn.scalar(text("SELECT version_num FROM alembic_version")),
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_nightly_dump_restores_into_an_empty_database(pg_app, postgres_url, tmp_path):
    app = pg_app()
    with app.app_context():
        for n in range(3):
            make_user(email=f"backup{n}@example.com")
        db.session.commit()
    env = {**os.environ, "DATABASE_URL": postgres_url}
    dumped = subprocess.run(
        [str(ROOT / "deploy" / "backup.sh"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dumped.returncode == 0, dumped.stderr
    dump = dumped.stdout.strip()
    assert dump.endswith(".dump") and os.path.getsize(dump) > 0

    target = make_url(RESTORE_DB)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    restored = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), dump, RESTORE_DB],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    original, copy = _counts(postgres_url), _counts(RESTORE_DB)
    assert copy == original
    assert copy["users"] == 3
