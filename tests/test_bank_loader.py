"""Bank files: every problem is reported at once, located as file:line: id: field: message."""

from pathlib import Path

import pytest

from quiz.bank.loader import load_bank, load_banks
from quiz.bank.schema import Cloze, MultipleChoice, ShortAnswer, bank_json_schema

MATERIAL = "the treaty of paris was signed on 30 march 1856 at the congress of paris"

HEADER = """\
deck: test-deck
title: Test deck
material: material.txt
questions:
"""

GOOD_QUESTION = """\
  - id: q-date
    type: short_answer
    topic: dates
    tags: [1856]
    difficulty: 1
    prompt: When was the treaty signed?
    answer: 30 March 1856
    accept: ["March 30, 1856", 1856-03-30]
    explanation: It was signed at the congress.
    source: signed on 30 march 1856
"""


def write_bank(folder: Path, body: str, material: str | None = MATERIAL) -> Path:
    if material is not None:
        (folder / "material.txt").write_text(material)
    path = folder / "bank.yaml"
    path.write_text(HEADER + body)
    return path


def test_a_good_file_loads_with_numbers_and_dates_kept_as_text(tmp_path: Path) -> None:
    loaded, problems = load_bank(write_bank(tmp_path, GOOD_QUESTION))
    assert problems == []
    assert loaded is not None
    question = loaded.bank.questions[0]
    assert isinstance(question, ShortAnswer)
    assert question.tags == ["1856"]
    assert question.accepted_answers == ["30 March 1856", "March 30, 1856", "1856-03-30"]


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = write_bank(tmp_path, GOOD_QUESTION + "  - id: [unclosed\n")
    loaded, problems = load_bank(path)
    assert loaded is None
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{path}:")
    assert "YAML syntax error" in str(problems[0])


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    body = (
        GOOD_QUESTION
        + """\
  - id: q-bad-type
    type: essay
    topic: x
  - id: q-missing
    type: short_answer
    topic: dates
    difficulty: 1
    prompt: Where?
    explanation: e
    source: the congress of paris
  - id: q-date
    type: true_false
    topic: dates
    difficulty: 2
    prompt: It was signed in London.
    answer: false
    explanation: e
    source: the congress of london
"""
    )
    path = write_bank(tmp_path, body)
    loaded, problems = load_bank(path)
    assert loaded is None
    lines = [str(p) for p in problems]
    assert f"{path}:16: question q-bad-type: type: unknown question type 'essay'" in lines[0]
    assert f"{path}:18: question q-missing: answer: is missing" in lines
    assert any(
        line.startswith(f"{path}:25: question q-date: id: duplicate id (first used on line 5)")
        for line in lines
    )
    assert any(
        line.startswith(f"{path}:32: question q-date: source: quote not found word for word")
        for line in lines
    )


def test_a_missing_material_file_is_named(tmp_path: Path) -> None:
    path = write_bank(tmp_path, GOOD_QUESTION, material=None)
    loaded, problems = load_bank(path)
    assert loaded is None
    assert "material file" in str(problems[0])
    assert str(tmp_path / "material.txt") in str(problems[0])
    assert str(problems[0]).startswith(f"{path}:3: material:")


def test_a_missing_bank_file_is_reported(tmp_path: Path) -> None:
    _, problems = load_bank(tmp_path / "nope.yaml")
    assert [p.message for p in problems] == ["file not found; check the path"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "type: multiple_choice\n    prompt: p\n    choices: [a, b]\n    answers: c",
            "not among the choices",
        ),
        (
            "type: multiple_choice\n    prompt: p\n    choices: [a, a]\n    answers: a",
            "choices must all be different",
        ),
        (
            "type: cloze\n    text: signed on {{1}}\n    gaps: [{answer: x}, {answer: y}]",
            "mark each of the 2 gaps",
        ),
        ("type: ordering\n    prompt: p\n    items: [a, a]", "items must all be different"),
        (
            "type: short_answer\n    prompt: p\n    answer: a\n    colour: red",
            "colour: is not a field",
        ),
    ],
)
def test_type_rules_are_checked(tmp_path: Path, question: str, message: str) -> None:
    body = f"""\
  - id: q1
    topic: t
    difficulty: 1
    explanation: e
    source: signed on 30 march 1856
    {question}
"""
    _, problems = load_bank(write_bank(tmp_path, body))
    assert any(message in str(p) for p in problems), problems


def test_topics_list_is_enforced(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    (tmp_path / "material.txt").write_text(MATERIAL)
    path.write_text(HEADER.replace("questions:", "topics: [causes]\nquestions:") + GOOD_QUESTION)
    _, problems = load_bank(path)
    assert [p.message for p in problems] == ["topic 'dates' is not in the bank's topics (causes)"]


def test_question_types_parse_to_their_models(tmp_path: Path) -> None:
    body = (
        GOOD_QUESTION
        + """\
  - id: q-mc
    type: multiple_choice
    topic: t
    difficulty: 1
    prompt: Where?
    choices: [Paris, London, Vienna]
    answers: Paris
    explanation: e
    source: at the congress of paris
  - id: q-cloze
    type: cloze
    topic: t
    difficulty: 1
    text: signed on {{1}} at the congress of {{2}}
    gaps:
      - answer: 30 March 1856
      - answer: Paris
        accept: [paris]
    explanation: e
    source: at the congress of paris
"""
    )
    loaded, problems = load_bank(write_bank(tmp_path, body))
    assert problems == [] and loaded is not None
    mc, cloze = loaded.bank.questions[1], loaded.bank.questions[2]
    assert isinstance(mc, MultipleChoice) and mc.answers == ["Paris"]
    assert isinstance(cloze, Cloze)
    assert cloze.prompt_text == "signed on _____ at the congress of _____"


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_bank(tmp_path / "a", GOOD_QUESTION)
    second = write_bank(tmp_path / "b", GOOD_QUESTION.replace("test-deck", "other"))
    second.write_text(second.read_text().replace("deck: test-deck", "deck: other"))
    result = load_banks([first, second])
    assert not result.ok
    assert "id is also used in" in str(result.problems[0])


def test_json_schema_describes_every_question_type() -> None:
    schema = bank_json_schema()
    assert schema["title"] == "BankFile"
    names = set(schema["$defs"])
    assert {"Flashcard", "MultipleChoice", "TrueFalse", "Cloze", "ShortAnswer", "Ordering"} <= names
