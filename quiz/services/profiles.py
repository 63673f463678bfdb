"""Learner profiles: create, choose, remember the last one, per-profile settings."""

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.core.calendar import StudyCalendar, zone
from quiz.core.scheduling import SchedulerSettings
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.store.models import AppState, Profile

LAST_PROFILE_KEY = "last_profile"
CLASS_PARAMETERS_KEY = "class_fsrs_parameters"  # a teacher's fit on the class's reviews (JSON)
SETTINGS_FIELDS = (
    "desired_retention",
    "new_per_day",
    "max_reviews_per_day",
    "day_start_hour",
    "learning_steps_minutes",
    "theme",
    "time_zone",
    "load_balance",
    "easy_days",
)


@dataclass(frozen=True)
class ProfileInfo:
    """A profile and its study settings."""

    id: int
    name: str
    is_teacher: bool
    desired_retention: float
    new_per_day: int
    max_reviews_per_day: int
    day_start_hour: int
    learning_steps_minutes: tuple[int, ...]
    theme: str | None
    exam_date: date | None = None
    time_zone: str | None = None  # an IANA name; None: the machine's zone
    extra_new_day: date | None = None  # custom study: the study day extra_new is for
    extra_new: int = 0
    fsrs_parameters: tuple[float, ...] | None = None  # None: fsrs's defaults
    fsrs_fitted_at: datetime | None = None
    fsrs_fitted_reviews: int = 0
    fsrs_source: str | None = None  # "own" or "class"
    load_balance: bool = False  # spread reviews under the daily cap (quiz.core.balance)
    easy_days: tuple[int, ...] = ()  # weekdays (0 Monday) with half the review cap

    def extra_new_on(self, day: date) -> int:
        """New cards allowed beyond `new_per_day` on this study day ("study more today")."""
        return self.extra_new if self.extra_new_day == day else 0

    @cached_property
    def calendar(self) -> StudyCalendar:
        """The learner's study days: their time zone and day-start hour."""
        return StudyCalendar(zone(self.time_zone), self.day_start_hour)

    @classmethod
    def of(cls, profile: Profile) -> "ProfileInfo":
        return cls(
            profile.id,
            profile.name,
            profile.is_teacher,
            profile.desired_retention,
            profile.new_per_day,
            profile.max_reviews_per_day,
            profile.day_start_hour,
            tuple(profile.learning_steps_minutes),
            profile.theme,
            profile.exam_date,
            profile.time_zone,
            profile.extra_new_day,
            profile.extra_new or 0,
            tuple(profile.fsrs_parameters) if profile.fsrs_parameters else None,
            profile.fsrs_fitted_at,
            profile.fsrs_fitted_reviews or 0,
            profile.fsrs_source,
            bool(profile.load_balance),
            tuple(profile.easy_days or ()),
        )

    def scheduler_settings(self, fuzz: bool = True) -> SchedulerSettings:
        return SchedulerSettings(
            desired_retention=self.desired_retention,
            learning_steps_minutes=self.learning_steps_minutes,
            fuzz=fuzz,
            parameters=self.fsrs_parameters,
        )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100 or not cleaned.isprintable():
        raise QuizError("a profile name needs 1 to 100 printable characters; choose another name")
    return cleaned


def list_profiles(database: Database) -> list[ProfileInfo]:
    """Every profile, by name."""
    with database.sessions() as session:
        return [ProfileInfo.of(p) for p in session.scalars(select(Profile).order_by(Profile.name))]


def find_profile(database: Database, name: str) -> ProfileInfo | None:
    with database.sessions() as session:
        profile = session.scalar(select(Profile).where(Profile.name == _clean_name(name)))
        return ProfileInfo.of(profile) if profile else None


def get_or_create_profile(database: Database, name: str, now: datetime) -> ProfileInfo:
    """The profile called `name`, created with default settings if it does not exist."""
    name = _clean_name(name)
    with database.sessions.begin() as session:
        profile = session.scalar(select(Profile).where(Profile.name == name))
        if profile is None:
            profile = Profile(name=name, created_at=now, **_class_start(session))
            session.add(profile)
            session.flush()
        return ProfileInfo.of(profile)


def _class_start(session: Session) -> dict[str, Any]:
    """A new profile's FSRS parameters: the class's, when a teacher has fitted them."""
    value = session.scalar(select(AppState.value).where(AppState.key == CLASS_PARAMETERS_KEY))
    if value is None:
        return {}
    return {"fsrs_parameters": json.loads(value)["parameters"], "fsrs_source": "class"}


