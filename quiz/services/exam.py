"""Mock exams (draw, answer against the clock, graded report, focused revision) and the
exam-date plan.

An exam is a study session of kind "exam". Its `details` hold the paper (question ids and
their topics, in order), the time limit and the deadline; once finished, also the report.
Exam answers are saved like any other answer (with `rating` None) but do not reschedule
cards: see `record_exam_answer`.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from quiz.bank.schema import QuestionBase, parse_question
from quiz.core.exam import DEFAULT_QUESTIONS as DEFAULT_QUESTIONS  # for the TUI
from quiz.core.exam import (
    TopicScore,
    draw_exam,
    topic_scores,
    weakest_topic,
)
from quiz.core.exam import default_time_limit as default_time_limit  # for the TUI
from quiz.core.scheduling import (
    EXAM_MARGIN_DAYS,
    NEW,
    exam_window,
    introduction_days,
    study_date,
)
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.study import StudyCard, cards_for, exam_new_per_day
from quiz.store.models import AnswerRecord, CardState, Question, StudySession

EXAM = "exam"
REVISION_TOPIC_CARDS = 10  # cards of the weakest topic added to the revision


@dataclass(frozen=True)
class ExamQuestion:
    """One question of an exam paper."""

    question_id: int
    key: str
    topic: str
    question: QuestionBase


@dataclass(frozen=True)
class ExamPaper:
    """A mock exam in progress: its questions in order and its deadline."""

    exam_id: int
    started_at: datetime
    deadline: datetime
    time_limit_minutes: int
    questions: tuple[ExamQuestion, ...]
    answered: frozenset[int]
    finished: bool

    def seconds_left(self, now: datetime) -> float:
        return max((self.deadline - now).total_seconds(), 0.0)


@dataclass(frozen=True)
class Mistake:
    """A question answered wrongly (or not at all), with the given and the right answers."""

    question_id: int
    key: str
    topic: str
    prompt: str
    given: dict[str, Any] | None  # None when the question was not answered
    right: list[str]
    explanation: str


@dataclass(frozen=True)
class ExamReport:
    """The graded exam. Unanswered questions count as wrong."""

    exam_id: int
    started_at: datetime
    ended_at: datetime
    total: int
    correct: int
    answered: int
    topics: list[TopicScore]
    mistakes: list[Mistake]
    weakest_topic: str | None

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam_id": self.exam_id,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "total": self.total,
            "correct": self.correct,
            "answered": self.answered,
            "score": round(self.score, 4),
            "topics": [
                {"topic": t.topic, "correct": t.correct, "total": t.total} for t in self.topics
            ],
            "mistakes": [
                {
                    "question_id": m.question_id,
                    "key": m.key,
                    "topic": m.topic,
                    "prompt": m.prompt,
                    "given": m.given,
                    "right": m.right,
                    "explanation": m.explanation,
                }
                for m in self.mistakes
            ],
            "weakest_topic": self.weakest_topic,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ExamReport":
        return cls(
            exam_id=data["exam_id"],
            started_at=datetime.fromisoformat(data["started_at"]),
            ended_at=datetime.fromisoformat(data["ended_at"]),
            total=data["total"],
            correct=data["correct"],
            answered=data["answered"],
            topics=[TopicScore(t["topic"], t["correct"], t["total"]) for t in data["topics"]],
            mistakes=[Mistake(**m) for m in data["mistakes"]],
            weakest_topic=data["weakest_topic"],
        )


# -- taking an exam -------------------------------------------------------------------


def start_exam(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    count: int = DEFAULT_QUESTIONS,
    time_limit_minutes: int | None = None,
    deck_id: int | None = None,
    seed: int | None = None,
) -> ExamPaper:
    """Draw a mock exam of `count` questions across topics in proportion to the bank (or
    deck) and start its clock. The default time limit is 1.5 minutes a question."""
    if count < 1:
        raise QuizError("an exam needs at least 1 question")
    if time_limit_minutes is None:
        time_limit_minutes = default_time_limit(count)
    if time_limit_minutes < 1:
        raise QuizError("the time limit must be at least 1 minute")
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    with database.sessions.begin() as session:
        pool_query = select(Question.id, Question.topic).where(Question.retired_at.is_(None))
        if deck_id is not None:
            pool_query = pool_query.where(Question.deck_id == deck_id)
        pool = [(int(qid), str(topic)) for qid, topic in session.execute(pool_query)]
        if not pool:
            raise QuizError("there are no questions to draw an exam from; import a bank first")
        drawn = draw_exam(pool, count, seed)
        topics = dict(pool)
        deadline = now + timedelta(minutes=time_limit_minutes)
        exam = StudySession(
            profile_id=profile.id,
            kind=EXAM,
            deck_id=deck_id,
            started_at=now,
            details={
                "question_ids": drawn,
                "topics": [topics[qid] for qid in drawn],
                "time_limit_minutes": time_limit_minutes,
                "deadline": deadline.isoformat(),
                "seed": seed,
            },
        )
        session.add(exam)
        session.flush()
        return _paper(session, exam)


def get_exam(database: Database, profile: ProfileInfo, exam_id: int) -> ExamPaper:
    """A profile's exam paper, e.g. to resume it."""
    with database.sessions() as session:
        exam = _exam(session, exam_id)
        if exam.profile_id != profile.id:
            raise QuizError(f"exam {exam_id} is not one of {profile.name}'s exams")
        return _paper(session, exam)


