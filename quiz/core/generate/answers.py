"""Accepted forms of an answer: the ways a student writes a date or a number."""

import re

from quiz.core.dates import MONTH_NAMES
from quiz.core.generate.items import Item
from quiz.core.generate.lexicon import DIGIT_WORDS, INNER_WORDS


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
