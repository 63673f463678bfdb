"""The FSRS scheduling adapter: card snapshots in and out, study-day arithmetic.

Pure and deterministic given its inputs: the clock is passed in, and fuzz can be fixed by
a seed (fsrs draws fuzz from the `random` module). fsrs itself is imported when a card is
rated or previewed, not for counting cards (home's counts at start-up need only this module's
arithmetic and its names).
"""

import math
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import IntEnum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from quiz.core.calendar import StudyCalendar

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

NEW = 0  # our state for a card never studied; fsrs.State covers the rest (1, 2, 3)
LEARN_AHEAD = timedelta(minutes=20)
MAXIMUM_INTERVAL_DAYS = 36500
AGAIN = 1  # fsrs.Rating.Again


@cache
def default_weights() -> tuple[float, ...]:
    """fsrs's default 21 weights."""
    from fsrs import Scheduler

    return tuple(Scheduler().parameters)


class CardKind(IntEnum):
    """A card's queue: new, or one of fsrs's states (the same numbers as fsrs.State's;
    a test checks them)."""

    NEW = NEW
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class SchedulerSettings:
    """A learner's scheduling preferences."""

    desired_retention: float = 0.9
    learning_steps_minutes: tuple[int, ...] = (1, 10)
    relearning_steps_minutes: tuple[int, ...] = (10,)
    maximum_interval_days: int = MAXIMUM_INTERVAL_DAYS
    fuzz: bool = True
    parameters: tuple[float, ...] | None = None  # FSRS's 21 weights; None: fsrs's defaults


@dataclass(frozen=True)
class CardSnapshot:
    """One card's scheduling state, as stored in a `card_states` row."""

    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = dict(vars(self))  # its fields are plain values: no deep copy (`asdict`)
        for key in ("due", "last_review"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CardSnapshot":
        values = dict(data)
        for key in ("due", "last_review"):
            values[key] = datetime.fromisoformat(values[key]) if values.get(key) else None
        return cls(**values)


@lru_cache(maxsize=64)
def make_scheduler(settings: SchedulerSettings, fuzz: bool | None = None) -> "Scheduler":
    """An fsrs scheduler for these settings (`fuzz=False` for previews); made once per
    settings (an fsrs scheduler is not changed by reviewing: it holds only the settings),
    as each answer asks for two (its preview, its rating)."""
    from fsrs import Scheduler

    extra = {} if settings.parameters is None else {"parameters": settings.parameters}
    return Scheduler(
        **extra,
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_minutes),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_minutes),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=settings.fuzz if fuzz is None else fuzz,
    )


def _to_fsrs(snapshot: CardSnapshot, now: datetime) -> "Card":
    from fsrs import Card, State

    # A card_id is passed because fsrs otherwise makes one from the clock and sleeps 1 ms.
    if snapshot.state == NEW:
        return Card(card_id=1, due=now)
    return Card(
        card_id=1,
        state=State(snapshot.state),
        step=snapshot.step,
        stability=snapshot.stability,
        difficulty=snapshot.difficulty,
        due=snapshot.due or now,
        last_review=snapshot.last_review,
    )


def review(
    scheduler: "Scheduler",
    snapshot: CardSnapshot,
    rating: int,
    now: datetime,
    seed: int | None = None,
) -> CardSnapshot:
    """The card's state after being rated `rating` (1 Again .. 4 Easy) at `now`."""
    if seed is not None:
        random.seed(seed)
    from fsrs import Rating

    card, _log = scheduler.review_card(_to_fsrs(snapshot, now), Rating(rating), now)
    lapse = snapshot.state == CardKind.REVIEW and rating == AGAIN
    return CardSnapshot(
        state=card.state.value,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=snapshot.reps + 1,
        lapses=snapshot.lapses + (1 if lapse else 0),
    )


