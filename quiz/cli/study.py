"""`quiz stats`: today's study figures for scripts."""

import argparse

from quiz.cli.common import now, open_db, print_json, require_profile


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    stats = commands.add_parser("stats", parents=[common], help="study statistics")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    from quiz.services.study import study_streak, today_stats

    database = open_db(args)
    try:
        profile = require_profile(args, database)
        moment = now()
        today = today_stats(database, profile, moment)
        figures = {
            "profile": profile.name,
            "today": {
                "answers": today.answers,
                "correct": today.correct,
                "accuracy": today.accuracy,
            },
            "due_now": today.due_now,
            "new_available_today": today.new_available,
            "streak_days": study_streak(database, profile, moment),
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
    return 0
