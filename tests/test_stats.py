"""Statistics against a known set of answers written by the test (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, update

from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.services.stats import statistics
from quiz.services.study import sync_cards
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.conftest import NOW  # 2026-03-30 09:00 UTC; study days start at 04:00 (tz UTC)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _setup(database: Database) -> tuple[ProfileInfo, list[int]]:
    profile = get_or_create_profile(database, "ann", NOW - timedelta(days=60))
    sync_cards(database, profile.id)
    other = get_or_create_profile(database, "bob", NOW - timedelta(days=60))
    sync_cards(database, other.id)
    with database.sessions.begin() as session:
        ids = list(session.scalars(select(Question.id).order_by(Question.id)).all()[:6])
        study = StudySession(profile_id=profile.id, kind="review", started_at=at(20, 5))
        theirs = StudySession(profile_id=other.id, kind="review", started_at=at(20, 5))
        session.add_all([study, theirs])
        session.flush()
        q1, q2, q3, q4, q5, _ = ids
        rows = [
            # (when, question, correct, state_before, rating)
            (at(30, 5), q1, False, 2, 1),  # today: first review of q1, failed
            (at(30, 6), q1, True, 2, 3),  # the same card again today: not a first review
            (at(30, 8), q4, True, 1, 3),  # learning: not in retention
            (at(30, 2), q2, True, 2, 3),  # 02:00 belongs to the study day of 29 March
            (at(29, 10), q5, False, 0, 1),  # new card
            (at(28, 12), q3, True, 2, 4),  # review passed
            (at(28, 13), q3, True, None, None),  # exam answer: no rating, not in retention
            (at(26, 12), q2, True, 2, 2),  # after a gap on the 27th: outside the streak
            (at(1, 12), q2, True, 2, 3),  # 1 March: older than four weeks
        ]
        session.execute(
            insert(AnswerRecord),
            [
                {
                    "session_id": study.id,
                    "profile_id": profile.id,
                    "question_id": q,
                    "answered_at": when,
                    "response": {"text": "x"},
                    "correct": ok,
                    "duration_ms": 1000,
                    "rating": rating,
                    "state_before": state,
                }
                for when, q, ok, state, rating in rows
            ]
            + [
                {
                    "session_id": theirs.id,
                    "profile_id": other.id,
                    "question_id": q1,
                    "answered_at": at(27, 12),
                    "response": {},
                    "correct": True,
                    "duration_ms": 1,
                    "rating": 3,
                    "state_before": 2,
                }
            ],
        )
        cards = {
            q1: (2, 30.0, at(29, 12)),  # overdue: counted today; mastered
            q2: (2, 5.0, at(30, 20)),  # due today
            q3: (2, 40.0, datetime(2026, 4, 2, 10, tzinfo=UTC)),  # in three days; mastered
            q4: (1, 1.0, datetime(2026, 3, 31, 3, tzinfo=UTC)),  # 03:00: still today's day
            q5: (3, 2.0, datetime(2026, 3, 31, 12, tzinfo=UTC)),  # tomorrow
        }
        for q, (state, stability, due) in cards.items():
            session.execute(
                update(CardState)
                .where(CardState.profile_id == profile.id, CardState.question_id == q)
                .values(state=state, stability=stability, due=due, last_review=at(28, 12))
            )
        # a suspended review card is not in the forecast
        session.execute(
            update(CardState)
            .where(CardState.profile_id == profile.id, CardState.question_id == ids[5])
            .values(state=2, stability=50.0, due=at(30, 12), suspended=True)
        )
    return profile, ids


@pytest.mark.parametrize("strategy", ["join", "per_day"])
def test_statistics_from_known_answers(database: Database, strategy: str) -> None:
    profile, ids = _setup(database)
    stats = statistics(database, profile, NOW, weeks=4, tz=UTC, strategy=strategy)

    assert len(stats.days) == 28 and stats.days[-1].day == date(2026, 3, 30)
    by_day = {d.day: (d.answers, d.correct) for d in stats.days if d.answers}
    assert by_day == {
        date(2026, 3, 30): (3, 2),
        date(2026, 3, 29): (2, 1),
        date(2026, 3, 28): (2, 2),
        date(2026, 3, 26): (1, 1),
    }
    assert stats.days[-1].accuracy == pytest.approx(0.6667)
    calendar = {d.day: d.answers for d in stats.calendar if d.answers}
    assert calendar == {
        date(2026, 3, 30): 3,
        date(2026, 3, 29): 2,
        date(2026, 3, 28): 2,
        date(2026, 3, 26): 1,
        date(2026, 3, 1): 1,
    }
    assert stats.streak_days == 3
    # first reviews of review cards in four weeks: q1 today (Again), q2 on the 29th, q3 on
    # the 28th, q2 on the 26th
    assert (stats.retention.reviews, stats.retention.passed) == (4, 3)
    forecast = dict(stats.forecast)
    assert len(stats.forecast) == 30 and stats.forecast[0][0] == date(2026, 3, 30)
    assert forecast[date(2026, 3, 30)] == 3  # q1 overdue, q2, q4 (03:00 next morning)
    assert forecast[date(2026, 3, 31)] == 1  # q5
    assert forecast[date(2026, 4, 2)] == 1  # q3
    assert sum(forecast.values()) == 5
    with database.sessions() as session:
        topic_of = dict(
            session.execute(select(Question.id, Question.topic).where(Question.id.in_(ids))).all()
        )
        sizes = dict(
            session.execute(select(Question.topic, func.count()).group_by(Question.topic)).all()
        )
    topics = {t.topic: t for t in stats.topics}
    assert {t: m.cards for t, m in topics.items()} == {
        t: n - sum(1 for q in ids[5:] if topic_of[q] == t) for t, n in sizes.items()
    }  # the suspended card is left out
    q1, q2, q3, q4, q5 = ids[:5]
    expected_seen: dict[str, int] = {}
    expected_mastered: dict[str, int] = {}
    expected_answers: dict[str, list[int]] = {}
    for q in (q1, q2, q3, q4, q5):
        expected_seen[topic_of[q]] = expected_seen.get(topic_of[q], 0) + 1
    for q in (q1, q3):
        expected_mastered[topic_of[q]] = expected_mastered.get(topic_of[q], 0) + 1
    for q, ok in [(q1, 0), (q1, 1), (q4, 1), (q2, 1), (q5, 0), (q3, 1), (q3, 1), (q2, 1)]:
        pair = expected_answers.setdefault(topic_of[q], [0, 0])
        pair[0] += 1
        pair[1] += ok
    assert {t: m.seen for t, m in topics.items() if m.seen} == expected_seen
    assert {t: m.mastered for t, m in topics.items() if m.mastered} == expected_mastered
    assert {t: [m.answers, m.correct] for t, m in topics.items() if m.answers} == expected_answers


def test_streak_continues_past_the_calendar(database: Database) -> None:
    profile = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, profile.id)
    with database.sessions.begin() as session:
        question = session.scalar(select(Question.id))
        study = StudySession(profile_id=profile.id, kind="review", started_at=NOW)
        session.add(study)
        session.flush()
        session.execute(
            insert(AnswerRecord),
            [
                {
                    "session_id": study.id,
                    "profile_id": profile.id,
                    "question_id": question,
                    "answered_at": NOW - timedelta(days=n, hours=1),
                    "response": {},
                    "correct": True,
                    "duration_ms": 1,
                    "rating": None,
                    "state_before": 0,
                }
                for n in range(1, 13)  # yesterday and the 11 days before; not today
            ],
        )
    assert statistics(database, profile, NOW, weeks=1, tz=UTC, calendar_days=5).streak_days == 12
    assert statistics(database, profile, NOW, weeks=1, tz=UTC).streak_days == 12
