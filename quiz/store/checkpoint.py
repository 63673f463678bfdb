"""Checkpoints of a SQLite file's write-ahead log, off the path of an answer.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with two
fsyncs) inside the commit that makes the log pass 1000 pages (SQLite's default): with
some 18 pages an answer, about one answer in 55 paid 4-8 ms for it (the review bench's
p99). Here a thread of the engine, on its own connection, checkpoints (PASSIVE: it never
blocks a reader or a writer) after every `EVERY` commits; while the learner reads the
next card the log is all copied, and the next answer starts it again from the beginning.
The commit's own checkpoint stays as a bound, at `FALLBACK_PAGES`: it runs when the log
cannot restart (answers back to back with no pause, as in the bench, or a long import),
and then finds most pages already copied. A checkpoint syncs the log first, so answers
reach the disk sooner than before (with `synchronous=NORMAL` a commit is not synced by
itself, only at a checkpoint).

The thread is woken by the pool's check-ins (every unit of work ends with one; an answer
has two), not by commit events: a listener on commits makes each connection join the
engine's event dispatch, some 18 µs a transaction on the answer path."""

import sqlite3
import threading
import weakref
from contextlib import suppress
from typing import Any

from sqlalchemy import Engine, event

EVERY = 16  # units of work between checkpoints: about 8 answers, some 80 pages of log
BUSY_TIMEOUT_MS = 100  # the thread's connection waits no longer for a lock
FALLBACK_PAGES = 4000  # a commit checkpoints when the log is this long (16 MB of pages)


class Checkpointer:
    """The thread that checkpoints one SQLite file, woken by the pool's check-ins; it
    starts at the first wake-up and ends when the engine is disposed."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.done = 0
        self.wake = threading.Event()
        self.stopping = False
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def checked_in(self, *_: Any) -> None:
        self.done += 1
        if self.done % EVERY:
            return
        with self.lock:
            if self.stopping:
                return
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="quiz-checkpoint")
                self.thread.daemon = True
                self.thread.start()
        self.wake.set()

    def stop(self, *_: Any) -> None:
        with self.lock:
            self.stopping = True
            thread = self.thread
            self.thread = None
        self.wake.set()
        if thread is not None:
            thread.join()
        self.stopping = False  # a disposed engine may be used again: it starts anew

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self.path, check_same_thread=False)
        except sqlite3.Error:
            return  # SQLite's own checkpoints go on
        try:
            connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            while True:
                self.wake.wait()
                self.wake.clear()
                if self.stopping:
                    return
                # busy or failing: SQLite's own checkpoint (at a commit) will tell
                with suppress(sqlite3.Error):
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()


_CHECKPOINTERS: "weakref.WeakKeyDictionary[Engine, Checkpointer]" = weakref.WeakKeyDictionary()


def unit_done(engine: Engine) -> None:
    """A unit of work ended without a check-in (on the answer path's kept connection,
    quiz.store.kept): counted as one, so that a sitting of answers is checkpointed too."""
    checkpointer = _CHECKPOINTERS.get(engine)
    if checkpointer is not None:
        checkpointer.checked_in()


def checkpoint_in_background(engine: Engine) -> None:
    """Give a SQLite file engine its checkpointing thread (nothing for a memory database)."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    checkpointer = _CHECKPOINTERS[engine] = Checkpointer(path)
    event.listen(engine, "checkin", checkpointer.checked_in)  # the pool's, kept on dispose
    event.listen(engine, "engine_disposed", checkpointer.stop)
