"""Grading answers: typed text (with typo forgiveness), cloze gaps, choices, orderings.

Pure and deterministic; takes plain values, knows nothing of banks, storage or UI.

Typed answers are compared after :func:`normalise` (case, accents, punctuation, spacing
and leading articles do not matter). Two written dates that are the same day match
(:func:`parse_date`). Otherwise a typo is forgiven when all of these hold:

* the numbers (digit runs, roman numerals i-xxxix, number words) are the same multiset,
  so "1853" never passes for "1856" nor "Alexander I" for "Alexander II";
* word by word, each typed word starts with the same letter as the expected word and is
  within its edit budget (OSA distance: insert, delete, substitute, swap neighbours):
  0 edits for words of up to 4 letters, 1 for 5-9, 2 for 10 or more. If the number of
  words differs (a missing or extra space), the answers are compared with spaces removed,
  with at most 1 edit;
* the whole answer's ``rapidfuzz.fuzz.ratio`` reaches :func:`typo_threshold`, which grows
  with the expected answer's length and caps the total number of typos.
"""

import datetime
import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from quiz.core.dates import parse_date
from quiz.core.meaning import (
    is_guess_list,
    meaning_match,
    negates,
    negation_count,
    without_prompt_words,
)
from quiz.core.normalise import normalise, numbers, symbols

__all__ = [
    "ClozeGrade",
    "DiffKind",
    "Grade",
    "diff_answer",
    "grade_choice",
    "grade_cloze",
    "grade_ordering",
    "grade_text",
    "grade_true_false",
    "normalise",
    "parse_date",
    "typo_threshold",
    "word_edit_budget",
]

