"""quiz.store.prepared: statements run on the driver's cursor give what connection.execute
gives, inside the caller's transaction, with the engine's error handling."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, bindparam, event, insert, select, update

from quiz.errors import QuizError
from quiz.services.database import Database, open_database
from quiz.store.models import AppState, Deck
from quiz.store.prepared import Prepared

NOW = datetime(2026, 3, 30, 12, 0, 5, 250_000, tzinfo=UTC)

DECK = {"name": "d", "title": "T", "description": "", "material": "m.txt", "fingerprint": ""}
_ADD = Prepared(insert(Deck).returning(Deck.id, Deck.created_at))
_READ = Prepared(
    select(Deck.id, Deck.name, Deck.created_at, Deck.updated_at).where(
        Deck.name.like(bindparam("pattern")),
        Deck.title == "T",  # "T": a value it carries
    )
)


def _add(connection: Connection, name: str) -> int:
    row = _ADD.one(connection, {**DECK, "name": name, "created_at": NOW, "updated_at": NOW})
    assert row.created_at == NOW  # RETURNING, converted
    return int(row.id)


def test_rows_are_what_connection_execute_reads(database: Database) -> None:
    with database.engine.begin() as connection:
        ids = [_add(connection, f"p{n}") for n in range(3)]
    with database.engine.connect() as connection:
        prepared = _READ.all(connection, {"pattern": "p%"})
        executed = connection.execute(_READ.statement, {"pattern": "p%"}).all()
        with _READ.rows(connection, {"pattern": "p%"}) as rows:
            first = next(rows)
    assert [tuple(row) for row in prepared] == [tuple(row) for row in executed]
    assert sorted(row.id for row in prepared) == ids
    assert all(row.created_at == NOW and row.created_at.tzinfo is UTC for row in prepared)
    assert first in prepared


def test_a_statement_is_part_of_the_callers_transaction(database: Database) -> None:
    with pytest.raises(RuntimeError), database.engine.begin() as connection:
        _add(connection, "gone")
        raise RuntimeError("the unit of work fails after the statement")
    with database.engine.begin() as connection:
        assert _READ.first(connection, {"pattern": "gone"}) is None
        kept = _add(connection, "kept")
        touch = Prepared(update(Deck).where(Deck.id == bindparam("deck")).values(title="U"))
        touch.run(connection, {"deck": kept})
        assert _READ.first(connection, {"pattern": "kept"}) is None  # title is U now
    with database.engine.connect() as connection:
        title = connection.scalar(select(Deck.title).where(Deck.id == kept))
    assert title == "U"


def test_what_it_cannot_run_exactly_is_refused(database: Database) -> None:
    with database.engine.connect() as connection:
        in_list = Prepared(select(AppState.key).where(AppState.key.in_(["a", "b"])))
        with pytest.raises(ValueError, match="rendered at execution"):
            in_list.first(connection, {})
        defaulted = Prepared(insert(Deck))
        with pytest.raises(ValueError, match="'description' \\(it has a default\\)"):
            defaulted.run(connection, {"name": "x", "title": "T", "material": "m"})


def test_a_driver_error_goes_through_the_engines_handling(tmp_path: Path) -> None:
    path = tmp_path / "quiz.db"
    open_database(f"sqlite:///{path}", NOW, import_builtin=False).close()
    read_only = open_database(f"sqlite:///file:{path}?mode=ro&uri=true", NOW, False)
    refused = pytest.raises(QuizError, match="is read-only, so nothing can be saved")
    with refused, read_only.engine.begin() as connection:
        _add(connection, "never")
    with read_only.engine.connect() as connection:  # the connection is usable after it
        assert _READ.first(connection, {"pattern": "never"}) is None
    read_only.close()


def test_listeners_of_cursor_execution_are_told_of_each_statement(database: Database) -> None:
    seen: list[tuple[str, str]] = []

    def before(*args: object) -> None:
        seen.append(("before", str(args[2])))

    def after(*args: object) -> None:
        seen.append(("after", str(args[2])))

    event.listen(database.engine, "before_cursor_execute", before)
    event.listen(database.engine, "after_cursor_execute", after)
    try:
        with database.engine.begin() as connection:
            _add(connection, "told")
    finally:
        event.remove(database.engine, "before_cursor_execute", before)
        event.remove(database.engine, "after_cursor_execute", after)
    values = {**DECK, "name": "told", "created_at": NOW, "updated_at": NOW}
    sql = _ADD.plan_for(database.engine.dialect, values).sql
    assert seen == [("before", sql), ("after", sql)]
