"""quiz.store.kept: the answer path's transactions on one connection, checked out once."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text

from quiz.services.database import Database, open_database
from quiz.store import checkpoint

from .conftest import NOW


def _checkouts(database: Database) -> list[int]:
    seen: list[int] = []
    event.listen(database.engine, "checkout", lambda *_: seen.append(1))
    return seen


def test_transactions_share_one_checkout_and_commit_or_roll_back(database: Database) -> None:
    seen = _checkouts(database)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (n INTEGER)"))
    seen.clear()
    for n in range(5):
        with database.answering.begin() as connection:
            connection.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})
    with pytest.raises(RuntimeError), database.answering.begin() as connection:
        connection.execute(text("INSERT INTO notes (n) VALUES (99)"))
        raise RuntimeError("the unit of work fails")
    assert len(seen) == 1
    assert database.engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    with database.engine.connect() as other:  # another connection sees what was committed
        assert other.scalars(text("SELECT n FROM notes ORDER BY n")).all() == [0, 1, 2, 3, 4]
    database.answering.close()
    assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    with database.answering.begin() as connection:  # a next transaction opens another
        assert connection.scalar(text("SELECT count(*) FROM notes")) == 5


def test_threads_take_turns_on_the_kept_connection(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (n INTEGER)"))
    errors: list[BaseException] = []

    def write(start: int) -> None:
        try:
            for n in range(start, start + 20):
                with database.answering.begin() as connection:
                    connection.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(100 * t,)) for t in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(DISTINCT n) FROM notes")) == 60


def test_each_unit_of_work_counts_for_the_checkpoint_thread(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW, import_builtin=False)
    checkpointer = checkpoint._CHECKPOINTERS[database.engine]
    before = checkpointer.done
    for _ in range(3):
        with database.answering.begin() as connection:
            connection.execute(text("SELECT 1"))
    assert checkpointer.done == before + 3  # none of them was checked in
    database.close()
