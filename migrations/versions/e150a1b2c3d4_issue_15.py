"""Speed under load: figure caches and counters (issue 15)

Revision ID: e150a1b2c3d4
Revises: e140a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "e150a1b2c3d4"
down_revision = "e140a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
