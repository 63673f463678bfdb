"""The exam-date plan: the days left to a learner's exam, the cards still to see before it
and the pace that needs. The scheduler keeps every card's next review before the exam
(`quiz.core.scheduling.cap_for_exam`); this module says what that means in work a day."""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from quiz.core.dates import MONTHS, parse_date
from quiz.core.normalise import normalise
from quiz.core.scheduling import EXAM_MARGIN_DAYS, NEW, exam_window, introduction_days
from quiz.errors import QuizError
from quiz.services.cram import ExamForecast, exam_forecast
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.queue import exam_new_per_day
from quiz.store.models import CardState, Question

_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# A day and a month without a year, matched against normalised text ("14 June", "June 14").
_NO_YEAR = [re.compile(_DAY + "(?: of)? " + _MONTH), re.compile(_MONTH + " " + _DAY)]
_NUMERIC = re.compile(r"\d+ \d+ \d+")  # numbers only (ISO or day first): a date's shape


def example_dates(today: date) -> str:
    """The forms an exam date can take, shown with a day a few months ahead."""
    day = today + timedelta(days=120)
    return f"{day.isoformat()}, {day:%d/%m/%Y}, {day.day} {day:%B %Y} or {day:%B} {day.day}"


def read_exam_date(text: str, today: date) -> date | None:
    """The exam date `text` writes (None when empty), in the forms answers accept
    ("2027-06-14", "14/06/2027", "14 June 2027", "June 14, 2027") or without a year
    ("14 June", "June 14": the next such day from `today` on). QuizError with a sentence
    that shows the forms when it is not a date."""
    if not text.strip():
        return None
    found = parse_date(text)
    if found is not None:
        return found
    folded = normalise(text)
    for form in _NO_YEAR:
        match = form.fullmatch(folded)
        if match is None:
            continue
        month, day = MONTHS[match["month"]], int(match["day"])
        for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue  # 29 February outside a leap year, 31 April ...
            if candidate >= today:
                return candidate
        break
    shown = " ".join(text.split())
    if _NUMERIC.fullmatch(folded) or any(form.fullmatch(folded) for form in _NO_YEAR):
        raise QuizError(
            f"“{shown}” is not a day of the calendar: check the month (1-12) and the day"
        )
    raise QuizError(f"“{shown}” is not a date: write it like {example_dates(today)}")


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
