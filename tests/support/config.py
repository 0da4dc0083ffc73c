"""Each test gets the session app's settings as they were: what a test changes is put back.

The app is built once per session (tests/conftest.py). A test that sets, say,
``RATELIMIT_SURVEY = "3 per minute"`` to see the limit bite left it set for every
later test on that worker; twenty concurrent submissions by one person, run after
it, were refused 429 and stored nothing (CI, 77e3540). ``kept_config`` restores the
settings, including dictionaries a test changed in place (``UPLOAD_LIMITS``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager


def _snapshot(config) -> dict:
    return {
        key: copy.deepcopy(value) if isinstance(value, dict | list | set) else value
        for key, value in config.items()
    }


@contextmanager
def kept_config(app) -> Iterator[None]:
    """Run the block, then put ``app.config`` back to what it was before it."""
    saved = _snapshot(app.config)
    try:
        yield
    finally:
        app.config.clear()
        app.config.update(saved)
