"""Ward boundaries uploaded by officers, kept as SVG paths already projected."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, utcnow


class WardBoundaries(db.Model):
    """One upload; the newest is drawn. Without any, pages draw the tile map."""

    __tablename__ = "ward_boundaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The uploaded file's name and the attribution it must carry (OGL for ONS data).
    filename: Mapped[str] = mapped_column(String(200), default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    #: The drawing's size in SVG units, and ward code -> {"d": path, "label": [x, y]}.
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    paths: Mapped[dict] = mapped_column(JSON, default=dict)
