"""`quiz profile ...`: create and list profiles; teachers and their PINs."""

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from quiz.cli.common import now, open_db, print_json, profile_name
from quiz.errors import QuizError

if TYPE_CHECKING:
    from quiz.services.auth import Teacher
    from quiz.services.database import Database

PIN_ENV = "QUIZ_PIN"


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", common: argparse.ArgumentParser
) -> None:
    profile = commands.add_parser("profile", parents=[common], help="learner and teacher profiles")
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help="create a profile")
    create.add_argument("name", metavar="NAME")
    create.add_argument(
        "--teacher", action="store_true", help="a teacher (with a PIN); promotes an existing one"
    )
    create.add_argument(
        "--pin", help=f"deprecated (shows in ps): the new teacher's PIN; use ${PIN_ENV}"
    )
    create.add_argument(
        "--by", metavar="TEACHER", help="an existing teacher, needed once there is one"
    )
    create.add_argument(
        "--by-pin", metavar="PIN", help="deprecated (shows in ps): that teacher's PIN (asked)"
    )
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", parents=[common], help="list profiles")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_list)
    settings = actions.add_parser(
        "settings",
        parents=[common],
        help="show or change the study settings of --profile (created if missing)",
    )
    settings.add_argument(
        "--desired-retention",
        type=float,
        metavar="R",
        help="target chance of recall, 0.70-0.99 (default 0.9)",
    )
    settings.add_argument("--new-per-day", type=int, metavar="N", help="new cards a day")
    settings.add_argument("--max-reviews-per-day", type=int, metavar="N", help="most reviews a day")
    settings.add_argument(
        "--day-start-hour",
        type=int,
        metavar="H",
        help="local hour a study day starts (0-23, default 4)",
    )
    settings.add_argument(
        "--learning-steps", metavar="MINUTES", help='learning steps in minutes, e.g. "1 10"'
    )
    settings.add_argument(
        "--time-zone",
        metavar="ZONE",
        help='time zone of the study day, e.g. Europe/London ("" for this machine\'s)',
    )
    settings.add_argument(
        "--load-balance",
        choices=["on", "off"],
        help="spread reviews so no day holds more than --max-reviews-per-day",
    )
    settings.add_argument(
        "--easy-days",
        metavar="DAYS",
        help='weekdays with half the reviews, e.g. "sat sun" ("" for none)',
    )
    settings.add_argument("--json", action="store_true", help="print JSON")
    settings.set_defaults(handler=_settings)


def read_pin(given: str | None, who: str, option: str = "--pin", env: str | None = PIN_ENV) -> str:
    """A PIN from the option (deprecated: other users see it in `ps`, so it warns), else
    the environment, else a prompt on a terminal."""
    if given:
        instead = f"set {env} or let quiz ask" if env else "let quiz ask on a terminal"
        print(
            f"quiz: warning: {option} shows the PIN to anyone who can list processes (ps); "
            f"{instead} instead",
            file=sys.stderr,
        )
        return given
    if env and os.environ.get(env):
        return os.environ[env]
    if sys.stdin.isatty():
        return getpass.getpass(f"PIN for {who}: ")
    where = f"set {env}" if env else f"pass {option} PIN"
    raise QuizError(f"the PIN for {who} is needed; {where}, or run on a terminal to be asked")


def add_pin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pin", help=f"deprecated (shows in ps): the teacher's PIN; use ${PIN_ENV} or the prompt"
    )


def unlock(args: argparse.Namespace, database: "Database") -> "Teacher":
    """The teacher named by --profile, unlocked with its PIN."""
    from quiz.services.auth import unlock_teacher

    name = profile_name(args)
    if not name:
        raise QuizError("this command is for teachers; pass --profile NAME and the PIN")
    return unlock_teacher(database, name, read_pin(getattr(args, "pin", None), name), now())


def _create(args: argparse.Namespace) -> int:
    from quiz.services.auth import create_teacher, unlock_teacher
    from quiz.services.profiles import find_profile, get_or_create_profile

    database = open_db(args)
    try:
        if not args.teacher:
            if find_profile(database, args.name) is not None:
                raise QuizError(f"a profile called {args.name} exists already; choose another")
            profile = get_or_create_profile(database, args.name, now())
            print(f"created profile {profile.name}")
            return 0
        by = None
        if args.by:
            by = unlock_teacher(
                database, args.by, read_pin(args.by_pin, args.by, "--by-pin", env=None), now()
            )
        pin = read_pin(args.pin, args.name)
        prompted = not args.pin and not os.environ.get(PIN_ENV) and sys.stdin.isatty()
        if prompted and getpass.getpass("The same PIN again: ") != pin:
            raise QuizError("the two PINs differ; run the command again")
        teacher = create_teacher(database, args.name, pin, now(), by)
    finally:
        database.close()
    print(
        f"{teacher.name} is a teacher; teacher commands take --profile {teacher.name} "
        f"and the PIN from ${PIN_ENV} or a prompt"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from quiz.services.profiles import list_profiles

    database = open_db(args)
    try:
        profiles = list_profiles(database)
    finally:
        database.close()
    if args.json:
        print_json([{"id": p.id, "name": p.name, "teacher": p.is_teacher} for p in profiles])
    else:
        for p in profiles:
            print(f"{p.name}{' (teacher)' if p.is_teacher else ''}")
        if not profiles:
            print("no profiles yet; `quiz profile create NAME` makes one")
    return 0


def _settings(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from quiz.cli.common import require_profile
    from quiz.services.profiles import update_profile_settings

    changes: dict[str, object] = {
        key: value
        for key, value in (
            ("desired_retention", args.desired_retention),
            ("new_per_day", args.new_per_day),
            ("max_reviews_per_day", args.max_reviews_per_day),
            ("day_start_hour", args.day_start_hour),
            ("time_zone", args.time_zone),
        )
        if value is not None
    }
    if args.learning_steps is not None:
        try:
            steps = [int(step) for step in args.learning_steps.replace(",", " ").split()]
        except ValueError:
            steps = []
        if not steps or any(step <= 0 for step in steps):
            raise QuizError(
                'learning steps are whole minutes above 0, e.g. --learning-steps "1 10"'
            )
        changes["learning_steps_minutes"] = steps
    if args.load_balance is not None:
        changes["load_balance"] = args.load_balance == "on"
    if args.easy_days is not None:
        from quiz.services.balancing import parse_easy_days

        try:
            changes["easy_days"] = parse_easy_days(args.easy_days.replace(",", " ").split())
        except ValueError as error:
            raise QuizError(str(error)) from None
    database = open_db(args)
    try:
        profile = require_profile(args, database)
        if changes:
            profile = update_profile_settings(database, profile.id, **changes)
    finally:
        database.close()
    shown = {k: v for k, v in asdict(profile).items() if k not in ("id", "theme")}
    if shown.get("time_zone") is None:
        shown["time_zone"] = f"{profile.calendar.tz} (this machine's)"
    if args.json:
        print_json(shown)
    else:
        for key, value in shown.items():
            if key != "fsrs_parameters":
                print(f"{key.replace('_', ' ')}: {value}")
    return 0
