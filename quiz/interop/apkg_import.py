"""Anki notes as bank questions.

A note of one of our own note types (quiz.interop.anki_notetypes) comes back as the
question it was written from. Any other cloze note type becomes a cloze question (each
`{{cN::answer::hint}}` a gap, hint kept); any other note type with two fields that hold
text becomes a flashcard (fields named like Front/Back are preferred, else the first two).
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quiz.interop import anki_notetypes as ours
from quiz.interop.apkg_read import Collection, Note, NoteType, open_package
from quiz.interop.html import html_to_text
from quiz.interop.model import (
    NO_EXPLANATION,
    FormatError,
    ImportedDeck,
    ReadResult,
    Skipped,
    Tick,
    Ticker,
    build_question,
    derived_id,
    imported_source,
    safe_id,
    slug,
)

_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
FRONT_NAMES = ("front", "question", "term", "word", "prompt", "text", "expression")
BACK_NAMES = ("back", "answer", "definition", "meaning", "reading")
EXTRA_NAMES = ("back extra", "extra", "explanation", "notes", "note")
_PREFIXED = ("topic::", "difficulty::", "fact::")


@contextmanager
def read_apkg(
    path: Path, tick: Tick | None = None
) -> Iterator[tuple[ReadResult, Collection, dict[int, str]]]:
    """The package's questions by deck, the collection (for its history) and the question
    id given to each note id; the collection is only valid inside the `with`. `tick` is
    told how many notes are read."""
    with open_package(path) as collection:
        result, ids = collection_questions(path, collection, tick)
        yield result, collection, ids


def collection_questions(
    path: Path, collection: Collection, tick: Tick | None = None
) -> tuple[ReadResult, dict[int, str]]:
    result = ReadResult()
    ticker = Ticker(tick, len(collection.notes))
    decks: dict[str, ImportedDeck] = {}
    ids: dict[int, str] = {}
    media: set[str] = set()
    for note in collection.notes:
        ticker.step()
        where = f"note {note.id} (guid {note.guid})"
        note_type = collection.notetypes.get(note.notetype_id)
        if note_type is None:
            result.skipped.append(Skipped(where, "its note type is missing from the package"))
            continue
        deck_name = collection.decks.get(note.deck_id or 0, "Imported")
        texts: list[str] = []
        for raw in note.fields:
            text, refs = html_to_text(raw)
            texts.append(text)
            media.update(refs)
        fields = dict(zip(note_type.fields, texts, strict=False))
        data = _question_data(note, note_type, fields, deck_name, path, where, result.skipped)
        if data is None:
            continue
        question = build_question(data, where, result.skipped)
        if question is None:
            continue
        deck = decks.setdefault(deck_name, ImportedDeck(slug(deck_name), deck_name))
        deck.questions.append(question)
        ids[note.id] = question.id
    if collection.notes and not decks:
        first = result.skipped[0] if result.skipped else None
        raise FormatError(
            path,
            first.where if first else None,
            (first.reason if first else "no note could be read")
            + f"; none of the {len(collection.notes)} notes has fields we can use, so nothing "
            "was imported",
        )
    result.decks = list(decks.values())
    result.media = sorted(media)
    return result, ids


def anki_question_id(guid: str) -> str:
    """Our id for a note Anki made: its GUID, hex-encoded so any GUID makes a valid id (and
    an export gives the note its GUID back)."""
    encoded = "anki-" + guid.encode().hex()
    return encoded if len(encoded) <= 64 else derived_id("anki", guid)


def _split_tags(tags: list[str], own: bool) -> tuple[dict[str, str], list[str]]:
    prefixed, plain = {}, []
    for tag in tags:
        prefix = next((p for p in _PREFIXED if tag.startswith(p)), None)
        value = tag.replace("_", " ") if own else tag
        if prefix:
            prefixed[prefix[:-2]] = value[len(prefix) :]
        else:
            plain.append(value)
    return prefixed, plain


def _question_data(
    note: Note,
    note_type: NoteType,
    fields: dict[str, str],
    deck_name: str,
    path: Path,
    where: str,
    skipped: list[Skipped],
) -> dict[str, Any] | None:
    own = ours.BY_ID.get(note_type.id) or ours.BY_NAME.get(note_type.name)
    if own is not None and tuple(note_type.fields) != own.fields:
        own = None  # renamed or changed in Anki: read it like any other note
    prefixed, tags = _split_tags(note.tags, own is not None)
    difficulty = prefixed.get("difficulty", "2")
    common: dict[str, Any] = {
        "id": anki_question_id(note.guid),
        "topic": prefixed.get("topic") or deck_name.split("::")[-1],
        "tags": tags,
        "difficulty": int(difficulty) if difficulty in ("1", "2", "3") else 2,
        "explanation": NO_EXPLANATION,
        "source": imported_source(path),
    }
    if "fact" in prefixed:
        common["fact"] = prefixed["fact"]
    if own is not None:
        common["id"] = safe_id(fields["Id"]) or common["id"]
        common["explanation"] = fields["Explanation"] or NO_EXPLANATION
        common["source"] = fields["Source"] or common["source"]
        return {**common, **_own_fields(own.kind, fields, where, skipped)}
    extra = next((fields[n] for n in note_type.fields if n.lower() in EXTRA_NAMES), "")
    if extra:
        common["explanation"] = extra
    if note_type.cloze:
        text = fields.get("Text") or (next(iter(fields.values()), "") if fields else "")
        cloze = cloze_from_anki(text, where, skipped)
        return None if cloze is None else {**common, **cloze}
    front, back = _front_back(note_type, fields)
    if front is None or back is None:
        skipped.append(
            Skipped(
                where,
                f"note type {note_type.name!r} has no two fields with text we can use as "
                "question and answer",
            )
        )
        return None
    return {**common, "type": "flashcard", "front": front, "back": back}


def _front_back(note_type: NoteType, fields: dict[str, str]) -> tuple[str | None, str | None]:
    names = [n for n in note_type.fields if fields.get(n)]
    named_front = next((n for n in names if n.lower() in FRONT_NAMES), None)
    named_back = next((n for n in names if n.lower() in BACK_NAMES and n != named_front), None)
    rest = [n for n in names if n not in (named_front, named_back) and n.lower() not in EXTRA_NAMES]
    front = named_front or (rest.pop(0) if rest else None)
    back = named_back or (rest.pop(0) if rest else None)
    return (fields[front] if front else None), (fields[back] if back else None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _own_fields(
    kind: str, fields: dict[str, str], where: str, skipped: list[Skipped]
) -> dict[str, Any]:
    if kind == "flashcard":
        return {"type": kind, "front": fields["Front"], "back": fields["Back"]}
    if kind == "short_answer":
        return {
            "type": kind,
            "prompt": fields["Prompt"],
            "answer": fields["Answer"],
            "accept": _lines(fields["Accept"]),
        }
    if kind == "cloze":
        cloze = cloze_from_anki(fields["Text"], where, skipped, keep_numbers=True) or {}
        for line in _lines(fields["Accept"]):
            number, _, alternative = line.partition(":")
            gaps = cloze.get("gaps", [])
            if number.strip().isdigit() and 0 < int(number) <= len(gaps):
                gaps[int(number) - 1]["accept"].append(alternative.strip())
        return cloze
    if kind == "multiple_choice":
        return {
            "type": kind,
            "prompt": fields["Prompt"],
            "choices": _lines(fields["Choices"]),
            "answers": _lines(fields["Answers"]),
        }
    if kind == "true_false":
        answer = fields["Answer"].strip().lower()
        return {"type": kind, "prompt": fields["Statement"], "answer": answer in ("true", "yes")}
    return {"type": kind, "prompt": fields["Prompt"], "items": _lines(fields["Items"])}


def cloze_from_anki(
    text: str, where: str, skipped: list[Skipped], keep_numbers: bool = False
) -> dict[str, Any] | None:
    """An Anki cloze text as our cloze: `{{cN::answer::hint}}` marks become `{{k}}` gaps.

    When every c number appears once, gaps follow the c numbers (`keep_numbers`: exactly
    them); a number that appears several times gives one gap per appearance."""
    marks = list(_CLOZE.finditer(text))
    if not marks:
        skipped.append(Skipped(where, "a cloze note without any {{c1::...}} deletion"))
        return None
    numbers = [int(mark.group(1)) for mark in marks]
    unique = len(set(numbers)) == len(numbers)
    order = sorted(numbers) if unique else list(range(len(marks)))
    gaps: list[dict[str, Any]] = [{} for _ in marks]
    pieces, last = [], 0
    for index, mark in enumerate(marks):
        slot = (
            (numbers[index] if keep_numbers else order.index(numbers[index]) + 1)
            if unique
            else index + 1
        )
        if slot > len(marks):
            skipped.append(Skipped(where, f"cloze numbers skip one (c{numbers[index]})"))
            return None
        pieces += [text[last : mark.start()], "{{" + str(slot) + "}}"]
        last = mark.end()
        gap: dict[str, Any] = {"answer": mark.group(2).strip(), "accept": []}
        if mark.group(3) and mark.group(3).strip():
            gap["hint"] = mark.group(3).strip()
        gaps[slot - 1] = gap
    pieces.append(text[last:])
    joined = "".join(pieces)
    if "{{c" in joined:
        skipped.append(Skipped(where, "nested cloze deletions are not supported"))
        return None
    return {"type": "cloze", "text": joined, "gaps": gaps}
