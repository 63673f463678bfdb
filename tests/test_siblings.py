"""Sibling burying (Anki's): once a question of a bank `fact` is rated in a study day, the
other questions of that fact are neither counted nor offered until the next study day, and
home's counts stay what studying offers. Drills and mock exams draw one question per fact.
A controlled clock throughout; runs on SQLite and PostgreSQL."""

import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quiz.core.exam import distinct_facts, draw_exam, sample_one_per_fact
from quiz.core.scheduling import CardKind
from quiz.errors import QuizError
from quiz.services.auth import create_teacher
from quiz.services.bank import import_banks
from quiz.services.cards import StudyCard, sync_cards
from quiz.services.database import Database
from quiz.services.drills import create_drill, finish_attempt, spec_from_dict, start_attempt
from quiz.services.mock_exam import start_exam
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.progress import deck_progress
from quiz.services.queue import next_card, queue_counts
from quiz.services.reviewing import StudyRun, begin, rate
from quiz.store.models import Deck, Question
from tests.conftest import NOW
from tests.test_study import answer_card

SIBLINGS_BANK = Path(__file__).parent / "data" / "siblings.yaml"
FACTS = {
    "sib-signed-sa": "signed",
    "sib-signed-mc": "signed",
    "sib-signed-tf": "signed",
    "sib-war-sa": "war",
    "sib-war-tf": "war",
    "sib-begun": None,
}
AGAIN, EASY = 1, 4


@pytest.fixture
def deck_id(database: Database) -> int:
    import_banks(database, [SIBLINGS_BANK], NOW)
    with database.sessions() as session:
        found = session.scalar(select(Deck.id).where(Deck.name == "siblings"))
        assert found is not None
        return found


