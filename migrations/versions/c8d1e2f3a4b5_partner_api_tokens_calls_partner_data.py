"""Partner API: tokens, call log, partner data

Revision ID: c8d1e2f3a4b5
Revises: b8c1d2e3f4a5
Create Date: 2026-11-25 16:40:00

"""

import sqlalchemy as sa
from alembic import op

import community.models_base

# revision identifiers, used by Alembic.
revision = "c8d1e2f3a4b5"
down_revision = "b8c1d2e3f4a5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "organisation",
            sa.Enum(
                "police",
                "council",
                "health",
                "probation",
                "fire",
                "youth_service",
                "voluntary_sector",
                name="token_organisation",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "scope",
            sa.Enum(
                "open_data",
                "analysis",
                name="token_scope",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("expires_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", community.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", community.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "scope = 'open_data' OR organisation IS NOT NULL",
            name=op.f("ck_api_tokens_analysis_has_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_table(
        "sharing_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "organisation",
            sa.Enum(
                "police",
                "council",
                "health",
                "probation",
                "fire",
                "youth_service",
                "voluntary_sector",
                name="agreement_organisation",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_sharing_agreements_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreements")),
    )
    op.create_table(
        "api_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("endpoint", sa.String(length=120), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("called_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_tokens.id"],
            name=op.f("fk_api_calls_token_id_api_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_calls")),
    )
    with op.batch_alter_table("api_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_calls_called_at"), ["called_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_calls_token_id"), ["token_id"], unique=False)

    op.create_table(
        "consultation_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column(
            "organisation",
            sa.Enum(
                "police",
                "council",
                "health",
                "probation",
                "fire",
                "youth_service",
                "voluntary_sector",
                name="share_organisation",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("shared_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_shares_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shared_by_id"],
            ["users.id"],
            name=op.f("fk_consultation_shares_shared_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_shares")),
        sa.UniqueConstraint(
            "consultation_id",
            "organisation",
            name=op.f("uq_consultation_shares_consultation_id_organisation"),
        ),
    )
    with op.batch_alter_table("consultation_shares", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_shares_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "partner_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("ward_id", sa.Integer(), nullable=True),
        sa.Column("measure", sa.String(length=160), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("counts_youth", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", community.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_partner_figures_period_in_order")
        ),
        sa.CheckConstraint("value >= 0", name=op.f("ck_partner_figures_value_not_negative")),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_partner_figures_agreement_id_sharing_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_partner_figures_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"], ["terms.id"], name=op.f("fk_partner_figures_issue_id_terms")
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"], ["terms.id"], name=op.f("fk_partner_figures_ward_id_terms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_figures")),
        sa.UniqueConstraint(
            "agreement_id",
            "measure",
            "issue_id",
            "ward_id",
            "period_start",
            name="uq_partner_figures_one_per_period",
        ),
    )
    with op.batch_alter_table("partner_figures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_figures_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_partner_figures_issue_id"), ["issue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partner_figures_ward_id"), ["ward_id"], unique=False)


def downgrade():
    with op.batch_alter_table("partner_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_figures_ward_id"))
        batch_op.drop_index(batch_op.f("ix_partner_figures_issue_id"))
        batch_op.drop_index(batch_op.f("ix_partner_figures_agreement_id"))

    op.drop_table("partner_figures")
    with op.batch_alter_table("consultation_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_shares_consultation_id"))

    op.drop_table("consultation_shares")
    with op.batch_alter_table("api_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_calls_token_id"))
        batch_op.drop_index(batch_op.f("ix_api_calls_called_at"))

    op.drop_table("api_calls")
    op.drop_table("sharing_agreements")
    op.drop_table("api_tokens")
