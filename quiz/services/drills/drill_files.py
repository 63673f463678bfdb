"""A drill as a file, for a class without a server: the teacher exports it for one student
(`export_drill_file`), the student imports it into their own database (`import_drill_file`)
and takes it like any drill. The file format and its keys: `quiz.bank.class_files`.

With feedback "none" the file is sealed: each question carries only what is shown (choices
and items shuffled, so their order tells nothing), no answers, explanation or source; the
student's app saves the answers ungraded and the teacher's import grades them.
"""

import json
import os
import random
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from quiz.bank.class_files import (
    DRILL_FORMAT,
    MAX_CLASS_FILE_BYTES,
    VERSION,
    DrillFile,
    DrillPayload,
    DrillSettings,
    StudentExchange,
    TeacherExchange,
    dump_file,
    read_exchange,
    sign,
    signed_by,
    student_key,
)
from quiz.bank.loader import UnreadableFile, read_limited
from quiz.bank.schema import (
    GAP_MARK,
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
    parse_question,
)
from quiz.errors import QuizError
from quiz.services.auth import Teacher, require_teacher
from quiz.services.bank import content_hash
from quiz.services.database import Database
from quiz.services.drills.authoring import DrillInfo, StoredSpec, drill_info, stored_spec_of
from quiz.store.models import Deck, Drill, Profile, Question

SEALED_NOTE = "Your teacher grades this drill."
# The settings a drill file carries from the drill's spec as they are (its opening and
# closing times come from the drill's own columns).
TAKEN_SETTINGS = tuple(n for n in DrillSettings.model_fields if n not in ("opens_at", "closes_at"))


def drill_keys(drill: Drill) -> list[str]:
    """The question keys of a drill with a fixed set of questions (a list or a fixed
    draw); a fresh draw each attempt cannot travel in a file."""
    spec = stored_spec_of(drill)
    if spec.questions is not None:
        return list(spec.questions)
    if spec.draw is not None and not spec.draw.fresh_each_attempt and spec.drawn is not None:
        return list(spec.drawn)
    raise QuizError(
        f"{drill.title!r} draws new questions for every attempt, which a file cannot carry; "
        "set fresh_each_attempt: false (or list the questions) and export again"
    )


def teacher_exchange(session: Session, drill: Drill) -> TeacherExchange:
    """The drill's file id and secret, made the first time it is exported."""
    exchange = read_exchange(drill.exchange)
    if isinstance(exchange, TeacherExchange):
        return exchange
    if exchange is not None:
        raise QuizError(
            f"{drill.title!r} was imported from a teacher's file; only that teacher can export it"
        )
    made = TeacherExchange(uid=secrets.token_hex(16), secret=secrets.token_hex(32))
    session.execute(  # only if no other export made one meanwhile: the first secret stays
        update(Drill)
        .where(Drill.id == drill.id, Drill.exchange.is_(None))
        .values(exchange=made.model_dump(mode="json"))
        .execution_options(synchronize_session=False)
    )
    session.refresh(drill)
    kept = read_exchange(drill.exchange)
    assert isinstance(kept, TeacherExchange)
    return kept


def _shuffled(items: list[str]) -> list[str]:
    """`items` in a random order other than the given one (when there is another)."""
    out = list(items)
    rng = random.SystemRandom()
    while out == items and len(set(items)) > 1:
        rng.shuffle(out)
    return out


def shown_part(question: QuestionBase) -> dict[str, Any]:
    """What a sealed file carries of a question: what the student sees, no answer key."""
    common: dict[str, Any] = {
        "id": question.id,
        "type": question.model_dump()["type"],
        "topic": question.topic,
        "difficulty": question.difficulty,
    }
    if isinstance(question, MultipleChoice):
        return common | {
            "prompt": question.prompt,
            "choices": _shuffled(question.choices),
            "choose": len(question.answers),
        }
    if isinstance(question, Ordering):
        return common | {"prompt": question.prompt, "items": _shuffled(question.items)}
    if isinstance(question, Cloze):
        return common | {"text": question.text}
    if isinstance(question, TrueFalse | ShortAnswer):
        return common | {"prompt": question.prompt}
    raise QuizError(
        f"question {question.id} is a flashcard, whose back is its answer; a drill with "
        "feedback none cannot carry it in a file. Take it out of the drill or set feedback "
        "to end"
    )


