"""Engine and session setup. SQLite connections get WAL, foreign keys and a busy timeout."""

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from quiz.errors import QuizError

SQLITE_BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections are configured on every connect."""
    try:
        engine = create_engine(url)
    except ArgumentError:
        raise QuizError(
            f"{url!r} is not a database URL; pass a SQLite file path or a URL such as "
            "postgresql+psycopg://user@host/db"
        ) from None
    except NoSuchModuleError:
        raise QuizError(
            f"quiz does not know the database kind in {url!r}; use SQLite (a file path) "
            "or PostgreSQL (postgresql+psycopg://...)"
        ) from None
    except ImportError as error:
        raise QuizError(
            f"the driver for {url.split(':', 1)[0]} is not installed ({error.name}); for "
            "PostgreSQL install quiz with: pip install 'quiz[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The one session factory; services open one session per unit of work."""
    return sessionmaker(engine, expire_on_commit=False)
