"""A paper: a drill attempt or a mock exam, answered against a deadline.

One module for both. A paper is a `StudySession` whose `details` (a `PaperDetails`) fix at
the start what is asked, in which order, with which option orders, until when and with
which feedback. Its policy is explicit: with feedback after each question ("each") the
verdict is shown at once and the answer is final; otherwise ("end", "none") an answer can
be changed until the paper is finished, the new answer replacing the old. Every rule is the
same for drills and exams: nothing is saved at or after the deadline or once finished, only
the paper's questions can be answered, and unanswered questions count as wrong. Paper
answers are never rated: they do not change the spaced-repetition schedule.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.bank.schema import MultipleChoice, Ordering, QuestionBase, parse_question
from quiz.core.responses import Response, dump_response, parse_response
from quiz.errors import QuizError
from quiz.services.answering import Checked, Outcome, check_response, right_answers
from quiz.services.database import Database
from quiz.store.locks import lock_row
from quiz.store.models import AnswerRecord, CardState, Question, StudySession

Feedback = Literal["each", "end", "none"]
PaperKind = Literal["drill", "exam"]


class PaperDetails(BaseModel):
    """What a paper fixes when it starts (stored as the session's `details`)."""

    model_config = ConfigDict(extra="forbid")

    question_ids: list[int]
    option_orders: dict[str, list[str]] = {}  # question id -> options (or items) as shown
    deadline: AwareDatetime | None = None
    time_limit_minutes: int | None = None
    feedback: Feedback = "end"
    seed: int | None = None
    allow_override: bool = False  # students may claim a wrong typed answer right
    sealed: bool = False  # no answer key here (a drill file): saved ungraded, graded elsewhere

    @property
    def answers_final(self) -> bool:
        """Whether an answer, once saved, is final (feedback after each question)."""
        return self.feedback == "each"

    def expired(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline


class _AnyPaperDetails(PaperDetails):
    """The common part of any kind's details (a drill's or an exam's own fields ignored)."""

    model_config = ConfigDict(extra="ignore")


D = TypeVar("D", bound=PaperDetails)


@dataclass(frozen=True)
class PaperQuestion:
    """One question of a paper; `options` is the order its choices or items are shown in
    (empty for other types)."""

    question_id: int
    key: str
    topic: str
    question: QuestionBase
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperView:
    """A paper as the attempt screen takes it: what to ask, until when, what is answered.
    `outcomes` holds the verdicts already shown (feedback after each question)."""

    paper_id: int
    kind: PaperKind
    title: str
    started_at: datetime
    deadline: datetime | None
    feedback: Feedback
    questions: tuple[PaperQuestion, ...]
    responses: dict[int, Response]
    outcomes: dict[int, Outcome]
    finished: bool
    allow_override: bool = False  # "I was right" offered after a wrong typed answer

    @property
    def answered(self) -> frozenset[int]:
        return frozenset(self.responses)

    @property
    def feedback_each(self) -> bool:
        return self.feedback == "each"

    def seconds_left(self, now: datetime) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - now).total_seconds())


def option_orders(
    questions: Sequence[tuple[int, QuestionBase]], rng: random.Random, shuffle_choices: bool
) -> dict[str, list[str]]:
    """The order each question's options are shown in, fixed for the whole paper: choices
    shuffled when asked for, items to order always shuffled (never shown in the right order
    when they can be put otherwise)."""
    orders: dict[str, list[str]] = {}
    for question_id, question in questions:
        if isinstance(question, MultipleChoice):
            options = list(question.choices)
            if shuffle_choices:
                rng.shuffle(options)
            orders[str(question_id)] = options
        elif isinstance(question, Ordering):
            items = list(question.items)
            while items == question.items and len(set(items)) > 1:
                rng.shuffle(items)
            orders[str(question_id)] = items
    return orders


def deadline_for(
    now: datetime, time_limit_minutes: int | None, closes_at: datetime | None = None
) -> datetime | None:
    """The earlier of the time limit and the closing time (None: neither)."""
    ends = [] if time_limit_minutes is None else [now + timedelta(minutes=time_limit_minutes)]
    if closes_at is not None:
        ends.append(closes_at)
    return min(ends) if ends else None


