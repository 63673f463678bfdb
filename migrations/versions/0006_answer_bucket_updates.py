"""Answer buckets follow updated answers too: a flashcard's verdict set by its rating, and a
drill or exam answer replaced by a new one, move the counts (an update trigger). The buckets
are recounted from the answers once, since earlier exam re-answers could have left them off.

Revision ID: 0006_answer_bucket_updates
Revises: 0005_profile_time_zone
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_answer_bucket_updates"
down_revision: str | None = "0005_profile_time_zone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The quarter hour an answer falls in, as in 0004 (a migration keeps its own copy).
SQLITE_BUCKET = (
    "substr({t}, 1, 14) || printf('%02d', (CAST(substr({t}, 15, 2) AS INTEGER) / 15) * 15)"
    " || ':00.000000'"
)
POSTGRES_BUCKET = (
    "date_trunc('hour', {t}) + floor(extract(minute FROM {t}) / 15) * interval '15 minutes'"
)


def _buckets() -> tuple[str, str]:
    return SQLITE_BUCKET, POSTGRES_BUCKET


def _sqlite_trigger() -> str:
    bucket, _ = _buckets()
    return f"""
    CREATE TRIGGER answers_bucket_update AFTER UPDATE OF answered_at, correct ON answers
    BEGIN
        UPDATE answer_buckets SET answers = answers - 1, correct = correct - OLD.correct
        WHERE profile_id = OLD.profile_id AND starts_at = {bucket.format(t="OLD.answered_at")};
        INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)
        VALUES (NEW.profile_id, {bucket.format(t="NEW.answered_at")}, 1, NEW.correct)
        ON CONFLICT (profile_id, starts_at) DO UPDATE
        SET answers = answers + 1, correct = correct + excluded.correct;
    END
    """


def _postgres_statements() -> list[str]:
    _, bucket = _buckets()
    return [
        f"""
        CREATE FUNCTION answers_bucket_move() RETURNS trigger AS $$
        BEGIN
            UPDATE answer_buckets
            SET answers = answers - 1, correct = correct - CASE WHEN OLD.correct THEN 1 ELSE 0 END
            WHERE profile_id = OLD.profile_id
              AND starts_at = {bucket.format(t="OLD.answered_at")};
            INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)
            VALUES (NEW.profile_id, {bucket.format(t="NEW.answered_at")}, 1,
                    CASE WHEN NEW.correct THEN 1 ELSE 0 END)
            ON CONFLICT (profile_id, starts_at) DO UPDATE
            SET answers = answer_buckets.answers + 1,
                correct = answer_buckets.correct + EXCLUDED.correct;
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER answers_bucket_update AFTER UPDATE OF answered_at, correct ON answers
        FOR EACH ROW EXECUTE FUNCTION answers_bucket_move()
        """,
    ]


def _recount(sqlite: bool) -> None:
    sqlite_bucket, postgres_bucket = _buckets()
    bucket = (sqlite_bucket if sqlite else postgres_bucket).format(t="answered_at")
    correct = "correct" if sqlite else "CASE WHEN correct THEN 1 ELSE 0 END"
    connection = op.get_bind()
    connection.exec_driver_sql("DELETE FROM answer_buckets")
    connection.exec_driver_sql(
        f"INSERT INTO answer_buckets (profile_id, starts_at, answers, correct)"
        f" SELECT profile_id, {bucket}, count(*), sum({correct}) FROM answers"
        f" GROUP BY profile_id, {bucket}"
    )


def upgrade() -> None:
    connection = op.get_bind()  # raw SQL: its ':' and '%' are not parameters
    sqlite = connection.dialect.name == "sqlite"
    for statement in [_sqlite_trigger()] if sqlite else _postgres_statements():
        connection.exec_driver_sql(statement)
    _recount(sqlite)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER answers_bucket_update")
    else:
        op.execute("DROP TRIGGER answers_bucket_update ON answers")
        op.execute("DROP FUNCTION answers_bucket_move()")
