"""Bring a database to the schema this code expects.

Alembic owns the schema. It is imported only when the database is not at head already,
so an ordinary start costs one small query. An upgrade is one transaction (migrations/env.py):
a process killed part-way leaves the database as it was, and the next start tries again,
reusing the backup the failed try made instead of writing another one.
"""

import json
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
SCHEMA_HEAD = "0015_card_decks"


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
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision is None and len(inspect(connection).get_table_names()) > 1:
                raise QuizError(
                    f"{_describe(engine)} holds quiz tables but no schema revision; "
                    + restore_advice(engine)
                )
            return revision
    except DatabaseError as exc:
        raise QuizError(_open_failure(engine, exc)) from None


def _open_failure(engine: Engine, exc: DatabaseError) -> str:
    where = _describe(engine)
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if "not a database" in message or "malformed" in message:
        backups = backups_of(Path(where)) if engine.dialect.name == "sqlite" else []
        if backups:
            return f"{where} is not a SQLite database or is damaged; " + restore_advice(engine)
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


def backups_of(database: Path) -> list[Path]:
    """The complete backups beside a SQLite file, newest first."""
    found = [
        path
        for path in database.parent.glob(f"{glob_escape(database.name)}.backup-*")
        if path.is_file() and PARTIAL not in path.name
    ]
    return sorted(found, key=lambda path: path.name, reverse=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def restore_advice(engine: Engine) -> str:
    """What to do about a damaged database: restore the newest backup, if there is one."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return "restore your last pg_dump with pg_restore"
    backups = backups_of(Path(engine.url.database))
    if backups:
        return f"restore the newest backup with: quiz db restore {backups[0]}"
    return "there is no backup beside it; use a copy of your own or pass another file with --db"


PARTIAL = ".partial"


def _pending_marker(source: Path) -> Path:
    return source.with_name(f"{source.name}.upgrade-pending")


def _fingerprint(engine: Engine, revision: str | None) -> list[object]:
    """Enough to tell that no answer was added since a failed upgrade's backup."""
    with engine.connect() as connection:
        count, last = connection.execute(text("SELECT count(*), max(id) FROM answers")).one()
    return [revision, count, last]


def _reusable_backup(source: Path, fingerprint: list[object]) -> Path | None:
    """The backup a failed upgrade of this unchanged database already made, if any."""
    marker = _pending_marker(source)
    try:
        pending = json.loads(marker.read_text())
        backup = source.with_name(str(pending["backup"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pending.get("fingerprint") == fingerprint and backup.is_file():
        return backup
    return None


def backup_sqlite(engine: Engine, now: datetime, target: Path | None = None) -> Path | None:
    """Copy an existing SQLite file to a backup (by default timestamped, beside it).

    The copy is written under a temporary name and renamed when complete: a full disk or a
    killed process never leaves something that looks like a backup but is not one.
    """
    if not _sqlite_file_with_content(engine):
        return None
    source = Path(str(engine.url.database))
    if target is None:
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = source.with_name(f"{source.name}.backup-{stamp}")
    partial = target.with_name(target.name + PARTIAL)
    for stale in source.parent.glob(f"{glob_escape(source.name)}.backup-*{PARTIAL}*"):
        stale.unlink(missing_ok=True)  # left by a try killed while copying
    engine.dispose()
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        partial.replace(target)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise QuizError(
            f"could not back up {source} to {target} ({error}); free some disk space "
            "or make the folder writable, then try again"
        ) from None
    return target


def upgrade(engine: Engine, now: datetime | None = None) -> Path | None:
    """Upgrade to head; back up an existing SQLite database first. Returns the backup path."""
    revision = current_revision(engine)
    # A file without our schema (new, or left empty by a killed first creation) has
    # nothing to keep: only a database with a revision is backed up.
    existing_file = revision is not None and _sqlite_file_with_content(engine)
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
    marker = None
    if existing_file:
        source = Path(str(engine.url.database))
        fingerprint = _fingerprint(engine, revision)
        backup = _reusable_backup(source, fingerprint)
        if backup is None:
            backup = backup_sqlite(engine, now or datetime.now(UTC))
            assert backup is not None
        marker = _pending_marker(source)
        _write_marker(marker, backup, fingerprint)
    command.upgrade(config, "head")
    if marker is not None:
        marker.unlink(missing_ok=True)
    return backup


def _write_marker(marker: Path, backup: Path, fingerprint: list[object]) -> None:
    try:
        marker.write_text(json.dumps({"backup": backup.name, "fingerprint": fingerprint}))
    except OSError:
        marker.unlink(missing_ok=True)  # without it a retry makes one more backup
