"""Answer counts per profile per quarter hour, kept by triggers, for fast statistics.

Every statistic per study day (answers, accuracy, the calendar, the streak) sums these
buckets instead of counting a year of answers. Study days start on a whole local hour and
every time zone is a whole number of quarter hours from UTC, so the sums are exact.

Revision ID: 0004_answer_buckets
Revises: 0003_drills_and_exams
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_answer_buckets"
down_revision: str | None = "0003_drills_and_exams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The quarter hour an answer falls in, as each backend stores a naive UTC datetime.
SQLITE_BUCKET = (
    "substr({t}, 1, 14) || printf('%02d', (CAST(substr({t}, 15, 2) AS INTEGER) / 15) * 15)"
    " || ':00.000000'"
)
POSTGRES_BUCKET = (
    "date_trunc('hour', {t}) + floor(extract(minute FROM {t}) / 15) * interval '15 minutes'"
)

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER answers_bucket_insert AFTER INSERT ON answers BEGIN
        INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)
        VALUES (NEW.profile_id, {SQLITE_BUCKET.format(t="NEW.answered_at")}, 1, NEW.correct)
        ON CONFLICT (profile_id, starts_at) DO UPDATE
        SET answers = answers + 1, correct = correct + excluded.correct;
    END
    """,
    f"""
    CREATE TRIGGER answers_bucket_delete AFTER DELETE ON answers BEGIN
        UPDATE answer_buckets SET answers = answers - 1, correct = correct - OLD.correct
        WHERE profile_id = OLD.profile_id
          AND starts_at = {SQLITE_BUCKET.format(t="OLD.answered_at")};
    END
    """,
]
POSTGRES_TRIGGERS = [
    f"""
    CREATE FUNCTION answers_bucket_count() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)
            VALUES (NEW.profile_id, {POSTGRES_BUCKET.format(t="NEW.answered_at")}, 1,
                    CASE WHEN NEW.correct THEN 1 ELSE 0 END)
            ON CONFLICT (profile_id, starts_at) DO UPDATE
            SET answers = answer_buckets.answers + 1,
                correct = answer_buckets.correct + EXCLUDED.correct;
            RETURN NEW;
        END IF;
        UPDATE answer_buckets
        SET answers = answers - 1, correct = correct - CASE WHEN OLD.correct THEN 1 ELSE 0 END
        WHERE profile_id = OLD.profile_id
          AND starts_at = {POSTGRES_BUCKET.format(t="OLD.answered_at")};
        RETURN OLD;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER answers_bucket_count AFTER INSERT OR DELETE ON answers
    FOR EACH ROW EXECUTE FUNCTION answers_bucket_count()
    """,
]


def upgrade() -> None:
    op.create_table(
        "answer_buckets",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_answer_buckets_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "starts_at", name=op.f("pk_answer_buckets")),
    )
    connection = op.get_bind()  # raw SQL: its ':' and '%' are not parameters
    sqlite = connection.dialect.name == "sqlite"
    bucket = (SQLITE_BUCKET if sqlite else POSTGRES_BUCKET).format(t="answered_at")
    correct = "correct" if sqlite else "CASE WHEN correct THEN 1 ELSE 0 END"
    connection.exec_driver_sql(
        f"INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)"
        f" SELECT profile_id, {bucket}, count(*), sum({correct}) FROM answers"
        f" GROUP BY profile_id, {bucket}"
    )
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        connection.exec_driver_sql(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER answers_bucket_insert")
        op.execute("DROP TRIGGER answers_bucket_delete")
    else:
        op.execute("DROP TRIGGER answers_bucket_count ON answers")
        op.execute("DROP FUNCTION answers_bucket_count()")
    op.drop_table("answer_buckets")
