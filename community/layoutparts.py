"""The page layout's fixed parts, drawn once and kept (issue 15).

The header, the service navigation, the language switcher and the footer are the same
on most pages, yet drawing them was about 2 ms of every page: a quarter of a complete
survey response's CPU. Each is kept per app, under everything it is drawn from: the
language, the application root and the part's own key (the navigation's items and
whether someone is signed in; the switcher's current address). What differs for each
person is not kept: the sign-out form (its CSRF token) is put into the kept
navigation on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask, current_app, request
from markupsafe import Markup

from .i18n import current_language
from .insights.cache import FigureCache

#: Where the sign-out form goes in the kept navigation.
SLOT = Markup("<!--cv:layout-slot-->")


def kept_part(
    name: str, key: Hashable, draw: Callable[..., Markup], *args, slot: str | None = None
) -> Markup:
    """``draw(*args)`` for this language, root and ``key``, drawn once; ``slot`` (safe
    markup drawn for this request) replaces ``SLOT`` in it."""
    parts: FigureCache = current_app.extensions["community_layout_parts"]
    full_key = (name, current_language(), request.script_root, key)
    html = parts.peek(full_key)
    if html is None:  # not .get(): a part is small, no heap to give back after it
        html = draw(*args)  # a macro: Markup, escaped as drawn
        parts.put(full_key, html)
    if slot is not None:
        # Markup.replace escapes ``slot`` unless it is markup already (a {% set %} block).
        return html.replace(SLOT, slot)  # type: ignore[union-attr]
    return html  # type: ignore[return-value]


#: The longest query string the language switcher carries back (bytes, as sent).
SWITCHER_QUERY_LIMIT = 512


def switcher_address() -> str:
    """Where the language switcher's links return to: this page, with its query
    string when that is of a sensible length. A longer one (nothing the site links
    to comes close) is left out: each of the switcher's links would encode it again,
    and the switcher is kept per address, so a run of long addresses would cost every
    page the time and every worker the memory."""
    query = request.query_string
    if query and len(query) <= SWITCHER_QUERY_LIMIT:
        return request.full_path
    return request.path


def init_app(app: Flask) -> None:
    # The layout's parts (a few dozen) and idea boards' cards (templates/ideas/board.html).
    app.extensions["community_layout_parts"] = FigureCache(size=2048)
    app.jinja_env.globals.update(
        kept_part=kept_part, layout_slot=SLOT, switcher_address=switcher_address
    )
