"""Taking a drill: start or resume an attempt, answer, finish, see the result.

An attempt is a paper (`quiz.services.paper`) of kind "drill" whose details (`AttemptDetails`)
fix what it asks when it starts, so editing a drill later never changes an attempt already
made. Drill answers are never rated: a drill is an assessment.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.bank.class_files import StudentExchange, read_exchange
from quiz.bank.schema import parse_question
from quiz.core.exam import distinct_facts
from quiz.core.responses import Response, describe_response, parse_response
from quiz.errors import QuizError
from quiz.services import paper
from quiz.services.answering import Outcome, right_answers
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.drills.authoring import (
    DrillInfo,
    Status,
    StoredSpec,
    candidate_facts,
    draw,
    drill_info,
    drill_query,
    iso,
)
from quiz.services.profiles import ProfileInfo
from quiz.store.locks import lock_row
from quiz.store.models import Drill, Profile, Question, StudySession

KIND: paper.PaperKind = "drill"


class AttemptDetails(paper.PaperDetails):
    """A drill attempt's details: the paper, and the drill's title, pass mark and, once
    finished, its marks."""

    title: str
    number: int
    question_keys: list[str]
    pass_mark: float
    correct: int | None = None
    total: int | None = None
    passed: bool | None = None
    timed_out: bool | None = None
    exchange_attempt: str | None = None  # a drill from a file: this attempt's random id
    exported_at: AwareDatetime | None = None  # when its results were last written to a file


@dataclass(frozen=True)
class StudentDrill:
    """A drill as one student sees it."""

    drill: DrillInfo
    status: Status
    attempts_used: int
    attempts_left: int | None  # None: unlimited
    best_score: float | None
    open_attempt_id: int | None  # an attempt in progress, to resume

    @property
    def can_start(self) -> bool:
        return self.status == "open" and (
            self.open_attempt_id is not None or self.attempts_left is None or self.attempts_left > 0
        )


@dataclass(frozen=True)
class QuestionResult:
    """One question in a finished attempt."""

    question_id: int
    key: str
    prompt: str
    response: Response | None  # None: not answered
    correct: bool
    right_answers: tuple[str, ...] | None  # None when the drill's feedback hides them
    explanation: str | None

    @property
    def given(self) -> str:
        """The answer given, as a person reads it."""
        return describe_response(self.response)


@dataclass(frozen=True)
class AttemptResult:
    """A finished attempt: score, pass or fail, and each question."""

    attempt_id: int
    drill_id: int | None
    title: str
    profile_id: int
    started_at: datetime
    ended_at: datetime
    correct: int
    total: int
    score: float
    pass_mark: float
    passed: bool
    timed_out: bool
    answers_shown: bool
    questions: tuple[QuestionResult, ...]
    graded: bool = True  # False: a drill file without its answer key; the teacher grades it

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "drill_id": self.drill_id,
            "title": self.title,
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "correct": self.correct,
            "total": self.total,
            "score": round(self.score, 4) if self.graded else None,
            "pass_mark": self.pass_mark,
            "passed": self.passed if self.graded else None,
            "graded": self.graded,
            "timed_out": self.timed_out,
            "questions": [
                {
                    "id": q.key,
                    "prompt": q.prompt,
                    "answer": None if q.response is None else q.given,
                    "correct": q.correct,
                    "right_answers": None if q.right_answers is None else list(q.right_answers),
                }
                for q in self.questions
            ],
        }


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt in a learner's history."""

    attempt_id: int
    drill_id: int | None
    title: str
    started_at: datetime
    ended_at: datetime | None
    score: float | None
    passed: bool | None
    timed_out: bool = False  # ended at its time limit (or the drill's closing)


def read_attempt(session: Session, attempt_id: int) -> tuple[StudySession, AttemptDetails]:
    return paper.read(session, attempt_id, KIND, AttemptDetails)


def expired(study: StudySession, now: datetime) -> bool:
    """Whether an attempt's time is up (its deadline has passed)."""
    return AttemptDetails.model_validate(study.details).expired(now)


def drills_for_student(
    database: Database, profile_id: int, now: datetime, include_closed: bool = False
) -> list[StudentDrill]:
    """Drills open now or later (and closed ones if asked), with this student's attempts."""
    out = []
    with database.sessions() as session:
        rows = session.execute(drill_query().order_by(Drill.title)).all()
        attempts: dict[int, list[StudySession]] = {}
        for study in session.scalars(
            select(StudySession)
            .where(StudySession.profile_id == profile_id, StudySession.kind == KIND)
            .order_by(StudySession.id)
        ):
            if study.drill_id is not None:
                attempts.setdefault(study.drill_id, []).append(study)
        for drill, creator in rows:
            info = drill_info(drill, creator)
            status = info.status(now)
            if status == "closed" and not include_closed:
                continue
            mine = attempts.get(drill.id, [])
            scores = [s.score for s in mine if s.score is not None]
            allowed = info.spec.attempts
            open_id = next((s.id for s in mine if s.ended_at is None and not expired(s, now)), None)
            out.append(
                StudentDrill(
                    info,
                    status,
                    len(mine),
                    None if allowed is None else max(0, allowed - len(mine)),
                    max(scores) if scores else None,
                    open_id,
                )
            )
    return out


