"""JSON-line logs: a request id from the request to the jobs it wakes, no emails.

A real logging handler (the production formatter) writes to a StringIO; every line
must parse as JSON, the request's line and the job's lines carry the same id, and
a planted email address appears nowhere.
"""

from __future__ import annotations

import io
import json
import logging
import time

import pytest

from community import jobs
from community.extensions import db
from community.operations import logs
from tests.support.env import REDIS_URL, redis_available, require

EMAIL = "philippa.quernby@example.org"


class _Capture(logging.StreamHandler):
    """A stream handler of its own kind, so the apps the test builds leave it in place."""


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = _Capture(stream)
    handler.setFormatter(logs.JsonFormatter())  # the production format
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.fixture
def test_job():
    def _job():
        logging.getLogger("community.jobs").info("test job sees %s", EMAIL)
        return "1 thing done"

    jobs._REGISTRY["_test_logged"] = _job
    try:
        yield "_test_logged"
    finally:
        del jobs._REGISTRY["_test_logged"]


def _lines(stream: io.StringIO) -> list[dict]:
    text = stream.getvalue()
    assert EMAIL not in text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _route_that_queues(app, name: str) -> None:
    def queue():
        jobs.after_commit(name)
        db.session.commit()
        return "queued"

    app.add_url_rule("/_test/queue", "queue_job", queue, methods=["GET"])


def _wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_sane_request_ids_are_kept_others_replaced():
    assert logs.sane_request_id("abc-DEF_1.2") == "abc-DEF_1.2"
    assert logs.sane_request_id("x" * 65) is None
    assert logs.sane_request_id("bad id") is None
    assert logs.sane_request_id('a"b') is None
    assert logs.sane_request_id("") is None


def test_request_line_and_inline_job_lines_share_the_request_id(make_app, captured, test_job):
    app = make_app(LOG_FORMAT="json", JOBS_MODE="inline")
    _route_that_queues(app, test_job)
    response = app.test_client().get(
        f"/_test/queue?email={EMAIL}", headers={"X-Request-Id": "req-inline-1"}
    )
    assert response.headers["X-Request-Id"] == "req-inline-1"
    assert _wait_for(lambda: "1 thing done" in captured.getvalue())

    lines = _lines(captured)
    request_line = next(line for line in lines if line["logger"] == "community.request")
    assert request_line["request_id"] == "req-inline-1"
    assert request_line["method"] == "GET"
    assert request_line["path"] == "/_test/queue"
    assert request_line["status"] == 200
    assert isinstance(request_line["duration_ms"], float)
    assert {"time", "level", "logger", "message"} <= request_line.keys()
    job_lines = [line for line in lines if line["logger"] == "community.jobs"]
    assert len(job_lines) == 2
    assert {line["request_id"] for line in job_lines} == {"req-inline-1"}
    assert any("[email]" in line["message"] for line in job_lines)


def test_an_unusable_request_id_is_replaced(make_app, captured):
    app = make_app(LOG_FORMAT="json")
    response = app.test_client().get("/healthz", headers={"X-Request-Id": "no spaces <b>"})
    rid = response.headers["X-Request-Id"]
    assert logs.sane_request_id(rid) == rid != "no spaces <b>"
    assert any(line.get("request_id") == rid for line in _lines(captured))


@pytest.mark.redis
def test_the_worker_runs_a_redis_woken_job_under_the_request_id(make_app, captured, test_job):
    import redis

    require(redis_available(), "Redis")  # a failure in CI, a skip only locally
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(jobs.WAKE_KEY)
    app = make_app(
        LOG_FORMAT="json", JOBS_MODE="worker", REDIS_URL=REDIS_URL, WORKER_POLL_SECONDS=1
    )
    _route_that_queues(app, test_job)
    response = app.test_client().get(
        f"/_test/queue?email={EMAIL}", headers={"X-Request-Id": "req-redis-2"}
    )
    assert response.headers["X-Request-Id"] == "req-redis-2"
    assert jobs.read_wake_payload(client.lrange(jobs.WAKE_KEY, 0, -1)[0]) == (
        test_job,
        "req-redis-2",
    )

    # The worker's own code path: the wait that reads the wake-up, then the round.
    with app.app_context():
        waker = jobs.Waker(app)
        waker.wait()
        jobs._run_all(jobs.transient_errors(), lambda _s: None, waker.take_woken())
        waker._drop()

    lines = _lines(captured)
    assert any(
        line["logger"] == "community.request" and line["request_id"] == "req-redis-2"
        for line in lines
    )
    job_lines = [
        line for line in lines if line.get("job") == test_job or "test job sees" in line["message"]
    ]
    assert len(job_lines) == 2
    assert {line["request_id"] for line in job_lines} == {"req-redis-2"}
    # Jobs nobody's request woke carry no request id.
    others = [line for line in lines if line.get("job") not in (None, test_job)]
    assert all(line["request_id"] is None for line in others)