def preview(
    settings: SchedulerSettings, snapshot: CardSnapshot, now: datetime
) -> dict[int, timedelta]:
    """The interval each rating (1-4) would give, without fuzz."""
    scheduler = make_scheduler(settings, fuzz=False)
    return {
        rating: review(scheduler, snapshot, rating, now).due - now  # type: ignore[operator]
        for rating in (1, 2, 3, 4)
    }


def cap_due(snapshot: CardSnapshot, latest: datetime | None) -> CardSnapshot:
    """Bring the due date forward to `latest` when it would fall after it."""
    if latest is None or snapshot.due is None or snapshot.due <= latest:
        return snapshot
    return replace(snapshot, due=latest)


def format_interval(interval: timedelta) -> str:
    """A short human interval: '<1m', '10m', '3h', '4d', '2.5mo', '1.2y'."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


# -- exam date ------------------------------------------------------------------------

EXAM_MARGIN_DAYS = 3  # a card seen within this many study days of the exam is not capped


@dataclass(frozen=True)
class ExamWindow:
    """The study days before an exam in which every card should be seen once more.

    `exam_start` is the UTC start of the exam's study day; `day_starts` the UTC starts of
    the `EXAM_MARGIN_DAYS` study days before it, earliest first.
    """

    exam_start: datetime
    day_starts: tuple[datetime, ...]

    @property
    def start(self) -> datetime:
        return self.day_starts[0]


def exam_window(
    exam_date: date, calendar: StudyCalendar, margin_days: int = EXAM_MARGIN_DAYS
) -> ExamWindow:
    """The exam's start and the starts of the `margin_days` study days before it."""
    return ExamWindow(
        calendar.day_start(exam_date),
        tuple(
            calendar.day_start(exam_date - timedelta(days=back))
            for back in range(margin_days, 0, -1)
        ),
    )


def cap_for_exam(
    snapshot: CardSnapshot, now: datetime, window: ExamWindow | None, card_id: int
) -> CardSnapshot:
    """Keep a card's next review before the exam.

    A card reviewed at `now` whose next review would fall on or after the exam day is brought
    forward to one of the study days just before the exam, chosen by `card_id` so that the
    capped cards spread over those days instead of piling onto the last one. A card reviewed
    within the window (or after the exam started) is left alone: it has been seen recently
    enough. A due date already before the exam is kept: the card will be seen then and capped
    again if needed.
    """
    if window is None or now >= window.start or snapshot.due is None:
        return snapshot
    if snapshot.due < window.exam_start:
        return snapshot
    return cap_due(snapshot, window.day_starts[card_id % len(window.day_starts)])


def new_cards_pace(remaining_new: int, days_left: int, margin_days: int = EXAM_MARGIN_DAYS) -> int:
    """New cards a day needed to introduce `remaining_new` cards in time for an exam
    `days_left` study days away (today included, exam day excluded).

    New cards are introduced before the final `margin_days` days when there is room, so each
    is seen again before the exam; otherwise on every day left.
    """
    if remaining_new <= 0:
        return 0
    return math.ceil(remaining_new / introduction_days(days_left, margin_days))


def introduction_days(days_left: int, margin_days: int = EXAM_MARGIN_DAYS) -> int:
    """The study days left for introducing new cards before an exam (at least 1)."""
    return max(days_left - margin_days if days_left > margin_days else days_left, 1)


# -- predicted recall -----------------------------------------------------------------


def retrievability(
    snapshot: CardSnapshot, at: datetime, parameters: tuple[float, ...] | None = None
) -> float:
    """FSRS's predicted chance that the card is recalled at `at` (0 for a card never
    studied), counting whole days since its last review, as fsrs does."""
    if snapshot.state == NEW or snapshot.stability is None or snapshot.last_review is None:
        return 0.0
    decay = -(parameters or default_weights())[20]
    factor = 0.9 ** (1 / decay) - 1
    days = max(0, (at - snapshot.last_review).days)
    return float((1 + factor * days / snapshot.stability) ** decay)
