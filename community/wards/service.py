"""Build a ward map (tiles, or the uploaded boundaries) from figures per ward.

A page gives ``figures`` (ward code -> ``Figure``: a number or ``None`` when there
is none to show, and the text a reader sees, e.g. "12", "fewer than 5" or "68%"),
and gets back a ``WardMap`` the ``wards/_map.html`` macro draws as SVG and as a
table with the same figures. Colour comes with a pattern and the figure as text on
the map, so nothing depends on seeing colour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..framework.models import active_terms_query
from . import tiles
from .models import WardBoundaries

#: Bands: 0 is "no figure"; 1-4 run from the lowest to the highest figure shown.
BANDS = 4


@dataclass
class Figure:
    value: float | None
    text: str


@dataclass
class Shape:
    code: str
    name: str
    text: str
    band: int
    href: str | None = None
    # A tile: its corner, and label lines; a boundary: its path and label point.
    x: float = 0
    y: float = 0
    lines: tuple[str, ...] = ()
    d: str = ""


@dataclass
class WardMap:
    id: str
    title: str
    value_heading: str
    width: float
    height: float
    shapes: list[Shape]
    legend: list[tuple[int, str]]
    boundaries: WardBoundaries | None = None
    link_text: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def tile(self) -> int:
        return tiles.TILE - tiles.GAP

    @property
    def rows(self) -> list[Shape]:
        return sorted(self.shapes, key=lambda s: s.name)


def _band(value: float | None, low: float, high: float) -> int:
    if value is None:
        return 0
    if high <= low:
        return BANDS // 2
    return 1 + min(BANDS - 1, int(BANDS * (value - low) / (high - low)))


def _legend(low: float, high: float, fmt: Callable[[float], str]) -> list[tuple[int, str]]:
    legend = [(0, _("No figure to show"))]
    if high <= low:
        return legend + [(BANDS // 2, fmt(low))]
    step = (high - low) / BANDS
    for band in range(1, BANDS + 1):
        start, end = low + (band - 1) * step, low + band * step
        legend.append((band, _("%(low)s to %(high)s", low=fmt(start), high=fmt(end))))
    return legend


def latest_boundaries() -> WardBoundaries | None:
    return db.session.scalar(select(WardBoundaries).order_by(WardBoundaries.id.desc()).limit(1))


def build(
    map_id: str,
    figures: dict[str, Figure],
    *,
    title: str,
    value_heading: str,
    href: Callable[[str], str] | None = None,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    link_text: str = "",
) -> WardMap:
    """The map of every ward (active ``area`` terms that are wards), with its figure."""
    wards = [t for t in db.session.scalars(active_terms_query("area")) if t.code in tiles.LAYOUT]
    shown = [f.value for f in figures.values() if f.value is not None]
    low, high = (min(shown), max(shown)) if shown else (0.0, 0.0)
    boundaries = latest_boundaries()
    paths = (boundaries.paths if boundaries else {}) or {}
    if boundaries and not all(w.code in paths for w in wards):
        boundaries = None  # a ward added since the upload: the tiles show every ward
    shapes = []
    for ward in wards:
        figure = figures.get(ward.code) or Figure(None, _("none"))
        shape = Shape(
            code=ward.code,
            name=ward.name,
            text=figure.text,
            band=_band(figure.value, low, high),
            href=href(ward.code) if href else None,
        )
        if boundaries:
            shape.d = paths[ward.code]["d"]
            shape.x, shape.y = paths[ward.code]["label"]
        else:
            shape.x, shape.y = tiles.position(ward.code)
            shape.lines = tiles.label(ward.code, ward.name)
        shapes.append(shape)
    width, height = (boundaries.width, boundaries.height) if boundaries else tiles.size()
    return WardMap(
        id=map_id,
        title=title,
        value_heading=value_heading,
        width=width,
        height=height,
        shapes=shapes,
        legend=_legend(low, high, fmt) if shown else [(0, _("No figure to show"))],
        boundaries=boundaries,
        link_text=link_text,
    )
