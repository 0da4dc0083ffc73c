"""Weight of a web worker: serving pages imports only what serving pages needs.

``wsgi.py`` is what gunicorn imports. scikit-learn and SciPy (about 100 MB resident
together) are needed only to recompute opinion groups (the job worker, the CLI) and to
check open-data suppression; openpyxl only to write a workbook; the SendGrid client
only in the mail job; Sentry only with ``SENTRY_DSN``; Flask-Migrate and Alembic
(about 11 MB) only for the ``flask`` command. A fresh process that imports the served
app and serves pages must not import them, or every gunicorn worker would carry them.
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
    "openpyxl",
    "scipy",
    "sendgrid",
    "sentry_sdk",
    "sklearn",
)

SCRIPT = """
import json, sys
import wsgi
from community.extensions import db
with wsgi.app.app_context():
    db.create_all()
client = wsgi.app.test_client()
statuses = [client.get(path).status_code for path in ("/", "/consultations/", "/healthz")]
print(json.dumps({"statuses": statuses, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

pytestmark = pytest.mark.slow  # fresh interpreters


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/weight.sqlite"
    env.pop("SENTRY_DSN", None)
    return env


def test_serving_pages_imports_no_migrations_nor_heavy_libraries(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["statuses"] == [200, 200, 200], found["statuses"]
    assert "community" in found["modules"]
    assert not set(found["modules"]) & set(NOT_IN_A_WEB_WORKER)


def test_the_flask_command_still_has_migrations(tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "db", "heads"],
        cwd=ROOT,
        env=dict(_env(tmp_path), FLASK_APP="wsgi:app"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "(head)" in done.stdout
