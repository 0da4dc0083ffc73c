"""A ward map's markup, drawn once per content and language.

The ``ward_map`` macro (``wards/_map.html``) writes an SVG shape, a title and a table
row per ward, through a dozen translated strings: 4-7 ms of the consultations list
and of ``/consensus/`` (issue 15), for a map that changes only when its figures,
wards, boundaries or language do. The markup is kept in the process under exactly
what it is drawn from (every shape's name, figure, band, link and geometry, the
legend, titles, the boundaries' attribution) and the language, so a change to any of
them draws a new map and nothing stale is ever shown.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from ..i18n import current_language
from ..insights.cache import figures as figure_cache
from .service import WardMap


def _key(m: WardMap) -> tuple:
    shapes = tuple(
        (s.code, s.name, s.text, s.band, s.href, s.x, s.y, s.lines, s.d) for s in m.shapes
    )
    attribution = m.boundaries.attribution if m.boundaries else None
    return (
        "ward-map",
        current_language(),
        m.id,
        m.title,
        m.value_heading,
        m.width,
        m.height,
        m.link_text,
        tuple(m.legend),
        tuple(m.notes),
        attribution,
        shapes,
    )


def ward_map(m: WardMap) -> Markup:
    """The map and its table, as ``wards/_map.html`` draws them."""
    draw = get_template_attribute("wards/_map.html", "ward_map")
    return figure_cache.get(_key(m), lambda: draw(m))
