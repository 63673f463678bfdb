"""Files for a class without a server: a drill's exchange keys, imported attempts' ids.

Revision ID: 0011_class_files
Revises: 0010_pin_throttle
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_class_files"
down_revision: str | None = "0010_pin_throttle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("drills", sa.Column("exchange", sa.JSON(), nullable=True))
    op.add_column("study_sessions", sa.Column("exchange_id", sa.String(160), nullable=True))
    op.create_index("ix_study_sessions_exchange_id", "study_sessions", ["exchange_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_study_sessions_exchange_id", table_name="study_sessions")
    with op.batch_alter_table("study_sessions") as batch:
        batch.drop_column("exchange_id")
    with op.batch_alter_table("drills") as batch:
        batch.drop_column("exchange")
