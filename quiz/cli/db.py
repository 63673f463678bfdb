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
    from quiz.store.migrate import SCHEMA_HEAD

    open_db(args, import_builtin=False).close()
    print(f"database is at schema {SCHEMA_HEAD} (head)")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    from quiz.store.engine import make_engine
    from quiz.store.migrate import SCHEMA_HEAD, current_revision

    engine = make_engine(database_url(args))
    revision = current_revision(engine)
    engine.dispose()
    if revision is None:
        print("empty database (no schema yet); `quiz db upgrade` creates it")
    else:
        print(f"{revision}{' (head)' if revision == SCHEMA_HEAD else ''}")
    return 0
