"""One pooled connection kept checked out for the answer path.

Checking a connection out of the pool and back in costs some 20-40 µs a unit of work in
SQLAlchemy's Python, and an answer is two (saved, then rated). The answer path runs its
transactions on this one connection instead, one at a time (a lock: any thread may call);
between them it holds no transaction, so no lock of the database either; each one counts
for the checkpoint thread as a check-in would (quiz.store.checkpoint). A connection
found invalidated (PostgreSQL restarted) is replaced at the next transaction."""

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from quiz.store.checkpoint import unit_done


class KeptConnection:
    """A connection of `engine`, opened at the first transaction and kept until `close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction on the kept connection: committed on leaving, rolled back on an
        error (as `engine.begin()`)."""
        with self._lock:
            connection = self._connection
            if connection is None or connection.closed or connection.invalidated:
                if connection is not None:
                    connection.close()
                connection = self._connection = self.engine.connect()
                weakref.finalize(self, connection.close)  # returned to the pool when dropped
            with connection.begin():
                yield connection
        unit_done(self.engine)

    def close(self) -> None:
        """Give the connection back to the pool (a next transaction opens another)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
