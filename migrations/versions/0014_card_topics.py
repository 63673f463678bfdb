"""Card rows carry their question's topic and retired flag, so mastery per topic is one
range of one covering index (profile, retired, suspended, topic, state, stability) instead
of a join of every card with its (wide) question row.

The database keeps the copy: a trigger on questions copies a changed topic or a retirement
(or restoration) to every card of the question, whichever path made the change (a bank
import, an interop import, a drill file, a test), and a trigger on card rows fills in a row
inserted without its topic. Existing rows are filled in by this migration (in its one
transaction, like every upgrade).

Revision ID: 0014_card_topics
Revises: 0013_statistics_indexes
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_card_topics"
down_revision: str | None = "0013_statistics_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOPICS_INDEX = ["profile_id", "retired", "suspended", "topic", "state", "stability"]

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER questions_card_copy AFTER UPDATE OF topic, retired_at ON questions
    WHEN OLD.topic IS NOT NEW.topic OR (OLD.retired_at IS NULL) <> (NEW.retired_at IS NULL)
    BEGIN
        UPDATE card_states SET topic = NEW.topic, retired = NEW.retired_at IS NOT NULL
        WHERE question_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER card_states_topic_fill AFTER INSERT ON card_states
    WHEN NEW.topic IS NULL
    BEGIN
        UPDATE card_states
        SET topic = (SELECT topic FROM questions WHERE id = NEW.question_id),
            retired = (SELECT retired_at IS NOT NULL FROM questions WHERE id = NEW.question_id)
        WHERE profile_id = NEW.profile_id AND question_id = NEW.question_id;
    END
    """,
]
POSTGRES_TRIGGERS = [
    """
    CREATE FUNCTION questions_card_copy() RETURNS trigger AS $$
    BEGIN
        UPDATE card_states SET topic = NEW.topic, retired = NEW.retired_at IS NOT NULL
        WHERE question_id = NEW.id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER questions_card_copy AFTER UPDATE OF topic, retired_at ON questions
    FOR EACH ROW
    WHEN (OLD.topic IS DISTINCT FROM NEW.topic
          OR (OLD.retired_at IS NULL) <> (NEW.retired_at IS NULL))
    EXECUTE FUNCTION questions_card_copy()
    """,
    """
    CREATE FUNCTION card_states_topic_fill() RETURNS trigger AS $$
    BEGIN
        SELECT topic, retired_at IS NOT NULL INTO NEW.topic, NEW.retired
        FROM questions WHERE id = NEW.question_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER card_states_topic_fill BEFORE INSERT ON card_states
    FOR EACH ROW WHEN (NEW.topic IS NULL) EXECUTE FUNCTION card_states_topic_fill()
    """,
]


def upgrade() -> None:
    op.add_column("card_states", sa.Column("topic", sa.String(200), nullable=True))
    op.add_column(
        "card_states",
        sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    connection = op.get_bind()
    connection.exec_driver_sql(
        "UPDATE card_states SET"
        " topic = (SELECT topic FROM questions WHERE questions.id = card_states.question_id),"
        " retired = (SELECT retired_at IS NOT NULL FROM questions"
        " WHERE questions.id = card_states.question_id)"
    )
    sqlite = connection.dialect.name == "sqlite"
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        connection.exec_driver_sql(statement)
    op.create_index("ix_card_states_topics", "card_states", TOPICS_INDEX)


def downgrade() -> None:
    op.drop_index("ix_card_states_topics", table_name="card_states")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER questions_card_copy")
        op.execute("DROP TRIGGER card_states_topic_fill")
    else:
        op.execute("DROP TRIGGER questions_card_copy ON questions")
        op.execute("DROP FUNCTION questions_card_copy()")
        op.execute("DROP TRIGGER card_states_topic_fill ON card_states")
        op.execute("DROP FUNCTION card_states_topic_fill()")
    # not batch_alter_table: on SQLite it copies the table (see 0008)
    op.execute("ALTER TABLE card_states DROP COLUMN retired")
    op.execute("ALTER TABLE card_states DROP COLUMN topic")
