"""Bank use cases: validate, import (all-or-nothing upsert by id), export, and grading a
sample answer the way the app would (for a teacher testing an accept list)."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from quiz.bank.gc_pause import paused_gc
from quiz.bank.loader import (
    MAX_BANK_BYTES,
    MAX_MATERIAL_BYTES,
    LoadedBank,
    LoadResult,
    Problem,
    UnreadableFile,
    bank_fingerprint,
    load_banks,
    read_limited,
)
from quiz.bank.schema import Cloze, QuestionBase, ShortAnswer, parse_question
from quiz.bank.schema import bank_json_schema as bank_json_schema  # for the CLI
from quiz.errors import QuizError
from quiz.services.answering import GapsResponse, TypedResponse, check_response
from quiz.services.database import BUILTIN_BANK_KEY, Database
from quiz.store.bulk import execute_many
from quiz.store.engine import refresh_statistics
from quiz.store.models import AppState, Deck, Question


class BankProblems(QuizError):
    """Bank files with problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "\n".join(str(p) for p in problems)
            + f"\n{len(problems)} problem(s) found; nothing was imported. Fix them and run again."
        )


@dataclass
class DeckImport:
    """What importing one bank file changed in its deck."""

    deck: str
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    unchanged: int = 0
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)

    def __str__(self) -> str:
        if not self.changed:
            return f"{self.deck}: unchanged, nothing to do"
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.added, "added"),
                (self.updated, "updated"),
                (self.retired, "retired"),
                (self.restored, "restored"),
                (self.unchanged, "unchanged"),
            )
            if n
        ]
        return f"{self.deck}: " + ", ".join(parts)


@dataclass
class ImportReport:
    decks: list[DeckImport] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(d.changed for d in self.decks)


def _unchanged_files(database: Database, paths: list[Path]) -> dict[Path, str]:
    """The files identical (with their material) to a deck's last import, by deck name."""
    with database.sessions() as session:
        decks = session.execute(select(Deck.name, Deck.material, Deck.fingerprint)).all()
    unchanged = {}
    for path in paths:
        try:
            raw = read_limited(path, MAX_BANK_BYTES)
        except UnreadableFile:
            continue  # the loader reports it
        for name, material, fingerprint in decks:
            try:
                material_bytes = read_limited(path.parent / material, MAX_MATERIAL_BYTES)
            except UnreadableFile:
                continue
            if fingerprint == bank_fingerprint(raw, material_bytes):
                unchanged[path] = name
    return unchanged


def validate_paths(paths: Iterable[Path]) -> LoadResult:
    """Load and check bank files without touching a database."""
    return load_banks(paths)


def content_hash(question: QuestionBase) -> str:
    """A fingerprint of everything in a question; equal hashes mean nothing changed. An
    empty `synonyms` list is left out, so questions imported before the field existed keep
    their hash."""
    return _hash_of(question.model_dump(mode="json"))


_HASH_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)  # json.dumps's output


def _hash_of(fields: dict[str, Any]) -> str:
    """`content_hash` of a question's JSON-ready fields (its `model_dump(mode="json")`)."""
    if fields.get("synonyms") == []:
        fields = fields.copy()
        del fields["synonyms"]
    return hashlib.sha256(_HASH_ENCODER.encode(fields).encode()).hexdigest()


@lru_cache(maxsize=4096)
def _tags_text(tags: tuple[str, ...]) -> str:
    """A question's tags as the JSON text SQLAlchemy would store (json.dumps), made once
    for each set of tags: most questions of a bank share theirs (or have none)."""
    return json.dumps(list(tags))


def _row(
    question: QuestionBase, fields: dict[str, Any], digest: str, deck_id: int, now: datetime
) -> dict[str, Any]:
    """A question's row in `questions`: its fields (dumped for their hash), and `data` and
    `tags` as JSON text (execute_many's `as_text`)."""
    return {
        "key": question.id,
        "deck_id": deck_id,
        "type": fields["type"],
        "topic": question.topic,
        "tags": _tags_text(tuple(fields["tags"])),
        "difficulty": question.difficulty,
        "prompt": question.prompt_text,
        "fact": question.fact,
        "data": question.model_dump_json(),  # pydantic's serialiser: twice json.dumps's speed
        "content_hash": digest,
        "retired_at": None,
        "updated_at": now,
    }


_QUESTIONS = cast(Table, Question.__table__)
_ROW_COLUMNS = ("key", "deck_id", "type", "topic", "tags", "difficulty", "prompt", "fact")
# Core statements, run once each with the rows of every question they concern (the
# driver's executemany): the ORM's bulk path adds per-row bookkeeping and nothing this needs.
_INSERT_QUESTIONS = insert(_QUESTIONS)
_UPDATE_QUESTIONS = (
    update(_QUESTIONS)
    .where(_QUESTIONS.c.id == bindparam("row_id"))
    .values(
        {
            name: bindparam(f"new_{name}")  # a column's own name is reserved for SET
            for name in (*_ROW_COLUMNS, "data", "content_hash", "retired_at", "updated_at")
        }
    )
)
_RETIRE_QUESTIONS = (
    update(_QUESTIONS)
    .where(_QUESTIONS.c.id == bindparam("row_id"))
    .values(retired_at=bindparam("new_retired_at"), updated_at=bindparam("new_updated_at"))
)
_Existing = Row[int, str, int, str, datetime | None]  # id, key, deck_id, hash, retired_at
_AS_TEXT = ("data", "new_data", "tags", "new_tags")  # given as JSON text by `_row`
_KEYS_PER_QUERY = 5000  # well under every backend's limit of bound parameters


