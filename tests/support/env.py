"""What the tests may rely on, and the rule for missing services.

Outside CI a missing PostgreSQL, Redis or Chromium skips the tests that need it;
with CI=true it fails them, because in CI every part must really run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require(condition: bool, what: str) -> None:
    """Skip (locally) or fail (in CI) when a real part is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} is not available here")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_available() -> bool:
    return port_open("127.0.0.1", 6379)


def chromium_available() -> bool:
    return bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM))


#: The pytest-xdist worker running this process ("gw0", "gw1" …), or "" when serial.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker(url: str) -> str:
    """A database URL of this xdist worker's own: the database name gets the worker id,
    so parallel workers never share tables. Unchanged when the run is serial."""
    if not WORKER:
        return url
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(hide_password=False)


def _redis_url() -> str:
    """db 15 by default; each xdist worker counts down from it (gw0 → 15, gw1 → 14 …)."""
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not WORKER:
        return url
    base, _, number = url.rpartition("/")
    index = int(WORKER.removeprefix("gw") or 0)
    return f"{base}/{max(int(number or 15) - index, 0)}"


REDIS_URL = _redis_url()


#: This checkout's own suffix (like the one scripts/run-tests.sh gives its databases), so two
#: clones, a CI run beside a developer, or helpers in worktrees never share a database.
CHECKOUT = hashlib.md5(  # noqa: S324 (a name, not security)
    str(Path(__file__).resolve().parents[2]).encode()
).hexdigest()[:8]


def own_database(name: str) -> str:
    """A PostgreSQL URL for a database only this checkout and this xdist worker use."""
    return per_worker(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}_{CHECKOUT}")
