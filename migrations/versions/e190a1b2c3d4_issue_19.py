"""Journeys and demo data (issue 19)

Revision ID: e190a1b2c3d4
Revises: e180a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "e190a1b2c3d4"
down_revision = "e180a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
