"""Moodle GIFT: the constructs of Moodle's documentation in, our questions out (escaped),
what GIFT cannot hold listed with its line and reason."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.bank.schema import Cloze, Flashcard, MultipleChoice, ShortAnswer, TrueFalse
from quiz.errors import QuizError
from quiz.interop.gift import read_gift
from quiz.services.database import Database, open_database
from quiz.services.interop import export_file, import_file
from quiz.store.models import Question
from tests.conftest import NOW

# After the examples of Moodle's GIFT documentation.
MOODLE = """\
// question: 1 name: Grant's tomb
::Q1:: Who's buried in Grant's tomb?{~Grant ~Jefferson =no one#Right! ####Nobody is.}

$CATEGORY: $course$/top/History/Presidents

Grant is {~buried =entombed ~living} in Grant's tomb.

Grant was buried in a tomb in New York City.{T}

The sun rises in the west.{FALSE#No, the east.}

Truth?{TRUE}

Who's buried in Grant's tomb?{=no one =nobody =%50%no-one}

Two plus two equals {=four =4} in arithmetic.

What two people are entombed in Grant's tomb? {
   ~%-100%No one
   ~%50%Grant
   ~%50%Grant's wife
   ~%-100%Grant's father
}

When was Ulysses S. Grant born?{#1822:0}

How many years? {#3..5}

What is pi?{#3.14159:0.0005}

Match the following countries with their corresponding capitals. {
   =Canada -> Ottawa
   =Italy  -> Rome
}

Write an essay about Grant. {}

::Escapes::[html]Which are <b>special</b> in GIFT\\: \\~ \\= \\# \\{ \\}?{=all of them\\: \\~\\=}

This is a description without an answer.
"""


@pytest.fixture
def gift_file(tmp_path: Path) -> Path:
    path = tmp_path / "moodle.gift"
    path.write_text(MOODLE, encoding="utf-8")
    return path


def test_moodle_documentation_examples(gift_file: Path) -> None:
    result = read_gift(gift_file)
    decks = {deck.title: deck for deck in result.decks}
    assert set(decks) == {"moodle", "History"}
    first = decks["moodle"].questions[0]
    assert isinstance(first, MultipleChoice) and first.id == "Q1"
    assert first.answers == ["no one"] and first.explanation == "Nobody is."
    questions = decks["History"].questions
    by_prompt = {
        getattr(q, "prompt", None) or getattr(q, "front", None) or q.text: q for q in questions
    }  # type: ignore[attr-defined]
    assert all(q.topic == "Presidents" for q in questions)
    missing = by_prompt["Grant is _____ in Grant's tomb."]
    assert isinstance(missing, MultipleChoice) and missing.answers == ["entombed"]
    assert by_prompt["Grant was buried in a tomb in New York City."].answer is True  # type: ignore[attr-defined]
    west = by_prompt["The sun rises in the west."]
    assert isinstance(west, TrueFalse) and not west.answer and west.explanation == "No, the east."
    short = by_prompt["Who's buried in Grant's tomb?"]
    assert isinstance(short, ShortAnswer) and short.accepted_answers == ["no one", "nobody"]
    cloze = by_prompt["Two plus two equals {{1}} in arithmetic."]
    assert isinstance(cloze, Cloze) and cloze.gaps[0].all == ["four", "4"]
    several = by_prompt["What two people are entombed in Grant's tomb?"]
    assert isinstance(several, MultipleChoice) and several.answers == ["Grant", "Grant's wife"]
    assert by_prompt["When was Ulysses S. Grant born?"].answer == "1822"  # type: ignore[attr-defined]
    years = by_prompt["How many years?"]
    assert isinstance(years, ShortAnswer) and years.accepted_answers == ["3", "4", "5"]
    pairs = [q for q in questions if isinstance(q, Flashcard)]
    assert [(p.front.splitlines()[-1], p.back) for p in pairs] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
    ]
    escapes = next(q for q in questions if q.id == "Escapes")
    assert isinstance(escapes, ShortAnswer)
    assert escapes.prompt == "Which are special in GIFT: ~ = # { }?"
    assert escapes.answer == "all of them: ~="
    reasons = {item.where: item.reason for item in result.skipped}

    def line_of(start: str) -> str:
        number = next(n for n, t in enumerate(MOODLE.splitlines(), 1) if t.startswith(start))
        return f"line {number}"

    assert "50%" in reasons[line_of("Who's buried in Grant's tomb?{=no one =nobody")]
    assert "decimals" in reasons[line_of("What is pi?")]
    assert "essay" in reasons[line_of("Write an essay")]
    assert "description" in reasons[line_of("This is a description")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q {=a\n", "line 1: the answer's { has no closing }"),
        ("First {T}\n\nQ {?what}\n", "line 3: unknown answer"),
        ("Q {=a} and {=b}\n", "line 1: a second { ... }"),
    ],
)
def test_constructs_that_are_not_gift_stop_the_import(
    sqlite_url: str, tmp_path: Path, text: str, message: str
) -> None:
    database = open_database(sqlite_url, NOW, import_builtin=False)
    path = tmp_path / "bad.gift"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuizError, match=message) as error:
        import_file(database, path, NOW)
    assert "bad.gift" in str(error.value) and "nothing was imported" in str(error.value)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Question)) == 0


def test_export_escapes_and_lists_what_gift_cannot_hold(
    sqlite_database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "bank.gift"
    summary = export_file(sqlite_database, path, "gift")
    text = path.read_text(encoding="utf-8")
    assert "$CATEGORY: $course$/top/The Treaty of Paris (1856)/" in text
    assert "::tp-" in text and "####" in text
    reasons = {item.where: item.reason for item in summary.skipped}
    assert "no GIFT form" in reasons["question tp-peace-chain"]  # ordering
    kinds = {r.split(" question")[0] for r in reasons.values()}
    assert kinds and summary.written + len(summary.skipped) > summary.written
    again = read_gift(path)
    assert sum(len(d.questions) for d in again.decks) == summary.written


def test_gift_export_imports_unchanged_into_the_same_database(
    sqlite_database: Database, tmp_path: Path
) -> None:
    """Fields GIFT cannot carry (tags, difficulty, source) are kept from the question."""
    path = tmp_path / "bank.gift"
    written = export_file(sqlite_database, path, "gift").written
    summary = import_file(sqlite_database, path, NOW)
    assert summary.count("unchanged") == written and summary.count("updated") == 0
