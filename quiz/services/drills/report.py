"""The teacher's report on a drill: each student's attempts and scores, each question's
facility and most chosen wrong answer (as the student gave it), the item analysis
(`items`), as data, JSON and CSV. A flashcard is self-rated: its "right" is what the
student said they knew, so the report flags it (`self_rated`) instead of passing it off
as checked."""

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TextIO

from sqlalchemy import select

from quiz.bank.schema import parse_question
from quiz.core.responses import describe_response, parse_response, same_answer_key
from quiz.errors import QuizError
from quiz.services import paper
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.drills.attempts import KIND, AttemptDetails, finish_expired
from quiz.services.drills.authoring import DrillInfo, drill_info, drill_query
from quiz.services.drills.items import (
    ITEM_COLUMNS,
    Basis,
    DrillAnalysis,
    analyse_drill,
    item_csv_rows,
)
from quiz.store.models import AnswerRecord, Drill, Profile, Question, StudySession


@dataclass(frozen=True)
class StudentRow:
    """One student in a drill report. Scores are 0..1 over finished attempts."""

    profile_id: int
    name: str
    attempts: int
    finished: int
    best_score: float | None
    latest_score: float | None
    latest_passed: bool | None
    timed_out: int = 0  # of `finished`: attempts that ended at their time limit


@dataclass(frozen=True)
class QuestionRow:
    """One question in a drill report, over each student's latest finished attempt that
    asked it. `facility` is the share of those students who got it right."""

    question_id: int
    key: str
    prompt: str
    asked: int
    right: int
    unanswered: int
    common_wrong: str | None
    common_wrong_count: int
    overridden: int = 0  # of `right`: answers marked wrong that the student claimed right
    self_rated: bool = False  # a flashcard: `right` is what students said they knew, unverified

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def missed(self) -> int:
        return self.asked - self.right


@dataclass(frozen=True)
class OverrideRow:
    """An answer the grader marked wrong and the student claimed right ("I was right")."""

    name: str
    key: str
    answer: str
    answered_at: datetime


@dataclass(frozen=True)
class DrillReport:
    """A teacher's view of one drill: students (by name), questions (most missed first) and
    every answer a student claimed right, so the teacher can check each one."""

    drill: DrillInfo
    students: tuple[StudentRow, ...]
    questions: tuple[QuestionRow, ...]
    overrides: tuple[OverrideRow, ...] = ()
    analysis: DrillAnalysis | None = None  # the item analysis

    @property
    def self_rated(self) -> int:
        """How many of the questions students graded themselves (scores include them)."""
        return sum(q.self_rated for q in self.questions)

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "drill": {
                "id": self.drill.id,
                "title": self.drill.title,
                "status": self.drill.status(now),
                "pass_mark": self.drill.spec.pass_mark,
                "self_rated_questions": self.self_rated,
            },
            "students": [
                {
                    "name": s.name,
                    "attempts": s.attempts,
                    "finished": s.finished,
                    "best_score": round4(s.best_score),
                    "latest_score": round4(s.latest_score),
                    "latest_passed": s.latest_passed,
                    "timed_out": s.timed_out,
                }
                for s in self.students
            ],
            "questions": [
                {
                    "id": q.key,
                    "prompt": q.prompt,
                    "asked": q.asked,
                    "right": q.right,
                    "facility": round(q.facility, 4),
                    "unanswered": q.unanswered,
                    "most_chosen_wrong": q.common_wrong,
                    "most_chosen_wrong_count": q.common_wrong_count,
                    "overridden": q.overridden,
                    "self_rated": q.self_rated,
                }
                for q in self.questions
            ],
            "item_analysis": None if self.analysis is None else self.analysis.to_json(),
            "items": [] if self.analysis is None else self.analysis.item_rows(),
            "overrides": [
                {
                    "name": o.name,
                    "id": o.key,
                    "answer": o.answer,
                    "answered_at": o.answered_at.isoformat(),
                }
                for o in self.overrides
            ],
        }


ReportTable = Literal["students", "questions", "items"]
REPORT_COLUMNS: dict[str, list[str]] = {
    "students": [
        "name",
        "attempts",
        "finished",
        "best_score",
        "latest_score",
        "latest_passed",
        "timed_out",
    ],
    "questions": [
        "id",
        "prompt",
        "asked",
        "right",
        "facility",
        "unanswered",
        "most_chosen_wrong",
        "most_chosen_wrong_count",
        "overridden",
        "self_rated",
    ],
    "items": ITEM_COLUMNS,
}


