"""Searching the index: PostgreSQL full-text search, or SQLite FTS5, ranked and paged.

User text never reaches a query language as syntax: on PostgreSQL it goes through
``websearch_to_tsquery`` (which accepts anything), on SQLite it is cut into words
and each word is quoted, so ``"``, ``*``, ``NEAR``, ``-`` and ``OR`` are only text.
Snippets come back with private-use marker characters around the matches; ``mark``
escapes everything else, so only the highlight becomes markup.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import column, func, literal_column, select, table, text

from ..extensions import db
from ..models_base import utcnow
from .index import MARK_END, MARK_START, visible_now
from .models import FTS_TABLE, TSVECTOR_SQL, SearchEntry

#: Longest query looked at, and most words used from it.
MAX_QUERY = 200
MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
_FTS = table(FTS_TABLE, column("rowid"))


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    issue_id: int | None = None
    ward_id: int | None = None


@dataclass
class Hit:
    entry: SearchEntry
    title: Markup
    snippet: Markup


@dataclass
class Results:
    """One page of hits, shaped like Flask-SQLAlchemy's pagination for the template."""

    items: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def clean_query(q: str) -> str:
    return q.replace("\x00", "").replace(MARK_START, "").replace(MARK_END, "")[:MAX_QUERY].strip()


def words(q: str) -> list[str]:
    return _WORD.findall(clean_query(q))[:MAX_WORDS]


def mark(snippet: str | None) -> Markup:
    """Escape a snippet, then turn its marker characters (and only those) into <mark>."""
    html = str(escape(snippet or ""))
    opened = html.count(MARK_START) - html.count(MARK_END)
    html = html.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    # Safe: every character of user text was escaped above; only our marks are markup.
    return Markup(html + "</mark>" * max(opened, 0))  # noqa: S704


def _filtered(stmt, filters: Filters):
    stmt = stmt.where(visible_now(utcnow()))
    if filters.kind:
        stmt = stmt.where(SearchEntry.kind == filters.kind)
    if filters.issue_id:
        stmt = stmt.where(SearchEntry.issue_ids.like(f"% {int(filters.issue_id)} %"))
    if filters.ward_id:
        stmt = stmt.where(SearchEntry.ward_id == filters.ward_id)
    return stmt


def _postgres(filters: Filters):
    query = func.websearch_to_tsquery(
        literal_column("'english'::regconfig"), clean_query(filters.q)
    )
    vector = literal_column(TSVECTOR_SQL)
    options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2"
    title = func.ts_headline(
        literal_column("'english'::regconfig"),
        SearchEntry.title,
        query,
        "HighlightAll=true, " + options,
    )
    snippet = func.ts_headline(
        literal_column("'english'::regconfig"), SearchEntry.body, query, options
    )
    match = vector.op("@@")(query)
    rank = func.ts_rank_cd(vector, query)
    return match, rank.desc(), title, snippet


def _sqlite(filters: Filters):
    fts = literal_column(FTS_TABLE)
    match_text = " ".join(f'"{w}"' for w in words(filters.q))
    match = text(f"{FTS_TABLE} MATCH :match").bindparams(match=match_text)
    title = func.highlight(fts, 0, MARK_START, MARK_END)
    snippet = func.snippet(fts, 1, MARK_START, MARK_END, "…", 24)
    rank = func.bm25(fts, 4.0, 1.0)
    return match, rank.asc(), title, snippet


def search(filters: Filters, page: int = 1, per_page: int = 20) -> Results:
    """One page of what matches, best first; nothing for a query with no words."""
    page = max(1, page)
    if not words(filters.q):
        return Results(page=page, per_page=per_page)
    postgres = db.engine.dialect.name == "postgresql"
    match, order, title, snippet = (_postgres if postgres else _sqlite)(filters)
    base = select(SearchEntry.id).where(match)
    if not postgres:
        base = base.join(_FTS, _FTS.c.rowid == SearchEntry.id)
    total = db.session.scalar(select(func.count()).select_from(_filtered(base, filters).subquery()))
    stmt = select(SearchEntry, title, snippet).where(match)
    if not postgres:
        stmt = stmt.join(_FTS, _FTS.c.rowid == SearchEntry.id)
    stmt = _filtered(stmt, filters).order_by(order, SearchEntry.dated.desc(), SearchEntry.id.desc())
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    hits = [Hit(entry, mark(t) if t else escape(entry.title), mark(s)) for entry, t, s in rows]
    return Results(items=hits, total=total or 0, page=page, per_page=per_page)
