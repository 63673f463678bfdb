"""The `quiz` command line: parses arguments, calls services, prints results.

With no subcommand it opens the Textual app. Errors meant for a person are printed as one
sentence on stderr with exit code 1 (2 for usage errors), never as a traceback.
"""

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quiz import __version__
from quiz.errors import QuizError

Handler = Callable[[argparse.Namespace], int]


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
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = commands.add_parser("db", parents=[common], help="database schema")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", parents=[common], help="upgrade the schema to this version (backs up first)"
    ).set_defaults(handler=_db_upgrade)
    db_commands.add_parser(
        "current", parents=[common], help="print the schema revision"
    ).set_defaults(handler=_db_current)

    bank = commands.add_parser("bank", parents=[common], help="question banks")
    bank_commands = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
    validate = bank_commands.add_parser(
        "validate", parents=[common], help="check bank files and report every problem"
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="bank files (default: the built-in bank)",
    )
    validate.set_defaults(handler=_bank_validate)
    imp = bank_commands.add_parser(
        "import", parents=[common], help="validate, then import bank files in one transaction"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.set_defaults(handler=_bank_import)
    export = bank_commands.add_parser("export", parents=[common], help="write every question")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.add_argument("--include-retired", action="store_true")
    export.set_defaults(handler=_bank_export)
    bank_commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of bank files"
    ).set_defaults(handler=_bank_schema)
    generate = bank_commands.add_parser(
        "generate",
        parents=[common],
        help="draft questions from a plain-text material file (offline, for a teacher to edit)",
    )
    generate.add_argument(
        "material", type=Path, metavar="MATERIAL", help="plain-text material file (UTF-8)"
    )
    generate.add_argument(
        "-o", "--output", type=Path, required=True, help="bank file to write, e.g. draft.yaml"
    )
    generate.add_argument(
        "--max",
        type=int,
        default=60,
        metavar="N",
        dest="max_drafts",
        help="at most N drafts (default: 60)",
    )
    generate.add_argument(
        "--force", action="store_true", help="replace the output file if it exists"
    )
    generate.set_defaults(handler=_bank_generate)
    return parser


def _now() -> datetime:
    return datetime.now(UTC)


def _database_url(args: argparse.Namespace) -> str:
    from quiz.settings import Settings, database_url_from

    if args.db:
        return database_url_from(args.db)
    url = Settings().resolved_database_url()
    _ensure_default_folder(url)
    return url


def _ensure_default_folder(url: str) -> None:
    from quiz.settings import default_database_url

    if url == default_database_url():
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def _open(args: argparse.Namespace, import_builtin: bool = True) -> Any:
    from quiz.services.database import open_database
    from quiz.settings import Settings

    url = _database_url(args)
    database = open_database(url, _now(), import_builtin and Settings().import_builtin_bank)
    if database.backup is not None:
        print(f"backed up the database to {database.backup} before upgrading it", file=sys.stderr)
    return database


def _db_upgrade(args: argparse.Namespace) -> int:
    from quiz.store.migrate import SCHEMA_HEAD

    _open(args, import_builtin=False).close()
    print(f"database is at schema {SCHEMA_HEAD} (head)")
    return 0


def _db_current(args: argparse.Namespace) -> int:
    from quiz.store.engine import make_engine
    from quiz.store.migrate import SCHEMA_HEAD, current_revision

    engine = make_engine(_database_url(args))
    revision = current_revision(engine)
    engine.dispose()
    if revision is None:
        print("empty database (no schema yet); `quiz db upgrade` creates it")
    else:
        print(f"{revision}{' (head)' if revision == SCHEMA_HEAD else ''}")
    return 0


def _bank_validate(args: argparse.Namespace) -> int:
    from quiz.resources import builtin_bank_files
    from quiz.services.bank import validate_paths

    paths = args.paths or builtin_bank_files()
    result = validate_paths(paths)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.ok:
        print(f"{len(result.problems)} problem(s) found; fix them and run again", file=sys.stderr)
        return 1
    count = sum(len(b.bank.questions) for b in result.banks)
    print(f"{len(result.banks)} file(s), {count} questions: all valid")
    return 0


def _bank_import(args: argparse.Namespace) -> int:
    from quiz.services.bank import import_banks, validate_paths

    result = validate_paths(args.paths)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s) found; nothing was imported", file=sys.stderr)
        return 1
    database = _open(args)
    try:
        report = import_banks(database, args.paths, _now())
    finally:
        database.close()
    for deck in report.decks:
        print(deck)
    if not report.changed:
        print("nothing changed")
    return 0


def _bank_export(args: argparse.Namespace) -> int:
    from quiz.services.bank import export_questions

    database = _open(args)
    try:
        questions = export_questions(database, include_retired=args.include_retired)
    finally:
        database.close()
    text = json.dumps(questions, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(questions)} questions to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _bank_schema(args: argparse.Namespace) -> int:
    from quiz.bank.schema import bank_json_schema

    print(json.dumps(bank_json_schema(), indent=2))
    return 0


def _bank_generate(args: argparse.Namespace) -> int:
    from quiz.services.generate import generate_bank

    report = generate_bank(args.material, args.output, args.max_drafts, overwrite=args.force)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items()))
    print(f"wrote {report.total} drafts ({kinds}) for deck {report.deck} to {report.path}")
    print(f"next: edit {report.path}, then: quiz bank validate {report.path}")
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    database = _open(args)
    from quiz.tui.app import make_app

    try:
        make_app(database).run()
    finally:
        database.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `quiz` script and `python -m quiz`."""
    args = build_parser().parse_args(argv)
    handler: Handler = getattr(args, "handler", _run_tui)
    try:
        return handler(args)
    except QuizError as error:
        print(f"quiz: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
