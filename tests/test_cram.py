"""Exam cramming with a controlled clock: the cards most likely forgotten by the exam come
first, cram answers are kept in history but leave the long-term schedule (and today's
limits) alone unless chosen, and the forecast of the share remembered on exam day."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from quiz.core.scheduling import retrievability
from quiz.errors import QuizError
from quiz.services.cards import study_card, sync_cards
from quiz.services.cram import cram_cards, cram_run, exam_forecast
from quiz.services.database import Database
from quiz.services.history import session_answers
from quiz.services.profiles import (
    ProfileInfo,
    get_or_create_profile,
    set_exam_date,
    update_profile_settings,
)
from quiz.services.queue import queue_counts
from quiz.services.reviewing import StudyRun, begin, end, rate, submit
from quiz.store.models import CardState, StudySession
from tests.conftest import NOW
from tests.responses import respond

EXAM = date(2026, 4, 19)  # NOW is 2026-03-30 09:00 UTC; exam day starts 04:00 UTC


def _profile(database: Database) -> ProfileInfo:
    profile = get_or_create_profile(database, "cram", NOW)
    sync_cards(database, profile.id)
    update_profile_settings(database, profile.id, time_zone="UTC", new_per_day=4)
    return set_exam_date(database, profile.id, EXAM, NOW)


def _study_new(database: Database, profile: ProfileInfo, ratings: list[int]) -> list[int]:
    """Answer the first new cards offered, rating them as given; their question ids."""
    run = StudyRun(profile)
    card = begin(database, run, NOW).card
    done = []
    for rating in ratings:
        assert card is not None and card.snapshot.state == 0
        answered = submit(
            database, run, card.question_id, respond(card.question, rating > 1), 5000, NOW
        )
        done.append(card.question_id)
        card = rate(database, run, answered.answer_id, rating, NOW, seed=1).card
    end(database, run, NOW)
    return done


def _card_rows(database: Database, profile: ProfileInfo) -> dict[int, tuple[object, ...]]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(
                CardState.question_id,
                CardState.state,
                CardState.stability,
                CardState.due,
                CardState.last_review,
                CardState.reps,
            ).where(CardState.profile_id == profile.id)
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_cram_order_lowest_recall_on_exam_day_first(database: Database) -> None:
    profile = _profile(database)
    again, good, easy, hard = _study_new(database, profile, [1, 3, 4, 2])
    later = NOW + timedelta(days=3)
    order = [card.question_id for card in cram_cards(database, profile, later)]
    # only studied cards; Again left the lowest stability, then Hard, Good, Easy
    assert order == [again, hard, good, easy]
    exam_start = profile.calendar.day_start(EXAM)
    chances = [
        retrievability(card.snapshot, exam_start) for card in cram_cards(database, profile, later)
    ]
    assert chances == sorted(chances) and 0 < chances[0] < chances[-1] < 1
    assert [c.question_id for c in cram_cards(database, profile, later, limit=2)] == order[:2]


def test_cram_answers_are_kept_but_leave_the_schedule_alone(database: Database) -> None:
    profile = _profile(database)
    studied = _study_new(database, profile, [3, 3, 4])
    later = NOW + timedelta(days=2)
    before = _card_rows(database, profile)
    counts_before = queue_counts(database, profile, later)
    cards = cram_cards(database, profile, later)
    run = cram_run(profile, cards)
    nxt = begin(database, run, later)
    answered = 0
    while nxt.card is not None:
        outcome = submit(
            database, run, nxt.card.question_id, respond(nxt.card.question, False), 4000, later
        )
        nxt = rate(database, run, outcome.answer_id, 1, later, seed=1)
        answered += 1
    assert answered == len(studied)
    assert _card_rows(database, profile) == before  # Again in cramming changed no schedule
    assert queue_counts(database, profile, later) == counts_before  # nor today's limits
    end(database, run, later)
    assert run.session_id is not None
    with database.sessions() as session:
        sitting = session.get(StudySession, run.session_id)
        assert sitting is not None and sitting.kind == "cram"
    answers = session_answers(database, profile, run.session_id)
    assert len(answers) == answered and all(a.rating == 1 for a in answers)


def test_cram_can_reschedule_when_chosen_and_same_day_rules_apply(database: Database) -> None:
    profile = _profile(database)
    first, second = _study_new(database, profile, [3, 4])
    later = NOW + timedelta(days=2)
    chosen = cram_run(profile, cram_cards(database, profile, later), reschedule=True)
    card = begin(database, chosen, later).card
    assert card is not None
    outcome = submit(database, chosen, card.question_id, respond(card.question), 4000, later)
    rate(database, chosen, outcome.answer_id, 3, later, seed=1)
    after = study_card(database, profile, card.question_id, later)
    assert after is not None and after.snapshot.last_review == later  # rescheduled
    # cramming on the day the card was studied: FSRS's same-day rules reschedule it
    same_day = NOW + timedelta(hours=2)
    kept = cram_run(profile, cram_cards(database, profile, same_day))
    card = begin(database, kept, same_day).card
    assert card is not None
    outcome = submit(database, kept, card.question_id, respond(card.question), 4000, same_day)
    rate(database, kept, outcome.answer_id, 3, same_day, seed=1)
    again = study_card(database, profile, card.question_id, same_day)
    assert again is not None and again.snapshot.last_review == same_day
    assert {first, second} >= {card.question_id}


def test_forecast_of_the_share_remembered_on_exam_day(database: Database) -> None:
    profile = _profile(database)
    _study_new(database, profile, [3, 3, 4, 2])
    later = NOW + timedelta(days=5)  # their reviews are due by now
    forecast = exam_forecast(database, profile, later)
    assert forecast is not None and forecast.cards > 100
    assert forecast.due_today >= 1
    assert 0 < forecast.remembered < 4 / forecast.cards  # only four cards ever studied
    assert forecast.if_today_done > forecast.remembered  # doing today's cards helps
    assert "exam day" in forecast.line()
    assert exam_forecast(database, set_exam_date(database, profile.id, None, later), later) is None
    with pytest.raises(QuizError, match="exam date"):
        cram_cards(database, set_exam_date(database, profile.id, None, later), later)
