"""Anki packages: what we write imports into the real Anki engine (and again as updates),
and what Anki and genanki write imports here, in both layouts; bad packages change
nothing."""

import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.bank.schema import Cloze, Flashcard, parse_question
from quiz.cli import main
from quiz.errors import QuizError
from quiz.interop.anki_notetypes import NOTE_TYPES
from quiz.services.database import Database, open_database
from quiz.services.interop import export_file, import_file
from quiz.store.models import Deck, Question
from tests.anki_packages import current_package, import_into_anki, legacy_package, rezip
from tests.conftest import NOW


@pytest.fixture
def empty(sqlite_url: str) -> Database:
    return open_database(sqlite_url, NOW, import_builtin=False)


def _questions(database: Database) -> dict[str, tuple[str, str, object]]:
    """key -> (deck name, deck title, parsed question)"""
    with database.sessions() as session:
        rows = session.execute(
            select(Question.key, Deck.name, Deck.title, Question.data).join(Deck)
        )
        return {key: (name, title, parse_question(data)) for key, name, title, data in rows}


def _count(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Question)) or 0)


def test_export_imports_into_real_anki_and_again_as_updates(
    sqlite_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.apkg"
    summary = export_file(sqlite_database, path, "apkg")
    assert summary.written == _count(sqlite_database) and summary.skipped == []
    notes, cards, names, decks, first, again = import_into_anki(path)
    assert notes == summary.written
    assert {n.name for n in NOTE_TYPES} <= set(names)
    clozes = [q for _, _, q in _questions(sqlite_database).values() if isinstance(q, Cloze)]
    assert cards == notes - len(clozes) + sum(len(q.gaps) for q in clozes)  # one card a gap
    assert len(first.new) == notes
    # the second import finds every note by its GUID: nothing new, no copy of a note type
    assert len(again.new) == 0 and len(again.duplicate) + len(again.updated) == notes
    assert sum(1 for n in names if n.startswith("quiz:")) == len(NOTE_TYPES)
    assert "The Treaty of Paris (1856)" in decks


def test_cloze_notes_are_real_clozes_and_short_answers_type_in(
    sqlite_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.apkg"
    export_file(sqlite_database, path, "apkg")
    with zipfile.ZipFile(path) as archive:
        (tmp_path / "c.db").write_bytes(archive.read("collection.anki2"))
    import sqlite3

    with sqlite3.connect(tmp_path / "c.db") as db:
        models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
        fields = [row[0].split("\x1f") for row in db.execute("SELECT flds FROM notes")]
        tags = {tag for (row,) in db.execute("SELECT tags FROM notes") for tag in row.split()}
    by_name = {m["name"]: m for m in models.values()}
    assert by_name["quiz: cloze"]["type"] == 1
    assert "{{type:Answer}}" in by_name["quiz: type in the answer"]["tmpls"][0]["qfmt"]
    assert any("{{c2::" in f[0] for f in fields)
    assert all(" " not in tag for tag in tags) and any(t.startswith("topic::") for t in tags)


def test_export_then_import_changes_nothing(sqlite_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "bank.apkg"
    export_file(sqlite_database, path, "apkg")
    before = _questions(sqlite_database)
    summary = import_file(sqlite_database, path, NOW)
    assert summary.count("unchanged") == len(before)
    assert summary.count("added") == summary.count("updated") == 0
    assert _questions(sqlite_database) == before


def test_legacy_genanki_package_imports_with_decks_tags_html_and_media(
    empty: Database, tmp_path: Path
) -> None:
    summary = import_file(empty, legacy_package(tmp_path / "french.apkg"), NOW)
    assert summary.count("added") == 4 and summary.skipped == []
    assert summary.media == ["cat.jpg"]
    questions = {
        q.front if isinstance(q, Flashcard) else q.text: (name, title, q)
        for name, title, q in _questions(empty).values()
    }
    name, title, cat = questions["le chat"]
    assert (name, title) == ("languages--french", "Languages::French")
    assert isinstance(cat, Flashcard) and cat.back == "the cat"
    assert cat.tags == ["animals"] and cat.topic == "nouns"
    assert questions["le chien"][2].back == "the dog & friend"  # type: ignore[attr-defined]
    cloze = questions["Paris is the {{1}} of {{2}}."][2]
    assert isinstance(cloze, Cloze)
    assert [(g.answer, g.hint) for g in cloze.gaps] == [("capital", "city"), ("France", None)]
    assert cloze.explanation == "Extra words"
    assert cloze.prompt_text == "Paris is the _____ (city) of _____."
    repeated = questions["{{1}} et {{2}}"][2]
    assert [g.answer for g in repeated.gaps] == ["Un", "deux"]  # type: ignore[attr-defined]


def test_current_package_is_read_not_its_stub(empty: Database, tmp_path: Path) -> None:
    path = current_package(tmp_path / "current.apkg")
    with zipfile.ZipFile(path) as archive:
        assert {"meta", "collection.anki21b", "collection.anki2", "media"} <= set(
            archive.namelist()
        )
    summary = import_file(empty, path, NOW)
    assert summary.count("added") == 4
    texts = [getattr(q, "front", getattr(q, "text", "")) for _, _, q in _questions(empty).values()]
    assert not any("update" in t.lower() for t in texts)
    assert "Question 0" in texts
    assert {title for _, title, _ in _questions(empty).values()} == {"Top::Sub"}
    assert summary.media == ["say.mp3"]


def test_current_package_with_media_map_lists_the_files(empty: Database, tmp_path: Path) -> None:
    from quiz.interop.apkg_read import open_package

    path = current_package(tmp_path / "current.apkg")
    with open_package(path) as collection:
        assert collection.layout == "collection.anki21b"
        assert collection.decks and "Top::Sub" in collection.decks.values()


def test_import_again_is_unchanged_and_dry_run_writes_nothing(
    empty: Database, tmp_path: Path
) -> None:
    path = legacy_package(tmp_path / "french.apkg")
    dry = import_file(empty, path, NOW, dry_run=True)
    assert dry.count("added") == 4 and _count(empty) == 0
    import_file(empty, path, NOW)
    again = import_file(empty, path, NOW)
    assert again.count("unchanged") == 4 and again.count("added") == 0


def test_exported_anki_notes_keep_their_guid(empty: Database, tmp_path: Path) -> None:
    path = legacy_package(tmp_path / "french.apkg")
    import_file(empty, path, NOW)
    out = tmp_path / "back.apkg"
    export_file(empty, out, "apkg")
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "c.db").write_bytes(archive.read("collection.anki2"))
    import sqlite3

    with sqlite3.connect(tmp_path / "c.db") as db:
        guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert {"abcDEF123!", "dog-guid", "cloze-guid", "same-number"} == guids


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("front,back\n"), "not an Anki package"),
        (
            lambda p: rezip(legacy_package(p.with_name("l.apkg")), p, drop=("collection.anki2",)),
            "no Anki collection",
        ),
        (
            lambda p: rezip(legacy_package(p.with_name("l.apkg")), p, extra={"../evil": b"x"}),
            "leads out of the package",
        ),
        (
            lambda p: rezip(
                legacy_package(p.with_name("l.apkg")),
                p,
                drop=("collection.anki2",),
                extra={"collection.anki2": b"not sqlite" * 10},
            ),
            "collection",
        ),
    ],
    ids=["not-a-zip", "no-collection", "path-traversal", "damaged-collection"],
)
def test_bad_packages_are_refused_and_change_nothing(
    empty: Database, tmp_path: Path, make: object, message: str
) -> None:
    path = tmp_path / "bad.apkg"
    make(path)  # type: ignore[operator]
    with pytest.raises(QuizError, match=message) as error:
        import_file(empty, path, NOW)
    assert str(path) in str(error.value) and "nothing was imported" in str(error.value)
    assert _count(empty) == 0
    assert not (tmp_path.parent / "evil").exists()


