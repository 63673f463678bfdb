"""The `quiz` command line: parses arguments, calls services, prints results.

With no subcommand it opens the Textual app. Errors meant for a person are printed as one
sentence on stderr with exit code 1 (2 for usage errors), never as a traceback. Each
command group lives in its own module with a `register(commands, common)` function.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, NoReturn

from quiz import __version__
from quiz.cli.common import open_db, profile_name
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.services.database import Database

Handler = Callable[[argparse.Namespace], int]
# The command groups, each a module of quiz.cli, imported when the full parser is built.
COMMAND_GROUPS = ("db", "bank", "study", "history", "profile", "drill", "serve", "schedule")


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help="database: a SQLite file path or a SQLAlchemy URL (default: $QUIZ_DATABASE_URL "
        "or quiz.db in your user data folder)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=default,
        help="learner profile to use; created if it does not exist",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; global options are accepted before or after a subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    parser = argparse.ArgumentParser(
        prog="quiz", description="Study a question bank in the terminal with spaced repetition."
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    _app_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        import_module(f"quiz.cli.{group}").register(commands, common)
    return parser


def _app_options(parser: argparse.ArgumentParser) -> None:
    """The options of the app itself (no command), after which it starts."""
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    # A tab of `quiz serve`: always ask who is studying (never the last profile used).
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    _global_options(parser, suppress=False)


class _NotTheAppAlone(Exception):
    """The arguments name a command, ask for help, or are wrong: the full parser says."""


class _AppParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotTheAppAlone(message)


def app_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments when they only start the app (global options, no command, no --help
    or --version), read without building every command's parser and importing its module
    (the first frame comes sooner); None for anything else, which the full parser reads."""
    parser = _AppParser(prog="quiz", add_help=False)
    _app_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except _NotTheAppAlone:
        return None
    if rest:
        return None
    args.command = None
    return args


def _run_tui(args: argparse.Namespace) -> int:
    """The app paints its first frame before the settings are read and the database is
    opened (in a worker, by `opener`); an error opening it ends the app and is printed."""
    from quiz.tui.app import make_opening_app
    from quiz.tui.keymap import load_keymap

    def opener() -> "tuple[Database, str | None]":
        name = None if args.served else profile_name(args)
        return open_db(args, announce_backup=False), name

    keymap, problem = load_keymap()
    app = make_opening_app(
        opener,
        profile_name=None if args.served else getattr(args, "profile", None),
        keymap=keymap,
        keymap_problem=problem,
        ask_profile=args.served,
    )
    if args.exit_when_ready:  # for the start-up benchmark
        app.context.exit_when_ready = True
    try:
        app.run(headless=args.exit_when_ready)
    finally:
        if app.context.opened is not None:
            app.context.opened.close()
    if app.context.opened is not None and app.context.opened.backup is not None:
        print(
            f"backed up the database to {app.context.opened.backup} before upgrading it",
            file=sys.stderr,
        )
    if args.exit_when_ready:
        print(f"first_paint_at {app.context.first_paint_at}")
        print(f"ready_at {app.context.ready_at}")
    if app.startup_error is not None:
        raise app.startup_error
    if app.return_code:  # Textual printed what crashed; the exit code must say so too
        print(
            "quiz stopped on an error; your answers up to the last one are saved. Start it "
            "again, and please report the error shown above",
            file=sys.stderr,
        )
        return app.return_code
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `quiz` script and `python -m quiz`."""
    args = app_arguments(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    handler: Handler = getattr(args, "handler", _run_tui)
    try:
        return handler(args)
    except QuizError as error:
        print(f"quiz: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`quiz ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
