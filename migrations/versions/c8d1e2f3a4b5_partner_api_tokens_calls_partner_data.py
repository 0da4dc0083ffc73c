"""Partner API: tokens, call log, partner data

Revision ID: c8d1e2f3a4b5
Revises: b8c1d2e3f4a5
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import community.models_base  # noqa: F401

# revision identifiers, used by Alembic.
revision = "c8d1e2f3a4b5"
down_revision = "b8c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
