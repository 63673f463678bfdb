"""Study queues: card rows for new cards, a queue index, sync marker, answer state.

Revision ID: 0002_study_queue
Revises: 0001_initial
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_study_queue"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.add_column(
            sa.Column("synced_question_id", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("answers") as batch_op:
        batch_op.add_column(sa.Column("state_before", sa.Integer(), nullable=True))
    with op.batch_alter_table("card_states") as batch_op:
        batch_op.drop_index("ix_card_states_profile_due")
        batch_op.create_index(
            "ix_card_states_queue",
            ["profile_id", "suspended", "state", "due", "question_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("card_states") as batch_op:
        batch_op.drop_index("ix_card_states_queue")
        batch_op.create_index(
            "ix_card_states_profile_due", ["profile_id", "suspended", "due"], unique=False
        )
    with op.batch_alter_table("answers") as batch_op:
        batch_op.drop_column("state_before")
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.drop_column("synced_question_id")
