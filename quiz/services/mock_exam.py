"""Mock exams: draw a paper across topics, answer it against the clock, the graded report
and the focused revision of what was missed.

An exam is a paper (`quiz.services.paper`) of kind "exam": feedback only in the report,
answers changeable until it is finished, never rated. Its details (`ExamDetails`) hold the
questions with their topics and, once finished, the report.
"""

import random
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from quiz.bank.schema import parse_question
from quiz.core.exam import DEFAULT_QUESTIONS as DEFAULT_QUESTIONS  # for the TUI
from quiz.core.exam import TopicScore, draw_exam, topic_scores, weakest_topic
from quiz.core.exam import default_time_limit as default_time_limit  # for the TUI
from quiz.core.responses import Response, describe_response, parse_response
from quiz.core.scheduling import NEW
from quiz.errors import QuizError
from quiz.services import paper
from quiz.services.answering import Outcome
from quiz.services.cards import StudyCard, cards_for
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerRecord, CardState, Question, StudySession

EXAM: paper.PaperKind = "exam"
REVISION_TOPIC_CARDS = 10  # cards of the weakest topic added to the revision


class Mistake(BaseModel):
    """A question answered wrongly (or not at all), with the given and the right answers."""

    model_config = ConfigDict(frozen=True)

    question_id: int
    key: str
    topic: str
    prompt: str
    given: Response | None  # None when the question was not answered
    right: list[str]
    explanation: str

    @property
    def given_text(self) -> str:
        return describe_response(self.given)


class ExamReport(BaseModel):
    """The graded exam. Unanswered questions count as wrong."""

    model_config = ConfigDict(frozen=True)

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

    def to_json(self) -> dict[str, object]:
        """The report for scripts, with each given answer as a person reads it."""
        data = self.model_dump(mode="json")
        data["score"] = round(self.score, 4)
        for mistake, out in zip(self.mistakes, data["mistakes"], strict=True):
            out["given"] = None if mistake.given is None else mistake.given_text
        return data


@dataclass(frozen=True)
class ExamAnswer:
    """One question of a finished exam: the answer given (None: not answered), whether it
    was right, the right answers and the explanation."""

    question_id: int
    key: str
    topic: str
    prompt: str
    given: Response | None
    correct: bool
    right: list[str]
    explanation: str

    @property
    def given_text(self) -> str:
        return describe_response(self.given)


class ExamDetails(paper.PaperDetails):
    """A mock exam's details: the paper, each question's topic, and once finished the report."""

    topics: list[str]
    report: ExamReport | None = None


def _title(details: ExamDetails) -> str:
    return f"Mock exam · {len(details.question_ids)} questions"


def start_exam(
    database: Database,
    profile: ProfileInfo,
    now: datetime,
    count: int = DEFAULT_QUESTIONS,
    time_limit_minutes: int | None = None,
    deck_id: int | None = None,
    seed: int | None = None,
) -> paper.PaperView:
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
        pool_query = select(Question.id, Question.topic, Question.deck_id, Question.fact).where(
            Question.retired_at.is_(None)
        )
        if deck_id is not None:
            pool_query = pool_query.where(Question.deck_id == deck_id)
        rows_found = session.execute(pool_query).all()
        pool = [(int(row.id), str(row.topic)) for row in rows_found]
        if not pool:
            raise QuizError("there are no questions to draw an exam from; import a bank first")
        facts = {
            int(row.id): None if row.fact is None else f"{row.deck_id}:{row.fact}"
            for row in rows_found
        }
        drawn = draw_exam(pool, count, seed, facts)
        topics = dict(pool)
        rows = paper.questions_by_id(session, drawn)
        details = ExamDetails(
            question_ids=drawn,
            option_orders=paper.option_orders(
                [(qid, parse_question(rows[qid].data)) for qid in drawn],
                random.Random(seed),
                shuffle_choices=True,
            ),
            deadline=paper.deadline_for(now, time_limit_minutes),
            time_limit_minutes=time_limit_minutes,
            feedback="end",
            seed=seed,
            topics=[topics[qid] for qid in drawn],
        )
        exam = StudySession(
            profile_id=profile.id, kind=EXAM, deck_id=deck_id, started_at=now, details={}
        )
        paper.store(exam, details)
        session.add(exam)
        session.flush()
        return paper.view(session, exam, details, EXAM, _title(details))


def _mine(session: Session, profile: ProfileInfo, exam_id: int) -> tuple[StudySession, ExamDetails]:
    exam, details = paper.read(session, exam_id, EXAM, ExamDetails)
    if exam.profile_id != profile.id:
        raise QuizError(f"exam {exam_id} is not one of {profile.name}'s exams")
    return exam, details


def get_exam(database: Database, profile: ProfileInfo, exam_id: int) -> paper.PaperView:
    """A profile's exam paper, e.g. to resume it."""
    with database.sessions() as session:
        exam, details = _mine(session, profile, exam_id)
        return paper.view(session, exam, details, EXAM, _title(details))


