"""Results as a file, for a class without a server: a student exports their finished
attempts at a drill that came in a file (`export_results`); the teacher imports them
(`import_results`), which checks each file's signature and binding (drill, student,
attempt) and grades every response again through the paper path, so a file carries
responses, never a score. All files or none: any problem rejects the whole import.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.bank.class_files import (
    RESULTS_FORMAT,
    VERSION,
    AnswerEntry,
    AttemptEntry,
    ResultsFile,
    ResultsPayload,
    StudentExchange,
    TeacherExchange,
    dump_file,
    read_exchange,
    sign,
    signed_by,
    student_key,
)
from quiz.bank.schema import MultipleChoice, Ordering, parse_question
from quiz.core.responses import parse_response
from quiz.errors import QuizError
from quiz.services import paper
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.services.drills.attempts import KIND, AttemptDetails, finish_expired, finish_in
from quiz.services.drills.authoring import stored_spec_of
from quiz.services.drills.drill_files import drill_keys, read_class_file
from quiz.services.profiles import ProfileInfo
from quiz.store.models import Drill, Profile, Question, StudySession

# -- the student's side ---------------------------------------------------------------------


def _file_drills(session: Session, student: str) -> list[tuple[Drill, StudentExchange]]:
    out = []
    for drill in session.scalars(
        select(Drill).where(Drill.exchange.is_not(None)).order_by(Drill.title)
    ):
        exchange = read_exchange(drill.exchange)
        if isinstance(exchange, StudentExchange) and exchange.student == student:
            out.append((drill, exchange))
    return out


def _pick_drill(session: Session, student: str, ref: str | None) -> tuple[Drill, StudentExchange]:
    mine = _file_drills(session, student)
    if ref is not None:
        mine = [(d, e) for d, e in mine if d.title == ref.strip() or str(d.id) == ref.strip()]
    if not mine:
        which = f"called {ref!r} " if ref else ""
        raise QuizError(
            f"no drill {which}from a file for {student}; import your teacher's drill file "
            "with `quiz drill import FILE`"
        )
    if len(mine) > 1:
        titles = ", ".join(repr(d.title) for d, _ in mine)
        raise QuizError(
            f"{student} has several drills from files ({titles}); name one with --drill"
        )
    return mine[0]


def _entry(session: Session, study: StudySession, exchange: StudentExchange) -> AttemptEntry:
    details = AttemptDetails.model_validate(study.details)
    assert study.ended_at is not None and details.exchange_attempt is not None
    by_id = dict(zip(details.question_ids, details.question_keys, strict=True))
    teacher = exchange.keys
    answers = paper.answers_of(session, study.id)
    return AttemptEntry(
        attempt=details.exchange_attempt,
        number=details.number,
        started_at=study.started_at,
        ended_at=study.ended_at,
        questions=[teacher[key] for key in details.question_keys],
        option_orders={
            teacher[by_id[int(qid)]]: order for qid, order in details.option_orders.items()
        },
        answers=[
            AnswerEntry(
                question=teacher[by_id[qid]],
                response=answer.response,
                answered_at=answer.answered_at,
                duration_ms=answer.duration_ms,
                claimed_right=answer.overridden,
            )
            for qid, answer in sorted(answers.items(), key=lambda item: item[1].id)
            if qid in by_id
        ],
    )


def export_results(
    database: Database,
    student: ProfileInfo,
    now: datetime,
    write: Callable[[str], None],
    drill_ref: str | None = None,
    number: int | None = None,
) -> ResultsFile:
    """The student's finished attempts at a drill from a file that were not exported yet
    (or attempt `number`), signed with the student's key; `write` saves the file's text
    before the attempts are marked exported (if it fails, nothing is marked)."""
    with database.sessions.begin() as session:
        drill, exchange = _pick_drill(session, student.name, drill_ref)
        studies = session.scalars(
            select(StudySession)
            .where(
                StudySession.profile_id == student.id,
                StudySession.kind == KIND,
                StudySession.drill_id == drill.id,
            )
            .order_by(StudySession.started_at, StudySession.id)
        ).all()
        for study in studies:
            finish_expired(session, study, now)
        finished = [s for s in studies if s.ended_at is not None]
        if number is not None:
            chosen = [
                s for s in finished if AttemptDetails.model_validate(s.details).number == number
            ]
            if not chosen:
                raise QuizError(f"you have no finished attempt {number} at {drill.title!r}")
        else:
            chosen = [
                s for s in finished if AttemptDetails.model_validate(s.details).exported_at is None
            ]
            if not chosen:
                raise QuizError(
                    f"no finished attempt at {drill.title!r} to export"
                    + (
                        "; every one was exported already (--attempt N writes one again)"
                        if finished
                        else "; finish the drill first"
                    )
                )
        payload = ResultsPayload(
            uid=exchange.uid,
            student=exchange.student,
            exported_at=now,
            attempts=[_entry(session, study, exchange) for study in chosen],
        )
        file = ResultsFile(
            format=RESULTS_FORMAT,
            version=VERSION,
            results=payload,
            signature=sign(bytes.fromhex(exchange.key), "results", payload),
        )
        for study in chosen:
            details = AttemptDetails.model_validate(study.details)
            paper.store(study, details.model_copy(update={"exported_at": now}))
        write(dump_file(file))
        return file


# -- the teacher's side ---------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedAttempt:
    """An attempt imported from a results file, as the teacher's grading marked it."""

    path: Path
    student: str
    title: str
    number: int
    correct: int
    total: int
    score: float
    passed: bool


