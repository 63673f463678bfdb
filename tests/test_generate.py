"""`quiz bank generate`: drafts from plain-text material that validate and import."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from quiz.bank.loader import load_bank
from quiz.bank.schema import Cloze
from quiz.cli import main
from quiz.core.generate import detect_items, draft_questions
from quiz.resources import builtin_bank_dir

SMALL = (
    "the old bridge over the grey river was opened on 12 may 1901 , after the town council "
    "had argued about the cost for many years the old bridge carried carts and trams across "
    "the grey river until the flood of march 3 , 1927 , when the east tower collapsed and "
    "the town council closed the crossing for good the new bridge opened in 1931 and the "
    "grey river was dredged in 1935 and again in 1960"
)
TREATY = builtin_bank_dir() / "treaty_of_paris_1856.txt"


def _by_answer(drafts: list[dict[str, Any]], kind: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for draft in drafts:
        if kind in draft["tags"]:
            answer = draft["gaps"][0]["answer"] if draft["type"] == "cloze" else draft["answers"][0]
            found.setdefault(str(answer), []).append(draft)
    return found


def test_small_text_dates_become_cloze_gaps_with_sources_from_the_text() -> None:
    drafts = draft_questions(SMALL, "bridge")
    dates = _by_answer(drafts, "date")
    assert set(dates) == {"12 may 1901", "march 3, 1927"}
    for answer, questions in dates.items():
        cloze = [q for q in questions if q["type"] == "cloze"]
        assert cloze, f"no cloze on {answer}"
        assert "{{1}}" in str(cloze[0]["text"])
        assert answer not in str(cloze[0]["text"])
        assert answer.replace(",", " ,") in str(cloze[0]["source"])
    march = next(q for q in dates["march 3, 1927"] if q["type"] == "cloze")
    accept = march["gaps"][0]["accept"]
    assert "3 March 1927" in accept and "1927-03-03" in accept
    for draft in drafts:
        assert str(draft["source"]) in SMALL
        assert draft["id"] == f"bridge-gen-{drafts.index(draft) + 1:03d}"


def test_small_text_finds_repeated_phrases_and_years() -> None:
    items = detect_items(SMALL)
    phrases = {i.key for i in items if i.kind == "phrase"}
    assert {"old bridge", "grey river", "town council"} <= phrases
    years = {i.key for i in items if i.kind == "year"}
    assert years == {"1931", "1935", "1960"}  # 1901 and 1927 belong to their dates
    assert not any(i.kind == "number" for i in items)


def test_distractors_are_other_items_of_the_same_kind_never_the_answer() -> None:
    drafts = draft_questions(SMALL, "bridge")
    choices = [d for d in drafts if d["type"] == "multiple_choice"]
    assert choices
    items = detect_items(SMALL)
    years = {i.text for i in items if i.kind == "year"} | {"1901", "1927"}
    phrases = {i.text for i in items if i.kind == "phrase"}
    for draft in choices:
        answers, options = draft["answers"], draft["choices"]
        assert isinstance(answers, list) and isinstance(options, list)
        assert len(answers) == 1 and answers[0] in options and len(options) == 4
        wrong = [c for c in options if c != answers[0]]
        assert answers[0] not in wrong and len(set(options)) == 4
        kind = draft["tags"][0]
        pool = {"year": years, "phrase": phrases}[kind]
        assert set(options) <= pool, (kind, options)
    assert any(d["tags"] == ["year"] for d in choices)  # 1931: 1935, 1960, 1901/1927 besides


def test_dates_get_multiple_choice_only_from_other_dates() -> None:
    text = (
        "the fort was begun on 1 june 1700 . the walls were finished on 2 july 1702 . "
        "the fort was besieged on 3 august 1710 . the fort was taken on 4 september 1712 . "
        "the fort was abandoned on 5 october 1790 ."
    )
    drafts = draft_questions(text, "fort")
    dated = [d for d in drafts if d["type"] == "multiple_choice" and d["tags"] == ["date"]]
    assert len(dated) == 5
    dates = {"1 june 1700", "2 july 1702", "3 august 1710", "4 september 1712", "5 october 1790"}
    for draft in dated:
        assert set(draft["choices"]) <= dates
        assert draft["answers"][0] in str(draft["source"])
        # A sentence per date: the passage stops at the full stop.
        assert str(draft["source"]).count(" on ") == 1


def test_treaty_draft_validates_and_has_enough_drafts(tmp_path: Path) -> None:
    output = tmp_path / "drafts" / "treaty.yaml"
    assert main(["bank", "generate", str(TREATY), "-o", str(output)]) == 0
    loaded, problems = load_bank(output)
    assert problems == []
    assert loaded is not None
    questions = loaded.bank.questions
    assert len(questions) >= 20
    assert loaded.bank.topics == ["draft"] and {q.topic for q in questions} == {"draft"}
    cloze_answers = {gap.answer for q in questions if isinstance(q, Cloze) for gap in q.gaps}
    assert cloze_answers & {"30 march 1856", "1856"}
    assert len({q.id for q in questions}) == len(questions)
    # Nothing from the picture captions or the reference list at the end.
    for q in questions:
        assert ".jpg" not in q.source and "jstor" not in q.source and "journal" not in q.source


def test_cli_prints_counts_and_next_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "draft.yaml"
    assert main(["bank", "generate", str(TREATY), "-o", str(output), "--max", "5"]) == 0
    out = capsys.readouterr().out
    data = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert len(data["questions"]) == 5
    assert "wrote 5 drafts" in out and "cloze" in out
    assert f"quiz bank validate {output}" in out
    assert data["deck"] == "treaty_of_paris_1856"
    # The material must sit in the bank's folder: one from elsewhere is copied next to it.
    assert data["material"] == TREATY.name
    assert (output.parent / data["material"]).read_bytes() == TREATY.read_bytes()


def test_missing_material_fails_with_a_sentence_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no_such_material.txt"
    output = tmp_path / "draft.yaml"
    assert main(["bank", "generate", str(missing), "-o", str(output)]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "not found" in err
    assert not output.exists()


def test_existing_output_is_kept_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "draft.yaml"
    output.write_text("my edits\n", encoding="utf-8")
    assert main(["bank", "generate", str(TREATY), "-o", str(output)]) == 1
    assert "--force" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == "my edits\n"
    assert main(["bank", "generate", str(TREATY), "-o", str(output), "--force"]) == 0
    assert output.read_text(encoding="utf-8") != "my edits\n"


def test_output_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "draft.yaml", tmp_path / "b" / "draft.yaml"
    assert main(["bank", "generate", str(TREATY), "-o", str(first)]) == 0
    assert main(["bank", "generate", str(TREATY), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_material_with_nothing_to_ask_about_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    material = tmp_path / "empty.txt"
    material.write_text("hello there\n", encoding="utf-8")
    output = tmp_path / "draft.yaml"
    assert main(["bank", "generate", str(material), "-o", str(output)]) == 1
    assert "nothing to ask about" in capsys.readouterr().err
    assert not output.exists()
