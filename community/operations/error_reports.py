"""Error reports to the council's Sentry, only when ``SENTRY_DSN`` is set.

Nothing personal leaves the server: sentry-sdk runs with ``send_default_pii=False``
and without local variables, and :func:`scrub_event` / :func:`scrub_breadcrumb`
(pure functions, tested in tests/operations/test_error_reports.py) remove what
could still carry personal data: request bodies, query strings, cookies and
headers other than a few harmless ones, the user beyond an opaque id, and email
addresses anywhere. Exception values and log messages are free text that may
quote what someone wrote, so they are kept only as their type and, for log
messages, the format string (its arguments are dropped).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from .logs import current_request_id

_EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")
#: Request headers that are kept (lower case); every other one is dropped.
SAFE_HEADERS = {"host", "user-agent", "accept", "accept-language", "content-type", "x-request-id"}
REDACTED = "[removed]"


def _mask(value: Any) -> Any:
    """Email addresses masked in every string inside ``value``."""
    if isinstance(value, str):
        return _EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v) for v in value]
    return value


def _scrub_request(req: dict) -> dict:
    headers = req.get("headers") or {}
    if isinstance(headers, dict):
        headers = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
    else:  # a list of pairs
        headers = [[k, v] for k, v in headers if str(k).lower() in SAFE_HEADERS]
    kept = {"method": req.get("method"), "headers": headers}
    url = req.get("url")
    if isinstance(url, str):
        kept["url"] = url.split("?", 1)[0]
    return kept


def _scrub_exception(exception: dict) -> dict:
    for value in exception.get("values") or []:
        if value.get("value"):
            value["value"] = REDACTED
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return exception


def scrub_event(event: dict, _hint: dict | None = None) -> dict:
    """The event with personal data and free text removed (``before_send``)."""
    event = dict(event)
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    user = event.get("user") or {}
    event["user"] = {"id": str(user["id"])} if user.get("id") is not None else {}
    if isinstance(event.get("exception"), dict):
        event["exception"] = _scrub_exception(event["exception"])
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # The format string is ours; its arguments (and the formatted message) may not be.
        event["logentry"] = {"message": _mask(logentry.get("message") or "")}
        event.pop("message", None)
    elif isinstance(event.get("message"), str):
        event["message"] = REDACTED
    event.pop("extra", None)
    event.pop("server_name", None)  # the host's name is no one's business either
    if "breadcrumbs" in event:
        crumbs = event["breadcrumbs"]
        values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
        kept = [c for c in (scrub_breadcrumb(dict(c)) for c in values or []) if c]
        event["breadcrumbs"] = {"values": kept}
    return _mask(event)


def scrub_breadcrumb(crumb: dict, _hint: dict | None = None) -> dict | None:
    """A breadcrumb without its data (SQL parameters, URLs with queries, log arguments)."""
    crumb = dict(crumb)
    data = crumb.pop("data", None) or {}
    if crumb.get("category") == "query":
        crumb["message"] = _mask(crumb.get("message") or "")  # the SQL, parameters as ?
    elif crumb.get("type") == "http" or crumb.get("category") == "httplib":
        url = str(data.get("url", "")).split("?", 1)[0]
        crumb["data"] = {"url": url, "method": data.get("method")}
    elif crumb.get("message"):
        crumb["message"] = REDACTED if crumb.get("category") != "log" else crumb["message"]
    return _mask(crumb)


def _before_send(event: dict, hint: dict) -> dict:
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return scrub_event(event, hint)


def _log_breadcrumb(crumb: dict, hint: dict | None = None) -> dict | None:
    record = (hint or {}).get("log_record")
    if record is not None:
        crumb["message"] = str(record.msg)  # the format string, not the arguments
    return scrub_breadcrumb(crumb, hint)


def init_app(app: Flask) -> bool:
    """Start sentry-sdk for this process when a DSN is configured; True if started."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import logging
    import warnings

    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration

    with warnings.catch_warnings():
        # sentry-sdk 2.7x calls send_default_pii deprecated (for data_collection) but
        # still honours it; it stays explicit so no future default can turn it on.
        warnings.simplefilter("ignore", DeprecationWarning)
        sentry_sdk.init(
            dsn=dsn,
            environment=app.config.get("SENTRY_ENVIRONMENT") or None,
            traces_sample_rate=float(app.config.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
            send_default_pii=False,
            include_local_variables=False,
            include_source_context=False,
            max_request_body_size="never",
            server_name="",
            integrations=[
                FlaskIntegration(),
                SqlalchemyIntegration(),
                # ERROR log lines (a failed job in the worker) become events.
                LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
            ],
            before_send=_before_send,
            before_breadcrumb=_log_breadcrumb,
        )
    return True
