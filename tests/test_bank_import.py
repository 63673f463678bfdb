"""Importing banks: all-or-nothing upserts by id that keep learners' history."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Text, func, select

from quiz.bank.loader import load_banks
from quiz.resources import builtin_bank_dir, builtin_bank_files
from quiz.services.bank import BankProblems, export_questions, import_banks
from quiz.services.cards import study_card, sync_cards
from quiz.services.database import Database, open_database
from quiz.services.profiles import get_or_create_profile
from quiz.services.reviewing import StudyRun, rate, submit
from quiz.store.models import AnswerRecord, Question
from tests.conftest import NOW
from tests.responses import respond

BANK = """\
deck: mini
title: Mini deck
material: material.txt
questions:
  - id: m-1
    type: flashcard
    topic: t
    difficulty: 1
    front: Which war?
    back: The Crimean War
    explanation: e
    source: the crimean war
  - id: m-2
    type: true_false
    topic: t
    difficulty: 1
    prompt: The treaty was signed in 1856.
    answer: true
    explanation: e
    source: signed on 30 march 1856
"""


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    (tmp_path / "material.txt").write_text(
        "the treaty was signed on 30 march 1856 to resolve the crimean war"
    )
    path = tmp_path / "mini.yaml"
    path.write_text(BANK)
    return path


def _questions(database: Database) -> dict[str, Question]:
    with database.sessions() as session:
        return {q.key: q for q in session.scalars(select(Question))}


def _record_answer(database: Database, question_id: int) -> None:
    """A learner answers the question through the review path (graded by the service)."""
    ann = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, ann.id)
    card = study_card(database, ann, question_id, NOW)
    assert card is not None
    run = StudyRun(ann)
    outcome = submit(database, run, question_id, respond(card.question), 900, NOW)
    rate(database, run, outcome.answer_id, 3, NOW)


def test_builtin_bank_is_imported_the_first_time_only(database: Database) -> None:
    exported = export_questions(database)
    expected = sum(len(b.bank.questions) for b in load_banks(builtin_bank_files()).banks)
    assert len(exported) == expected > 0
    with database.sessions.begin() as session:
        session.execute(Question.__table__.delete())
    database.close()
    again = open_database(database.engine.url.render_as_string(hide_password=False), NOW)
    assert export_questions(again) == []  # deleted by the user: not imported again
    again.close()


def test_import_then_reimport_unchanged_changes_nothing(
    database: Database, bank_file: Path
) -> None:
    first = import_banks(database, [bank_file], NOW)
    assert [str(d) for d in first.decks] == ["mini: 2 added"]
    before = _questions(database)
    second = import_banks(database, [bank_file], NOW + timedelta(days=1))
    assert not second.changed
    assert [str(d) for d in second.decks] == ["mini: unchanged, nothing to do"]
    after = _questions(database)
    assert {k: q.updated_at for k, q in after.items()} == {
        k: q.updated_at for k, q in before.items()
    }


def test_editing_a_question_keeps_its_history(database: Database, bank_file: Path) -> None:
    import_banks(database, [bank_file], NOW)
    original = _questions(database)["m-1"]
    _record_answer(database, original.id)
    bank_file.write_text(BANK.replace("back: The Crimean War", "back: Crimean War"))
    report = import_banks(database, [bank_file], NOW + timedelta(hours=1))
    assert str(report.decks[0]) == "mini: 1 updated, 1 unchanged"
    edited = _questions(database)["m-1"]
    assert edited.id == original.id
    assert edited.data["back"] == "Crimean War"
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == 1


def test_removed_questions_are_retired_then_restored(database: Database, bank_file: Path) -> None:
    import_banks(database, [bank_file], NOW)
    question_id = _questions(database)["m-2"].id
    _record_answer(database, question_id)
    bank_file.write_text(BANK.split("  - id: m-2")[0])
    report = import_banks(database, [bank_file], NOW + timedelta(hours=1))
    assert str(report.decks[0]) == "mini: 1 retired, 1 unchanged"
    retired = _questions(database)["m-2"]
    assert retired.retired_at == NOW + timedelta(hours=1)
    assert "m-2" not in {q["id"] for q in export_questions(database)}
    assert "m-2" in {q["id"] for q in export_questions(database, include_retired=True)}

    bank_file.write_text(BANK)
    report = import_banks(database, [bank_file], NOW + timedelta(hours=2))
    assert str(report.decks[0]) == "mini: 1 restored, 1 unchanged"
    restored = _questions(database)["m-2"]
    assert restored.id == question_id and restored.retired_at is None


def test_a_bad_file_imports_nothing_even_beside_a_good_one(
    database: Database, bank_file: Path, tmp_path: Path
) -> None:
    before = export_questions(database)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        BANK.replace("deck: mini", "deck: bad")
        .replace("m-", "b-")
        .replace("source: the crimean war", "source: the war of the roses")
    )
    with pytest.raises(BankProblems) as raised:
        import_banks(database, [bank_file, bad], NOW)
    assert f"{bad}:" in str(raised.value)
    assert "nothing was imported" in str(raised.value)
    assert export_questions(database) == before


def test_export_lists_the_fields_scripts_need(database: Database) -> None:
    exported = {q["id"]: q for q in export_questions(database)}
    question = exported["tp-war-declared"]
    assert question["deck"] == "treaty-of-paris-1856"
    assert question["type"] == "cloze"
    assert question["answers"][0][0] == "23 October 1853"
    assert {
        "id",
        "deck",
        "type",
        "topic",
        "prompt",
        "answers",
        "choices",
        "source",
        "explanation",
    } <= set(question)
    for item in exported.values():
        material = (builtin_bank_dir() / "treaty_of_paris_1856.txt").read_text()
        assert " ".join(item["source"].split()) in " ".join(material.split())


def test_an_id_another_deck_owns_is_refused_not_moved(
    database: Database, bank_file: Path, tmp_path: Path
) -> None:
    import_banks(database, [bank_file], NOW)
    before = _questions(database)
    _record_answer(database, before["m-1"].id)
    other = tmp_path / "other.yaml"
    other.write_text(BANK.replace("deck: mini", "deck: other").replace("id: m-2", "id: o-2"))
    with pytest.raises(BankProblems) as refused:
        import_banks(database, [other], NOW + timedelta(days=1))
    assert str(refused.value).splitlines() == [
        f"{other}:1: question m-1: id: id already belongs to deck 'mini' in the database, not to"
        " deck 'other'; ids are unique across decks (the question and its history stay where"
        " they are), so give this question a new id",
        "1 problem(s) found; nothing was imported. Fix them and run again.",
    ]
    after = _questions(database)  # all or nothing: no deck 'other', no o-2, m-1 not moved
    assert set(after) == set(before) and "o-2" not in after
    assert after["m-1"].deck_id == before["m-1"].deck_id
    assert "other" not in {question["deck"] for question in export_questions(database)}
    with database.sessions() as session:
        answers = session.scalar(
            select(func.count()).where(AnswerRecord.question_id == before["m-1"].id)
        )
    assert answers == 1


def _large_bank(folder: Path, deck: str, keys: list[str], prompt: str = "Question {}?") -> Path:
    """A JSON bank file (JSON is YAML too) of short-answer questions with these ids."""
    questions = [
        {
            "id": key,
            "type": "short_answer",
            "topic": "t",
            "difficulty": 1,
            "prompt": prompt.format(key),
            "answer": f"answer {key}",
            "explanation": "e",
            "source": "the crimean war",
        }
        for key in keys
    ]
    path = folder / f"{deck}.yaml"
    bank = {"deck": deck, "title": deck, "material": "material.txt", "questions": questions}
    path.write_text(json.dumps(bank))
    return path


def test_a_large_reimport_counts_each_change_and_refuses_ids_past_the_first_batch(
    database: Database, bank_file: Path, tmp_path: Path
) -> None:
    """More ids than one query looks up at once (5000): every batch is checked."""
    keys = [f"b-{n}" for n in range(6000)]
    big = _large_bank(tmp_path, "big", keys)
    assert str(import_banks(database, [big], NOW).decks[0]) == "big: 6000 added"
    first = _questions(database)

    questions = json.loads(big.read_text())
    questions["questions"][5500]["prompt"] = "Edited?"
    del questions["questions"][10]
    big.write_text(json.dumps(questions))
    report = import_banks(database, [big], NOW + timedelta(days=1))
    assert str(report.decks[0]) == "big: 1 updated, 1 retired, 5998 unchanged"
    after = _questions(database)
    assert after["b-5500"].prompt == "Edited?" and after["b-5500"].id == first["b-5500"].id
    assert after["b-10"].retired_at is not None
    assert after["b-9"].updated_at == first["b-9"].updated_at  # unchanged rows are left alone

    thief = _large_bank(tmp_path, "thief", [f"t-{n}" for n in range(5100)] + ["b-5999"])
    with pytest.raises(BankProblems, match="question b-5999: id: id already belongs to deck 'big'"):
        import_banks(database, [thief], NOW + timedelta(days=2))
    assert set(_questions(database)) == set(after)  # nothing of deck 'thief' was added


def test_tags_are_stored_as_sqlalchemy_writes_them(database: Database, bank_file: Path) -> None:
    tagged = BANK.replace("    topic: t\n", "    topic: t\n    tags: [crimea, 'traité']\n", 1)
    bank_file.write_text(tagged)
    import_banks(database, [bank_file], NOW)
    assert _questions(database)["m-1"].tags == ["crimea", "traité"]
    bank_file.write_text(tagged.replace("tags: [crimea, 'traité']", "tags: [paix, 'traité']"))
    import_banks(database, [bank_file], NOW + timedelta(hours=1))  # the update statement
    mini = select(Question.key, func.cast(Question.tags, Text)).where(Question.key.like("m-%"))
    with database.engine.begin() as connection:  # m-2's tags written by SQLAlchemy itself
        connection.execute(
            Question.__table__.update().where(Question.key == "m-2"), {"tags": ["paix", "traité"]}
        )
        stored = dict(connection.execute(mini).all())
    assert stored["m-1"] == stored["m-2"] == json.dumps(["paix", "traité"])
    assert [q.tags for key, q in _questions(database).items() if key.startswith("m-")] == [
        ["paix", "traité"],
        ["paix", "traité"],
    ]
