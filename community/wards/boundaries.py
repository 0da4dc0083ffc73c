"""Saving and removing uploaded ward boundaries, audited."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select

from ..audit.service import record
from ..extensions import db
from ..framework.models import active_terms_query
from . import tiles
from .geojson import MAX_BYTES, BoundaryError, parse, project
from .models import WardBoundaries

__all__ = ["MAX_BYTES", "BoundaryError", "remove_all", "save"]


def wards() -> dict[str, str]:
    """Code -> name of the wards the map draws."""
    return {
        t.code: t.name
        for t in db.session.scalars(active_terms_query("area"))
        if t.code in tiles.LAYOUT
    }


def save(raw: bytes, *, filename: str, attribution: str, officer) -> WardBoundaries:
    """Check, project and keep an upload (raises BoundaryError with every problem)."""
    projected = project(parse(raw, wards()))
    row = WardBoundaries(
        uploaded_by_id=officer.id,
        filename=filename[:200],
        attribution=attribution.strip(),
        width=projected.width,
        height=projected.height,
        paths=projected.paths,
    )
    db.session.add(row)
    db.session.flush()
    record(
        "ward_boundaries.uploaded",
        "ward_boundaries",
        row.id,
        actor=officer,
        filename=row.filename,
        bytes=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        wards=len(projected.paths),
    )
    return row


def remove_all(*, officer) -> int:
    ids = list(db.session.scalars(select(WardBoundaries.id)))
    if ids:
        db.session.execute(delete(WardBoundaries))
        record("ward_boundaries.removed", "ward_boundaries", None, actor=officer, removed=ids)
    return len(ids)
