"""Import and export in other tools' formats: Anki packages, CSV/TSV, Moodle GIFT.

Every import goes through the bank import (quiz.services.bank.import_loaded): one
transaction, all or nothing, upsert by question id, the same per-deck counts. A dry run
does the same work and rolls it back. Every import and export ends with a `Summary`.
"""

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.bank.loader import LoadedBank
from quiz.bank.schema import BankFile, QuestionBase, parse_question
from quiz.errors import QuizError
from quiz.interop.model import (
    IMPORTED_FROM,
    NO_EXPLANATION,
    ExportDeck,
    FormatError,
    ImportedDeck,
    ReadResult,
    Skipped,
    Tick,
    WriteResult,
)
from quiz.services.bank import DeckImport, import_loaded
from quiz.services.database import Database
from quiz.store.models import Deck, Question

IMPORT_FORMATS = {
    ".apkg": "apkg",
    ".colpkg": "apkg",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".gift": "gift",
}
EXPORT_FORMATS = ("apkg", "csv", "tsv", "gift")

Progress = Callable[[str, int, int], None]
"""Told (what is happening, done, total) as an import or export goes; a total of 0 means
the step cannot say how far along it is. Called from the thread doing the work."""


def _ticks(progress: Progress | None, step: str) -> Tick | None:
    """A reader's or writer's tick that tells `progress` the step too."""
    if progress is None:
        return None
    progress(step, 0, 0)
    return lambda done, total: progress(step, done, total)


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file: the deck to put its questions in (CSV/TSV: required unless the
    file names decks), the question type for rows that do not say, and history."""

    deck: str | None = None
    default_type: str = "flashcard"
    history_profile_id: int | None = None  # --with-history: the profile to give it to


@dataclass
class Summary:
    """What an import or export did (or, in a dry run, would do)."""

    action: str  # "import" or "export"
    format: str
    path: Path
    dry_run: bool = False
    decks: list[DeckImport] = field(default_factory=list)
    written: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    history: int = 0  # answers brought in from a review log

    def count(self, what: str) -> int:
        return sum(getattr(deck, what) for deck in self.decks)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "format": self.format,
            "file": str(self.path),
            "dry_run": self.dry_run,
        }
        if self.action == "import":
            data |= {
                "added": self.count("added"),
                "updated": self.count("updated"),
                "unchanged": self.count("unchanged"),
                "decks": [
                    {
                        "deck": d.deck,
                        "added": d.added,
                        "updated": d.updated,
                        "unchanged": d.unchanged,
                    }
                    for d in self.decks
                ],
                "media": self.media,
                "history": self.history,
            }
        else:
            data["written"] = self.written
        data["skipped"] = [item.to_json() for item in self.skipped]
        return data

    def lines(self) -> list[str]:
        """The summary for people: one line of counts, then each skipped item."""
        would = "would be " if self.dry_run else ""
        if self.action == "import":
            head = (
                f"{self.path}: {self.count('added')} {would}added, {self.count('updated')} "
                f"{would}updated, {self.count('unchanged')} unchanged, "
                f"{len(self.skipped)} skipped"
            )
            if self.history:
                head += f"; {self.history} past answers {would}imported"
        else:
            head = (
                f"{self.path}: {self.written} questions {'would be ' if self.dry_run else ''}"
                f"written, {len(self.skipped)} skipped"
            )
        out = [head + (" (dry run: nothing was written)" if self.dry_run else "")]
        out += [f"  skipped {item}" for item in self.skipped]
        if self.media:
            out.append(
                f"  {len(self.media)} media file(s) referenced but not imported (text only): "
                + ", ".join(self.media[:10])
                + (" ..." if len(self.media) > 10 else "")
            )
        return out


def format_of(path: Path, given: str | None = None) -> str:
    """The format named by --format or by the file's extension."""
    if given:
        return given
    found = IMPORT_FORMATS.get(path.suffix.lower())
    if found is None:
        raise QuizError(
            f"{path}: cannot tell the format from the extension {path.suffix or '(none)'!r}; "
            "use .apkg, .csv, .tsv, .txt or .gift, or pass --format"
        )
    return found


