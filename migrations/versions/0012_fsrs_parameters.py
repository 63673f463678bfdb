"""Per-profile FSRS parameters fitted on the learner's own reviews (or a class's), and
workload limits: load balancing of reviews under the daily cap, easy weekdays.

Revision ID: 0012_fsrs_parameters
Revises: 0011_class_files
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_fsrs_parameters"
down_revision: str | None = "0011_class_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("profiles", sa.Column("fsrs_parameters", sa.JSON(), nullable=True))
    op.add_column("profiles", sa.Column("fsrs_fitted_at", sa.DateTime(), nullable=True))
    op.add_column(
        "profiles",
        sa.Column("fsrs_fitted_reviews", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("profiles", sa.Column("fsrs_source", sa.String(length=16), nullable=True))
    op.add_column(
        "profiles",
        sa.Column("load_balance", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("profiles", sa.Column("easy_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("easy_days")
        batch.drop_column("load_balance")
        batch.drop_column("fsrs_source")
        batch.drop_column("fsrs_fitted_reviews")
        batch.drop_column("fsrs_fitted_at")
        batch.drop_column("fsrs_parameters")