def write_report_csv(report: DrillReport, table: ReportTable, out: TextIO, now: datetime) -> int:
    """Write one table of a drill report ("students", "questions" or "items": the item
    analysis) as CSV, a header and a row each (the columns of `to_json`); returns the
    number of rows."""
    if table == "items":
        rows = [] if report.analysis is None else item_csv_rows(report.analysis)
    else:
        rows = report.to_json(now)[table]
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS[table], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def round4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def drill_report(
    database: Database, teacher: Teacher, drill_id: int, now: datetime, basis: Basis = "first"
) -> DrillReport:
    """Each student's attempts, best and latest score; each question's facility and most
    chosen wrong answer, most missed first; the item analysis over each student's first
    finished attempt (`basis="all"`: every finished attempt). Attempts whose time ran out
    are scored first."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        row = session.execute(drill_query().where(Drill.id == drill_id)).first()
        if row is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        info = drill_info(row[0], row[1])
        studies = session.execute(
            select(StudySession, Profile.name)
            .join(Profile, Profile.id == StudySession.profile_id)
            .where(StudySession.kind == KIND, StudySession.drill_id == drill_id)
            .order_by(StudySession.started_at, StudySession.id)
        ).all()
        for study, _ in studies:
            finish_expired(session, study, now)
        session.flush()
        by_student: dict[int, tuple[str, list[StudySession]]] = {}
        for study, name in studies:
            by_student.setdefault(study.profile_id, (name, []))[1].append(study)
        students = []
        latest_asking: dict[tuple[int, int], int] = {}  # (student, question) -> attempt
        for profile_id, (name, mine) in by_student.items():
            finished = [s for s in mine if s.ended_at is not None and s.score is not None]
            finished.sort(key=lambda s: (s.ended_at, s.id))
            scores = [s.score for s in finished if s.score is not None]
            students.append(
                StudentRow(
                    profile_id,
                    name,
                    len(mine),
                    len(finished),
                    max(scores) if scores else None,
                    scores[-1] if scores else None,
                    AttemptDetails.model_validate(finished[-1].details).passed
                    if finished
                    else None,
                    sum(bool(AttemptDetails.model_validate(s.details).timed_out) for s in finished),
                )
            )
            for study in finished:  # oldest first: later attempts overwrite
                for qid in AttemptDetails.model_validate(study.details).question_ids:
                    latest_asking[(profile_id, qid)] = study.id
        answers = paper.answers_of_papers(session, sorted(set(latest_asking.values())))
        asked: Counter[int] = Counter()
        right: Counter[int] = Counter()
        unanswered: Counter[int] = Counter()
        overridden: Counter[int] = Counter()
        wrong: dict[int, Counter[str]] = {}
        shown_as: dict[tuple[int, str], str] = {}  # (question, answer key) -> as first given
        for (_, qid), attempt_id in latest_asking.items():
            asked[qid] += 1
            answer = answers.get((attempt_id, qid))
            if answer is None:
                unanswered[qid] += 1
            elif answer.correct:
                right[qid] += 1
                overridden[qid] += answer.overridden
            else:
                response = parse_response(answer.response)
                key = same_answer_key(response)
                wrong.setdefault(qid, Counter())[key] += 1
                shown_as.setdefault((qid, key), describe_response(response))
        rows = paper.questions_by_id(session, list(asked))
        questions = []
        for qid in asked:
            common = wrong.get(qid, Counter()).most_common()
            top = min(common, key=lambda item: (-item[1], item[0])) if common else None
            questions.append(
                QuestionRow(
                    qid,
                    rows[qid].key,
                    parse_question(rows[qid].data).prompt_text,
                    asked[qid],
                    right[qid],
                    unanswered[qid],
                    shown_as[(qid, top[0])] if top else None,
                    top[1] if top else 0,
                    overridden[qid],
                    self_rated=rows[qid].type == "flashcard",
                )
            )
        questions.sort(key=lambda q: (q.facility, -q.missed, q.key))
        students.sort(key=lambda s: s.name.casefold())
        names = {study.id: name for study, name in studies}
        claims = session.execute(
            select(AnswerRecord, Question.key)
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(AnswerRecord.session_id.in_(list(names)), AnswerRecord.overridden.is_(True))
            .order_by(AnswerRecord.answered_at, AnswerRecord.id)
        ).all()
        overrides = tuple(
            OverrideRow(
                names[a.session_id],
                key,
                describe_response(parse_response(a.response)),
                a.answered_at,
            )
            for a, key in claims
        )
        analysis = analyse_drill(session, [study for study, _ in studies], basis)
        return DrillReport(info, tuple(students), tuple(questions), overrides, analysis)
