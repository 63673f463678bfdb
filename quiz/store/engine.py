"""Engine and session setup. SQLite connections get WAL, foreign keys and a busy timeout
(and a file's log is checkpointed off the answer path: quiz.store.checkpoint);
PostgreSQL connection problems become sentences (quiz.store.postgres_errors)."""

import re
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from quiz.errors import QuizError
from quiz.store.checkpoint import FALLBACK_PAGES, checkpoint_in_background
from quiz.store.postgres_errors import plain_postgres_error

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")  # see quiz.store.checkpoint
    cursor.close()


def _plain_sqlite_error(context: ExceptionContext) -> None:
    """The one place a SQLite fault a person can act on becomes a sentence (a QuizError):
    the write lock held by another process past the busy timeout, a read-only file, a full
    disk, a damaged file. Whatever was being saved was not saved; the caller's transaction
    is rolled back, so trying again later is safe (the review screen keeps the graded
    card, so the rating can simply be pressed again)."""
    message = str(context.original_exception).lower()
    engine = context.engine
    where = str(engine.url.database) if engine is not None else "the database"
    if "database is locked" in message or "database table is locked" in message:
        raise QuizError(
            f"{where} is busy: another quiz process (an import?) is writing to it; "
            "wait a moment and try again"
        ) from None
    if "readonly" in message or "read-only" in message:
        raise QuizError(
            f"{where} is read-only, so nothing can be saved; make the file and its folder "
            "writable, or pass another file with --db"
        ) from None
    if "disk is full" in message or "disk i/o error" in message:
        raise QuizError(
            f"could not write to {where} (the disk is full or failing); free some space "
            "and try again: nothing was lost, the last step was not saved"
        ) from None
    if "malformed" in message and engine is not None:
        from quiz.store.migrate import restore_advice

        raise QuizError(f"{where} is damaged; {restore_advice(engine)}") from None


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
POSTGRES_CONNECT_TIMEOUT_S = 10


def shown_url(url: str) -> str:
    """A URL as it may be shown: its password replaced by ***, and at most 200 characters."""
    masked = _PASSWORD.sub(r"\1***@", url)
    return repr(masked if len(masked) <= 200 else masked[:200] + "...")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections are configured on every connect."""
    try:
        parsed = make_url(url)
        options: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
            options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        engine = create_engine(parsed, **options)
    except (ArgumentError, ValueError):
        raise QuizError(
            f"{shown_url(url)} is not a database URL (check the host, port and name); pass a "
            "SQLite file path or a URL such as postgresql+psycopg://user@host:5432/db"
        ) from None
    except NoSuchModuleError:
        raise QuizError(
            f"quiz does not know the database kind in {shown_url(url)}; use SQLite (a file "
            "path) or PostgreSQL (postgresql+psycopg://...)"
        ) from None
    except ImportError as error:
        raise QuizError(
            f"the driver for {url.split(':', 1)[0]} is not installed ({error.name}); for "
            "PostgreSQL install quiz with: pip install 'quiz[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _plain_sqlite_error)
        checkpoint_in_background(engine)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", plain_postgres_error)
    return engine


def refresh_statistics(engine: Engine) -> None:
    """After a bulk change (a bank import), let PostgreSQL's planner see the new row counts
    at once rather than at autovacuum's next pass (or never, where it is off): with none,
    it may plan the queue's queries over the wrong index. SQLite needs nothing."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The one session factory; services open one session per unit of work."""
    return sessionmaker(engine, expire_on_commit=False)
