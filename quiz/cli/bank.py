"""`quiz bank ...`: validate, import, export, schema, generate, grade."""

import argparse
import json
import sys
from pathlib import Path

from quiz.cli.common import now, open_db
from quiz.errors import QuizError


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


def _bank_import(args: argparse.Namespace) -> int:
    from quiz.services.bank import import_banks, validate_paths

    result = validate_paths(args.paths)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{len(result.problems)} problem(s) found; nothing was imported", file=sys.stderr)
        return 1
    database = open_db(args)
    try:
        report = import_banks(database, args.paths, now())
    finally:
        database.close()
    for deck in report.decks:
        print(deck)
    if not report.changed:
        print("nothing changed")
    return 0


def _bank_export(args: argparse.Namespace) -> int:
    from quiz.services.bank import export_questions

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
