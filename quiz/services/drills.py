"""Teacher-set drills: create, edit, delete; take an attempt; score it; report on it.

An attempt is a `StudySession` of kind "drill". Its `details` fix everything the attempt
needs when it starts (the questions in order, option orders, deadline, pass mark,
feedback), so editing a drill later never changes an attempt already made. Every answer
is an `AnswerRecord` committed at once; the latest answer to a question counts.

Drill answers do not feed spaced repetition: a drill is an assessment, its answers are
stored with `rating`, `state_before` and `previous_state` left empty, and the card
states are not touched.
"""

import csv
import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.bank.drill import DrawRule, DrillSpec, LoadedDrill, load_drill_file, spec_problems
from quiz.bank.drill import drill_json_schema as drill_json_schema  # for the CLI
from quiz.bank.loader import Problem
from quiz.bank.schema import QuestionBase, ShortAnswer, parse_question
from quiz.errors import QuizError
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.store.models import AnswerRecord, Deck, Drill, Profile, Question, StudySession

KIND = "drill"
DRAWN = "drawn"  # key in Drill.spec holding the keys of a fixed draw (not part of DrillSpec)
Status = Literal["upcoming", "open", "closed"]


class DrillProblems(QuizError):
    """A drill file with problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "\n".join(str(p) for p in problems)
            + f"\n{len(problems)} problem(s) found; nothing was written. Fix them and run again."
        )


# -- values handed to the TUI and the CLI ----------------------------------------------


@dataclass(frozen=True)
class DrillInfo:
    """A drill and its settings."""

    id: int
    title: str
    spec: DrillSpec
    question_count: int
    created_by: str | None
    opens_at: datetime | None
    closes_at: datetime | None

    def status(self, now: datetime) -> Status:
        if self.opens_at is not None and now < self.opens_at:
            return "upcoming"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def to_json(self, now: datetime) -> dict[str, Any]:
        spec = self.spec
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status(now),
            "questions": self.question_count,
            "draw": "explicit"
            if spec.draw is None
            else "fresh each attempt"
            if spec.draw.fresh_each_attempt
            else "fixed",
            "time_limit_minutes": spec.time_limit_minutes,
            "pass_mark": spec.pass_mark,
            "feedback": spec.feedback,
            "attempts": spec.attempts,
            "opens_at": _iso(self.opens_at),
            "closes_at": _iso(self.closes_at),
            "created_by": self.created_by,
            "spec": spec.model_dump(mode="json"),
        }


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
class AttemptQuestion:
    """One question of an attempt. `options` is the order to show the choices (multiple
    choice) or items (ordering) in; empty when the question's own order is to be used."""

    question_id: int
    key: str
    question: QuestionBase
    options: tuple[str, ...]


@dataclass(frozen=True)
class DrillAttempt:
    """An attempt in progress: what to ask, in which order, and until when."""

    attempt_id: int
    drill_id: int | None
    title: str
    number: int
    started_at: datetime
    deadline: datetime | None
    feedback: str
    questions: tuple[AttemptQuestion, ...]
    answered: frozenset[int]

    def seconds_left(self, now: datetime) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - now).total_seconds())


@dataclass(frozen=True)
class AnswerFeedback:
    """What to show after an answer: with feedback "each", whether it was right and the
    right answer; otherwise only that it was saved (`shown` False, the rest None)."""

    answer_id: int
    shown: bool
    correct: bool | None
    right_answers: tuple[str, ...] | None
    explanation: str | None


