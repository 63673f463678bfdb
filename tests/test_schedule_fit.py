"""Fitting FSRS to a learner's own reviews: a simulated learner whose true parameters are
known, too little history, the re-fit offer, and a class's starting parameters."""

from datetime import UTC, datetime, timedelta

import pytest

from quiz.core.calendar import StudyCalendar
from quiz.core.optimise import DEFAULT_PARAMETERS, ReviewEvent, evaluate, training_items
from quiz.services.auth import create_teacher
from quiz.services.cards import study_card, sync_cards
from quiz.services.database import Database
from quiz.services.optimising import fit_class, optimise, refit_offer, reviews_since_fit
from quiz.services.profiles import (
    ProfileInfo,
    find_profile,
    get_or_create_profile,
    update_profile_settings,
)
from tests.conftest import NOW
from tests.simulated_learner import TRUE_PARAMETERS, Learner


def _learner(database: Database, name: str, new_per_day: int = 10) -> ProfileInfo:
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC", new_per_day=new_per_day)


def _reloaded(database: Database, profile: ProfileInfo) -> ProfileInfo:
    found = find_profile(database, profile.name)
    assert found is not None
    return found


def test_items_count_study_days_in_the_learners_zone() -> None:
    """Intervals are whole study days: 03:00 local is still the day before (day start 4),
    and the zone decides the local hour. Same-day steps stay in the history but train
    nothing; a card first seen when not new is left out."""
    calendar = StudyCalendar(UTC, 4)
    day = datetime(2026, 3, 1, 10, tzinfo=UTC)
    events = [
        ReviewEvent(1, day, 3, True),
        ReviewEvent(1, day + timedelta(minutes=10), 3, False),
        ReviewEvent(1, day + timedelta(hours=17), 3, False),  # 03:00 next morning: same day
        ReviewEvent(1, day + timedelta(days=2), 1, False),
        ReviewEvent(2, day, 3, False),  # its first review is missing
        ReviewEvent(2, day + timedelta(days=3), 3, False),
    ]
    items = training_items(events, calendar)
    assert [item.history for item in items] == [((3, 0), (3, 0), (3, 0), (1, 2))]
    from zoneinfo import ZoneInfo

    tokyo = StudyCalendar(ZoneInfo("Asia/Tokyo"), 4)  # 03:00 UTC is noon there
    moved = [ReviewEvent(1, day, 3, True), ReviewEvent(1, day + timedelta(hours=17), 3, False)]
    assert [item.history for item in training_items(moved, tokyo)] == [((3, 0), (3, 1))]


def test_fitted_parameters_predict_a_simulated_learner_better_than_the_defaults(
    sqlite_database: Database,
) -> None:
    database = sqlite_database
    profile = _learner(database, "sim")
    learner = Learner(database, profile)
    answers = learner.study(NOW, 90)
    assert answers > 600
    report = optimise(database, profile, NOW + timedelta(days=91))
    fit = report.fit
    assert report.reviews == answers  # every answer was a rated review
    assert fit.enough == "full" and fit.held_out_items > 50
    assert fit.before is not None and fit.after is not None
    # held out: parameters fitted on the earlier reviews predict the later ones better
    assert fit.after.log_loss < fit.before.log_loss
    assert fit.after.rmse < fit.before.rmse
    assert report.used and fit.parameters != DEFAULT_PARAMETERS
    # the fit moved towards the truth: this learner's initial stabilities are higher
    assert fit.parameters[2] > DEFAULT_PARAMETERS[2]
    assert any("held out" in line for line in report.lines())
    # stored with when and on how many reviews, and used by the scheduler from the next card
    stored = _reloaded(database, profile)
    assert stored.fsrs_parameters == fit.parameters and stored.fsrs_source == "own"
    assert stored.fsrs_fitted_at == NOW + timedelta(days=91)
    assert stored.fsrs_fitted_reviews == answers
    card = study_card(database, stored, 1, NOW + timedelta(days=91))
    assert card is not None and card.settings.parameters == fit.parameters
    # the true parameters themselves would predict the held-out reviews better still
    # than the defaults (a check that the simulation is what the test thinks it is)
    from quiz.services.optimising import _items

    with database.engine.connect() as connection:
        items, _ = _items(connection, {profile.id: profile.calendar})
    held = items[-fit.held_out_items :]
    assert evaluate(TRUE_PARAMETERS, held).log_loss < evaluate(DEFAULT_PARAMETERS, held).log_loss


