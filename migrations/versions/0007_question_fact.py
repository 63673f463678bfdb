"""A question's `fact` (the bank's slug shared by questions on one fact), so the study queue
can bury a fact's siblings for the rest of the day and drills and exams can draw one
question per fact. No backfill: no bank file could carry `fact` before this revision, and
a bank file that does is imported afresh (its fingerprint differs).

Revision ID: 0007_question_fact
Revises: 0006_answer_bucket_updates
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_question_fact"
down_revision: str | None = "0006_answer_bucket_updates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("questions", sa.Column("fact", sa.String(length=64), nullable=True))
    op.create_index("ix_questions_deck_fact", "questions", ["deck_id", "fact"])


def downgrade() -> None:
    op.drop_index("ix_questions_deck_fact", table_name="questions")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("fact")
