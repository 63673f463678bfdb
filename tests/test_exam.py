"""Mock exams through the services, with a controlled clock, on SQLite and PostgreSQL."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.core.exam import apportion
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.exam import (
    exam_report,
    finish_exam,
    get_exam,
    record_exam_answer,
    revision_cards,
    start_exam,
)
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.services.study import sync_cards
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.conftest import NOW


def _profile(database: Database, name: str = "ann") -> ProfileInfo:
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    return profile


def test_exam_draws_topics_in_proportion_to_the_bank(database: Database) -> None:
    profile = _profile(database)
    paper = start_exam(database, profile, NOW, count=20, seed=3)
    with database.sessions() as session:
        sizes = dict(
            session.execute(
                select(Question.topic, func.count())
                .where(Question.retired_at.is_(None))
                .group_by(Question.topic)
            ).all()
        )
    expected = {t: n for t, n in apportion(sizes, 20).items() if n}
    assert Counter(q.topic for q in paper.questions) == expected
    assert len({q.question_id for q in paper.questions}) == 20
    assert paper.deadline == NOW + timedelta(minutes=30)  # 1.5 minutes a question
    again = start_exam(database, profile, NOW, count=20, seed=3)
    assert [q.question_id for q in again.questions] == [q.question_id for q in paper.questions]


def test_exam_flow_report_and_revision(database: Database) -> None:
    ann, bob = _profile(database, "ann"), _profile(database, "bob")
    paper = start_exam(database, ann, NOW, count=8, time_limit_minutes=10, seed=11)
    questions = paper.questions
    with database.sessions() as session:
        cards_before = session.execute(
            select(CardState.question_id, CardState.state, CardState.due).where(
                CardState.profile_id == ann.id
            )
        ).all()
    # right, wrong, right, wrong; the last four not answered
    given = {}
    for n, q in enumerate(questions[:4]):
        moment = NOW + timedelta(minutes=n + 1)
        response = {"text": f"answer {n}"}
        record_exam_answer(
            database, paper.exam_id, q.question_id, response, n % 2 == 0, 5000, moment
        )
        given[q.question_id] = response
    # changing an answer replaces it: question 0 becomes wrong, then right again
    record_exam_answer(
        database,
        paper.exam_id,
        questions[0].question_id,
        {"text": "x"},
        False,
        1000,
        NOW + timedelta(minutes=5),
    )
    record_exam_answer(
        database,
        paper.exam_id,
        questions[0].question_id,
        given[questions[0].question_id],
        True,
        1000,
        NOW + timedelta(minutes=6),
    )
    with pytest.raises(QuizError, match="time is up"):
        record_exam_answer(
            database,
            paper.exam_id,
            questions[5].question_id,
            {"text": "late"},
            True,
            1000,
            NOW + timedelta(minutes=10, seconds=1),
        )
    outsider = next(qid for qid in range(1, 500) if qid not in {q.question_id for q in questions})
    with pytest.raises(QuizError, match="not part of exam"):
        record_exam_answer(
            database, paper.exam_id, outsider, {}, True, 1, NOW + timedelta(minutes=7)
        )
    assert get_exam(database, ann, paper.exam_id).answered == frozenset(given)

    report = finish_exam(database, paper.exam_id, NOW + timedelta(minutes=30))
    assert (report.total, report.correct, report.answered) == (8, 2, 4)
    assert report.score == pytest.approx(0.25)
    assert report.ended_at == paper.deadline  # finished late: the exam ended at its deadline
    per_topic: dict[str, list[int]] = {}
    for n, q in enumerate(questions):
        pair = per_topic.setdefault(q.topic, [0, 0])
        pair[0] += int(n < 4 and n % 2 == 0)
        pair[1] += 1
    assert {t.topic: [t.correct, t.total] for t in report.topics} == per_topic
    wrong = [q for n, q in enumerate(questions) if not (n < 4 and n % 2 == 0)]
    assert [m.question_id for m in report.mistakes] == [q.question_id for q in wrong]
    for mistake, q in zip(report.mistakes, wrong, strict=True):
        assert mistake.given == given.get(q.question_id)  # None when unanswered
        assert mistake.right == q.question.accepted_answers
        assert mistake.prompt == q.question.prompt_text

    with database.sessions() as session:
        exam = session.get(StudySession, paper.exam_id)
        assert exam is not None and exam.score == pytest.approx(0.25)
        assert exam.details is not None and exam.details["report"]["correct"] == 2
        answers = session.scalars(
            select(AnswerRecord).where(AnswerRecord.session_id == paper.exam_id)
        ).all()
        assert len(answers) == 4 and all(a.rating is None for a in answers)
        cards_after = session.execute(
            select(CardState.question_id, CardState.state, CardState.due).where(
                CardState.profile_id == ann.id
            )
        ).all()
    assert sorted(cards_after) == sorted(cards_before)  # exam answers do not reschedule
    assert exam_report(database, ann, paper.exam_id) == report
    assert finish_exam(database, paper.exam_id, NOW + timedelta(hours=1)) == report
    with pytest.raises(QuizError, match="finished"):
        record_exam_answer(
            database,
            paper.exam_id,
            questions[6].question_id,
            {},
            True,
            1,
            NOW + timedelta(minutes=8),
        )
    with pytest.raises(QuizError, match="not one of bob's exams"):
        exam_report(database, bob, paper.exam_id)

    cards = revision_cards(database, ann, paper.exam_id, NOW + timedelta(hours=1), topic_cards=3)
    ids = [c.question_id for c in cards]
    assert ids[: len(wrong)] == [q.question_id for q in wrong]
    extra = ids[len(wrong) :]
    assert len(extra) == 3 and not set(extra) & set(ids[: len(wrong)])
    with database.sessions() as session:
        topics = set(session.scalars(select(Question.topic).where(Question.id.in_(extra))).all())
    assert topics == {report.weakest_topic}
    assert all(c.intervals for c in cards)


def test_an_exam_needs_questions_and_a_sensible_limit(database: Database) -> None:
    profile = _profile(database)
    with pytest.raises(QuizError, match="at least 1 question"):
        start_exam(database, profile, NOW, count=0)
    with pytest.raises(QuizError, match="at least 1 minute"):
        start_exam(database, profile, NOW, time_limit_minutes=0)
    with pytest.raises(QuizError, match="no questions"):
        start_exam(database, profile, NOW, deck_id=9999)
