"""Many learners at once on one database, through the service calls the app makes.

    python -m quiz.loadtest --db URL [--learners 30] [--join 10] [--seconds 60] [--json]

A teacher sets a drill; every simulated learner joins within `--join` seconds (each opens
the database as a served tab does, with its own engine: profile, cards, the home screen's
counts, the drill list, the attempt), answers the drill (feedback after each question),
finishes it, then reviews with spaced repetition (submit, rate) until `--seconds` after
the last join. Learners are threads spread over `--processes` processes, each thinking
`--think` seconds (on average) before every answer. Counted: answers sent against rows
stored (none lost, none twice), errors reaching a learner (a sentence) and raw ones (a
bug); measured: each answer's latency (save, and save + rate in review) and the join
time. On demand only (not in the default test run); a PostgreSQL URL must be on the
loopback address, so it never loads a shared server by mistake.
"""

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, make_url, select

from quiz.errors import QuizError
from quiz.services.auth import create_teacher
from quiz.services.cards import sync_cards
from quiz.services.database import Database, open_database
from quiz.services.drills import (
    answer_attempt,
    create_drill,
    drills_for_student,
    finish_attempt,
    spec_from_dict,
    start_attempt,
)
from quiz.services.exam_plan import exam_plan
from quiz.services.profiles import get_or_create_profile
from quiz.services.progress import deck_progress, study_streak, today_stats
from quiz.services.reviewing import StudyRun, begin, rate, submit
from quiz.services.simulated import respond
from quiz.store.models import AnswerRecord, Profile, StudySession

DRILL_QUESTIONS = 10
LOOPBACK = ("127.0.0.1", "localhost", "::1")
RIGHT_SHARE = 0.67  # a learner is right about two times in three


@dataclass
class LearnerLog:
    """What one learner did and met."""

    joined_ms: float | None = None
    sent: int = 0  # answers whose save returned
    drill_ms: list[float] = field(default_factory=list)  # save of a drill answer
    review_ms: list[float] = field(default_factory=list)  # save + rate of a review answer
    sentences: list[str] = field(default_factory=list)  # QuizErrors a learner would see
    raw: list[str] = field(default_factory=list)  # anything else: a bug


def _now() -> datetime:
    return datetime.now(UTC)


def _timed(log: LearnerLog, into: list[float], call: Any, *args: Any) -> Any:
    started = time.perf_counter()
    result = call(*args)
    into.append((time.perf_counter() - started) * 1000)
    log.sent += 1
    return result


def learner(
    url: str, name: str, drill_id: int, join_at: float, end_at: float, think: float, seed: int
) -> LearnerLog:
    """One learner: join at `join_at` (wall clock), answer until `end_at`."""
    log = LearnerLog()
    rng = random.Random(seed)
    time.sleep(max(0.0, join_at - time.time()))
    started = time.perf_counter()
    database: Database | None = None
    phase = "join"
    try:
        database = open_database(url, _now(), import_builtin=False)  # a tab's own engine
        profile = get_or_create_profile(database, name, _now())
        sync_cards(database, profile.id)
        for read in (deck_progress, study_streak, today_stats, exam_plan):
            read(database, profile, _now())
        drills_for_student(database, profile.id, _now())
        paper = start_attempt(database, profile, drill_id, _now())
        log.joined_ms = (time.perf_counter() - started) * 1000
        phase = "drill"
        for item in paper.questions:
            if time.time() >= end_at:
                break
            time.sleep(rng.uniform(0.5, 1.5) * think)
            response = respond(item.question, rng.random() < RIGHT_SHARE, item.options, paper=True)
            _timed(
                log,
                log.drill_ms,
                answer_attempt,
                database,
                paper.paper_id,
                item.question_id,
                response,
                2000,
                _now(),
            )
        finish_attempt(database, paper.paper_id, _now())
        phase = "review"
        run = StudyRun(profile)
        card = begin(database, run, _now()).card
        while card is not None and time.time() < end_at:
            time.sleep(rng.uniform(0.5, 1.5) * think)
            response = respond(card.question, rng.random() < RIGHT_SHARE)
            cycle = time.perf_counter()
            outcome = submit(database, run, card.question_id, response, 3000, _now())
            log.sent += 1
            card = rate(database, run, outcome.answer_id, outcome.suggested_rating, _now()).card
            log.review_ms.append((time.perf_counter() - cycle) * 1000)
    except QuizError as error:
        log.sentences.append(f"{phase}: {error}")
    except Exception as error:  # counted and reported: the test fails on any
        log.raw.append(f"{phase}: {type(error).__name__}: {error}"[:300])
    finally:
        if database is not None:
            database.close()
    return log