def test_zip_bomb_is_refused(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", b"\0" * (64 * 1024 * 1024))
    with pytest.raises(QuizError, match="zip bomb"):
        import_file(empty, path, NOW)
    assert _count(empty) == 0


def test_note_type_without_usable_fields_is_refused(empty: Database, tmp_path: Path) -> None:
    import genanki

    model = genanki.Model(
        1_999_000_001,
        "One field",
        fields=[{"name": "Only"}],
        templates=[{"name": "c", "qfmt": "{{Only}}", "afmt": "{{Only}}"}],
    )
    deck = genanki.Deck(1_999_000_002, "Odd")
    deck.add_note(genanki.Note(model, ["lonely"], guid="lonely"))
    path = tmp_path / "odd.apkg"
    genanki.Package([deck]).write_to_file(str(path))
    with pytest.raises(QuizError, match=r"note 1.*no two fields with text") as error:
        import_file(empty, path, NOW)
    assert "odd.apkg" in str(error.value)


def test_cli_import_export_json_and_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    package = legacy_package(tmp_path / "french.apkg")
    assert main(["--db", db, "bank", "import", str(package), "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["added"] == 4 and dry["media"] == ["cat.jpg"]
    assert main(["--db", db, "bank", "import", str(package)]) == 0
    assert "4 added, 0 updated, 0 unchanged, 0 skipped" in capsys.readouterr().out
    out = tmp_path / "out.apkg"
    assert (
        main(
            [
                "--db",
                db,
                "bank",
                "export",
                "--format",
                "apkg",
                "-o",
                str(out),
                "--deck",
                "languages--french",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["written"] == 4 and out.exists()
    assert (
        main(
            [
                "--db",
                db,
                "bank",
                "export",
                "--format",
                "apkg",
                "-o",
                str(tmp_path / "dry.apkg"),
                "--dry-run",
            ]
        )
        == 0
    )
    assert not (tmp_path / "dry.apkg").exists()
    renamed = tmp_path / "cards.csv"
    renamed.write_bytes(package.read_bytes())
    assert main(["--db", db, "bank", "import", str(renamed)]) == 1
    assert "cards.csv: this is a zip file (an Anki package?)" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize("kind", ["apkg", "csv", "gift", "json"])
def test_export_to_a_folder_that_takes_no_file_is_refused_with_a_next_step(
    sqlite_database: Database, kind: str
) -> None:
    """/proc is a folder where no file can be made, even by root (the TUI crashed here)."""
    with pytest.raises(QuizError, match=r"cannot write /proc/bank\.\w+ \(.+\); check the folder"):
        export_file(sqlite_database, Path(f"/proc/bank.{kind}"), kind)
