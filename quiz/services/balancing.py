"""Workload limits that hold: a profile's review cards spread over the coming study days so
that none holds more than the daily review cap (half of it on easy days), overdue cards
included, instead of piling up (`quiz.core.balance`). Runs when a review sitting begins,
for profiles with load balancing on, and on `quiz schedule balance`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from quiz.core.balance import WEEKDAYS as WEEKDAYS  # for the settings screen
from quiz.core.balance import Due, balance, capacity
from quiz.core.balance import parse_easy_days as parse_easy_days  # for the CLI and the TUI
from quiz.core.scheduling import CardKind, CardSnapshot, retrievability
from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.queue import today
from quiz.store.models import CardState, Question, UTCDateTime

HORIZON_DAYS = 30  # days of due cards read at once

_REVIEWS = (
    select(CardState.question_id, CardState.stability, CardState.last_review, CardState.due)
    .join(Question, Question.id == CardState.question_id)
    .where(
        CardState.profile_id == bindparam("profile_id"),
        CardState.suspended.is_(False),
        CardState.state == CardKind.REVIEW.value,
        Question.retired_at.is_(None),
        CardState.due >= bindparam("since", type_=UTCDateTime()),
        CardState.due < bindparam("until", type_=UTCDateTime()),
    )
)
_MOVE = (
    update(CardState)
    .where(
        CardState.profile_id == bindparam("mover"),
        CardState.question_id == bindparam("card"),
    )
    .values(due=bindparam("new_due", type_=UTCDateTime()))
)
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BalanceReport:
    """Cards moved to a later day, and the reviews due on each of the next days after."""

    moved: int
    days: tuple[tuple[date, int, int], ...]  # (study day, reviews due, capacity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "moved": self.moved,
            "days": [
                {"day": day.isoformat(), "reviews": n, "capacity": cap} for day, n, cap in self.days
            ],
        }


def balance_reviews(
    database: Database, profile: ProfileInfo, now: datetime, show_days: int = 14
) -> BalanceReport:
    """Spread the profile's review cards so that no study day from today on holds more than
    its capacity while cards wait; one transaction."""
    calendar = profile.calendar
    first = calendar.study_date(now)
    easy = frozenset(profile.easy_days)
    cap = profile.max_reviews_per_day

    with database.engine.begin() as connection:

        def due(since: datetime, until: datetime) -> list[Due]:
            rows = connection.execute(
                _REVIEWS, {"profile_id": profile.id, "since": since, "until": until}
            ).all()
            return [
                Due(
                    row.question_id,
                    calendar.study_date(row.due),
                    1
                    - retrievability(
                        CardSnapshot(2, None, row.stability, None, row.due, row.last_review),
                        now,
                        profile.fsrs_parameters,
                    ),
                )
                for row in rows
            ]

        window: dict[date, list[Due]] = {}

        def more(day: date) -> Sequence[Due]:
            if day not in window:
                start = calendar.day_start(day)
                end = calendar.day_start(day + timedelta(days=HORIZON_DAYS))
                window.clear()
                for card in due(start, end):
                    window.setdefault(card.day, []).append(card)
                for offset in range(HORIZON_DAYS):
                    window.setdefault(day + timedelta(days=offset), [])
            return window[day]

        horizon = calendar.day_start(first + timedelta(days=HORIZON_DAYS))
        cards = due(_EARLIEST, horizon)
        done = today(connection, profile, now).reviews_done
        moved = balance(cards, first, cap, easy, done, profile.exam_date, more)
        if moved:
            connection.execute(
                _MOVE,
                [
                    {"mover": profile.id, "card": card, "new_due": calendar.day_start(day)}
                    for card, day in moved.items()
                ],
            )
        loads = _loads(connection, profile, first, show_days)
    return BalanceReport(
        len(moved),
        tuple(
            (day, n, capacity(day, cap, easy) - (done if day == first else 0)) for day, n in loads
        ),
    )


def _loads(connection: Any, profile: ProfileInfo, first: date, days: int) -> list[tuple[date, int]]:
    """Reviews due on each of the `days` study days from `first` (overdue ones today)."""
    calendar = profile.calendar
    rows = connection.execute(
        _REVIEWS,
        {
            "profile_id": profile.id,
            "since": _EARLIEST,
            "until": calendar.day_start(first + timedelta(days=days)),
        },
    ).all()
    counts = {first + timedelta(days=n): 0 for n in range(days)}
    for row in rows:
        counts[max(calendar.study_date(row.due), first)] += 1
    return sorted(counts.items())
