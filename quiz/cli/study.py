"""`quiz stats`: study figures (today, per day, streak, retention, forecast, mastery, exam
plan) as text or JSON for scripts."""

import argparse

from quiz.cli.common import now, open_db, print_json, require_profile


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    stats = commands.add_parser("stats", parents=[common], help="study statistics")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.add_argument(
        "--weeks", type=int, default=4, metavar="N", help="per-day figures for N weeks (4)"
    )
    stats.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    from quiz.errors import QuizError
    from quiz.services.exam_plan import exam_plan
    from quiz.services.progress import today_stats
    from quiz.services.stats import statistics

    if not 1 <= args.weeks <= 520:
        raise QuizError("--weeks must be from 1 to 520")
    database = open_db(args)
    try:
        profile = require_profile(args, database)
        moment = now()
        today = today_stats(database, profile, moment)
        stats = statistics(database, profile, moment, weeks=args.weeks)
        plan = exam_plan(database, profile, moment)
        figures = {
            "profile": profile.name,
            "today": {
                "answers": today.answers,
                "correct": today.correct,
                "accuracy": today.accuracy,
            },
            "due_now": today.due_now,
            "new_available_today": today.new_available,
            "streak_days": stats.streak_days,
            **{k: v for k, v in stats.to_dict().items() if k != "streak_days"},
            "exam": None if plan is None else plan.to_dict(),
        }
    finally:
        database.close()
    if args.json:
        print_json(figures)
    else:
        accuracy = "-" if today.accuracy is None else f"{today.accuracy:.0%}"
        print(
            f"{profile.name}: {today.answers} answers today ({accuracy} right), "
            f"{today.due_now} due now, {today.new_available} new available today, "
            f"streak {figures['streak_days']} day(s)"
        )
        week = stats.days[-7:]
        answers = sum(d.answers for d in week)
        right = sum(d.correct for d in week)
        retention = stats.retention.rate
        print(
            f"last 7 days: {answers} answers ({right / answers if answers else 0:.0%} right); "
            f"true retention over {args.weeks} weeks: "
            f"{'-' if retention is None else f'{retention:.0%}'}; "
            f"due tomorrow: {stats.forecast[1][1] if len(stats.forecast) > 1 else 0}"
        )
        for topic in stats.topics:
            print(f"  {topic.topic}: {topic.mastery:.0%} mastered ({topic.mastered}/{topic.cards})")
        if plan is not None:
            print(
                f"exam on {plan.exam_date.isoformat()}: {plan.days_left} day(s) left, "
                f"{plan.cards_to_see} card(s) to see, about {plan.cards_per_day} a day"
            )
            if plan.forecast is not None:
                print(plan.forecast.line())
    return 0
