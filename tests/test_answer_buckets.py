"""The answer buckets that statistics sum are kept exact by the database's triggers."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from quiz.services.database import Database
from quiz.services.profiles import get_or_create_profile
from quiz.services.study import (
    next_card,
    record_answer,
    start_session,
    sync_cards,
    undo_last_answer,
)
from quiz.store.models import AnswerBucket, AnswerRecord
from tests.conftest import NOW


def _quarter(moment: datetime) -> datetime:
    return moment.replace(minute=moment.minute // 15 * 15, second=0, microsecond=0)


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
        session_id = start_session(database, profile, base)
        for n, offset in enumerate(offsets):
            card = next_card(database, profile, base + offset)
            assert card is not None
            record_answer(
                database, session_id, profile, card, {}, n % 2 == 0, 1000, base + offset, rating=3
            )
    undo_last_answer(database, session_id)  # bob's last answer goes: its bucket goes down

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
    assert len(answers) == 9 and sum(n for _, _, n, _ in buckets) == 9
