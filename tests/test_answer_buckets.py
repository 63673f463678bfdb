"""The answer buckets that statistics sum are kept exact by the database's triggers."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from quiz.services.answering import Flashcard, RecallResponse
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.mock_exam import answer_exam, start_exam
from quiz.services.profiles import get_or_create_profile
from quiz.services.queue import next_card
from quiz.services.reviewing import StudyRun, rate, submit, undo
from quiz.store.models import AnswerBucket, AnswerRecord, Question
from tests.conftest import NOW
from tests.responses import respond


def _quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


def _assert_buckets_match_the_answers(database: Database) -> int:
    """Every bucket holds exactly the answers (and right answers) of its quarter hour;
    returns how many answers there are."""
    with database.sessions() as session:
        answers = session.execute(
            select(AnswerRecord.profile_id, AnswerRecord.answered_at, AnswerRecord.correct)
        ).all()
        buckets = session.execute(
            select(
                AnswerBucket.profile_id,
                AnswerBucket.starts_at,
                AnswerBucket.answers,
                AnswerBucket.correct,
            ).where(AnswerBucket.answers > 0)
        ).all()
    expected_counts = Counter((p, _quarter(at)) for p, at, _ in answers)
    expected_correct = Counter((p, _quarter(at)) for p, at, ok in answers if ok)
    assert {(p, at): (n, c) for p, at, n, c in buckets} == {
        key: (n, expected_correct[key]) for key, n in expected_counts.items()
    }
    assert sum(n for _, _, n, _ in buckets) == len(answers)
    return len(answers)


def test_buckets_match_the_answers_through_inserts_and_undo(database: Database) -> None:
    ann = get_or_create_profile(database, "ann", NOW)
    bob = get_or_create_profile(database, "bob", NOW)
    for profile in (ann, bob):
        sync_cards(database, profile.id)
    base = datetime(2026, 3, 30, 4, 0, tzinfo=UTC)
    offsets = [
        timedelta(minutes=7),
        timedelta(minutes=14, seconds=59, microseconds=999_999),
        timedelta(minutes=15),
        timedelta(hours=19, minutes=59),
        timedelta(days=1),
    ]
    for profile in (ann, bob):
        run = StudyRun(profile)
        for n, offset in enumerate(offsets):
            card = next_card(database, profile, base + offset)
            assert card is not None
            response = respond(card.question, right=n % 2 == 0)
            outcome = submit(database, run, card.question_id, response, 1000, base + offset)
            rate(database, run, outcome.answer_id, 3, base + offset)
    assert undo(database, run, base + offsets[-1]) is not None  # bob's last answer goes
    assert _assert_buckets_match_the_answers(database) == 9


def test_buckets_follow_a_flashcard_rated_again(database: Database) -> None:
    ann = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, ann.id)
    with database.sessions() as session:
        flashcard = session.scalar(
            select(Question.id).where(Question.type == "flashcard").order_by(Question.id)
        )
    assert flashcard is not None
    run = StudyRun(ann)
    outcome = submit(database, run, flashcard, RecallResponse(), 1000, NOW)
    rate(database, run, outcome.answer_id, 1, NOW)  # not known: the answer is wrong
    assert _assert_buckets_match_the_answers(database) == 1


def test_buckets_follow_an_exam_answer_replaced(database: Database) -> None:
    ann = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, ann.id)
    exam = start_exam(database, ann, NOW, count=5, time_limit_minutes=60, seed=3)
    first = next(q for q in exam.questions if not isinstance(q.question, Flashcard))
    answer_exam(
        database, exam.paper_id, first.question_id, respond(first.question, True), 1000, NOW
    )
    later = NOW + timedelta(minutes=20)  # another quarter hour
    answer_exam(
        database, exam.paper_id, first.question_id, respond(first.question, False), 1000, later
    )
    assert _assert_buckets_match_the_answers(database) == 1
