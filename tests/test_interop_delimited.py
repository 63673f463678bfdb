"""CSV and TSV: Anki's text format with its headers, Quizlet's two columns, quoting,
encodings; a bad row stops the import with its line and changes nothing."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.bank.schema import Flashcard, ShortAnswer, parse_question
from quiz.cli import main
from quiz.errors import QuizError
from quiz.services.database import Database, open_database
from quiz.services.interop import ImportOptions, export_file, import_file
from quiz.store.models import Deck, Question
from tests.anki_packages import anki_collection
from tests.conftest import NOW


@pytest.fixture
def empty(sqlite_url: str) -> Database:
    return open_database(sqlite_url, NOW, import_builtin=False)


def _questions(database: Database) -> list[tuple[str, object]]:
    with database.sessions() as session:
        rows = session.execute(
            select(Deck.title, Question.data).join(Deck).order_by(Question.id)
        ).all()
        return [(title, parse_question(data)) for title, data in rows]


def _count(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Question)) or 0)


def test_quizlet_tsv_becomes_flashcards_in_the_named_deck(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "quizlet.tsv"
    path.write_text("le chat\tthe cat\nle chien\tthe dog\n", encoding="utf-8")
    summary = import_file(empty, path, NOW, options=ImportOptions(deck="french"))
    assert summary.count("added") == 2
    (title, first), _ = _questions(empty)
    assert title == "quizlet"
    assert isinstance(first, Flashcard) and (first.front, first.back) == ("le chat", "the cat")
    with empty.sessions() as session:
        assert session.scalars(select(Deck.name)).all() == ["french"]
    again = import_file(empty, path, NOW, options=ImportOptions(deck="french"))
    assert again.count("unchanged") == 2


def test_default_type_short_answer(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("capital of France\tParis\n", encoding="utf-8")
    import_file(empty, path, NOW, options=ImportOptions(default_type="short_answer"))
    [(_, question)] = _questions(empty)
    assert isinstance(question, ShortAnswer) and question.answer == "Paris"


def test_anki_headers_quotes_html_tags_and_deck_columns(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "anki.csv"
    path.write_text(
        "#separator:Semicolon\n#html:true\n#tags column:3\n#deck column:4\n"
        '"a; b";"line one<br>line two";tag1 tag2;Top::Sub\n'
        '"quoted ""word""";"multi\nline";;Other\n',
        encoding="utf-8",
    )
    summary = import_file(empty, path, NOW)
    assert summary.count("added") == 2
    (title1, one), (title2, two) = _questions(empty)
    assert isinstance(one, Flashcard) and isinstance(two, Flashcard)
    assert (title1, one.front, one.back, one.tags) == (
        "Top::Sub",
        "a; b",
        "line one\nline two",
        ["tag1", "tag2"],
    )
    assert (title2, two.front, two.back) == ("Other", 'quoted "word"', "multi line")


def test_a_utf8_bom_is_dropped_and_utf16_is_read(empty: Database, tmp_path: Path) -> None:
    bom = tmp_path / "bom.tsv"
    bom.write_bytes("\ufeffcafé\tcoffee\n".encode())
    utf16 = tmp_path / "utf16.tsv"
    utf16.write_bytes("thé\ttea\n".encode("utf-16"))
    import_file(empty, bom, NOW)
    import_file(empty, utf16, NOW)
    fronts = [q.front for _, q in _questions(empty)]  # type: ignore[attr-defined]
    assert fronts == ["café", "thé"]


def test_another_encoding_is_refused_with_its_line(empty: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("one,two\ncafé,coffee\n".encode("latin-1"))
    with pytest.raises(QuizError, match=r"latin.csv: line 2: .*not UTF-8.*nothing was imported"):
        import_file(empty, path, NOW)
    assert _count(empty) == 0


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a,b\nc,d\nonly one field\n", 3, "needs a question and an answer"),
        ('a,b\n"open quote,b\nc,d\n', 2, "cannot be read"),
        ("#columns:Front,Back,Type\na,b,flashcard\nq,maybe,true_false\n", 3, "answer"),
        ("a,\n", 1, "back"),
    ],
    ids=["one-field", "unclosed-quote", "bad-true-false", "empty-answer"],
)
def test_a_malformed_row_stops_everything(
    empty: Database, tmp_path: Path, text: str, line: int, reason: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuizError, match=f"bad.csv: line {line}: .*{reason}") as error:
        import_file(empty, path, NOW)
    assert "nothing was imported" in str(error.value)
    assert _count(empty) == 0


def test_export_and_import_again_keeps_every_question(
    sqlite_database: Database, tmp_path: Path, sqlite_url: str
) -> None:
    for kind in ("csv", "tsv"):
        path = tmp_path / f"bank.{kind}"
        summary = export_file(sqlite_database, path, kind)
        assert summary.skipped == []
        fresh = open_database(f"sqlite:///{tmp_path / kind}.db", NOW, import_builtin=False)
        import_file(fresh, path, NOW)
        assert sorted(_questions(fresh), key=str) == sorted(_questions(sqlite_database), key=str)


def test_the_anki_engine_reads_our_csv(sqlite_database: Database, tmp_path: Path) -> None:
    """Anki's own text importer understands the headers we write (deck column, tags)."""
    path = tmp_path / "bank.csv"
    export_file(sqlite_database, path, "csv")
    with anki_collection() as collection:
        from anki.collection import ImportCsvRequest

        metadata = collection.get_csv_metadata(str(path), None)
        assert metadata.delimiter == metadata.COMMA
        assert metadata.is_html is False
        assert metadata.tags_column == 3 and metadata.deck_column == 4
        log = collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
        assert len(log.new) == _count(sqlite_database)
        assert "The Treaty of Paris (1856)" in [d["name"] for d in collection.decks.all()]


def test_cli_csv_import_with_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.csv"
    path.write_text("What is 2+2?,4\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    args = ["--db", db, "bank", "import", str(path), "--deck", "maths", "--type", "short_answer"]
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["added"] == 1 and data["decks"][0]["deck"] == "maths"


@pytest.mark.parametrize(
    "first_row", ["Question,Answer", "front,back,tags", "Term,Definition,Deck"]
)
def test_a_first_row_naming_the_columns_is_not_imported(
    empty: Database, tmp_path: Path, first_row: str
) -> None:
    path = tmp_path / "sheet.csv"
    extra = ",x" if first_row.count(",") == 2 else ""
    path.write_text(f"{first_row}\nle chat,the cat{extra}\nle chien,the dog{extra}\n")
    summary = import_file(empty, path, NOW)
    assert summary.count("added") == 2
    fronts = [(q.front, q.back) for _, q in _questions(empty) if isinstance(q, Flashcard)]
    assert sorted(fronts) == [("le chat", "the cat"), ("le chien", "the dog")]


def test_a_first_row_that_only_looks_like_names_is_a_question(
    empty: Database, tmp_path: Path
) -> None:
    """Only a row whose every cell names a column is taken as the names."""
    path = tmp_path / "sheet.csv"
    path.write_text("Question,What is asked\nle chat,the cat\n")
    assert import_file(empty, path, NOW).count("added") == 2
