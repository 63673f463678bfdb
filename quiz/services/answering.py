"""Grading a learner's response to a question: dispatches on the question type to the
grader in `quiz.core.grading` and says what to show afterwards. Only the services call it:
a screen sends what the learner did and gets the verdict back in an `Outcome`."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal, TypeVar

from quiz.bank.schema import GAP_MARK
from quiz.bank.schema import Cloze as Cloze  # the question types, re-exported for the TUI
from quiz.bank.schema import Flashcard as Flashcard
from quiz.bank.schema import MultipleChoice as MultipleChoice
from quiz.bank.schema import Ordering as Ordering
from quiz.bank.schema import QuestionBase as QuestionBase
from quiz.bank.schema import ShortAnswer as ShortAnswer
from quiz.bank.schema import TrueFalse as TrueFalse
from quiz.core.grading import (
    Grade,
    diff_answer,
    grade_choice,
    grade_cloze,
    grade_ordering,
    grade_text,
    grade_true_false,
)
from quiz.core.responses import ChoiceResponse as ChoiceResponse  # re-exported for the TUI
from quiz.core.responses import GapsResponse as GapsResponse
from quiz.core.responses import OrderResponse as OrderResponse
from quiz.core.responses import RecallResponse as RecallResponse
from quiz.core.responses import Response as Response
from quiz.core.responses import TruthResponse as TruthResponse
from quiz.core.responses import TypedResponse as TypedResponse
from quiz.core.responses import describe_response as describe_response

DiffKind = Literal["same", "extra", "missing"]
Segments = tuple[tuple[DiffKind, str], ...]
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


@dataclass(frozen=True)
class GapResult:
    """One cloze gap: what was typed, whether it counts, the expected answer."""

    typed: str
    correct: bool
    exact: bool
    expected: str
    diff: Segments
    reason: str = ""
    matched: str | None = None  # the accepted answer it matched, when right


@dataclass(frozen=True)
class Checked:
    """The verdict on a response, with what to show the learner."""

    correct: bool
    score: float
    exact: bool
    feedback: str
    expected: str  # the correct answer as text
    also_accepted: tuple[str, ...] = ()
    typed: str | None = None  # for typed answers
    diff: Segments = ()  # typed vs expected, when the typed answer was not exact
    gaps: tuple[GapResult, ...] = ()
    correct_choices: frozenset[str] = field(default_factory=frozenset)
    self_graded: bool = False  # flashcards: the learner rates themself
    reason: str = ""  # typed answers: why right or wrong ("exact", "synonym", "typo forgiven")
    matched: str | None = None  # short answer: the accepted answer it matched, when right
    overridden: bool = False  # the learner claimed a wrong typed answer was right

    @property
    def suggested_rating(self) -> int:
        """Again for a wrong answer, Good otherwise."""
        return GOOD if self.correct else AGAIN


def cloze_parts(question: Cloze) -> list[str | int]:
    """The cloze text split into text and gap numbers (0-based), in reading order."""
    parts: list[str | int] = []
    position = 0
    for mark in GAP_MARK.finditer(question.text):
        if mark.start() > position:
            parts.append(question.text[position : mark.start()])
        parts.append(int(mark.group(1)) - 1)
        position = mark.end()
    if position < len(question.text):
        parts.append(question.text[position:])
    return parts


def _closest(typed: str, accepted: list[str]) -> str:
    """The accepted answer that shares the most characters with `typed` (for the diff)."""

    def same(expected: str) -> int:
        return sum(len(text) for kind, text in diff_answer(typed, expected) if kind == "same")

    return max(accepted, key=lambda expected: (same(expected), -accepted.index(expected)))


def _typed(typed: str, accepted: list[str], grade: Grade) -> tuple[str, Segments]:
    """The answer to compare with, and the diff when the answer was not exact."""
    target = grade.matched or (_closest(typed, accepted) if typed.strip() else accepted[0])
    if grade.exact or not typed.strip():
        return target, ()
    return target, tuple(diff_answer(typed.strip(), target))


def _cloze_reason(correct: bool, gaps: list[GapResult]) -> str:
    """The reasons of the gaps that were not exact, in gap order, without repeats."""
    if correct and all(g.exact for g in gaps):
        return "exact"
    reasons: list[str] = []
    for gap in gaps:
        if gap.exact or (correct != gap.correct):
            continue
        for part in gap.reason.split(", "):
            if part and part not in reasons:
                reasons.append(part)
    return ", ".join(reasons)


T = TypeVar("T")


def _field(response: Response, kind: type[T]) -> T | None:
    return response if isinstance(response, kind) else None


def question_synonyms(question: QuestionBase) -> tuple[tuple[str, ...], ...]:
    """The question's own synonym groups (a typed question's `synonyms` field: groups of
    words that say the same), used on top of the grader's list."""
    if isinstance(question, ShortAnswer | Cloze):
        return tuple(tuple(group) for group in question.synonyms)
    return ()


