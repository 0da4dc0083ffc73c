"""Surveys' results versions in a table of their own (issue 15)

Revision ID: e220a1b2c3d4
Revises: e210a1b2c3d4
Create Date: 2026-12-06 00:30:00

``surveys.results_version`` moved on every submission, so the ``surveys`` table
changed with each response and every kept page read from it (a survey's start page,
its consultation's page) was drawn again: under a popular consultation, always. The
version now lives in ``survey_results_versions`` (one row per survey, made by its
first change); what the column held is copied across, and back on downgrade.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e220a1b2c3d4"
down_revision = "e210a1b2c3d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_results_versions",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_results_versions_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_survey_results_versions")),
    )
    op.execute(
        "INSERT INTO survey_results_versions (survey_id, version) "
        "SELECT id, results_version FROM surveys WHERE results_version > 0"
    )
    with op.batch_alter_table("surveys") as batch:
        batch.drop_column("results_version")


def downgrade():
    with op.batch_alter_table("surveys") as batch:
        batch.add_column(
            sa.Column("results_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE surveys SET results_version = COALESCE((SELECT v.version FROM "
        "survey_results_versions v WHERE v.survey_id = surveys.id), 0)"
    )
    op.drop_table("survey_results_versions")
