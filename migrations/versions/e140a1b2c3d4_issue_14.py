"""Trust: sessions, slugs, consents, receipts (issue 14)

Revision ID: e140a1b2c3d4
Revises: e130a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "e140a1b2c3d4"
down_revision = "e130a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_slugs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_slugs_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_slugs")),
        sa.UniqueConstraint("slug", name=op.f("uq_consultation_slugs_slug")),
    )
    with op.batch_alter_table("consultation_slugs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_slugs_consultation_id"), ["consultation_id"], unique=False
        )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wording", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_column("wording")
    with op.batch_alter_table("consultation_slugs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_slugs_consultation_id"))
    op.drop_table("consultation_slugs")