@dataclass(frozen=True)
class QuestionResult:
    """One question in a finished attempt."""

    question_id: int
    key: str
    prompt: str
    response: dict[str, Any] | None  # None: not answered
    correct: bool
    right_answers: tuple[str, ...] | None  # None when the drill's feedback hides them
    explanation: str | None


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

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "drill_id": self.drill_id,
            "title": self.title,
            "started_at": _iso(self.started_at),
            "ended_at": _iso(self.ended_at),
            "correct": self.correct,
            "total": self.total,
            "score": round(self.score, 4),
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "timed_out": self.timed_out,
            "questions": [
                {
                    "id": q.key,
                    "prompt": q.prompt,
                    "response": q.response,
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

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def missed(self) -> int:
        return self.asked - self.right


@dataclass(frozen=True)
class DrillReport:
    """A teacher's view of one drill: students (by name) and questions (most missed first)."""

    drill: DrillInfo
    students: tuple[StudentRow, ...]
    questions: tuple[QuestionRow, ...]

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "drill": {
                "id": self.drill.id,
                "title": self.drill.title,
                "status": self.drill.status(now),
                "pass_mark": self.drill.spec.pass_mark,
            },
            "students": [
                {
                    "name": s.name,
                    "attempts": s.attempts,
                    "finished": s.finished,
                    "best_score": _round(s.best_score),
                    "latest_score": _round(s.latest_score),
                    "latest_passed": s.latest_passed,
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
                }
                for q in self.questions
            ],
        }


ReportTable = Literal["students", "questions"]
REPORT_COLUMNS: dict[str, list[str]] = {
    "students": ["name", "attempts", "finished", "best_score", "latest_score", "latest_passed"],
    "questions": [
        "id",
        "prompt",
        "asked",
        "right",
        "facility",
        "unanswered",
        "most_chosen_wrong",
        "most_chosen_wrong_count",
    ],
}


def write_report_csv(report: DrillReport, table: ReportTable, out: TextIO, now: datetime) -> int:
    """Write one table of a drill report ("students" or "questions") as CSV, a header
    and a row each (the columns of `to_json`); returns the number of rows."""
    rows = report.to_json(now)[table]
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS[table], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# -- specs and drills ----------------------------------------------------------------


def spec_from_dict(data: dict[str, Any]) -> DrillSpec:
    """Validate a drill definition (e.g. from a form); a problem is one sentence."""
    try:
        return DrillSpec.model_validate(data)
    except ValidationError as exc:
        problem = spec_problems(Path("drill"), exc, {})[0]
        where = f"{problem.field}: " if problem.field else ""
        raise QuizError(f"{where}{problem.message}; fix it and save again") from None


def _spec_of(drill: Drill) -> DrillSpec:
    return DrillSpec.model_validate({k: v for k, v in drill.spec.items() if k != DRAWN})


def _info(drill: Drill, creator: str | None) -> DrillInfo:
    spec = _spec_of(drill)
    count = len(spec.questions) if spec.questions is not None else spec.draw.count  # type: ignore[union-attr]
    return DrillInfo(drill.id, drill.title, spec, count, creator, drill.opens_at, drill.closes_at)


def _drill_query() -> Any:
    return select(Drill, Profile.name).outerjoin(Profile, Profile.id == Drill.created_by)


def list_drills(database: Database) -> list[DrillInfo]:
    """Every drill, by title."""
    with database.sessions() as session:
        rows = session.execute(_drill_query().order_by(Drill.title)).all()
        return [_info(drill, creator) for drill, creator in rows]


def get_drill(database: Database, drill_id: int) -> DrillInfo:
    with database.sessions() as session:
        row = session.execute(_drill_query().where(Drill.id == drill_id)).first()
        if row is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        return _info(row[0], row[1])


def find_drill(database: Database, ref: str) -> DrillInfo:
    """A drill by title, else by id."""
    with database.sessions() as session:
        row = session.execute(_drill_query().where(Drill.title == ref.strip())).first()
        if row is None and ref.strip().isdigit():
            row = session.execute(_drill_query().where(Drill.id == int(ref))).first()
        if row is None:
            raise QuizError(f"no drill called {ref!r}; see `quiz drill list` for titles and ids")
        return _info(row[0], row[1])


def _candidates(session: Session, rule: DrawRule) -> list[str]:
    """Keys of the active questions a draw rule allows, sorted."""
    query = select(Question.key, Question.tags).where(Question.retired_at.is_(None))
    if rule.decks:
        query = query.join(Deck, Deck.id == Question.deck_id).where(Deck.name.in_(rule.decks))
    if rule.topics:
        query = query.where(Question.topic.in_(rule.topics))
    if rule.types:
        query = query.where(Question.type.in_(rule.types))
    if rule.difficulty:
        query = query.where(Question.difficulty.in_(rule.difficulty))
    wanted = set(rule.tags)
    return sorted(
        key for key, tags in session.execute(query).all() if not wanted or wanted & set(tags)
    )


Issue = tuple[tuple[Any, ...], str | None, str]  # location in the file, question id, message


def _spec_issues(session: Session, spec: DrillSpec) -> list[Issue]:
    """Problems only the database can find: unknown or retired ids, too few questions."""
    issues: list[Issue] = []
    if spec.questions is not None:
        found = dict(
            session.execute(
                select(Question.key, Question.retired_at).where(Question.key.in_(spec.questions))
            ).all()
        )
        for index, key in enumerate(spec.questions):
            if key not in found:
                issues.append(
                    (
                        ("questions", index),
                        key,
                        "no question has this id; check the id (quiz bank export lists them)",
                    )
                )
            elif found[key] is not None:
                issues.append(
                    (("questions", index), key, "this question is retired; choose another one")
                )
    elif spec.draw is not None:
        available = len(_candidates(session, spec.draw))
        if available < spec.draw.count:
            issues.append(
                (
                    ("draw", "count"),
                    None,
                    f"the rule matches only {available} question(s) but `count` is "
                    f"{spec.draw.count}; lower the count or widen the rule",
                )
            )
    return issues


def _raise_issues(issues: list[Issue]) -> None:
    if issues:
        loc, key, message = issues[0]
        where = f"question {key}: " if key else ".".join(map(str, loc)) + ": "
        more = f" ({len(issues) - 1} more problem(s))" if len(issues) > 1 else ""
        raise QuizError(f"{where}{message}{more}")


def _stored_spec(
    session: Session, spec: DrillSpec, previous: Drill | None, seed: int | None
) -> dict[str, Any]:
    """The spec as stored: a fixed draw gets its seed and its drawn keys, kept across edits
    as long as the rule does not change."""
    data = spec.model_dump(mode="json")
    rule = spec.draw
    if rule is None or rule.fresh_each_attempt:
        return data
    if previous is not None and previous.spec.get("draw") and DRAWN in previous.spec:
        old = DrawRule.model_validate(previous.spec["draw"])
        if old.model_dump(exclude={"seed"}) == rule.model_dump(exclude={"seed"}) and (
            rule.seed is None or rule.seed == old.seed
        ):
            data["draw"]["seed"] = old.seed
            data[DRAWN] = previous.spec[DRAWN]
            return data
    chosen = rule.seed if rule.seed is not None else seed
    if chosen is None:
        chosen = random.SystemRandom().randrange(2**31)
    data["draw"]["seed"] = chosen
    data[DRAWN] = random.Random(chosen).sample(_candidates(session, rule), rule.count)
    return data


def _title_taken(session: Session, title: str, drill_id: int | None) -> bool:
    query = select(Drill.id).where(Drill.title == title)
    if drill_id is not None:
        query = query.where(Drill.id != drill_id)
    return session.scalar(query) is not None


def create_drill(
    database: Database, teacher: Teacher, spec: DrillSpec, now: datetime, seed: int | None = None
) -> DrillInfo:
    """Save a new drill. A fixed draw without a seed gets `seed` (random when None)."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        _raise_issues(_spec_issues(session, spec))
        if _title_taken(session, spec.title, None):
            raise QuizError(f"a drill called {spec.title!r} already exists; choose another title")
        drill = Drill(
            title=spec.title,
            created_by=teacher.profile_id,
            spec=_stored_spec(session, spec, None, seed),
            opens_at=spec.opens_at,
            closes_at=spec.closes_at,
            created_at=now,
            updated_at=now,
        )
        session.add(drill)
        session.flush()
        return _info(drill, teacher.name)


def update_drill(
    database: Database,
    teacher: Teacher,
    drill_id: int,
    spec: DrillSpec,
    now: datetime,
    seed: int | None = None,
) -> DrillInfo:
    """Replace a drill's definition. Attempts already made keep their own questions."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        _raise_issues(_spec_issues(session, spec))
        if _title_taken(session, spec.title, drill_id):
            raise QuizError(f"a drill called {spec.title!r} already exists; choose another title")
        drill.spec = _stored_spec(session, spec, drill, seed)
        drill.title = spec.title
        drill.opens_at = spec.opens_at
        drill.closes_at = spec.closes_at
        drill.updated_at = now
        session.flush()
        creator = session.get(Profile, drill.created_by) if drill.created_by else None
        return _info(drill, creator.name if creator else None)


def delete_drill(database: Database, teacher: Teacher, drill_id: int) -> None:
    """Delete a drill. Its attempts stay in the students' history (with the drill's title)."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        session.delete(drill)


def save_drill_file(
    database: Database,
    teacher: Teacher,
    path: Path,
    now: datetime,
    replace: bool = False,
    seed: int | None = None,
) -> tuple[DrillInfo, bool]:
    """Create a drill from a YAML file (or, with `replace`, update the drill with the same
    title). Returns the drill and whether it was new. Problems raise DrillProblems, each
    located `file:line`, and nothing is written."""
    loaded, problems = load_drill_file(path)
    if loaded is None:
        raise DrillProblems(problems)
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        file_problems = _file_problems(loaded, _spec_issues(session, loaded.spec))
        existing = session.scalar(select(Drill).where(Drill.title == loaded.spec.title))
        if existing is not None and not replace:
            file_problems.append(
                Problem(
                    path,
                    loaded.line_of("title"),
                    None,
                    "title",
                    "a drill with this title already exists; choose another title "
                    "or pass --replace to update it",
                )
            )
        if file_problems:
            raise DrillProblems(sorted(file_problems, key=lambda p: p.line))
    if existing is None:
        return create_drill(database, teacher, loaded.spec, now, seed), True
    return update_drill(database, teacher, existing.id, loaded.spec, now, seed), False


def _file_problems(loaded: LoadedDrill, issues: Iterable[Issue]) -> list[Problem]:
    return [
        Problem(
            loaded.path,
            loaded.line_of(*loc),
            key,
            None if key else ".".join(map(str, loc)),
            message,
        )
        for loc, key, message in issues
    ]


# -- taking a drill --------------------------------------------------------------------


def _deadline(details: dict[str, Any]) -> datetime | None:
    value = details.get("deadline")
    return None if value is None else datetime.fromisoformat(value)


def _expired(study: StudySession, now: datetime) -> bool:
    deadline = _deadline(study.details or {})
    return deadline is not None and now >= deadline


def drills_for_student(
    database: Database, profile_id: int, now: datetime, include_closed: bool = False
) -> list[StudentDrill]:
    """Drills open now or later (and closed ones if asked), with this student's attempts."""
    out = []
    with database.sessions() as session:
        rows = session.execute(_drill_query().order_by(Drill.title)).all()
        attempts: dict[int, list[StudySession]] = {}
        for study in session.scalars(
            select(StudySession)
            .where(StudySession.profile_id == profile_id, StudySession.kind == KIND)
            .order_by(StudySession.id)
        ):
            if study.drill_id is not None:
                attempts.setdefault(study.drill_id, []).append(study)
        for drill, creator in rows:
            info = _info(drill, creator)
            status = info.status(now)
            if status == "closed" and not include_closed:
                continue
            mine = attempts.get(drill.id, [])
            scores = [s.score for s in mine if s.score is not None]
            allowed = info.spec.attempts
            open_id = next(
                (s.id for s in mine if s.ended_at is None and not _expired(s, now)), None
            )
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


def _attempt_row(session: Session, attempt_id: int) -> StudySession:
    study = session.get(StudySession, attempt_id)
    if study is None or study.kind != KIND or study.details is None:
        raise QuizError(f"no drill attempt {attempt_id}; start the drill again")
    return study


def _questions_by_id(session: Session, ids: Sequence[int]) -> dict[int, Question]:
    return {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}


def _attempt_view(session: Session, study: StudySession) -> DrillAttempt:
    details = study.details or {}
    ids: list[int] = details["question_ids"]
    rows = _questions_by_id(session, ids)
    orders: dict[str, list[str]] = details.get("option_orders", {})
    answered = session.scalars(
        select(AnswerRecord.question_id).where(AnswerRecord.session_id == study.id)
    ).all()
    return DrillAttempt(
        study.id,
        study.drill_id,
        details["title"],
        details["number"],
        study.started_at,
        _deadline(details),
        details["feedback"],
        tuple(
            AttemptQuestion(
                qid, rows[qid].key, parse_question(rows[qid].data), tuple(orders.get(str(qid), ()))
            )
            for qid in ids
        ),
        frozenset(answered),
    )


def start_attempt(
    database: Database,
    student: ProfileInfo,
    drill_id: int,
    now: datetime,
    seed: int | None = None,
) -> DrillAttempt:
    """Start an attempt (or resume the one in progress). Refused when the drill is not
    open or no attempts are left. `seed` fixes the shuffles and a fresh draw (tests)."""
    with database.sessions.begin() as session:
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see the list of drills")
        info = _info(drill, None)
        spec = info.spec
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
                if not _expired(study, now):
                    return _attempt_view(session, study)
                _finish(session, study, now)
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
        option_orders: dict[str, list[str]] = {}
        if spec.shuffle_options:
            for key in keys:
                options = parse_question(rows[key].data).choice_list
                if rows[key].type in ("multiple_choice", "ordering") and options:
                    rng.shuffle(options)
                    option_orders[str(rows[key].id)] = options
        deadline = _attempt_deadline(spec, drill.closes_at, now)
        study = StudySession(
            profile_id=student.id,
            kind=KIND,
            drill_id=drill.id,
            started_at=now,
            details={
                "title": drill.title,
                "number": len(mine) + 1,
                "question_ids": [rows[key].id for key in keys],
                "question_keys": keys,
                "option_orders": option_orders,
                "seed": seed,
                "deadline": _iso(deadline),
                "time_limit_minutes": spec.time_limit_minutes,
                "pass_mark": spec.pass_mark,
                "feedback": spec.feedback,
            },
        )
        session.add(study)
        session.flush()
        return _attempt_view(session, study)


def _draw(session: Session, drill: Drill, spec: DrillSpec, rng: random.Random) -> list[str]:
    if spec.questions is not None:
        return list(spec.questions)
    rule = spec.draw
    assert rule is not None
    if not rule.fresh_each_attempt:
        return list(drill.spec[DRAWN])
    candidates = _candidates(session, rule)
    if len(candidates) < rule.count:
        raise QuizError(
            f"only {len(candidates)} question(s) match {drill.title!r} now; "
            "ask your teacher to edit the drill"
        )
    return rng.sample(candidates, rule.count)


def _attempt_deadline(
    spec: DrillSpec, closes_at: datetime | None, now: datetime
) -> datetime | None:
    ends = []
    if spec.time_limit_minutes is not None:
        ends.append(now + timedelta(minutes=spec.time_limit_minutes))
    if closes_at is not None:
        ends.append(closes_at)
    return min(ends) if ends else None


def _when(moment: datetime | None) -> str:
    return "?" if moment is None else moment.strftime("%Y-%m-%d %H:%M %Z")


def get_attempt(database: Database, attempt_id: int) -> DrillAttempt:
    """An attempt's questions and which are answered (to resume it)."""
    with database.sessions() as session:
        return _attempt_view(session, _attempt_row(session, attempt_id))


def _right_answers(question: QuestionBase) -> tuple[str, ...]:
    if isinstance(question, ShortAnswer):
        return (question.answer,)
    return tuple(question.accepted_answers)


def record_drill_answer(
    database: Database,
    attempt_id: int,
    question_id: int,
    response: dict[str, Any],
    correct: bool,
    duration_ms: int,
    now: datetime,
) -> AnswerFeedback:
    """Save an answer at once (graded by the caller). Refused after the deadline, for a
    question not in the attempt, or a second time when feedback is given after each one
    (with feedback at the end, a new answer replaces the earlier one)."""
    with database.sessions.begin() as session:
        study = _attempt_row(session, attempt_id)
        details = study.details or {}
        if study.ended_at is not None:
            raise QuizError("this attempt is finished; start a new one if attempts are left")
        if _expired(study, now):
            raise QuizError("time is up for this drill; finish it to see your score")
        if question_id not in details["question_ids"]:
            raise QuizError(f"question {question_id} is not in this attempt; answer the ones shown")
        if duration_ms < 0:
            raise QuizError("the time taken cannot be negative; check the clock")
        feedback = details["feedback"]
        earlier = session.scalar(
            select(func.count()).where(
                AnswerRecord.session_id == attempt_id, AnswerRecord.question_id == question_id
            )
        )
        if earlier and feedback == "each":
            raise QuizError("you have already answered this question; go on to the next one")
        answer = AnswerRecord(
            session_id=attempt_id,
            profile_id=study.profile_id,
            question_id=question_id,
            answered_at=now,
            response=response,
            correct=correct,
            duration_ms=duration_ms,
            rating=None,
            state_before=None,
            previous_state=None,
        )
        session.add(answer)
        session.flush()
        if feedback != "each":
            return AnswerFeedback(answer.id, False, None, None, None)
        row = session.get(Question, question_id)
        assert row is not None
        question = parse_question(row.data)
        return AnswerFeedback(
            answer.id, True, correct, _right_answers(question), question.explanation
        )


def _latest_answers(session: Session, attempt_ids: Sequence[int]) -> dict[tuple[int, int], Any]:
    """(attempt, question) -> the latest answer's (correct, response)."""
    latest: dict[tuple[int, int], Any] = {}
    rows = session.execute(
        select(
            AnswerRecord.session_id,
            AnswerRecord.question_id,
            AnswerRecord.correct,
            AnswerRecord.response,
        )
        .where(AnswerRecord.session_id.in_(attempt_ids))
        .order_by(AnswerRecord.id)
    ).all()
    for attempt_id, question_id, correct, response in rows:
        latest[(attempt_id, question_id)] = (correct, response)
    return latest


def _finish(session: Session, study: StudySession, now: datetime) -> None:
    details = study.details or {}
    ids: list[int] = details["question_ids"]
    latest = _latest_answers(session, [study.id])
    correct = sum(1 for qid in ids if latest.get((study.id, qid), (False,))[0])
    total = len(ids)
    deadline = _deadline(details)
    timed_out = deadline is not None and now >= deadline
    study.ended_at = deadline if timed_out and deadline is not None else now
    study.score = correct / total if total else 0.0
    study.details = {
        **details,
        "correct": correct,
        "total": total,
        "passed": correct * 100 >= details["pass_mark"] * total,
        "timed_out": timed_out,
    }


def _result(session: Session, study: StudySession) -> AttemptResult:
    details = study.details or {}
    ids: list[int] = details["question_ids"]
    rows = _questions_by_id(session, ids)
    latest = _latest_answers(session, [study.id])
    shown = details["feedback"] != "none"
    questions = []
    for qid in ids:
        question = parse_question(rows[qid].data)
        correct, response = latest.get((study.id, qid), (False, None))
        questions.append(
            QuestionResult(
                qid,
                rows[qid].key,
                question.prompt_text,
                response,
                bool(correct),
                _right_answers(question) if shown else None,
                question.explanation if shown else None,
            )
        )
    assert study.ended_at is not None and study.score is not None
    return AttemptResult(
        study.id,
        study.drill_id,
        details["title"],
        study.profile_id,
        study.started_at,
        study.ended_at,
        details["correct"],
        details["total"],
        study.score,
        details["pass_mark"],
        details["passed"],
        details["timed_out"],
        shown,
        tuple(questions),
    )


def finish_attempt(database: Database, attempt_id: int, now: datetime) -> AttemptResult:
    """Submit the attempt as it stands and score it (unanswered questions are wrong).
    Finishing an attempt twice returns the same result."""
    with database.sessions.begin() as session:
        study = _attempt_row(session, attempt_id)
        if study.ended_at is None:
            _finish(session, study, now)
            session.flush()
        return _result(session, study)


def attempt_result(
    database: Database, attempt_id: int, viewer: ProfileInfo | Teacher
) -> AttemptResult:
    """A finished attempt's result: a student sees only their own, a teacher anyone's."""
    with database.sessions() as session:
        study = _attempt_row(session, attempt_id)
        if isinstance(viewer, Teacher):
            require_teacher(session, viewer)
        elif study.profile_id != viewer.id:
            raise QuizError("this attempt is another learner's; you can see only your own")
        if study.ended_at is None:
            raise QuizError("this attempt is not finished yet; finish it to see the result")
        return _result(session, study)


def _history(session: Session, profile_id: int) -> list[AttemptSummary]:
    studies = session.scalars(
        select(StudySession)
        .where(StudySession.profile_id == profile_id, StudySession.kind == KIND)
        .order_by(StudySession.started_at, StudySession.id)
    )
    return [
        AttemptSummary(
            s.id,
            s.drill_id,
            (s.details or {}).get("title", "?"),
            s.started_at,
            s.ended_at,
            s.score,
            (s.details or {}).get("passed"),
        )
        for s in studies
    ]


def my_attempts(database: Database, student: ProfileInfo) -> list[AttemptSummary]:
    """A learner's own drill attempts, oldest first."""
    with database.sessions() as session:
        return _history(session, student.id)


def student_attempts(database: Database, teacher: Teacher, profile_id: int) -> list[AttemptSummary]:
    """Any learner's drill attempts, for a teacher."""
    with database.sessions() as session:
        require_teacher(session, teacher)
        return _history(session, profile_id)


# -- the teacher's report ------------------------------------------------------------


def _label(response: dict[str, Any] | None) -> str | None:
    """A wrong answer as a short text to count: the choice, or the typed text."""
    if not response:
        return None
    for key in ("choice", "choices", "typed", "order", "gaps"):
        if key in response:
            value = response[key]
            if isinstance(value, list):
                return " | ".join(str(v) for v in value)
            text = " ".join(str(value).split())
            return text.casefold() if key == "typed" else text
    return json.dumps(response, sort_keys=True, ensure_ascii=False)


def drill_report(database: Database, teacher: Teacher, drill_id: int, now: datetime) -> DrillReport:
    """Each student's attempts, best and latest score; each question's facility and most
    chosen wrong answer, most missed first. Attempts whose time ran out are scored first."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        row = session.execute(_drill_query().where(Drill.id == drill_id)).first()
        if row is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        info = _info(row[0], row[1])
        studies = session.execute(
            select(StudySession, Profile.name)
            .join(Profile, Profile.id == StudySession.profile_id)
            .where(StudySession.kind == KIND, StudySession.drill_id == drill_id)
            .order_by(StudySession.started_at, StudySession.id)
        ).all()
        for study, _ in studies:
            if study.ended_at is None and _expired(study, now):
                _finish(session, study, now)
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
                    (finished[-1].details or {}).get("passed") if finished else None,
                )
            )
            for study in finished:  # oldest first: later attempts overwrite
                for qid in (study.details or {})["question_ids"]:
                    latest_asking[(profile_id, qid)] = study.id
        answers = _latest_answers(session, sorted(set(latest_asking.values())))
        asked: Counter[int] = Counter()
        right: Counter[int] = Counter()
        unanswered: Counter[int] = Counter()
        wrong: dict[int, Counter[str]] = {}
        for (_, qid), attempt_id in latest_asking.items():
            asked[qid] += 1
            answer = answers.get((attempt_id, qid))
            if answer is None:
                unanswered[qid] += 1
            elif answer[0]:
                right[qid] += 1
            else:
                label = _label(answer[1])
                if label is not None:
                    wrong.setdefault(qid, Counter())[label] += 1
        rows = _questions_by_id(session, list(asked))
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
                    top[0] if top else None,
                    top[1] if top else 0,
                )
            )
        questions.sort(key=lambda q: (q.facility, -q.missed, q.key))
        students.sort(key=lambda s: s.name.casefold())
        return DrillReport(info, tuple(students), tuple(questions))
