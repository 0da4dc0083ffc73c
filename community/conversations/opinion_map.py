"""The opinion map: each clustered participant as a point on the 2-D projection.

Drawn on the server as SVG (no JavaScript), as Pol.is shows it: one point per person,
each group with its own colour *and* shape and a dashed outline around its members
(so colour is never the only cue), the signed-in participant marked "You". The same
data goes into a table and a text description for people who cannot see the picture.
"""

from __future__ import annotations

import random

from flask_babel import gettext as _
from markupsafe import Markup

from .. import i18n
from ..insights.cache import figures as figure_cache

#: The drawing is SIZE x SIZE user units, PAD of them left free around the points.
SIZE = 300
PAD = 14
#: Above this many people a seeded sample is drawn (the table always counts everyone).
MAX_POINTS = 1500
#: Colours with at least 3:1 contrast on white (WCAG 1.4.11), and a shape for each group.
STYLES = [
    ("#1d70b8", "circle", "dash-a"),
    ("#d4351c", "square", "dash-b"),
    ("#00703c", "triangle", "dash-c"),
    ("#4c2c92", "diamond", "dash-d"),
    ("#0b0c0c", "cross", "dash-e"),
]
DASHES = {"dash-a": "6 3", "dash-b": "2 3", "dash-c": "9 3 2 3", "dash-d": "4 4", "dash-e": "1 2"}


def _shape_names() -> dict[str, str]:
    return {
        "circle": _("circles"),
        "square": _("squares"),
        "triangle": _("triangles"),
        "diamond": _("diamonds"),
        "cross": _("crosses"),
    }


def _colour_names() -> dict[str, str]:
    return {
        "#1d70b8": _("blue"),
        "#d4351c": _("red"),
        "#00703c": _("green"),
        "#4c2c92": _("purple"),
        "#0b0c0c": _("black"),
    }


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _where(x: float, y: float) -> str:
    """Where on the map a point sits, in words."""
    third = SIZE / 3
    row = _("top") if y < third else _("bottom") if y > 2 * third else ""
    column = _("left") if x < third else _("right") if x > 2 * third else ""
    if row and column:
        return _("%(row)s %(column)s", row=row, column=column)
    return row or column or _("middle")


def _marks(shape: str, points: list[tuple[float, float]]) -> Markup:
    """A group's marks as SVG, written here rather than by a template loop: a thousand
    marks cost the results page most of its time (issue 15). Only numbers and one of
    our shape names go in, so nothing needs escaping."""
    if shape not in {name for _colour, name, _dash in STYLES}:
        raise ValueError(f"not a mark shape: {shape!r}")
    return Markup(  # noqa: S704 (numbers and a checked shape name only)
        "".join(
            f'<use href="#mark-{shape}" x="{float(x)}" y="{float(y)}" stroke-width="0.6"/>'
            for x, y in points
        )
    )


def opinion_map(
    results: dict, participant_id: int | None, *, key: tuple | None = None
) -> dict | None:
    """What the template draws: points, group outlines and legend, "you", and the table.

    With ``key`` (the stored results' version, ``stored.key``), the
    drawing of everyone is kept in the process and only "you" is placed per request:
    laying out 1,000 people and their groups' outlines was 2.8 ms of each view of the
    results page (issue 15).
    """
    you = str(participant_id) if participant_id is not None else None
    if key is None:
        layout = _layout(results, participant_id)
    else:
        language = i18n.current_language()  # the legend and descriptions are translated
        layout = figure_cache.get(("opinion-map", language, *key), lambda: _layout(results, None))
        if layout is not None and you in layout["placed"] and you not in layout["shown"]:
            layout = _layout(results, participant_id)  # sampled out: drawn with them
    if layout is None:
        return None
    placed, membership = layout["placed"], results.get("membership") or {}
    me = None
    if you in placed:
        me = {"x": placed[you][0], "y": placed[you][1], "group": membership[you] + 1}
        me["where"] = _where(me["x"], me["y"])
    return {**layout, "you": me}


def _layout(results: dict, participant_id: int | None) -> dict | None:
    """Everyone's marks and the groups (``participant_id`` only keeps a sampled-out
    participant among the marks drawn)."""
    coords = results.get("map") or {}
    membership = results.get("membership") or {}
    if not coords or not results.get("groups"):
        return None
    xs = [c[0] for c in coords.values()]
    ys = [c[1] for c in coords.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = (SIZE - 2 * PAD) / span
    x0 = min(xs) - ((SIZE - 2 * PAD) / scale - (max(xs) - min(xs))) / 2
    y0 = max(ys) + ((SIZE - 2 * PAD) / scale - (max(ys) - min(ys))) / 2

    def place(c) -> tuple[float, float]:  # y grows downwards in SVG
        return round(PAD + (c[0] - x0) * scale, 1), round(PAD + (y0 - c[1]) * scale, 1)

    placed = {pid: place(c) for pid, c in coords.items() if membership.get(pid) is not None}
    you = str(participant_id) if participant_id is not None else None
    shown = sorted(placed)
    if len(shown) > MAX_POINTS:
        shown = random.Random(len(shown)).sample(shown, MAX_POINTS)
        if you in placed and you not in shown:
            shown.append(you)
    shapes, colours = _shape_names(), _colour_names()
    groups = []
    for key in sorted(results["groups"], key=int):
        g = int(key)
        colour, shape, dash = STYLES[g % len(STYLES)]
        members = [placed[p] for p in placed if membership.get(p) == g]
        if not members:
            continue
        cx = sum(p[0] for p in members) / len(members)
        cy = sum(p[1] for p in members) / len(members)
        hull = _hull(members)
        groups.append(
            {
                "number": g + 1,
                "colour": colour,
                "shape": shape,
                "dash": DASHES[dash],
                "marker": _("%(colour)s %(shapes)s", colour=colours[colour], shapes=shapes[shape]),
                "size": results["groups"][key],
                "hull": " ".join(f"{x:.1f},{y:.1f}" for x, y in hull),
                "label": (round(cx, 1), round(cy, 1)),
                "where": _where(cx, cy),
                "points": [placed[p] for p in shown if membership.get(p) == g],
            }
        )
        groups[-1]["marks"] = _marks(shape, groups[-1]["points"])
    return {
        "size": SIZE,
        "groups": groups,
        "drawn": len(shown),
        "total": len(placed),
        "placed": placed,
        "shown": frozenset(shown),
    }
