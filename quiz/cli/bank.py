"""`quiz bank ...`: validate, import, export, schema, generate, grade."""

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.cli.common import now, open_db, print_json, require_profile
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.services.interop import Summary

EXPORT_FORMATS = ("apkg", "csv", "tsv", "gift")


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
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
    imp.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="bank files (YAML/JSON), or one file from another tool: .apkg (Anki), .csv, "
        ".tsv/.txt (Anki text, Quizlet), .gift (Moodle)",
    )
    imp.add_argument(
        "--format",
        choices=["apkg", "csv", "tsv", "gift"],
        help="the format (default: by extension)",
    )
    imp.add_argument("--deck", help="put the questions in this deck (a name like my-deck)")
    imp.add_argument(
        "--type",
        dest="default_type",
        choices=["flashcard", "short_answer"],
        default="flashcard",
        help="CSV/TSV: the question type of a row that does not say (default: flashcard)",
    )
    imp.add_argument(
        "--with-history",
        action="store_true",
        help="Anki: bring the review log in as this profile's answers and schedule from it",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    imp.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    imp.set_defaults(handler=_bank_import)
    export = bank_commands.add_parser("export", parents=[common], help="write every question")
    export.add_argument("--format", choices=["json", *EXPORT_FORMATS], default="json")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.add_argument("--include-retired", action="store_true")
    export.add_argument(
        "--deck", action="append", help="only this deck (by name; give it again for more)"
    )
    export.add_argument("--drill", help="only the questions of this drill (by title or id)")
    export.add_argument(
        "--dry-run", action="store_true", help="show what would be written, write nothing"
    )
    export.add_argument("--json", action="store_true", help="print the summary as one JSON object")
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
    grade = bank_commands.add_parser(
        "grade",
        parents=[common],
        help="grade an answer the way the app would (right or wrong, what it matched, why)",
    )
    grade.add_argument("question_id", metavar="QUESTION_ID", help="the question's bank id")
    grade.add_argument(
        "answers", nargs="+", metavar="ANSWER", help="the answer (a cloze: one per gap)"
    )
    grade.add_argument("--json", action="store_true", help="print one JSON object")
    grade.set_defaults(handler=_bank_grade)


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


def _foreign(args: argparse.Namespace) -> bool:
    """Whether the import is of another tool's file (not our YAML/JSON banks)."""
    from quiz.services.interop import IMPORT_FORMATS

    foreign = [p for p in args.paths if args.format or p.suffix.lower() in IMPORT_FORMATS]
    if foreign and len(args.paths) > 1:
        raise QuizError(
            f"{foreign[0]} is another tool's file: import it on its own (one file per command)"
        )
    return bool(foreign)


def _print_summary(summary: "Summary", as_json: bool) -> None:
    if as_json:
        print_json(summary.to_json())
    else:
        for line in summary.lines():
            print(line)


def _import_foreign(args: argparse.Namespace) -> int:
    from quiz.services.interop import ImportOptions, import_file

    database = open_db(args)
    try:
        profile_id = require_profile(args, database).id if args.with_history else None
        options = ImportOptions(args.deck, args.default_type, profile_id)
        summary = import_file(database, args.paths[0], now(), args.format, options, args.dry_run)
    finally:
        database.close()
    _print_summary(summary, args.json)
    return 0


def _bank_import(args: argparse.Namespace) -> int:
    from quiz.services.bank import import_banks, validate_paths

    if _foreign(args):
        return _import_foreign(args)
    for flag in ("deck", "with_history"):
        if getattr(args, flag):
            raise QuizError(
                f"--{flag.replace('_', '-')} is for files from other tools (.apkg, .csv, .tsv, "
                ".gift); a bank file names its own deck"
            )
    result = validate_paths(args.paths)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s) found; nothing was imported", file=sys.stderr)
        return 1
    database = open_db(args)
    try:
        report = import_banks(database, args.paths, now(), dry_run=args.dry_run)
    finally:
        database.close()
    if args.json:
        print_json(
            {
                "action": "import",
                "format": "yaml",
                "dry_run": args.dry_run,
                "decks": [vars(deck) for deck in report.decks],
                "skipped": [],
            }
        )
        return 0
    for deck in report.decks:
        print(deck)
    if not report.changed:
        print("nothing changed")
    elif args.dry_run:
        print("dry run: nothing was written")
    return 0


def _export_foreign(args: argparse.Namespace) -> int:
    from quiz.services.interop import drill_question_ids, export_file

    if args.output is None:
        raise QuizError(f"--format {args.format} writes a file: pass -o FILE")
    database = open_db(args)
    try:
        ids = drill_question_ids(database, args.drill) if args.drill else None
        summary = export_file(database, args.output, args.format, args.deck, ids, args.dry_run)
    finally:
        database.close()
    _print_summary(summary, args.json)
    return 0


def _bank_export(args: argparse.Namespace) -> int:
    from quiz.services.bank import export_questions

    if args.format != "json":
        return _export_foreign(args)
    if args.deck or args.drill or args.dry_run or args.json:
        raise QuizError(
            "--deck, --drill, --dry-run and --json go with --format apkg, csv, tsv or gift"
        )
    database = open_db(args)
    try:
        questions = export_questions(database, include_retired=args.include_retired)
    finally:
        database.close()
    text = json.dumps(questions, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise QuizError(
                f"cannot write {args.output} ({error.strerror}); pass -o a file in a folder "
                "that exists and is writable"
            ) from None
        print(f"wrote {len(questions)} questions to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _bank_schema(args: argparse.Namespace) -> int:
    from quiz.services.bank import bank_json_schema

    print(json.dumps(bank_json_schema(), indent=2))
    return 0


def _bank_generate(args: argparse.Namespace) -> int:
    from quiz.services.generate import generate_bank

    report = generate_bank(args.material, args.output, args.max_drafts, overwrite=args.force)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items()))
    print(f"wrote {report.total} drafts ({kinds}) for deck {report.deck} to {report.path}")
    print(f"next: edit {report.path}, then: quiz bank validate {report.path}")
    return 0


def _bank_grade(args: argparse.Namespace) -> int:
    from quiz.services.bank import grade_sample

    database = open_db(args)
    try:
        graded = grade_sample(database, args.question_id, list(args.answers))
    finally:
        database.close()
    if args.json:
        print(json.dumps(graded.to_json(), ensure_ascii=False))
        return 0
    print("right" if graded.correct else "wrong")
    if isinstance(graded.matched, list):
        print("matched: " + " | ".join(m if m is not None else "-" for m in graded.matched))
    elif graded.matched is not None:
        print(f"matched: {graded.matched}")
    print(f"why: {graded.reason}")
    return 0
