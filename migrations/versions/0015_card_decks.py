"""Card rows carry their question's deck, so a deck's queue is one range of its own index
(profile, deck, suspended, state, due, question) instead of every card of the profile in
the queue index, each joined with its question to test the deck: beside a deck of 100,000
questions, counting a small deck's new cards read all of the big one's.

The database keeps the copy, as 0014 keeps topics: a trigger on questions moves a
question's cards with it to another deck, whichever statement moves it, and a trigger on
card rows fills in a row inserted without its deck. Existing rows are filled in by this
migration (in its one transaction, like every upgrade).

Revision ID: 0015_card_decks
Revises: 0014_card_topics
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_card_decks"
down_revision: str | None = "0014_card_topics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECKS_INDEX = ["profile_id", "deck_id", "suspended", "state", "due", "question_id"]

SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER questions_card_deck AFTER UPDATE OF deck_id ON questions
    WHEN OLD.deck_id IS NOT NEW.deck_id
    BEGIN
        UPDATE card_states SET deck_id = NEW.deck_id WHERE question_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER card_states_deck_fill AFTER INSERT ON card_states
    WHEN NEW.deck_id IS NULL
    BEGIN
        UPDATE card_states
        SET deck_id = (SELECT deck_id FROM questions WHERE id = NEW.question_id)
        WHERE profile_id = NEW.profile_id AND question_id = NEW.question_id;
    END
    """,
]
POSTGRES_TRIGGERS = [
    """
    CREATE FUNCTION questions_card_deck() RETURNS trigger AS $$
    BEGIN
        UPDATE card_states SET deck_id = NEW.deck_id WHERE question_id = NEW.id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER questions_card_deck AFTER UPDATE OF deck_id ON questions
    FOR EACH ROW WHEN (OLD.deck_id IS DISTINCT FROM NEW.deck_id)
    EXECUTE FUNCTION questions_card_deck()
    """,
    """
    CREATE FUNCTION card_states_deck_fill() RETURNS trigger AS $$
    BEGIN
        SELECT deck_id INTO NEW.deck_id FROM questions WHERE id = NEW.question_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER card_states_deck_fill BEFORE INSERT ON card_states
    FOR EACH ROW WHEN (NEW.deck_id IS NULL) EXECUTE FUNCTION card_states_deck_fill()
    """,
]


def upgrade() -> None:
    op.add_column("card_states", sa.Column("deck_id", sa.Integer(), nullable=True))
    connection = op.get_bind()
    connection.exec_driver_sql(
        "UPDATE card_states SET deck_id ="
        " (SELECT deck_id FROM questions WHERE questions.id = card_states.question_id)"
    )
    sqlite = connection.dialect.name == "sqlite"
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS:
        connection.exec_driver_sql(statement)
    op.create_index("ix_card_states_decks", "card_states", DECKS_INDEX)


def downgrade() -> None:
    op.drop_index("ix_card_states_decks", table_name="card_states")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER questions_card_deck")
        op.execute("DROP TRIGGER card_states_deck_fill")
    else:
        op.execute("DROP TRIGGER questions_card_deck ON questions")
        op.execute("DROP FUNCTION questions_card_deck()")
        op.execute("DROP TRIGGER card_states_deck_fill ON card_states")
        op.execute("DROP FUNCTION card_states_deck_fill()")
    # not batch_alter_table: on SQLite it copies the table (see 0008)
    op.execute("ALTER TABLE card_states DROP COLUMN deck_id")