def _exam(session: Session, exam_id: int) -> StudySession:
    exam = session.get(StudySession, exam_id)
    if exam is None or exam.kind != EXAM or exam.details is None:
        raise QuizError(f"there is no exam {exam_id}; start one with a new id")
    return exam


def _deadline(exam: StudySession) -> datetime:
    assert exam.details is not None
    return datetime.fromisoformat(exam.details["deadline"])


def _paper(session: Session, exam: StudySession) -> ExamPaper:
    assert exam.details is not None
    ids: list[int] = exam.details["question_ids"]
    rows = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids))).all()}
    answered = session.scalars(
        select(AnswerRecord.question_id).where(AnswerRecord.session_id == exam.id)
    ).all()
    return ExamPaper(
        exam.id,
        exam.started_at,
        _deadline(exam),
        exam.details["time_limit_minutes"],
        tuple(
            ExamQuestion(qid, rows[qid].key, topic, parse_question(rows[qid].data))
            for qid, topic in zip(ids, exam.details["topics"], strict=True)
            if qid in rows
        ),
        frozenset(answered),
        exam.ended_at is not None,
    )


def record_exam_answer(
    database: Database,
    exam_id: int,
    question_id: int,
    response: dict[str, Any],
    correct: bool,
    duration_ms: int,
    now: datetime,
) -> int:
    """Save an exam answer at once (the caller grades it). Answering a question again
    replaces the earlier answer; answers after the deadline or the end are refused.

    Exam answers do not reschedule cards: a mock exam asks cards whether or not they are
    due and the learner does not rate them, so they are kept (with `rating` None) for the
    report, history and daily counts, while spaced repetition learns from the revision that
    follows, where the learner rates each missed card. Returns the answer's id."""
    with database.sessions.begin() as session:
        exam = _exam(session, exam_id)
        assert exam.details is not None
        if exam.ended_at is not None:
            raise QuizError("this exam is finished; its answers can no longer change")
        if now > _deadline(exam):
            raise QuizError("time is up for this exam; finish it to see the report")
        if question_id not in exam.details["question_ids"]:
            raise QuizError(f"question {question_id} is not part of exam {exam_id}")
        answer = session.scalar(
            select(AnswerRecord).where(
                AnswerRecord.session_id == exam_id, AnswerRecord.question_id == question_id
            )
        )
        if answer is None:
            state = session.scalar(
                select(CardState.state).where(
                    CardState.profile_id == exam.profile_id,
                    CardState.question_id == question_id,
                )
            )
            answer = AnswerRecord(
                session_id=exam_id,
                profile_id=exam.profile_id,
                question_id=question_id,
                answered_at=now,
                response=response,
                correct=correct,
                duration_ms=duration_ms,
                rating=None,
                state_before=state,
            )
            session.add(answer)
        else:
            answer.answered_at = now
            answer.response = response
            answer.correct = correct
            answer.duration_ms += duration_ms
        session.flush()
        return answer.id


