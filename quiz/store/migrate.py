"""Bring a database to the schema this code expects.

Alembic owns the schema. It is imported only when the database is not at head already,
so an ordinary start costs one small query.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

from quiz.errors import QuizError
from quiz.resources import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in migrations/versions; a test proves it matches Alembic's head.
SCHEMA_HEAD = "0007_extra_new_today"


def _describe(engine: Engine) -> str:
    url = engine.url
    return str(url.database) if url.get_backend_name() == "sqlite" else url.render_as_string()


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, or None for a database without our schema."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                if inspect(connection).get_table_names():
                    raise QuizError(
                        f"{_describe(engine)} holds tables but is not a quiz database; "
                        "choose another file with --db"
                    )
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError as exc:
        raise QuizError(_open_failure(engine, exc)) from None


def _open_failure(engine: Engine, exc: DatabaseError) -> str:
    where = _describe(engine)
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if "not a database" in message or "malformed" in message:
        return f"{where} is not a SQLite database; pass another file with --db"
    if isinstance(exc, OperationalError) and engine.dialect.name == "sqlite":
        return f"cannot open {where} ({message}); check that the folder exists and is writable"
    return f"cannot use the database {where} ({message}); check --db or QUIZ_DATABASE_URL"


def alembic_config(engine: Engine) -> "Config":
    """An Alembic configuration that runs our migrations on `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def _sqlite_file_with_content(engine: Engine) -> bool:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return False
    path = Path(database)
    return path.is_file() and path.stat().st_size > 0


def backup_sqlite(engine: Engine, now: datetime) -> Path | None:
    """Copy an existing SQLite file to a timestamped backup beside it."""
    if not _sqlite_file_with_content(engine):
        return None
    source = Path(str(engine.url.database))
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = source.with_name(f"{source.name}.backup-{stamp}")
    engine.dispose()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def upgrade(engine: Engine, now: datetime | None = None) -> Path | None:
    """Upgrade to head; back up an existing SQLite database first. Returns the backup path."""
    existing_file = _sqlite_file_with_content(engine)
    revision = current_revision(engine)
    if revision == SCHEMA_HEAD:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    if revision is not None and revision not in {r.revision for r in script.walk_revisions()}:
        raise QuizError(
            f"{_describe(engine)} was written by a newer quiz (schema {revision}); "
            "upgrade quiz with pip before opening it"
        )
    backup = None
    if existing_file:
        backup = backup_sqlite(engine, now or datetime.now(UTC))
    command.upgrade(config, "head")
    return backup