def read(
    session: Session, paper_id: int, kind: PaperKind, model: type[D]
) -> tuple[StudySession, D]:
    """A paper's session row and its details; a clear error when there is no such paper."""
    study = session.get(StudySession, paper_id)
    if study is None or study.kind != kind or study.details is None:
        noun = "drill attempt" if kind == "drill" else "exam"
        raise QuizError(f"there is no {noun} {paper_id}; start a new one")
    return study, model.model_validate(study.details)


def store(study: StudySession, details: PaperDetails) -> None:
    study.details = details.model_dump(mode="json")


def questions_by_id(session: Session, ids: Sequence[int]) -> dict[int, Question]:
    return {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}


def answers_of(session: Session, paper_id: int) -> dict[int, AnswerRecord]:
    """The paper's answer to each question it holds an answer to."""
    rows = session.scalars(
        select(AnswerRecord).where(AnswerRecord.session_id == paper_id).order_by(AnswerRecord.id)
    )
    return {answer.question_id: answer for answer in rows}


def answers_of_papers(
    session: Session, paper_ids: Sequence[int]
) -> dict[tuple[int, int], AnswerRecord]:
    """(paper, question) -> that paper's answer, for many papers in one query."""
    rows = session.scalars(
        select(AnswerRecord).where(AnswerRecord.session_id.in_(paper_ids)).order_by(AnswerRecord.id)
    )
    return {(answer.session_id, answer.question_id): answer for answer in rows}


UNGRADED = Checked(
    correct=False,
    score=0.0,
    exact=False,
    feedback="Saved; your teacher grades it",
    expected="",
)


def _check(question: QuestionBase, response: Response, details: PaperDetails) -> Checked:
    """The verdict, or none on a sealed paper (its questions carry no answer key)."""
    return UNGRADED if details.sealed else check_response(question, response)


def _outcome(
    answer: AnswerRecord,
    question: QuestionBase,
    response: Response,
    details: PaperDetails,
    checked: Checked | None = None,
) -> Outcome:
    """What to show of a saved answer (`checked`: its verdict, when just graded)."""
    shown = details.answers_final and not details.sealed
    if checked is None:
        checked = _check(question, response, details)
    if answer.overridden:  # claimed right by the student ("I was right")
        checked = replace(checked, correct=True, overridden=True, score=1.0)
    return Outcome(
        answer_id=answer.id,
        session_id=answer.session_id,
        question_id=answer.question_id,
        response=response,
        checked=checked,
        shown=shown,
        final=details.answers_final,
        right_answers=right_answers(question) if shown else (),
        explanation=question.explanation if shown else None,
    )


def view(
    session: Session, study: StudySession, details: PaperDetails, kind: PaperKind, title: str
) -> PaperView:
    """The paper with its questions in order and the answers saved so far."""
    rows = questions_by_id(session, details.question_ids)
    questions = []
    for qid in details.question_ids:
        if qid in rows:
            question = parse_question(rows[qid].data)
            options = tuple(details.option_orders.get(str(qid), ()))
            questions.append(PaperQuestion(qid, rows[qid].key, rows[qid].topic, question, options))
    by_id = {q.question_id: q.question for q in questions}
    responses: dict[int, Response] = {}
    outcomes: dict[int, Outcome] = {}
    for qid, answer in answers_of(session, study.id).items():
        if qid not in by_id:
            continue
        responses[qid] = parse_response(answer.response)
        if details.answers_final:
            outcomes[qid] = _outcome(answer, by_id[qid], responses[qid], details)
    return PaperView(
        study.id,
        kind,
        title,
        study.started_at,
        details.deadline,
        details.feedback,
        tuple(questions),
        responses,
        outcomes,
        study.ended_at is not None,
        details.allow_override and details.answers_final and not details.sealed,
    )


def answer(
    database: Database,
    kind: PaperKind,
    paper_id: int,
    question_id: int,
    response: Response,
    duration_ms: int,
    now: datetime,
) -> Outcome:
    """Grade and save an answer to one question of a paper (one transaction; see
    `record`)."""
    with database.sessions.begin() as session:
        lock_row(session, StudySession, paper_id)  # two tabs never save one answer twice
        study, details = read(session, paper_id, kind, _AnyPaperDetails)
        return record(session, study, details, question_id, response, duration_ms, now)


