"""Checking a learner's response to a question: dispatches on the question type to the
grader in `quiz.core.grading` and returns what a screen shows afterwards."""

from dataclasses import dataclass, field
from typing import Any, Literal

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

DiffKind = Literal["same", "extra", "missing"]
Segments = tuple[tuple[DiffKind, str], ...]
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


@dataclass(frozen=True)
class Response:
    """What the learner gave. Only the field for the question's type is set:
    `typed` (short answer), `gaps` (cloze), `selected` (multiple choice), `truth`
    (true/false), `order` (ordering); a flashcard only has `revealed`."""

    typed: str | None = None
    gaps: tuple[str, ...] | None = None
    selected: tuple[str, ...] | None = None
    truth: bool | None = None
    order: tuple[str, ...] | None = None
    revealed: bool = False
    shown: tuple[str, ...] | None = None  # the options in the order they were shown

    def to_dict(self) -> dict[str, Any]:
        """The response as stored with the answer (JSON)."""
        data: dict[str, Any] = {}
        for key in ("typed", "gaps", "selected", "truth", "order", "shown"):
            value = getattr(self, key)
            if value is not None:
                data[key] = list(value) if isinstance(value, tuple) else value
        if self.revealed:
            data["revealed"] = True
        return data


@dataclass(frozen=True)
class GapResult:
    """One cloze gap: what was typed, whether it counts, the expected answer."""

    typed: str
    correct: bool
    exact: bool
    expected: str
    diff: Segments


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


def check_response(question: QuestionBase, response: Response) -> Checked:
    """Grade `response` to `question` and say what to show."""
    if isinstance(question, ShortAnswer):
        typed = response.typed or ""
        accepted = question.accepted_answers
        grade = grade_text(typed, accepted)
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
        )
    if isinstance(question, Cloze):
        typed_gaps = list(response.gaps or ())
        accepted_gaps = [gap.all for gap in question.gaps]
        cloze = grade_cloze(typed_gaps, accepted_gaps)
        gaps = []
        for index, (grade, accepted) in enumerate(zip(cloze.gaps, accepted_gaps, strict=True)):
            typed = typed_gaps[index] if index < len(typed_gaps) else ""
            target, diff = _typed(typed, accepted, grade)
            gaps.append(GapResult(typed, grade.correct, grade.exact, target, diff))
        return Checked(
            cloze.correct,
            cloze.score,
            all(g.exact for g in gaps),
            cloze.feedback,
            ", ".join(gap.answer for gap in question.gaps),
            gaps=tuple(gaps),
        )
    if isinstance(question, MultipleChoice):
        grade = grade_choice(response.selected or (), question.answers)
        return Checked(
            grade.correct,
            grade.score,
            grade.exact,
            grade.feedback,
            "; ".join(question.answers),
            correct_choices=frozenset(question.answers),
        )
    if isinstance(question, TrueFalse):
        if response.truth is None:
            grade = Grade(correct=False, score=0.0, matched=None, exact=False, feedback="No answer")
        else:
            grade = grade_true_false(response.truth, question.answer)
        answer = "true" if question.answer else "false"
        return Checked(
            grade.correct,
            grade.score,
            grade.exact,
            grade.feedback,
            answer,
            correct_choices=frozenset({answer}),
        )
    if isinstance(question, Ordering):
        grade = grade_ordering(response.order or (), question.items)
        return Checked(
            grade.correct, grade.score, grade.exact, grade.feedback, " → ".join(question.items)
        )
    if isinstance(question, Flashcard):
        return Checked(
            True, 1.0, True, "How well did you remember it?", question.back, self_graded=True
        )
    raise TypeError(f"no grader for question type {type(question).__name__}")
