"""Error reports reach Sentry with nothing personal in them.

The scrubber is tested as a pure function; then the real sentry-sdk sends to a
tiny Sentry stand-in on 127.0.0.1 (it accepts envelope POSTs), and the raw bytes
received are searched for the planted personal data.
"""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk

from community import jobs
from community.operations.error_reports import scrub_breadcrumb, scrub_event

EMAIL = "philippa.quernby@example.org"
NAME = "Philippa Quernby"
FREE_TEXT = "my neighbour sells drugs from the garage"
PLANTED = (EMAIL, NAME, FREE_TEXT, "philippa.quernby", "Quernby", "neighbour", "garage")
SENTRY_PORT = 18631


# --- the scrubber alone ---------------------------------------------------------------


def test_scrub_event_removes_request_data_user_and_free_text():
    event = {
        "request": {
            "url": f"https://cv.example/x?email={EMAIL}",
            "method": "POST",
            "query_string": f"email={EMAIL}&name={NAME}",
            "data": {"email": EMAIL, "body": FREE_TEXT},
            "cookies": {"cv_session": "secret"},
            "headers": {
                "Cookie": "cv_session=secret",
                "Authorization": "Bearer t0k3n",
                "User-Agent": "test",
                "X-Request-Id": "abc",
            },
            "env": {"REMOTE_ADDR": "10.1.2.3"},
        },
        "user": {"id": 42, "email": EMAIL, "username": NAME, "ip_address": "10.1.2.3"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"bad {EMAIL}: {FREE_TEXT}",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"name": NAME}}]},
                }
            ]
        },
        "extra": {"note": FREE_TEXT},
        "logentry": {
            "message": "sign-in failed for %s",
            "params": [EMAIL],
            "formatted": f"sign-in failed for {EMAIL}",
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": "SELECT * FROM users WHERE email = ?",
                    "data": {"params": [EMAIL]},
                },
                {"category": "log", "message": f"hello {EMAIL}", "data": {"args": [NAME]}},
                {
                    "type": "http",
                    "category": "httplib",
                    "data": {"url": f"http://x/?q={NAME}", "method": "GET"},
                },
            ]
        },
        "server_name": "council-web-01",
    }
    scrubbed = scrub_event(event)
    raw = json.dumps(scrubbed)
    for secret in (*PLANTED, "secret", "t0k3n", "10.1.2.3", "council-web-01"):
        assert secret not in raw, secret
    assert scrubbed["user"] == {"id": "42"}
    assert scrubbed["request"]["url"] == "https://cv.example/x"
    assert scrubbed["request"]["headers"] == {"User-Agent": "test", "X-Request-Id": "abc"}
    assert scrubbed["exception"]["values"][0]["type"] == "ValueError"
    assert scrubbed["logentry"] == {"message": "sign-in failed for %s"}
    assert [c.get("category") for c in scrubbed["breadcrumbs"]["values"]] == [
        "query",
        "log",
        "httplib",
    ]


def test_scrub_breadcrumb_keeps_sql_but_not_its_parameters():
    crumb = scrub_breadcrumb(
        {
            "category": "query",
            "message": "UPDATE users SET display_name = ?",
            "data": {"params": [NAME]},
        }
    )
    assert crumb == {"category": "query", "message": "UPDATE users SET display_name = ?"}
    assert "[email]" in scrub_breadcrumb({"category": "log", "message": f"to {EMAIL}"})["message"]


# --- the real SDK against a Sentry stand-in -------------------------------------------


class _SentryStandIn(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # sentry-sdk's choice when Brotli is installed (it is)
            body = brotli.decompress(body)
        if self.path.startswith("/api/1/envelope/"):
            type(self).received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


@pytest.fixture
def sentry_server():
    _SentryStandIn.received = []
    server = ThreadingHTTPServer(("127.0.0.1", SENTRY_PORT), _SentryStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _SentryStandIn.received
    finally:
        client = sentry_sdk.get_client()
        client.flush(timeout=5)
        client.close()
        sentry_sdk.get_global_scope().set_client(None)
        server.shutdown()
        server.server_close()


def _events(received: list[bytes]) -> list[dict]:
    """The error events in the envelopes received (one JSON header, then items)."""
    events = []
    for envelope in received:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def _assert_nothing_personal(received: list[bytes]) -> None:
    raw = b"\n".join(received).decode()
    for secret in PLANTED:
        assert secret not in raw, f"{secret!r} reached Sentry"


def test_a_failing_request_is_reported_without_personal_data(make_app, sentry_server):
    app = make_app(
        SENTRY_DSN=f"http://public@127.0.0.1:{SENTRY_PORT}/1",
        PROPAGATE_EXCEPTIONS=False,
        WTF_CSRF_ENABLED=False,
    )

    def explode():
        from flask import request

        raise RuntimeError(f"could not save {request.form['email']}: {request.form['body']}")

    app.add_url_rule("/_test/explode", "explode", explode, methods=["POST"])
    response = app.test_client().post(
        f"/_test/explode?email={EMAIL}&name={NAME}",
        data={"email": EMAIL, "name": NAME, "body": FREE_TEXT},
        headers={"X-Request-Id": "req-sentry-1", "Cookie": f"note={NAME}"},
    )
    assert response.status_code == 500
    sentry_sdk.get_client().flush(timeout=5)

    events = _events(sentry_server)
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["request"]["url"].endswith("/_test/explode")
    assert event["tags"]["request_id"] == "req-sentry-1"
    _assert_nothing_personal(sentry_server)


def test_a_failing_job_in_the_worker_is_reported_without_personal_data(make_app, sentry_server):
    app = make_app(SENTRY_DSN=f"http://public@127.0.0.1:{SENTRY_PORT}/1")

    def failing_job():
        raise ValueError(f"could not mail {NAME} <{EMAIL}>: {FREE_TEXT}")

    jobs._REGISTRY["_test_failing"] = failing_job
    try:
        with app.app_context():
            # The worker's own round, as `flask worker` runs it.
            jobs._run_all(jobs.transient_errors(), lambda _s: None, {"_test_failing": "req-job-7"})
    finally:
        del jobs._REGISTRY["_test_failing"]
    sentry_sdk.get_client().flush(timeout=5)

    failing = [
        e
        for e in _events(sentry_server)
        if (e.get("logentry") or {}).get("message") == "job %s failed"
    ]
    assert failing, _events(sentry_server)
    assert failing[0]["exception"]["values"][-1]["type"] == "ValueError"
    assert failing[0]["tags"]["request_id"] == "req-job-7"
    _assert_nothing_personal(sentry_server)
