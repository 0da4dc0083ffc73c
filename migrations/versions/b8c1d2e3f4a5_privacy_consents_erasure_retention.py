"""Privacy: consent records, erasure and retention

Revision ID: b8c1d2e3f4a5
Revises: a7f1a2b3c4d5
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa
from alembic import op

import community.models_base

# revision identifiers, used by Alembic.
revision = "b8c1d2e3f4a5"
down_revision = "a7f1a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    # Erasure keeps the account's row with nothing personal in it, marked erased.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erased_at", community.models_base.UTCDateTime(timezone=True), nullable=True)
        )
    # An erased person's supports still count, without their account.
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=True)


def downgrade():
    op.execute("DELETE FROM idea_supports WHERE user_id IS NULL")
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
