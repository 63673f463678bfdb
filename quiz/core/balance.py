"""Load balancing: review cards spread over the coming study days so that no day holds more
than the daily review cap (less on "easy days"), instead of piling up behind it.

Greedy and deterministic: from today on, each day takes the waiting cards (due that day or
before, most at risk of being forgotten first) up to its capacity; the rest wait for the
next day. A card is only ever moved later, never earlier than FSRS asked, and never onto or
past a `latest` day (an exam) when it was due before it.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from heapq import heappop, heappush

EASY_DAY_SHARE = 0.5  # an easy day's capacity, as a share of the daily cap
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Due:
    """A review card and the study day it is due; `risk` orders the cards waiting on a day
    (higher first: e.g. 1 - retrievability today)."""

    card: int
    day: date
    risk: float = 0.0


def capacity(day: date, cap: int, easy_days: frozenset[int]) -> int:
    """Reviews allowed on `day`: the cap, or `EASY_DAY_SHARE` of it on an easy weekday
    (0 Monday .. 6 Sunday), at least one so that waiting cards always move on."""
    if day.weekday() in easy_days:
        return max(int(cap * EASY_DAY_SHARE), 1)
    return cap


def balance(
    cards: Iterable[Due],
    today: date,
    cap: int,
    easy_days: frozenset[int] = frozenset(),
    done_today: int = 0,
    latest: date | None = None,
    more: Callable[[date], Sequence[Due]] | None = None,
) -> dict[int, date]:
    """The study day each card should now be due, for the cards whose day changes.

    `cards` are the review cards due before some horizon; `more(day)` returns the cards due
    on a later `day` when the waiting cards spill past the horizon (None: nothing is due
    after it). `done_today` reviews already count against today's capacity.
    """
    if cap <= 0:
        return {}
    if len(easy_days) >= len(WEEKDAYS):
        raise ValueError("at most six weekdays can be easy days")
    by_day: dict[date, list[Due]] = {}
    horizon = today
    for card in cards:
        key = max(card.day, today)
        by_day.setdefault(key, []).append(card)
        horizon = max(horizon, key)
    moved: dict[int, date] = {}
    waiting: list[tuple[float, date, int, Due]] = []
    day = today
    while True:
        arriving = by_day.pop(day, []) if day <= horizon else list(more(day) if more else [])
        for card in arriving:
            heappush(waiting, (-card.risk, card.day, card.card, card))
        if not waiting and day >= horizon:
            return moved
        room = capacity(day, cap, easy_days) - (done_today if day == today else 0)
        while waiting and room > 0:
            card = heappop(waiting)[3]
            if latest is not None and card.day < latest <= day:
                continue  # due before the exam: left where it is rather than moved past it
            room -= 1
            if day != max(card.day, today):
                moved[card.card] = day
        day += timedelta(days=1)


def parse_easy_days(names: Sequence[str]) -> list[int]:
    """Weekday names ("sat", "Sunday") as numbers, 0 Monday .. 6 Sunday; ValueError with a
    sentence for a name that is not a weekday or when every day would be easy."""
    days = []
    for name in names:
        key = name.strip().lower()[:3]
        if key not in WEEKDAYS:
            raise ValueError(f"{name!r} is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        days.append(WEEKDAYS.index(key))
    if len(set(days)) >= len(WEEKDAYS):
        raise ValueError("at most six weekdays can be easy days")
    return sorted(set(days))
