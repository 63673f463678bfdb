"""The light part of the settings: where the database is, and whether any `QUIZ_*` variable
is set. Standard library and platformdirs only: start-up reads what it can here and imports
pydantic-settings (quiz.settings, about 200 ms) only when there is something to read."""

import os
from pathlib import Path

from platformdirs import user_data_path

ENV_PREFIX = "QUIZ_"  # of every setting's environment variable (any case)


def settings_in_environment() -> bool:
    """Whether a `QUIZ_*` variable is set; if none is, every setting has its default."""
    return any(name.upper().startswith(ENV_PREFIX) for name in os.environ)


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    return sqlite_url(user_data_path("quiz", appauthor=False) / "quiz.db")


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.expanduser().resolve()}"


def database_url_from(value: str) -> str:
    """Accept a SQLAlchemy URL or a bare path (meaning a SQLite file)."""
    if "://" in value:
        return value
    return sqlite_url(Path(value))
