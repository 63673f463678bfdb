"""Fitting a learner's FSRS parameters to their own reviews, and a class's to its pooled
reviews (a teacher's starting point for students with too little history).

Only review and revision answers count: drill and exam answers are not rated, and cram
answers are asked out of schedule. The parameters are stored on the profile with when and
on how many reviews they were fitted; the scheduler uses them from the next card on.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, func, select

from quiz.core.calendar import StudyCalendar, zone
from quiz.core.optimise import (
    DEFAULT_PARAMETERS,
    MIN_FULL_ITEMS,
    Fit,
    ReviewEvent,
    TrainingItem,
    fit,
    training_items,
)
from quiz.core.scheduling import NEW, SchedulerSettings
from quiz.errors import QuizError
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.profiles import CLASS_PARAMETERS_KEY, ProfileInfo
from quiz.services.reviewing import REVIEW_KINDS
from quiz.store.models import AnswerRecord, AppState, Profile, StudySession

REFIT_AFTER = 1000  # new reviews since the last fit after which a re-fit is offered


def parameters_source(profile: ProfileInfo) -> str:
    """Whose parameters schedule this profile: "own", "class" or "defaults"."""
    return "defaults" if profile.fsrs_parameters is None else profile.fsrs_source or "own"


_WHOSE = {"defaults": "default", "own": "own fitted", "class": "class's starting"}


@dataclass(frozen=True)
class OptimiseReport:
    """What an optimisation found and did. `reviews`: the rated reviews read; `used`: the
    fitted parameters now schedule the profile (else its parameters were left as they were)."""

    profile: str
    reviews: int
    fit: Fit
    used: bool
    source_before: str
    updated: ProfileInfo  # the profile as it now is (its new parameters when used)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "reviews": self.reviews,
            "parameters_before": self.source_before,
            **self.fit.to_dict(),
            "used": self.used,
        }

    def lines(self) -> list[str]:
        """The report for people, a sentence a line."""
        fit_ = self.fit
        lines = [
            f"{self.reviews} reviews read; {fit_.items} of them come a day or more after the "
            "card's previous review and train FSRS."
        ]
        if fit_.enough == "none":
            lines.append(
                f"Too little history to fit: FSRS needs at least 8 such reviews (64 for all "
                f"its parameters); the {_WHOSE[self.source_before]} parameters are kept."
            )
            return lines
        if fit_.enough == "initial":
            lines.append(
                "Fewer than 64 such reviews: only the four initial stabilities were fitted; "
                "the other parameters stay at their defaults."
            )
        if fit_.before is not None and fit_.after is not None:
            lines.append(
                f"On your latest {fit_.held_out_items} reviews (held out; fitted on the "
                f"{fit_.train_items} before them): log loss {fit_.before.log_loss:.3f} -> "
                f"{fit_.after.log_loss:.3f}, RMSE {fit_.before.rmse:.3f} -> "
                f"{fit_.after.rmse:.3f} ({_WHOSE[self.source_before]} parameters -> fitted)."
            )
        if self.used:
            lines.append(
                f"Your schedule now uses parameters fitted on all {fit_.items}; "
                "they apply from the next card."
            )
        else:
            lines.append(
                "The fitted parameters predicted your held-out reviews no better than the "
                f"{_WHOSE[self.source_before]} parameters, so those are kept."
            )
        return lines


_EVENTS = (
    select(
        AnswerRecord.profile_id,
        AnswerRecord.question_id,
        AnswerRecord.answered_at,
        AnswerRecord.rating,
        AnswerRecord.state_before,
    )
    .join(StudySession, StudySession.id == AnswerRecord.session_id)
    .where(StudySession.kind.in_(REVIEW_KINDS), AnswerRecord.rating.is_not(None))
    .order_by(
        AnswerRecord.profile_id,
        AnswerRecord.question_id,
        AnswerRecord.answered_at,
        AnswerRecord.id,
    )
)


def _items(
    connection: Connection, calendars: dict[int, StudyCalendar]
) -> tuple[list[TrainingItem], int]:
    """The training items of these profiles (each with its own study calendar), oldest
    first, and how many rated reviews they came from."""
    rows = connection.execute(_EVENTS.where(AnswerRecord.profile_id.in_(list(calendars)))).all()
    items: list[TrainingItem] = []
    for profile_id, group in groupby(rows, key=lambda row: row[0]):
        events = (
            ReviewEvent(question_id, at, rating or 0, before == NEW)
            for _p, question_id, at, rating, before in group
        )
        items.extend(training_items(events, calendars[profile_id]))
    items.sort(key=lambda item: item.at)
    return items, len(rows)


RELEARNING_STEPS = len(SchedulerSettings().relearning_steps_minutes)


def optimise(database: Database, profile: ProfileInfo, now: datetime) -> OptimiseReport:
    """Fit the profile's parameters to its own reviews and, when there was enough history
    and the fit predicts held-out reviews no worse than the current parameters, store them.
    The time and review count of the attempt are stored either way (for the re-fit offer)."""
    current = profile.fsrs_parameters or DEFAULT_PARAMETERS
    with database.engine.connect() as connection:
        items, reviews = _items(connection, {profile.id: profile.calendar})
    result = fit(items, current, RELEARNING_STEPS)
    used = result.worth_using
    with database.sessions.begin() as session:
        row = session.get(Profile, profile.id)
        if row is None:
            raise QuizError(f"no profile with id {profile.id}")
        if used:
            row.fsrs_parameters = list(result.parameters)
            row.fsrs_source = "own"
        row.fsrs_fitted_at = now
        row.fsrs_fitted_reviews = reviews
        session.flush()
        updated = ProfileInfo.of(row)
    return OptimiseReport(profile.name, reviews, result, used, parameters_source(profile), updated)


def reviews_since_fit(database: Database, profile: ProfileInfo) -> int:
    """Rated reviews the profile has given since its parameters were last fitted (all of
    them when never)."""
    query = (
        select(func.count())
        .select_from(AnswerRecord)
        .join(StudySession, StudySession.id == AnswerRecord.session_id)
        .where(
            AnswerRecord.profile_id == profile.id,
            StudySession.kind.in_(REVIEW_KINDS),
            AnswerRecord.rating.is_not(None),
        )
    )
    if profile.fsrs_fitted_at is not None:
        query = query.where(AnswerRecord.answered_at > profile.fsrs_fitted_at)
    with database.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def refit_offer(database: Database, profile: ProfileInfo, after: int | None = None) -> str | None:
    """A line offering to optimise when `after` (`REFIT_AFTER`, about 1,000) reviews have
    come since the last fit (or since the start, when never fitted); None otherwise."""
    new = reviews_since_fit(database, profile)
    if new < (REFIT_AFTER if after is None else after):
        return None
    since = "since your schedule was last fitted" if profile.fsrs_fitted_at else "so far"
    return (
        f"{new:,} reviews {since}: optimise your schedule to fit them "
        "(Settings, Optimise; or `quiz schedule optimize`)."
    )


# -- a class's starting point ------------------------------------------------------------


@dataclass(frozen=True)
class ClassFit:
    """A teacher's fit on the pooled reviews of the class's students, and the students
    now scheduled with it (those with too little history of their own)."""

    teacher: str
    students: int
    reviews: int
    fit: Fit
    offered_to: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "teacher": self.teacher,
            "students": self.students,
            "reviews": self.reviews,
            **self.fit.to_dict(),
            "offered_to": list(self.offered_to),
        }


def fit_class(database: Database, teacher: Teacher, now: datetime) -> ClassFit:
    """Fit parameters on the pooled reviews of every student (not teacher) profile, keep
    them as the class's starting parameters, and schedule with them each student whose own
    history is too short for a full fit (fewer than 64 training items) and who has not
    fitted their own. New profiles start with them too."""
    with database.sessions() as session:
        require_teacher(session, teacher)
        students = [
            ProfileInfo.of(p)
            for p in session.scalars(select(Profile).where(Profile.is_teacher.is_(False)))
        ]
    calendars = {s.id: StudyCalendar(zone(s.time_zone), s.day_start_hour) for s in students}
    with database.engine.connect() as connection:
        items, reviews = _items(connection, calendars) if calendars else ([], 0)
        own = {
            s.id: len(_items(connection, {s.id: calendars[s.id]})[0])
            for s in students
            if s.fsrs_source != "own"
        }
    result = fit(items)
    if result.enough == "none":
        raise QuizError(
            f"the class has too little history to fit ({result.items} reviews a day or more "
            "after the previous one; at least 8 are needed); try again after more study"
        )
    offered = []
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        session.merge(
            AppState(
                key=CLASS_PARAMETERS_KEY,
                value=json.dumps(
                    {
                        "parameters": list(result.parameters),
                        "fitted_at": now.isoformat(),
                        "reviews": reviews,
                        "teacher": teacher.name,
                    }
                ),
            )
        )
        for student in students:
            if student.id in own and own[student.id] < MIN_FULL_ITEMS:
                row = session.get(Profile, student.id)
                assert row is not None
                row.fsrs_parameters = list(result.parameters)
                row.fsrs_source = "class"
                offered.append(student.name)
    return ClassFit(teacher.name, len(students), reviews, result, tuple(offered))


def describe_parameters(profile: ProfileInfo) -> str:
    """Whose parameters schedule the profile, in words."""
    source = parameters_source(profile)
    if source == "defaults":
        return "FSRS default parameters"
    if source == "class":
        return "the class's starting parameters (fitted by a teacher)"
    when = profile.fsrs_fitted_at.date().isoformat() if profile.fsrs_fitted_at else "?"
    reviews = profile.fsrs_fitted_reviews
    return f"fitted to your own reviews (last optimised {when}, on {reviews:,} reviews)"
