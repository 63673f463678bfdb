"""Statistics read from indexes: the answers of a period by one covering index (true
retention, per-topic answers, overrides never read the wide answer rows; it replaces the
(profile_id, answered_at) index it begins with), and the retired
questions by their own index (the due forecast counts card rows only, less the retired).

Revision ID: 0012_statistics_indexes
Revises: 0009_extra_new_today
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_statistics_indexes"
down_revision: str | None = "0009_extra_new_today"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATS_COLUMNS = [
    "profile_id",
    "answered_at",
    "question_id",
    "state_before",
    "rating",
    "correct",
    "overridden",
]


def upgrade() -> None:
    op.create_index("ix_answers_profile_stats", "answers", STATS_COLUMNS)
    op.drop_index("ix_answers_profile_answered", table_name="answers")
    op.create_index("ix_questions_retired_at", "questions", ["retired_at"])


def downgrade() -> None:
    op.drop_index("ix_questions_retired_at", table_name="questions")
    op.create_index("ix_answers_profile_answered", "answers", ["profile_id", "answered_at"])
    op.drop_index("ix_answers_profile_stats", table_name="answers")
