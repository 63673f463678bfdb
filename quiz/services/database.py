"""Opening a database: migrate to head, import the built-in bank the first time; back up,
check and restore a SQLite database file."""

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from quiz.errors import QuizError
from quiz.store.engine import make_engine, make_sessionmaker
from quiz.store.kept import KeptConnection
from quiz.store.migrate import SCHEMA_HEAD, backup_sqlite, backups_of, current_revision, upgrade
from quiz.store.models import AppState

BUILTIN_BANK_KEY = "builtin_bank_imported"


@dataclass
class Database:
    """An open database: its engine, the one session factory, and the connection the
    answer path keeps (quiz.store.kept)."""

    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None
    answering: KeptConnection = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.answering = KeptConnection(self.engine)

    def close(self) -> None:
        self.answering.close()
        self.engine.dispose()


def open_database(
    url: str, now: datetime, import_builtin: bool | Callable[[], bool] = True
) -> Database:
    """Open `url`, upgrading its schema (after a backup) and importing the built-in bank once
    (`import_builtin` may be a function, called only when the bank is not imported yet)."""
    engine = make_engine(url)
    backup = upgrade(engine, now)
    database = Database(engine, make_sessionmaker(engine), backup)
    if import_builtin:
        ensure_builtin_bank(database, now, import_builtin)
    return database


def ensure_builtin_bank(
    database: Database, now: datetime, wanted: bool | Callable[[], bool] = True
) -> bool:
    """Import the built-in banks the first time this database is opened (if `wanted`, or
    what it returns). True if it did."""
    with database.sessions() as session:
        if session.get(AppState, BUILTIN_BANK_KEY) is not None:
            return False
    if callable(wanted) and not wanted():
        return False
    from quiz.resources import builtin_bank_files
    from quiz.services.bank import import_banks

    import_banks(database, builtin_bank_files(), now, mark_builtin=True)
    return True


def schema_revision(url: str) -> tuple[str | None, str]:
    """The database's schema revision (None when it has no schema yet) and this code's."""
    engine = make_engine(url)
    try:
        return current_revision(engine), SCHEMA_HEAD
    finally:
        engine.dispose()


PG_DUMP_ADVICE = (
    "this is a PostgreSQL database: back it up with pg_dump (e.g. pg_dump -Fc -f quiz.dump "
    "DBNAME) and restore it with pg_restore"
)


def sqlite_file(url: str) -> Path:
    engine = make_engine(url)
    try:
        if engine.dialect.name != "sqlite" or not engine.url.database:
            raise QuizError(PG_DUMP_ADVICE)
        return Path(engine.url.database)
    finally:
        engine.dispose()


def newest_backup(url: str) -> Path | None:
    """The newest automatic or `quiz db backup` copy beside a SQLite file, if any."""
    backups = backups_of(sqlite_file(url))
    return backups[0] if backups else None


def check_file(path: Path) -> list[str]:
    """What is wrong with a SQLite quiz database file (empty when nothing is)."""
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            problems = [] if problems == ["ok"] else problems
            broken = connection.execute("PRAGMA foreign_key_check").fetchall()
            problems += [f"a row of {row[0]} points at a missing {row[2]}" for row in broken]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                problems.append("it has no schema revision (not a quiz database)")
            else:
                revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if revision is None:
                    problems.append("its schema revision is missing")
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        return [f"it cannot be read as a SQLite database ({error})"]
    return problems[:20]


def check_database(url: str) -> list[str]:
    """`quiz db check`: the integrity problems of the database (empty when it is sound)."""
    return check_file(sqlite_file(url))


def backup_database(url: str, now: datetime, target: Path | None = None) -> Path:
    """`quiz db backup`: a consistent copy, taken with SQLite's online backup API."""
    path = sqlite_file(url)
    if not path.is_file():
        raise QuizError(f"{path} does not exist; check --db")
    if target is not None and target.is_dir():
        target = target / f"{path.name}.backup-{now.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    if target is not None and target.exists():
        raise QuizError(f"{target} exists already; choose another name for the backup")
    engine = make_engine(f"sqlite:///{path}")
    try:
        current_revision(engine)  # a quiz database, and readable
        made = backup_sqlite(engine, now, target)
    finally:
        engine.dispose()
    assert made is not None
    return made


def restore_database(url: str, backup: Path, now: datetime) -> Path:
    """`quiz db restore`: check `backup`, set the current file aside, put the backup in its
    place. Returns where the replaced file was kept."""
    path = sqlite_file(url)
    problems = check_file(backup)
    if problems:
        raise QuizError(
            f"{backup} is not a sound quiz backup ({problems[0]}); choose another backup"
        )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.replaced-{stamp}")
    partial = path.with_name(f"{path.name}.restoring")
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        if path.exists():
            path.replace(kept)
        # The old file's write-ahead log must not be applied to the restored file.
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
        partial.replace(path)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        raise QuizError(
            f"could not restore {backup} to {path} ({error}); free some disk space or make "
            "the folder writable, then try again"
        ) from None
    return kept
