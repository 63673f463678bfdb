"""Benchmark against the budgets in DESIGN.md: `python -m quiz.bench [--json]`.

Builds a collection of N questions and M past answers shared by 30 learners in a
temporary SQLite database, then measures, each in a fresh process: the review cycle of
one learner (fetch the next due card, grade, record the answer, reschedule) and Anki's
(its Rust engine at as many notes, FSRS on, every card due: benchmarks/anki_review.py;
skipped without the `anki` wheel), process start to home's first frame and to its deck
counts (against a minimal Textual app started the same way), peak memory while studying,
statistics queries, the cost of sibling burying (today's counts and the next card with
every question in a fact of three, against the same collection without facts), the
teacher's report of a drill 30 students took, importing a 10,000-question bank, and the
grading evaluation set (share of right answers accepted, share of near-misses rejected).
`--only` takes one measurement (repeated, several), `--keep DIR` keeps the collection,
`--growth` measures at 1%, 10% and 100% of the questions; options make everything
smaller."""

import argparse
import itertools
import json
import math
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
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quiz.errors import QuizError

# The collection is built around the real clock, because the app under test reads it.
NOW = datetime.now(UTC).replace(microsecond=0)
TOPICS = ["causes", "parties", "terms", "aims", "consequences", "sources"]
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
SIBLINGS = 3  # questions per fact, as in the built-in bank at most
PROFILES = 30  # learners sharing the collection
MEASURED = "bench"  # the learner whose study is measured
DRILL_QUESTIONS = 20  # questions in the drill the students take


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


def profile_names(profiles: int) -> list[str]:
    """The learners of the collection: the measured one ("bench") first."""
    return [MEASURED, *(f"learner-{n:02}" for n in range(2, profiles + 1))]