def finish_exam(database: Database, exam_id: int, now: datetime) -> ExamReport:
    """End the exam (at the deadline at the latest) and grade it: score, per-topic scores,
    mistakes with the given and the right answers. Unanswered questions count as wrong.
    The report is stored in the session's score and details; finishing again returns it."""
    with database.sessions.begin() as session:
        exam = _exam(session, exam_id)
        assert exam.details is not None
        if exam.ended_at is not None and "report" in exam.details:
            return ExamReport.from_dict(exam.details["report"])
        ids: list[int] = exam.details["question_ids"]
        topics: list[str] = exam.details["topics"]
        given = {
            a.question_id: a
            for a in session.scalars(
                select(AnswerRecord).where(AnswerRecord.session_id == exam_id)
            ).all()
        }
        questions = {
            q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids))).all()
        }
        results = [
            (topic, qid in given and given[qid].correct)
            for qid, topic in zip(ids, topics, strict=True)
        ]
        mistakes = []
        for qid, topic in zip(ids, topics, strict=True):
            answer = given.get(qid)
            if answer is not None and answer.correct:
                continue
            row = questions.get(qid)
            parsed = parse_question(row.data) if row is not None else None
            mistakes.append(
                Mistake(
                    qid,
                    row.key if row is not None else str(qid),
                    topic,
                    parsed.prompt_text if parsed is not None else "",
                    answer.response if answer is not None else None,
                    parsed.accepted_answers if parsed is not None else [],
                    parsed.explanation if parsed is not None else "",
                )
            )
        scores = topic_scores(results)
        ended = min(now, _deadline(exam))
        report = ExamReport(
            exam_id,
            exam.started_at,
            ended,
            len(ids),
            sum(1 for _, ok in results if ok),
            len(given),
            scores,
            mistakes,
            weakest_topic(scores),
        )
        exam.ended_at = ended
        exam.score = report.score
        exam.details = {**exam.details, "report": report.to_dict()}
        return report


def exam_report(database: Database, profile: ProfileInfo, exam_id: int) -> ExamReport:
    """The stored report of one of the profile's finished exams."""
    with database.sessions() as session:
        exam = _exam(session, exam_id)
        if exam.profile_id != profile.id:
            raise QuizError(f"exam {exam_id} is not one of {profile.name}'s exams")
        if exam.details is None or "report" not in exam.details:
            raise QuizError(f"exam {exam_id} is not finished yet; finish it to see the report")
        return ExamReport.from_dict(exam.details["report"])


def revision_cards(
    database: Database,
    profile: ProfileInfo,
    exam_id: int,
    now: datetime,
    topic_cards: int = REVISION_TOPIC_CARDS,
) -> list[StudyCard]:
    """The focused revision after an exam: its mistakes, then up to `topic_cards` more cards
    of its weakest topic, the least stable seen cards first, then unseen ones. Study them in
    a session of kind "revision" with `record_answer(..., rating=...)`."""
    report = exam_report(database, profile, exam_id)
    ids = [m.question_id for m in report.mistakes]
    if report.weakest_topic is not None and topic_cards > 0:
        with database.sessions() as session:
            more = session.scalars(
                select(CardState.question_id)
                .join(Question, Question.id == CardState.question_id)
                .where(
                    CardState.profile_id == profile.id,
                    CardState.suspended.is_(False),
                    Question.topic == report.weakest_topic,
                    Question.retired_at.is_(None),
                    CardState.question_id.not_in(ids),
                )
                .order_by(
                    case((CardState.state == NEW, 1), else_=0),
                    CardState.stability,
                    CardState.question_id,
                )
                .limit(topic_cards)
            ).all()
        ids.extend(more)
    return cards_for(database, profile, ids, now)