def _load(path: Path) -> ResultsFile:
    data = read_class_file(path, "results file")
    if data.get("format") != RESULTS_FORMAT:
        raise QuizError(f"{path}: not a quiz results file; ask the student to export it again")
    try:
        return ResultsFile.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise QuizError(
            f"{path}: not a valid results file ({where}: {first['msg']}); "
            "ask the student to export it again"
        ) from None


def _teacher_drill(session: Session, path: Path, uid: str) -> tuple[Drill, TeacherExchange]:
    for drill in session.scalars(select(Drill).where(Drill.exchange.is_not(None))):
        exchange = read_exchange(drill.exchange)
        if isinstance(exchange, TeacherExchange) and exchange.uid == uid:
            return drill, exchange
    raise QuizError(
        f"{path}: these results are for a drill that is not in this database (a foreign "
        "file: another teacher's drill, or one deleted here); nothing was imported"
    )


def _tampered(path: Path, why: str) -> QuizError:
    return QuizError(
        f"{path}: {why}; the file was changed after it was written, nothing was imported"
    )


def _import_attempt(
    session: Session,
    path: Path,
    drill: Drill,
    profile: Profile,
    uid: str,
    entry: AttemptEntry,
    seen: set[str],
) -> ImportedAttempt:
    spec = stored_spec_of(drill)
    binding = f"{uid}/{profile.name}/{entry.number}"
    earlier = session.scalars(
        select(StudySession).where(
            StudySession.kind == KIND,
            StudySession.drill_id == drill.id,
            StudySession.profile_id == profile.id,
        )
    ).all()
    imported = {
        AttemptDetails.model_validate(s.details).exchange_attempt: s
        for s in earlier
        if s.exchange_id
    }
    if entry.attempt in imported or binding in seen or entry.attempt in seen:
        when = imported[entry.attempt].started_at if entry.attempt in imported else None
        raise QuizError(
            f"{path}: {profile.name}'s attempt {entry.number} at {drill.title!r} was already "
            "imported"
            + (f" (it started {when:%Y-%m-%d %H:%M} UTC)" if when else "")
            + "; a results file is imported once (a replayed file). Nothing was imported"
        )
    if any(s.exchange_id == binding for s in earlier):
        raise QuizError(
            f"{path}: {profile.name}'s attempt {entry.number} at {drill.title!r} was already "
            "imported from another file; each attempt counts once. Nothing was imported"
        )
    seen |= {binding, entry.attempt}
    if spec.attempts is not None and len(earlier) + 1 > spec.attempts:
        raise QuizError(
            f"{path}: {profile.name} would have more than the {spec.attempts} attempt(s) "
            f"{drill.title!r} allows; nothing was imported"
        )
    keys = drill_keys(drill)
    if sorted(entry.questions) != sorted(keys):
        raise QuizError(
            f"{path}: attempt {entry.number} does not hold the questions of {drill.title!r}: "
            "the drill was edited after the file was exported, or the file was changed; "
            "nothing was imported"
        )
    rows = {q.key: q for q in session.scalars(select(Question).where(Question.key.in_(keys)))}
    if len(rows) != len(keys):
        raise QuizError(
            f"{path}: a question of {drill.title!r} is no longer in the bank; restore it first"
        )
    orders: dict[str, list[str]] = {}
    for key in entry.questions:
        question = parse_question(rows[key].data)
        options = question.choice_list if isinstance(question, MultipleChoice | Ordering) else []
        given = entry.option_orders.get(key)
        if options and given is not None and sorted(given) != sorted(options):
            raise _tampered(path, f"the options of {key} are not the question's")
        if options:
            orders[str(rows[key].id)] = given if given is not None else list(options)
    if entry.ended_at < entry.started_at or (
        drill.opens_at is not None and entry.started_at < drill.opens_at
    ):
        raise _tampered(path, f"attempt {entry.number} has impossible times")
    details = AttemptDetails(
        question_ids=[rows[key].id for key in entry.questions],
        option_orders=orders,
        deadline=paper.deadline_for(entry.started_at, spec.time_limit_minutes, drill.closes_at),
        time_limit_minutes=spec.time_limit_minutes,
        feedback=spec.feedback,
        title=drill.title,
        number=len(earlier) + 1,
        question_keys=list(entry.questions),
        pass_mark=spec.pass_mark,
        allow_override=spec.allow_override,
        exchange_attempt=entry.attempt,
    )
    study = StudySession(
        profile_id=profile.id,
        kind=KIND,
        drill_id=drill.id,
        started_at=entry.started_at,
        details={},
        exchange_id=binding,
    )
    paper.store(study, details)
    session.add(study)
    session.flush()
    for answer in sorted(entry.answers, key=lambda a: a.answered_at):
        if answer.question not in rows or answer.answered_at < entry.started_at:
            raise _tampered(path, f"attempt {entry.number} answers {answer.question} oddly")
        try:
            response = parse_response(answer.response)
        except ValueError:
            raise _tampered(path, f"the answer to {answer.question} is not a response") from None
        qid = rows[answer.question].id
        try:  # graded here, by the teacher's copy of the question, as in the app
            outcome = paper.record(
                session, study, details, qid, response, answer.duration_ms, answer.answered_at
            )
            if answer.claimed_right and details.allow_override and not outcome.checked.correct:
                paper.claim(session, study, details, qid, answer.answered_at)
        except QuizError as error:
            raise _tampered(path, f"attempt {entry.number}: {error}") from None
    finished = finish_in(session, study, details, max(entry.ended_at, entry.started_at))
    assert finished.correct is not None and finished.total is not None
    return ImportedAttempt(
        path,
        profile.name,
        drill.title,
        finished.number,
        finished.correct,
        finished.total,
        study.score or 0.0,
        bool(finished.passed),
    )


