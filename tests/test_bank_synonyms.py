"""A typed question's own `synonyms`: validated in the bank file, stored, used by the grader
(review and `quiz bank grade`), and given back by export."""

import json
from pathlib import Path

import pytest

from quiz.bank.loader import load_bank
from quiz.bank.schema import ShortAnswer, parse_question
from quiz.cli import main
from quiz.services.bank import export_questions, grade_sample, import_banks
from quiz.services.database import Database
from tests.conftest import NOW

MATERIAL = "the allies razed the fortresses of bomarsund and the ports of the black sea"

BANK = """\
deck: syn
title: Synonyms deck
material: material.txt
questions:
  - id: syn-razed
    type: short_answer
    topic: terms
    difficulty: 1
    prompt: What did the allies do to the fortresses of Bomarsund?
    answer: razed them
    synonyms:
      - [razed, demolished, pulled down]
    explanation: The allies razed them.
    source: razed the fortresses of bomarsund
  - id: syn-ports
    type: cloze
    topic: terms
    difficulty: 1
    text: The allies razed the fortresses and the {{1}} of the Black Sea.
    gaps: [{answer: ports}]
    synonyms: [ports, harbours, harbors]  # one group may be written flat
    explanation: The text names the ports.
    source: the ports of the black sea
"""


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "syn.yaml"
    path.write_text(BANK)
    return path


def test_a_question_s_synonyms_count_only_for_that_question(
    database: Database, bank_file: Path
) -> None:
    import_banks(database, [bank_file], NOW)
    razed = grade_sample(database, "syn-razed", ["they pulled them down"])
    assert razed.correct and razed.matched == "razed them" and "synonym" in razed.reason
    assert grade_sample(database, "syn-ports", ["harbours"]).correct
    # not a general synonym: the grader alone does not know it
    from quiz.core.grading import grade_text

    assert not grade_text("demolished them", ["razed them"]).correct
    # and the grader stays strict with the question's synonyms on
    assert not grade_sample(database, "syn-razed", ["they did not demolish them"]).correct
    assert not grade_sample(database, "syn-razed", ["rebuilt them"]).correct


def test_synonyms_are_stored_and_exported_as_written(database: Database, bank_file: Path) -> None:
    import_banks(database, [bank_file], NOW)
    exported = {q["id"]: q for q in export_questions(database)}
    stored = exported["syn-razed"]["question"]
    assert stored["synonyms"] == [["razed", "demolished", "pulled down"]]
    assert exported["syn-ports"]["question"]["synonyms"] == [["ports", "harbours", "harbors"]]
    loaded, problems = load_bank(bank_file)
    assert loaded is not None and not problems
    again = parse_question(json.loads(json.dumps(stored)))
    assert again == loaded.bank.questions[0]
    assert isinstance(again, ShortAnswer) and again.synonyms == [
        ["razed", "demolished", "pulled down"]
    ]


def test_adding_synonyms_updates_the_question_and_an_unchanged_file_stays_unchanged(
    database: Database, bank_file: Path
) -> None:
    plain = BANK.replace("    synonyms:\n      - [razed, demolished, pulled down]\n", "")
    bank_file.write_text(plain)
    import_banks(database, [bank_file], NOW)
    assert not grade_sample(database, "syn-razed", ["demolished them"]).correct
    bank_file.write_text(BANK)
    report = import_banks(database, [bank_file], NOW)
    assert (report.decks[0].updated, report.decks[0].unchanged) == (1, 1)
    assert grade_sample(database, "syn-razed", ["demolished them"]).correct


@pytest.mark.parametrize(
    ("synonyms", "message"),
    [
        ("[[razed]]", "at least 2 items"),
        ("[[Razed, razed]]", "needs at least two different words"),
        ("razed", "valid list"),
        ("[[razed, '']]", "at least 1 character"),
    ],
)
def test_bad_synonym_groups_are_refused_with_their_line(
    tmp_path: Path, synonyms: str, message: str
) -> None:
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "syn.yaml"
    path.write_text(BANK.replace("[ports, harbours, harbors]", synonyms))
    _, problems = load_bank(path)
    assert len(problems) == 1, problems
    text = str(problems[0])
    assert message in text and f"{path}:21: question syn-ports: synonyms" in text


def test_synonyms_on_a_type_that_is_not_typed_are_refused(tmp_path: Path) -> None:
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "syn.yaml"
    path.write_text(
        BANK.replace("type: cloze", "type: true_false\n    prompt: p\n    answer: true").replace(
            "    text: The allies razed the fortresses and the {{1}} of the Black Sea.\n"
            "    gaps: [{answer: ports}]\n",
            "",
        )
    )
    _, problems = load_bank(path)
    assert any("synonyms: is not a field of this question type" in str(p) for p in problems)


def test_cli_validate_reports_a_bad_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "syn.yaml"
    path.write_text(BANK.replace("[ports, harbours, harbors]", "[[ports]]"))
    assert main(["bank", "validate", str(path)]) == 1
    assert "syn-ports: synonyms" in capsys.readouterr().err
