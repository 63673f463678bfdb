"""`schedule simulate`: what each desired retention would cost this learner a day, from
their own parameters, deck, limits, answer times and rating habits."""

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from quiz.core.optimise import DEFAULT_PARAMETERS
from quiz.core.scheduling import NEW, CardKind
from quiz.core.workload import Deck, Habits, Workload, cheapest, compare
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.optimising import describe_parameters
from quiz.services.profiles import ProfileInfo
from quiz.services.reviewing import REVIEW_KINDS
from quiz.store.models import AnswerRecord, CardState, Question, StudySession

RETENTIONS = (0.8, 0.85, 0.9, 0.95)
RECENT_ANSWERS = 20_000  # the learner's habits are read from their latest answers
MIN_SAMPLES = 5  # fewer answers of a kind than this: the default figure is kept
_ROW = {NEW: 0, CardKind.LEARNING.value: 0, CardKind.REVIEW.value: 1, CardKind.RELEARNING.value: 2}


@dataclass(frozen=True)
class WorkloadReport:
    """Each retention's simulated workload, and the one with the least work per card
    remembered."""

    profile: str
    cards: int
    parameters: str
    workloads: tuple[Workload, ...]
    best: float | None
    own_times: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "cards": self.cards,
            "parameters": self.parameters,
            "own_answer_times": self.own_times,
            "best_retention": self.best,
            "retentions": [
                w.to_dict() | {"best": w.retention == self.best} for w in self.workloads
            ],
        }

    def lines(self) -> list[str]:
        days = self.workloads[0].days if self.workloads else 0
        times = "your own answer times" if self.own_times else "typical answer times"
        lines = [
            f"{self.cards} cards over {days} days, {self.parameters}, {times}:",
            "retention  reviews/day  minutes/day  remembered at end  seconds/card remembered",
        ]
        for w in self.workloads:
            mark = "  <- least work per card remembered" if w.retention == self.best else ""
            lines.append(
                f"{w.retention:>9.2f}  {w.reviews_per_day:>11.1f}  {w.minutes_per_day:>11.1f}  "
                f"{w.remembered_share:>17.0%}  {w.seconds_per_remembered:>23.1f}{mark}"
            )
        return lines


def learner_habits(database: Database, profile: ProfileInfo) -> tuple[Habits, bool]:
    """The learner's answer times and rating habits from their latest rated reviews, the
    defaults where they have too few answers of a kind; and whether any were their own."""
    recent = (
        select(AnswerRecord.state_before, AnswerRecord.rating, AnswerRecord.duration_ms)
        .join(StudySession, StudySession.id == AnswerRecord.session_id)
        .where(
            AnswerRecord.profile_id == profile.id,
            AnswerRecord.rating.is_not(None),
            StudySession.kind.in_(REVIEW_KINDS),
        )
        .order_by(AnswerRecord.answered_at.desc())
        .limit(RECENT_ANSWERS)
    )
    with database.engine.connect() as connection:
        rows = connection.execute(recent).all()
    durations: dict[tuple[int, int], list[float]] = defaultdict(list)
    first: list[int] = [0, 0, 0, 0]
    recalled: list[int] = [0, 0, 0]
    for state, rating, ms in rows:
        if state is None or rating is None:
            continue
        durations[(_ROW.get(state, 1), rating)].append(ms / 1000)
        if state == NEW:
            first[rating - 1] += 1
        elif state == CardKind.REVIEW.value and rating > 1:
            recalled[rating - 2] += 1
    default = Habits()
    seconds = tuple(
        tuple(
            statistics.median(durations[(row, rating)])
            if len(durations[(row, rating)]) >= MIN_SAMPLES
            else default.seconds[row][rating - 1]
            for rating in (1, 2, 3, 4)
        )
        for row in range(3)
    )
    habits = Habits(
        seconds,
        _shares(first, default.first_rating),
        _shares(recalled, default.recalled_rating),
    )
    return habits, any(len(v) >= MIN_SAMPLES for v in durations.values())


def _shares(counts: Sequence[int], default: tuple[float, ...]) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(c / total for c in counts) if total >= MIN_SAMPLES * len(counts) else default


def simulate_retentions(
    database: Database,
    profile: ProfileInfo,
    retentions: Sequence[float] = RETENTIONS,
    days: int = 365,
) -> WorkloadReport:
    """Simulate the profile's deck at each retention over `days` days."""
    if not retentions or any(not 0.7 <= r <= 0.99 for r in retentions):
        raise QuizError("give retentions from 0.70 to 0.99, e.g. --retention 0.85 0.9")
    if not 1 <= days <= 3650:
        raise QuizError("--days must be from 1 to 3650")
    with database.engine.connect() as connection:
        cards = int(
            connection.scalar(
                select(func.count())
                .select_from(CardState)
                .join(Question, Question.id == CardState.question_id)
                .where(
                    CardState.profile_id == profile.id,
                    CardState.suspended.is_(False),
                    Question.retired_at.is_(None),
                )
            )
            or 0
        )
    habits, own = learner_habits(database, profile)
    deck = Deck(
        cards,
        profile.new_per_day,
        profile.max_reviews_per_day,
        learning_steps=len(profile.learning_steps_minutes),
        habits=habits,
    )
    workloads = compare(
        profile.fsrs_parameters or DEFAULT_PARAMETERS, sorted(set(retentions)), deck, days
    )
    best = cheapest(workloads)
    return WorkloadReport(
        profile.name,
        cards,
        describe_parameters(profile),
        tuple(workloads),
        None if best is None else best.retention,
        own,
    )