def import_results(
    database: Database, teacher: Teacher, paths: Sequence[Path], now: datetime
) -> list[ImportedAttempt]:
    """Check every results file (format, drill, signature of the student's key, student,
    each attempt not imported before and within the drill's attempts) and grade every
    response again, in one transaction: a problem in any file imports nothing."""
    files = [(path, _load(path)) for path in paths]
    out: list[ImportedAttempt] = []
    try:
        with database.sessions.begin() as session:
            require_teacher(session, teacher)
            seen: set[str] = set()
            for path, file in files:
                payload = file.results
                drill, exchange = _teacher_drill(session, path, payload.uid)
                key = student_key(exchange.secret, exchange.uid, payload.student)
                if not signed_by(key, "results", payload, file.signature):
                    raise QuizError(
                        f"{path}: the signature does not match: the file was changed after it "
                        f"was written, or it is not {payload.student}'s (each student signs "
                        f"with their own key for {drill.title!r}); nothing was imported"
                    )
                profile = session.scalar(select(Profile).where(Profile.name == payload.student))
                if profile is None:
                    raise QuizError(
                        f"{path}: the results are {payload.student}'s, who has no profile here "
                        f"any more; create it (`quiz profile create {payload.student}`) and "
                        "import again"
                    )
                for entry in payload.attempts:
                    out.append(
                        _import_attempt(session, path, drill, profile, exchange.uid, entry, seen)
                    )
    except IntegrityError:
        raise QuizError(
            "another import of the same attempts ran at the same time; nothing was imported "
            "here. Run it again to see what is left"
        ) from None
    return out
