"""Weight of a web worker: serving pages imports only what serving pages needs.

``wsgi.py`` is what gunicorn imports. scikit-learn and SciPy (about 100 MB resident
together) are needed only to recompute opinion groups (the job worker, the CLI) and to
check open-data suppression; NumPy (about 15 MB) only for those and for an officer's
tagging suggestions and Pol.is import and export, never for a public page; openpyxl
only to write a workbook; bleach (about 2.5 MB) only to clean rich text an officer
saves; the SendGrid client only in the mail job; Sentry only with
``SENTRY_DSN``; Flask-Migrate and Alembic (about 11 MB) only for the ``flask``
command. A fresh process that imports the served app and serves every public page
must not import them, or every gunicorn worker would carry them. What it loads to
start is frozen (``gc.freeze``), so the garbage collector's full passes skip it.
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
    "bleach",
    "flask_migrate",
    "numpy",
    "openpyxl",
    "scipy",
    "sendgrid",
    "sentry_sdk",
    "sklearn",
)

#: The demo borough, loaded by one process: its surveys' consensus, a conversation's
#: stored opinion groups, idea boards, the plan and partner figures give every public
#: page something to compute.
DEMO = """
import wsgi
from community.demo import load_demo
from community.extensions import db
with wsgi.app.app_context():
    db.create_all()
    for _line in load_demo():
        pass
"""

#: A fresh process serves every page a visitor can ask for (each GET route, with ids 1
#: to 3 where it takes ids) and says which top-level modules it has imported.
SCRIPT = """
import gc, json, sys
import wsgi
frozen = gc.get_freeze_count()
client = wsgi.app.test_client()
statuses = {}
for rule in wsgi.app.url_map.iter_rules():
    if "GET" not in rule.methods or any(not a.endswith("id") for a in rule.arguments):
        continue
    with wsgi.app.test_request_context():
        from flask import url_for
        urls = [url_for(rule.endpoint, **{a: i for a in rule.arguments}) for i in (1, 2, 3)]
    for url in dict.fromkeys(urls):
        statuses[url] = client.get(url).status_code
modules = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"statuses": statuses, "frozen": frozen, "modules": modules}))
"""

pytestmark = pytest.mark.slow  # fresh interpreters


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ, INSTANCE_PATH=str(tmp_path))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/weight.sqlite"
    env.pop("SENTRY_DSN", None)
    return env


def test_serving_pages_imports_no_migrations_nor_heavy_libraries(tmp_path):
    subprocess.run(
        [sys.executable, "-c", DEMO],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        timeout=300,
        check=True,
    )
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
    statuses = found["statuses"]
    # The pages that compute public figures were served, not refused.
    for path in (
        "/",
        "/consultations/",
        "/consensus/",
        "/plan/",
        "/outcomes/",
        "/healthz",
    ):
        assert statuses[path] == 200, (path, statuses[path])
    computed = [p for p in statuses if p.startswith(("/conversations/", "/surveys/", "/api/"))]
    assert sum(statuses[p] == 200 for p in computed) >= 5, statuses
    assert 500 not in statuses.values(), statuses
    assert "community" in found["modules"]
    assert not set(found["modules"]) & set(NOT_IN_A_WEB_WORKER)
    # What the worker loaded to start is kept out of the collector's full passes.
    assert found["frozen"] > 50_000, found["frozen"]


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
