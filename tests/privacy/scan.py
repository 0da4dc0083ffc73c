"""Look for text in every column of every table the database has (not only the models')."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from markupsafe import escape
from sqlalchemy import inspect, text

from community.extensions import db


@dataclass(frozen=True, order=True)
class Hit:
    table: str
    column: str
    #: The row's primary key (or the whole row where a table has none).
    row: str


def needles_for(*values: str) -> list[str]:
    """Each value as it may be stored: as typed, HTML-escaped, and escaped inside JSON."""
    found = []
    for value in values:
        for form in (
            value,
            str(escape(value)),
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],
        ):
            if form not in found:
                found.append(form)
    return found


def _forms(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bytes | memoryview):
        return [bytes(value).decode("utf-8", "ignore")]
    if not isinstance(value, str):
        return [json.dumps(value, ensure_ascii=False, default=str), str(value)]
    forms = [value]
    with contextlib.suppress(ValueError, TypeError):  # a JSON column read raw (SQLite)
        forms.append(json.dumps(json.loads(value), ensure_ascii=False))
    return forms


def scan(app, values: list[str]) -> dict[str, set[Hit]]:
    """For each value, every (table, column, row) whose cell contains it (any case)."""
    hits: dict[str, set[Hit]] = {v: set() for v in values}
    lowered = {v: v.lower() for v in values}
    with app.app_context():
        inspector = inspect(db.engine)
        with db.engine.connect() as conn:
            for table in inspector.get_table_names():
                columns = [c["name"] for c in inspector.get_columns(table)]
                keys = inspector.get_pk_constraint(table).get("constrained_columns") or columns
                quoted = ", ".join(f'"{c}"' for c in columns)
                for row in conn.execute(text(f'SELECT {quoted} FROM "{table}"')).mappings():
                    row_id = repr(tuple(row[k] for k in keys))
                    for column in columns:
                        for form in _forms(row[column]):
                            low = form.lower()
                            for value in values:
                                if lowered[value] in low:
                                    hits[value].add(Hit(table, column, row_id))
    return hits


def table_count(app) -> int:
    with app.app_context():
        return len(inspect(db.engine).get_table_names())
