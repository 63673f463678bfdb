"""What a desired retention costs: fsrs-rs's simulator run over a learner's deck with their
own parameters, limits, answer times and rating habits. Seeded, so deterministic.

The simulated deck starts unstudied (fsrs-rs's simulator takes no existing cards): the
figures compare retentions over the period; they do not forecast tomorrow.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import fsrs_rs_python as fsrs_rs

_DEFAULTS = fsrs_rs.default_simulator_config()
STATES = ("learning", "review", "relearning")  # the rows of `Habits.seconds`


def _rounded(rows: Sequence[Sequence[float]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(round(float(v), 2) for v in row) for row in rows)


@dataclass(frozen=True)
class Habits:
    """How a learner answers: seconds an answer takes by state (learning, review,
    relearning) and rating (Again..Easy); how they rate a card the first time (Again..Easy)
    and a review they remember (Hard, Good, Easy). Anki users' averages by default."""

    seconds: tuple[tuple[float, ...], ...] = _rounded(_DEFAULTS.state_rating_costs)
    first_rating: tuple[float, ...] = _rounded([_DEFAULTS.first_rating_prob])[0]
    recalled_rating: tuple[float, ...] = _rounded([_DEFAULTS.review_rating_prob])[0]


@dataclass(frozen=True)
class Deck:
    """The deck and limits simulated."""

    cards: int
    new_per_day: int
    max_reviews_per_day: int
    learning_steps: int = 2
    relearning_steps: int = 1
    habits: Habits = field(default_factory=Habits)


@dataclass(frozen=True)
class Workload:
    """One retention's simulated cost over `days` days (averages a day) and what it buys."""

    retention: float
    days: int
    reviews_per_day: float
    new_per_day: float
    minutes_per_day: float
    remembered: float  # cards expected remembered at the end
    remembered_share: float
    total_seconds: float

    @property
    def seconds_per_remembered(self) -> float:
        return self.total_seconds / self.remembered if self.remembered else float("inf")

    def to_dict(self) -> dict[str, Any]:
        return {
            "retention": self.retention,
            "days": self.days,
            "reviews_per_day": round(self.reviews_per_day, 1),
            "new_per_day": round(self.new_per_day, 1),
            "minutes_per_day": round(self.minutes_per_day, 1),
            "remembered_share": round(self.remembered_share, 3),
            "seconds_per_remembered_card": round(self.seconds_per_remembered, 1),
        }


def _config(deck: Deck, days: int) -> fsrs_rs.SimulatorConfig:
    return fsrs_rs.SimulatorConfig(
        deck_size=deck.cards,
        learn_span=days,
        max_cost_perday=float(24 * 3600),
        max_ivl=36500.0,
        first_rating_prob=list(deck.habits.first_rating),
        review_rating_prob=list(deck.habits.recalled_rating),
        learn_limit=deck.new_per_day,
        review_limit=deck.max_reviews_per_day,
        new_cards_ignore_review_limit=True,
        learning_step_transitions=_DEFAULTS.learning_step_transitions,
        relearning_step_transitions=_DEFAULTS.relearning_step_transitions,
        state_rating_costs=[list(row) for row in deck.habits.seconds],
        learning_step_count=deck.learning_steps,
        relearning_step_count=deck.relearning_steps,
    )


def simulate(
    parameters: Sequence[float], retention: float, deck: Deck, days: int, seed: int = 1
) -> Workload:
    """Study `deck` every day for `days` days at this desired retention."""
    if deck.cards <= 0 or days <= 0:
        return Workload(retention, days, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    result = fsrs_rs.simulate(list(parameters), retention, _config(deck, days), seed)
    total = float(sum(result.cost_per_day))
    remembered = float(result.memorized_cnt_per_day[-1])
    return Workload(
        retention,
        days,
        sum(result.review_cnt_per_day) / days,
        sum(result.learn_cnt_per_day) / days,
        total / days / 60,
        remembered,
        remembered / deck.cards,
        total,
    )


def compare(
    parameters: Sequence[float],
    retentions: Sequence[float],
    deck: Deck,
    days: int,
    seed: int = 1,
) -> list[Workload]:
    """Each retention's workload, with the same seed."""
    return [simulate(parameters, r, deck, days, seed) for r in retentions]


def cheapest(workloads: Sequence[Workload]) -> Workload | None:
    """The workload with the least study time per card remembered at the end."""
    useful = [w for w in workloads if w.remembered > 0]
    return min(useful, key=lambda w: w.seconds_per_remembered) if useful else None
