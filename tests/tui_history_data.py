"""A learner's past, written through the review and paper services at controlled times, for
the history and statistics tests (and their snapshots); and the responses a learner gives,
right or wrong, to any question of the bank."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiz.services.answering import (
    TypedResponse,
)
from quiz.services.bank import import_banks
from quiz.services.cards import sync_cards
from quiz.services.database import Database, open_database
from quiz.services.mock_exam import answer_exam, finish_exam, start_exam
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.services.reviewing import StudyRun, begin, end, rate, submit

from .conftest import NOW  # Monday 2026-03-30 09:00 UTC; study days start at 04:00
from .responses import WRONG, respond

TOPICS = ("causes", "dates", "signatories", "territory")


def write_bank(path: Path, per_topic: int = 20) -> Path:
    """A deck of short-answer questions, `per_topic` in each topic."""
    facts: list[str] = []
    lines = ["deck: history", "title: History deck", "material: material.txt", "questions:"]
    for topic in TOPICS:
        for n in range(1, per_topic + 1):
            lines += [
                f"  - id: {topic[:3]}-{n}",
                "    type: short_answer",
                f"    topic: {topic}",
                "    difficulty: 1",
                f"    prompt: Question {n} about {topic}?",
                f"    answer: answer {n}",
                f"    explanation: Fact {n} about {topic}.",
                f"    source: Fact {n} about {topic}",
            ]
            facts.append(f"Fact {n} about {topic}.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (path.parent / "material.txt").write_text("\n".join(facts) + "\n", encoding="utf-8")
    return path


@contextmanager
def history_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A SQLite file holding only the history deck, with local time set to UTC so that
    study days and the times shown do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    db = open_database(f"sqlite:///{tmp_path / 'quiz.db'}", NOW - timedelta(days=60), False)
    try:
        import_banks(db, [write_bank(tmp_path / "history.yaml")], NOW - timedelta(days=60))
        yield db
    finally:
        db.close()
        monkeypatch.delenv("TZ")
        time.tzset()


@dataclass(frozen=True)
class Given:
    """One answer the test gave."""

    session_id: int
    question_id: int
    at: datetime
    correct: bool
    rating: int | None
    state_before: int | None
    typed: str


def study_day(
    db: Database,
    profile: ProfileInfo,
    start: datetime,
    outcomes: str,
    log: list[Given],
    step: timedelta = timedelta(seconds=15),
) -> int:
    """One review session from `start`: one card per letter of `outcomes`, each answered
    `step` after the last: 'e' right + Easy, 'g' right + Good, 'h' right + Hard, 'a'
    wrong + Again (fewer if no card is left). Returns the session's id; the session is
    ended `step` after the last answer."""
    run = StudyRun(profile)
    card = begin(db, run, start).card
    now = start
    for n, outcome in enumerate(outcomes):
        if card is None:
            break  # nothing left today
        correct = outcome != "a"
        rating = {"e": 4, "g": 3, "h": 2, "a": 1}[outcome]
        typed = f"answer {card.key.split('-')[1]}" if correct else WRONG
        answered = submit(
            db, run, card.question_id, TypedResponse(typed=typed), 4000 + 500 * n, now
        )
        assert answered.checked.correct is correct  # graded by the service
        assert run.session_id is not None
        log.append(
            Given(
                run.session_id, card.question_id, now, correct, rating, card.snapshot.state, typed
            )
        )
        card = rate(db, run, answered.answer_id, rating, now, seed=len(log) - 1).card
        now += step
    end(db, run, now)
    assert run.session_id is not None
    return run.session_id


# (days before NOW, hour, outcomes): a month of study with gaps, then five days in a row
PLAN: list[tuple[int, int, str]] = [
    (33, 18, "egeegegg"),
    (32, 19, "gegaeggeg"),
    (30, 8, "egagegegg"),
    (26, 20, "gegeggegeeg"),
    (25, 7, "geaeggh"),
    (22, 9, "gegegegaeggg"),
    (19, 21, "eggegeggae"),
    (18, 12, "geeg"),
    (15, 10, "gegegaegg"),
    (12, 9, "egggegegegeggeg"),
    (11, 19, "eaegg"),
    (8, 8, "eggegaegge"),
    (6, 13, "ggeg"),
    (4, 9, "gegeggea"),
    (3, 20, "eggegegh"),
    (2, 11, "gaeggeg"),
    (1, 9, "eggegegegggea"),
    (0, 6, "ggeagh"),  # today, before NOW (09:00)
]


def simulate(db: Database, name: str = "ann") -> tuple[ProfileInfo, list[Given], int]:
    """Write PLAN for `name` and a five-question mock exam (3 right) on day 5 before NOW.
    Returns the profile, every review answer given and the exam's session id."""
    profile = get_or_create_profile(db, name, NOW - timedelta(days=40))
    sync_cards(db, profile.id)
    log: list[Given] = []
    for days_ago, hour, outcomes in PLAN:
        day = (NOW - timedelta(days=days_ago)).replace(hour=hour, minute=0)
        study_day(db, profile, day, outcomes, log)
    exam_at = (NOW - timedelta(days=5)).replace(hour=17, minute=30)
    paper = start_exam(db, profile, exam_at, count=5, seed=3)
    for n, question in enumerate(paper.questions):
        response = respond(question.question, paper=True) if n < 3 else TypedResponse(typed="?")
        answered = answer_exam(
            db,
            paper.paper_id,
            question.question_id,
            response,
            20000,
            exam_at + timedelta(seconds=30 * (n + 1)),
        )
        assert answered.checked.correct is (n < 3)
    finish_exam(db, paper.paper_id, exam_at + timedelta(minutes=4))
    return profile, log, paper.paper_id


def study_date(moment: datetime) -> date:
    """The study day (starting 04:00 UTC) of a moment."""
    return (moment.astimezone(UTC) - timedelta(hours=4)).date()
