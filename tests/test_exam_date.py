"""The exam date: every card seen again shortly before the exam, new cards introduced in time,
and the plan shown on the home screen. Controlled clock (profiles in UTC, study days from 4:00)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from quiz.core.calendar import StudyCalendar
from quiz.core.scheduling import (
    CardSnapshot,
    cap_for_exam,
    exam_window,
    new_cards_pace,
)
from quiz.errors import QuizError
from quiz.services.cards import cards_for, sync_cards
from quiz.services.database import Database
from quiz.services.exam_plan import exam_plan, read_exam_date
from quiz.services.profiles import (
    ProfileInfo,
    get_or_create_profile,
    set_exam_date,
    update_profile_settings,
)
from quiz.services.queue import next_card, queue_counts
from quiz.services.reviewing import StudyRun, rate, submit
from quiz.store.models import CardState, Question
from tests.conftest import NOW
from tests.responses import respond

EXAM = date(2026, 4, 20)  # NOW is 2026-03-30 09:00 UTC
WINDOW_DAYS = [datetime(2026, 4, d, 4, tzinfo=UTC) for d in (17, 18, 19)]
EXAM_START = datetime(2026, 4, 20, 4, tzinfo=UTC)


def test_cap_rule_in_core() -> None:
    window = exam_window(EXAM, StudyCalendar(UTC, 4))
    assert window.exam_start == EXAM_START and list(window.day_starts) == WINDOW_DAYS
    far = CardSnapshot(state=2, stability=80.0, due=NOW + timedelta(days=80))
    # capped onto one of the three days before the exam, chosen by the card's id
    assert {cap_for_exam(far, NOW, window, n).due for n in range(6)} == set(WINDOW_DAYS)
    assert cap_for_exam(far, NOW, window, 7).due == cap_for_exam(far, NOW, window, 10).due
    # a due date before the exam is kept
    near = CardSnapshot(state=2, stability=5.0, due=NOW + timedelta(days=5))
    assert cap_for_exam(near, NOW, window, 1) == near
    # reviewed within three days of the exam (2026-04-17 04:00 or later): not capped
    late = datetime(2026, 4, 17, 5, tzinfo=UTC)
    assert cap_for_exam(far, late, window, 1) == far
    assert cap_for_exam(far, late - timedelta(hours=2), window, 1).due in WINDOW_DAYS
    assert cap_for_exam(far, NOW, None, 1) == far


def test_new_cards_pace() -> None:
    assert new_cards_pace(0, 10) == 0
    assert new_cards_pace(70, 10) == 10  # introduced in the 7 days before the final three
    assert new_cards_pace(70, 3) == 24  # too late for that: on every day left
    assert new_cards_pace(5, 0) == 5


def _learner(database: Database, name: str) -> ProfileInfo:
    """A profile studying in UTC, its cards synced."""
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    profile = update_profile_settings(database, profile.id, time_zone="UTC")
    assert profile.time_zone == "UTC" and profile.calendar.day_start_hour == 4
    return profile


def _review_card(database: Database, profile: ProfileInfo, last_review: datetime) -> int:
    """Make one card a well-known review card, due now; returns its question id."""
    with database.sessions.begin() as session:
        question_id = session.scalar(select(Question.id).order_by(Question.id))
        assert question_id is not None
        session.execute(
            update(CardState)
            .where(CardState.profile_id == profile.id, CardState.question_id == question_id)
            .values(
                state=2,
                step=None,
                stability=60.0,
                difficulty=4.0,
                due=NOW - timedelta(hours=1),
                last_review=last_review,
                reps=4,
            )
        )
    return question_id


def _rate_easy(
    database: Database, profile: ProfileInfo, question_id: int, now: datetime
) -> datetime:
    card = cards_for(database, profile, [question_id], now)[0]
    run = StudyRun(profile)
    answered = submit(database, run, question_id, respond(card.question), 3000, now)
    assert answered.checked.correct
    rate(database, run, answered.answer_id, 4, now, seed=1)
    with database.sessions() as session:
        due = session.scalar(
            select(CardState.due).where(
                CardState.profile_id == profile.id, CardState.question_id == question_id
            )
        )
    assert due is not None
    return due


def test_a_card_rated_easy_long_before_the_exam_is_seen_again_before_it(
    database: Database,
) -> None:
    ann = _learner(database, "ann")
    question_id = _review_card(database, ann, NOW - timedelta(days=60))
    # without an exam date the card goes far beyond 20 April
    free = _rate_easy(database, ann, question_id, NOW)
    assert free > EXAM_START + timedelta(days=30)

    bob = _learner(database, "bob")
    bob = set_exam_date(database, bob.id, EXAM, NOW)
    _review_card(database, bob, NOW - timedelta(days=60))
    capped = _rate_easy(database, bob, question_id, NOW)
    assert capped == WINDOW_DAYS[question_id % 3]


def test_a_card_reviewed_within_three_days_of_the_exam_is_not_capped(database: Database) -> None:
    ann = _learner(database, "ann")
    ann = set_exam_date(database, ann.id, EXAM, NOW)
    question_id = _review_card(database, ann, NOW - timedelta(days=60))
    due = _rate_easy(database, ann, question_id, datetime(2026, 4, 18, 10, tzinfo=UTC))
    assert due > EXAM_START + timedelta(days=30)


def test_exam_plan_and_raised_new_card_pace(database: Database) -> None:
    ann = _learner(database, "ann")
    assert exam_plan(database, ann, NOW) is None
    with database.sessions() as session:
        total = len(
            session.scalars(
                select(CardState.question_id).where(CardState.profile_id == ann.id)
            ).all()
        )
    old = _review_card(database, ann, NOW - timedelta(days=60))  # seen long ago: to review
    ann = update_profile_settings(database, ann.id, new_per_day=5)
    ann = set_exam_date(database, ann.id, date(2026, 4, 9), NOW)  # 10 days left

    plan = exam_plan(database, ann, NOW)
    assert plan is not None
    new = total - 1
    assert (plan.days_left, plan.new_remaining, plan.to_review) == (10, new, 1)
    assert plan.cards_to_see == total
    assert plan.cards_per_day == -(-total // 10)
    assert plan.reviews_due_before_exam == 1
    pace = -(-new // 7)  # all new cards introduced before the final three days
    assert plan.new_per_day == pace > 5
    assert any(f"raised from 5 to {pace}" in note for note in plan.notes)
    # the queue offers the raised number of new cards today
    assert queue_counts(database, ann, NOW).new == pace

    # the card reviewed now (not within three days of the exam) is still to see; one reviewed
    # in the final days is not
    due = _rate_easy(database, ann, old, NOW)
    assert due < datetime(2026, 4, 9, 4, tzinfo=UTC)
    late = datetime(2026, 4, 7, 12, tzinfo=UTC)
    with database.sessions.begin() as session:
        session.execute(
            update(CardState)
            .where(CardState.profile_id == ann.id, CardState.question_id == old)
            .values(last_review=late)
        )
    plan = exam_plan(database, ann, late)
    assert plan is not None and plan.days_left == 2 and plan.to_review == 0
    assert exam_plan(database, ann, datetime(2026, 4, 9, 12, tzinfo=UTC)).days_left == 0  # type: ignore[union-attr]
    assert exam_plan(database, ann, datetime(2026, 4, 10, 12, tzinfo=UTC)) is None


def test_no_raise_when_the_setting_is_enough(database: Database) -> None:
    ann = _learner(database, "ann")
    ann = set_exam_date(database, ann.id, date(2026, 12, 1), NOW)
    plan = exam_plan(database, ann, NOW)
    assert plan is not None and plan.new_per_day == ann.new_per_day == 20
    assert not any("raised" in note for note in plan.notes)
    card = next_card(database, ann, NOW)
    assert card is not None and card.kind == 0


TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2027-06-14", date(2027, 6, 14)),
        ("14/06/2027", date(2027, 6, 14)),
        ("14.6.2027", date(2027, 6, 14)),
        ("14 June 2027", date(2027, 6, 14)),
        ("June 14, 2027", date(2027, 6, 14)),
        ("14th of June 2027", date(2027, 6, 14)),
        ("June 14", date(2027, 6, 14)),  # no year: the next 14 June
        ("14 jun", date(2027, 6, 14)),
        ("2 December", date(2026, 12, 2)),  # today is still to come
        ("1 December", date(2027, 12, 1)),
        ("29 February", date(2028, 2, 29)),  # the next leap year
        ("  ", None),
    ],
)
def test_exam_dates_are_read_in_the_usual_forms(typed: str, day: date | None) -> None:
    assert read_exam_date(typed, TODAY) == day


def test_a_typed_exam_date_that_is_not_one_says_the_forms() -> None:
    with pytest.raises(QuizError) as error:
        read_exam_date("next tuesday", TODAY)
    assert str(error.value) == (
        "“next tuesday” is not a date: write it like 2027-04-01, 01/04/2027, 1 April 2027 "
        "or April 1"
    )
    for impossible in ("2027-02-30", "31/04/2027", "31 April"):
        with pytest.raises(QuizError, match="not a day of the calendar"):
            read_exam_date(impossible, TODAY)
