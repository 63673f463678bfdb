"""A learner's history: their sessions (reviews, drills, exams) and every answer in one.

The profile is always an argument: a learner sees only their own sessions.
"""

import csv
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Integer, func, select

from quiz.core.responses import describe_stored
from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerRecord, Question, StudySession


@dataclass(frozen=True)
class SessionRow:
    """One session in the history list."""

    session_id: int
    kind: str
    deck_id: int | None
    drill_id: int | None
    started_at: datetime
    ended_at: datetime | None
    last_answer_at: datetime | None
    answered: int
    correct: int
    score: float | None  # set for drills and exams (unanswered questions count as wrong)

    @property
    def seconds(self) -> float:
        """From the start to the end (or, for a session left open, to its last answer)."""
        end = self.ended_at or self.last_answer_at
        return max((end - self.started_at).total_seconds(), 0.0) if end else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "kind": self.kind,
            "deck_id": self.deck_id,
            "drill_id": self.drill_id,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "seconds": round(self.seconds, 1),
            "answered": self.answered,
            "correct": self.correct,
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "score": None if self.score is None else round(self.score, 4),
        }


@dataclass(frozen=True)
class AnswerRow:
    """One answer of a session."""

    answer_id: int
    question_id: int
    key: str
    topic: str
    prompt: str
    response: dict[str, Any]  # as stored (see `quiz.core.responses`)
    correct: bool
    answered_at: datetime
    duration_ms: int
    rating: int | None
    overridden: bool = False  # marked wrong, claimed right by the learner

    @property
    def answer(self) -> str:
        """The answer given, as a person reads it."""
        return describe_stored(self.response)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer_id": self.answer_id,
            "question_id": self.question_id,
            "key": self.key,
            "topic": self.topic,
            "prompt": self.prompt,
            "answer": self.answer,
            "response": self.response,
            "correct": self.correct,
            "answered_at": self.answered_at.isoformat(),
            "duration_ms": self.duration_ms,
            "rating": self.rating,
            "overridden": self.overridden,
        }


def history(
    database: Database, profile: ProfileInfo, limit: int | None = 50, offset: int = 0
) -> list[SessionRow]:
    """The profile's sessions, newest first, with their answer counts."""
    with database.sessions() as session:
        page = (
            select(StudySession)
            .where(StudySession.profile_id == profile.id)
            .order_by(StudySession.started_at.desc(), StudySession.id.desc())
            .offset(offset)
        )
        if limit is not None:
            page = page.limit(limit)
        sessions = session.scalars(page).all()
        ids = [s.id for s in sessions]
        counts: dict[int, tuple[int, int, datetime | None]] = {}
        for start in range(0, len(ids), 500):  # keep IN lists short
            chunk = ids[start : start + 500]
            for session_id, answered, correct, last in session.execute(
                select(
                    AnswerRecord.session_id,
                    func.count(),
                    func.coalesce(func.sum(func.cast(AnswerRecord.correct, Integer)), 0),
                    func.max(AnswerRecord.answered_at),
                )
                .where(AnswerRecord.session_id.in_(chunk))
                .group_by(AnswerRecord.session_id)
            ):
                counts[session_id] = (int(answered), int(correct), last)
        rows = []
        for study in sessions:
            answered, correct, last = counts.get(study.id, (0, 0, None))
            rows.append(
                SessionRow(
                    study.id,
                    study.kind,
                    study.deck_id,
                    study.drill_id,
                    study.started_at,
                    study.ended_at,
                    last,
                    answered,
                    correct,
                    study.score,
                )
            )
        return rows


def session_answers(database: Database, profile: ProfileInfo, session_id: int) -> list[AnswerRow]:
    """Every answer of one of the profile's sessions, in the order given."""
    with database.sessions() as session:
        owner = session.scalar(select(StudySession.profile_id).where(StudySession.id == session_id))
        if owner is None or owner != profile.id:
            raise QuizError(
                f"session {session_id} is not one of {profile.name}'s sessions; "
                "run `quiz history` to list them"
            )
        rows = session.execute(
            select(AnswerRecord, Question.key, Question.topic, Question.prompt)
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(AnswerRecord.session_id == session_id)
            .order_by(AnswerRecord.answered_at, AnswerRecord.id)
        ).all()
        return [
            AnswerRow(
                a.id,
                a.question_id,
                key,
                topic,
                prompt,
                a.response,
                a.correct,
                a.answered_at,
                a.duration_ms,
                a.rating,
                a.overridden,
            )
            for a, key, topic, prompt in rows
        ]


SESSION_FIELDS = (
    "session_id",
    "kind",
    "started_at",
    "ended_at",
    "seconds",
    "answered",
    "correct",
    "accuracy",
    "score",
    "deck_id",
    "drill_id",
)
ANSWER_FIELDS = (
    "answer_id",
    "answered_at",
    "key",
    "topic",
    "prompt",
    "answer",
    "correct",
    "duration_ms",
    "rating",
    "overridden",
)


def write_csv(
    rows: list[dict[str, Any]], fields: tuple[str, ...], out: TextIO | None = None
) -> None:
    """Rows of `SessionRow.to_dict()` or `AnswerRow.to_dict()` as CSV (to stdout by
    default); answers as a person reads them. The CLI and the TUI's export both use it."""
    writer = csv.DictWriter(out or sys.stdout, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
                for key, value in row.items()
            }
        )
