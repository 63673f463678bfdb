"""`quiz history`: the learner's sessions (or one session's answers) as text, JSON or CSV;
`quiz exam-date`: set or clear the date of the learner's exam."""

import argparse

from quiz.cli.common import now, open_db, print_json, require_profile
from quiz.errors import QuizError
from quiz.services.format import KIND_NAMES, duration_text, local_time, percent


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
    exam_date.add_argument(
        "date", nargs="?", help="2027-06-14, 14/06/2027, 14 June 2027, June 14; omit: the plan"
    )
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
            answers = session_answers(database, profile, args.session)
            rows = [a.to_dict() for a in answers]
            fields: tuple[str, ...] = ANSWER_FIELDS
        else:
            sessions = history(database, profile, limit=args.limit)
            rows = [s.to_dict() for s in sessions]
            fields = SESSION_FIELDS
    finally:
        database.close()
    tz = profile.calendar.tz
    if args.json:
        print_json(rows)
    elif args.csv:
        write_csv(rows, fields)
    elif args.session is not None:
        for answer in answers:
            mark = "right" if answer.correct else "wrong"
            when = local_time(answer.answered_at, tz, "%Y-%m-%d %H:%M:%S")
            print(f"{when}  {mark:5}  {answer.key}: {answer.prompt}")
    elif not rows:
        print(f"{profile.name} has no sessions yet; run `quiz` to start studying")
    else:
        for row in sessions:
            score = "" if row.score is None else f", score {percent(row.score)}"
            print(
                f"#{row.session_id} {KIND_NAMES.get(row.kind, row.kind):9} "
                f"{local_time(row.started_at, tz)}  "
                f"{row.answered} answered, {row.correct} right{score}, "
                f"{duration_text(row.seconds)}"
            )
    return 0


def _exam_date(args: argparse.Namespace) -> int:
    from quiz.services.exam_plan import exam_plan, read_exam_date
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
            day = read_exam_date(args.date, profile.calendar.study_date(moment))
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
