"""Mastery per topic reads the topic and retired flag copied onto card rows (migration
0014): a topic changed, a question retired or restored by an import, through the real
import services, shows in the statistics at once (SQLite and PostgreSQL)."""

from pathlib import Path

import pytest

from quiz.bank.loader import load_banks
from quiz.services.bank import import_banks, import_loaded
from quiz.services.cards import study_card, sync_cards
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.services.reviewing import StudyRun, end, rate, submit
from quiz.services.stats import statistics
from quiz.store.models import Question
from tests.conftest import NOW
from tests.responses import respond


def _card(number: int, topic: str) -> str:
    return f"""\
  - id: s-{number}
    type: flashcard
    topic: {topic}
    difficulty: 1
    front: Which war, {number}?
    back: The Crimean War
    explanation: e
    source: the crimean war
"""


def _bank(*cards: tuple[int, str]) -> str:
    head = "deck: stats\ntitle: Stats deck\nmaterial: material.txt\nquestions:\n"
    return head + "".join(_card(n, t) for n, t in cards)


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    (tmp_path / "material.txt").write_text("the crimean war ended with the treaty of paris")
    path = tmp_path / "stats.yaml"
    path.write_text(_bank((1, "alpha"), (2, "alpha"), (3, "alpha")))
    return path


def _rows(database: Database, profile: ProfileInfo) -> dict[str, tuple[int, int, int]]:
    """(cards, seen, answers) of this test's topics."""
    return {
        t.topic: (t.cards, t.seen, t.answers)
        for t in statistics(database, profile, NOW).topics
        if t.topic in ("alpha", "beta")
    }


def _answer(database: Database, profile: ProfileInfo, key: str) -> None:
    with database.sessions() as session:
        question_id = session.query(Question.id).filter(Question.key == key).scalar()
    card = study_card(database, profile, question_id, NOW)
    assert card is not None
    run = StudyRun(profile)
    outcome = submit(database, run, question_id, respond(card.question, True), 900, NOW)
    rate(database, run, outcome.answer_id, 3, NOW)
    end(database, run, NOW)


def test_topic_changes_and_retirements_reach_the_statistics(
    database: Database, bank_file: Path
) -> None:
    import_banks(database, [bank_file], NOW)
    ann = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, ann.id)
    _answer(database, ann, "s-1")
    assert _rows(database, ann) == {"alpha": (3, 1, 1)}

    # s-1 moves to beta with its answer; s-3 leaves the file and is retired
    bank_file.write_text(_bank((1, "beta"), (2, "alpha")))
    import_banks(database, [bank_file], NOW)
    assert _rows(database, ann) == {"alpha": (1, 0, 0), "beta": (1, 1, 1)}

    # a learner synced after the change gets the copies too
    bob = get_or_create_profile(database, "bob", NOW)
    sync_cards(database, bob.id)
    assert _rows(database, bob) == {"alpha": (1, 0, 0), "beta": (1, 0, 0)}

    # an import that adds to the deck (as the interop formats do) restores s-3 in beta
    bank_file.write_text(_bank((3, "beta")))
    import_loaded(database, load_banks([bank_file]).banks, NOW, whole_deck=False)
    assert _rows(database, ann) == {"alpha": (1, 0, 0), "beta": (2, 1, 1)}
    assert _rows(database, bob) == {"alpha": (1, 0, 0), "beta": (2, 0, 0)}
