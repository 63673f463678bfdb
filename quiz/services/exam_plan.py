"""The exam-date plan: the days left to a learner's exam, the cards still to see before it
and the pace that needs. The scheduler keeps every card's next review before the exam
(`quiz.core.scheduling.cap_for_exam`); this module says what that means in work a day."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from quiz.core.scheduling import EXAM_MARGIN_DAYS, NEW, exam_window, introduction_days
from quiz.services.cram import ExamForecast, exam_forecast
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.queue import exam_new_per_day
from quiz.store.models import CardState, Question


@dataclass(frozen=True)
class ExamPlan:
    """What is left to do before the profile's exam date.

    `days_left` counts study days from today to the exam, today included, the exam day not.
    `cards_to_see` are the cards that must still be studied before the exam: the new ones
    and those not seen within `EXAM_MARGIN_DAYS` days of it. `new_per_day` is the pace in
    force (raised above the profile's setting when needed; `notes` then says so).
    """

    exam_date: date
    days_left: int
    new_remaining: int
    to_review: int
    reviews_due_before_exam: int
    new_per_day: int
    setting_new_per_day: int
    reviews_per_day: int
    notes: tuple[str, ...]
    forecast: ExamForecast | None = None  # the share predicted remembered on exam day

    @property
    def cards_to_see(self) -> int:
        return self.new_remaining + self.to_review

    @property
    def cards_per_day(self) -> int:
        return math.ceil(self.cards_to_see / self.days_left) if self.days_left else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam_date": self.exam_date.isoformat(),
            "days_left": self.days_left,
            "cards_to_see": self.cards_to_see,
            "new_remaining": self.new_remaining,
            "to_review": self.to_review,
            "reviews_due_before_exam": self.reviews_due_before_exam,
            "cards_per_day": self.cards_per_day,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "notes": list(self.notes),
            "forecast": None if self.forecast is None else self.forecast.to_dict(),
        }


def exam_plan(database: Database, profile: ProfileInfo, now: datetime) -> ExamPlan | None:
    """The days left to the profile's exam, the cards still to see before it and the pace
    that needs. None when no exam date is set or the exam is over."""
    if profile.exam_date is None:
        return None
    today = profile.calendar.study_date(now)
    days_left = (profile.exam_date - today).days
    if days_left < 0:
        return None
    window = exam_window(profile.exam_date, profile.calendar)
    with database.sessions() as session:
        active = (
            select(func.count())
            .select_from(CardState)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == profile.id,
                CardState.suspended.is_(False),
                Question.retired_at.is_(None),
            )
        )
        new_remaining = int(session.scalar(active.where(CardState.state == NEW)) or 0)
        to_review = int(
            session.scalar(
                active.where(
                    CardState.state != NEW,
                    CardState.last_review < window.start,
                )
            )
            or 0
        )
        due_before = int(
            session.scalar(active.where(CardState.state != NEW, CardState.due < window.exam_start))
            or 0
        )
    new_per_day = exam_new_per_day(database, profile, now)
    reviews_per_day = math.ceil(due_before / days_left) if days_left else 0
    notes = _plan_notes(profile, today, days_left, new_remaining, new_per_day, reviews_per_day)
    return ExamPlan(
        profile.exam_date,
        days_left,
        new_remaining,
        to_review,
        due_before,
        new_per_day,
        profile.new_per_day,
        reviews_per_day,
        notes,
        exam_forecast(database, profile, now),
    )


def _plan_notes(
    profile: ProfileInfo,
    today: date,
    days_left: int,
    new_remaining: int,
    new_per_day: int,
    reviews_per_day: int,
) -> tuple[str, ...]:
    assert profile.exam_date is not None
    if days_left == 0:
        return ("The exam is today: good luck!",)
    notes = []
    if new_remaining and new_per_day > profile.new_per_day:
        by = today + timedelta(days=introduction_days(days_left) - 1)
        notes.append(
            f"New cards a day raised from {profile.new_per_day} to {new_per_day} so that "
            f"all {new_remaining} new cards are introduced by {by.isoformat()}."
        )
    if reviews_per_day > profile.max_reviews_per_day:
        notes.append(
            f"About {reviews_per_day} reviews a day are due before the exam, more than your "
            f"limit of {profile.max_reviews_per_day}; raise the limit to see them all in time."
        )
    notes.append(
        f"Every card is scheduled to be seen again in the {EXAM_MARGIN_DAYS} days before the "
        f"exam on {profile.exam_date.isoformat()}."
    )
    return tuple(notes)
