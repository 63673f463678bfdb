"""Dates written out in words, as laws and proclamations write them: "the twenty-second
day of september , in the year of our lord one thousand eight hundred and sixty-two"
(22 September 1862), "the first day of january, eighteen hundred and sixty-three"."""

import re

from quiz.core.dates import MONTH_NAMES

# fmt: off
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_ORDINAL_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                  "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                  "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                  "twentieth": 20, "thirtieth": 30}
# fmt: on
_ORDINAL = r"(?:(?:twenty|thirty)[- ])?(?:" + "|".join(_ORDINAL_UNITS) + ")"
_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand", "and"], key=len)[::-1])
_YEAR_WORDS = rf"(?:(?:{_NUMBER_WORD})\b(?:-|\s+)?)+"
WRITTEN_DATE = re.compile(
    rf"\b(?P<day>{_ORDINAL})\s+day\s+of\s+(?P<month>{'|'.join(MONTH_NAMES)})\s*,?\s*"
    rf"(?:in\s+the\s+year\s+(?:of\s+our\s+lord\s+)?)?(?P<year>{_YEAR_WORDS})",
    re.IGNORECASE,
)


def ordinal_value(words: str) -> int | None:
    """1-31 from "first" ... "thirty-first"; None for anything else."""
    total = 0
    for part in re.split(r"[- ]+", words.lower()):
        if part in _TENS:
            total += _TENS[part]
        elif part in _ORDINAL_UNITS:
            total += _ORDINAL_UNITS[part]
        else:
            return None
    return total if 1 <= total <= 31 else None


def year_value(words: str) -> int | None:
    """A year from its words: "one thousand eight hundred and sixty-two" or "eighteen
    hundred and sixty-two" -> 1862; None unless it is a plausible year (1000-2099)."""
    total = current = 0
    for part in re.split(r"[- ]+|\s+", words.lower().strip()):
        if part in {"", "and"}:
            continue
        if part in _UNITS:
            current += _UNITS[part]
        elif part in _TENS:
            current += _TENS[part]
        elif part == "hundred":
            current *= 100
        elif part == "thousand":
            total += current * 1000
            current = 0
        else:
            return None
    year = total + current
    return year if 1000 <= year <= 2099 else None


def written_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key "YYYY-MM-DD") of every date written out in words."""
    found = []
    for m in WRITTEN_DATE.finditer(text):
        day = ordinal_value(m.group("day"))
        year_words = m.group("year").rstrip()
        year_words = re.sub(r"(?:\s+and)+$", "", year_words)
        year = year_value(year_words)
        if day is None or year is None:
            continue
        month = MONTH_NAMES.index(m.group("month").lower()) + 1
        end = m.start("year") + len(year_words)
        found.append((m.start("day"), end, f"{year}-{month:02d}-{day:02d}"))
    return found
