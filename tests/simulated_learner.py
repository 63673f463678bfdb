"""A simulated learner whose memory follows FSRS with known true parameters: each day they
study what the app offers, through the app's own path (begin, submit, rate), and remember a
card with the probability their true memory gives. Seeded: the same run every time."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import fsrs_rs_python as fsrs_rs

from quiz.services.database import Database
from quiz.services.profiles import ProfileInfo
from quiz.services.reviewing import StudyRun, begin, end, rate, submit
from tests.responses import respond

# Someone who forgets much more slowly than FSRS's defaults assume, above all after a
# first Good or Easy, and whose memory decays with a flatter curve.
TRUE_PARAMETERS = (
    1.2, 4.0, 12.0, 40.0, 6.4, 0.83, 3.0, 0.001, 2.3, 0.12, 0.9, 1.48, 0.06, 0.26, 1.65,
    0.6, 1.87, 0.54, 0.09, 0.07, 0.35,
)  # fmt: skip


def retrievability(parameters: tuple[float, ...], stability: float, days: float) -> float:
    """FSRS-6's forgetting curve."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * days / stability) ** decay)


@dataclass
class Learner:
    """The true memory of each card, and the clock of their study."""

    database: Database
    profile: ProfileInfo
    parameters: tuple[float, ...] = TRUE_PARAMETERS
    seed: int = 7
    memory: dict[int, tuple[fsrs_rs.MemoryState, datetime]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.model = fsrs_rs.FSRS(list(self.parameters))

    def recalls(self, question_id: int, now: datetime) -> bool:
        known = self.memory.get(question_id)
        if known is None:
            return self.rng.random() < 0.6
        state, last = known
        days = (now - last).total_seconds() / 86400
        return self.rng.random() < retrievability(self.parameters, state.stability, days)

    def rating(self, right: bool) -> int:
        if not right:
            return 1
        draw = self.rng.random()
        return 2 if draw < 0.1 else 4 if draw > 0.9 else 3

    def remember(self, question_id: int, rating: int, now: datetime) -> None:
        known = self.memory.get(question_id)
        if known is None:
            states = self.model.next_states(None, 0.9, 0)
        else:
            state, last = known
            states = self.model.next_states(state, 0.9, max((now - last).days, 0))
        chosen = (states.again, states.hard, states.good, states.easy)[rating - 1]
        self.memory[question_id] = (chosen.memory, now)

    def study_day(self, start: datetime, limit: int = 400) -> int:
        """One sitting from `start`: everything the app offers, 20 seconds an answer.
        Returns the answers given."""
        run = StudyRun(self.profile)
        now = start
        card = begin(self.database, run, now).card
        answers = 0
        while card is not None and answers < limit:
            right = self.recalls(card.question_id, now)
            outcome = submit(
                self.database, run, card.question_id, respond(card.question, right), 8000, now
            )
            rating = self.rating(right)
            self.remember(card.question_id, rating, now)
            now += timedelta(seconds=20)
            card = rate(self.database, run, outcome.answer_id, rating, now, seed=answers).card
            answers += 1
            if card is not None and card.snapshot.due is not None and card.snapshot.due > now:
                now = card.snapshot.due  # waiting for a learning step
        end(self.database, run, now)
        return answers

    def study(self, first: datetime, days: int) -> int:
        """Study every day for `days` days from `first`; returns the answers given."""
        return sum(self.study_day(first + timedelta(days=day)) for day in range(days))
