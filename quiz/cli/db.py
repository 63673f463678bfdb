"""`quiz db ...`: the schema revision and upgrades; backup, check and restore."""

import argparse
from pathlib import Path

from quiz.cli.common import database_url, now, open_db
from quiz.errors import QuizError


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
    db = commands.add_parser("db", parents=[common], help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", parents=[common], help="upgrade the schema to this version (backs up first)"
    ).set_defaults(handler=_db_upgrade)
    db_commands.add_parser(
        "current", parents=[common], help="print the schema revision"
    ).set_defaults(handler=_db_current)
    backup = db_commands.add_parser(
        "backup", parents=[common], help="copy the database safely, even while quiz runs"
    )
    backup.add_argument(
        "path", nargs="?", type=Path, metavar="PATH", help="file or folder (default: beside it)"
    )
    backup.set_defaults(handler=_db_backup)
    restore = db_commands.add_parser(
        "restore", parents=[common], help="check a backup, then put it in the database's place"
    )
    restore.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file")
    restore.set_defaults(handler=_db_restore)
    db_commands.add_parser(
        "check", parents=[common], help="check the database file for damage"
    ).set_defaults(handler=_db_check)


def _db_backup(args: argparse.Namespace) -> int:
    from quiz.services.database import backup_database

    print(f"backed up the database to {backup_database(database_url(args), now(), args.path)}")
    return 0


def _db_restore(args: argparse.Namespace) -> int:
    from quiz.services.database import restore_database

    kept = restore_database(database_url(args), args.backup, now())
    print(f"restored {args.backup}; the file it replaced is kept as {kept}")
    return 0


def _db_check(args: argparse.Namespace) -> int:
    from quiz.services.database import check_database, newest_backup

    url = database_url(args)
    problems = check_database(url)
    if not problems:
        print("the database is sound")
        return 0
    backup = newest_backup(url)
    advice = (
        f"restore the newest backup with: quiz db restore {backup}"
        if backup
        else "there is no backup beside it; restore a copy of your own"
    )
    raise QuizError(f"the database is damaged ({problems[0]}); {advice}")


def _db_upgrade(args: argparse.Namespace) -> int:
    from quiz.services.database import schema_revision

    open_db(args, import_builtin=False).close()
    print(f"database is at schema {schema_revision(database_url(args))[1]} (head)")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    from quiz.services.database import schema_revision

    revision, head = schema_revision(database_url(args))
    if revision is None:
        print("empty database (no schema yet); `quiz db upgrade` creates it")
    else:
        print(f"{revision}{' (head)' if revision == head else ''}")
    return 0
