"""Daily study services on real databases (SQLite and PostgreSQL) with a controlled clock."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quiz.core.scheduling import NEW, CardKind
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.study import (
    deck_progress,
    finish_session,
    next_card,
    queue_counts,
    rate_answer,
    record_answer,
    start_session,
    study_streak,
    sync_cards,
    today_stats,
    undo_last_answer,
)
from quiz.store.models import AnswerRecord, CardState, Question
from tests.conftest import NOW

UTC_TZ = UTC


@pytest.fixture
def ann(database: Database) -> ProfileInfo:
    profile = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, profile.id)
    return profile


def _answer(
    database: Database,
    profile: ProfileInfo,
    session_id: int,
    now: datetime,
    rating: int = 3,
    correct: bool = True,
) -> int:
    card = next_card(database, profile, now, tz=UTC_TZ)
    assert card is not None
    answer_id = record_answer(
        database, session_id, profile, card, {"typed": "x"}, correct, 1500, now
    )
    rate_answer(database, answer_id, profile, rating, now, seed=7)
    return card.question_id


def _state(database: Database, profile: ProfileInfo, question_id: int) -> CardState:
    with database.sessions() as session:
        state = session.get(CardState, (profile.id, question_id))
        assert state is not None
        return state


def test_sync_creates_a_new_card_row_per_question_once(database: Database) -> None:
    profile = get_or_create_profile(database, "bob", NOW)
    with database.sessions() as session:
        questions = session.scalar(select(func.count()).select_from(Question))
    assert sync_cards(database, profile.id) == questions
    assert sync_cards(database, profile.id) == 0


def test_new_cards_are_limited_per_day(database: Database, ann: ProfileInfo) -> None:
    ann = update_profile_settings(database, ann.id, new_per_day=2)
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    assert queue_counts(database, ann, NOW, tz=UTC_TZ).new == 2
    first = _answer(database, ann, session_id, NOW, rating=4)
    second = _answer(database, ann, session_id, NOW, rating=4)
    assert first != second
    assert queue_counts(database, ann, NOW, tz=UTC_TZ).new == 0
    assert next_card(database, ann, NOW, tz=UTC_TZ) is None
    tomorrow = NOW + timedelta(days=1)
    card = next_card(database, ann, tomorrow, tz=UTC_TZ)
    assert card is not None and card.snapshot.state == NEW


def test_answer_is_saved_before_rating_and_the_card_stays_due(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    card = next_card(database, ann, NOW, tz=UTC_TZ)
    assert card is not None
    record_answer(database, session_id, ann, card, {"typed": "paris"}, False, 2000, NOW)
    with database.sessions() as session:
        saved = session.scalars(select(AnswerRecord)).one()
    assert (saved.response, saved.correct, saved.rating, saved.duration_ms) == (
        {"typed": "paris"},
        False,
        None,
        2000,
    )
    again = next_card(database, ann, NOW, tz=UTC_TZ)
    assert again is not None and again.question_id == card.question_id


def test_rating_good_moves_a_new_card_into_learning_then_review(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    question_id = _answer(database, ann, session_id, NOW, rating=3)
    state = _state(database, ann, question_id)
    assert state.state == CardKind.LEARNING and state.due == NOW + timedelta(minutes=10)
    later = NOW + timedelta(minutes=11)
    card = next_card(database, ann, later, tz=UTC_TZ)
    assert card is not None and card.question_id == question_id  # learning before new
    _answer(database, ann, session_id, later, rating=3)
    state = _state(database, ann, question_id)
    assert state.state == CardKind.REVIEW and state.due > later + timedelta(hours=12)
    assert state.reps == 2


def test_intervals_preview_grows_with_the_rating(database: Database, ann: ProfileInfo) -> None:
    card = next_card(database, ann, NOW, tz=UTC_TZ)
    assert card is not None
    intervals = [card.intervals[r] for r in (1, 2, 3, 4)]
    assert intervals == sorted(intervals) and intervals[0] < intervals[3]


def test_undo_removes_the_answer_and_restores_the_card(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    question_id = _answer(database, ann, session_id, NOW, rating=4)
    assert _state(database, ann, question_id).state == CardKind.REVIEW
    assert undo_last_answer(database, session_id) == question_id
    state = _state(database, ann, question_id)
    assert (state.state, state.reps, state.stability, state.last_review) == (NEW, 0, None, None)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == 0
    again = next_card(database, ann, NOW, tz=UTC_TZ)
    assert again is not None and again.question_id == question_id
    assert undo_last_answer(database, session_id) is None


def test_a_lapse_is_counted_and_relearning_comes_first(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    question_id = _answer(database, ann, session_id, NOW, rating=4)
    due = _state(database, ann, question_id).due
    card = next_card(database, ann, due, tz=UTC_TZ)
    assert card is not None and card.question_id == question_id
    _answer(database, ann, session_id, due, rating=1, correct=False)
    state = _state(database, ann, question_id)
    assert (state.state, state.lapses) == (CardKind.RELEARNING, 1)


def test_session_summary_and_progress(database: Database, ann: ProfileInfo) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    _answer(database, ann, session_id, NOW, rating=4)
    _answer(database, ann, session_id, NOW + timedelta(seconds=30), rating=1, correct=False)
    summary = finish_session(database, session_id, ann, NOW + timedelta(minutes=1), tz=UTC_TZ)
    assert (summary.cards, summary.correct, summary.accuracy) == (2, 1, 0.5)
    assert summary.seconds == 60
    stats = today_stats(database, ann, NOW + timedelta(minutes=1), tz=UTC_TZ)
    assert (stats.answers, stats.correct, stats.accuracy) == (2, 1, 0.5)
    assert stats.new_available == ann.new_per_day - 2
    progress = {d.name: d for d in deck_progress(database, ann, NOW, tz=UTC_TZ)}
    deck = progress["treaty-of-paris-1856"]
    assert deck.studied_today == 2 and deck.learning == 1
    assert deck.new == ann.new_per_day - 2


def test_an_open_session_is_continued_the_same_day(database: Database, ann: ProfileInfo) -> None:
    first = start_session(database, ann, NOW, tz=UTC_TZ)
    assert start_session(database, ann, NOW + timedelta(hours=2), tz=UTC_TZ) == first
    finish_session(database, first, ann, NOW + timedelta(hours=2), tz=UTC_TZ)
    assert start_session(database, ann, NOW + timedelta(hours=3), tz=UTC_TZ) != first


def test_streak_counts_consecutive_study_days(database: Database, ann: ProfileInfo) -> None:
    for days_ago in (3, 2, 1):
        moment = NOW - timedelta(days=days_ago)
        session_id = start_session(database, ann, moment, tz=UTC_TZ)
        _answer(database, ann, session_id, moment, rating=4)
    assert study_streak(database, ann, NOW, tz=UTC_TZ) == 3  # today not yet studied
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    _answer(database, ann, session_id, NOW, rating=4)
    assert study_streak(database, ann, NOW, tz=UTC_TZ) == 4
    assert study_streak(database, ann, NOW + timedelta(days=2), tz=UTC_TZ) == 0


def test_study_day_starts_at_the_profile_hour(database: Database, ann: ProfileInfo) -> None:
    ann = update_profile_settings(database, ann.id, new_per_day=1, day_start_hour=4)
    late = datetime(2026, 3, 30, 23, 0, tzinfo=UTC)
    session_id = start_session(database, ann, late, tz=UTC_TZ)
    _answer(database, ann, session_id, late, rating=4)
    assert next_card(database, ann, late + timedelta(hours=3), tz=UTC_TZ) is None  # 2 a.m.
    assert next_card(database, ann, late + timedelta(hours=5), tz=UTC_TZ) is not None


def test_suspended_and_retired_cards_are_not_studied(database: Database, ann: ProfileInfo) -> None:
    ann = update_profile_settings(database, ann.id, new_per_day=1000)
    with database.sessions.begin() as session:
        ids = list(session.scalars(select(Question.id).order_by(Question.id)))
        session.execute(
            CardState.__table__.update()
            .where(CardState.question_id == ids[0])
            .values(suspended=True)
        )
        session.execute(
            Question.__table__.update().where(Question.id == ids[1]).values(retired_at=NOW)
        )
    assert queue_counts(database, ann, NOW, tz=UTC_TZ).new == len(ids) - 2
    seen = set()
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    while (card := next_card(database, ann, NOW, tz=UTC_TZ)) is not None:
        seen.add(card.question_id)
        answer_id = record_answer(database, session_id, ann, card, {}, True, 1, NOW)
        rate_answer(database, answer_id, ann, 4, NOW, seed=1)
    assert ids[0] not in seen and ids[1] not in seen and len(seen) == len(ids) - 2


def test_next_cards_mix_topics(database: Database, ann: ProfileInfo) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    topics = []
    last = None
    for _ in range(6):
        card = next_card(database, ann, NOW, last_topic=last, tz=UTC_TZ)
        assert card is not None
        topics.append(card.question.topic)
        last = card.question.topic
        answer_id = record_answer(database, session_id, ann, card, {}, True, 1, NOW)
        rate_answer(database, answer_id, ann, 4, NOW, seed=1)
    assert all(a != b for a, b in itertools.pairwise(topics))


def test_answers_left_unrated_are_rated_when_studying_resumes(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    card = next_card(database, ann, NOW, tz=UTC_TZ)
    assert card is not None
    record_answer(database, session_id, ann, card, {"typed": "x"}, False, 900, NOW)
    # the app dies here, before the learner rates the answer; it starts again later:
    start_session(database, ann, NOW + timedelta(minutes=5), tz=UTC_TZ)
    with database.sessions() as session:
        rating = session.scalar(select(AnswerRecord.rating))
    assert rating == 1  # wrong, so Again
    state = _state(database, ann, card.question_id)
    assert state.state == CardKind.LEARNING and state.due == NOW + timedelta(minutes=1)


def test_an_unrated_answer_answered_again_since_is_left_alone(
    database: Database, ann: ProfileInfo
) -> None:
    session_id = start_session(database, ann, NOW, tz=UTC_TZ)
    card = next_card(database, ann, NOW, tz=UTC_TZ)
    assert card is not None
    record_answer(database, session_id, ann, card, {}, True, 900, NOW)
    again = record_answer(database, session_id, ann, card, {}, True, 900, NOW)
    rate_answer(database, again, ann, 4, NOW, seed=1)
    before = _state(database, ann, card.question_id).due
    start_session(database, ann, NOW + timedelta(minutes=5), tz=UTC_TZ)
    with database.sessions() as session:
        ratings = list(session.scalars(select(AnswerRecord.rating).order_by(AnswerRecord.id)))
    assert ratings == [None, 4]
    assert _state(database, ann, card.question_id).due == before