def export_drill_file(
    database: Database, teacher: Teacher, drill_id: int, student: str, now: datetime
) -> DrillFile:
    """The drill as a file for `student` (a profile here), signed with that student's key."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        if session.scalar(select(Profile.id).where(Profile.name == student)) is None:
            raise QuizError(
                f"no profile called {student!r}; create it (`quiz profile create {student}`) "
                "and export again: its results are imported into it"
            )
        keys = drill_keys(drill)
        exchange = teacher_exchange(session, drill)
        spec = stored_spec_of(drill)
        rows = {q.key: q for q in session.scalars(select(Question).where(Question.key.in_(keys)))}
        missing = [key for key in keys if key not in rows]
        if missing:
            raise QuizError(
                f"question {missing[0]} of {drill.title!r} is no longer in the question bank; "
                "edit the drill and export again"
            )
        sealed = spec.feedback == "none"
        questions = [
            shown_part(parse_question(rows[key].data)) if sealed else dict(rows[key].data)
            for key in keys
        ]
        key = student_key(exchange.secret, exchange.uid, student)
        payload = DrillPayload(
            uid=exchange.uid,
            title=drill.title,
            description=spec.description,
            student=student,
            key=key.hex(),
            sealed=sealed,
            settings=DrillSettings(
                **{name: getattr(spec, name) for name in TAKEN_SETTINGS},
                opens_at=drill.opens_at,
                closes_at=drill.closes_at,
            ),
            questions=questions,
        )
        return DrillFile(
            format=DRILL_FORMAT,
            version=VERSION,
            drill=payload,
            signature=sign(key, "drill", payload),
        )


def write_text_file(path: Path, text: str, newline: str | None = None) -> None:
    """Write `text` to `path` whole or not at all (a temporary file renamed over it);
    `newline` as `open` takes it ("" keeps a CSV writer's line ends)."""
    temporary: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline=newline,
            dir=path.parent,
            prefix=f".{path.name}.",
            delete=False,
        ) as out:
            temporary = Path(out.name)
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise QuizError(
            f"could not write {path} ({error.strerror or error}); choose a folder you can write to"
        ) from error