def last_profile(database: Database) -> str | None:
    """The name of the profile that studied last, if it still exists."""
    with database.sessions() as session:
        name = session.scalar(select(AppState.value).where(AppState.key == LAST_PROFILE_KEY))
        if name is None:
            return None
        exists = session.scalar(select(Profile.id).where(Profile.name == name))
        return name if exists is not None else None


def remember_profile(database: Database, name: str) -> None:
    with database.sessions.begin() as session:
        session.merge(AppState(key=LAST_PROFILE_KEY, value=name))


def update_profile_settings(database: Database, profile_id: int, **values: object) -> ProfileInfo:
    """Change study settings (desired_retention, new_per_day, max_reviews_per_day,
    day_start_hour, learning_steps_minutes, theme, time_zone: an IANA name, or "" for the
    machine's zone, load_balance, easy_days: weekday numbers); bad values are refused."""
    if values.get("time_zone") == "":
        values["time_zone"] = None
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise QuizError(f"unknown setting(s) {sorted(unknown)}; use {', '.join(SETTINGS_FIELDS)}")
    _check_settings(values)
    with database.sessions.begin() as session:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise QuizError(f"no profile with id {profile_id}")
        for key, value in values.items():
            listed = key in ("learning_steps_minutes", "easy_days")
            setattr(profile, key, list(value) if listed else value)  # type: ignore[call-overload]
        session.flush()
        return ProfileInfo.of(profile)


def set_exam_date(
    database: Database,
    profile_id: int,
    exam_date: date | None,
    now: datetime,
) -> ProfileInfo:
    """Set (or with None, clear) the profile's exam date; a date already past is refused."""
    with database.sessions.begin() as session:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise QuizError(f"no profile with id {profile_id}")
        if exam_date is not None:
            today = ProfileInfo.of(profile).calendar.study_date(now)
            if exam_date < today:
                raise QuizError(
                    f"the exam date {exam_date.isoformat()} is already past; "
                    f"give today ({today.isoformat()}) or a later date"
                )
        profile.exam_date = exam_date
        session.flush()
        return ProfileInfo.of(profile)


MAX_LEARNING_STEPS = 10
MAX_STEP_MINUTES = 7 * 24 * 60


def _check_settings(values: dict[str, object]) -> None:
    retention = values.get("desired_retention")
    if retention is not None and not (isinstance(retention, float) and 0.7 <= retention <= 0.99):
        raise QuizError("desired retention must be between 0.70 and 0.99")
    for key in ("new_per_day", "max_reviews_per_day"):
        value = values.get(key)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 9999):
            raise QuizError(f"{key.replace('_', ' ')} must be a whole number from 0 to 9999")
    zone_name = values.get("time_zone")
    if zone_name is not None:
        try:
            zone(str(zone_name))
        except ValueError as error:
            raise QuizError(str(error)) from None
    if "load_balance" in values and not isinstance(values["load_balance"], bool):
        raise QuizError("load balancing is on or off")
    easy = values.get("easy_days")
    if easy is not None and not (
        isinstance(easy, list | tuple)
        and len(set(easy)) < 7
        and all(isinstance(day, int) and 0 <= day <= 6 for day in easy)
    ):
        raise QuizError('easy days are up to six weekdays, e.g. --easy-days "sat sun"')
    hour = values.get("day_start_hour")
    if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
        raise QuizError("the day start hour must be from 0 to 23")

    steps = values.get("learning_steps_minutes")
    if steps is not None and not (
        isinstance(steps, list | tuple)
        and 1 <= len(steps) <= MAX_LEARNING_STEPS
        and all(isinstance(step, int) and 1 <= step <= MAX_STEP_MINUTES for step in steps)
    ):
        raise QuizError(
            f"learning steps are 1 to {MAX_LEARNING_STEPS} whole minutes from 1 to "
            f'{MAX_STEP_MINUTES} (a week), e.g. --learning-steps "1 10"'
        )


MAX_EXTRA_NEW = 999


def study_more_new(database: Database, profile_id: int, extra: int, now: datetime) -> ProfileInfo:
    """Custom study: allow `extra` more new cards today (on top of any extra already allowed
    today); tomorrow the daily setting holds again. Home's counts and the queue both read it."""
    if not isinstance(extra, int) or not 1 <= extra <= MAX_EXTRA_NEW:
        raise QuizError(f"give a whole number of extra new cards from 1 to {MAX_EXTRA_NEW}")
    with database.sessions.begin() as session:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise QuizError(f"no profile with id {profile_id}")
        today = ProfileInfo.of(profile).calendar.study_date(now)
        already = profile.extra_new if profile.extra_new_day == today else 0
        profile.extra_new_day = today
        profile.extra_new = min(already + extra, MAX_EXTRA_NEW * 10)
        session.flush()
        return ProfileInfo.of(profile)
