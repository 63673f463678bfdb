"""What every command needs: the clock, the database, the profile, JSON output."""

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quiz.services.database import Database
    from quiz.services.profiles import ProfileInfo


def now() -> datetime:
    return datetime.now(UTC)


def database_url(args: argparse.Namespace) -> str:
    """--db if given, else QUIZ_DATABASE_URL, else the default file (its folder created)."""
    from quiz.settings import database_url_from, default_database_url, read_settings

    if getattr(args, "db", None):
        return database_url_from(args.db)
    url = read_settings().resolved_database_url()
    if url == default_database_url():
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


def open_db(
    args: argparse.Namespace, import_builtin: bool = True, announce_backup: bool = True
) -> "Database":
    """Open (and if needed upgrade) the database named by the arguments; say where the
    backup taken before an upgrade is (unless not `announce_backup`: the caller does)."""
    from quiz.services.database import open_database
    from quiz.settings import read_settings

    wanted = import_builtin and read_settings().import_builtin_bank  # a bad value opens nothing
    database = open_database(database_url(args), now(), wanted)
    if announce_backup and database.backup is not None:
        print(f"backed up the database to {database.backup} before upgrading it", file=sys.stderr)
    return database


def profile_name(args: argparse.Namespace) -> str | None:
    """--profile if given, else QUIZ_PROFILE."""
    from quiz.settings import read_settings

    return getattr(args, "profile", None) or read_settings().profile


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
