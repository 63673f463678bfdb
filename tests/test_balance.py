"""Load balancing: no study day gets more reviews than the cap (half on easy days) while
cards wait; cards only move later; overdue cards spread over the next days."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.core.balance import Due, balance, capacity, parse_easy_days
from quiz.services.balancing import balance_reviews
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.profiles import get_or_create_profile, update_profile_settings
from quiz.services.queue import queue_counts
from quiz.services.reviewing import StudyRun, begin
from tests.conftest import NOW
from tests.simulated_learner import Learner

TODAY = date(2026, 3, 30)  # a Monday


def _check(cards: list[Due], moved: dict[int, date], cap: int, easy: frozenset[int]) -> None:
    final = {c.card: moved.get(c.card, max(c.day, TODAY)) for c in cards}
    loads = Counter(final.values())
    last = max(final.values(), default=TODAY)
    for card in cards:
        assert final[card.card] >= max(card.day, TODAY)  # never earlier than FSRS asked
    day = TODAY
    while day <= last:
        waiting = any(max(c.day, TODAY) <= day < final[c.card] for c in cards)
        if waiting:  # cards wait: the day is full, never over
            assert loads[day] == capacity(day, cap, easy)
        assert loads[day] <= max(capacity(day, cap, easy), _unmoved_on(cards, moved, day))
        day += timedelta(days=1)


def _unmoved_on(cards: list[Due], moved: dict[int, date], day: date) -> int:
    return sum(1 for c in cards if c.card not in moved and max(c.day, TODAY) == day)


@settings(max_examples=150, deadline=None)
@given(
    offsets=st.lists(st.integers(-20, 25), min_size=0, max_size=120),
    cap=st.integers(1, 12),
    easy=st.frozensets(st.integers(0, 6), max_size=3),
)
def test_no_day_gets_more_than_its_cap_while_cards_wait(
    offsets: list[int], cap: int, easy: frozenset[int]
) -> None:
    cards = [
        Due(n, TODAY + timedelta(days=o), risk=(n * 37 % 11) / 11) for n, o in enumerate(offsets)
    ]
    moved = balance(cards, TODAY, cap, easy)
    final = Counter(moved.get(c.card, max(c.day, TODAY)) for c in cards)
    for day, load in final.items():
        assert load <= capacity(day, cap, easy), (day, load)
    _check(cards, moved, cap, easy)


def test_overdue_cards_spread_most_at_risk_first_and_easy_days_get_half() -> None:
    cards = [Due(n, TODAY - timedelta(days=3), risk=n / 10) for n in range(10)]
    moved = balance(cards, TODAY, cap=4, easy_days=frozenset({1}), done_today=1)  # Tue easy
    final = {c.card: moved.get(c.card, TODAY) for c in cards}
    assert Counter(final.values()) == {
        TODAY: 3,  # four a day, one already done
        TODAY + timedelta(days=1): 2,  # Tuesday is easy: half
        TODAY + timedelta(days=2): 4,
        TODAY + timedelta(days=3): 1,
    }
    assert sorted(final, key=lambda c: (final[c], -c))[:3] == [9, 8, 7]  # most at risk today


def test_cards_due_before_an_exam_are_not_moved_past_it() -> None:
    cards = [Due(n, TODAY, 0.5) for n in range(6)]
    moved = balance(cards, TODAY, cap=2, latest=TODAY + timedelta(days=2))
    assert all(day < TODAY + timedelta(days=2) for day in moved.values())
    assert len(moved) == 2  # two moved to tomorrow; two left today over the cap


def test_easy_day_names() -> None:
    assert parse_easy_days(["Sat", "sunday", "sat"]) == [5, 6]
    with pytest.raises(ValueError, match="not a weekday"):
        parse_easy_days(["caturday"])
    with pytest.raises(ValueError, match="at most six"):
        parse_easy_days(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])


def test_a_backlog_is_spread_over_the_next_days_under_the_cap(database: Database) -> None:
    profile = get_or_create_profile(database, "busy", NOW)
    sync_cards(database, profile.id)
    profile = update_profile_settings(
        database, profile.id, time_zone="UTC", new_per_day=60, max_reviews_per_day=15
    )
    Learner(database, profile, seed=3).study_day(NOW)
    later = NOW + timedelta(days=12)  # away for twelve days: everything is overdue
    assert queue_counts(database, profile, later).review == 15  # the cap holds today ...
    report = balance_reviews(database, profile, later)
    assert report.moved > 0
    for day, reviews, room in report.days:
        assert reviews <= room, day  # ... and no day after it gets more than the cap
    assert sum(n for _d, n, _r in report.days) >= 40
    assert balance_reviews(database, profile, later).moved == 0  # balanced already
    # turned on, it runs when a review sitting begins, easy days included
    profile = update_profile_settings(
        database, profile.id, load_balance=True, easy_days=[later.weekday()]
    )
    begin(database, StudyRun(profile), later)
    report = balance_reviews(database, profile, later)
    assert report.days[0][2] == 7 and report.days[0][1] <= 7  # today is easy: half of 15
    assert all(n <= room for _d, n, room in report.days)
