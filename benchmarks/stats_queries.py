"""Time each statistics query on a kept bench collection: CPU time per query (the SQLite
work happens in this process, so CPU time is steadier than wall time on a shared machine),
best of N runs, by what the query computes.

    python -m quiz.bench --keep DIR --only statistics   # builds DIR/bench.db once
    python benchmarks/stats_queries.py DIR/bench.db [RUNS]

Timings are printed, never asserted (DESIGN.md). A query's time is its execute call:
SQLite does a grouped query's work there; streamed rows (the per-day sums) finish later.
"""

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parents[1]))  # PYTHONPATH wins: compare checkouts

from sqlalchemy import event

from quiz.bench import NOW
from quiz.services.database import open_database
from quiz.services.profiles import find_profile
from quiz.services.stats import statistics


def label(statement: str) -> str:
    """What a statistics statement computes, told by the tables and columns it reads."""
    sql = " ".join(statement.split())
    if "answer_buckets" in sql:
        return "streak" if "EXISTS" in sql else "days and calendar"
    if "card_states.due" in sql:
        return "forecast"
    if "state_before" in sql:
        return "retention"
    if "per_question" in sql:
        return "topics: answers"
    if "card_states" in sql and "GROUP BY" in sql:
        return "topics: cards"
    if "overridden" in sql:
        return "overridden"
    return "other"


def main() -> None:
    parser = argparse.ArgumentParser(prog="benchmarks/stats_queries.py", description=__doc__)
    parser.add_argument("collection", type=Path, help="a bench.db kept by quiz.bench --keep")
    parser.add_argument("runs", type=int, nargs="?", default=5)
    args = parser.parse_args()
    path, runs = args.collection, args.runs
    if not path.is_file():  # opening it would create an empty database there
        parser.error(f"{path} is not a file; build one with: python -m quiz.bench --keep DIR")
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    profile = find_profile(database, "bench")
    assert profile is not None, "no bench profile: build the collection with quiz.bench --keep"
    timings: list[list[Any]] = []

    @event.listens_for(database.engine, "before_cursor_execute")
    def started(*args: Any) -> None:
        timings.append([args[2], time.process_time()])

    @event.listens_for(database.engine, "after_cursor_execute")
    def finished(*args: Any) -> None:
        timings[-1][1] = (time.process_time() - timings[-1][1]) * 1000

    best: dict[str, float] = {}
    total = float("inf")
    for _ in range(runs):
        timings.clear()
        start = time.process_time()
        statistics(database, profile, NOW)
        total = min(total, (time.process_time() - start) * 1000)
        sums: dict[str, float] = {}
        for statement, ms in timings:
            sums[label(statement)] = sums.get(label(statement), 0.0) + ms
        for name, ms in sums.items():
            best[name] = min(best.get(name, float("inf")), ms)
    database.close()
    print("  ".join(f"{name} {ms:.1f}" for name, ms in best.items()), f"| total {total:.1f} ms")


if __name__ == "__main__":
    main()
