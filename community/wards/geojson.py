"""Check an uploaded ward boundary file and project it to SVG paths.

Accepts GeoJSON as the ONS Open Geography Portal publishes ward boundaries: a
FeatureCollection of Polygon or MultiPolygon features, each with the ward's name in
a property (``WD24NM``-style, or ``name``), in longitude/latitude (WGS 84) or in
British National Grid metres. Every one of the expected wards must appear once and
nothing else may. Pure functions: no Flask, no database; errors are plain sentences
for the error summary.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from ..failures import ServiceError

#: Largest file accepted (ONS "generalised" boundaries for one borough are far smaller).
MAX_BYTES = 1_500_000
#: Largest drawing, in SVG units, and the fewest units between kept points.
WIDTH = 440.0
PAD = 6.0
MIN_STEP = 0.6


class BoundaryError(ServiceError):
    """Every fault found in an uploaded file, each shown on the upload field."""

    def __init__(self, messages: list[str]):
        super().__init__(
            "; ".join(messages), "boundaries", problems=[("boundaries", m) for m in messages]
        )
        self.messages = messages


@dataclass
class Projected:
    width: float
    height: float
    #: ward code -> {"d": SVG path, "label": [x, y]}
    paths: dict[str, dict] = field(default_factory=dict)


def normalise(name: str) -> str:
    """Ward names compared loosely: case, "&"/"and", apostrophes and spaces ignored."""
    name = name.lower().replace("&", " and ").replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def _name(properties: dict) -> str | None:
    for key, value in properties.items():
        if isinstance(value, str) and re.fullmatch(r"(WD\d{2}NM|name|NAME|Name|ward_name)", key):
            return value
    return None


def _rings(geometry) -> list[list[list[float]]]:
    if not isinstance(geometry, dict):
        raise ValueError
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if not isinstance(polygons, list):
        raise ValueError
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            raise ValueError
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError
            points = []
            for point in ring:
                if not (isinstance(point, list) and len(point) >= 2):
                    raise ValueError
                x, y = point[0], point[1]
                if not all(isinstance(v, int | float) and math.isfinite(v) for v in (x, y)):
                    raise ValueError
                points.append([float(x), float(y)])
            rings.append(points)
    return rings


def parse(raw: bytes, wards: dict[str, str]) -> dict[str, list]:
    """Ward code -> rings, from the file; ``wards`` maps code -> name. Raises BoundaryError."""
    if len(raw) > MAX_BYTES:
        raise BoundaryError([f"The file must be smaller than {MAX_BYTES // 1000:,} KB."])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BoundaryError(["The file must be GeoJSON (a JSON text)."]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(["The file must be a GeoJSON FeatureCollection."])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(["The FeatureCollection has no features."])
    by_name = {normalise(name): code for code, name in wards.items()}
    found: dict[str, list] = {}
    errors: list[str] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            errors.append(f"Feature {number} is not a GeoJSON feature.")
            continue
        name = _name(feature.get("properties") or {})
        if name is None:
            errors.append(f"Feature {number} has no ward name (a WD24NM or name property).")
            continue
        code = by_name.get(normalise(name))
        if code is None:
            errors.append(f"Feature {number}: “{name[:80]}” is not one of the wards.")
            continue
        if code in found:
            errors.append(f"{wards[code]} appears more than once.")
            continue
        try:
            found[code] = _rings(feature.get("geometry"))
        except (ValueError, TypeError):
            errors.append(f"{wards[code]}: the geometry must be a Polygon or MultiPolygon.")
    missing = [wards[c] for c in wards if c not in found]
    if missing and not errors:
        errors.append("These wards are missing: " + ", ".join(sorted(missing)) + ".")
    if errors:
        raise BoundaryError(errors[:10])
    return found


def _lonlat(found: dict[str, list]) -> bool:
    points = (p for rings in found.values() for ring in rings for p in ring)
    return all(abs(x) <= 180 and abs(y) <= 90 for x, y in points)


def project(found: dict[str, list]) -> Projected:
    """Fit the wards into a drawing ``WIDTH`` wide (north up), as rounded SVG paths.

    Longitude and latitude are projected equirectangularly at the borough's middle
    latitude (for an area of a few kilometres the error is far below a pixel);
    British National Grid metres are drawn as they are.
    """
    if _lonlat(found):
        lats = [p[1] for rings in found.values() for ring in rings for p in ring]
        k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        found = {c: [[[x * k, y] for x, y in ring] for ring in rings] for c, rings in found.items()}
    xs = [p[0] for rings in found.values() for ring in rings for p in ring]
    ys = [p[1] for rings in found.values() for ring in rings for p in ring]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = (WIDTH - 2 * PAD) / span_x
    height = span_y * scale + 2 * PAD
    left, top = min(xs), max(ys)

    def to_svg(x: float, y: float) -> tuple[float, float]:
        return round((x - left) * scale + PAD, 1), round((top - y) * scale + PAD, 1)

    out = Projected(width=WIDTH, height=round(height, 1))
    for code, rings in found.items():
        parts, best, best_area = [], None, -1.0
        for ring in rings:
            points = [to_svg(x, y) for x, y in ring]
            kept = [points[0]]
            for p in points[1:]:
                if abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= MIN_STEP:
                    kept.append(p)
            if len(kept) < 3:
                continue
            parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z")
            area, cx, cy = _centroid(kept)
            if area > best_area:
                best, best_area = (cx, cy), area
        out.paths[code] = {"d": "".join(parts), "label": list(best or (0, 0))}
    return out


def _centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a ring (shoelace), falling back to the mean for slivers."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        n = len(points)
        return 0.0, sum(p[0] for p in points) / n, sum(p[1] for p in points) / n
    return abs(a) / 2, round(cx / (3 * a), 1), round(cy / (3 * a), 1)
