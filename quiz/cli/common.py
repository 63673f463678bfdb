"""What every command needs: the clock, the database, the profile, JSON output."""

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.services.database import Database
    from quiz.services.profiles import ProfileInfo
    from quiz.settings import Settings


def now() -> datetime:
    return datetime.now(UTC)


def database_url(args: argparse.Namespace) -> str:
    """--db if given, else QUIZ_DATABASE_URL, else the default file (its folder created)."""
    from quiz.environment import database_url_from, default_database_url

    if getattr(args, "db", None):
        return database_url_from(args.db)
    settings = _settings()
    url = default_database_url() if settings is None else settings.resolved_database_url()
    if url == default_database_url():
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def open_db(
    args: argparse.Namespace, import_builtin: bool = True, announce_backup: bool = True
) -> "Database":
    """Open (and if needed upgrade) the database named by the arguments; say where the
    backup taken before an upgrade is (unless not `announce_backup`: the caller does)."""
    from quiz.services.database import open_database

    settings = _settings()  # a bad value opens nothing
    wanted: bool | Callable[[], bool] = import_builtin and (
        _import_builtin_bank if settings is None else settings.import_builtin_bank
    )
    database = open_database(database_url(args), now(), wanted)
    if announce_backup and database.backup is not None:
        print(f"backed up the database to {database.backup} before upgrading it", file=sys.stderr)
    return database


def profile_name(args: argparse.Namespace) -> str | None:
    """--profile if given, else QUIZ_PROFILE."""
    named: str | None = getattr(args, "profile", None)
    if named:
        return named
    settings = _settings()
    return None if settings is None else settings.profile


def _settings() -> "Settings | None":
    """The settings of this run, or None when no `QUIZ_*` variable is set: then each one has
    its default, and pydantic-settings is not imported (a start sooner by about 200 ms)."""
    from quiz.environment import settings_in_environment

    if not settings_in_environment():
        return None
    from quiz.settings import read_settings

    return read_settings()


def _import_builtin_bank() -> bool:
    """The setting's default (no `QUIZ_*` variable is set), read when it is wanted: the
    first time a database is opened."""
    from quiz.settings import read_settings

    return read_settings().import_builtin_bank


def require_profile(args: argparse.Namespace, database: "Database") -> "ProfileInfo":
    """The profile named by --profile (created if missing), or the last one used."""
    from quiz.errors import QuizError
    from quiz.services.cards import sync_cards
    from quiz.services.profiles import get_or_create_profile, last_profile

    name = profile_name(args) or last_profile(database)
    if name is None:
        raise QuizError("no profile yet; pass --profile NAME (it is created if missing)")
    profile = get_or_create_profile(database, name, now())
    sync_cards(database, profile.id)
    return profile


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