def _existing_questions(session: Session, deck_id: int, keys: list[str]) -> dict[str, _Existing]:
    """The deck's questions and any other deck's with one of `keys`, by key: one query for
    the deck, and the keys looked up in batches (Core rows: no ORM loading per row)."""
    table = _QUESTIONS.c
    columns = (table.id, table.key, table.deck_id, table.content_hash, table.retired_at)
    connection = session.connection()
    found = {
        row.key: row for row in connection.execute(select(*columns).where(table.deck_id == deck_id))
    }
    elsewhere = select(*columns).where(  # the IN list a parameter: no coercion per key
        table.key.in_(bindparam("keys", expanding=True)), table.deck_id != deck_id
    )
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        batch = keys[start : start + _KEYS_PER_QUERY]
        found.update((row.key, row) for row in connection.execute(elsewhere, {"keys": batch}))
    return found


def _upsert_deck(
    session: Session,
    loaded: LoadedBank,
    now: datetime,
    problems: list[Problem],
    whole_deck: bool = True,
) -> DeckImport:
    """Add, update (and, when the file is the `whole_deck`, retire) one deck's questions.

    A file that adds to a deck (`whole_deck=False`: a spreadsheet or an Anki package)
    retires nothing and leaves an existing deck's title and description as they are.
    An id another deck owns is added to `problems`, never moved. One query reads what
    the deck has, and one statement each adds, updates and retires (with many rows)."""
    bank = loaded.bank
    report = DeckImport(bank.deck)
    deck = session.scalar(select(Deck).where(Deck.name == bank.deck))
    if deck is not None and deck.fingerprint == loaded.fingerprint:
        report.unchanged = len(bank.questions)
        report.skipped = True
        return report
    if deck is None:
        deck = Deck(name=bank.deck, created_at=now, material=bank.material)
        session.add(deck)
        whole_deck = True  # a new deck takes the file's title
    if whole_deck:
        deck.title, deck.description = bank.title, bank.description
        deck.material = bank.material
    deck.fingerprint, deck.updated_at = loaded.fingerprint, now
    session.flush()

    keys = [q.id for q in bank.questions]
    existing = _existing_questions(session, deck.id, keys)
    owners = {row.deck_id for row in existing.values()} - {deck.id}
    if owners:
        names = dict(session.execute(select(Deck.id, Deck.name).where(Deck.id.in_(owners))).all())
        problems += [
            Problem(
                loaded.path,
                1,
                key,
                "id",
                f"id already belongs to deck {names[row.deck_id]!r} in the database, not to "
                f"deck {bank.deck!r}; ids are unique across decks (the question and its "
                f"history stay where they are), so give this question a new id",
            )
            for key, row in existing.items()
            if row.deck_id != deck.id
        ]
        return report
    inserts, updates = [], []
    for question in bank.questions:
        fields = question.model_dump(mode="json")
        digest = _hash_of(fields)
        old = existing.get(question.id)
        if old is None:
            row = _row(question, fields, digest, deck.id, now)
            del row["retired_at"]  # NULL without a value to convert per row
            inserts.append({**row, "created_at": now})
            report.added += 1
        elif old.content_hash != digest or old.retired_at is not None:
            row = _row(question, fields, digest, deck.id, now)
            updates.append({"row_id": old.id, **{f"new_{name}": row[name] for name in row}})
            if old.retired_at is not None:
                report.restored += 1
            else:
                report.updated += 1
        else:
            report.unchanged += 1
    in_file = set(keys)
    retire = [
        {"row_id": old.id, "new_retired_at": now, "new_updated_at": now}
        for key, old in existing.items()
        if whole_deck and key not in in_file and old.retired_at is None
    ]
    report.retired = len(retire)
    for statement, rows in (
        (_INSERT_QUESTIONS, inserts),
        (_UPDATE_QUESTIONS, updates),
        (_RETIRE_QUESTIONS, retire),
    ):
        execute_many(session.connection(), statement, rows, as_text=_AS_TEXT)
    return report


