"""Privacy: consent records, erasure and retention

Revision ID: b8c1d2e3f4a5
Revises: a7f1a2b3c4d5
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa
from alembic import op

import community.models_base

# revision identifiers, used by Alembic.
revision = "b8c1d2e3f4a5"
down_revision = "a7f1a2b3c4d5"
branch_labels = None
depends_on = None


def upgrade():
    # What each person agreed to, and when; withdrawing keeps the row.
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "privacy_notice",
                "hear_back",
                "about_you",
                "special_category",
                name="consent_purpose",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("given_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", community.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_consents_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_response_id"), ["response_id"], unique=False)
        batch_op.create_index("ix_consents_user_purpose", ["user_id", "purpose"], unique=False)
    # Erasure keeps the account's row with nothing personal in it, marked erased.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erased_at", community.models_base.UTCDateTime(timezone=True), nullable=True)
        )
        # Retention warns an unused account once before deleting it.
        batch_op.add_column(
            sa.Column(
                "inactivity_warned_at",
                community.models_base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    # An erased person's supports still count, without their account.
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=True)


def downgrade():
    op.execute("DELETE FROM idea_supports WHERE user_id IS NULL")
    with op.batch_alter_table("idea_supports", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.INTEGER(), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("inactivity_warned_at")
        batch_op.drop_column("erased_at")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index("ix_consents_user_purpose")
        batch_op.drop_index(batch_op.f("ix_consents_response_id"))
    op.drop_table("consents")
