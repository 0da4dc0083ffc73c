"""Speed under load: indexes for the results page's fingerprint and written answers (issue 15)

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
    op.create_index(
        "ix_survey_responses_results",
        "survey_responses",
        ["survey_id", "status", "updated_at"],
    )
    op.create_index("ix_survey_answers_question_newest", "survey_answers", ["question_id", "id"])


def downgrade():
    op.drop_index("ix_survey_answers_question_newest", table_name="survey_answers")
    op.drop_index("ix_survey_responses_results", table_name="survey_responses")