def answer_exam(
    database: Database,
    exam_id: int,
    question_id: int,
    response: Response,
    duration_ms: int,
    now: datetime,
) -> Outcome:
    """Grade and save an exam answer (see `paper.answer`): kept for the report, history and
    daily counts, never rated; spaced repetition learns from the revision that follows."""
    return paper.answer(database, EXAM, exam_id, question_id, response, duration_ms, now)


def finish_exam(database: Database, exam_id: int, now: datetime) -> ExamReport:
    """End the exam (at the deadline at the latest) and grade it: score, per-topic scores,
    mistakes with the given and the right answers. Unanswered questions count as wrong.
    The report is stored with the exam; finishing again returns it."""
    with database.sessions.begin() as session:
        exam, details = paper.read(session, exam_id, EXAM, ExamDetails)
        if exam.ended_at is not None and details.report is not None:
            return details.report
        marks = paper.mark(session, exam, details, now)
        questions = paper.questions_by_id(session, details.question_ids)
        results = []
        mistakes = []
        for qid, topic in zip(details.question_ids, details.topics, strict=True):
            given = marks.answers.get(qid)
            results.append((topic, given is not None and given.correct))
            if given is not None and given.correct:
                continue
            row = questions.get(qid)
            parsed = parse_question(row.data) if row is not None else None
            mistakes.append(
                Mistake(
                    question_id=qid,
                    key=row.key if row is not None else str(qid),
                    topic=topic,
                    prompt=parsed.prompt_text if parsed is not None else "",
                    given=None if given is None else parse_response(given.response),
                    right=parsed.accepted_answers if parsed is not None else [],
                    explanation=parsed.explanation if parsed is not None else "",
                )
            )
        scores = topic_scores(results)
        report = ExamReport(
            exam_id=exam_id,
            started_at=exam.started_at,
            ended_at=marks.ended_at,
            total=marks.total,
            correct=marks.correct,
            answered=len(marks.answers),
            topics=scores,
            mistakes=mistakes,
            weakest_topic=weakest_topic(scores),
        )
        paper.store(exam, details.model_copy(update={"report": report}))
        return report


def exam_report(database: Database, profile: ProfileInfo, exam_id: int) -> ExamReport:
    """The stored report of one of the profile's finished exams."""
    with database.sessions() as session:
        _, details = _mine(session, profile, exam_id)
        if details.report is None:
            raise QuizError(f"exam {exam_id} is not finished yet; finish it to see the report")
        return details.report


def revision_cards(
    database: Database,
    profile: ProfileInfo,
    exam_id: int,
    now: datetime,
    topic_cards: int = REVISION_TOPIC_CARDS,
) -> list[StudyCard]:
    """The focused revision after an exam: its mistakes, then up to `topic_cards` more cards
    of its weakest topic, the least stable seen cards first, then unseen ones. Study them
    with a revision run (`quiz.services.reviewing.revision_run`)."""
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


def exam_answers(database: Database, profile: ProfileInfo, exam_id: int) -> list[ExamAnswer]:
    """Every question of one of the profile's finished exams, in the paper's order, with
    the answer given and the right one."""
    with database.sessions() as session:
        exam, details = _mine(session, profile, exam_id)
        if exam.ended_at is None:
            raise QuizError(f"exam {exam_id} is not finished yet; finish it to see the answers")
        questions = paper.questions_by_id(session, details.question_ids)
        given = paper.answers_of(session, exam_id)
        out = []
        for qid, topic in zip(details.question_ids, details.topics, strict=True):
            row = questions.get(qid)
            parsed = parse_question(row.data) if row is not None else None
            answer = given.get(qid)
            out.append(
                ExamAnswer(
                    question_id=qid,
                    key=row.key if row is not None else str(qid),
                    topic=topic,
                    prompt=parsed.prompt_text if parsed is not None else "",
                    given=None if answer is None else parse_response(answer.response),
                    correct=bool(answer is not None and answer.correct),
                    right=parsed.accepted_answers if parsed is not None else [],
                    explanation=parsed.explanation if parsed is not None else "",
                )
            )
        return out


def revised_questions(database: Database, profile: ProfileInfo, exam_id: int) -> set[int]:
    """The questions already answered in the revision of this exam (its sittings so far),
    so that the revision resumes where it was left."""
    with database.sessions() as session:
        rows = session.execute(
            select(StudySession.id, StudySession.details).where(
                StudySession.profile_id == profile.id, StudySession.kind == "revision"
            )
        ).all()
        sittings = [
            sid
            for sid, details in rows
            if isinstance(details, dict) and details.get("exam_id") == exam_id
        ]
        if not sittings:
            return set()
        return set(
            session.scalars(
                select(AnswerRecord.question_id).where(AnswerRecord.session_id.in_(sittings))
            )
        )
