"""Daily study services on real databases (SQLite and PostgreSQL) with a controlled clock."""

import itertools
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from quiz.core.responses import dump_response, parse_response
from quiz.core.scheduling import NEW, CardKind
from quiz.errors import QuizError
from quiz.services.answering import (
    Flashcard,
    RecallResponse,
)
from quiz.services.cards import StudyCard, study_card, sync_cards
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.progress import deck_progress, study_streak, today_stats
from quiz.services.queue import next_card, queue_counts
from quiz.services.reviewing import StudyRun, begin, end, rate, submit, undo
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.conftest import NOW
from tests.responses import respond


def answer_card(
    database: Database,
    run: StudyRun,
    card: StudyCard,
    now: datetime,
    rating: int | None = 3,
    right: bool = True,
    duration_ms: int = 1500,
) -> int:
    """Submit a response to `card` (right or wrong) and, unless `rating` is None, rate it.
    Returns the answer's id."""
    outcome = submit(
        database, run, card.question_id, respond(card.question, right), duration_ms, now
    )
    assert outcome.checked.correct == (right or isinstance(card.question, Flashcard))
    if rating is not None:
        rate(database, run, outcome.answer_id, rating, now, seed=7)
    return outcome.answer_id


@pytest.fixture
def ann(database: Database) -> ProfileInfo:
    profile = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC")


def _answer(
    database: Database,
    run: StudyRun,
    now: datetime,
    rating: int = 3,
    right: bool = True,
) -> int:
    card = next_card(database, run.profile, now)
    assert card is not None
    answer_card(database, run, card, now, rating, right)
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
    run = StudyRun(ann)
    assert begin(database, run, NOW).counts.new == 2
    assert queue_counts(database, ann, NOW).new == 2
    first = _answer(database, run, NOW, rating=4)
    second = _answer(database, run, NOW, rating=4)
    assert first != second
    assert queue_counts(database, ann, NOW).new == 0
    assert next_card(database, ann, NOW) is None
    tomorrow = NOW + timedelta(days=1)
    card = next_card(database, ann, tomorrow)
    assert card is not None and card.snapshot.state == NEW


