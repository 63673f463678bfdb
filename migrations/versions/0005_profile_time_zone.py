"""A time zone per profile (an IANA name; NULL: the machine's zone) for the study calendar.

Revision ID: 0005_profile_time_zone
Revises: 0004_answer_buckets
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_profile_time_zone"
down_revision: str | None = "0004_answer_buckets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("time_zone")
