"""Consensus: clusters carried between recomputes (issue 16)

Revision ID: e160a1b2c3d4
Revises: e150a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e160a1b2c3d4"
down_revision = "e150a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("cluster_state", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("cluster_state")
