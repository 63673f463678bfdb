"""Distractors of the answer's kind: a treaty for a treaty, a state for a state, a
plausible year for a year; from the same text first, varied between questions, never
overlapping each other or the answer, never a word of the question itself."""

import re
import zlib
from collections import Counter
from collections.abc import Sequence

from quiz.core.generate.candidates import Answer
from quiz.core.generate.lexicon import STOP_WORDS

DISTRACTORS = 3
GEOGRAPHIC = frozenset({"state", "place"})
_YEAR_STEPS = (1, -1, 2, -2, 3, -3, 5, -5)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS}


def overlaps(a: str, b: str) -> bool:
    """Whether two options overlap: one inside the other, or the same leading word
    ("Russia" and "Russian Empire" both say Russia)."""
    x, y = a.lower(), b.lower()
    if x == y or x in y or y in x:
        return True
    first_x, first_y = x.split()[0], y.split()[0]
    return first_x[:5] == first_y[:5] and len(first_x) >= 4 and len(first_y) >= 4


def _tier(answer: Answer, other: Answer) -> int | None:
    if other.category == answer.category:
        return 0
    if answer.category in GEOGRAPHIC and other.category in GEOGRAPHIC:
        return 1
    return None


def _closeness(answer: Answer, other: Answer) -> float:
    if answer.kind in {"date", "year"}:
        return abs(int(answer.key[:4]) - int(other.key[:4]))
    return abs(len(answer.key.split()) - len(other.key.split()))


def _years_near(answer: Answer, taken: set[str]) -> list[str]:
    year = int(answer.key[:4])
    return [str(year + step) for step in _YEAR_STEPS if str(year + step) not in taken]


def pick_distractors(
    answer: Answer,
    shown: str,
    pool: Sequence[tuple[Answer, str]],
    stem: str,
    used: Counter[str],
) -> list[str]:
    """Up to three wrong options for `answer` (shown as `shown`), from `pool` (candidates
    of the text with their shown forms); less used ones first, so questions vary. For a
    year without enough other years in the text, nearby years."""
    stem_words = _words(stem)
    ranked = []
    for other, other_shown in pool:
        tier = _tier(answer, other)
        if tier is None or other.key == answer.key:
            continue
        if _words(other_shown) & stem_words:
            continue  # never the question's own subject, nor a year it shows
        salt = zlib.crc32(f"{answer.key}|{other.key}".encode())
        ranked.append((tier, used[other_shown], _closeness(answer, other), salt, other_shown))
    ranked.sort()
    chosen: list[str] = []
    for *_, option in ranked:
        if any(overlaps(option, c) for c in [shown, *chosen]):
            continue
        chosen.append(option)
        if len(chosen) == DISTRACTORS:
            break
    if answer.kind == "year" and len(chosen) < DISTRACTORS:
        taken = {shown, *chosen} | stem_words
        chosen += _years_near(answer, taken)[: DISTRACTORS - len(chosen)]
    for option in chosen:
        used[option] += 1
    return chosen if len(chosen) == DISTRACTORS else []
