"""`quiz history`: the learner's sessions (or one session's answers) as text, JSON or CSV;
`quiz exam-date`: set or clear the date of the learner's exam."""

import argparse
from datetime import date

from quiz.cli.common import now, open_db, print_json, require_profile
from quiz.errors import QuizError


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    history = commands.add_parser(
        "history", parents=[common], help="your study sessions, drills and exams"
    )
    output = history.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV (to export)")
    history.add_argument("--session", type=int, metavar="ID", help="every answer of one session")
    history.add_argument(
        "--limit", type=int, default=None, metavar="N", help="only the N newest sessions"
    )
    history.set_defaults(handler=_history)

    exam_date = commands.add_parser(
        "exam-date",
        parents=[common],
        help="set the date of your exam: every card is planned to be seen before it",
    )
    exam_date.add_argument("date", nargs="?", help="YYYY-MM-DD; omit to show the plan")
    exam_date.add_argument("--clear", action="store_true", help="remove the exam date")
    exam_date.add_argument("--json", action="store_true", help="print the plan as JSON")
    exam_date.set_defaults(handler=_exam_date)


def _history(args: argparse.Namespace) -> int:
    from quiz.services.history import (
        ANSWER_FIELDS,
        SESSION_FIELDS,
        history,
        session_answers,
        write_csv,
    )

    if args.limit is not None and args.limit < 1:
        raise QuizError("--limit must be at least 1")
    database = open_db(args)
    try:
        profile = require_profile(args, database)
        if args.session is not None:
            rows = [a.to_dict() for a in session_answers(database, profile, args.session)]
            fields: tuple[str, ...] = ANSWER_FIELDS
        else:
            rows = [s.to_dict() for s in history(database, profile, limit=args.limit)]
            fields = SESSION_FIELDS
    finally:
        database.close()
    if args.json:
        print_json(rows)
    elif args.csv:
        write_csv(rows, fields)
    elif args.session is not None:
        for row in rows:
            mark = "right" if row["correct"] else "wrong"
            print(f"{row['answered_at']}  {mark:5}  {row['key']}: {row['prompt']}")
    elif not rows:
        print(f"{profile.name} has no sessions yet; run `quiz` to start studying")
    else:
        for row in rows:
            score = "" if row["score"] is None else f", score {row['score']:.0%}"
            print(
                f"#{row['session_id']} {row['kind']:8} {row['started_at']}  "
                f"{row['answered']} answered, {row['correct']} right{score}, "
                f"{row['seconds'] / 60:.0f} min"
            )
    return 0


def _exam_date(args: argparse.Namespace) -> int:
    from quiz.services.exam_plan import exam_plan
    from quiz.services.profiles import set_exam_date

    if args.clear and args.date:
        raise QuizError("give a date or --clear, not both")
    database = open_db(args)
    try:
        profile = require_profile(args, database)
        moment = now()
        if args.clear:
            profile = set_exam_date(database, profile.id, None, moment)
        elif args.date:
            try:
                day = date.fromisoformat(args.date)
            except ValueError:
                raise QuizError(
                    f"{args.date!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-06-15"
                ) from None
            profile = set_exam_date(database, profile.id, day, moment)
        plan = exam_plan(database, profile, moment)
    finally:
        database.close()
    if args.json:
        print_json(None if plan is None else plan.to_dict())
    elif plan is None:
        print(f"{profile.name} has no exam date; set one with `quiz exam-date YYYY-MM-DD`")
    else:
        print(
            f"{profile.name}: exam on {plan.exam_date.isoformat()}, {plan.days_left} day(s) "
            f"left, {plan.cards_to_see} card(s) to see ({plan.new_remaining} new), "
            f"about {plan.cards_per_day} a day"
        )
        for note in plan.notes:
            print(f"  {note}")
    return 0
