"""Exam cramming: the cards most likely forgotten by the exam day first, and the share of
the deck FSRS predicts the learner will remember on that day.

A cram sitting is a study run of kind "cram": its answers are graded, rated and kept in
history like any other, but they leave a card's long-term schedule alone unless the card
was already reviewed earlier the same study day (then FSRS's same-day rules apply, as in a
review) or the learner chooses to let them reschedule (`reschedule=True`). They do not
count towards the day's review limit and do not train the optimiser.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from quiz.core.scheduling import (
    NEW,
    CardSnapshot,
    make_scheduler,
    retrievability,
    review,
)
from quiz.errors import QuizError
from quiz.services.cards import CARD_COLUMNS, StudyCard, card_from_row
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import CardState, Question

if TYPE_CHECKING:  # imported when a sitting starts: home's exam forecast needs no grader
    from quiz.services.reviewing import StudyRun

GOOD, AGAIN = 3, 1


@dataclass(frozen=True)
class ExamForecast:
    """The predicted share of the profile's active cards remembered when the exam's study
    day starts (cards never studied count as forgotten), now and if today's due reviews
    are done (each remembered with its present chance, then rated Good, else Again)."""

    exam_date: date
    cards: int
    due_today: int
    remembered: float
    if_today_done: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam_date": self.exam_date.isoformat(),
            "cards": self.cards,
            "due_today": self.due_today,
            "remembered_share": round(self.remembered, 3),
            "remembered_share_if_today_done": round(self.if_today_done, 3),
        }

    def line(self) -> str:
        said = f"Predicted remembered on exam day: {self.remembered:.0%} of {self.cards} cards"
        if not self.due_today:
            return f"{said}."
        return f"{said}; {self.if_today_done:.0%} if you do today's {self.due_today} due."


def _active_cards(database: Database, profile: ProfileInfo) -> list[Any]:
    with database.engine.connect() as connection:
        return list(
            connection.execute(
                select(*CARD_COLUMNS)
                .join(Question, Question.id == CardState.question_id)
                .where(
                    CardState.profile_id == profile.id,
                    CardState.suspended.is_(False),
                    Question.retired_at.is_(None),
                )
            ).all()
        )


def _exam_start(profile: ProfileInfo, now: datetime) -> datetime:
    if profile.exam_date is None:
        raise QuizError("set an exam date first (home: e, or `quiz exam-date DATE`)")
    start = profile.calendar.day_start(profile.exam_date)
    if start <= now:
        raise QuizError(f"the exam on {profile.exam_date.isoformat()} has started or passed")
    return start


def exam_forecast(database: Database, profile: ProfileInfo, now: datetime) -> ExamForecast | None:
    """The share of the deck predicted remembered on exam day (None without an exam date
    still to come)."""
    if profile.exam_date is None or profile.calendar.day_start(profile.exam_date) <= now:
        return None
    exam = _exam_start(profile, now)
    weights = profile.fsrs_parameters
    rows = _active_cards(database, profile)
    if not rows:
        return ExamForecast(profile.exam_date, 0, 0, 0.0, 0.0)
    _, day_end = profile.calendar.bounds(now)
    scheduler = make_scheduler(profile.scheduler_settings(fuzz=False))
    now_total = then_total = 0.0
    due = 0
    for row in rows:
        snapshot = CardSnapshot(*row[:8])
        on_exam = retrievability(snapshot, exam, weights)
        now_total += on_exam
        reviewable = snapshot.state != NEW and snapshot.due is not None
        if reviewable and snapshot.due < day_end and due < profile.max_reviews_per_day:  # type: ignore[operator]
            due += 1
            chance = retrievability(snapshot, now, weights) or 1.0  # learning: today's steps
            good = review(scheduler, snapshot, GOOD, now)
            again = review(scheduler, snapshot, AGAIN, now)
            on_exam = chance * retrievability(good, exam, weights) + (1 - chance) * (
                retrievability(again, exam, weights)
            )
        then_total += on_exam
    return ExamForecast(
        profile.exam_date, len(rows), due, now_total / len(rows), then_total / len(rows)
    )


def cram_cards(
    database: Database, profile: ProfileInfo, now: datetime, limit: int | None = None
) -> list[StudyCard]:
    """The profile's studied cards, lowest predicted recall on the exam day first (ties:
    the card whose review is due soonest); `limit` of them when given."""
    exam = _exam_start(profile, now)
    weights = profile.fsrs_parameters
    ranked = []
    for row in _active_cards(database, profile):
        snapshot = CardSnapshot(*row[:8])
        if snapshot.state == NEW:
            continue
        ranked.append((retrievability(snapshot, exam, weights), snapshot.due, row.id, row))
    ranked.sort(key=lambda entry: entry[:3])
    chosen = ranked if limit is None else ranked[:limit]
    return [card_from_row(entry[3], profile, now) for entry in chosen]


def cram_run(profile: ProfileInfo, cards: list[StudyCard], reschedule: bool = False) -> "StudyRun":
    """A cram sitting on these cards, each asked once in the order given. Unless
    `reschedule`, its ratings leave the long-term schedule alone (see the module)."""
    from quiz.services.reviewing import StudyRun

    return StudyRun(
        profile, "cram", cards=tuple(c.question_id for c in cards), reschedule=reschedule
    )