def record(
    session: Session,
    study: StudySession,
    details: PaperDetails,
    question_id: int,
    response: Response,
    duration_ms: int,
    now: datetime,
) -> Outcome:
    """Grade and save an answer to one question of a paper, in the caller's transaction.
    Refused once the paper is finished or its time is up, for a question not on it, and a
    second time when answers are final; otherwise a new answer replaces the earlier one."""
    if duration_ms < 0:
        raise QuizError("the time taken cannot be negative; check the clock")
    if study.ended_at is not None:
        raise QuizError("this paper is finished; its answers can no longer change")
    if details.expired(now):
        raise QuizError("time is up; finish the paper to see your score")
    if question_id not in details.question_ids:
        raise QuizError(f"question {question_id} is not on this paper; answer the ones shown")
    row = session.get(Question, question_id)
    if row is None:
        raise QuizError(f"question {question_id} is no longer in the question bank")
    question = parse_question(row.data)
    checked = _check(question, response, details)
    earlier = session.scalar(
        select(AnswerRecord).where(
            AnswerRecord.session_id == study.id, AnswerRecord.question_id == question_id
        )
    )
    if earlier is not None and details.answers_final:
        raise QuizError("you have already answered this question; go on to the next one")
    if earlier is None:
        state = session.scalar(
            select(CardState.state).where(
                CardState.profile_id == study.profile_id, CardState.question_id == question_id
            )
        )
        earlier = AnswerRecord(
            session_id=study.id,
            profile_id=study.profile_id,
            question_id=question_id,
            duration_ms=0,
            rating=None,
            state_before=state,
        )
        session.add(earlier)
    earlier.answered_at = now
    earlier.response = dump_response(response)
    earlier.correct = checked.correct
    earlier.duration_ms = (earlier.duration_ms or 0) + duration_ms
    session.flush()
    return _outcome(earlier, question, response, details, checked)


TYPED_TYPES = ("short_answer", "cloze")


def override(
    database: Database, kind: PaperKind, paper_id: int, question_id: int, now: datetime
) -> Outcome:
    """ "I was right" on a paper (one transaction; see `claim`)."""
    with database.sessions.begin() as session:
        study, details = read(session, paper_id, kind, _AnyPaperDetails)
        return claim(session, study, details, question_id, now)


def claim(
    session: Session, study: StudySession, details: PaperDetails, question_id: int, now: datetime
) -> Outcome:
    """ "I was right" on a paper: the saved typed answer the grader marked wrong is stored
    correct and overridden. The caller decides whether the paper allows it (a drill's
    `allow_override`); here it is refused unless the verdict was shown (feedback after each
    question), the paper is open and in time, and the answer is a wrong typed one."""
    if study.ended_at is not None:
        raise QuizError("this paper is finished; its answers can no longer change")
    if details.expired(now):
        raise QuizError("time is up; finish the paper to see your score")
    if not details.answers_final or details.sealed:
        raise QuizError("answers are marked when the paper is finished; nothing to claim yet")
    earlier = session.scalar(
        select(AnswerRecord).where(
            AnswerRecord.session_id == study.id, AnswerRecord.question_id == question_id
        )
    )
    row = session.get(Question, question_id)
    if earlier is None or row is None:
        raise QuizError(f"question {question_id} has no answer on this paper; answer it first")
    if row.type not in TYPED_TYPES:
        raise QuizError("only a typed answer can be claimed right")
    if earlier.correct:
        raise QuizError("this answer was already graded right")
    earlier.correct = True
    earlier.overridden = True
    session.flush()
    question = parse_question(row.data)
    return _outcome(earlier, question, parse_response(earlier.response), details)


@dataclass(frozen=True)
class Score:
    """A finished paper's marks: the answer to each question (None: unanswered)."""

    correct: int
    total: int
    ended_at: datetime
    timed_out: bool
    answers: dict[int, AnswerRecord]

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0


def mark(session: Session, study: StudySession, details: PaperDetails, now: datetime) -> Score:
    """Score the paper as it stands and end it (at the deadline at the latest)."""
    answers = answers_of(session, study.id)
    correct = sum(1 for qid in details.question_ids if qid in answers and answers[qid].correct)
    timed_out = details.expired(now)
    ended = details.deadline if timed_out and details.deadline is not None else now
    if study.ended_at is None:
        study.ended_at = ended
    score = Score(correct, len(details.question_ids), study.ended_at, timed_out, answers)
    study.score = None if details.sealed else score.score  # sealed: graded elsewhere
    return score
