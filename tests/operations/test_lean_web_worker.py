"""A web worker loads only what serving pages needs (issue 15: memory per worker).

``wsgi.py`` is what gunicorn imports. Heavy libraries a page never uses must not be
imported there: Alembic comes with the ``flask`` command only, SciPy and
scikit-learn only in the background jobs that compute opinion groups and suppression,
openpyxl only for a spreadsheet, the SendGrid client only in the mail job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_A_WEB_WORKER = (
    "alembic",
    "flask_migrate",
    "scipy",
    "sklearn",
    "openpyxl",
    "sendgrid",
    "sentry_sdk",
)

pytestmark = pytest.mark.slow  # a fresh interpreter


def _modules(code: str, tmp_path: Path) -> set[str]:
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/a.db")
    env.pop("SENTRY_DSN", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_the_served_app_leaves_out_migrations_and_the_heavy_maths(tmp_path):
    loaded = _modules(
        "import json, sys; import wsgi; print(json.dumps(sorted(sys.modules)))", tmp_path
    )
    assert "community" in loaded and "flask" in loaded
    assert not loaded & set(NOT_IN_A_WEB_WORKER), loaded & set(NOT_IN_A_WEB_WORKER)


def test_the_flask_command_still_has_migrations(tmp_path):
    env = dict(os.environ, FLASK_APP="wsgi:app", INSTANCE_PATH=str(tmp_path))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/a.db"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "db", "heads"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "(head)" in done.stdout
