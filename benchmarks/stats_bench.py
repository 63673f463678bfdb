"""Build a large collection (100,000 questions, 1,000,000 answers) and time the statistics.

    python benchmarks/stats_bench.py [DATABASE_URL] [--answers N] [--questions N]

Without a URL it builds a SQLite file in a temporary folder. Timings are printed, never
asserted (DESIGN.md: budgets are measured in a benchmark, not a timed test).
"""

import argparse
import random
import statistics as pystats
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, update

from quiz.services.database import Database, open_database
from quiz.services.profiles import get_or_create_profile
from quiz.services.stats import statistics
from quiz.services.study import sync_cards
from quiz.store.models import (
    AnswerRecord,
    CardState,
    Deck,
    Question,
    StudySession,
)

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
TOPICS = [f"topic {n}" for n in range(12)]
BATCH = 20_000


def build(database: Database, questions: int, answers: int, seed: int = 1) -> int:
    """Fill an empty database; returns the profile id."""
    rng = random.Random(seed)
    with database.sessions.begin() as session:
        deck = Deck(
            name="big", title="Big", material="m.txt", created_at=NOW, updated_at=NOW
        )
        session.add(deck)
        session.flush()
        deck_id = deck.id
    rows = []
    for n in range(questions):
        rows.append(
            {
                "key": f"q{n}",
                "deck_id": deck_id,
                "type": "flashcard",
                "topic": TOPICS[n % len(TOPICS)],
                "tags": [],
                "difficulty": 1,
                "prompt": f"front {n}",
                "data": {
                    "id": f"q{n}",
                    "type": "flashcard",
                    "topic": TOPICS[n % len(TOPICS)],
                    "difficulty": 1,
                    "explanation": "e",
                    "source": "s",
                    "front": f"front {n}",
                    "back": "back",
                },
                "content_hash": "h",
                "created_at": NOW - timedelta(days=800),
                "updated_at": NOW,
            }
        )
    with database.sessions.begin() as session:
        for start in range(0, len(rows), BATCH):
            session.execute(insert(Question), rows[start : start + BATCH])
    profile = get_or_create_profile(database, "bench", NOW - timedelta(days=800))
    sync_cards(database, profile.id)
    with database.sessions.begin() as session:
        ids = session.scalars(select(Question.id).order_by(Question.id)).all()
        # three quarters of the cards have been seen: in review, due over the next months
        for start in range(0, len(ids) * 3 // 4, BATCH):
            chunk = ids[start : start + BATCH]
            session.execute(
                update(CardState),
                [
                    {
                        "profile_id": profile.id,
                        "question_id": qid,
                        "state": 2,
                        "stability": rng.uniform(1, 60),
                        "difficulty": 5.0,
                        "due": NOW + timedelta(hours=rng.uniform(-48, 24 * 90)),
                        "last_review": NOW - timedelta(days=rng.uniform(0, 30)),
                        "reps": 3,
                    }
                    for qid in chunk
                ],
            )
        study = StudySession(profile_id=profile.id, kind="review", started_at=NOW)
        session.add(study)
        session.flush()
        session_id = study.id
    span = 730 * 86400  # two years of answers, written in the order they were given
    moments = sorted(NOW - timedelta(seconds=rng.uniform(0, span)) for _ in range(answers))
    with database.sessions.begin() as session:
        for start in range(0, answers, BATCH):
            batch = []
            for moment in moments[start : start + BATCH]:
                state = rng.choice((0, 1, 2, 2, 2, 3))
                batch.append(
                    {
                        "session_id": session_id,
                        "profile_id": profile.id,
                        "question_id": ids[rng.randrange(len(ids))],
                        "answered_at": moment,
                        "response": {"text": "x"},
                        "correct": rng.random() < 0.85,
                        "duration_ms": 4000,
                        "rating": rng.choice((1, 3, 3, 3, 4)),
                        "state_before": state,
                    }
                )
            session.execute(insert(AnswerRecord), batch)
    return profile.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="the database is already built")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    database = open_database(url, NOW, import_builtin=False)
    if not args.reuse:
        started = time.perf_counter()
        build(database, args.questions, args.answers)
        print(f"built in {time.perf_counter() - started:.1f} s: {url}")
    from quiz.services.profiles import find_profile

    profile = find_profile(database, "bench")
    assert profile is not None
    for strategy in ("join", "per_day"):
        times = []
        for _ in range(7):
            started = time.perf_counter()
            result = statistics(database, profile, NOW, tz=UTC, strategy=strategy)
            times.append(time.perf_counter() - started)
        print(
            f"{strategy}: median {pystats.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f} ms) - {sum(d.answers for d in result.days)} answers "
            f"in 4 weeks, retention {result.retention.rate}, streak {result.streak_days}"
        )
    database.close()


if __name__ == "__main__":
    main()
