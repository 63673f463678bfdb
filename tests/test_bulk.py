"""quiz.store.bulk.execute_many: the driver's executemany with SQLAlchemy's conversions,
refusing what it cannot run exactly as connection.execute would."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, update

from quiz.services.database import Database
from quiz.store.bulk import execute_many
from quiz.store.models import AppState, Deck

NOW = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)


def test_rows_convert_as_connection_execute_would(database: Database) -> None:
    rows = [
        {"name": f"d{n}", "title": "T", "description": "", "material": "m.txt",
         "fingerprint": "", "created_at": NOW, "updated_at": NOW}
        for n in range(3)
    ]  # fmt: skip
    with database.sessions.begin() as session:
        execute_many(session.connection(), insert(Deck), rows)
    with database.sessions() as session:
        query = select(Deck.name, Deck.created_at).where(Deck.name.like("d_")).order_by(Deck.name)
        found = session.execute(query).all()
    assert [tuple(row) for row in found] == [("d0", NOW), ("d1", NOW), ("d2", NOW)]


def test_a_default_left_out_or_text_for_a_non_json_column_is_refused(database: Database) -> None:
    deck = {"name": "d", "title": "T", "material": "m", "created_at": NOW, "updated_at": NOW}
    with database.sessions() as session:
        connection = session.connection()
        with pytest.raises(ValueError, match="no value given for the parameter 'description'"):
            execute_many(connection, insert(Deck), [deck])  # SQLAlchemy would fill it in
        with pytest.raises(ValueError, match="'value' is not a JSON parameter"):
            execute_many(connection, insert(AppState), [{"key": "k", "value": "v"}], ["value"])
        in_list = update(AppState).where(AppState.key.in_(["a", "b"])).values(value="v")
        with pytest.raises(ValueError, match="rendered at execution"):
            execute_many(connection, in_list, [{"value": "w"}])
        assert session.scalar(select(AppState).where(AppState.key == "k")) is None
        assert session.scalar(select(Deck).where(Deck.name == "d")) is None
