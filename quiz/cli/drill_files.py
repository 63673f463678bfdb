"""`quiz drill export | import | results`: drills and results as signed files, for a class
without a server (see quiz.services.drills.drill_files and result_files)."""

import argparse
import re
from pathlib import Path

from quiz.cli.common import now, open_db, require_profile
from quiz.cli.profile import add_pin_option, unlock
from quiz.errors import QuizError


def register(
    actions: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
    export = actions.add_parser(
        "export",
        parents=[common],
        help="write a drill as a signed file for a student (teacher: --profile NAME, PIN)",
    )
    export.add_argument("drill", metavar="DRILL", help="the drill's title or id")
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="PATH",
        help="the file (with several --student: a folder, one file each)",
    )  # fmt: skip
    export.add_argument(
        "--student",
        action="append",
        required=True,
        metavar="NAME",
        help="the student (a profile here) the file is for; repeat for several",
    )
    add_pin_option(export)
    export.set_defaults(handler=_export)
    imports = actions.add_parser(
        "import", parents=[common], help="add a drill from your teacher's drill file"
    )
    imports.add_argument("path", type=Path, metavar="FILE")
    imports.set_defaults(handler=_import)
    results = actions.add_parser(
        "results",
        parents=[common],
        help="results as files: --export (student) or --import FILE... (teacher)",
    )
    way = results.add_mutually_exclusive_group(required=True)
    way.add_argument(
        "--export", action="store_true", help="write your finished attempts (with -o FILE)"
    )
    way.add_argument(
        "--import", dest="imports", nargs="+", type=Path, metavar="FILE",
        help="import students' results files into the report (teacher, PIN)",
    )  # fmt: skip
    results.add_argument("-o", "--output", type=Path, metavar="FILE", help="with --export")
    results.add_argument("--drill", metavar="DRILL", help="with --export: which drill from a file")
    results.add_argument(
        "--attempt", type=int, metavar="N", help="with --export: attempt N (again)"
    )
    add_pin_option(results)
    results.set_defaults(handler=_results)


def _file_name(title: str, student: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", f"{title} {student}".casefold()).strip("-")
    return f"{stem or 'drill'}.quizdrill"


def _export(args: argparse.Namespace) -> int:
    from quiz.services.drills import find_drill
    from quiz.services.drills.drill_files import (
        drill_file_text,
        export_drill_file,
        write_text_file,
    )

    students: list[str] = args.student
    if len(students) != len(set(students)):
        raise QuizError("a student is named twice; name each once")
    folder = len(students) > 1
    if folder:
        args.output.mkdir(parents=True, exist_ok=True)
    database = open_db(args)
    try:
        teacher = unlock(args, database)
        info = find_drill(database, args.drill)
        moment = now()
        files = [
            (name, export_drill_file(database, teacher, info.id, name, moment)) for name in students
        ]
    finally:
        database.close()
    for name, file in files:
        path = args.output / _file_name(info.title, name) if folder else args.output
        write_text_file(path, drill_file_text(file))
        sealed = " (no answer key: you grade it when you import the results)"
        print(f"wrote {info.title!r} for {name} to {path}{sealed if file.drill.sealed else ''}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from quiz.services.drills.drill_files import import_drill_file

    database = open_db(args)
    try:
        imported = import_drill_file(database, args.path, now())
    finally:
        database.close()
    info, name = imported.drill, imported.student
    print(
        f"imported the drill {info.title!r} ({info.question_count} questions) for {name}; "
        f"take it in the app as {name} (d on home), then send your teacher the file "
        f"`quiz --profile {name} drill results --export -o FILE` writes"
    )
    return 0


def _results(args: argparse.Namespace) -> int:
    if args.export:
        return _export_results(args)
    return _import_results(args)


def _export_results(args: argparse.Namespace) -> int:
    from quiz.services.drills.drill_files import write_text_file
    from quiz.services.drills.result_files import export_results

    output: Path | None = args.output
    if output is None:
        raise QuizError("say where to write the results: --export -o FILE")
    database = open_db(args)
    try:
        student = require_profile(args, database)
        file = export_results(
            database,
            student,
            now(),
            lambda text: write_text_file(output, text),
            args.drill,
            args.attempt,
        )
    finally:
        database.close()
    numbers = ", ".join(str(a.number) for a in file.results.attempts)
    print(f"wrote {student.name}'s attempt(s) {numbers} to {output}; send it to your teacher")
    return 0


def _import_results(args: argparse.Namespace) -> int:
    from quiz.services.drills.result_files import import_results

    database = open_db(args)
    try:
        teacher = unlock(args, database)
        imported = import_results(database, teacher, args.imports, now())
    finally:
        database.close()
    for a in imported:
        verdict = "passed" if a.passed else "not passed"
        print(
            f"{a.path}: {a.student}, attempt {a.number} at {a.title!r}: "
            f"{a.correct} of {a.total} right ({a.score:.0%}), {verdict}"
        )
    print(f"imported {len(imported)} attempt(s) from {len(args.imports)} file(s)")
    return 0
