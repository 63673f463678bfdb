"""Mock exams: drawing questions across topics, grading the paper.

Pure and deterministic: the same pool, count and seed always give the same paper.
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K")

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


def distinct_facts(items: Sequence[tuple[K, str | None]]) -> int:
    """How many of `items` ((key, fact) pairs) can be drawn without two of one fact."""
    facts = {fact for _, fact in items if fact is not None}
    return len(facts) + sum(1 for _, fact in items if fact is None)


def sample_one_per_fact(
    rng: random.Random, items: Sequence[tuple[K, str | None]], count: int
) -> list[K]:
    """`count` keys drawn at random from (key, fact) pairs, never two of one fact (a key
    without a fact is its own fact). Fewer when the pool has fewer distinct facts."""
    chosen: list[K] = []
    seen: set[str] = set()
    for key, fact in rng.sample(list(items), len(items)):
        if len(chosen) == count:
            break
        if fact is not None:
            if fact in seen:
                continue
            seen.add(fact)
        chosen.append(key)
    return chosen


def _within(
    seats: dict[str, int], caps: Mapping[str, int], sizes: Mapping[str, int]
) -> dict[str, int]:
    """`seats` with no topic above its cap; the seats taken off go, one at a time, to the
    topics with room left, the larger topic first (then by name)."""
    capped = {topic: min(n, caps[topic]) for topic, n in seats.items()}
    spare = sum(seats.values()) - sum(capped.values())
    while spare > 0:
        room = [t for t in capped if capped[t] < caps[t]]
        if not room:
            break
        topic = min(room, key=lambda t: (-(sizes[t] - capped[t]), t))
        capped[topic] += 1
        spare -= 1
    return capped


def draw_exam(
    pool: Sequence[tuple[int, str]],
    count: int,
    seed: int,
    facts: Mapping[int, str | None] | None = None,
) -> list[int]:
    """Draw `count` question ids from `pool` ((question id, topic) pairs), topics in
    proportion to the pool, in a shuffled order. Deterministic for a given seed.

    With `facts` (question id -> its fact), no two questions of one fact are drawn as long
    as the pool allows: a topic gets no more seats than it has facts (the seats over go to
    topics with room), takes questions of facts not drawn yet first, and a second question
    of a fact only when it has nothing else left."""
    if facts is not None and all(fact is None for fact in facts.values()):
        facts = None  # nothing to avoid: the same paper as without facts
    by_topic: dict[str, list[int]] = {}
    for question_id, topic in sorted(pool):
        by_topic.setdefault(topic, []).append(question_id)
    sizes = {topic: len(ids) for topic, ids in by_topic.items()}
    seats = apportion(sizes, count)
    if facts is not None:
        distinct = {
            topic: distinct_facts([(qid, facts.get(qid)) for qid in ids])
            for topic, ids in by_topic.items()
        }
        if count <= sum(distinct.values()):
            seats = _within(seats, distinct, sizes)
    rng = random.Random(seed)
    drawn: list[int] = []
    if facts is None:
        for topic in sorted(by_topic):
            drawn.extend(rng.sample(by_topic[topic], seats[topic]))
    else:
        seen: set[str] = set()
        for topic in sorted(by_topic):
            shuffled = rng.sample(by_topic[topic], len(by_topic[topic]))
            taken: list[int] = []
            for question_id in shuffled:
                fact = facts.get(question_id)
                if len(taken) < seats[topic] and (fact is None or fact not in seen):
                    taken.append(question_id)
                    if fact is not None:
                        seen.add(fact)
            left = [qid for qid in shuffled if qid not in taken]
            drawn.extend(taken + left[: seats[topic] - len(taken)])
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
