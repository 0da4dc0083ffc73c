"""A survey's results version (issue 15)

Revision ID: e210a1b2c3d4
Revises: e200a1b2c3d4
Create Date: 2026-12-05 05:40:00

``surveys.results_version`` moves whenever a survey's submitted responses change
(``community/surveys/changes.py``): cached figures are looked up by it, one read by
primary key, instead of counting the submitted responses on every view.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e210a1b2c3d4"
down_revision = "e200a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surveys") as batch:
        batch.add_column(
            sa.Column("results_version", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("surveys") as batch:
        batch.drop_column("results_version")
