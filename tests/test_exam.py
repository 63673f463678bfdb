"""Mock exams through the services, with a controlled clock, on SQLite and PostgreSQL."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.core.exam import apportion
from quiz.core.responses import dump_response
from quiz.errors import QuizError
from quiz.services.answering import Response, TypedResponse, describe_response
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.mock_exam import (
    answer_exam,
    exam_report,
    finish_exam,
    get_exam,
    revision_cards,
    start_exam,
)
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.store.models import AnswerRecord, CardState, Question, StudySession
from tests.conftest import NOW
from tests.responses import respond


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
    given: dict[int, Response] = {}
    for n, q in enumerate(questions[:4]):
        moment = NOW + timedelta(minutes=n + 1)
        right = n % 2 == 0
        response = respond(q.question, right, q.options, paper=True)
        outcome = answer_exam(database, paper.paper_id, q.question_id, response, 5000, moment)
        assert outcome.checked.correct is right  # graded by the service
        assert not outcome.shown and not outcome.final  # feedback only in the report
        assert outcome.right_answers == () and outcome.explanation is None
        given[q.question_id] = response
    # changing an answer replaces it: question 0 becomes wrong, then right again
    first = questions[0]
    changed = answer_exam(
        database,
        paper.paper_id,
        first.question_id,
        respond(first.question, False, first.options, paper=True),
        1000,
        NOW + timedelta(minutes=5),
    )
    assert not changed.checked.correct
    again = answer_exam(
        database,
        paper.paper_id,
        first.question_id,
        given[first.question_id],
        1000,
        NOW + timedelta(minutes=6),
    )
    assert again.checked.correct and again.answer_id == changed.answer_id
    for late in (timedelta(minutes=10), timedelta(minutes=10, seconds=1)):  # at the deadline on
        with pytest.raises(QuizError, match="time is up"):
            answer_exam(
                database,
                paper.paper_id,
                questions[5].question_id,
                respond(questions[5].question, True, questions[5].options, paper=True),
                1000,
                NOW + late,
            )
    outsider = next(qid for qid in range(1, 500) if qid not in {q.question_id for q in questions})
    with pytest.raises(QuizError, match="not on this paper"):
        answer_exam(
            database,
            paper.paper_id,
            outsider,
            TypedResponse(typed="x"),
            1,
            NOW + timedelta(minutes=7),
        )
    resumed = get_exam(database, ann, paper.paper_id)
    assert resumed.answered == frozenset(given) and resumed.responses == given
    assert resumed.outcomes == {} and not resumed.finished
    assert [q.options for q in resumed.questions] == [q.options for q in questions]

    report = finish_exam(database, paper.paper_id, NOW + timedelta(minutes=30))
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
        assert mistake.given_text == describe_response(given.get(q.question_id))
        assert mistake.right == q.question.accepted_answers
        assert mistake.prompt == q.question.prompt_text
    # for scripts, each given answer is the text a person reads (None when unanswered)
    assert [m["given"] for m in report.to_json()["mistakes"]] == [  # type: ignore[index, union-attr]
        None if m.given is None else m.given_text for m in report.mistakes
    ]

    with database.sessions() as session:
        exam = session.get(StudySession, paper.paper_id)
        assert exam is not None and exam.score == pytest.approx(0.25)
        assert exam.details is not None and exam.details["report"]["correct"] == 2
        answers = session.scalars(
            select(AnswerRecord).where(AnswerRecord.session_id == paper.paper_id)
        ).all()
        assert len(answers) == 4 and all(a.rating is None for a in answers)
        # one answer row per question, the last response kept, durations added up
        stored = {a.question_id: a for a in answers}
        assert {qid: a.response for qid, a in stored.items()} == {
            qid: dump_response(r) for qid, r in given.items()
        }
        assert stored[first.question_id].duration_ms == 5000 + 1000 + 1000
        cards_after = session.execute(
            select(CardState.question_id, CardState.state, CardState.due).where(
                CardState.profile_id == ann.id
            )
        ).all()
    assert sorted(cards_after) == sorted(cards_before)  # exam answers do not reschedule
    assert exam_report(database, ann, paper.paper_id) == report
    assert finish_exam(database, paper.paper_id, NOW + timedelta(hours=1)) == report
    with pytest.raises(QuizError, match="finished"):
        answer_exam(
            database,
            paper.paper_id,
            questions[6].question_id,
            respond(questions[6].question, True, questions[6].options, paper=True),
            1,
            NOW + timedelta(minutes=8),
        )
    with pytest.raises(QuizError, match="not one of bob's exams"):
        exam_report(database, bob, paper.paper_id)

    cards = revision_cards(database, ann, paper.paper_id, NOW + timedelta(hours=1), topic_cards=3)
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
