"""Benchmark against the budgets in DESIGN.md: `python -m quiz.bench [--json]`.

Builds a collection of N questions and M past answers in a temporary SQLite database,
then measures, each in a fresh process: the review cycle (fetch the next due card, grade,
record the answer, reschedule), process start to the home screen showing its deck counts
(against a minimal Textual app started the same way), peak memory while studying,
statistics queries, the cost of sibling burying (today's counts and the next card with
every question in a fact of three, against the same collection without facts), importing
a 10,000-question bank, and the grading evaluation set (share of right answers accepted,
share of near-misses rejected). `--questions` and `--answers` make a smaller collection.
"""

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# The collection is built around the real clock, because the app under test reads it.
NOW = datetime.now(UTC).replace(microsecond=0)
TOPICS = ["causes", "parties", "terms", "aims", "consequences", "sources"]
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
SIBLINGS = 3  # questions per fact, as in the built-in bank at most


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(SQLITE_TIME)


def _question(i: int) -> dict[str, Any]:
    return {
        "id": f"b-{i}",
        "type": "short_answer",
        "topic": TOPICS[i % len(TOPICS)],
        "tags": [],
        "difficulty": 1 + i % 3,
        "explanation": "Because the text says so.",
        "source": "the treaty of paris",
        "fact": f"f-{i // SIBLINGS}",
        "prompt": f"Question number {i}?",
        "answer": f"answer {i}",
        "accept": [],
    }