DiffKind = Literal["same", "extra", "missing"]


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    `score` is the credit in 0..1: for typed text 1.0 when exact or when the answer says
    the same in other words, the similarity (ratio/100) when a typo was forgiven, 0.0 when
    wrong. `matched` is the accepted answer that matched (typed text only). `exact` is
    False for wrong answers, forgiven typos and answers in other words. `reason` says why
    (typed text): "exact", "same date", "typo forgiven", "synonym", "inflection", "extra
    words from the question", ... or why not ("a list of guesses", "check the numbers").
    """

    correct: bool
    score: float
    matched: str | None
    exact: bool
    feedback: str
    reason: str = ""


@dataclass(frozen=True)
class ClozeGrade:
    """The verdict on a cloze: right only when every gap is; `score` = share of gaps right."""

    correct: bool
    score: float
    gaps: tuple[Grade, ...]
    feedback: str


def typo_threshold(length: int) -> float:
    """The least ``fuzz.ratio`` (0-100) for forgiving typos in an answer of `length` chars.

    80 below 20 characters, 88 below 40, 90 from 40 on. A substituted character costs
    about 100/length, so this allows roughly one slip per 5 characters in short answers,
    one per 8 in medium ones and one per 10 in long ones: more typos in absolute terms as
    answers grow, fewer per character. Below 20 characters the word budgets (see
    :func:`word_edit_budget`; none for words of up to 4 letters) already keep the ratio at
    80 or more, so there it is only a backstop; from 20 on it caps the total of typos
    that each word's budget would allow.
    """
    if length < 20:
        return 80.0
    if length < 40:
        return 88.0
    return 90.0


def word_edit_budget(length: int) -> int:
    """How many edits (OSA distance) are forgiven in one expected word of `length` chars.

    None up to 4 letters ("Nile" vs "Nice"), 1 for 5-9 letters, 2 from 10 letters on.
    """
    if length <= 4:
        return 0
    if length <= 9:
        return 1
    return 2


def _close(typed: str, expected: str, budget: int) -> bool:
    return (
        typed[:1] == expected[:1]
        and OSA.distance(typed, expected) <= budget
        and not negates(typed, expected)  # "inimpediments" is no typo of "impediments"
    )


def _typo_forgiven(typed: str, expected: str) -> bool:
    """Whether normalised `typed` passes for normalised `expected` (see module docstring)."""
    if numbers(typed) != numbers(expected):
        return False
    if negation_count(typed) != negation_count(expected):
        return False  # "Russia no" is no typo of "Russians"
    if fuzz.ratio(typed, expected) < typo_threshold(len(expected)):
        return False
    typed_words, expected_words = typed.split(), expected.split()
    if len(typed_words) != len(expected_words):
        compact_expected = expected.replace(" ", "")
        budget = min(1, word_edit_budget(len(compact_expected)))
        return _close(typed.replace(" ", ""), compact_expected, budget)
    return all(
        t == e or _close(t, e, word_edit_budget(len(e)))
        for t, e in zip(typed_words, expected_words, strict=True)
    )


def _words(folded: str) -> list[str]:
    """The words of a normalised answer that hold no number."""
    return [w for w in folded.split() if not numbers(w)]


def _exact_match(typed: str, typed_date: datetime.date | None, expected: str) -> str | None:
    """Why `typed` is `expected` (after normalising), or None."""
    folded = normalise(expected)
    if not folded:
        return None
    if typed == folded:
        return "exact"
    expected_date = parse_date(folded)
    if typed_date is not None and expected_date is not None:
        return "same date" if typed_date == expected_date else None
    if typed.replace(" ", "") == folded.replace(" ", "") and numbers(typed) == numbers(folded):
        return "exact"
    return None


def _date_in_words(
    typed: str, prompt: str, expected: datetime.date, synonyms: Sequence[Sequence[str]]
) -> bool:
    """Whether `typed` is the `expected` date with filler and words of the prompt around it."""
    return parse_date(without_prompt_words(typed, prompt, synonyms)) == expected


def _in_other_words(
    response: str,
    typed: str,
    accepted: Sequence[str],
    prompt: str,
    synonyms: Sequence[Sequence[str]],
) -> tuple[str, str] | None:
    """(accepted answer, reason) when `typed` says an accepted answer in other words."""
    for alternative in accepted:
        folded = normalise(alternative)
        if not folded:
            continue
        expected_date = parse_date(folded)
        if expected_date is not None:
            if _date_in_words(typed, prompt, expected_date, synonyms):
                return alternative, "same date, extra words from the question"
            continue
        reason = meaning_match(typed, folded, prompt, synonyms)
        if reason is not None:
            return alternative, reason
    return None


def _grade_symbols(response: str, accepted: Sequence[str]) -> Grade:
    """Grade an answer of only symbols or emoji (nothing left once normalised): right
    when it has the same symbols as an accepted answer that is itself only symbols; it
    is no answer at all (punctuation, spaces) where every accepted answer has words."""
    typed = symbols(response)
    for alternative in accepted:
        if typed and not normalise(alternative) and symbols(alternative) == typed:
            return Grade(
                correct=True,
                score=1.0,
                matched=alternative,
                exact=True,
                feedback="Correct",
                reason="same symbols",
            )
    answered = bool(typed) and any(not normalise(alternative) for alternative in accepted)
    return Grade(
        correct=False,
        score=0.0,
        matched=None,
        exact=False,
        feedback="Wrong" if answered else "No answer",
        reason="does not say the answer" if answered else "no answer",
    )


def grade_text(
    response: str,
    accepted: Sequence[str],
    prompt: str = "",
    synonyms: Sequence[Sequence[str]] = (),
) -> Grade:
    """Grade a typed answer against the accepted alternatives (any one counts).

    Exact matches (after normalising; the same date in another written form; the same
    letters with different spacing) win over forgiven typos; among typos the most similar
    alternative is reported. Then an answer that says an alternative in other words counts
    (:func:`quiz.core.meaning.meaning_match`: filler ignored, inflections and synonyms,
    words of `prompt` added or left out; `synonyms` are extra synonym groups for this
    question), unless it is a list of guesses. An empty answer is wrong. Two answers that
    both are full dates match only when they are the same day: no typo is forgiven between
    dates.
    """
    if not accepted:
        raise ValueError("grade_text needs at least one accepted answer")
    typed = normalise(response)
    if not typed:
        return _grade_symbols(response, accepted)
    typed_date = parse_date(typed)
    for alternative in accepted:
        why = _exact_match(typed, typed_date, alternative)
        if why is not None:
            return Grade(
                correct=True,
                score=1.0,
                matched=alternative,
                exact=True,
                feedback="Correct",
                reason=why,
            )

    best: tuple[float, str] | None = None
    numbers_differ = False
    for alternative in accepted:
        folded = normalise(alternative)
        if numbers(typed) != numbers(folded) and _words(typed) == _words(folded):
            numbers_differ = True
        if not folded:
            continue
        if typed_date is not None and parse_date(folded) is not None:
            numbers_differ = True  # both are dates, and not the same day
            continue
        if _typo_forgiven(typed, folded):
            similarity = fuzz.ratio(typed, folded) / 100
            if best is None or similarity > best[0]:
                best = (similarity, alternative)
    if best is not None:
        similarity, alternative = best
        return Grade(
            correct=True,
            score=similarity,
            matched=alternative,
            exact=False,
            feedback=f"Correct (typo forgiven: expected {alternative!r})",
            reason="typo forgiven",
        )
    if not numbers_differ:
        found = _in_other_words(response, typed, accepted, prompt, synonyms)
        if found is not None:
            alternative, reason = found
            if is_guess_list(response, accepted, prompt, synonyms):
                return Grade(
                    correct=False,
                    score=0.0,
                    matched=None,
                    exact=False,
                    feedback="Wrong (a list of guesses: give one answer)",
                    reason="a list of guesses",
                )
            return Grade(
                correct=True,
                score=1.0,
                matched=alternative,
                exact=False,
                feedback=f"Correct ({reason}: expected {alternative!r})",
                reason=reason,
            )
    feedback = "Wrong (check the numbers)" if numbers_differ else "Wrong"
    return Grade(
        correct=False,
        score=0.0,
        matched=None,
        exact=False,
        feedback=feedback,
        reason="check the numbers" if numbers_differ else "does not say the answer",
    )


def grade_cloze(
    responses: Sequence[str],
    gaps: Sequence[Sequence[str]],
    prompt: str = "",
    synonyms: Sequence[Sequence[str]] = (),
) -> ClozeGrade:
    """Grade a cloze: gap i is graded by :func:`grade_text` against ``gaps[i]`` (with
    `prompt`, the cloze text without its gaps, and `synonyms`).

    Right only when there is one response per gap and every gap is right. Missing
    responses count as empty answers; extra responses make the cloze wrong. `score` is
    the gaps right over the number of gaps (or of responses, if there are more).
    """
    if not gaps:
        raise ValueError("grade_cloze needs at least one gap")
    padded = [*responses, *[""] * (len(gaps) - len(responses))]
    grades = tuple(
        grade_text(r, accepted, prompt, synonyms) for r, accepted in zip(padded, gaps, strict=False)
    )
    right = sum(g.correct for g in grades)
    score = right / max(len(gaps), len(responses))
    if len(responses) != len(gaps):
        feedback = f"Wrong (expected {len(gaps)} answers, got {len(responses)})"
        return ClozeGrade(correct=False, score=score, gaps=grades, feedback=feedback)
    if right == len(gaps):
        return ClozeGrade(correct=True, score=1.0, gaps=grades, feedback="Correct")
    feedback = f"Wrong ({right} of {len(gaps)} gaps right)"
    return ClozeGrade(correct=False, score=score, gaps=grades, feedback=feedback)


def grade_choice(selected: Collection[str], correct: Collection[str]) -> Grade:
    """Grade a multiple choice: right only when the selected set is exactly the correct set.

    Choices compare as exact strings. `score` is the Jaccard similarity of the two sets.
    """
    wanted, chosen = set(correct), set(selected)
    if not wanted:
        raise ValueError("grade_choice needs at least one correct choice")
    if chosen == wanted:
        return Grade(correct=True, score=1.0, matched=None, exact=True, feedback="Correct")
    score = len(chosen & wanted) / len(chosen | wanted)
    if not chosen:
        return Grade(correct=False, score=0.0, matched=None, exact=False, feedback="No answer")
    notes = []
    if missed := sorted(wanted - chosen):
        notes.append("missed: " + ", ".join(map(repr, missed)))
    if wrong := sorted(chosen - wanted):
        notes.append("not correct: " + ", ".join(map(repr, wrong)))
    return Grade(
        correct=False,
        score=score,
        matched=None,
        exact=False,
        feedback=f"Wrong ({'; '.join(notes)})",
    )


def grade_true_false(response: bool, answer: bool) -> Grade:
    """Grade a true/false answer."""
    if response == answer:
        return Grade(correct=True, score=1.0, matched=None, exact=True, feedback="Correct")
    return Grade(
        correct=False,
        score=0.0,
        matched=None,
        exact=False,
        feedback=f"Wrong (the statement is {'true' if answer else 'false'})",
    )


def _longest_in_order(response: Sequence[str], items: Sequence[str]) -> int:
    """Length of the longest subsequence of `response` in the order of `items`."""
    position = {item: i for i, item in enumerate(items)}
    ranks = [position[r] for r in response if r in position]
    best = [0] * len(ranks)  # best[i]: longest increasing run of ranks ending at i
    for i, rank in enumerate(ranks):
        best[i] = 1 + max((best[j] for j in range(i) if ranks[j] < rank), default=0)
    return max(best, default=0)


def grade_ordering(response: Sequence[str], items: Sequence[str]) -> Grade:
    """Grade an ordering: right only when `response` is exactly `items` (the correct order).

    `score` is a longest-increasing-subsequence measure: with L the most items of the
    response already in the right relative order and n the number of items,
    ``(L - 1) / (n - 1)`` (clamped to 0..1), so one item out of place still scores high and
    the reverse order scores 0. Items compare as exact strings.
    """
    if not items:
        raise ValueError("grade_ordering needs at least one item")
    if list(response) == list(items):
        return Grade(correct=True, score=1.0, matched=None, exact=True, feedback="Correct")
    n = len(items)
    in_order = _longest_in_order(response, items)
    score = max(0.0, (in_order - 1) / (n - 1)) if n > 1 else 0.0
    return Grade(
        correct=False,
        score=score,
        matched=None,
        exact=False,
        feedback=f"Wrong ({in_order} of {n} in the right relative order)",
    )


def diff_answer(typed: str, expected: str) -> list[tuple[DiffKind, str]]:
    """Compare a typed answer with the expected one character by character (like Anki).

    Segments are ("same", text), ("extra", typed but not expected) and ("missing",
    expected but not typed), in reading order, never empty, adjacent ones of a kind
    merged. Characters are aligned ignoring case (difflib.SequenceMatcher); where aligned
    characters differ only in case, they show as an extra/missing pair, so the original
    texts come back exactly: same + extra segments give `typed`, same + missing `expected`.
    """
    matcher = difflib.SequenceMatcher(
        None, [c.casefold() for c in typed], [c.casefold() for c in expected], autojunk=False
    )
    segments: list[tuple[DiffKind, str]] = []

    def add(kind: DiffKind, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + text)
        else:
            segments.append((kind, text))

    for op, t1, t2, e1, e2 in matcher.get_opcodes():
        if op != "equal":
            add("extra", typed[t1:t2])
            add("missing", expected[e1:e2])
            continue
        for t, e in zip(typed[t1:t2], expected[e1:e2], strict=True):
            if t == e:
                add("same", t)
            else:
                add("extra", t)
                add("missing", e)
    return segments
