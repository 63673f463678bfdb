"""Anki packages for tests, made by tools that are not our code.

Legacy layout (collection.anki2, JSON media map): genanki, with Anki's stock Basic and
Cloze note types. Current layout (collection.anki21b + meta + stub collection.anki2,
zstd protobuf media map): the real Anki engine (the `anki` wheel, headless), which also
answers cards to make a review log. Tests that need it skip when it is not installed.
"""

import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import genanki
import pytest


def legacy_package(path: Path) -> Path:
    """A genanki package: a nested deck with Basic notes (one with HTML and an image), a
    cloze with a hint and a repeated c number, and tags."""
    basic = genanki.BASIC_MODEL
    cloze = genanki.CLOZE_MODEL
    deck = genanki.Deck(2_059_400_110, "Languages::French")
    deck.add_note(
        genanki.Note(
            basic,
            ["<b>le chat</b>", 'the cat<br><img src="cat.jpg">'],
            tags=["animals", "topic::nouns"],
            guid="abcDEF123!",
        )
    )
    deck.add_note(genanki.Note(basic, ["le chien", "the dog &amp; friend"], guid="dog-guid"))
    deck.add_note(
        genanki.Note(
            cloze,
            ["Paris is the {{c1::capital::city}} of {{c2::France}}.", "Extra words"],
            guid="cloze-guid",
        )
    )
    deck.add_note(genanki.Note(cloze, ["{{c1::Un}} et {{c1::deux}}", ""], guid="same-number"))
    genanki.Package([deck]).write_to_file(str(path))
    return path


def anki_engine() -> Any:
    """The `anki` module, or skip the test with the reason."""
    return pytest.importorskip("anki.collection", reason="the anki wheel is not installed")


@contextmanager
def anki_collection() -> Iterator[Any]:
    collection_module = anki_engine()
    folder = tempfile.mkdtemp(prefix="anki-test-")
    collection = collection_module.Collection(os.path.join(folder, "collection.anki2"))
    try:
        yield collection
    finally:
        collection.close()


def current_package(path: Path, notes: int = 3, reviews: int = 0, fsrs: bool = False) -> Path:
    """A package written by the Anki engine in its default (current) layout: Basic notes
    in `Top::Sub` (one referring to a sound), a cloze with a hint, and, with `reviews`,
    that many answers given through Anki's own scheduler (Good)."""
    collection_module = anki_engine()
    from anki.decks import DeckId

    with anki_collection() as collection:
        if fsrs:
            collection.set_config("fsrs", True)
        deck_id = collection.decks.id("Top::Sub")
        basic = collection.models.by_name("Basic")
        for index in range(notes):
            note = collection.new_note(basic)
            note["Front"] = f"Question <i>{index}</i>"
            note["Back"] = f"Answer {index}" + (" [sound:say.mp3]" if index == 0 else "")
            note.tags = ["anki", "set::one"]
            collection.add_note(note, DeckId(deck_id))
        cloze = collection.new_note(collection.models.by_name("Cloze"))
        cloze["Text"] = "Signed in {{c1::Paris::city}} in {{c2::1856}}"
        collection.add_note(cloze, DeckId(deck_id))
        collection.decks.select(deck_id)
        for _ in range(reviews):
            card = collection.sched.getCard()
            if card is None:
                break
            collection.sched.answerCard(card, 3)
        collection.export_anki_package(
            out_path=str(path),
            options=collection_module.ExportAnkiPackageOptions(
                with_scheduling=reviews > 0,
                with_deck_configs=False,
                with_media=True,
                legacy=False,
            ),
            limit=None,
        )
    return path


def import_into_anki(package: Path) -> Any:
    """Import a package into a fresh collection with the real engine; returns
    (note count, card count, note type names, the import log)."""
    collection_module = anki_engine()
    with anki_collection() as collection:
        log = collection.import_anki_package(
            collection_module.ImportAnkiPackageRequest(
                package_path=str(package),
                options=collection_module.ImportAnkiPackageOptions(merge_notetypes=True),
            )
        ).log
        again = collection.import_anki_package(
            collection_module.ImportAnkiPackageRequest(
                package_path=str(package),
                options=collection_module.ImportAnkiPackageOptions(merge_notetypes=True),
            )
        ).log
        names = sorted(m["name"] for m in collection.models.all())
        decks = sorted(d["name"] for d in collection.decks.all())
        return collection.note_count(), collection.card_count(), names, decks, log, again


def rezip(
    source: Path, target: Path, extra: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()
) -> Path:
    """A copy of a package with entries dropped or added (for bad-input tests)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename not in drop:
                new.writestr(info, old.read(info.filename))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target