def cloze_prompt(question: Cloze) -> str:
    """The cloze text without its gaps: the words a gap answer may repeat."""
    return GAP_MARK.sub(" ", question.text)


def check_response(question: QuestionBase, response: Response) -> Checked:
    """Grade `response` to `question` and say what to show. A response of another kind
    than the question asks for is graded as no answer. Typed answers are graded with the
    question's prompt (its words may be added or left out) and its synonyms."""
    synonyms = question_synonyms(question)
    if isinstance(question, ShortAnswer):
        typed_response = _field(response, TypedResponse)
        typed = typed_response.typed if typed_response else ""
        accepted = question.accepted_answers
        grade = grade_text(typed, accepted, question.prompt, synonyms)
        target, diff = _typed(typed, accepted, grade)
        return Checked(
            grade.correct,
            grade.score,
            grade.exact,
            grade.feedback,
            question.answer,
            tuple(question.accept),
            typed=typed,
            diff=diff,
            reason=grade.reason,
            matched=grade.matched,
        )
    if isinstance(question, Cloze):
        gaps_response = _field(response, GapsResponse)
        typed_gaps = list(gaps_response.gaps) if gaps_response else []
        accepted_gaps = [gap.all for gap in question.gaps]
        cloze = grade_cloze(typed_gaps, accepted_gaps, cloze_prompt(question), synonyms)
        gaps = []
        for index, (grade, accepted) in enumerate(zip(cloze.gaps, accepted_gaps, strict=True)):
            typed = typed_gaps[index] if index < len(typed_gaps) else ""
            target, diff = _typed(typed, accepted, grade)
            gaps.append(
                GapResult(
                    typed, grade.correct, grade.exact, target, diff, grade.reason, grade.matched
                )
            )
        return Checked(
            cloze.correct,
            cloze.score,
            all(g.exact for g in gaps),
            cloze.feedback,
            ", ".join(gap.answer for gap in question.gaps),
            gaps=tuple(gaps),
            reason=_cloze_reason(cloze.correct, gaps),
        )
    if isinstance(question, MultipleChoice):
        choice = _field(response, ChoiceResponse)
        grade = grade_choice(choice.selected if choice else (), question.answers)
        return Checked(
            grade.correct,
            grade.score,
            grade.exact,
            grade.feedback,
            "; ".join(question.answers),
            correct_choices=frozenset(question.answers),
        )
    if isinstance(question, TrueFalse):
        truth = _field(response, TruthResponse)
        if truth is None:
            grade = Grade(correct=False, score=0.0, matched=None, exact=False, feedback="No answer")
        else:
            grade = grade_true_false(truth.truth, question.answer)
        answer = "True" if question.answer else "False"
        return Checked(
            grade.correct,
            grade.score,
            grade.exact,
            grade.feedback,
            answer,
            correct_choices=frozenset({answer}),
        )
    if isinstance(question, Ordering):
        order = _field(response, OrderResponse)
        grade = grade_ordering(order.order if order else (), question.items)
        return Checked(
            grade.correct, grade.score, grade.exact, grade.feedback, " → ".join(question.items)
        )
    if isinstance(question, Flashcard):
        recall = _field(response, RecallResponse)
        if recall is not None and recall.knew is not None:  # the learner's own verdict
            knew = recall.knew
            return Checked(knew, float(knew), knew, "", question.back)
        return Checked(
            True, 1.0, True, "How well did you remember it?", question.back, self_graded=True
        )
    raise TypeError(f"no grader for question type {type(question).__name__}")


@dataclass(frozen=True)
class Outcome:
    """What became of one submitted response: saved as `answer_id`, graded as `checked`.

    `shown` says whether the verdict is to be shown now (always in review; in a drill or
    exam only with feedback after each question). `final`: the answer can no longer be
    changed. `intervals` are what each rating would do (review only; None when the answer
    is not rated, as in drills and exams)."""

    answer_id: int
    session_id: int
    question_id: int
    response: Response
    checked: Checked
    shown: bool = True
    final: bool = True
    intervals: dict[int, timedelta] | None = None
    right_answers: tuple[str, ...] = ()
    explanation: str | None = None

    @property
    def suggested_rating(self) -> int:
        return self.checked.suggested_rating


def right_answers(question: QuestionBase) -> tuple[str, ...]:
    """The answers to show as right (the main answer of a short answer question; True or
    False as the options read)."""
    if isinstance(question, ShortAnswer):
        return (question.answer,)
    if isinstance(question, TrueFalse):
        return ("True" if question.answer else "False",)
    return tuple(question.accepted_answers)
