"""Languages: a person's language and translated content (issue 18)

Revision ID: e180a1b2c3d4
Revises: e170a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa
from alembic import op

import community.models_base

# revision identifiers, used by Alembic.
revision = "e180a1b2c3d4"
down_revision = "e170a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_content_translations_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_content_translations_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_translations")),
        sa.UniqueConstraint(
            "kind",
            "object_id",
            "field",
            "language",
            name=op.f("uq_content_translations_kind_object_id_field_language"),
        ),
    )
    with op.batch_alter_table("content_translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_translations_consultation_id"), ["consultation_id"], unique=False
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    with op.batch_alter_table("moderation_abuse_terms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=10), server_default="en_GB", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("content_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_translations_consultation_id"))
    op.drop_table("content_translations")
    with op.batch_alter_table("moderation_abuse_terms", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