def _view(session: Session, study: StudySession, details: AttemptDetails) -> paper.PaperView:
    return paper.view(session, study, details, KIND, details.title)


def start_attempt(
    database: Database,
    student: ProfileInfo,
    drill_id: int,
    now: datetime,
    seed: int | None = None,
) -> paper.PaperView:
    """Start an attempt (or resume the one in progress). Refused when the drill is not
    open or no attempts are left. `seed` fixes the shuffles and a fresh draw (tests)."""
    with database.sessions.begin() as session:
        lock_row(session, Profile, student.id)  # a second tab waits, then resumes this one
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see the list of drills")
        info = drill_info(drill, None)
        spec = info.spec
        exchange = read_exchange(drill.exchange)
        from_file = exchange if isinstance(exchange, StudentExchange) else None
        if from_file is not None and from_file.student != student.name:
            raise QuizError(
                f"{drill.title!r} came in a file for {from_file.student}; "
                f"take it as {from_file.student} (quiz --profile {from_file.student})"
            )
        mine = session.scalars(
            select(StudySession)
            .where(
                StudySession.profile_id == student.id,
                StudySession.kind == KIND,
                StudySession.drill_id == drill_id,
            )
            .order_by(StudySession.id)
        ).all()
        for study in mine:
            if study.ended_at is None:
                details = AttemptDetails.model_validate(study.details)
                if not details.expired(now):
                    return _view(session, study, details)
                finish_in(session, study, details, now)
        status = info.status(now)
        if status == "upcoming":
            raise QuizError(f"{drill.title!r} opens at {_when(drill.opens_at)}; come back then")
        if status == "closed":
            raise QuizError(
                f"{drill.title!r} closed at {_when(drill.closes_at)}; ask your teacher to reopen it"
            )
        if spec.attempts is not None and len(mine) >= spec.attempts:
            raise QuizError(
                f"you have used all {spec.attempts} attempt(s) at {drill.title!r}; "
                "ask your teacher for another"
            )
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        rng = random.Random(seed)
        keys = _draw(session, drill, spec, rng)
        rows = {q.key: q for q in session.scalars(select(Question).where(Question.key.in_(keys)))}
        missing = [key for key in keys if key not in rows]
        if missing:
            raise QuizError(
                f"question {missing[0]} of {drill.title!r} is no longer in the question bank; "
                "ask your teacher to edit the drill"
            )
        if spec.shuffle_questions:
            rng.shuffle(keys)
        details = AttemptDetails(
            question_ids=[rows[key].id for key in keys],
            option_orders=paper.option_orders(
                [(rows[key].id, parse_question(rows[key].data)) for key in keys],
                rng,
                spec.shuffle_options,
            ),
            deadline=paper.deadline_for(now, spec.time_limit_minutes, drill.closes_at),
            time_limit_minutes=spec.time_limit_minutes,
            feedback=spec.feedback,
            seed=seed,
            title=drill.title,
            number=len(mine) + 1,
            question_keys=keys,
            pass_mark=spec.pass_mark,
            allow_override=spec.allow_override,
            sealed=from_file is not None and from_file.sealed,
            exchange_attempt=None if from_file is None else uuid.uuid4().hex,
        )
        study = StudySession(
            profile_id=student.id, kind=KIND, drill_id=drill.id, started_at=now, details={}
        )
        paper.store(study, details)
        session.add(study)
        session.flush()
        return _view(session, study, details)


def _draw(session: Session, drill: Drill, spec: StoredSpec, rng: random.Random) -> list[str]:
    """The drill's questions: its explicit list as the teacher wrote it (two questions of
    one fact are allowed there: the teacher chose them), else its draw, which never takes
    two questions of one fact."""
    if spec.questions is not None:
        return list(spec.questions)
    rule = spec.draw
    assert rule is not None
    if not rule.fresh_each_attempt and spec.drawn is not None:
        return list(spec.drawn)
    found = candidate_facts(session, rule)
    available = distinct_facts(found)
    if available < rule.count:
        raise QuizError(
            f"only {available} question(s) on different facts match {drill.title!r} now; "
            "ask your teacher to edit the drill"
        )
    return draw(rng, found, rule.count)


def _when(moment: datetime | None) -> str:
    return "?" if moment is None else moment.strftime("%Y-%m-%d %H:%M %Z")


def get_attempt(database: Database, attempt_id: int) -> paper.PaperView:
    """An attempt's questions and the answers saved so far (to resume it)."""
    with database.sessions() as session:
        study, details = read_attempt(session, attempt_id)
        return _view(session, study, details)


