"""What does not matter when comparing typed answers, and the numbers that always do."""

import re
import unicodedata
from collections import Counter

ARTICLES = frozenset({"the", "a", "an"})
"""Leading words dropped from an answer ("The Ottoman Empire" is "Ottoman Empire")."""

# Letters that carry no accent to strip but that learners type without their mark.
_PLAIN_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
    }
)
_APOSTROPHES = re.compile(r"['’‘`]")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DIGIT_RUN = re.compile(r"\d+")
# Roman numerals i to xxxix only: regnal numbers ("Napoleon III"), not words like "mix" or "li".
_ROMAN = re.compile(r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}

# fmt: off
_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
_ORDINAL_UNITS = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
    "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
    "sixteenth", "seventeenth", "eighteenth", "nineteenth",
]
_TENS = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
]
# fmt: on
NUMBER_WORDS: dict[str, int] = {
    **{word: value for value, word in enumerate(_UNITS)},
    **{word: value for value, word in enumerate(_ORDINAL_UNITS)},
    **{word: 20 + 10 * i for i, word in enumerate(_TENS)},
    **{word[:-1] + "ieth": 20 + 10 * i for i, word in enumerate(_TENS)},
    "hundred": 100,
    "hundredth": 100,
    "thousand": 1000,
    "thousandth": 1000,
    "million": 1_000_000,
    "millionth": 1_000_000,
}
"""English number words (cardinal and ordinal) and their values."""


def normalise(text: str) -> str:
    """Fold `text` to the form answers are compared in.

    Case-folds, strips accents, deletes zero-width and other format characters (a zero-width
    space does not split a word), deletes apostrophes, reads "&" as "and", drops thousands
    commas ("1,000" is "1000"), turns other punctuation into spaces, collapses spaces and
    drops leading articles (the, a, an) unless nothing else is left. Digits are kept.
    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(
        c for c in folded if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    folded = folded.casefold().translate(_PLAIN_LETTERS)
    folded = folded.replace("&", " and ")
    folded = _THOUSANDS_COMMA.sub("", folded)
    folded = _APOSTROPHES.sub("", folded)
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    while len(words) > 1 and words[0] in ARTICLES:
        words.pop(0)
    return " ".join(words)


def _roman_value(word: str) -> int:
    total = 0
    for i, letter in enumerate(word):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[word[i + 1]] if i + 1 < len(word) else 0
        total += -value if value < following else value
    return total


def numbers(normalised: str) -> Counter[int]:
    """The multiset of numbers in a normalised answer.

    A number is a run of digits (by value: "03" is 3), a roman numeral from i to xxxix
    standing as a word, or an English number word ("three", "third").
    """
    found: Counter[int] = Counter()
    for word in normalised.split():
        found.update(int(run) for run in _DIGIT_RUN.findall(word))
        if _ROMAN.fullmatch(word):
            found[_roman_value(word)] += 1
        elif word in NUMBER_WORDS:
            found[NUMBER_WORDS[word]] += 1
    return found


def symbols(text: str) -> str:
    """The form an answer of only symbols or emoji is compared in, where `normalise` leaves
    nothing: NFKC, case-folded, without spaces, marks (emoji variation selectors) and
    zero-width or other format characters. "" for an answer with none."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c)[0] not in "MC")
