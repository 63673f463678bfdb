"""Item analysis of a test, as a Moodle teacher knows it: per question its facility, its
discrimination index and how its distractors were chosen, flags on questions that look
faulty, and for the whole test Cronbach's alpha. Pure arithmetic on marked attempts.

Formulas (N attempts analysed; each question is marked 1 right, 0 wrong or unanswered):

- facility of a question: right / asked.
- discrimination index (Kelley's upper-lower groups): rank the attempts that asked the
  question by their score on the whole test (ties: earlier attempt first); the upper group
  is the best g = max(1, round(0.27 n)) of those n attempts, the lower group the worst g
  (never overlapping: g <= n // 2). D = right in upper / g - right in lower / g, from -1
  to 1. Needs n >= 2.
- a distractor (a wrong option of a multiple choice question) is "chosen" by an attempt
  whose answer selected it; its upper and lower counts are over the same groups.
- Cronbach's alpha over the k questions every analysed attempt asked (k >= 2, N >= 2):
  alpha = k / (k - 1) * (1 - sum of the questions' variances / variance of the totals),
  population variances (with 0/1 marks this is KR-20). None when attempts asked different
  questions (fresh draws) or the totals do not vary.
- flags (only from MIN_FOR_FLAGS attempts on, fewer tell nothing): negative
  discrimination (D < 0); a distractor nobody chose; a distractor the upper group chose
  more often than the lower group.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

GROUP_SHARE = 0.27
MIN_FOR_FLAGS = 5


@dataclass(frozen=True)
class MarkedAttempt:
    """One attempt as analysed: its order (for ties), its score on the whole test (0..1),
    and per question it asked whether it was right and the options it selected."""

    order: int
    score: float
    right: Mapping[int, bool]
    selected: Mapping[int, frozenset[str]]


@dataclass(frozen=True)
class Distractor:
    """A wrong option: how many analysed attempts chose it, in all and in each group."""

    option: str
    chosen: int
    upper: int
    lower: int


@dataclass(frozen=True)
class ItemStats:
    """One question's figures over the analysed attempts that asked it."""

    question_id: int
    asked: int
    right: int
    group_size: int  # g: attempts in each of the upper and lower groups (0: too few)
    upper_right: int
    lower_right: int
    distractors: tuple[Distractor, ...]
    flags: tuple[str, ...]

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def discrimination(self) -> float | None:
        if not self.group_size:
            return None
        return (self.upper_right - self.lower_right) / self.group_size


def group_size(n: int) -> int:
    """g for n attempts: 27% of them, at least 1, at most half (0 below two attempts)."""
    if n < 2:
        return 0
    return min(n // 2, max(1, round(GROUP_SHARE * n)))


def analyse_item(
    question_id: int,
    attempts: Sequence[MarkedAttempt],
    wrong_options: Sequence[str] = (),
) -> ItemStats:
    """The figures and flags of one question over `attempts` (those that asked it are
    used). `wrong_options`: a multiple choice question's distractors, in order."""
    asking = sorted(
        (a for a in attempts if question_id in a.right), key=lambda a: (-a.score, a.order)
    )
    g = group_size(len(asking))
    upper = asking[:g]
    lower = asking[len(asking) - g :] if g else []
    distractors = tuple(
        Distractor(
            option,
            sum(1 for a in asking if option in a.selected.get(question_id, ())),
            sum(1 for a in upper if option in a.selected.get(question_id, ())),
            sum(1 for a in lower if option in a.selected.get(question_id, ())),
        )
        for option in wrong_options
    )
    stats = ItemStats(
        question_id,
        len(asking),
        sum(1 for a in asking if a.right[question_id]),
        g,
        sum(1 for a in upper if a.right[question_id]),
        sum(1 for a in lower if a.right[question_id]),
        distractors,
        (),
    )
    return replace(stats, flags=flags(stats))


def flags(stats: ItemStats) -> tuple[str, ...]:
    """Why a question looks faulty, as short sentences (none with too few attempts)."""
    if stats.asked < MIN_FOR_FLAGS:
        return ()
    out = []
    d = stats.discrimination
    if d is not None and d < 0:
        out.append(f"negative discrimination ({d:+.2f}): weaker students got it right more often")
    for option in stats.distractors:
        if option.chosen == 0:
            out.append(f"distractor “{option.option}” was chosen by nobody")
        elif option.upper > option.lower:
            out.append(
                f"distractor “{option.option}” was chosen more by the strong students "
                f"({option.upper}) than by the weak ({option.lower})"
            )
    return tuple(out)


def _variance(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def cronbach_alpha(attempts: Sequence[MarkedAttempt]) -> float | None:
    """Cronbach's alpha of the attempts' 0/1 marks (None when it is undefined: fewer than
    two attempts or questions, attempts that asked different questions, no spread)."""
    if len(attempts) < 2:
        return None
    items = sorted(attempts[0].right)
    if len(items) < 2 or any(sorted(a.right) != items for a in attempts):
        return None
    totals = [float(sum(a.right.values())) for a in attempts]
    total_variance = _variance(totals)
    if total_variance == 0:
        return None
    item_variance = sum(_variance([float(a.right[q]) for a in attempts]) for q in items)
    k = len(items)
    return k / (k - 1) * (1 - item_variance / total_variance)
