"""Operations: idempotent creates, worker heartbeats, mail claims (issue 13)

Revision ID: e130a1b2c3d4
Revises: d9e1f2a3b4c5
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "e130a1b2c3d4"
down_revision = "d9e1f2a3b4c5"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