@pytest.fixture
def ann(database: Database, deck_id: int) -> ProfileInfo:
    profile = get_or_create_profile(database, "ann", NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC", new_per_day=20)


def _home(database: Database, profile: ProfileInfo, deck_id: int, now: datetime) -> tuple[int, ...]:
    deck = next(d for d in deck_progress(database, profile, now) if d.deck_id == deck_id)
    return deck.new, deck.learning, deck.due


def _study(
    database: Database, profile: ProfileInfo, deck_id: int, now: datetime, rating: int = EASY
) -> list[StudyCard]:
    """Study the deck until nothing is offered; at every step home's counts, the queue's
    counts and what studying offers agree."""
    run = StudyRun(profile, deck_id=deck_id)
    nxt = begin(database, run, now)
    offered: list[StudyCard] = []
    while nxt.card is not None:
        counts = queue_counts(database, profile, now, deck_id)
        assert nxt.counts == counts
        assert _home(database, profile, deck_id, now) == (
            counts.new,
            counts.learning,
            counts.review,
        )
        offered.append(nxt.card)
        answer_id = answer_card(database, run, nxt.card, now, rating=None)
        nxt = rate(database, run, answer_id, rating, now, seed=len(offered))
    assert nxt.counts.total == 0 and _home(database, profile, deck_id, now) == (0, 0, 0)
    assert next_card(database, profile, now, deck_id) is None
    return offered


def test_rating_a_question_buries_its_siblings_until_the_next_study_day(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    before = queue_counts(database, ann, NOW, deck_id)
    assert (before.new, before.learning, before.review) == (6, 0, 0)

    first_day = _study(database, ann, deck_id, NOW)
    keys = [card.key for card in first_day]
    facts = [FACTS[key] for key in keys]
    assert sorted(facts, key=str) == sorted(["signed", "war", None], key=str)  # one per fact

    # the next study day (the day starts at 4:00 UTC), the siblings left come back, one each
    tomorrow = NOW + timedelta(days=1)
    assert queue_counts(database, ann, tomorrow, deck_id).new == 3
    second_day = _study(database, ann, deck_id, tomorrow)
    assert sorted(FACTS[c.key] for c in second_day) == ["signed", "war"]
    third_day = _study(database, ann, deck_id, tomorrow + timedelta(days=1))
    assert [FACTS[c.key] for c in third_day] == ["signed"]
    assert {c.key for c in first_day + second_day + third_day} == set(FACTS)


def test_still_the_same_study_day_before_its_start_hour(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    _study(database, ann, deck_id, NOW)  # 9:00 UTC
    night = NOW.replace(hour=23, minute=59) + timedelta(hours=4)  # 3:59 the next morning
    assert queue_counts(database, ann, night, deck_id).new == 0
    assert next_card(database, ann, night, deck_id) is None
    assert queue_counts(database, ann, night + timedelta(minutes=1), deck_id).new == 3


def test_the_rated_card_itself_keeps_coming_back_while_its_siblings_wait(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    run = StudyRun(ann, deck_id=deck_id)
    card = begin(database, run, NOW).card
    assert card is not None
    answer_id = answer_card(database, run, card, NOW, rating=None, right=False)
    after = rate(database, run, answer_id, AGAIN, NOW, seed=1)
    siblings = [k for k, f in FACTS.items() if f is not None and f == FACTS[card.key]]
    buried = len(siblings) - 1
    assert (after.counts.new, after.counts.learning) == (5 - buried, 1)
    later = NOW + timedelta(minutes=5)
    offered = _study(database, ann, deck_id, later, rating=EASY)
    keys = [c.key for c in offered]
    assert card.key in keys  # the learning card itself, again today
    assert not set(keys) & (set(siblings) - {card.key})
    kinds = {c.key: c.kind for c in offered}
    assert kinds[card.key] in (CardKind.LEARNING, CardKind.RELEARNING)


def test_an_unrated_answer_buries_nothing_yet(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    run = StudyRun(ann, deck_id=deck_id)
    card = begin(database, run, NOW).card
    assert card is not None
    answer_card(database, run, card, NOW, rating=None)
    assert queue_counts(database, ann, NOW, deck_id).new == 6


def test_home_says_how_many_cards_are_buried_and_they_come_back_tomorrow(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    def buried(now: datetime) -> int:
        return next(d for d in deck_progress(database, ann, now) if d.deck_id == deck_id).buried

    assert buried(NOW) == 0
    run = StudyRun(ann, deck_id=deck_id)
    card = begin(database, run, NOW).card
    assert card is not None
    answer_id = answer_card(database, run, card, NOW, rating=None)
    assert buried(NOW) == 0  # an unrated answer buries nothing yet
    rate(database, run, answer_id, EASY, NOW, seed=1)
    siblings = [k for k, f in FACTS.items() if f is not None and f == FACTS[card.key]]
    assert buried(NOW) == max(len(siblings) - 1, 0)
    first_day = _study(database, ann, deck_id, NOW)
    # every fact rated today: all its other questions wait, and home says how many
    assert buried(NOW) == len(FACTS) - 1 - len(first_day)
    assert buried(NOW + timedelta(days=1)) == 0


def test_burying_is_per_profile(database: Database, ann: ProfileInfo, deck_id: int) -> None:
    _study(database, ann, deck_id, NOW)
    bob = get_or_create_profile(database, "bob", NOW)
    sync_cards(database, bob.id)
    bob = update_profile_settings(database, bob.id, time_zone="UTC")
    assert queue_counts(database, bob, NOW, deck_id).new == 6


# -- drills and mock exams: one question per fact ------------------------------------------


def _drill(database: Database, **fields: object) -> int:
    teacher = create_teacher(database, "teach", "654321", NOW)
    spec = spec_from_dict({"title": "Siblings", **fields})
    return create_drill(database, teacher, spec, NOW).id


def test_a_fixed_draw_never_takes_two_questions_of_one_fact(
    database: Database, deck_id: int
) -> None:
    teacher = create_teacher(database, "teach", "654321", NOW)
    for seed in range(12):
        spec = spec_from_dict(
            {"title": f"Fixed {seed}", "draw": {"decks": ["siblings"], "count": 3, "seed": seed}}
        )
        drill = create_drill(database, teacher, spec, NOW)
        student = get_or_create_profile(database, f"s{seed}", NOW)
        keys = [q.key for q in start_attempt(database, student, drill.id, NOW).questions]
        assert sorted(map(str, (FACTS[k] for k in keys))) == ["None", "signed", "war"]


def test_a_fresh_draw_never_takes_two_questions_of_one_fact(
    database: Database, deck_id: int
) -> None:
    drill = _drill(
        database,
        draw={"decks": ["siblings"], "count": 3, "fresh_each_attempt": True},
        attempts=None,
    )
    student = get_or_create_profile(database, "bob", NOW)
    seen: set[str] = set()
    for seed in range(12):
        attempt = start_attempt(database, student, drill, NOW, seed=seed)
        keys = [q.key for q in attempt.questions]
        assert len({FACTS[k] for k in keys}) == 3
        seen |= set(keys)
        finish_attempt(database, attempt.paper_id, NOW)
    assert len(seen) > 3  # different siblings on different attempts


def test_a_draw_needing_more_facts_than_the_rule_matches_is_refused(
    database: Database, deck_id: int
) -> None:
    with pytest.raises(QuizError, match=r"only 3 question\(s\) on different facts .* is 4"):
        _drill(database, draw={"decks": ["siblings"], "count": 4})


def test_a_drill_may_list_two_siblings_explicitly(database: Database, deck_id: int) -> None:
    """A teacher who names two questions of one fact gets both: the choice was theirs."""
    drill = _drill(database, questions=["sib-signed-sa", "sib-signed-mc"])
    attempt = start_attempt(database, get_or_create_profile(database, "bob", NOW), drill, NOW)
    assert [q.key for q in attempt.questions] == ["sib-signed-sa", "sib-signed-mc"]


def test_a_mock_exam_takes_one_question_per_fact_when_the_pool_allows(
    database: Database, ann: ProfileInfo, deck_id: int
) -> None:
    for seed in range(12):
        exam = start_exam(database, ann, NOW, count=3, deck_id=deck_id, seed=seed)
        keys = [q.key for q in exam.questions]
        assert len({FACTS[k] for k in keys}) == 3, keys
    # more questions than facts: every question, siblings included
    exam = start_exam(database, ann, NOW, count=6, deck_id=deck_id, seed=1)
    assert {q.key for q in exam.questions} == set(FACTS)


def test_the_built_in_bank_exam_has_no_two_questions_of_one_fact(
    database: Database, ann: ProfileInfo
) -> None:
    with database.sessions() as session:
        facts = dict(session.execute(select(Question.key, Question.fact)).all())
    for seed in range(5):
        exam = start_exam(database, ann, NOW, count=20, seed=seed)
        drawn = [facts[q.key] for q in exam.questions if facts[q.key] is not None]
        assert len(drawn) == len(set(drawn))


def test_sampling_one_per_fact() -> None:
    items = [("a1", "a"), ("a2", "a"), ("b1", "b"), ("c", None), ("d", None)]
    assert distinct_facts(items) == 4
    for seed in range(20):
        drawn = sample_one_per_fact(random.Random(seed), items, 4)
        assert len(drawn) == 4 and not {"a1", "a2"} <= set(drawn)
    assert len(sample_one_per_fact(random.Random(1), items, 9)) == 4
    pool = [(1, "x"), (2, "x"), (3, "y"), (4, "y"), (5, "y")]
    facts = {1: "f", 2: "f", 3: "f", 4: "g", 5: None}
    for seed in range(20):
        drawn = draw_exam(pool, 3, seed, facts)
        assert len(drawn) == 3
        assert sum(1 for q in drawn if facts[q] == "f") == 1
        assert draw_exam(pool, 3, seed, facts) == drawn  # deterministic
    assert sorted(draw_exam(pool, 5, 3, facts)) == [1, 2, 3, 4, 5]  # the pool allows no better