def read_class_file(path: Path, what: str) -> dict[str, Any]:
    """A class file's JSON object; a clear error when it is not one."""
    try:
        data = json.loads(read_limited(path, MAX_CLASS_FILE_BYTES).decode("utf-8"))
    except UnreadableFile as error:
        raise QuizError(f"{path}: {error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise QuizError(f"{path}: not a quiz {what} (not JSON: {error}); check the file") from None
    if not isinstance(data, dict):
        raise QuizError(f"{path}: not a quiz {what}; check the file")
    return data


def _placeholder(shown: dict[str, Any], local_key: str) -> dict[str, Any]:
    """A sealed question as stored in the student's database: what is shown, and stand-in
    answers so it reads as a question. They never grade: a sealed paper is not graded."""
    data = {
        k: v for k, v in shown.items() if k in {"type", "topic", "difficulty", "prompt", "text"}
    }
    data |= {"id": local_key, "explanation": SEALED_NOTE, "source": SEALED_NOTE}
    kind = shown.get("type")
    if kind == "multiple_choice":
        choices = list(shown.get("choices", []))
        data |= {"choices": choices, "answers": choices[: max(1, int(shown.get("choose", 1)))]}
    elif kind == "ordering":
        data["items"] = list(shown.get("items", []))
    elif kind == "true_false":
        data["answer"] = True
    elif kind == "short_answer":
        data["answer"] = "?"
    elif kind == "cloze":
        data["gaps"] = [{"answer": "?"}] * len(GAP_MARK.findall(str(shown.get("text", ""))))
    return data


def local_key(key: str, uid: str, index: int) -> str:
    """The key a question of a drill file gets in the student's database (its own, so it
    never meets the student's copy of the same question)."""
    own = f"{key}.{uid[:8]}"
    return own if len(own) <= 64 else f"q{index + 1}.{uid[:8]}"


@dataclass(frozen=True)
class ImportedDrill:
    """A drill added from a file: the drill, whose file it is, whether it is sealed."""

    drill: DrillInfo
    student: str
    sealed: bool


def import_drill_file(database: Database, path: Path, now: datetime) -> ImportedDrill:
    """Check a drill file and add its drill (and its questions, kept out of study) to this
    database, in one transaction; a damaged or edited file changes nothing."""
    data = read_class_file(path, "drill file")
    if data.get("format") != DRILL_FORMAT:
        raise QuizError(f"{path}: not a quiz drill file; ask your teacher for the drill file")
    try:
        file = DrillFile.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise QuizError(
            f"{path}: not a valid drill file ({where}: {first['msg']}); "
            "ask your teacher to export it again"
        ) from None
    payload = file.drill
    try:
        key = bytes.fromhex(payload.key)
    except ValueError:
        key = b""
    if not key or not signed_by(key, "drill", payload, file.signature):
        raise QuizError(
            f"{path}: the file was changed after your teacher exported it (its signature does "
            "not match); nothing was imported. Ask your teacher for a fresh copy"
        )
    with database.sessions.begin() as session:
        for drill in session.scalars(select(Drill).where(Drill.exchange.is_not(None))):
            exchange = read_exchange(drill.exchange)
            if exchange is not None and exchange.uid == payload.uid:
                raise QuizError(
                    f"{path}: the drill {drill.title!r} from this file is here already; "
                    "take it from the list of drills (d on home)"
                )
        if session.scalar(select(Drill.id).where(Drill.title == payload.title)) is not None:
            raise QuizError(
                f"{path}: a drill called {payload.title!r} exists here already; "
                "rename or delete it, then import again"
            )
        keys: dict[str, str] = {}
        questions = []
        for index, shown in enumerate(payload.questions):
            original = str(shown.get("id", ""))
            mine = local_key(original, payload.uid, index)
            stored = _placeholder(shown, mine) if payload.sealed else {**shown, "id": mine}
            try:
                question = parse_question(stored)
            except ValidationError:
                raise QuizError(
                    f"{path}: question {original or index + 1} cannot be read; "
                    "ask your teacher to export the drill again"
                ) from None
            if isinstance(question, Flashcard) and payload.sealed:
                raise QuizError(f"{path}: a sealed drill file cannot hold a flashcard")
            keys[mine] = original
            questions.append(question)
        deck = Deck(
            name=f"file-{payload.uid[:24]}",
            title=f"Drill file: {payload.title}"[:200],
            description="Questions of a drill from a file; kept out of study.",
            material="",
            created_at=now,
            updated_at=now,
        )
        session.add(deck)
        session.flush()
        for question in questions:
            session.add(
                Question(
                    key=question.id,
                    deck_id=deck.id,
                    type=question.model_dump()["type"],
                    topic=question.topic,
                    tags=list(question.tags),
                    difficulty=question.difficulty,
                    prompt=question.prompt_text,
                    fact=None,
                    data=question.model_dump(mode="json"),
                    content_hash=content_hash(question),
                    retired_at=now,  # never studied, drawn or browsed: only this drill asks it
                    created_at=now,
                    updated_at=now,
                )
            )
        settings = payload.settings
        spec = StoredSpec(
            title=payload.title,
            description=payload.description,
            questions=list(keys),
            **dict(settings),
        )
        drill = Drill(
            title=payload.title,
            created_by=None,
            spec=spec.model_dump(mode="json"),
            exchange=StudentExchange(
                uid=payload.uid,
                student=payload.student,
                key=payload.key,
                sealed=payload.sealed,
                keys=keys,
            ).model_dump(mode="json"),
            opens_at=settings.opens_at,
            closes_at=settings.closes_at,
            created_at=now,
            updated_at=now,
        )
        session.add(drill)
        session.flush()
        return ImportedDrill(drill_info(drill, None), payload.student, payload.sealed)


def drill_file_text(file: DrillFile) -> str:
    return dump_file(file)
