"""Mock exams: drawing questions across topics, grading the paper.

Pure and deterministic: the same pool, count and seed always give the same paper.
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_QUESTIONS = 20
MINUTES_PER_QUESTION = 1.5  # the default time limit: 30 minutes for 20 questions


def default_time_limit(count: int) -> int:
    """Minutes allowed for `count` questions when no limit is given."""
    return max(1, math.ceil(count * MINUTES_PER_QUESTION))


def apportion(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """Share `total` seats among topics in proportion to their sizes (largest remainder).

    Each topic first gets the whole part of its quota; the seats left go to the largest
    fractional parts, ties to the larger topic, then by name. No topic gets more seats than
    it has questions; asking for more than the pool holds gives every question.
    """
    pool = sum(sizes.values())
    if total >= pool:
        return dict(sizes)
    if total <= 0 or pool == 0:
        return {topic: 0 for topic in sizes}
    seats: dict[str, int] = {}
    remainders: list[tuple[int, int, str]] = []
    for topic, size in sizes.items():
        whole, remainder = divmod(total * size, pool)  # exact integer arithmetic
        seats[topic] = whole
        remainders.append((remainder, size, topic))
    left = total - sum(seats.values())
    remainders.sort(key=lambda item: (-item[0], -item[1], item[2]))
    for _, _, topic in remainders[:left]:
        seats[topic] += 1
    return seats


def draw_exam(pool: Sequence[tuple[int, str]], count: int, seed: int) -> list[int]:
    """Draw `count` question ids from `pool` ((question id, topic) pairs), topics in
    proportion to the pool, in a shuffled order. Deterministic for a given seed."""
    by_topic: dict[str, list[int]] = {}
    for question_id, topic in sorted(pool):
        by_topic.setdefault(topic, []).append(question_id)
    seats = apportion({topic: len(ids) for topic, ids in by_topic.items()}, count)
    rng = random.Random(seed)
    drawn: list[int] = []
    for topic in sorted(by_topic):
        drawn.extend(rng.sample(by_topic[topic], seats[topic]))
    rng.shuffle(drawn)
    return drawn


@dataclass(frozen=True)
class TopicScore:
    """How one topic went in an exam."""

    topic: str
    correct: int
    total: int

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 0.0


def topic_scores(items: Sequence[tuple[str, bool]]) -> list[TopicScore]:
    """Per-topic results from (topic, correct) pairs, by topic name."""
    totals: dict[str, list[int]] = {}
    for topic, correct in items:
        pair = totals.setdefault(topic, [0, 0])
        pair[0] += int(correct)
        pair[1] += 1
    return [TopicScore(topic, c, t) for topic, (c, t) in sorted(totals.items())]


def weakest_topic(scores: Sequence[TopicScore]) -> str | None:
    """The topic with the lowest score; on a tie the one with more mistakes, then by name."""
    if not scores:
        return None
    return min(scores, key=lambda s: (s.score, -(s.total - s.correct), s.topic)).topic
