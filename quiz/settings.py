"""Application settings: defaults, overridden by `QUIZ_*` environment variables and CLI flags.

Read with the standard library only: the settings are read on the way to home's first
counts, where importing pydantic-settings (and pydantic) cost more than the rest of
opening the database (issue 13). Variable names are matched without regard to case."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path

from quiz.errors import QuizError

PREFIX = "QUIZ_"
TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


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


def environment_value(name: str, environment: Mapping[str, str] | None = None) -> str | None:
    """`QUIZ_<name>` from the environment (any case), or None when unset or empty."""
    environment = os.environ if environment is None else environment
    wanted = (PREFIX + name).upper()
    for key, value in environment.items():
        if key.upper() == wanted and value.strip():
            return value.strip()
    return None


def environment_flag(
    name: str, default: bool, environment: Mapping[str, str] | None = None
) -> bool:
    """A yes/no setting (1/0, true/false, yes/no, on/off); anything else is an error."""
    value = environment_value(name, environment)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise QuizError(
        f"{PREFIX}{name} is {value!r}, which is neither yes nor no; set it to true or false "
        "(or unset it)"
    )


@dataclass(frozen=True)
class Settings:
    """Settings for one run of quiz. Environment variables use the prefix `QUIZ_`:
    QUIZ_DATABASE_URL, QUIZ_PROFILE, QUIZ_IMPORT_BUILTIN_BANK."""

    # SQLAlchemy URL of the database, or a path to a SQLite file.
    database_url: str = field(
        default_factory=lambda: environment_value("DATABASE_URL") or default_database_url()
    )
    # Learner profile to study as (created if missing).
    profile: str | None = field(default_factory=lambda: environment_value("PROFILE"))
    # Import the built-in question bank the first time a database is opened.
    import_builtin_bank: bool = field(
        default_factory=lambda: environment_flag("IMPORT_BUILTIN_BANK", True)
    )

    def resolved_database_url(self) -> str:
        """The database URL with a bare path turned into a SQLite URL."""
        return database_url_from(self.database_url)