def _process(
    url: str, jobs: list[tuple[str, float, int]], drill_id: int, end_at: float, think: float
) -> list[dict[str, Any]]:
    """Run these learners as threads of one process (one process per core, like tabs)."""
    logs: list[LearnerLog | None] = [None] * len(jobs)

    def run(index: int, name: str, join_at: float, seed: int) -> None:
        logs[index] = learner(url, name, drill_id, join_at, end_at, think, seed)

    threads = [
        threading.Thread(target=run, args=(i, name, join_at, seed), daemon=True)
        for i, (name, join_at, seed) in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, end_at - time.time() + 60))
    return [asdict(log) if log else asdict(LearnerLog(raw=["did not finish"])) for log in logs]


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(values: list[float]) -> dict[str, float | None]:
    return {
        "count": len(values),
        "median_ms": round(statistics.median(values), 2) if values else None,
        "p95_ms": _round(percentile(values, 0.95)),
        "p99_ms": _round(percentile(values, 0.99)),
        "max_ms": _round(max(values) if values else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def check_loopback(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" and (parsed.host or "localhost") not in LOOPBACK:
        raise QuizError(
            f"the load test runs only against a database on this machine (127.0.0.1), not "
            f"{parsed.host}; start a local PostgreSQL server for it"
        )


def prepare(url: str, tag: str) -> int:
    """The database at head with the built-in bank, a teacher and the drill; its id."""
    database = open_database(url, _now())
    try:
        teacher = create_teacher(database, f"load-teacher-{tag}", "654321", _now())
        spec = spec_from_dict(
            {
                "title": f"Load test {tag}",
                "draw": {"count": DRILL_QUESTIONS, "seed": 1856},
                "feedback": "each",
                "attempts": 1,
            }
        )
        return create_drill(database, teacher, spec, _now()).id
    finally:
        database.close()


def stored_answers(url: str, prefix: str) -> tuple[int, int]:
    """Rows stored for these learners, and (session, question) pairs stored twice in a
    drill attempt (where one answer per question is the rule)."""
    database = open_database(url, _now(), import_builtin=False)
    try:
        with database.sessions() as session:
            ours = select(Profile.id).where(Profile.name.like(f"{prefix}%"))
            rows = (
                session.scalar(
                    select(func.count())
                    .select_from(AnswerRecord)
                    .where(AnswerRecord.profile_id.in_(ours))
                )
                or 0
            )
            doubled = (
                session.scalar(
                    select(func.count()).select_from(
                        select(AnswerRecord.session_id, AnswerRecord.question_id)
                        .join(StudySession, StudySession.id == AnswerRecord.session_id)
                        .where(StudySession.kind == "drill", AnswerRecord.profile_id.in_(ours))
                        .group_by(AnswerRecord.session_id, AnswerRecord.question_id)
                        .having(func.count() > 1)
                        .subquery()
                    )
                )
                or 0
            )
        return int(rows), int(doubled)
    finally:
        database.close()


def run_load(
    url: str, learners: int, join: float, seconds: float, think: float, processes: int
) -> dict[str, Any]:
    """Run the load and return its figures (`passed` says whether nothing was lost,
    doubled or raised)."""
    check_loopback(url)
    tag = f"{int(time.time())}-{random.randrange(10_000)}"
    drill_id = prepare(url, tag)
    prefix = f"load-{tag}-"
    start = time.time() + 2.0  # every process started and waiting
    end_at = start + join + seconds
    jobs = [(f"{prefix}{i}", start + join * i / max(1, learners), i) for i in range(learners)]
    shares = [jobs[p::processes] for p in range(processes)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        results = pool.starmap(
            _process, [(url, share, drill_id, end_at, think) for share in shares if share]
        )
    logs = [LearnerLog(**log) for part in results for log in part]
    rows, doubled = stored_answers(url, prefix)
    sent = sum(log.sent for log in logs)
    joined = [log.joined_ms for log in logs if log.joined_ms is not None]
    sentences = [s for log in logs for s in log.sentences]
    raw = [r for log in logs for r in log.raw]
    return {
        "backend": make_url(url).get_backend_name(),
        "learners": learners,
        "joined": len(joined),
        "join_window_s": join,
        "answering_s": seconds,
        "think_s": think,
        "processes": processes,
        "answers_sent": sent,
        "answers_stored": rows,
        "answers_doubled": doubled,
        "answers_per_s": round(sent / (join + seconds), 1),
        "drill_answer": summary([ms for log in logs for ms in log.drill_ms]),
        "review_answer_and_rate": summary([ms for log in logs for ms in log.review_ms]),
        "join": summary(joined),
        "learner_errors": len(sentences),
        "learner_error_examples": sorted(set(sentences))[:3],
        "raw_errors": len(raw),
        "raw_error_examples": sorted(set(raw))[:3],
        "passed": rows == sent
        and doubled == 0
        and not raw
        and not sentences
        and len(joined) == learners,
    }


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['backend']}: {result['learners']} learners joined {result['joined']} "
        f"within {result['join_window_s']:g} s, answered for {result['answering_s']:g} s",
        f"  answers sent {result['answers_sent']}, stored {result['answers_stored']}, "
        f"doubled {result['answers_doubled']} ({result['answers_per_s']}/s)",
    ]
    for key in ("drill_answer", "review_answer_and_rate", "join"):
        s = result[key]
        lines.append(
            f"  {key:<24} median {s['median_ms']} ms  p95 {s['p95_ms']} ms  "
            f"p99 {s['p99_ms']} ms  max {s['max_ms']} ms  (n={s['count']})"
        )
    lines.append(
        f"  errors a learner saw: {result['learner_errors']} {result['learner_error_examples']}; "
        f"raw errors: {result['raw_errors']} {result['raw_error_examples']}"
    )
    lines.append("  PASS" if result["passed"] else "  FAIL")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m quiz.loadtest", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--db", required=True, help="database URL (SQLite file or local PostgreSQL)"
    )
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--join", type=float, default=10.0, help="seconds over which all join")
    parser.add_argument("--seconds", type=float, default=60.0, help="answering after the last join")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds before an answer")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from quiz.environment import database_url_from

    try:
        result = run_load(
            database_url_from(args.db),
            args.learners,
            args.join,
            args.seconds,
            args.think,
            max(1, args.processes),
        )
    except QuizError as error:
        print(f"quiz.loadtest: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
