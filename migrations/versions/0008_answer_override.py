"""Answers a learner claimed were right ("I was right"): answers.overridden, false for every
answer so far. An overridden answer is stored correct, and kept apart from graded-right
answers in history, statistics and the teacher's report.

Revision ID: 0008_answer_override
Revises: 0007_question_fact
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_answer_override"
down_revision: str | None = "0007_question_fact"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "answers",
        sa.Column("overridden", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # not batch_alter_table: on SQLite it copies the table, losing its bucket triggers
    # (0004, 0006); DROP COLUMN keeps them (SQLite 3.35 or later, and PostgreSQL)
    op.execute("ALTER TABLE answers DROP COLUMN overridden")
