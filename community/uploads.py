"""Per-page upload limits: the whole app keeps MAX_CONTENT_LENGTH (2 MiB) except the pages
named in UPLOAD_LIMITS, such as the Pol.is import (100 MiB, POLIS_UPLOAD_LIMIT).

Werkzeug streams file parts larger than 500 kB to temporary files on disk, so a large
upload is never held in memory; above the limit the request is refused with 413 before
it is read, and the 413 page names the limit (`describe_limit`).
"""

from __future__ import annotations

import flask
from flask import Flask, current_app


class Request(flask.Request):
    """A request whose size limit depends on the endpoint it was routed to."""

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        if self._max_content_length is None and current_app and self.endpoint:
            limit = current_app.config.get("UPLOAD_LIMITS", {}).get(self.endpoint)
            if limit is not None:
                return int(limit)
        return flask.Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def describe_limit(size: int | None) -> str:
    """A size in words people read: "2 MiB", "100 MiB", "500 KiB"."""
    if not size:
        return ""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MiB"
    return f"{size / 1024:g} KiB"


def init_app(app: Flask) -> None:
    app.request_class = Request
    limits = app.config.setdefault("UPLOAD_LIMITS", {})
    limits.setdefault("conversations_admin.import_polis", app.config["POLIS_UPLOAD_LIMIT"])
