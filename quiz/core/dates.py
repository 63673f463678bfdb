"""Dates in the forms people write them ("30 March 1856", "30/3/1856", "1856-03-30")."""

import datetime
import re

from quiz.core.normalise import normalise

# fmt: off
MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]
# fmt: on
MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
"""Month names and abbreviations (lower case) and their numbers."""
# fmt: off
_WEEKDAYS = [
    "monday", "mon", "tuesday", "tues", "tue", "wednesday", "wed", "thursday", "thurs", "thur",
    "thu", "friday", "fri", "saturday", "sat", "sunday", "sun",
]
# fmt: on

_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = "(?:(?:" + "|".join(_WEEKDAYS) + ") )?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{3,4})"

# Matched against normalised text, so "/", ".", "-" and "," have become single spaces.
_FORMS = [
    re.compile(_WEEKDAY + _DAY + "(?: of)? " + _MONTH + " " + _YEAR),  # 30th of March 1856
    re.compile(_WEEKDAY + _MONTH + " " + _DAY + " " + _YEAR),  # March 30, 1856
    re.compile(r"(?P<day>\d{1,2}) (?P<month>\d{1,2}) " + _YEAR),  # 30/3/1856, 30.03.1856
    re.compile(r"(?P<year>\d{4}) (?P<month>\d{1,2}) (?P<day>\d{1,2})"),  # 1856-03-30
]


def parse_date(text: str) -> datetime.date | None:
    """The full date `text` writes, or None if it is not one.

    Understands "30 March 1856", "30th of March 1856", "30 Mar 1856", "March 30, 1856"
    (optionally after a weekday), "30/3/1856" and "30.03.1856" (always day first), and
    "1856-03-30" (ISO). Years have 3 or 4 digits (4 in ISO). Month-year ("March 1856"),
    a bare year and impossible dates (31 February) give None.
    """
    folded = normalise(text)
    for form in _FORMS:
        match = form.fullmatch(folded)
        if match is None:
            continue
        month = match["month"]
        try:
            return datetime.date(
                int(match["year"]),
                MONTHS[month] if month in MONTHS else int(month),
                int(match["day"]),
            )
        except ValueError:
            return None
    return None
