"""Outcome mail queued in the background for large consultations

Revision ID: d9e1f2a3b4c5
Revises: c8d1e2f3a4b5
Create Date: 2026-11-25 17:45:00

"""

import sqlalchemy as sa
from alembic import op

import community.models_base

# revision identifiers, used by Alembic.
revision = "d9e1f2a3b4c5"
down_revision = "c8d1e2f3a4b5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "outcome_mailed_at", community.models_base.UTCDateTime(timezone=True), nullable=True
            )
        )
    # Outcomes published before this revision were mailed in their request.
    op.execute(
        "UPDATE consultations SET outcome_mailed_at = outcome_published_at"
        " WHERE outcome_published_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("outcome_mailed_at")