def test_too_little_history_keeps_the_defaults_and_says_so(database: Database) -> None:
    profile = _learner(database, "new")
    Learner(database, profile).study(NOW, 2)  # a few reviews, none yet a day apart enough
    report = optimise(database, profile, NOW + timedelta(days=3))
    assert report.fit.enough == "none" and not report.used
    assert report.fit.parameters == DEFAULT_PARAMETERS
    assert any("Too little history" in line for line in report.lines())
    stored = _reloaded(database, profile)
    assert stored.fsrs_parameters is None  # the scheduler keeps fsrs's defaults
    assert report.to_dict()["enough"] == "none" and report.to_dict()["used"] is False


def test_between_8_and_64_items_only_the_initial_stabilities_are_fitted(
    sqlite_database: Database,
) -> None:
    profile = _learner(sqlite_database, "few", new_per_day=5)
    Learner(sqlite_database, profile).study(NOW, 6)
    report = optimise(sqlite_database, profile, NOW + timedelta(days=7))
    assert 8 <= report.fit.items < 64, report.fit.items
    assert report.fit.enough == "initial"
    assert any("only the four initial stabilities" in line for line in report.lines())
    assert report.fit.parameters[4:] == DEFAULT_PARAMETERS[4:]


def test_a_refit_is_offered_after_many_new_reviews(sqlite_database: Database) -> None:
    database = sqlite_database
    profile = _learner(database, "busy")
    learner = Learner(database, profile)
    first = learner.study(NOW, 10)
    assert reviews_since_fit(database, profile) == first
    offer = refit_offer(database, profile, after=first)
    assert offer is not None and "so far" in offer and "optimise" in offer
    assert refit_offer(database, profile, after=first + 1) is None
    optimise(database, profile, NOW + timedelta(days=10))
    profile = learner.profile = _reloaded(database, profile)
    assert reviews_since_fit(database, profile) == 0
    assert refit_offer(database, profile, after=1) is None
    more = learner.study(NOW + timedelta(days=11), 5)
    assert reviews_since_fit(database, profile) == more
    offer = refit_offer(database, profile, after=more)
    assert offer is not None and f"{more:,} reviews since your schedule was last fitted" in offer


@pytest.mark.parametrize("pooled_students", [2])
def test_a_teacher_fits_the_class_and_students_with_little_history_start_from_it(
    sqlite_database: Database, pooled_students: int
) -> None:
    database = sqlite_database
    for n in range(pooled_students):
        student = _learner(database, f"student{n}")
        Learner(database, student, seed=n).study(NOW, 40)
    newcomer = _learner(database, "newcomer")
    teacher = create_teacher(database, "teacher", "123456", NOW)
    result = fit_class(database, teacher, NOW + timedelta(days=41))
    assert result.students == pooled_students + 1 and result.fit.enough == "full"
    assert "newcomer" in result.offered_to
    assert "student0" not in result.offered_to  # enough history of their own
    joined = _reloaded(database, newcomer)
    assert joined.fsrs_parameters == result.fit.parameters and joined.fsrs_source == "class"
    later = get_or_create_profile(database, "late joiner", NOW + timedelta(days=42))
    assert later.fsrs_parameters == result.fit.parameters and later.fsrs_source == "class"
    # the newcomer's own optimisation with too little data keeps the class's parameters
    report = optimise(database, joined, NOW + timedelta(days=42))
    assert not report.used and _reloaded(database, newcomer).fsrs_source == "class"
