"""A gunicorn worker killed (SIGKILL) in the middle of a survey submission.

The submission is caught at a known point inside its transaction: after it has filed
the free-text answer as a contribution, while its commit waits for a table another
connection holds locked. The worker is then killed. The person gets an error, not a
confirmation; the database holds none of the submission (PostgreSQL rolls back the
dead connection's transaction); and sending the same form again, once gunicorn has
started a new worker, stores it once.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import make_url

from community.extensions import db
from community.surveys.models import Response, ResponseStatus, SurveyText
from tests.operations.conftest import ROOT, wait_for
from tests.support.factories import make_consultation, make_survey

pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # gunicorn in a subprocess

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
ANSWER = "The underpass by the station needs lights"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(database_url: str, port: int, tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "COMMUNITY_ENV": "development",
        "RATELIMIT_STORAGE_URI": "memory://",
        "JOBS_MODE": "off",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _ready(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _workers(master: subprocess.Popen) -> list[int]:
    out = subprocess.run(
        ["ps", "--ppid", str(master.pid), "-o", "pid="],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(pid) for pid in out.split()]


def _token(pattern: re.Pattern, page: requests.Response) -> str:
    found = pattern.search(page.text)
    assert found, f"no token on {page.url}"
    return found.group(1)


def _stored(app, survey_id: int) -> tuple[list[ResponseStatus], list[str]]:
    with app.app_context():
        statuses = list(
            db.session.scalars(select(Response.status).where(Response.survey_id == survey_id))
        )
        texts = list(db.session.scalars(select(SurveyText.body)))
        db.session.remove()
        return statuses, texts


def test_a_worker_killed_mid_submission_leaves_all_of_it_or_none(pg_app, postgres_url, tmp_path):
    app = pg_app()
    with app.app_context():
        consultation = make_consultation(allow_anonymous=True, commit=False)
        survey = make_survey(
            consultation,
            [("Only", [{"kind": "long_text", "text": "What would help?", "required": True}])],
        )
        survey_id, section_id = survey.id, survey.sections[0].id
        question_id = survey.questions[0].id
        db.session.remove()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _gunicorn(postgres_url, port, tmp_path)
    side = None
    try:
        assert wait_for(lambda: _ready(base), timeout=60), "gunicorn did not start"
        person = requests.Session()
        start = person.get(f"{base}/surveys/{survey_id}", timeout=10)
        begun = person.post(
            f"{base}/surveys/{survey_id}/begin",
            data={"csrf_token": _token(CSRF, start)},
            timeout=10,
            allow_redirects=False,
        )
        assert begun.status_code == 302
        section = person.get(f"{base}/surveys/{survey_id}/sections/{section_id}", timeout=10)
        answered = person.post(
            section.url,
            data={"csrf_token": _token(CSRF, section), f"q{question_id}": ANSWER},
            timeout=10,
            allow_redirects=False,
        )
        assert answered.status_code == 302
        check = person.get(f"{base}/surveys/{survey_id}/check", timeout=10)
        form = {"csrf_token": _token(CSRF, check), "form_token": _token(FORM_TOKEN, check)}

        # Hold the table the commit writes last, so the submission waits inside its
        # transaction with its contribution already written.
        url = make_url(postgres_url)
        side = psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, dbname=url.database
        )
        side.execute("LOCK TABLE used_form_tokens IN ACCESS EXCLUSIVE MODE")
        outcome: dict[str, object] = {}

        def submit() -> None:
            try:
                reply = person.post(
                    f"{base}/surveys/{survey_id}/submit",
                    data=form,
                    timeout=30,
                    allow_redirects=False,
                )
                outcome["status"] = reply.status_code
            except requests.RequestException as error:
                outcome["error"] = error

        sender = threading.Thread(target=submit)
        sender.start()

        def waiting_on_the_lock() -> bool:
            with psycopg.connect(
                host=url.host, port=url.port or 5432, user=url.username, dbname=url.database
            ) as probe:
                return bool(
                    probe.execute(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE wait_event_type = 'Lock' AND datname = %s",
                        (url.database,),
                    ).fetchone()[0]
                )

        assert wait_for(waiting_on_the_lock, timeout=20), "the submission never reached the lock"
        (worker,) = _workers(server)
        os.kill(worker, signal.SIGKILL)
        sender.join(timeout=40)
        side.rollback()  # release the table
        assert "status" not in outcome or outcome["status"] >= 500, outcome
        # PostgreSQL rolled back the dead worker's transaction: nothing of it is stored.
        assert wait_for(lambda: _stored(app, survey_id)[1] == [], timeout=10)
        statuses, texts = _stored(app, survey_id)
        assert statuses == [ResponseStatus.IN_PROGRESS] and texts == []

        # gunicorn starts a new worker; the same form sent again is stored once.
        assert wait_for(lambda: _ready(base) and _workers(server) != [worker], timeout=60)
        again = person.post(
            f"{base}/surveys/{survey_id}/submit", data=form, timeout=30, allow_redirects=False
        )
        assert again.status_code in (302, 303), again.status_code
        twice = person.post(
            f"{base}/surveys/{survey_id}/submit", data=form, timeout=30, allow_redirects=False
        )
        assert twice.status_code in (302, 303)
        statuses, texts = _stored(app, survey_id)
        assert statuses == [ResponseStatus.SUBMITTED] and texts == [ANSWER]
    finally:
        if side is not None:
            side.close()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
