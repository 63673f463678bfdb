"""Statistics against a known set of answers the test gave through the review and exam
services at chosen times and card states (SQLite and PostgreSQL)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from quiz.core.scheduling import NEW
from quiz.services.cards import study_card, sync_cards
from quiz.services.database import Database
from quiz.services.mock_exam import answer_exam, finish_exam, start_exam
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.progress import today_stats
from quiz.services.reviewing import StudyRun, end, rate, submit
from quiz.services.stats import statistics
from quiz.store.models import CardState, Question
from tests.conftest import NOW  # 2026-03-30 09:00 UTC; profiles in UTC, study days from 04:00
from tests.responses import respond

LEARNING, REVIEW = 1, 2


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _learner(database: Database, name: str) -> ProfileInfo:
    """A profile studying in UTC (study days from 04:00), its cards synced."""
    profile = get_or_create_profile(database, name, NOW - timedelta(days=60))
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC")


def _set_card(
    database: Database, profile: ProfileInfo, question_id: int, state: int, moment: datetime
) -> None:
    """Put a card in `state` just before it is answered at `moment`: a review card seen ten
    days ago and due an hour ago, or a learning card due now; a new card stays new."""
    values: dict[str, object]
    if state == REVIEW:
        values = {"step": None, "stability": 10.0, "due": moment - timedelta(hours=1)}
        values |= {"last_review": moment - timedelta(days=10), "reps": 3}
    elif state == LEARNING:
        values = {
            "step": 0,
            "stability": 1.0,
            "due": moment,
            "last_review": moment - timedelta(minutes=10),
        }
        values |= {"reps": 1}
    else:
        assert study_card(database, profile, question_id, moment).kind == NEW  # type: ignore[union-attr]
        return
    with database.sessions.begin() as session:
        session.execute(
            update(CardState)
            .where(CardState.profile_id == profile.id, CardState.question_id == question_id)
            .values(state=state, difficulty=5.0, lapses=0, **values)
        )


def _review(
    database: Database,
    run: StudyRun,
    question_id: int,
    right: bool,
    state: int,
    rating: int | None,
    moment: datetime,
) -> None:
    """Answer one card in review, right or wrong, from `state`; rate it unless `rating`
    is None (the answer is then left unrated). A flashcard is right when rated above Again."""
    _set_card(database, run.profile, question_id, state, moment)
    card = study_card(database, run.profile, question_id, moment)
    assert card is not None
    response = respond(card.question, right)
    outcome = submit(database, run, question_id, response, 1000, moment)
    assert outcome.checked.self_graded or outcome.checked.correct is right  # graded by submit
    if rating is not None:
        rate(database, run, outcome.answer_id, rating, moment)


def _exam_answer(
    database: Database, profile: ProfileInfo, question_id: int, moment: datetime
) -> None:
    """A mock exam of the whole bank started at `moment`, with one right answer to this
    question; finished an hour later."""
    with database.sessions() as session:
        pool = session.scalar(select(func.count()).where(Question.retired_at.is_(None)))
    paper = start_exam(database, profile, moment, count=int(pool or 0), seed=1)
    question = next(q for q in paper.questions if q.question_id == question_id)
    response = respond(question.question, True, question.options, paper=True)
    outcome = answer_exam(database, paper.paper_id, question_id, response, 1000, moment)
    assert outcome.checked.correct
    finish_exam(database, paper.paper_id, moment + timedelta(hours=1))


def _setup(database: Database) -> tuple[ProfileInfo, list[int]]:
    profile = _learner(database, "ann")
    other = _learner(database, "bob")
    with database.sessions() as session:
        ids = list(session.scalars(select(Question.id).order_by(Question.id)).all()[:6])
    q1, q2, q3, q4, q5, _ = ids
    run = StudyRun(profile)
    # oldest first: (when, question, right, state before, rating)
    for when, q, right, state, rating in [
        (at(1, 12), q2, True, REVIEW, 3),  # 1 March: older than four weeks
        (at(26, 12), q2, True, REVIEW, 2),  # after a gap on the 27th: outside the streak
        (at(28, 12), q3, True, REVIEW, 4),  # review passed
        (at(29, 10), q5, False, NEW, 1),  # new card
        (at(30, 2), q2, True, REVIEW, 3),  # 02:00 belongs to the study day of 29 March
        (at(30, 5), q1, False, REVIEW, 1),  # today: first review of q1, failed
        (at(30, 6), q1, True, REVIEW, 3),  # the same card again today: not a first review
        (at(30, 8), q4, True, LEARNING, 3),  # learning: not in retention
    ]:
        _review(database, run, q, right, state, rating, when)
    end(database, run, at(30, 8))
    _exam_answer(database, profile, q3, at(28, 13))  # exam answer: no rating, not in retention
    theirs = StudyRun(other)  # someone else's answer on the 27th: not in ann's figures
    _review(database, theirs, q1, True, REVIEW, 3, at(27, 12))
    end(database, theirs, at(27, 12))
    with database.sessions.begin() as session:
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
    stats = statistics(database, profile, NOW, weeks=4, strategy=strategy)

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
    # study (rated) answers only: the exam answer to q3 on the 28th is left to its report
    for q, ok in [(q1, 0), (q1, 1), (q4, 1), (q2, 1), (q5, 0), (q3, 1), (q2, 1)]:
        pair = expected_answers.setdefault(topic_of[q], [0, 0])
        pair[0] += 1
        pair[1] += ok
    assert {t: m.seen for t, m in topics.items() if m.seen} == expected_seen
    assert {t: m.mastered for t, m in topics.items() if m.mastered} == expected_mastered
    assert {t: [m.answers, m.correct] for t, m in topics.items() if m.answers} == expected_answers


def test_streak_continues_past_the_calendar(database: Database) -> None:
    profile = _learner(database, "ann")
    with database.sessions() as session:
        question = session.scalar(select(Question.id).order_by(Question.id))
    assert question is not None
    run = StudyRun(profile)
    for n in range(12, 0, -1):  # yesterday and the 11 days before; not today; left unrated
        _review(database, run, question, True, NEW, None, NOW - timedelta(days=n, hours=1))
    for calendar_days in (1, 2, 4, 5, 12, 13):  # probed beyond: 8 days, then 32 more
        assert statistics(database, profile, NOW, 1, calendar_days).streak_days == 12
    assert statistics(database, profile, NOW, weeks=1).streak_days == 12


# The day figures (and the streak) are summed from `answer_buckets`, kept by triggers. Two
# answers change in place since the services grade them: a flashcard's verdict is set by its
# rating, and a paper answer given again replaces the earlier one (verdict and time).
def test_day_figures_follow_a_flashcard_rated_again(database: Database) -> None:
    profile = _learner(database, "ann")
    with database.sessions() as session:
        flashcard = session.scalar(
            select(Question.id).where(Question.type == "flashcard").order_by(Question.id)
        )
    assert flashcard is not None
    run = StudyRun(profile)
    _review(database, run, flashcard, False, NEW, 1, NOW)  # shown, then rated Again
    assert today_stats(database, profile, NOW).correct == 0
    day = statistics(database, profile, NOW, weeks=1).days[-1]
    assert (day.day, day.answers, day.correct) == (date(2026, 3, 30), 1, 0)


def test_day_figures_follow_a_replaced_exam_answer(database: Database) -> None:
    profile = _learner(database, "ann")
    paper = start_exam(database, profile, NOW, count=1, time_limit_minutes=3 * 24 * 60, seed=1)
    question = paper.questions[0]
    for response, moment in [
        (respond(question.question, True, question.options, paper=True), NOW),
        (respond(question.question, False, question.options, paper=True), NOW + timedelta(days=1)),
    ]:
        answer_exam(database, paper.paper_id, question.question_id, response, 1000, moment)
    later = NOW + timedelta(days=1)
    assert today_stats(database, profile, later).answers == 1
    days = statistics(database, profile, later, weeks=1).days
    assert [(d.day, d.answers, d.correct) for d in days if d.answers] == [(date(2026, 3, 31), 1, 0)]


def test_a_topic_answered_only_in_an_exam_shows_no_accuracy(database: Database) -> None:
    """Seen and right count the same answers: an exam answer to a new card (never rated,
    the card stays new) makes no topic read "0 seen, 100% right"."""
    profile = _learner(database, "ann")
    with database.sessions() as session:
        question_id, topic = session.execute(
            select(Question.id, Question.topic).order_by(Question.id).limit(1)
        ).one()
    _exam_answer(database, profile, question_id, at(29, 12))
    row = {t.topic: t for t in statistics(database, profile, NOW).topics}[topic]
    assert (row.seen, row.answers, row.correct, row.accuracy) == (0, 0, 0, None)
    assert sum(d.answers for d in statistics(database, profile, NOW).days) == 1  # still counted
