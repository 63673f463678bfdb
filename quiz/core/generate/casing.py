"""Capitals for what learners see: kept where the material has them, restored where it
is written all in lower case.

Lower-cased material ("the treaty of paris was signed ... with russia") gets its
capitals back from truecase's statistical model (the optional `drafting` extra: the
model ships inside its wheel, nothing is downloaded), which also tells names from common
words. Without truecase, capitals come back only for the names the text builds as names
(:mod:`.recased`: "the crimean war", "kingdom of sardinia", "france , britain , the
ottoman empire"), so the drafter finds fewer names. Deterministic either way.
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from quiz.core.generate.recased import restore_from_text

LOWER_CASED_SHARE = 0.01  # fewer capitalised words than this: the material lost its case
NAME_SHARE = 3  # a lone word is a name when the model saw it capitalised 3 times as often
_Caser = Callable[[list[str]], list[str]]


def lost_its_case(words: Sequence[str]) -> bool:
    """Whether material is written (almost) all in lower case."""
    letters = [w for w in words if w[:1].isalpha()]
    if not letters:
        return False
    return sum(w[:1].isupper() for w in letters) / len(letters) < LOWER_CASED_SHARE


@cache
def _truecaser() -> _Caser | None:
    try:
        from truecase import get_truecaser
    except ImportError:
        return None
    model = get_truecaser()

    def restore(words: list[str]) -> list[str]:
        cased = [
            str(w)
            for w in model.get_true_case_from_tokens(words, out_of_vocabulary_token_option="as-is")
        ]
        counts = model.uni_dist
        out = []
        for i, word in enumerate(cased):
            # A word the model capitalised although it is often written in lower case
            # stays lower case unless a capitalised neighbour makes it part of a name
            # ("the Black Sea", but "the left bank", "international trade").
            neighbours = [cased[j] for j in (i - 1, i + 1) if 0 <= j < len(cased)]
            lone = not any(n[:1].isupper() for n in neighbours)
            if word[:1].isupper() and lone and counts[word] < NAME_SHARE * counts[word.lower()]:
                word = word.lower()
            out.append(word)
        return out

    return restore


@cache
def _counts() -> Any:
    try:
        from truecase import get_truecaser
    except ImportError:
        return None
    return get_truecaser().uni_dist


def usually_capitalised(word: str) -> bool | None:
    """Whether English writes this word capitalised (a name) far more often than in lower
    case, by the truecase model's counts; None without the model or for an unknown word."""
    counts = _counts()
    if counts is None:
        return None
    capital, lower = int(counts[word.capitalize()]), int(counts[word.lower()])
    if not capital and not lower:
        return None
    return bool(capital >= NAME_SHARE * lower)


def truecase_available() -> bool:
    """Whether the optional truecase model can be used."""
    return _truecaser() is not None


def cased_words(words: Sequence[str], use_model: bool = True) -> list[str]:
    """The words as learners should see them: as written, or with capitals restored when
    the material lost its case (and the model is there and `use_model`)."""
    if not lost_its_case(words):
        return list(words)
    restore = _truecaser() if use_model else None
    if restore is None:
        return restore_from_text(words)
    cased = restore([w.lower() for w in words])
    if cased:
        cased[0] = words[0]  # the model capitalises the first word whatever it is
    # The model's guess is kept only where it changes case alone, never the letters; the
    # names the text builds as names are capitalised whole ("the Crimean War").
    kept = [c if c.lower() == w.lower() else w for c, w in zip(cased, words, strict=True)]
    return restore_from_text(kept)


_INNER = frozenset({"of", "and", "the", "de", "la", "von", "van", "al"})


def displayed(words: Sequence[str]) -> list[str]:
    """Words for display: shouting capitals tamed ("MOHAMMED" -> "Mohammed", "UNITED
    STATES OF AMERICA" -> "United States of America"), acronyms ("NATO", "EU") kept."""
    cores = [w.strip(".,;:!?()[]\"'‘’“”") for w in words]
    shouted = [c.isupper() and c.isalpha() and len(c) > 1 for c in cores]
    out = []
    for i, (word, core) in enumerate(zip(words, cores, strict=True)):
        long_neighbour = any(
            0 <= j < len(words) and shouted[j] and len(cores[j]) > 4 for j in (i - 1, i + 1)
        )
        in_run = (
            shouted[i]
            and (long_neighbour or len(core) > 4)
            and ((i > 0 and shouted[i - 1]) or (i + 1 < len(words) and shouted[i + 1]))
        )  # "UNITED STATES OF AMERICA", but "the US, UK, France"
        if shouted[i] and (in_run or len(core) > 4):
            fixed = core.lower() if in_run and core.lower() in _INNER and i else core.capitalize()
            word = word.replace(core, fixed)
        out.append(word)
    return out
