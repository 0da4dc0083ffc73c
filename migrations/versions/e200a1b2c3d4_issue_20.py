"""Search index and ward boundaries (issue 17)

Revision ID: e200a1b2c3d4
Revises: e190a1b2c3d4
Create Date: 2026-12-04 15:05:00

``search_entries`` holds what the public may find (written by the services' flushes,
see ``community/search/index.py``). Its full-text index depends on the database:
PostgreSQL gets a GIN index on an English ``to_tsvector`` of title and body;
SQLite gets an FTS5 table (Porter stemming) kept in step with ``search_entries``
by the three triggers below. Both are left out of autogenerate in migrations/env.py.
"""

import sqlalchemy as sa
from alembic import op

from community.models_base import UTCDateTime

# revision identifiers, used by Alembic.
revision = "e200a1b2c3d4"
down_revision = "e190a1b2c3d4"
branch_labels = None
depends_on = None

TSVECTOR = (
    "to_tsvector('english'::regconfig, "
    "coalesce(search_entries.title, '') || ' ' || coalesce(search_entries.body, ''))"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_fts_insert AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_fts_delete AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_fts_update AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.JSON(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("ward_id", sa.Integer(), nullable=True),
        sa.Column("issue_ids", sa.String(length=400), nullable=False),
        sa.Column("visible_from", UTCDateTime(), nullable=True),
        sa.Column("dated", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_entries_kind_ref"),
    )
    with op.batch_alter_table("search_entries") as batch:
        batch.create_index("ix_search_entries_kind_visible", ["kind", "visible_from"], unique=False)
        batch.create_index(
            op.f("ix_search_entries_consultation_id"), ["consultation_id"], unique=False
        )
        batch.create_index(op.f("ix_search_entries_ward_id"), ["ward_id"], unique=False)
    op.create_table(
        "ward_boundaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("width", sa.Float(), nullable=False),
        sa.Column("height", sa.Float(), nullable=False),
        sa.Column("paths", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_ward_boundaries_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ward_boundaries")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_search_entries_fts ON search_entries USING gin ({TSVECTOR})")
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_entries_fts")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_entries_fts_{name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table("search_entries") as batch:
        batch.drop_index(op.f("ix_search_entries_ward_id"))
        batch.drop_index(op.f("ix_search_entries_consultation_id"))
        batch.drop_index("ix_search_entries_kind_visible")
    op.drop_table("search_entries")
    op.drop_table("ward_boundaries")