# -- exam date ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamPlan:
    """What is left to do before the profile's exam date.

    `days_left` counts study days from today to the exam, today included, the exam day not.
    `cards_to_see` are the cards that must still be studied before the exam: the new ones
    and those not seen within `EXAM_MARGIN_DAYS` days of it. `new_per_day` is the pace in
    force (raised above the profile's setting when needed; `notes` then says so).
    """

    exam_date: date
    days_left: int
    new_remaining: int
    to_review: int
    reviews_due_before_exam: int
    new_per_day: int
    setting_new_per_day: int
    reviews_per_day: int
    notes: tuple[str, ...]

    @property
    def cards_to_see(self) -> int:
        return self.new_remaining + self.to_review

    @property
    def cards_per_day(self) -> int:
        return math.ceil(self.cards_to_see / self.days_left) if self.days_left else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam_date": self.exam_date.isoformat(),
            "days_left": self.days_left,
            "cards_to_see": self.cards_to_see,
            "new_remaining": self.new_remaining,
            "to_review": self.to_review,
            "reviews_due_before_exam": self.reviews_due_before_exam,
            "cards_per_day": self.cards_per_day,
            "new_per_day": self.new_per_day,
            "reviews_per_day": self.reviews_per_day,
            "notes": list(self.notes),
        }


def exam_plan(
    database: Database, profile: ProfileInfo, now: datetime, tz: tzinfo | None = None
) -> ExamPlan | None:
    """The days left to the profile's exam, the cards still to see before it and the pace
    that needs. None when no exam date is set or the exam is over."""
    if profile.exam_date is None:
        return None
    today = study_date(now, profile.day_start_hour, tz)
    days_left = (profile.exam_date - today).days
    if days_left < 0:
        return None
    window = exam_window(profile.exam_date, profile.day_start_hour, tz)
    with database.sessions() as session:
        active = (
            select(func.count())
            .select_from(CardState)
            .join(Question, Question.id == CardState.question_id)
            .where(
                CardState.profile_id == profile.id,
                CardState.suspended.is_(False),
                Question.retired_at.is_(None),
            )
        )
        new_remaining = int(session.scalar(active.where(CardState.state == NEW)) or 0)
        to_review = int(
            session.scalar(
                active.where(
                    CardState.state != NEW,
                    CardState.last_review < window.start,
                )
            )
            or 0
        )
        due_before = int(
            session.scalar(active.where(CardState.state != NEW, CardState.due < window.exam_start))
            or 0
        )
    new_per_day = exam_new_per_day(database, profile, now, tz)
    reviews_per_day = math.ceil(due_before / days_left) if days_left else 0
    notes = _plan_notes(profile, today, days_left, new_remaining, new_per_day, reviews_per_day)
    return ExamPlan(
        profile.exam_date,
        days_left,
        new_remaining,
        to_review,
        due_before,
        new_per_day,
        profile.new_per_day,
        reviews_per_day,
        notes,
    )


def _plan_notes(
    profile: ProfileInfo,
    today: date,
    days_left: int,
    new_remaining: int,
    new_per_day: int,
    reviews_per_day: int,
) -> tuple[str, ...]:
    assert profile.exam_date is not None
    if days_left == 0:
        return ("The exam is today: good luck!",)
    notes = []
    if new_remaining and new_per_day > profile.new_per_day:
        by = today + timedelta(days=introduction_days(days_left) - 1)
        notes.append(
            f"New cards a day raised from {profile.new_per_day} to {new_per_day} so that "
            f"all {new_remaining} new cards are introduced by {by.isoformat()}."
        )
    if reviews_per_day > profile.max_reviews_per_day:
        notes.append(
            f"About {reviews_per_day} reviews a day are due before the exam, more than your "
            f"limit of {profile.max_reviews_per_day}; raise the limit to see them all in time."
        )
    notes.append(
        f"Every card is scheduled to be seen again in the {EXAM_MARGIN_DAYS} days before the "
        f"exam on {profile.exam_date.isoformat()}."
    )
    return tuple(notes)