def _fingerprint(path: Path, options: ImportOptions, deck: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    digest.update(f"\0{deck}\0{options.default_type}\0interop".encode())
    return digest.hexdigest()


def _existing_names(database: Database) -> dict[str, str]:
    """Deck titles to deck names, so a deck exported and imported again finds its deck."""
    with database.sessions() as session:
        return dict(session.execute(select(Deck.title, Deck.name)).all())


def _unique_ids(decks: list[ImportedDeck], skipped: list[Skipped]) -> None:
    seen: set[str] = set()
    for deck in decks:
        kept = []
        for question in deck.questions:
            if question.id in seen:
                skipped.append(Skipped(f"question {question.id}", "its id is used twice"))
                continue
            seen.add(question.id)
            kept.append(question)
        deck.questions = kept


def _keep_known_fields(database: Database, read: ReadResult) -> None:
    """A question we already have keeps what the file could not say: the fields the format
    does not carry, and its explanation and source where the file gave none."""
    keys = [q.id for deck in read.decks for q in deck.questions]
    known: dict[str, dict[str, Any]] = {}
    with database.sessions() as session:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            known.update(
                session.execute(
                    select(Question.key, Question.data).where(Question.key.in_(chunk))
                ).all()
            )
    if not known:
        return
    for deck in read.decks:
        for index, question in enumerate(deck.questions):
            old = known.get(question.id)
            data = question.model_dump(mode="json")
            if old is None or old.get("type") != data["type"]:
                continue
            patch = {name: old[name] for name in read.unheld if name in old}
            if data["explanation"] == NO_EXPLANATION:
                patch["explanation"] = old["explanation"]
            if data["source"].startswith(IMPORTED_FROM):
                patch["source"] = old["source"]
            if patch:
                deck.questions[index] = parse_question(data | patch)


def loaded_banks(
    database: Database, path: Path, read: ReadResult, options: ImportOptions
) -> list[LoadedBank]:
    """The decks read from a file as banks the bank import takes."""
    titles = _existing_names(database)
    _unique_ids(read.decks, read.skipped)
    _keep_known_fields(database, read)
    banks = []
    for deck in read.decks:
        if not deck.questions:
            continue
        name = options.deck or titles.get(deck.title) or deck.name
        try:
            bank = BankFile(
                deck=name,
                title=deck.title[:200],
                description=deck.description,
                material=path.name,
                questions=deck.questions,
            )
        except ValueError as error:
            raise QuizError(
                f"{path}: deck {name!r} cannot be used ({error}); pass --deck with a name of "
                "lower-case letters, digits, - and _"
            ) from None
        banks.append(LoadedBank(path, bank, path, _fingerprint(path, options, name)))
    return banks


def read_file(
    path: Path, kind: str, options: ImportOptions, tick: Tick | None = None
) -> ReadResult:
    """Read a file in a format other than our own (never touches the database)."""
    from quiz.interop import delimited, gift

    if kind == "apkg":
        from quiz.interop.apkg_import import read_apkg

        with read_apkg(path, tick) as (result, _, _):
            return result
    if kind in ("csv", "tsv"):
        return delimited.read_delimited(path, kind, options.deck, options.default_type, tick)
    if kind == "gift":
        return gift.read_gift(path, options.deck, tick)
    raise QuizError(f"{kind!r} is not a format this can import; use apkg, csv, tsv or gift")


def import_file(
    database: Database,
    path: Path,
    now: datetime,
    kind: str | None = None,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Read a file and import its questions (all or nothing); with a history profile, an
    Anki package's review log becomes that profile's answers too. `progress` is told each
    step (reading the file item by item, then the database)."""
    options = options or ImportOptions()
    kind = format_of(path, kind)
    tick = _ticks(progress, f"Reading {path.name}")
    try:
        if kind == "apkg" and options.history_profile_id is not None:
            return _import_apkg_with_history(database, path, now, options, dry_run, tick, progress)
        read = read_file(path, kind, options, tick)
    except FormatError as error:
        raise QuizError(f"{error}; nothing was imported") from None
    banks = loaded_banks(database, path, read, options)
    _database_step(progress, dry_run)
    report = import_loaded(database, banks, now, whole_deck=False, dry_run=dry_run)
    return Summary("import", kind, path, dry_run, report.decks, 0, read.skipped, read.media)


def _database_step(progress: Progress | None, dry_run: bool) -> None:
    if progress is not None:
        progress("Checking against the database" if dry_run else "Writing to the database", 0, 0)


def _import_apkg_with_history(
    database: Database,
    path: Path,
    now: datetime,
    options: ImportOptions,
    dry_run: bool,
    tick: Tick | None = None,
    progress: Progress | None = None,
) -> Summary:
    from quiz.interop.apkg_import import read_apkg
    from quiz.services.anki_history import import_history

    assert options.history_profile_id is not None
    with read_apkg(path, tick) as (read, collection, note_ids):
        banks = loaded_banks(database, path, read, options)
        _database_step(progress, dry_run)
        counted: list[int] = []

        def history(session: Session) -> None:
            counted.append(
                import_history(session, options.history_profile_id or 0, collection, note_ids, now)
            )

        report = import_loaded(
            database, banks, now, whole_deck=False, dry_run=dry_run, also=history
        )
    summary = Summary("import", "apkg", path, dry_run, report.decks, 0, read.skipped, read.media)
    summary.history = sum(counted)
    return summary


def deck_choices(database: Database) -> list[tuple[str, str]]:
    """(name, title) of every deck with active questions, by title: what can be exported."""
    query = (
        select(Deck.name, Deck.title)
        .where(Deck.id.in_(select(Question.deck_id).where(Question.retired_at.is_(None))))
        .order_by(Deck.title, Deck.name)
    )
    with database.sessions() as session:
        return [(name, title) for name, title in session.execute(query)]


def export_decks(
    database: Database, decks: list[str] | None = None, question_ids: list[str] | None = None
) -> list[ExportDeck]:
    """The active questions of every deck (or of the named decks, or the given ids)."""
    query = (
        select(Deck.name, Deck.title, Deck.description, Question.data)
        .join(Question.deck)
        .where(Question.retired_at.is_(None))
        .order_by(Deck.name, Question.key)
    )
    if decks:
        query = query.where(Deck.name.in_(decks))
    if question_ids is not None:
        query = query.where(Question.key.in_(question_ids))
    found: dict[str, tuple[str, str, list[QuestionBase]]] = {}
    with database.sessions() as session:
        for name, title, description, data in session.execute(query):
            found.setdefault(name, (title, description, []))[2].append(parse_question(data))
    missing = sorted(set(decks or []) - set(found))
    if missing:
        raise QuizError(
            f"no deck named {', '.join(missing)}; the deck names are shown by `quiz bank export`"
        )
    return [ExportDeck(name, t, d, qs) for name, (t, d, qs) in found.items()]


Writer = Callable[[list[ExportDeck], Path, Tick | None], WriteResult]


def _writer(kind: str) -> Writer:
    from quiz.interop import delimited, gift
    from quiz.interop.apkg_export import write_apkg

    writers: dict[str, Writer] = {
        "apkg": lambda decks, path, tick: write_apkg(decks, path, tick=tick),
        "csv": lambda decks, path, tick: delimited.write_delimited(decks, path, "csv", tick),
        "tsv": lambda decks, path, tick: delimited.write_delimited(decks, path, "tsv", tick),
        "gift": gift.write_gift,
    }
    if kind not in writers:
        raise QuizError(
            f"{kind!r} is not a format this can export; use apkg, csv, tsv, gift or json"
        )
    return writers[kind]


def _json_writer(
    database: Database, decks: list[str] | None, question_ids: list[str] | None
) -> Writer:
    """Our own JSON, as `quiz bank export` prints it, for the chosen decks or questions."""
    from quiz.services.bank import export_questions

    def write(chosen: list[ExportDeck], path: Path, tick: Tick | None) -> WriteResult:
        names = {deck.name for deck in chosen}
        ids = None if question_ids is None else set(question_ids)
        rows = [
            row
            for row in export_questions(database)
            if row["deck"] in names and (ids is None or row["id"] in ids)
        ]
        path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if tick is not None:
            tick(len(rows), len(rows))
        return WriteResult(written=len(rows))

    return write


def export_file(
    database: Database,
    path: Path,
    kind: str,
    decks: list[str] | None = None,
    question_ids: list[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write the questions to `path` in `kind` (apkg, csv, tsv, gift, or json: our own);
    the file appears whole or not at all. `progress` is told each step."""
    writer = _json_writer(database, decks, question_ids) if kind == "json" else _writer(kind)
    if progress is not None:
        progress("Reading the questions", 0, 0)
    chosen = export_decks(database, decks, question_ids)
    folder = path.parent if path.parent != Path("") else Path(".")
    if not folder.is_dir():
        raise QuizError(f"cannot write {path}: the folder {folder} does not exist; create it")
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=".quiz-export-", suffix=path.suffix, dir=folder)
        os.close(handle)
        result = writer(chosen, Path(temporary), _ticks(progress, f"Writing {path.name}"))
        if not dry_run:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp made it private
            os.replace(temporary, path)
    except OSError as error:
        raise QuizError(f"cannot write {path} ({error.strerror}); check the folder") from None
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
    return Summary("export", kind, path, dry_run, written=result.written, skipped=result.skipped)


def drill_question_ids(database: Database, ref: str) -> list[str]:
    """The questions a drill asks: its list, its fixed draw, or every question its draw
    rule can choose from (a new draw each attempt)."""
    from quiz.services.drills.authoring import candidates, find_drill

    spec = find_drill(database, ref).spec
    if spec.questions is not None:
        return list(spec.questions)
    if spec.drawn is not None:
        return list(spec.drawn)
    assert spec.draw is not None
    with database.sessions() as session:
        return candidates(session, spec.draw)
