"""`quiz schedule ...`: fit FSRS to the learner's own reviews, a class's starting
parameters (teacher), and what each desired retention would cost."""

import argparse

from quiz.cli.common import now, open_db, print_json, require_profile
from quiz.cli.profile import add_pin_option, unlock


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    schedule = commands.add_parser(
        "schedule", parents=[common], help="fit the schedule to your reviews; workload"
    )
    actions = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)
    optimize = actions.add_parser(
        "optimize",
        aliases=["optimise"],
        parents=[common],
        help="fit FSRS's parameters to the reviews of --profile and use them",
    )
    optimize.add_argument("--json", action="store_true", help="print one JSON object")
    optimize.set_defaults(handler=_optimize)
    simulate = actions.add_parser(
        "simulate",
        parents=[common],
        help="reviews and minutes a day, and cards remembered, for each desired retention",
    )
    simulate.add_argument(
        "--retention",
        type=float,
        nargs="+",
        metavar="R",
        default=[0.8, 0.85, 0.9, 0.95],
        help="desired retentions to compare (default 0.8 0.85 0.9 0.95)",
    )
    simulate.add_argument("--days", type=int, default=365, help="days to simulate (365)")
    simulate.add_argument("--json", action="store_true", help="print one JSON object")
    simulate.set_defaults(handler=_simulate)
    balance = actions.add_parser(
        "balance",
        parents=[common],
        help="spread reviews so no day holds more than the daily cap (easy days: half)",
    )
    balance.add_argument("--json", action="store_true", help="print one JSON object")
    balance.set_defaults(handler=_balance)
    classfit = actions.add_parser(
        "class-fit",
        parents=[common],
        help="teacher: fit on all students' reviews; the start for students with little history",
    )
    add_pin_option(classfit)
    classfit.add_argument("--json", action="store_true", help="print one JSON object")
    classfit.set_defaults(handler=_class_fit)


def _optimize(args: argparse.Namespace) -> int:
    from quiz.services.optimising import optimise

    database = open_db(args)
    try:
        report = optimise(database, require_profile(args, database), now())
    finally:
        database.close()
    if args.json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from quiz.services.workload import simulate_retentions

    database = open_db(args)
    try:
        report = simulate_retentions(
            database, require_profile(args, database), args.retention, args.days
        )
    finally:
        database.close()
    if args.json:
        print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 0


def _class_fit(args: argparse.Namespace) -> int:
    from quiz.services.optimising import fit_class

    database = open_db(args)
    try:
        result = fit_class(database, unlock(args, database), now())
    finally:
        database.close()
    if args.json:
        print_json(result.to_dict())
        return 0
    fit = result.fit
    print(
        f"fitted on {result.reviews} reviews of {result.students} student(s) "
        f"({fit.items} training items, {fit.enough} fit)"
    )
    if fit.before is not None and fit.after is not None:
        print(
            f"held-out log loss {fit.before.log_loss:.3f} -> {fit.after.log_loss:.3f}, "
            f"RMSE {fit.before.rmse:.3f} -> {fit.after.rmse:.3f} (defaults -> class)"
        )
    offered = ", ".join(result.offered_to) or "nobody yet"
    print(f"now the starting parameters of new profiles and of: {offered}")
    return 0


def _balance(args: argparse.Namespace) -> int:
    from quiz.services.balancing import balance_reviews

    database = open_db(args)
    try:
        report = balance_reviews(database, require_profile(args, database), now())
    finally:
        database.close()
    if args.json:
        print_json(report.to_dict())
        return 0
    print(f"{report.moved} review(s) moved to a later day; the next days:")
    for day, reviews, room in report.days:
        print(f"  {day.strftime('%a')} {day.isoformat()}: {reviews} due (at most {room})")
    return 0
