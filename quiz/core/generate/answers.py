"""Answers and distractors: accepted forms of an answer and the wrong choices beside it."""

import re

from quiz.core.dates import MONTH_NAMES
from quiz.core.generate.items import Item
from quiz.core.generate.lexicon import DIGIT_WORDS, INNER_WORDS, STOP_WORDS

DISTRACTORS = 3


def _date_forms(item: Item) -> list[str]:
    parts = item.key.split("-")
    year, month = parts[0], int(parts[1])
    name = MONTH_NAMES[month - 1].capitalize()
    if len(parts) == 2:
        return [f"{name} {year}", f"{month}/{year}"]
    day = int(parts[2])
    return [f"{day} {name} {year}", f"{name} {day}, {year}", f"{day}/{month}/{year}", item.key]


def accepted_forms(item: Item, before: str) -> list[str]:
    """Other ways a learner may write the answer."""
    forms: list[str] = []
    if item.kind == "date":
        forms = _date_forms(item)
    elif item.kind == "number":
        value = float(item.key.rstrip("%"))
        if value.is_integer() and int(value) in DIGIT_WORDS and not item.text.isdigit():
            forms = [str(int(value))]
        elif value.is_integer() and int(value) in DIGIT_WORDS:
            forms = [DIGIT_WORDS[int(value)]]
        if "," in item.text:
            forms.append(item.text.replace(",", ""))
    elif item.kind == "phrase":
        article = re.search(r"(?:^|\s)(the|a|an)\s*$", before, re.IGNORECASE)
        if article:
            forms.append(f"{article.group(1)} {item.text}")
        if item.text.islower():
            forms.append(
                " ".join(w if w in INNER_WORDS else w.capitalize() for w in item.text.split())
            )
    seen = {item.text}
    result = []
    for form in forms:
        if form not in seen:
            seen.add(form)
            result.append(form)
    return result


def _closeness(answer: Item, other: Item) -> tuple[float, ...]:
    if answer.kind in {"date", "year"}:
        return (abs(int(answer.key[:4]) - int(other.key[:4])), 0.0)
    if answer.kind == "number":
        a, o = float(answer.key.rstrip("%")), float(other.key.rstrip("%"))
        return (abs(a - o) / max(abs(a), abs(o), 1.0), 0.0)
    a_words, o_words = answer.key.split(), other.key.split()
    same_head = 0.0 if a_words[-1] == o_words[-1] else 1.0
    shared = -len(set(a_words) & set(o_words) - STOP_WORDS)
    return (same_head, float(shared), float(abs(len(a_words) - len(o_words))))


def distractors(answer: Item, pool: dict[str, Item], passage: str) -> list[str]:
    """Up to three other items of the same kind, closest to the answer first.

    Closest: nearest in time for dates and years, in size for numbers; for phrases, those
    with the same last word ("ottoman empire", "russian empire") come first.
    """
    lowered = passage.lower()
    candidates = [
        other
        for key, other in pool.items()
        if key != answer.key
        and other.text.lower() != answer.text.lower()
        and other.text.lower() not in answer.text.lower()
        and answer.text.lower() not in other.text.lower()
    ]
    # Items the passage shows anyway come last: a learner could rule them out from it.
    candidates.sort(
        key=lambda other: (other.text.lower() in lowered, *_closeness(answer, other), other.key)
    )
    chosen: list[str] = []
    for other in candidates:
        if other.text.lower() not in {c.lower() for c in chosen}:
            chosen.append(other.text)
        if len(chosen) == DISTRACTORS:
            break
    return chosen
