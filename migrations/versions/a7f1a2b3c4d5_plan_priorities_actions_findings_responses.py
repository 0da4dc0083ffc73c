"""Plan, priorities, actions, findings and responses (we asked, you said, we did)

Revision ID: a7f1a2b3c4d5
Revises: 764ca212367d
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import community.models_base  # noqa: F401

# revision identifiers, used by Alembic.
revision = "a7f1a2b3c4d5"
down_revision = "764ca212367d"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
