"""Sentences, even in material without full stops, and headings.

Punctuated material is cut at its sentence ends (:func:`quiz.core.generate.text.sentences`).
Run-on material ("... on the other side the treaty came about to resolve ...") is cut
where a new clause with its own subject begins: before a pronoun, determiner or name that
follows a content word and is followed within a few words by a finite verb, when the text
since the last cut has a finite verb of its own (so a sentence is never left without one).
"""

import re
from collections.abc import Sequence

from quiz.core.generate.lexicon import STOP_WORDS
from quiz.core.generate.text import Token, sentences

# fmt: off
SUBJECT_STARTS = frozenset({
    "the", "they", "it", "he", "she", "this", "these", "those", "there", "we", "its", "his",
    "their", "during", "despite", "thus", "however", "although", "while", "i", "our", "all",
})
FINITE = frozenset({
    "is", "are", "was", "were", "has", "had", "have", "did", "does", "came", "began", "became",
    "gave", "took", "made", "led", "fought", "won", "lost", "held", "met", "sent", "saw", "went",
    "brought", "kept", "shall", "will", "would", "could", "should", "may", "might", "must",
    "can", "wanted", "sought", "rose", "fell", "grew", "knew", "thought", "told", "spoke",
})
NOT_VERBS = frozenset({"united", "red", "bed", "need", "seed", "speed", "hundred", "indeed"})
# fmt: on
VERB_REACH = 6  # a new clause's verb comes within this many words of its first word
MIN_WORDS = 5  # no sentence shorter than this is cut off
RUN_ON_WORDS = 40  # punctuated sentences longer than this are cut as run-on text too
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


def finite_verb(words: Sequence[str], i: int) -> bool:
    """Whether the word at `i` reads as a finite verb (a guess without a tagger)."""
    word = words[i].lower()
    if word in FINITE:
        return True
    if len(word) > 4 and word.endswith("ed") and word not in NOT_VERBS:
        before = words[i - 1].lower() if i > 0 else ""
        return before not in {"the", "a", "an", "their", "its", "his", "her", "our", "of"}
    return False


def _starts_clause(words: Sequence[str], cased: Sequence[str], i: int) -> bool:
    word, previous = words[i].lower(), words[i - 1]
    named = cased[i][:1].isupper()
    if not (word in SUBJECT_STARTS or named):
        return False
    if not _WORD.match(previous) or previous.lower() in STOP_WORDS:
        return False  # "of the", "on the", ", the"
    if named and cased[i - 1][:1].isupper():
        return False  # inside a name, or a list of names
    if finite_verb(words, i - 1) or previous.lower().endswith("ing"):
        return False  # an object: "resumed their rivalry", "losing the war"
    if i >= 2 and words[i - 2].lower() == "to":
        return False  # "to resolve the crimean war"
    return any(finite_verb(words, j) for j in range(i + 1, min(i + 1 + VERB_REACH, len(words))))


def _cut_run_on(
    words: Sequence[str], cased: Sequence[str], span: tuple[int, int]
) -> list[tuple[int, int]]:
    start, end = span
    cuts = [start]
    verb_since_cut = False
    for i in range(start, end):
        if (
            verb_since_cut
            and i - cuts[-1] >= MIN_WORDS
            and end - i >= MIN_WORDS
            and _starts_clause(words, cased, i)
        ):
            cuts.append(i)
            verb_since_cut = False
        if finite_verb(words, i):
            verb_since_cut = True
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]


def sentence_spans(text: str, tokens: list[Token], cased: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of sentences, run-on text cut into clauses with subjects."""
    words = [t.text for t in tokens]
    spans = []
    for span in sentences(text, tokens):
        if span[1] - span[0] > RUN_ON_WORDS:
            spans.extend(_cut_run_on(words, cased, span))
        else:
            spans.append(span)
    return spans


def is_heading(text: str, tokens: list[Token], span: tuple[int, int]) -> bool:
    """A short line of its own without a verb ("Morocco", "Britain and France")."""
    words = [t.text for t in tokens[span[0] : span[1]]]
    start, end = tokens[span[0]].start, tokens[span[1] - 1].end
    own_line = (start == 0 or "\n" in text[max(start - 2, 0) : start]) and (
        end == len(text) or "\n" in text[end : end + 2]
    )
    return (
        own_line
        and 0 < len(words) <= 5
        and not words[-1].endswith((".", "!", "?", ":", ";", ","))
        and not any(finite_verb(words, i) for i in range(len(words)))
    )
