"""LIKE patterns that match user text literally.

A search box that passes ``%`` or ``_`` straight into ``LIKE`` matches everything (or
the wrong things); every ``LIKE`` built from user text goes through here and is run
with ``escape="\\"``, so the wildcards in what people type are only characters.
"""

from __future__ import annotations

ESCAPE = "\\"


def escape_like(text: str) -> str:
    """The text with LIKE's wildcards (and the escape character itself) escaped."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains_pattern(text: str) -> str:
    """A pattern matching any value that contains ``text`` (lower-cased), literally."""
    return f"%{escape_like(text.strip().lower())}%"
