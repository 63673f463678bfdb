"""Write decks as an Anki package (.apkg) with genanki.

genanki writes the legacy collection schema, which every current Anki (desktop 2.1.x to
25.x, AnkiDroid, AnkiMobile) still imports. Note GUIDs come from our question ids and the
note types have fixed ids (quiz.interop.anki_notetypes), so importing a second export
updates the notes in Anki instead of duplicating them.
"""

import hashlib
import random
import re
from pathlib import Path

import genanki

from quiz.bank.schema import (
    GAP_MARK,
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    QuestionBase,
    ShortAnswer,
    TrueFalse,
)
from quiz.interop.anki_notetypes import BY_KIND, CSS, NoteType
from quiz.interop.html import text_to_html
from quiz.interop.model import ExportDeck, Skipped, Tick, Ticker, WriteResult

_ANKI_ID = re.compile(r"^anki-((?:[0-9a-f]{2})+)$")
_CLOZE_SYNTAX = ("{{", "}}", "::")


class Unexpressible(Exception):
    """A question Anki's note types cannot hold as it is; the message says why."""


def genanki_model(note_type: NoteType) -> genanki.Model:
    return genanki.Model(
        note_type.id,
        note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[{"name": "Card 1", "qfmt": note_type.front, "afmt": note_type.back}],
        css=CSS,
        model_type=genanki.Model.CLOZE if note_type.cloze else genanki.Model.FRONT_BACK,
    )


def note_guid(question_id: str) -> str:
    """The note's GUID: the original Anki GUID for a question imported from Anki (its id
    carries it), else one derived from our id. The same question, the same GUID."""
    match = _ANKI_ID.match(question_id)
    if match:
        try:
            return bytes.fromhex(match.group(1)).decode()
        except UnicodeDecodeError:
            pass
    return str(genanki.guid_for("quiz", question_id))


def safe_tag(tag: str) -> str:
    """Anki tags cannot hold spaces: they become underscores."""
    return re.sub(r"\s+", "_", tag.strip())


def note_tags(question: QuestionBase) -> list[str]:
    tags = [f"topic::{question.topic}", f"difficulty::{question.difficulty}"]
    if question.fact:
        tags.append(f"fact::{question.fact}")
    return [safe_tag(tag) for tag in [*tags, *question.tags]]


def _lines(items: list[str], what: str) -> str:
    if any("\n" in item for item in items):
        raise Unexpressible(f"a {what} has a line break, and the note keeps one {what} a line")
    return "<br>".join(text_to_html(item) for item in items)


def cloze_text(question: Cloze) -> str:
    """The cloze text with each gap as `{{cN::answer}}` (or `{{cN::answer::hint}}`)."""
    if any(mark in GAP_MARK.sub(" ", question.text) for mark in _CLOZE_SYNTAX):
        raise Unexpressible("its text holds {{, }} or ::, which Anki reads as cloze syntax")

    def gap(mark: re.Match[str]) -> str:
        number = int(mark.group(1))
        answer = question.gaps[number - 1]
        parts = [answer.answer, *([answer.hint] if answer.hint else [])]
        if any(syntax in part for part in parts for syntax in (*_CLOZE_SYNTAX, "}")):
            raise Unexpressible(f"gap {number} holds {{, }} or ::, which Anki reads as syntax")
        return "{{c" + str(number) + "::" + "::".join(text_to_html(p) for p in parts) + "}}"

    pieces = []
    last = 0
    for mark in GAP_MARK.finditer(question.text):
        pieces.append(text_to_html(question.text[last : mark.start()]))
        pieces.append(gap(mark))
        last = mark.end()
    pieces.append(text_to_html(question.text[last:]))
    return "".join(pieces)


def note_fields(question: QuestionBase) -> list[str]:
    """The note's fields before the common ones (explanation, source, id), as HTML."""
    if isinstance(question, Flashcard):
        return [text_to_html(question.front), text_to_html(question.back)]
    if isinstance(question, ShortAnswer):
        return [
            text_to_html(question.prompt),
            text_to_html(question.answer),
            _lines(question.accept, "accepted answer"),
        ]
    if isinstance(question, Cloze):
        accept = [
            f"{number}: {alternative}"
            for number, gap in enumerate(question.gaps, start=1)
            for alternative in gap.accept
        ]
        return [cloze_text(question), _lines(accept, "accepted answer")]
    if isinstance(question, MultipleChoice):
        return [
            text_to_html(question.prompt),
            _lines(question.choices, "choice"),
            _lines(question.answers, "answer"),
        ]
    if isinstance(question, TrueFalse):
        return [text_to_html(question.prompt), "True" if question.answer else "False"]
    if isinstance(question, Ordering):
        shuffled = list(question.items)
        random.Random(question.id).shuffle(shuffled)
        return [
            text_to_html(question.prompt),
            _lines(question.items, "item"),
            _lines(shuffled, "item"),
        ]
    raise Unexpressible(f"{type(question).__name__} has no Anki note type")


def deck_id(name: str) -> int:
    """A stable Anki deck id for a deck name."""
    return 1 << 30 | int.from_bytes(hashlib.sha1(name.encode()).digest()[:4]) >> 2


def anki_deck_name(deck: ExportDeck, root: str | None, several: bool) -> str:
    """The deck's name in Anki: its title, under `root::` when one is given for several."""
    if root is None:
        return deck.title
    return f"{root}::{deck.title}" if several else root


def write_apkg(
    decks: list[ExportDeck], path: Path, root: str | None = None, tick: Tick | None = None
) -> WriteResult:
    """Write the decks to `path` as one package; questions Anki cannot hold are listed.
    `tick` is told how many questions are made notes (then the package is written)."""
    result = WriteResult()
    ticker = Ticker(tick, sum(len(deck.questions) for deck in decks))
    models = {kind: genanki_model(note_type) for kind, note_type in BY_KIND.items()}
    anki_decks = []
    for deck in decks:
        name = anki_deck_name(deck, root, len(decks) > 1)
        anki_deck = genanki.Deck(deck_id(name), name, deck.description)
        for question in deck.questions:
            ticker.step()
            kind = question.model_dump()["type"]
            try:
                fields = note_fields(question)
            except Unexpressible as why:
                result.skipped.append(Skipped(f"question {question.id}", str(why)))
                continue
            anki_deck.add_note(
                genanki.Note(
                    model=models[kind],
                    fields=[
                        *fields,
                        text_to_html(question.explanation),
                        text_to_html(question.source),
                        question.id,
                    ],
                    tags=note_tags(question),
                    guid=note_guid(question.id),
                )
            )
            result.written += 1
        anki_decks.append(anki_deck)
    genanki.Package(anki_decks).write_to_file(str(path))
    return result
