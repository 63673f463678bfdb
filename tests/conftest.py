"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when configured)."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from quiz.services.database import Database, open_database

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)

# Every snapshot of a screen is taken at a default terminal's size and at a roomy one.
SCREEN_SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
POSTGRES_URL = os.environ.get("QUIZ_TEST_POSTGRES_URL")
MINI_BANK = Path(__file__).parent / "data" / "mini.yaml"


def reset_postgres(url: str) -> None:
    """Drop everything in the test database's public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, created on the configured server."""
    if not POSTGRES_URL:
        pytest.skip("set QUIZ_TEST_POSTGRES_URL to run against PostgreSQL")
    server = make_url(POSTGRES_URL)
    name = f"quiz_test_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or this run's PostgreSQL database (reset)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'quiz.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'quiz.db'}"


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An open database at head with the built-in bank imported."""
    db = open_database(db_url, NOW)
    yield db
    db.close()


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    """An open SQLite database at head with the built-in bank imported."""
    db = open_database(sqlite_url, NOW)
    yield db
    db.close()


@pytest.fixture
def mini_database(sqlite_url: str) -> Iterator[Database]:
    """A SQLite database holding only the small test deck (stable for snapshots)."""
    from quiz.services.bank import import_banks

    db = open_database(sqlite_url, NOW, import_builtin=False)
    import_banks(db, [MINI_BANK], NOW)
    yield db
    db.close()
