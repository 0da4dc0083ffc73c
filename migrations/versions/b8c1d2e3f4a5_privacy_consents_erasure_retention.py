"""Privacy: consent records, erasure and retention

Revision ID: b8c1d2e3f4a5
Revises: a7f1a2b3c4d5
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import community.models_base  # noqa: F401

# revision identifiers, used by Alembic.
revision = "b8c1d2e3f4a5"
down_revision = "a7f1a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
