"""Safe redirects: only to paths on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, redirect, request, url_for


def is_safe_next(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target and "\n" not in target


def redirect_next(default_endpoint: str, **values):
    """Redirect to ``?next=`` (or the form's ``next``) when it is a local path."""
    target = request.args.get("next") or request.form.get("next")
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))


def external_url(endpoint: str, **values) -> str:
    """An absolute URL, also outside a request (the worker), from PUBLIC_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
