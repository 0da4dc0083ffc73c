"""Static files: served by WhiteNoise, under content-hashed names when they are built.

``make install`` runs ``scripts/fingerprint_static.py``, which writes beside every file
in ``static/`` a copy named after its content (``css/main.<12 hex>.css``), its ``.br``
and ``.gz``, and ``static/staticfiles.json`` listing them. Here:

- ``url_for('static', filename='css/main.css')`` gives the hashed name when the
  manifest is current (every source still has the content it was hashed from);
  otherwise, as in a checkout where a file was edited and not rebuilt, the plain name.
- WhiteNoise wraps the WSGI app and answers every ``/static/...`` request before Flask
  sees it (Flask's own ``static`` route stays declared, for ``url_for`` and the access
  matrix, and only ever answers a 404): hashed names with ``public, max-age=31536000,
  immutable``, plain names with a minute's cache; the ``.br`` or ``.gz`` variant when
  the browser accepts it (``Vary: Accept-Encoding``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise

MANIFEST = "staticfiles.json"
ONE_YEAR = 365 * 24 * 60 * 60
#: Plain (unhashed) names may change with any deploy: browsers re-check after this.
PLAIN_MAX_AGE = 60

log = logging.getLogger(__name__)
_checked: dict[tuple, dict[str, str]] = {}


class _StaticFiles(WhiteNoise):
    FOREVER = ONE_YEAR


def current_manifest(static_dir: Path) -> dict[str, str]:
    """Plain name -> hashed name, or ``{}`` when the manifest is absent or stale."""
    path = static_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files, sources = data["files"], data["sources"]
        stamp = (
            str(path),
            path.stat().st_mtime_ns,
            tuple((n, (static_dir / n).stat().st_mtime_ns) for n in sorted(sources)),
        )
    except (OSError, ValueError, KeyError):
        return {}
    if stamp not in _checked:
        stale = [
            name
            for name, digest in sources.items()
            if hashlib.md5((static_dir / name).read_bytes(), usedforsecurity=False).hexdigest()
            != digest
            or not (static_dir / files[name]).is_file()
        ]
        if stale:
            log.warning(
                "static files changed since they were hashed (%s): serving plain names; "
                "run `make assets` to rebuild",
                ", ".join(sorted(stale)[:5]),
            )
        _checked[stamp] = {} if stale else dict(files)
    return _checked[stamp]


def init_app(app: Flask) -> None:
    static_dir = Path(app.static_folder)
    prefix = app.static_url_path.rstrip("/") + "/"
    hashed = current_manifest(static_dir)
    immutable_urls = {prefix + name for name in hashed.values()}

    @app.url_defaults
    def _hashed_static_name(endpoint, values):
        if endpoint == "static" and hashed:
            name = values.get("filename")
            if name in hashed:
                values["filename"] = hashed[name]

    from .security import CONTENT_SECURITY_POLICY

    def _extra_headers(headers, path, url):
        headers["X-Content-Type-Options"] = "nosniff"
        if url.endswith(".svg"):
            # An SVG opened on its own is a document that could run script: it gets a
            # page's policy (security.py). Stylesheets and scripts need neither.
            headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            headers["X-Frame-Options"] = "DENY"

    app.wsgi_app = _StaticFiles(
        app.wsgi_app,
        root=str(static_dir),
        prefix=prefix,
        max_age=PLAIN_MAX_AGE,
        autorefresh=app.debug,
        immutable_file_test=lambda _path, url: url in immutable_urls,
        add_headers_function=_extra_headers,
    )
