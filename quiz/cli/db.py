"""`quiz db ...`: the schema revision and upgrades."""

import argparse

from quiz.cli.common import database_url, open_db


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
