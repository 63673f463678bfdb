"""`quiz serve`: the app in the browser, one app process per tab on the shared database."""

import argparse
import os

from quiz.cli.common import database_url, open_db

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="serve the app to browsers (each tab its own app; students choose their profile)",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, this machine only; "
        "0.0.0.0 lets the class in)",
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    from quiz.web import serve

    url = database_url(args)
    open_db(args).close()  # migrated and the bank imported once, before any tab opens it
    os.environ["QUIZ_DATABASE_URL"] = url  # for the tabs' processes, never on their command line
    serve(args.host, args.port)
    return 0
