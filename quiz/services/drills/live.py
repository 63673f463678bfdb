"""A drill as it happens, for the teacher watching it: who has started, who is answering,
who has finished or run out of time, each question's facility so far, and one student's
attempt answer by answer. Read-only and cheap (four queries), so a screen can poll it.

"So far" counts each student's latest attempt, finished or not: an answer in an attempt
still open counts as it stands (with feedback at the end it may still change).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from quiz.bank.schema import parse_question
from quiz.core.responses import describe_response, parse_response
from quiz.errors import QuizError
from quiz.services import paper
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.drills.attempts import KIND, AttemptDetails
from quiz.store.models import AnswerRecord, Drill, Profile, StudySession

AttemptState = Literal["answering", "finished", "timed out"]


@dataclass(frozen=True)
class StudentNow:
    """One student's latest attempt at the drill, as it stands."""

    profile_id: int
    name: str
    attempt_id: int
    attempts: int
    state: AttemptState
    answered: int
    right: int
    total: int
    score: float | None  # once finished (or timed out)


@dataclass(frozen=True)
class QuestionNow:
    """One question over the students' latest attempts: how many answered it, how many
    right (facility so far)."""

    question_id: int
    key: str
    prompt: str
    answered: int
    right: int

    @property
    def facility(self) -> float | None:
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class DrillNow:
    """The drill as it stands; equal values mean nothing has changed."""

    students: tuple[StudentNow, ...]
    questions: dict[int, QuestionNow]

    def count(self, state: AttemptState) -> int:
        return sum(1 for s in self.students if s.state == state)


@dataclass(frozen=True)
class AnswerNow:
    """One question of an attempt: what the student gave (None: not yet), and when."""

    question_id: int
    key: str
    prompt: str
    given: str | None
    correct: bool | None
    overridden: bool
    answered_at: datetime | None
    duration_ms: int


@dataclass(frozen=True)
class AttemptNow:
    """One attempt, question by question in the order the student was asked."""

    attempt_id: int
    name: str
    number: int
    state: AttemptState
    started_at: datetime
    deadline: datetime | None
    answers: tuple[AnswerNow, ...]

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.given is not None)

    @property
    def right(self) -> int:
        return sum(1 for a in self.answers if a.correct)


def _state(study: StudySession, details: AttemptDetails, now: datetime) -> AttemptState:
    if study.ended_at is None:
        return "timed out" if details.expired(now) else "answering"
    return "timed out" if details.timed_out else "finished"


def drill_now(database: Database, teacher: Teacher, drill_id: int, now: datetime) -> DrillNow:
    """Each student's latest attempt and each question's facility so far."""
    with database.sessions() as session:
        require_teacher(session, teacher)
        if session.get(Drill, drill_id) is None:
            raise QuizError(f"no drill with id {drill_id}; see the list of drills")
        studies = session.execute(
            select(StudySession, Profile.name)
            .join(Profile, Profile.id == StudySession.profile_id)
            .where(StudySession.kind == KIND, StudySession.drill_id == drill_id)
            .order_by(StudySession.started_at, StudySession.id)
        ).all()
        latest: dict[int, tuple[StudySession, str, int]] = {}
        for study, name in studies:
            earlier = latest.get(study.profile_id)
            latest[study.profile_id] = (study, name, 1 + (earlier[2] if earlier else 0))
        ids = [study.id for study, _, _ in latest.values()]
        answers = session.execute(
            select(AnswerRecord.session_id, AnswerRecord.question_id, AnswerRecord.correct).where(
                AnswerRecord.session_id.in_(ids)
            )
        ).all()
        rows = paper.questions_by_id(session, sorted({a.question_id for a in answers}))
    given: dict[int, dict[int, bool]] = {}
    for session_id, question_id, correct in answers:
        given.setdefault(session_id, {})[question_id] = bool(correct)
    students = []
    answered: Counter[int] = Counter()
    right: Counter[int] = Counter()
    for profile_id, (study, name, attempts) in latest.items():
        details = AttemptDetails.model_validate(study.details)
        mine = {q: ok for q, ok in given.get(study.id, {}).items() if q in details.question_ids}
        for question_id, ok in mine.items():
            answered[question_id] += 1
            right[question_id] += ok
        students.append(
            StudentNow(
                profile_id,
                name,
                study.id,
                attempts,
                _state(study, details, now),
                len(mine),
                sum(mine.values()),
                len(details.question_ids),
                study.score,
            )
        )
    students.sort(key=lambda s: s.name.casefold())
    questions = {
        q: QuestionNow(
            q, rows[q].key, parse_question(rows[q].data).prompt_text, answered[q], right[q]
        )
        for q in answered
        if q in rows
    }
    return DrillNow(tuple(students), questions)


def attempt_now(database: Database, teacher: Teacher, attempt_id: int, now: datetime) -> AttemptNow:
    """One attempt of any student, finished or still open, answer by answer."""
    with database.sessions() as session:
        require_teacher(session, teacher)
        study, details = paper.read(session, attempt_id, KIND, AttemptDetails)
        name = session.scalar(select(Profile.name).where(Profile.id == study.profile_id))
        rows = paper.questions_by_id(session, details.question_ids)
        saved = paper.answers_of(session, study.id)
    answers = []
    for question_id in details.question_ids:
        row = rows.get(question_id)
        if row is None:
            continue
        answer = saved.get(question_id)
        answers.append(
            AnswerNow(
                question_id,
                row.key,
                parse_question(row.data).prompt_text,
                None if answer is None else describe_response(parse_response(answer.response)),
                None if answer is None else bool(answer.correct),
                bool(answer is not None and answer.overridden),
                None if answer is None else answer.answered_at,
                0 if answer is None else answer.duration_ms or 0,
            )
        )
    return AttemptNow(
        study.id,
        name or "?",
        details.number,
        _state(study, details, now),
        study.started_at,
        details.deadline,
        tuple(answers),
    )
