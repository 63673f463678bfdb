"""Custom study: extra new cards allowed for one study day ("study more today").

Revision ID: 0009_extra_new_today
Revises: 0008_answer_override
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_extra_new_today"
down_revision: str | None = "0008_answer_override"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("extra_new_day", sa.Date(), nullable=True))
    op.add_column(
        "profiles", sa.Column("extra_new", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("extra_new")
        batch.drop_column("extra_new_day")