def answer_attempt(
    database: Database,
    attempt_id: int,
    question_id: int,
    response: Response,
    duration_ms: int,
    now: datetime,
) -> Outcome:
    """Grade and save an answer to a question of the attempt (see `paper.answer`)."""
    return paper.answer(database, KIND, attempt_id, question_id, response, duration_ms, now)


def override_attempt_answer(
    database: Database, attempt_id: int, question_id: int, now: datetime
) -> Outcome:
    """ "I was right" in a drill: only when the drill allows it (see `paper.override`)."""
    with database.sessions() as session:
        _, details = read_attempt(session, attempt_id)
    if not details.allow_override:
        raise QuizError(
            "this drill does not let you mark an answer right yourself; "
            "ask your teacher if you think it was"
        )
    return paper.override(database, KIND, attempt_id, question_id, now)


def finish_in(
    session: Session, study: StudySession, details: AttemptDetails, now: datetime
) -> AttemptDetails:
    """Score the attempt and end it, in the caller's transaction."""
    marks = paper.mark(session, study, details, now)
    finished = details.model_copy(
        update={
            "correct": marks.correct,
            "total": marks.total,
            "passed": None
            if details.sealed
            else marks.correct * 100 >= details.pass_mark * marks.total,
            "timed_out": marks.timed_out,
        }
    )
    paper.store(study, finished)
    return finished


def finish_expired(session: Session, study: StudySession, now: datetime) -> None:
    """Score an attempt left open whose time is up."""
    details = AttemptDetails.model_validate(study.details)
    if study.ended_at is None and details.expired(now):
        finish_in(session, study, details, now)


def _result(
    session: Session, study: StudySession, details: AttemptDetails, show_all: bool = False
) -> AttemptResult:
    """The attempt's result; the right answers as the drill's feedback allows (a teacher,
    `show_all`, sees them whatever it says)."""
    rows = paper.questions_by_id(session, details.question_ids)
    answers = paper.answers_of(session, study.id)
    shown = (show_all or details.feedback != "none") and not details.sealed
    questions = []
    for qid in details.question_ids:
        question = parse_question(rows[qid].data)
        given = answers.get(qid)
        questions.append(
            QuestionResult(
                qid,
                rows[qid].key,
                question.prompt_text,
                None if given is None else parse_response(given.response),
                bool(given is not None and given.correct),
                right_answers(question) if shown else None,
                question.explanation if shown else None,
            )
        )
    assert study.ended_at is not None and (study.score is not None or details.sealed)
    assert details.correct is not None and details.total is not None
    return AttemptResult(
        study.id,
        study.drill_id,
        details.title,
        study.profile_id,
        study.started_at,
        study.ended_at,
        details.correct,
        details.total,
        study.score or 0.0,
        details.pass_mark,
        bool(details.passed),
        bool(details.timed_out),
        shown,
        tuple(questions),
        not details.sealed,
    )


def finish_attempt(database: Database, attempt_id: int, now: datetime) -> AttemptResult:
    """Submit the attempt as it stands and score it (unanswered questions are wrong).
    Finishing an attempt twice returns the same result."""
    with database.sessions.begin() as session:
        study, details = read_attempt(session, attempt_id)
        if study.ended_at is None:
            details = finish_in(session, study, details, now)
            session.flush()
        return _result(session, study, details)


def attempt_result(
    database: Database, attempt_id: int, viewer: ProfileInfo | Teacher
) -> AttemptResult:
    """A finished attempt's result: a student sees only their own, a teacher anyone's."""
    with database.sessions() as session:
        study, details = read_attempt(session, attempt_id)
        if isinstance(viewer, Teacher):
            require_teacher(session, viewer)
        elif study.profile_id != viewer.id:
            raise QuizError("this attempt is another learner's; you can see only your own")
        if study.ended_at is None:
            raise QuizError("this attempt is not finished yet; finish it to see the result")
        return _result(session, study, details, show_all=isinstance(viewer, Teacher))


def _history(session: Session, profile_id: int) -> list[AttemptSummary]:
    studies = session.scalars(
        select(StudySession)
        .where(StudySession.profile_id == profile_id, StudySession.kind == KIND)
        .order_by(StudySession.started_at, StudySession.id)
    )
    out = []
    for s in studies:
        details = AttemptDetails.model_validate(s.details)
        out.append(
            AttemptSummary(
                s.id,
                s.drill_id,
                details.title,
                s.started_at,
                s.ended_at,
                s.score,
                details.passed,
                bool(details.timed_out),
            )
        )
    return out


def my_attempts(database: Database, student: ProfileInfo) -> list[AttemptSummary]:
    """A learner's own drill attempts, oldest first."""
    with database.sessions() as session:
        return _history(session, student.id)


def student_attempts(database: Database, teacher: Teacher, profile_id: int) -> list[AttemptSummary]:
    """Any learner's drill attempts, for a teacher."""
    with database.sessions() as session:
        require_teacher(session, teacher)
        return _history(session, profile_id)