def build_collection(
    path: Path, questions: int, answers: int, profiles: int = PROFILES, seed: int = 1
) -> None:
    """Create the schema with the app's own migrations and the learners' profiles with the
    app's own service, then bulk-load the collection: `questions` questions, each learner
    with a card row for every one of them (as syncing makes), and `answers` past answers
    spread evenly over the learners, one review session a day each for a year."""
    from quiz.services.database import open_database
    from quiz.services.profiles import get_or_create_profile

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    ids = [get_or_create_profile(database, name, NOW).id for name in profile_names(profiles)]
    database.close()
    rng = random.Random(seed)
    created = _ts(NOW - timedelta(days=400))
    share = answers // len(ids)  # the first learners take the remainder, one each
    shares = [share + (n < answers % len(ids)) for n in range(len(ids))]
    studied = [min(questions, max(1, mine // 10)) for mine in shares]
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA synchronous = OFF")  # a throwaway collection: no need to wait on disk
        # the app's indexes on the big tables, dropped for the load and made again after it
        # from their own definitions (one sort each instead of millions of scattered inserts)
        indexes = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('card_states', 'answers')"
        ).fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
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
        for profile_id, mine in zip(ids, studied, strict=True):
            db.executemany(
                "INSERT INTO card_states (profile_id, question_id, state, step, stability,"
                " difficulty, due, last_review, reps, lapses, suspended, deck_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)",
                _card_rows(profile_id, mine, rng),
            )
            db.execute(  # the rest are new cards, as syncing makes them
                "INSERT INTO card_states (profile_id, question_id, state, step, stability,"
                " difficulty, due, last_review, reps, lapses, suspended, deck_id)"
                " SELECT ?, id, 0, NULL, NULL, NULL, ?, NULL, 0, 0, 0, 1 FROM questions"
                " WHERE id > ? ORDER BY id",
                (profile_id, created, mine),
            )
        db.execute("UPDATE profiles SET synced_question_id = ?", (questions,))
        db.executemany(
            "INSERT INTO study_sessions (id, profile_id, kind, started_at, ended_at)"
            " VALUES (?, ?, 'review', ?, ?)",
            (
                (
                    _session_id(n, day),
                    profile_id,
                    _ts(NOW - timedelta(days=365 - day)),
                    _ts(NOW - timedelta(days=365 - day, minutes=-30)),
                )
                for n, profile_id in enumerate(ids)
                for day in range(365)
            ),
        )
        db.executemany(
            "INSERT INTO answers (session_id, profile_id, question_id, answered_at, response,"
            " correct, duration_ms, rating, state_before, previous_state)"
            ' VALUES (?, ?, ?, ?, \'{"typed": "x"}\', ?, ?, ?, 2, NULL)',
            _answer_rows(ids, answers, studied, rng),
        )
        for _, sql in indexes:
            db.execute(sql)


def _session_id(learner: int, day: int) -> int:
    return learner * 365 + day + 1


def _card_rows(profile_id: int, studied: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """The learner's studied cards (the first `studied` questions), in review."""
    for i in range(1, studied + 1):
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


def _answer_rows(
    ids: list[int], answers: int, studied: list[int], rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    """The answers in time order, each day's shared out among the learners in turn."""
    for n in range(answers):
        day = n * 365 // max(answers, 1)
        learner = n % len(ids)
        moment = NOW - timedelta(days=365 - day, seconds=-rng.randint(0, 1800))
        correct = rng.random() < 0.85
        yield (
            _session_id(learner, day),
            ids[learner],
            rng.randint(1, studied[learner]),
            _ts(moment),
            correct,
            rng.randint(800, 20000),
            3 if correct else 1,
        )


_NOT_STATEMENTS = ("COMMIT", "ROLLBACK")  # a transaction's end


def measure_review_cycles(path: Path, cycles: int) -> dict[str, float]:
    """In this process: grade + record (`submit`), then reschedule + next card with today's
    counts (`rate`) — `cycles` times; also the SQL statements and transactions of one
    answer, as SQLite traced them."""
    from sqlalchemy import event

    from quiz.services.answering import TypedResponse
    from quiz.services.database import open_database
    from quiz.services.profiles import find_profile, update_profile_settings
    from quiz.services.reviewing import StudyRun, begin, rate, submit

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    found = find_profile(database, MEASURED)
    assert found is not None
    # High daily limits, so that every timed cycle finds a card; a fixed zone.
    profile = update_profile_settings(
        database, found.id, new_per_day=9999, max_reviews_per_day=9999, time_zone="UTC"
    )
    counted = {"statements": 0, "transactions": 0}
    last = [""]

    def statement(sql: str) -> None:
        # SQLite traces each trigger program run as the statement that fired it, again
        if sql.startswith("BEGIN"):
            counted["transactions"] += 1
        elif sql != last[0] and not sql.startswith(_NOT_STATEMENTS):
            counted["statements"] += 1
        last[0] = sql

    # Counted as SQLite runs them, not by SQLAlchemy's events: the answer path runs most
    # statements on the driver's cursor (quiz.store.prepared), where statement events do
    # not fire, and a listener of transactions would slow every one (the connection joins
    # the engine's dispatch). A transaction is a BEGIN: SQLite begins one at the first write.
    database.engine.dispose()
    event.listen(database.engine, "connect", lambda raw, _: raw.set_trace_callback(statement))
    run = StudyRun(profile)
    card = begin(database, run, NOW).card
    per_answer: list[tuple[int, int]] = []
    timings = []
    cpu = []  # this thread's CPU time per cycle: less moved by a busy machine than wall time
    moment = NOW
    for n in range(cycles):
        if card is None:
            break
        moment += timedelta(seconds=5)
        counted.update(statements=0, transactions=0)
        start_cpu = time.thread_time()
        start = time.perf_counter()
        typed = "answer" if n % 5 == 0 else card.question.accepted_answers[0]
        outcome = submit(database, run, card.question_id, TypedResponse(typed=typed), 4000, moment)
        card = rate(database, run, outcome.answer_id, outcome.suggested_rating, moment).card
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        per_answer.append((counted["statements"], counted["transactions"]))
    database.close()
    steady = per_answer[1:] or per_answer  # the first answer also starts the session
    return {
        "review_cycles": len(timings),
        **cycle_times("review_cycle", timings, cpu),
        "statements_per_answer": round(statistics.median(s for s, _ in steady), 1),
        "transactions_per_answer": round(statistics.median(t for _, t in steady), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def cycle_times(prefix: str, timings: list[float], cpu: list[float]) -> dict[str, float]:
    """Median, 99th and 95th percentile and slowest of the cycles' wall times (ms), and
    the median of their CPU times, as `prefix_median_ms` and so on."""
    ordered = sorted(timings)
    return {
        f"{prefix}_median_ms": round(statistics.median(ordered), 3),
        f"{prefix}_p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 3),
        f"{prefix}_p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)], 3),
        f"{prefix}_max_ms": round(ordered[-1], 3),
        f"{prefix}_cpu_median_ms": round(statistics.median(cpu), 3),
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
    profile = find_profile(database, MEASURED)
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
        MEASURED,
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
    profile = find_profile(database, MEASURED)
    assert profile is not None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        study_statistics(database, profile, NOW)
        times.append((time.perf_counter() - start) * 1000)
    database.close()
    return {"statistics_ms": round(min(times), 1)}


def _child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


ANKI_SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "anki_review.py"


def measure_anki(notes: int, cycles: int) -> dict[str, Any]:
    """Anki's review cycle timed the same way, in a fresh process: benchmarks/anki_review.py
    (a source checkout's) at `notes` notes, FSRS on, every card due. Skipped, saying why,
    without that script or the `anki` wheel."""
    if not ANKI_SCRIPT.exists():
        return {"anki_skipped": f"{ANKI_SCRIPT} is not here (it comes with a source checkout)"}
    return _child([str(ANKI_SCRIPT), "--notes", str(notes), "--cycles", str(cycles), "--json"])


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


def measure_drill_report(
    path: Path, students: int = PROFILES, asked: int = DRILL_QUESTIONS, runs: int = 5
) -> dict[str, Any]:
    """A teacher sets a drill of `asked` questions drawn from the collection; `students`
    learners (the collection's, then new ones) take it through the services a learner's
    screen calls (start, answer every question with the simulated learner's response,
    finish), better students more often right; then the teacher's report as `quiz drill
    report --json` builds it: each student's scores, each question's facility and most
    chosen wrong answer, the item analysis (median of `runs`). Writes to `path`."""
    from quiz.services.auth import create_teacher
    from quiz.services.database import open_database
    from quiz.services.drills import (
        answer_attempt,
        create_drill,
        drill_report,
        finish_attempt,
        spec_from_dict,
        start_attempt,
    )
    from quiz.services.profiles import get_or_create_profile
    from quiz.services.simulated import respond

    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    teacher = create_teacher(database, "bench-teacher", "654321", NOW)
    spec = {"title": "Bench drill", "draw": {"count": asked, "seed": 1856}, "attempts": 1}
    drill_id = create_drill(database, teacher, spec_from_dict(spec), NOW).id
    names = profile_names(max(students, PROFILES))[:students]
    rng = random.Random(13)
    moment = NOW
    answer_ms = []
    started = time.perf_counter()
    for n, name in enumerate(names):
        student = get_or_create_profile(database, name, moment)
        paper = start_attempt(database, student, drill_id, moment, seed=n)
        ability = 0.3 + 0.6 * n / max(1, students - 1)
        for item in paper.questions:
            moment += timedelta(seconds=20)
            response = respond(item.question, rng.random() < ability, item.options, paper=True)
            begun = time.perf_counter()
            answer_attempt(database, paper.paper_id, item.question_id, response, 20_000, moment)
            answer_ms.append((time.perf_counter() - begun) * 1000)
        finish_attempt(database, paper.paper_id, moment)
    taken = time.perf_counter() - started
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        report = drill_report(database, teacher, drill_id, moment)
        report.to_json(moment)
        times.append((time.perf_counter() - begun) * 1000)
    database.close()
    return {
        "drill_report_30_ms": round(statistics.median(times), 1),
        "drill_students": len(report.students),
        "drill_questions": len(report.questions),
        "drill_item_analysis_attempts": 0 if report.analysis is None else report.analysis.attempts,
        "drill_taking_s": round(taken, 2),
        "drill_answer_median_ms": round(statistics.median(answer_ms), 2),
    }


MEASUREMENTS = ("startup", "statistics", "review", "anki", "import", "report")
GROWTH_MEASUREMENTS = ("startup", "statistics", "review")
GROWTH_KEYS = (
    "review_cycle_median_ms",
    "review_cycle_p99_ms",
    "startup_first_paint_ms",
    "startup_counts_ms",
    "startup_first_paint_ratio",
    "startup_counts_ratio",
    "statistics_ms",
)
# start-up is judged by its ratios to the bare app of the same run: a busy moment of the
# machine moves both, while a start-up's milliseconds drift with the machine's load
UNJUDGED = ("startup_first_paint_ms", "startup_counts_ms")
NOISE = 0.10  # a ratio this much above the logarithmic bound still counts as within it


@dataclass(frozen=True)
class Sizes:
    """What to build and how much to measure."""

    questions: int = 100_000
    answers: int = 1_000_000
    profiles: int = PROFILES
    cycles: int = 500  # review cycles timed
    runs: int = 7  # start-up pairs (quiz and the bare app)
    students: int = PROFILES  # who take the drill
    drill_questions: int = DRILL_QUESTIONS
    import_questions: int = 10_000


def run(sizes: Sizes, keep: Path | None = None, only: list[str] | None = None) -> dict[str, Any]:
    """Build the collection (or reuse the one kept in `keep`) and take the measurements
    (or `only` those)."""
    with tempfile.TemporaryDirectory(prefix="quiz-bench-") as tmp:
        folder = Path(tmp)
        path = (keep or folder) / "bench.db"
        built = _ensure_collection(path, sizes)
        found = collection_sizes(path)  # a kept collection may differ from the options
        sizes = replace(sizes, **found)
        results: dict[str, Any] = {**found, **built}
        todo = only or list(MEASUREMENTS)
        results.update(measure_collection(path, folder, todo, sizes))
    if only is None:
        results.update(measure_grading())
    return results


def collection_sizes(path: Path) -> dict[str, int]:
    """How many questions, answers and learners (not teachers) the collection holds;
    refused for a file the bench did not build."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            questions, answers, profiles, measured = db.execute(
                "SELECT (SELECT count(*) FROM questions), (SELECT count(*) FROM answers),"
                " (SELECT count(*) FROM profiles WHERE NOT is_teacher),"
                " (SELECT count(*) FROM profiles WHERE name = ?)",
                (MEASURED,),
            ).fetchone()
    except sqlite3.DatabaseError:
        measured = 0
    if not measured:
        raise QuizError(
            f"{path} is not a collection the bench built; give --keep a new folder, "
            "or one where the bench kept its collection"
        )
    return {"questions": questions, "answers": answers, "profiles": profiles}


def _ensure_collection(path: Path, sizes: Sizes) -> dict[str, Any]:
    """Build the collection at `path` unless it is there (kept); its build time if built."""
    if path.exists():
        return {}
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    build_collection(path, sizes.questions, sizes.answers, sizes.profiles)
    return {"build_s": round(time.perf_counter() - start, 1)}


def measure_collection(path: Path, folder: Path, todo: list[str], sizes: Sizes) -> dict[str, Any]:
    """The measurements in `todo` on the collection at `path`; each one that writes works
    on its own copy in `folder`, so a kept collection stays as built."""
    results: dict[str, Any] = {}
    if "startup" in todo:
        results.update(measure_startup(_copy(path, folder / "startup.db"), sizes.runs))
    if "statistics" in todo:
        results.update(measure_statistics(path))
    if "review" in todo:
        copy = _copy(path, folder / "review.db")
        child = ["-m", "quiz.bench", "--child-cycles", str(copy), "--cycles", str(sizes.cycles)]
        results.update(_child(child))
        results.update(measure_burying(copy))  # after the cycles rated cards today
        copy.unlink()
    if "anki" in todo:
        anki = measure_anki(sizes.questions, sizes.cycles)
        results.update(anki)
        if "review_cycle_median_ms" in results and "anki_review_median_ms" in anki:
            # below 1: our cycle is the faster, measured in the same run
            median = results["review_cycle_median_ms"] / anki["anki_review_median_ms"]
            p99 = results["review_cycle_p99_ms"] / anki["anki_review_p99_ms"]
            results.update(review_vs_anki=round(median, 2), review_p99_vs_anki=round(p99, 2))
    if "report" in todo:
        copy = _copy(path, folder / "report.db")
        asked = min(sizes.drill_questions, max(1, sizes.questions // SIBLINGS))
        results.update(measure_drill_report(copy, sizes.students, asked))
        copy.unlink()
    if "import" in todo:
        results.update(measure_import(folder, sizes.import_questions))
        results["import_questions"] = sizes.import_questions
    return results


def measure_growth(sizes: Sizes, keep: Path | None, todo: list[str]) -> dict[str, Any]:
    """The measurements in `todo` (start-up, statistics, review) at a hundredth, a tenth
    and all of `sizes.questions` (answers in proportion, the same learners; the largest
    is the main collection, reused when kept), each quantity's ratio per tenfold growth,
    and whether that ratio stays within what cost growing with log(questions) would give
    (`per_tenfold`). Start-up is judged by its ratios to the bare app (`UNJUDGED`)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quiz-bench-growth-") as tmp:
        folder = Path(tmp)
        main = (keep or folder) / "bench.db"
        _ensure_collection(main, sizes)
        largest = replace(sizes, **collection_sizes(main))
        steps = [
            replace(largest, questions=n, answers=largest.answers * n // largest.questions)
            for n in (max(1, largest.questions // 100), max(1, largest.questions // 10))
        ]
        measured = []
        for step in steps:
            path = folder / f"growth-{step.questions}.db"
            _ensure_collection(path, step)
            measured.append(measure_collection(path, folder, todo, step))
            path.unlink()
        measured.append(measure_collection(main, folder, todo, largest))
    steps.append(largest)
    questions = [step.questions for step in steps]
    quantities = {
        key: {**per_tenfold(questions, [m[key] for m in measured]), "judged": key not in UNJUDGED}
        for key in GROWTH_KEYS
        if key in measured[0]
    }
    return {
        "growth": {
            "questions": questions,
            "answers": [step.answers for step in steps],
            "profiles": largest.profiles,
            "log_bound_per_10x": log_bounds(questions),
            "quantities": quantities,
            "log_or_better": all(q["log_or_better"] for q in quantities.values() if q["judged"]),
            "seconds": round(time.perf_counter() - started, 1),
        }
    }


def log_bounds(questions: list[int]) -> list[float | None]:
    """For each tenfold step from n questions: log(10n) / log(n), the ratio a cost growing
    with log(questions) would show (None from one question, whose log is 0)."""
    return [round(math.log(10 * n) / math.log(n), 3) if n > 1 else None for n in questions[:-1]]


def per_tenfold(questions: list[int], values: list[float]) -> dict[str, Any]:
    """The values measured at `questions` (each ten times the last), each step's ratio,
    and whether every ratio stays within its logarithmic bound (`NOISE` allowed)."""
    ratios = [round(b / a, 3) if a else None for a, b in itertools.pairwise(values)]
    within = all(
        r is not None and (bound is None or r <= bound * (1 + NOISE))
        for r, bound in zip(ratios, log_bounds(questions), strict=True)
    )
    return {"values": values, "ratio_per_10x": ratios, "log_or_better": within}


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
        build_collection(path, questions, 0, profiles=1)
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


DRAFTING_TEXTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "drafting"


def measure_drafting(words: int = 5_000, runs: int = 3) -> dict[str, Any]:
    """`quiz bank generate` on a `words`-word text (the drafting fixtures and the treaty
    material, repeated and cut), without the truecase model as CI runs it (best of `runs`)."""
    from quiz.core.generate import draft_bank
    from quiz.resources import builtin_bank_dir

    paths = [builtin_bank_dir() / "treaty_of_paris_1856.txt", *sorted(DRAFTING_TEXTS.glob("*.txt"))]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    material: list[str] = []
    while sum(len(t.split()) for t in material) < words:
        material.append(texts[len(material) % len(texts)])
    text = " ".join(" ".join(material).split(" ")[:words])
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        drafts = len(draft_bank(text, "bench", "bench.txt", use_model=False)["questions"])
        best = min(best, time.perf_counter() - started)
    return {"drafting_words": words, "drafting_drafts": drafts, "drafting_s": round(best, 2)}


def table(results: dict[str, Any]) -> str:
    flat = {key: value for key, value in results.items() if key != "growth"}
    width = max(len(k) for k in flat) if flat else 0
    lines = [f"{key:<{width}}  {value}" for key, value in flat.items()]
    if "growth" in results:
        lines.extend(_growth_table(results["growth"]))
    return "\n".join(lines)


def _growth_table(growth: dict[str, Any]) -> list[str]:
    steps = " / ".join(f"{n:,}" for n in growth["questions"])
    bounds = ", ".join("-" if b is None else f"x{b}" for b in growth["log_bound_per_10x"])
    overall = "log or better" if growth["log_or_better"] else "WORSE than log"
    lines = [
        f"growth at {steps} questions ({growth['profiles']} learners; log bound per 10x: "
        f"{bounds}; {growth['seconds']} s): {overall}"
    ]
    width = max((len(k) for k in growth["quantities"]), default=0)
    for key, quantity in growth["quantities"].items():
        values = " / ".join(str(v) for v in quantity["values"])
        ratios = ", ".join("-" if r is None else f"x{r}" for r in quantity["ratio_per_10x"])
        verdict = "log or better" if quantity["log_or_better"] else "WORSE than log"
        if not quantity["judged"]:
            verdict += ", not judged: see the ratio"
        lines.append(f"  {key:<{width}}  {values}  (per 10x: {ratios}; {verdict})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quiz.bench", description=__doc__)
    default = Sizes()
    parser.add_argument("--questions", type=int, default=default.questions)
    parser.add_argument("--answers", type=int, default=default.answers)
    parser.add_argument(
        "--profiles", type=int, default=default.profiles, help="learners sharing the answers"
    )
    parser.add_argument("--cycles", type=int, default=default.cycles, help="review cycles to time")
    parser.add_argument(
        "--runs", type=int, default=default.runs, help="start-up pairs (quiz, bare app) to time"
    )
    parser.add_argument(
        "--students", type=int, default=default.students, help="students taking the drill"
    )
    parser.add_argument(
        "--drill-questions", type=int, default=default.drill_questions, help="questions in it"
    )
    parser.add_argument(
        "--import-questions",
        type=int,
        default=default.import_questions,
        help="questions in the imported bank",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the collection as DIR/bench.db (reused when it exists) for other commands",
    )
    parser.add_argument(
        "--only",
        choices=MEASUREMENTS,
        action="append",
        help="take this measurement only (repeat it for more: --only review --only anki)",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="start-up, statistics and the review cycle at 1%%, 10%% and 100%% of --questions",
    )
    parser.add_argument("--child-cycles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--grading-only", action="store_true", help="only run the grading evaluation set"
    )
    parser.add_argument(
        "--interop-only",
        action="store_true",
        help="only time exporting 10,000 questions to apkg and importing that package",
    )
    parser.add_argument(
        "--drafting-only",
        action="store_true",
        help="only time drafting questions from a 5,000-word text (quiz bank generate)",
    )
    args = parser.parse_args(argv)
    counts = ("questions", "profiles", "cycles", "runs", "students", "drill_questions")
    for name in counts:
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.answers < 0 or args.import_questions < 1:
        parser.error("--answers must be 0 or more and --import-questions at least 1")
    refused = [name for name in args.only or () if name not in GROWTH_MEASUREMENTS]
    if args.growth and refused:
        parser.error(f"--growth measures {', '.join(GROWTH_MEASUREMENTS)}; not --only {refused[0]}")
    if args.drafting_only:
        drafted = measure_drafting()
        print(json.dumps(drafted) if args.json else table(drafted))
        return 0
    if args.interop_only:
        timed = measure_interop()
        print(json.dumps(timed) if args.json else table(timed))
        return 0
    if args.grading_only:
        graded = measure_grading()
        print(json.dumps(graded) if args.json else table(graded))
        return 0
    if args.child_cycles:
        print(json.dumps(measure_review_cycles(args.child_cycles, args.cycles)))
        return 0
    sizes = Sizes(
        args.questions,
        args.answers,
        args.profiles,
        args.cycles,
        args.runs,
        args.students,
        args.drill_questions,
        args.import_questions,
    )
    try:
        if args.growth:
            todo = args.only or list(GROWTH_MEASUREMENTS)
            results = measure_growth(sizes, args.keep, todo)
        else:
            results = run(sizes, args.keep, args.only)
    except QuizError as error:
        print(f"quiz.bench: {error}", file=sys.stderr)
        return 1
    print(json.dumps(results) if args.json else table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