def test_answer_is_saved_before_rating_and_the_card_stays_due(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    card = begin(database, run, NOW).card
    assert card is not None and not isinstance(card.question, Flashcard)
    response = respond(card.question, right=False)
    outcome = submit(database, run, card.question_id, response, 2000, NOW)
    assert not outcome.checked.correct and outcome.session_id == run.session_id
    with database.sessions() as session:
        saved = session.scalars(select(AnswerRecord)).one()
    assert (saved.id, saved.correct, saved.rating, saved.duration_ms) == (
        outcome.answer_id,
        False,
        None,
        2000,
    )
    assert saved.response == dump_response(response)
    assert parse_response(saved.response) == response
    again = next_card(database, ann, NOW)
    assert again is not None and again.question_id == card.question_id


def test_rating_good_moves_a_new_card_into_learning_then_review(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    question_id = _answer(database, run, NOW, rating=3)
    state = _state(database, ann, question_id)
    assert state.state == CardKind.LEARNING and state.due == NOW + timedelta(minutes=10)
    later = NOW + timedelta(minutes=11)
    card = next_card(database, ann, later)
    assert card is not None and card.question_id == question_id  # learning before new
    _answer(database, run, later, rating=3)
    state = _state(database, ann, question_id)
    assert state.state == CardKind.REVIEW and state.due > later + timedelta(hours=12)
    assert state.reps == 2


def test_intervals_preview_grows_with_the_rating(database: Database, ann: ProfileInfo) -> None:
    card = next_card(database, ann, NOW)
    assert card is not None
    intervals = [card.intervals[r] for r in (1, 2, 3, 4)]
    assert intervals == sorted(intervals) and intervals[0] < intervals[3]
    run = StudyRun(ann)
    outcome = submit(database, run, card.question_id, respond(card.question), 1000, NOW)
    assert outcome.intervals == card.intervals


def test_undo_removes_the_answer_and_restores_the_card(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    assert undo(database, run, NOW) is None  # nothing answered yet
    question_id = _answer(database, run, NOW, rating=4)
    assert _state(database, ann, question_id).state == CardKind.REVIEW
    undone = undo(database, run, NOW)
    assert undone is not None and undone.card is not None
    assert undone.card.question_id == question_id  # asked again next
    state = _state(database, ann, question_id)
    assert (state.state, state.reps, state.stability, state.last_review) == (NEW, 0, None, None)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == 0
    again = next_card(database, ann, NOW)
    assert again is not None and again.question_id == question_id
    assert undo(database, run, NOW) is None


def test_a_lapse_is_counted_and_relearning_comes_first(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    question_id = _answer(database, run, NOW, rating=4)
    due = _state(database, ann, question_id).due
    card = next_card(database, ann, due)
    assert card is not None and card.question_id == question_id
    _answer(database, run, due, rating=1, right=False)
    state = _state(database, ann, question_id)
    assert (state.state, state.lapses) == (CardKind.RELEARNING, 1)


def test_a_flashcard_rating_says_whether_it_was_known(database: Database, ann: ProfileInfo) -> None:
    with database.sessions() as session:
        flashcards = list(
            session.scalars(
                select(Question.id).where(Question.type == "flashcard").order_by(Question.id)
            )
        )
    run = StudyRun(ann)
    for question_id, rating in zip(flashcards[:2], (1, 3), strict=True):
        outcome = submit(database, run, question_id, RecallResponse(), 1000, NOW)
        assert outcome.checked.self_graded
        rate(database, run, outcome.answer_id, rating, NOW, seed=1)
    with database.sessions() as session:
        saved = list(
            session.execute(
                select(AnswerRecord.rating, AnswerRecord.correct).order_by(AnswerRecord.id)
            )
        )
    assert [tuple(row) for row in saved] == [(1, False), (3, True)]
    summary = end(database, run, NOW + timedelta(seconds=10))
    assert summary is not None and (summary.cards, summary.correct) == (2, 1)


def test_session_summary_and_progress(database: Database, ann: ProfileInfo) -> None:
    run = StudyRun(ann)
    _answer(database, run, NOW, rating=4)
    _answer(database, run, NOW + timedelta(seconds=30), rating=1, right=False)
    summary = end(database, run, NOW + timedelta(minutes=1))
    assert summary is not None
    assert (summary.cards, summary.correct, summary.accuracy) == (2, 1, 0.5)
    assert summary.seconds == 60
    stats = today_stats(database, ann, NOW + timedelta(minutes=1))
    assert (stats.answers, stats.correct, stats.accuracy) == (2, 1, 0.5)
    assert stats.new_available == ann.new_per_day - 2
    progress = {d.name: d for d in deck_progress(database, ann, NOW)}
    deck = progress["treaty-of-paris-1856"]
    assert deck.studied_today == 2 and deck.learning == 1
    assert deck.new == ann.new_per_day - 2


def test_each_visit_is_its_own_session(database: Database, ann: ProfileInfo) -> None:
    """Sessions start with the first answer; leaving without `end` (a crash) and coming
    back the same day starts a new session, and the old one is closed at its last answer."""
    first = StudyRun(ann)
    begin(database, first, NOW)
    assert first.session_id is None
    _answer(database, first, NOW + timedelta(minutes=1), rating=4)
    assert first.session_id is not None
    second = StudyRun(ann)
    begin(database, second, NOW + timedelta(hours=2))
    with database.sessions() as session:
        old = session.get(StudySession, first.session_id)
        assert old is not None and old.ended_at == NOW + timedelta(minutes=1)
    _answer(database, second, NOW + timedelta(hours=2), rating=4)
    assert second.session_id is not None and second.session_id != first.session_id
    end(database, second, NOW + timedelta(hours=3))
    with database.sessions() as session:
        new = session.get(StudySession, second.session_id)
        assert new is not None and new.ended_at == NOW + timedelta(hours=3)
        assert session.scalar(select(func.count()).select_from(StudySession)) == 2


def test_streak_counts_consecutive_study_days(database: Database, ann: ProfileInfo) -> None:
    for days_ago in (3, 2, 1):
        moment = NOW - timedelta(days=days_ago)
        _answer(database, StudyRun(ann), moment, rating=4)
    assert study_streak(database, ann, NOW) == 3  # today not yet studied
    _answer(database, StudyRun(ann), NOW, rating=4)
    assert study_streak(database, ann, NOW) == 4
    assert study_streak(database, ann, NOW + timedelta(days=2)) == 0


def test_study_day_starts_at_the_profile_hour(database: Database, ann: ProfileInfo) -> None:
    ann = update_profile_settings(database, ann.id, new_per_day=1, day_start_hour=4)
    late = datetime(2026, 3, 30, 23, 0, tzinfo=NOW.tzinfo)
    _answer(database, StudyRun(ann), late, rating=4)
    assert next_card(database, ann, late + timedelta(hours=3)) is None  # 2 a.m.
    assert next_card(database, ann, late + timedelta(hours=5)) is not None


def test_suspended_and_retired_cards_are_not_studied(database: Database, ann: ProfileInfo) -> None:
    ann = update_profile_settings(database, ann.id, new_per_day=1000)
    with database.sessions.begin() as session:
        ids = list(session.scalars(select(Question.id).order_by(Question.id)))
        session.execute(
            update(CardState).where(CardState.question_id == ids[0]).values(suspended=True)
        )
        session.execute(update(Question).where(Question.id == ids[1]).values(retired_at=NOW))
    assert queue_counts(database, ann, NOW).new == len(ids) - 2
    seen = set()
    for day in range(3):  # siblings of a fact wait for the next day; a fact has at most 3
        now = NOW + timedelta(days=day)
        run = StudyRun(ann)
        card = begin(database, run, now).card
        while card is not None:
            seen.add(card.question_id)
            outcome = submit(database, run, card.question_id, respond(card.question), 1, now)
            card = rate(database, run, outcome.answer_id, 4, now, seed=1).card
    assert ids[0] not in seen and ids[1] not in seen and len(seen) == len(ids) - 2


def test_next_cards_mix_topics(database: Database, ann: ProfileInfo) -> None:
    run = StudyRun(ann)
    card = begin(database, run, NOW).card
    topics = []
    for _ in range(6):
        assert card is not None
        topics.append(card.question.topic)
        outcome = submit(database, run, card.question_id, respond(card.question), 1, NOW)
        card = rate(database, run, outcome.answer_id, 4, NOW, seed=1).card
        assert run.last_topic == topics[-1]
        offered = next_card(database, ann, NOW, last_topic=run.last_topic)
        assert card is not None and offered is not None
        assert offered.question_id == card.question_id  # the same card as the run offers
    assert all(a != b for a, b in itertools.pairwise(topics))


def test_answers_left_unrated_are_rated_when_studying_resumes(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    card = begin(database, run, NOW).card
    assert card is not None and not isinstance(card.question, Flashcard)
    answer_card(database, run, card, NOW, rating=None, right=False, duration_ms=900)
    # the app dies here, before the learner rates the answer; it starts again later:
    begin(database, StudyRun(ann), NOW + timedelta(minutes=5))
    with database.sessions() as session:
        rating = session.scalar(select(AnswerRecord.rating))
    assert rating == 1  # wrong, so Again
    state = _state(database, ann, card.question_id)
    assert state.state == CardKind.LEARNING and state.due == NOW + timedelta(minutes=1)


def test_an_unrated_answer_answered_again_since_is_left_alone(
    database: Database, ann: ProfileInfo
) -> None:
    run = StudyRun(ann)
    card = begin(database, run, NOW).card
    assert card is not None
    answer_card(database, run, card, NOW, rating=None, duration_ms=900)
    answer_card(database, run, card, NOW, rating=4, duration_ms=900)
    before = _state(database, ann, card.question_id).due
    begin(database, StudyRun(ann), NOW + timedelta(minutes=5))
    with database.sessions() as session:
        ratings = list(session.scalars(select(AnswerRecord.rating).order_by(AnswerRecord.id)))
    assert ratings == [None, 4]
    assert _state(database, ann, card.question_id).due == before


def test_a_wrong_answer_cannot_be_undone(database: Database, ann: ProfileInfo) -> None:
    run = StudyRun(ann)
    first = _answer(database, run, NOW, rating=4)  # right
    with database.sessions() as session:
        russia = session.scalar(select(Question.id).where(Question.key == "tp-russia-side"))
    assert russia is not None
    card = study_card(database, ann, russia, NOW)  # multiple choice
    assert card is not None
    outcome = submit(database, run, card.question_id, respond(card.question, right=False), 900, NOW)
    assert not outcome.checked.correct
    before = _state(database, ann, card.question_id)
    with pytest.raises(QuizError, match=r"^an answer graded wrong stays in your history"):
        undo(database, run, NOW)  # before rating
    rate(database, run, outcome.answer_id, 1, NOW)
    rated = _state(database, ann, card.question_id)
    assert rated.reps == before.reps + 1
    with pytest.raises(QuizError, match=r"cannot be undone; go on to the next card$"):
        undo(database, run, NOW)  # after rating
    assert _state(database, ann, card.question_id).reps == rated.reps  # schedule kept
    with database.sessions() as session:
        kept = session.scalars(select(AnswerRecord.correct).order_by(AnswerRecord.id)).all()
    assert kept == [True, False]  # both answers, the wrong one too
    assert first != card.question_id
