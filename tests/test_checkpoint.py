"""A SQLite file's write-ahead log is checkpointed by the engine's thread, not inside the
commits of answers: the log starts again from its beginning while the app pauses, its
rows are all kept, and the thread ends with the database."""

import threading
import time
from pathlib import Path

from sqlalchemy import text

from quiz.services.database import Database, open_database
from quiz.store.checkpoint import EVERY

from .conftest import NOW

THREAD = "quiz-checkpoint"


def _restarts(wal: Path) -> int:
    """The log's checkpoint sequence number: SQLite adds one each time it starts again."""
    return int.from_bytes(wal.read_bytes()[12:16], "big")


def _commit(database: Database, n: int) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO notes (n) VALUES (:n)"), {"n": n})


def test_the_log_starts_again_while_the_app_pauses(tmp_path: Path) -> None:
    path = tmp_path / "quiz.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (n INTEGER)"))
    wal = path.with_name("quiz.db-wal")
    first = _restarts(wal)
    written = 0
    for _ in range(EVERY):  # far fewer pages than SQLite's own checkpoint waits for
        written += 1
        _commit(database, written)
    for _ in range(500):  # pauses between answers; the thread checkpoints in one
        time.sleep(0.02)
        written += 1
        _commit(database, written)
        if _restarts(wal) != first:
            break
    assert _restarts(wal) != first
    assert THREAD in {thread.name for thread in threading.enumerate()}
    database.close()
    assert THREAD not in {thread.name for thread in threading.enumerate()}
    again = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    with again.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM notes")) == written
    again.close()


def test_a_memory_database_has_no_thread() -> None:
    database = open_database("sqlite://", NOW, import_builtin=False)
    for n in range(EVERY * 2):
        with database.engine.begin() as connection:
            connection.execute(text("SELECT :n"), {"n": n})
    assert THREAD not in {thread.name for thread in threading.enumerate()}
    database.close()
