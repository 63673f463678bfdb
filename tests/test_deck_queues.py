"""Card rows carry their question's deck (migration 0015): new cards get it, and a deck's
queue is one range of the decks index, so a small deck beside a big one reads its own
cards only (the plans: SQLite; the rest on SQLite and PostgreSQL)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from quiz.services.bank import import_banks
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.services.progress import deck_progress
from quiz.services.queue import queue_counts
from quiz.services.reviewing import StudyRun, begin
from quiz.store.models import CardState, Deck, Question
from tests.conftest import NOW

BIG = 300  # the plans do not depend on the size (SQLite keeps no statistics here)


def _big_bank(folder: Path) -> Path:
    (folder / "material.txt").write_text("the crimean war ended with the treaty of paris")
    cards = "".join(
        f"""\
  - id: big-{n}
    type: flashcard
    topic: topic {n % 7}
    difficulty: 1
    front: Which war, {n}?
    back: The Crimean War
    explanation: e
    source: the crimean war
"""
        for n in range(BIG)
    )
    path = folder / "big.yaml"
    path.write_text("deck: big\ntitle: Big deck\nmaterial: material.txt\nquestions:\n" + cards)
    return path


def _two_decks(database: Database, folder: Path) -> tuple[ProfileInfo, int, int]:
    """The built-in deck beside a bigger one, a learner synced: (learner, small, big)."""
    import_banks(database, [_big_bank(folder)], NOW)
    ann = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, ann.id)
    with database.sessions() as session:
        decks = dict(session.execute(select(Deck.name, Deck.id)).all())
    big = decks.pop("big")
    return ann, next(iter(decks.values())), big


def test_new_cards_get_their_questions_deck(database: Database, tmp_path: Path) -> None:
    ann, small, big = _two_decks(database, tmp_path)
    with database.sessions() as session:
        per_deck = dict(
            session.execute(
                select(CardState.deck_id, func.count())
                .join(Question, Question.id == CardState.question_id)
                .where(CardState.profile_id == ann.id, CardState.deck_id == Question.deck_id)
                .group_by(CardState.deck_id)
            ).all()
        )
        questions = dict(
            session.execute(select(Question.deck_id, func.count()).group_by(Question.deck_id)).all()
        )
    assert per_deck == questions
    assert per_deck[big] == BIG
    assert queue_counts(database, ann, NOW, small).new == ann.new_per_day
    assert queue_counts(database, ann, NOW, big).new == ann.new_per_day


def _card_plans(database: Database, call: Callable[[], object]) -> list[str]:
    """The query plan of each statement `call` runs on card rows (as SQLite traced it,
    parameters in place), one text each."""
    traced: list[str] = []
    database.engine.dispose()
    listener = lambda raw, _: raw.set_trace_callback(traced.append)  # noqa: E731
    event.listen(database.engine, "connect", listener)
    try:
        call()
    finally:
        event.remove(database.engine, "connect", listener)
        database.engine.dispose()
    statements = [sql for sql in dict.fromkeys(traced) if "FROM card_states" in sql]
    with database.engine.connect() as connection:
        return [
            "\n".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in statements
        ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_small_deck_beside_a_big_one_reads_its_own_index(
    database: Database, tmp_path: Path
) -> None:
    ann, small, _ = _two_decks(database, tmp_path)

    deck_plans = _card_plans(database, lambda: queue_counts(database, ann, NOW, small))
    assert deck_plans
    for plan in deck_plans:
        assert "ix_card_states_decks (profile_id=? AND deck_id=?" in plan, plan
        assert "ix_card_states_queue" not in plan, plan

    sitting = _card_plans(database, lambda: begin(database, StudyRun(ann, deck_id=small), NOW))
    by_deck = [plan for plan in sitting if "ix_card_states_decks" in plan]
    assert len(by_deck) >= 3  # the counts, the learning cards, the first card's queue
    assert not any("ix_card_states_queue" in plan for plan in sitting)

    home = _card_plans(database, lambda: deck_progress(database, ann, NOW))
    assert len(home) == 2  # one statement a deck
    assert all("ix_card_states_decks" in plan for plan in home), home

    every_deck = _card_plans(database, lambda: queue_counts(database, ann, NOW))
    assert every_deck
    for plan in every_deck:
        assert "ix_card_states_queue" in plan, plan  # all decks: the queue index, as before
        assert "ix_card_states_decks" not in plan, plan
