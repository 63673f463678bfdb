"""Opening a database: migrate to head, import the built-in bank the first time."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from quiz.store.engine import make_engine, make_sessionmaker
from quiz.store.migrate import SCHEMA_HEAD, current_revision, upgrade
from quiz.store.models import AppState

BUILTIN_BANK_KEY = "builtin_bank_imported"


@dataclass
class Database:
    """An open database: its engine and the one session factory."""

    engine: Engine
    sessions: sessionmaker[Session]
    backup: Path | None = None

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str, now: datetime, import_builtin: bool = True) -> Database:
    """Open `url`, upgrading its schema (after a backup) and importing the built-in bank once."""
    engine = make_engine(url)
    backup = upgrade(engine, now)
    database = Database(engine, make_sessionmaker(engine), backup)
    if import_builtin:
        ensure_builtin_bank(database, now)
    return database


def ensure_builtin_bank(database: Database, now: datetime) -> bool:
    """Import the built-in banks the first time this database is opened. True if it did."""
    with database.sessions() as session:
        if session.get(AppState, BUILTIN_BANK_KEY) is not None:
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
