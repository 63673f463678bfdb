"""Time `schedule optimize` and `schedule simulate` on a large collection.

    python benchmarks/optimise_bench.py [--cards N] [--reviews-per-card N]

Builds a SQLite collection in a temporary folder (the app's migrations, then bulk rows as
quiz/bench.py does): each card's history is that of a learner whose memory follows FSRS
with known parameters, reviewed when the default scheduler would ask, from the first time
it was seen. Timings are printed, never asserted (DESIGN.md: budgets are measured in a
benchmark, not a timed test).
"""

import argparse
import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import fsrs_rs_python as fsrs_rs

from quiz.services.database import open_database
from quiz.services.optimising import optimise
from quiz.services.profiles import get_or_create_profile, update_profile_settings
from quiz.services.workload import simulate_retentions

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
TRUE = [1.2, 4.0, 12.0, 40.0, 6.4, 0.83, 3.0, 0.001, 2.3, 0.12, 0.9, 1.48, 0.06, 0.26, 1.65,
        0.6, 1.87, 0.54, 0.09, 0.07, 0.35]  # fmt: skip
FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def _recall(stability: float, days: float) -> float:
    decay = -TRUE[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * days / stability) ** decay)


def histories(cards: int, per_card: int, seed: int = 1):  # type: ignore[no-untyped-def]
    """(card, day offset from the start, rating, first) rows, each card reviewed at the
    default scheduler's intervals and remembered as the true parameters say."""
    rng = random.Random(seed)
    truth = fsrs_rs.FSRS(TRUE)
    default = fsrs_rs.FSRS(list(fsrs_rs.DEFAULT_PARAMETERS))
    span = 400
    for card in range(1, cards + 1):
        day = rng.randrange(span // 2)
        true_state = sched_state = None
        last = day
        for n in range(per_card):
            if n == 0:
                rating = 3 if rng.random() < 0.7 else 1
            else:
                remembered = rng.random() < _recall(true_state.stability, day - last)
                rating = 1 if not remembered else rng.choice((2, 3, 3, 3, 3, 4))
            elapsed = 0 if n == 0 else day - last
            true_state = getattr(truth.next_states(true_state, 0.9, elapsed), _NAMES[rating]).memory
            nxt = getattr(default.next_states(sched_state, 0.9, elapsed), _NAMES[rating])
            sched_state = nxt.memory
            yield card, day, rating, n == 0
            last = day
            day += max(1, round(nxt.interval))
            if day >= span:
                break


_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def build(path: Path, cards: int, per_card: int) -> tuple[int, int]:
    """The collection; returns (profile id, answers)."""
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    profile = get_or_create_profile(database, "bench", NOW)
    update_profile_settings(database, profile.id, time_zone="UTC")
    database.close()
    start = NOW - timedelta(days=400)
    stamp = start.strftime(FORMAT)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO decks (id, name, title, description, material, fingerprint,"
            " created_at, updated_at) VALUES (1, 'b', 'Bench', '', 'm.txt', '', ?, ?)",
            (stamp, stamp),
        )
        db.executemany(
            "INSERT INTO questions (id, key, deck_id, type, topic, tags, difficulty, prompt,"
            " data, content_hash, created_at, updated_at) VALUES (?, ?, 1, 'flashcard', 't',"
            " '[]', 1, 'q', '{}', '', ?, ?)",
            ((i, f"b-{i}", stamp, stamp) for i in range(1, cards + 1)),
        )
        db.executemany(
            "INSERT INTO card_states (profile_id, question_id, state, due, reps, lapses,"
            " suspended) VALUES (?, ?, 0, ?, 0, 0, 0)",
            ((profile.id, i, stamp) for i in range(1, cards + 1)),
        )
        db.executemany(
            "INSERT INTO study_sessions (id, profile_id, kind, started_at) VALUES"
            " (?, ?, 'review', ?)",
            ((d + 1, profile.id, (start + timedelta(days=d)).strftime(FORMAT)) for d in range(401)),
        )
        rng = random.Random(2)
        rows = (
            (
                day + 1,
                profile.id,
                card,
                (start + timedelta(days=day, hours=10, seconds=rng.randrange(7200))).strftime(
                    FORMAT
                ),
                rating > 1,
                rng.randint(3000, 15000),
                rating,
                0 if first else 2,
            )
            for card, day, rating, first in histories(cards, per_card)
        )
        db.executemany(
            "INSERT INTO answers (session_id, profile_id, question_id, answered_at, response,"
            " correct, duration_ms, rating, state_before, overridden) VALUES"
            " (?, ?, ?, ?, '{}', ?, ?, ?, ?, 0)",
            rows,
        )
        answers = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    return profile.id, int(answers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--reviews-per-card", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quiz-opt-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        began = time.perf_counter()
        _, answers = build(path, args.cards, args.reviews_per_card)
        built = time.perf_counter() - began
        database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
        profile = get_or_create_profile(database, "bench", NOW)
        began = time.perf_counter()
        report = optimise(database, profile, NOW)
        optimised = time.perf_counter() - began
        began = time.perf_counter()
        simulate_retentions(database, report.updated, days=365)
        simulated = time.perf_counter() - began
        database.close()
    print(
        json.dumps(
            {
                "cards": args.cards,
                "answers": answers,
                "build_s": round(built, 1),
                "optimise_s": round(optimised, 2),
                "training_items": report.fit.items,
                "held_out": report.fit.held_out_items,
                "before": report.fit.before.to_dict() if report.fit.before else None,
                "after": report.fit.after.to_dict() if report.fit.after else None,
                "used": report.used,
                "simulate_4_retentions_s": round(simulated, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