def build_collection(path: Path, questions: int, answers: int, seed: int = 1) -> None:
    """Create the schema with the app's own migrations, then bulk-load the collection."""
    from quiz.services.database import open_database
    from quiz.services.profiles import get_or_create_profile

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    profile = get_or_create_profile(database, "bench", NOW)
    database.close()
    rng = random.Random(seed)
    created = _ts(NOW - timedelta(days=400))
    studied = min(questions, max(1, answers // 10))
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO decks (id, name, title, description, material, fingerprint, created_at,"
            " updated_at) VALUES (1, 'bench', 'Benchmark deck', '', 'm.txt', '', ?, ?)",
            (created, created),
        )
        db.executemany(
            "INSERT INTO questions (id, key, deck_id, type, topic, tags, difficulty, prompt,"
            " fact, data, content_hash, created_at, updated_at) VALUES (?, ?, 1,"
            " 'short_answer', ?, '[]', ?, ?, ?, ?, '', ?, ?)",
            (
                (
                    i,
                    f"b-{i}",
                    q["topic"],
                    q["difficulty"],
                    q["prompt"],
                    q["fact"],
                    json.dumps(q),
                    created,
                    created,
                )
                for i in range(1, questions + 1)
                for q in [_question(i)]
            ),
        )
        db.executemany(
            "INSERT INTO card_states (profile_id, question_id, state, step, stability,"
            " difficulty, due, last_review, reps, lapses, suspended)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            _card_rows(profile.id, questions, studied, created, rng),
        )
        db.execute("UPDATE profiles SET synced_question_id = ?", (questions,))
        db.executemany(
            "INSERT INTO study_sessions (id, profile_id, kind, started_at, ended_at)"
            " VALUES (?, ?, 'review', ?, ?)",
            (
                (
                    day + 1,
                    profile.id,
                    _ts(NOW - timedelta(days=365 - day)),
                    _ts(NOW - timedelta(days=365 - day, minutes=-30)),
                )
                for day in range(365)
            ),
        )
        db.executemany(
            "INSERT INTO answers (session_id, profile_id, question_id, answered_at, response,"
            " correct, duration_ms, rating, state_before, previous_state)"
            ' VALUES (?, ?, ?, ?, \'{"typed": "x"}\', ?, ?, ?, 2, NULL)',
            _answer_rows(profile.id, answers, studied, rng),
        )


def _card_rows(
    profile_id: int, questions: int, studied: int, created: str, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for i in range(1, questions + 1):
        if i <= studied:
            due = NOW + timedelta(days=rng.uniform(-3, 60))
            last = due - timedelta(days=rng.uniform(1, 30))
            yield (
                profile_id,
                i,
                2,
                None,
                rng.uniform(1, 60),
                rng.uniform(1, 9),
                _ts(due),
                _ts(last),
                rng.randint(1, 20),
                rng.randint(0, 3),
            )
        else:
            yield (profile_id, i, 0, None, None, None, created, None, 0, 0)


def _answer_rows(
    profile_id: int, answers: int, studied: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for n in range(answers):
        day = n * 365 // max(answers, 1)
        moment = NOW - timedelta(days=365 - day, seconds=-rng.randint(0, 1800))
        correct = rng.random() < 0.85
        yield (
            day + 1,
            profile_id,
            rng.randint(1, studied),
            _ts(moment),
            correct,
            rng.randint(800, 20000),
            3 if correct else 1,
        )


def measure_review_cycles(path: Path, cycles: int) -> dict[str, float]:
    """In this process: grade + record (`submit`), then reschedule + next card with today's
    counts (`rate`) — `cycles` times; also the SQL statements and transactions of one
    answer, counted by engine events."""
    from sqlalchemy import event

    from quiz.services.answering import TypedResponse
    from quiz.services.database import open_database
    from quiz.services.profiles import find_profile, update_profile_settings
    from quiz.services.reviewing import StudyRun, begin, rate, submit

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    found = find_profile(database, "bench")
    assert found is not None
    # High daily limits, so that every timed cycle finds a card; a fixed zone.
    profile = update_profile_settings(
        database, found.id, new_per_day=9999, max_reviews_per_day=9999, time_zone="UTC"
    )
    run = StudyRun(profile)
    card = begin(database, run, NOW).card
    counted = {"statements": 0, "transactions": 0}

    def statement(*_: Any) -> None:
        counted["statements"] += 1

    def transaction(*_: Any) -> None:
        counted["transactions"] += 1

    event.listen(database.engine, "before_cursor_execute", statement)
    event.listen(database.engine, "begin", transaction)
    per_answer: list[tuple[int, int]] = []
    timings = []
    moment = NOW
    for n in range(cycles):
        if card is None:
            break
        moment += timedelta(seconds=5)
        counted.update(statements=0, transactions=0)
        start = time.perf_counter()
        typed = "answer" if n % 5 == 0 else card.question.accepted_answers[0]
        outcome = submit(database, run, card.question_id, TypedResponse(typed=typed), 4000, moment)
        card = rate(database, run, outcome.answer_id, outcome.suggested_rating, moment).card
        timings.append((time.perf_counter() - start) * 1000)
        per_answer.append((counted["statements"], counted["transactions"]))
    database.close()
    timings.sort()
    steady = per_answer[1:] or per_answer  # the first answer also starts the session
    return {
        "review_cycles": len(timings),
        "review_cycle_median_ms": round(statistics.median(timings), 3),
        "review_cycle_p99_ms": round(timings[int(len(timings) * 0.99) - 1], 3),
        "statements_per_answer": round(statistics.median(s for s, _ in steady), 1),
        "transactions_per_answer": round(statistics.median(t for _, t in steady), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure_burying(path: Path, runs: int = 20) -> dict[str, float]:
    """Today's counts plus the next card (what home and every rating ask), median of `runs`,
    after the review cycles have rated cards today: with every question in a fact of
    `SIBLINGS` (the burying subquery looks for a rated sibling), then with no facts (the
    subquery is skipped). Leaves the collection without facts."""
    from quiz.services.database import open_database
    from quiz.services.profiles import find_profile
    from quiz.services.queue import buried_by_deck, counts, pick_next, today

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    profile = find_profile(database, "bench")
    assert profile is not None
    moment = NOW + timedelta(hours=1)

    def median_ms() -> tuple[float, int, int]:
        times = []
        with database.engine.connect() as connection:
            day = today(connection, profile, moment)
            buried = sum(buried_by_deck(connection, profile, day).values())
            rated = connection.exec_driver_sql(
                "SELECT count(*) FROM answers WHERE rating IS NOT NULL AND answered_at >= ?",
                (day.start.strftime(SQLITE_TIME),),
            ).scalar()
            for _ in range(runs):
                start = time.perf_counter()
                counts(connection, profile, moment, None, day)
                pick_next(connection, profile, moment, None, None, day)
                times.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(times), 3), buried, int(rated or 0)

    with_facts, buried, rated = median_ms()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE questions SET fact = NULL")
    without_facts, _, _ = median_ms()
    database.close()
    return {
        "queue_with_siblings_ms": with_facts,
        "queue_without_facts_ms": without_facts,
        "burying_cost_ms": round(with_facts - without_facts, 3),
        "cards_rated_today": rated,
        "cards_buried_today": buried,
    }


def _grade(question: Any, typed: str) -> bool:
    from quiz.core.grading import grade_text

    return grade_text(typed, question.accepted_answers).correct


BASELINE_APP = """
import time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App[None]):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        self.ready_at = time.time()
        self.exit()

app = Minimal()
app.run(headless=True)
print(f"ready_at {app.ready_at}")
"""


def measure_startup(path: Path, runs: int = 7) -> dict[str, float]:
    """Process start to home's first frame and to home showing its deck counts (painted),
    against a minimal Textual app started the same way: fresh headless processes, the two
    kinds taken in turn (so that a busy moment of the machine falls on both), medians.
    Each process prints the times it was ready; the time it takes to exit is not counted."""
    quiz = [
        sys.executable,
        "-m",
        "quiz",
        "--db",
        str(path),
        "--profile",
        "bench",
        "--exit-when-ready",
    ]
    baseline = [sys.executable, "-c", BASELINE_APP]
    # Started as an installed quiz starts, from bytecode (pip compiles a wheel's modules
    # when it installs them; Textual's are compiled too). Under PYTHONDONTWRITEBYTECODE a
    # source checkout would compile each of its modules again on every start; without it,
    # the uncounted first start below writes their bytecode.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def timed(command: list[str]) -> dict[str, float]:
        start = time.time()
        out = subprocess.run(
            command, check=True, capture_output=True, text=True, env=environment
        ).stdout
        marks = dict(
            line.split() for line in out.splitlines() if line.endswith(tuple("0123456789"))
        )
        return {name: (float(at) - start) * 1000 for name, at in marks.items()}

    timed(quiz)  # the first start after building also syncs the cards: not counted
    base: list[float] = []
    paint: list[float] = []
    counts: list[float] = []
    for _ in range(runs):
        base.append(timed(baseline)["ready_at"])
        marks = timed(quiz)
        paint.append(marks["first_paint_at"])
        counts.append(marks["ready_at"])
    baseline_ms = statistics.median(base)
    return {
        "startup_first_paint_ms": round(statistics.median(paint), 1),
        "startup_counts_ms": round(statistics.median(counts), 1),
        "startup_baseline_ms": round(baseline_ms, 1),
        "startup_first_paint_ratio": round(statistics.median(paint) / baseline_ms, 2),
        "startup_counts_ratio": round(statistics.median(counts) / baseline_ms, 2),
    }


def measure_statistics(path: Path, runs: int = 3) -> dict[str, float]:
    """The statistics screen's queries on the collection (best of `runs`)."""
    from quiz.services.database import open_database
    from quiz.services.profiles import find_profile
    from quiz.services.stats import statistics as study_statistics

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    profile = find_profile(database, "bench")
    assert profile is not None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        study_statistics(database, profile, NOW)
        times.append((time.perf_counter() - start) * 1000)
    database.close()
    return {"statistics_ms": round(min(times), 1)}


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "quiz.bench", *args], capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure_import(folder: Path, count: int = 10_000) -> dict[str, float]:
    """Import a generated bank of `count` questions, then re-import it unchanged, as YAML
    and as JSON (which is YAML too, and parses much faster)."""
    import yaml

    from quiz.services.bank import import_banks
    from quiz.services.database import open_database

    (folder / "m.txt").write_text("the treaty of paris")
    bank = {
        "deck": "imported",
        "title": "Imported",
        "material": "m.txt",
        "questions": [_question(i) for i in range(count)],
    }
    texts = {"yaml": yaml.safe_dump(bank, sort_keys=False), "json": json.dumps(bank)}
    results = {}
    for kind, text in texts.items():
        bank_path = folder / f"bank-{kind}.yaml"
        bank_path.write_text(text)
        url = f"sqlite:///{folder / f'import-{kind}.db'}"
        database = open_database(url, NOW, import_builtin=False)
        start = time.perf_counter()
        import_banks(database, [bank_path], NOW)
        results[f"import_10k_{kind}_s"] = round(time.perf_counter() - start, 3)
        start = time.perf_counter()
        import_banks(database, [bank_path], NOW)
        results[f"reimport_unchanged_{kind}_s"] = round(time.perf_counter() - start, 3)
        database.close()
    return results


MEASUREMENTS = ("startup", "statistics", "review", "import")


def run(
    questions: int,
    answers: int,
    cycles: int,
    keep: Path | None = None,
    only: str | None = None,
) -> dict[str, Any]:
    """Build the collection (or reuse the one kept in `keep`) and take the measurements
    (or `only` one of them)."""
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp:
        folder = Path(tmp)
        path = (keep or folder) / "bench.db"
        results: dict[str, Any] = {"questions": questions, "answers": answers}
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            build_collection(path, questions, answers)
            results["build_s"] = round(time.perf_counter() - start, 1)
        # each measurement that writes works on its own copy, so a kept collection stays
        todo = [only] if only else list(MEASUREMENTS)
        if "startup" in todo:
            results.update(measure_startup(_copy(path, folder / "startup.db")))
        if "statistics" in todo:
            results.update(measure_statistics(path))
        if "review" in todo:
            copy = _copy(path, folder / "review.db")
            results.update(_child(["--child-cycles", str(copy), "--cycles", str(cycles)]))
            results.update(measure_burying(copy))  # after the cycles rated cards today
        if "import" in todo:
            results.update(measure_import(folder))
    if only is None:
        results.update(measure_grading())
    return results


def _copy(path: Path, target: Path) -> Path:
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def measure_grading() -> dict[str, Any]:
    """The grading evaluation set (tests/data/grading_eval.yaml) through the real grader."""
    from quiz.grading_eval import evaluate

    result = evaluate()
    return {
        "grading_right_accepted": round(result.accepted_share, 3),
        "grading_near_misses_rejected": round(result.rejected_share, 3),
        "grading_answers": result.right_total + result.wrong_total,
    }


def measure_interop(questions: int = 10_000) -> dict[str, Any]:
    """Export `questions` to an Anki package, then import that package into a fresh
    database (a separate option: its keys are not part of the main run's JSON)."""
    from quiz.services.database import open_database
    from quiz.services.interop import export_file, import_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "source.db"
        build_collection(path, questions, 0)
        source = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
        package = Path(folder) / "bench.apkg"
        started = time.perf_counter()
        written = export_file(source, package, "apkg").written
        exported = time.perf_counter() - started
        source.close()
        target = open_database(f"sqlite:///{folder}/target.db", NOW, import_builtin=False)
        started = time.perf_counter()
        summary = import_file(target, package, NOW)
        imported = time.perf_counter() - started
        target.close()
    return {
        "apkg_export_questions": written,
        "apkg_export_s": round(exported, 3),
        "apkg_import_notes": summary.count("added"),
        "apkg_import_s": round(imported, 3),
        "apkg_import_notes_per_s": round(summary.count("added") / imported),
    }


def _table(results: dict[str, Any]) -> str:
    width = max(len(k) for k in results)
    return "\n".join(f"{key:<{width}}  {value}" for key, value in results.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quiz.bench", description=__doc__)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--cycles", type=int, default=500, help="review cycles to time")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the collection as DIR/bench.db (reused when it exists) for other commands",
    )
    parser.add_argument("--only", choices=MEASUREMENTS, help="take one measurement")
    parser.add_argument("--child-cycles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--grading-only", action="store_true", help="only run the grading evaluation set"
    )
    parser.add_argument(
        "--interop-only",
        action="store_true",
        help="only time exporting 10,000 questions to apkg and importing that package",
    )
    args = parser.parse_args(argv)
    if args.interop_only:
        timed = measure_interop()
        print(json.dumps(timed) if args.json else _table(timed))
        return 0
    if args.grading_only:
        graded = measure_grading()
        print(json.dumps(graded) if args.json else _table(graded))
        return 0
    if args.child_cycles:
        print(json.dumps(measure_review_cycles(args.child_cycles, args.cycles)))
        return 0
    results = run(args.questions, args.answers, args.cycles, args.keep, args.only)
    print(json.dumps(results) if args.json else _table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
