"""`quiz drill ...`: teacher-set drills from YAML files, the list, the teacher's report."""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from quiz.cli import drill_files
from quiz.cli.common import now, open_db, print_json, profile_name
from quiz.cli.profile import add_pin_option, unlock


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
    drill = commands.add_parser("drill", parents=[common], help="teacher-set drills")
    actions = drill.add_subparsers(dest="drill_command", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create",
        parents=[common],
        help="create a drill from a YAML file (teacher: --profile NAME, PIN)",
    )
    create.add_argument("path", type=Path, metavar="FILE")
    create.add_argument(
        "--replace", action="store_true", help="update the drill with the same title if it exists"
    )
    add_pin_option(create)
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", parents=[common], help="list drills")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)
    report = actions.add_parser(
        "report", parents=[common], help="results per student and per question (teacher)"
    )
    report.add_argument("drill", metavar="DRILL", help="the drill's title or id")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV (see --table)")
    report.add_argument(
        "--table",
        choices=["students", "questions", "items"],
        default="students",
        help="which table --csv prints (default: students; items: the item analysis)",
    )
    report.add_argument(
        "--attempts",
        choices=["first", "all"],
        default="first",
        help="item analysis over each student's first finished attempt (default, as "
        "Moodle) or every finished attempt",
    )
    add_pin_option(report)
    report.set_defaults(handler=_report)
    delete = actions.add_parser("delete", parents=[common], help="delete a drill (teacher)")
    delete.add_argument("drill", metavar="DRILL", help="the drill's title or id")
    add_pin_option(delete)
    delete.set_defaults(handler=_delete)
    actions.add_parser(
        "schema", parents=[common], help="print the JSON Schema of drill files"
    ).set_defaults(handler=_schema)
    drill_files.register(actions, common)


def _create(args: argparse.Namespace) -> int:
    from quiz.services.drills import DrillProblems, save_drill_file

    database = open_db(args)
    try:
        teacher = unlock(args, database)
        try:
            info, new = save_drill_file(database, teacher, args.path, now(), replace=args.replace)
        except DrillProblems as problems:
            for problem in problems.problems:
                print(problem, file=sys.stderr)
            again = f"quiz --profile {teacher.name} drill create {args.path}"
            again += " --replace" if args.replace else ""
            print(
                f"{len(problems.problems)} problem(s) found; nothing was written. "
                f"Fix them and run `{again} --pin PIN` again (or set QUIZ_PIN).",
                file=sys.stderr,
            )
            return 1
    finally:
        database.close()
    print(f"{'created' if new else 'updated'} drill {info.id}: {info.title}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from quiz.services.drills import drills_for_student, list_drills
    from quiz.services.profiles import find_profile

    database = open_db(args)
    moment = now()
    try:
        drills = list_drills(database)
        name = profile_name(args)
        learner = find_profile(database, name) if name else None
        mine = (
            {d.drill.id: d for d in drills_for_student(database, learner.id, moment, True)}
            if learner
            else {}
        )
    finally:
        database.close()
    rows = []
    for info in drills:
        row = info.to_json(moment)
        if info.id in mine:
            row["attempts_used"] = mine[info.id].attempts_used
            row["attempts_left"] = mine[info.id].attempts_left
            row["best_score"] = mine[info.id].best_score
        rows.append(row)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no drills yet; a teacher creates one with `quiz drill create FILE`")
    for row in rows:
        limit = f"{row['time_limit_minutes']} min" if row["time_limit_minutes"] else "no limit"
        print(
            f"{row['id']:>4}  {row['title']}  [{row['status']}]  {row['questions']} questions, "
            f"{limit}, pass {row['pass_mark']:g}%"
        )
    return 0


def _report(args: argparse.Namespace) -> int:
    from quiz.services.drills import drill_report, find_drill, write_report_csv

    database = open_db(args)
    moment = now()
    try:
        teacher = unlock(args, database)
        drill_id = find_drill(database, args.drill).id
        report = drill_report(database, teacher, drill_id, moment, basis=args.attempts)
    finally:
        database.close()
    data = report.to_json(moment)
    if args.json:
        print_json(data)
    elif args.csv:
        write_report_csv(report, args.table, sys.stdout, moment)
    else:
        print(f"{report.drill.title}: {len(report.students)} student(s)")
        for s in data["students"]:
            best = "-" if s["best_score"] is None else f"{s['best_score']:.0%}"
            latest = "-" if s["latest_score"] is None else f"{s['latest_score']:.0%}"
            print(f"  {s['name']}: best {best}, latest {latest}, {s['attempts']} attempt(s)")
        print("questions, most missed first:")
        for q in data["questions"]:
            wrong = f", often: {q['most_chosen_wrong']}" if q["most_chosen_wrong"] else ""
            rated = " (self-rated)" if q["self_rated"] else ""
            print(f"  {q['id']}: {q['facility']:.0%} right of {q['asked']}{rated}{wrong}")
        if report.self_rated:
            print(
                f"{report.self_rated} question(s) are flashcards the students rated themselves: "
                "their 'right', and the scores that count them, are not checked answers"
            )
        _print_items(data)
    return 0


def _print_items(data: dict[str, Any]) -> None:
    """The item analysis as lines: alpha, then per question facility, D and flags."""
    analysis = data["item_analysis"]
    if analysis is None or not analysis["attempts"]:
        return
    alpha = analysis["cronbach_alpha"]
    basis = "first attempts" if analysis["basis"] == "first" else "all attempts"
    print(
        f"item analysis ({basis}, {analysis['attempts']}): Cronbach's alpha "
        + ("-" if alpha is None else f"{alpha:.2f}")
    )
    for item in data["items"]:
        d = item["discrimination"]
        print(
            f"  {item['id']}: facility {item['facility']:.0%}, discrimination "
            + ("-" if d is None else f"{d:+.2f}")
        )
        for flag in item["flags"]:
            print(f"    ! {flag}")


def _delete(args: argparse.Namespace) -> int:
    from quiz.services.drills import delete_drill, find_drill

    database = open_db(args)
    try:
        teacher = unlock(args, database)
        info = find_drill(database, args.drill)
        delete_drill(database, teacher, info.id)
    finally:
        database.close()
    print(f"deleted drill {info.id}: {info.title} (attempts stay in the learners' history)")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from quiz.services.drills import drill_json_schema

    print(json.dumps(drill_json_schema(), indent=2))
    return 0
