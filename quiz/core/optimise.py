"""Fitting FSRS parameters to a learner's own reviews (fsrs-rs, the optimiser behind Anki's).

A training item is one review with the card's history before it; intervals are counted in
study days (the learner's day-start hour and time zone), as FSRS counts them. The fit is
checked on a time-series split: parameters fitted on the earlier reviews predict the later
ones, against the default parameters; the stored parameters are then fitted on them all.
Pure and deterministic: fsrs-rs trains with a fixed seed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any, Literal

import fsrs_rs_python as fsrs_rs

from quiz.core.calendar import StudyCalendar

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs_rs.DEFAULT_PARAMETERS)
MIN_ITEMS = 8  # fsrs-rs keeps the defaults below this many training items
MIN_FULL_ITEMS = 64  # ... and below this, fits only the first four (initial stabilities)
HELD_OUT_SHARE = 0.2  # the latest reviews kept out of the check's training

Enough = Literal["none", "initial", "full"]


@dataclass(frozen=True)
class ReviewEvent:
    """One rated review of one card. `first_seen`: the card was new when it was asked."""

    card: int
    at: datetime
    rating: int
    first_seen: bool


@dataclass(frozen=True)
class TrainingItem:
    """A review (its day interval and rating) after the card's earlier history."""

    at: datetime
    history: tuple[tuple[int, int], ...]  # (rating, days since the previous review)

    def to_fsrs(self) -> fsrs_rs.FSRSItem:
        return fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, d) for r, d in self.history])


def training_items(events: Iterable[ReviewEvent], calendar: StudyCalendar) -> list[TrainingItem]:
    """One item per review that comes at least a study day after the previous one (the
    reviews FSRS learns from), with the card's whole history before it. `events` are
    ordered by card, then time. A card whose first review was not of it new has lost the
    start of its history (an imported or reset card) and is left out, as Anki does."""
    items: list[TrainingItem] = []
    for _card, card_events in groupby(events, key=lambda event: event.card):
        reviews = list(card_events)
        if not reviews[0].first_seen:
            continue
        history: list[tuple[int, int]] = []
        previous = None
        for event in reviews:
            day = calendar.study_date(event.at)
            delta = 0 if previous is None else (day - previous).days
            previous = day
            history.append((event.rating, delta))
            if delta > 0:
                items.append(TrainingItem(event.at, tuple(history)))
    items.sort(key=lambda item: item.at)
    return items


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict reviews: log loss and RMSE (binned, as the FSRS benchmark
    reports it); lower is better."""

    log_loss: float
    rmse: float

    def to_dict(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 4), "rmse": round(self.rmse, 4)}


@dataclass(frozen=True)
class Fit:
    """The outcome of an optimisation.

    `parameters` are fitted on all items (the defaults when there were too few); `before`
    and `after` are the current parameters and those fitted on the earlier items, both
    judged on the held-out later items (None when there were too few to hold any out).
    `enough` says what the data allowed: "none" (defaults kept), "initial" (only the four
    initial stabilities fitted) or "full".
    """

    parameters: tuple[float, ...]
    items: int
    train_items: int
    held_out_items: int
    enough: Enough
    before: Evaluation | None
    after: Evaluation | None

    @property
    def improved(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.after.log_loss < (self.before.log_loss)
        )

    @property
    def worth_using(self) -> bool:
        """Whether the fitted parameters should replace the current ones: there was enough
        data, and on the held-out reviews (when some could be held out) they did no worse."""
        if self.enough == "none":
            return False
        return (
            self.before is None
            or self.after is None
            or (self.after.log_loss <= self.before.log_loss)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "train_items": self.train_items,
            "held_out_items": self.held_out_items,
            "enough": self.enough,
            "before": None if self.before is None else self.before.to_dict(),
            "after": None if self.after is None else self.after.to_dict(),
            "improved": self.improved,
            "used": self.worth_using,
            "parameters": [round(p, 4) for p in self.parameters],
        }


def enough_for(items: int) -> Enough:
    """What fsrs-rs fits from this many training items."""
    if items < MIN_ITEMS:
        return "none"
    return "initial" if items < MIN_FULL_ITEMS else "full"


def compute(items: Sequence[TrainingItem], relearning_steps: int = 1) -> tuple[float, ...]:
    """Parameters fitted on these items (the defaults below `MIN_ITEMS`)."""
    return _compute([item.to_fsrs() for item in items], relearning_steps)


def _compute(items: list[fsrs_rs.FSRSItem], relearning_steps: int) -> tuple[float, ...]:
    if len(items) < MIN_ITEMS:
        return DEFAULT_PARAMETERS
    model = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS))
    fitted = model.compute_parameters(items, num_relearning_steps=relearning_steps)
    return tuple(float(p) for p in fitted)


def evaluate(parameters: Sequence[float], items: Sequence[TrainingItem]) -> Evaluation:
    """How well `parameters` predict the last review of each item."""
    return _evaluate(parameters, [item.to_fsrs() for item in items])


def _evaluate(parameters: Sequence[float], items: list[fsrs_rs.FSRSItem]) -> Evaluation:
    result = fsrs_rs.FSRS(list(parameters)).evaluate(items)
    return Evaluation(float(result.log_loss), float(result.rmse_bins))


def fit(
    items: Sequence[TrainingItem],
    current: Sequence[float] = DEFAULT_PARAMETERS,
    relearning_steps: int = 1,
) -> Fit:
    """Fit parameters on `items` (ordered by time) and check them on the latest ones,
    against the `current` parameters (the defaults unless the learner has others)."""
    converted = [item.to_fsrs() for item in items]
    held = int(len(items) * HELD_OUT_SHARE)
    train, test = converted[: len(items) - held], converted[len(items) - held :]
    before = after = None
    if test and len(train) >= MIN_ITEMS:
        before = _evaluate(current, test)
        after = _evaluate(_compute(train, relearning_steps), test)
    return Fit(
        _compute(converted, relearning_steps),
        len(items),
        len(train),
        len(test),
        enough_for(len(items)),
        before,
        after,
    )
