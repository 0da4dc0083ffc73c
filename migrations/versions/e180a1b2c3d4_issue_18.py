"""Languages: a person's language and translated content (issue 18)

Revision ID: e180a1b2c3d4
Revises: e170a1b2c3d4
Create Date: 2026-12-04 15:05:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e180a1b2c3d4"
down_revision = "e170a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=10), nullable=True))
    with op.batch_alter_table("moderation_abuse_terms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=10), server_default="en_GB", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("moderation_abuse_terms", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
