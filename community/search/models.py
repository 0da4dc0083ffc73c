"""The search index: one row for each thing the public may find.

Only public things are ever written here (see ``index.entry_for``), so no search can
find a held, rejected, draft or unpublished text whoever is searching. Time-based
publicity (survey answers become public when their consultation closes) is kept as
``visible_from`` and applied when searching. The full-text index over ``title`` and
``body`` is created by the migration: a GIN index on an English ``to_tsvector`` on
PostgreSQL, an FTS5 table kept in step by triggers on SQLite.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime

#: The FTS5 table (SQLite) and the GIN index (PostgreSQL), made by the migration and
#: left out of autogenerate (migrations/env.py), since models cannot declare them.
FTS_TABLE = "search_fts"
GIN_INDEX = "ix_search_entries_fts"
#: The tsvector the GIN index is built on; queries use exactly this expression.
TSVECTOR_SQL = (
    "to_tsvector('english'::regconfig, "
    "coalesce(search_entries.title, '') || ' ' || coalesce(search_entries.body, ''))"
)


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id", name="uq_search_entries_kind_ref"),
        Index("ix_search_entries_kind_visible", "kind", "visible_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What it is (``index.KINDS``) and the id of the thing in its own table.
    kind: Mapped[str] = mapped_column(String(30))
    ref_id: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: Where it lives: an endpoint and its arguments, turned into a link when shown.
    link: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Filters: the consultation, the ward (an ``area`` term) and the issues (term ids
    #: written as " 3 17 ", derived data matched with LIKE on whole numbers).
    consultation_id: Mapped[int | None] = mapped_column(index=True)
    ward_id: Mapped[int | None] = mapped_column(index=True)
    issue_ids: Mapped[str] = mapped_column(String(400), default=" ")
    #: Public from this moment (null: already public).
    visible_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: For ordering equal ranks, newest first.
    dated: Mapped[datetime | None] = mapped_column(UTCDateTime())
