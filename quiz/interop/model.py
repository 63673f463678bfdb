"""What every format maps to and from: decks of bank questions, plus what was left out.

A reader turns a file into `ImportedDeck`s (questions as the bank schema's models) and a
list of `Skipped` items; a writer takes `ExportDeck`s and lists what it could not express.
Readers raise `FormatError` for input that is wrong (nothing is imported then), and skip
what is right but has no place in our types.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quiz.bank.schema import QuestionBase, parse_question

# An imported question's explanation and source when the file has none: the bank schema
# wants both, and a learner should see where the question came from.
NO_EXPLANATION = "No explanation came with this question."
IMPORTED_FROM = "Imported from "  # + the file's name: the source of a question without one


def imported_source(path: Path) -> str:
    return IMPORTED_FROM + path.name


SLUG_CHARACTERS = re.compile(r"[^a-z0-9]+")
ID_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


class FormatError(Exception):
    """The file is not what its format says; the message names the place and what to do."""

    def __init__(self, path: Path, where: str | None, message: str) -> None:
        self.path, self.where, self.message = path, where, message
        place = f"{path}: {where}" if where else str(path)
        super().__init__(f"{place}: {message}")


@dataclass(frozen=True)
class Skipped:
    """An item of a file left out, with where it is (line, note) and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason}


@dataclass
class ImportedDeck:
    """One deck read from a file. `name` is a deck slug; `title` keeps the file's own name
    (an Anki deck's `Parent::Child`)."""

    name: str
    title: str
    description: str = ""
    questions: list[QuestionBase] = field(default_factory=list)


@dataclass
class ReadResult:
    """Everything a reader found in one file."""

    decks: list[ImportedDeck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # files the notes refer to, not imported
    # Question fields the format cannot carry: an import keeps a known question's own.
    unheld: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExportDeck:
    """A deck to write: its slug, title, description and active questions."""

    name: str
    title: str
    description: str
    questions: list[QuestionBase]


@dataclass
class WriteResult:
    """What a writer wrote and what it had to leave out."""

    written: int = 0
    skipped: list[Skipped] = field(default_factory=list)


Tick = Callable[[int, int], None]
"""Told (done, total) as a reader or writer goes through a file's items (the TUI's bar)."""


class Ticker:
    """Tells `tick` how far along the work is, every `every` items and at the end (not on
    every item: the bar is in another thread)."""

    def __init__(self, tick: Tick | None, total: int, every: int = 200) -> None:
        self.tick, self.total, self.every = tick, total, every
        self.done = self.told = 0

    def at(self, done: int) -> None:
        self.done = done
        if self.tick is not None and (done - self.told >= self.every or done >= self.total):
            self.told = done
            self.tick(min(done, self.total), self.total)

    def step(self) -> None:
        self.at(self.done + 1)


def slug(text: str, fallback: str = "imported") -> str:
    """A deck slug (lower case, digits and -) for a free-form name; `A::B` becomes `a--b`."""
    parts = [SLUG_CHARACTERS.sub("-", part.lower()).strip("-") for part in text.split("::")]
    name = "--".join(p for p in parts if p)[:64].strip("-")
    return name or fallback


def derived_id(prefix: str, *parts: str) -> str:
    """A stable question id for an item that brings none: the same item, the same id."""
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]
    return f"{prefix}-{digest}"


def safe_id(text: str) -> str | None:
    """`text` if it is a valid question id, else None."""
    text = text.strip()
    if text and len(text) <= 64 and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", text):
        return text
    return None


def build_question(data: dict[str, Any], where: str, skipped: list[Skipped]) -> QuestionBase | None:
    """Validate a question built from a file; a question the schema refuses is skipped."""
    try:
        return parse_question(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field_name = ".".join(str(part) for part in first["loc"][1:]) or "question"
        message = first["msg"].removeprefix("Value error, ")
        skipped.append(Skipped(where, f"{field_name}: {message}"))
        return None
