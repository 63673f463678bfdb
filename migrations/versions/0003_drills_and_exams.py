"""Drills, exam dates, and scores on sessions.

Revision ID: 0003_drills_and_exams
Revises: 0002_study_queue
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_drills_and_exams"
down_revision: str | None = "0002_study_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["profiles.id"],
            name=op.f("fk_drills_created_by_profiles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drills")),
        sa.UniqueConstraint("title", name=op.f("uq_drills_title")),
    )
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.add_column(sa.Column("exam_date", sa.Date(), nullable=True))
    with op.batch_alter_table("study_sessions") as batch_op:
        batch_op.add_column(sa.Column("drill_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_study_sessions_drill_id_drills"),
            "drills",
            ["drill_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_study_sessions_drill", ["drill_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("study_sessions") as batch_op:
        batch_op.drop_index("ix_study_sessions_drill")
        batch_op.drop_constraint(op.f("fk_study_sessions_drill_id_drills"), type_="foreignkey")
        batch_op.drop_column("details")
        batch_op.drop_column("score")
        batch_op.drop_column("drill_id")
    with op.batch_alter_table("profiles") as batch_op:
        batch_op.drop_column("exam_date")
    op.drop_table("drills")