@paused_gc()
def import_banks(
    database: Database,
    paths: Iterable[Path],
    now: datetime,
    mark_builtin: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Validate every file, then upsert all of them in one transaction (or change nothing).

    Files whose bytes and material match what their deck was last imported from are not
    parsed again. A dry run counts the same and rolls back."""
    paths = list(paths)
    unchanged = _unchanged_files(database, paths)
    result = load_banks(p for p in paths if p not in unchanged)
    if not result.ok:
        raise BankProblems(result.problems)
    report = ImportReport([DeckImport(deck, skipped=True) for deck in unchanged.values()])
    if mark_builtin:
        problems: list[Problem] = []
        with database.sessions.begin() as session:
            session.merge(AppState(key=BUILTIN_BANK_KEY, value=now.isoformat()))
            for loaded in result.banks:
                report.decks.append(_upsert_deck(session, loaded, now, problems))
            if problems:
                raise BankProblems(problems)  # rolls the whole import back
        if any(not deck.skipped for deck in report.decks):
            refresh_statistics(database.engine)
        return report
    report.decks += import_loaded(database, result.banks, now, dry_run=dry_run).decks
    return report


def import_loaded(
    database: Database,
    banks: Iterable[LoadedBank],
    now: datetime,
    whole_deck: bool = True,
    dry_run: bool = False,
    also: Callable[[Session], None] | None = None,
) -> ImportReport:
    """Upsert banks that are already loaded (from another format) in one transaction.

    A dry run does the same work and rolls it back, so its counts are exactly what a real
    run would do. `also` runs in the same transaction after the upserts (e.g. history)."""
    report = ImportReport()
    problems: list[Problem] = []
    with database.sessions() as session:
        try:
            with paused_gc():  # not around `also`, whose work (e.g. history) is its own
                for loaded in banks:
                    report.decks.append(_upsert_deck(session, loaded, now, problems, whole_deck))
            if problems:
                raise BankProblems(problems)  # rolls the whole import back
            if also is not None:
                session.flush()
                also(session)
        except BaseException:
            session.rollback()
            raise
        if dry_run:
            session.rollback()
        else:
            session.commit()
    if not dry_run and any(not deck.skipped for deck in report.decks):
        refresh_statistics(database.engine)
    return report


def export_questions(database: Database, include_retired: bool = False) -> list[dict[str, Any]]:
    """Every question as a JSON-ready dict, in deck then id order."""
    query = select(Question, Deck.name).join(Deck).order_by(Deck.name, Question.key)
    if not include_retired:
        query = query.where(Question.retired_at.is_(None))
    out = []
    with database.sessions() as session:
        for question, deck in session.execute(query):
            data = question.data
            out.append(
                {
                    "id": question.key,
                    "deck": deck,
                    "type": question.type,
                    "topic": question.topic,
                    "tags": question.tags,
                    "difficulty": question.difficulty,
                    "prompt": question.prompt,
                    "answers": _answers(data),
                    "choices": parse_question(data).choice_list,
                    "source": data["source"],
                    "explanation": data["explanation"],
                    "retired": question.retired_at is not None,
                    "question": data,
                }
            )
    return out


def _answers(data: dict[str, Any]) -> list[Any]:
    """Accepted answers: for a cloze, one list per gap; for ordering, the items in order."""
    kind = data["type"]
    if kind == "flashcard":
        return [data["back"]]
    if kind == "multiple_choice":
        return list(data["answers"])
    if kind == "true_false":
        return [data["answer"]]
    if kind == "cloze":
        return [[gap["answer"], *gap["accept"]] for gap in data["gaps"]]
    if kind == "short_answer":
        return [data["answer"], *data["accept"]]
    return list(data["items"])


@dataclass(frozen=True)
class SampleGrade:
    """How the app grades an answer: right or wrong, the accepted answer it matched (one per
    gap for a cloze) and why."""

    question_id: str
    correct: bool
    matched: str | list[str | None] | None
    reason: str
    feedback: str

    def to_json(self) -> dict[str, Any]:
        return {"correct": self.correct, "matched": self.matched, "reason": self.reason}


def grade_sample(database: Database, question_id: str, answers: list[str]) -> SampleGrade:
    """Grade `answers` (one; or one per gap of a cloze) to the question with bank id
    `question_id` exactly as a review would."""
    with database.sessions() as session:
        row = session.scalar(select(Question).where(Question.key == question_id))
        if row is None:
            raise QuizError(
                f"there is no question with id {question_id!r}; "
                "list the ids with `quiz bank export`"
            )
        question = parse_question(row.data)
    if isinstance(question, ShortAnswer):
        if len(answers) != 1:
            raise QuizError(
                f"{question_id} is a short answer question: give one answer "
                f"(in quotes if it has spaces), not {len(answers)}"
            )
        checked = check_response(question, TypedResponse(typed=answers[0]))
        return SampleGrade(
            question_id, checked.correct, checked.matched, checked.reason, checked.feedback
        )
    if isinstance(question, Cloze):
        if len(answers) != len(question.gaps):
            raise QuizError(
                f"{question_id} has {len(question.gaps)} gap(s): give one answer per gap "
                f"(in quotes if it has spaces), not {len(answers)}"
            )
        checked = check_response(question, GapsResponse(gaps=tuple(answers)))
        reasons = "; ".join(f"gap {n}: {gap.reason}" for n, gap in enumerate(checked.gaps, start=1))
        matched: list[str | None] = [gap.matched for gap in checked.gaps]
        return SampleGrade(question_id, checked.correct, matched, reasons, checked.feedback)
    raise QuizError(
        f"{question_id} is a {row.type.replace('_', ' ')} question: only short answer "
        "and cloze answers are typed, so only they can be graded here"
    )
