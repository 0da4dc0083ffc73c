"""Logs: JSON lines in production, a request id carried from the request into its jobs.

Each request gets an id: the incoming ``X-Request-Id`` when it is sane (at most 64
characters of ``[A-Za-z0-9._-]``), else a new one. It is returned in the response's
``X-Request-Id`` header, stamped on every log line written while the request (or a
job it woke) runs, and passed to the jobs through community/jobs.py.

With ``LOG_FORMAT=json`` (the production default) each line is one JSON object:
time, level, logger, message, request_id and, for the line that closes a request,
method, path (never the query string), status and duration_ms. Email addresses are
masked in every message, so a careless log call cannot put one in the logs.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request

REQUEST_ID_HEADER = "X-Request-Id"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "community_request_id", default=None
)
request_log = logging.getLogger("community.request")


def sane_request_id(value: str | None) -> str | None:
    """``value`` if it is usable as a request id, else None."""
    if value and _SANE.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request (or the job a request woke) being served, if any."""
    return _request_id.get()


@contextlib.contextmanager
def request_id_context(request_id: str | None):
    """Stamp log lines written inside the block with ``request_id``."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def mask_emails(text: str) -> str:
    return _EMAIL.sub("[email]", text)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (for the human format too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; messages with emails masked, no free-form extras."""

    FIELDS = ("method", "path", "status", "duration_ms", "job")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_emails(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            # The type and the place, not the value: exception messages can hold data.
            kind = record.exc_info[0]
            entry["exception"] = kind.__name__ if kind else None
            tb = record.exc_info[2]
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                entry["where"] = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s")


def make_handler(fmt: str, stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler._community = True  # type: ignore[attr-defined]
    return handler


def configure(fmt: str) -> None:
    """Install one handler on the root logger (replacing ours from an earlier app)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_community", False):
            root.removeHandler(handler)
    if fmt == "json":
        # In production ours is the only stream handler, so every line is JSON
        # (handlers of other kinds, such as pytest's capture, are left alone).
        for handler in list(root.handlers):
            if type(handler) is logging.StreamHandler:
                root.removeHandler(handler)
    if fmt == "json" or not any(type(h) is logging.StreamHandler for h in root.handlers):
        root.addHandler(make_handler(fmt))
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("community").setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    configure(app.config.get("LOG_FORMAT", "text"))

    @app.before_request
    def _start() -> None:
        rid = sane_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        g.request_id = rid
        g.request_started = time.perf_counter()
        g.request_id_token = _request_id.set(rid)

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers[REQUEST_ID_HEADER] = rid
            started = g.get("request_started")
            duration = round((time.perf_counter() - started) * 1000, 1) if started else None
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": mask_emails(request.path),
                    "status": response.status_code,
                    "duration_ms": duration,
                },
            )
        return response

    @app.teardown_request
    def _forget(_error=None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            with contextlib.suppress(ValueError):  # set in another context
                _request_id.reset(token)
