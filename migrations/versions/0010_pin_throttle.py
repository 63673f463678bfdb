"""PIN throttling: wrong PINs in a row and the time the next try must wait for.

Revision ID: 0010_pin_throttle
Revises: 0009_extra_new_today
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_pin_throttle"
down_revision: str | None = "0009_extra_new_today"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "profiles", sa.Column("pin_failures", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("profiles", sa.Column("pin_locked_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("pin_locked_until")
        batch.drop_column("pin_failures")
