"""`quiz schedule ...`: fit FSRS to the learner's own reviews, a class's starting
parameters (teacher), and what each desired retention would cost."""

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from quiz.cli.common import now, open_db, print_json, require_profile
from quiz.cli.profile import add_pin_option, unlock

if TYPE_CHECKING:
    from quiz.services.database import Database

T = TypeVar("T")


def register(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    common: argparse.ArgumentParser,
) -> None:
    schedule = commands.add_parser(
        "schedule", parents=[common], help="fit the schedule to your reviews; workload"
    )
    actions = schedule.add_subparsers(dest="schedule_command", metavar="ACTION", required=True)

    def action(
        name: str, help: str, handler: Callable[[argparse.Namespace], int], *aliases: str
    ) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, aliases=list(aliases), parents=[common], help=help)
        parser.set_defaults(handler=handler)
        return parser

    optimize = action(
        "optimize",
        "fit FSRS's parameters to the reviews of --profile and use them",
        _optimize,
        "optimise",
    )
    simulate = action(
        "simulate",
        "reviews and minutes a day, and cards remembered, for each desired retention",
        _simulate,
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
    balance = action(
        "balance",
        "spread reviews so no day holds more than the daily cap (easy days: half)",
        _balance,
    )
    classfit = action(
        "class-fit",
        "teacher: fit on all students' reviews; the start for students with little history",
        _class_fit,
    )
    add_pin_option(classfit)
    for parser in (optimize, simulate, balance, classfit):  # last, as each help lists it
        parser.add_argument("--json", action="store_true", help="print one JSON object")


def _on_database(args: argparse.Namespace, work: "Callable[[Database], T]") -> T:
    """What `work` returns on the database named by the arguments (closed afterwards)."""
    database = open_db(args)
    try:
        return work(database)
    finally:
        database.close()


def _show(args: argparse.Namespace, data: dict[str, Any], lines: Callable[[], list[str]]) -> int:
    """Print a result: one JSON object with --json, else its lines."""
    if args.json:
        print_json(data)
    else:
        print("\n".join(lines()))
    return 0


def _optimize(args: argparse.Namespace) -> int:
    from quiz.services.optimising import optimise

    report = _on_database(args, lambda db: optimise(db, require_profile(args, db), now()))
    return _show(args, report.to_dict(), report.lines)


def _simulate(args: argparse.Namespace) -> int:
    from quiz.services.workload import simulate_retentions

    report = _on_database(
        args,
        lambda db: simulate_retentions(db, require_profile(args, db), args.retention, args.days),
    )
    return _show(args, report.to_dict(), report.lines)


def _class_fit(args: argparse.Namespace) -> int:
    from quiz.services.optimising import fit_class

    result = _on_database(args, lambda db: fit_class(db, unlock(args, db), now()))

    def lines() -> list[str]:
        fit = result.fit
        out = [
            f"fitted on {result.reviews} reviews of {result.students} student(s) "
            f"({fit.items} training items, {fit.enough} fit)"
        ]
        if fit.before is not None and fit.after is not None:
            out.append(
                f"held-out log loss {fit.before.log_loss:.3f} -> {fit.after.log_loss:.3f}, "
                f"RMSE {fit.before.rmse:.3f} -> {fit.after.rmse:.3f} (defaults -> class)"
            )
        offered = ", ".join(result.offered_to) or "nobody yet"
        return [*out, f"now the starting parameters of new profiles and of: {offered}"]

    return _show(args, result.to_dict(), lines)


def _balance(args: argparse.Namespace) -> int:
    from quiz.services.balancing import balance_reviews

    report = _on_database(args, lambda db: balance_reviews(db, require_profile(args, db), now()))

    def lines() -> list[str]:
        return [f"{report.moved} review(s) moved to a later day; the next days:"] + [
            f"  {day.strftime('%a')} {day.isoformat()}: {reviews} due (at most {room})"
            for day, reviews, room in report.days
        ]

    return _show(args, report.to_dict(), lines)
