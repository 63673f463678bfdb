"""The built-in bank graded by the real grader: every accepted alternative is right, and the
answer of a different question is wrong."""

import pytest

from quiz.bank.schema import Cloze, QuestionBase, ShortAnswer
from quiz.core.grading import grade_text, normalise
from quiz.resources import builtin_bank_files
from quiz.services.answering import GapsResponse, TypedResponse, check_response
from quiz.services.bank import validate_paths


def _questions() -> list[QuestionBase]:
    result = validate_paths(builtin_bank_files())
    assert result.ok, result.problems
    return [q for loaded in result.banks for q in loaded.bank.questions]


QUESTIONS = _questions()
SHORT = [q for q in QUESTIONS if isinstance(q, ShortAnswer)]
CLOZE = [q for q in QUESTIONS if isinstance(q, Cloze)]


@pytest.mark.parametrize("question", SHORT, ids=lambda q: q.id)
def test_every_accepted_short_answer_is_graded_right(question: ShortAnswer) -> None:
    for alternative in question.accepted_answers:
        checked = check_response(question, TypedResponse(typed=alternative))
        assert checked.correct, f"{alternative!r} was graded wrong"


@pytest.mark.parametrize("question", CLOZE, ids=lambda q: q.id)
def test_every_accepted_gap_answer_is_graded_right(question: Cloze) -> None:
    for index, gap in enumerate(question.gaps):
        for alternative in gap.all:
            typed = [g.answer for g in question.gaps]
            typed[index] = alternative
            checked = check_response(question, GapsResponse(gaps=tuple(typed)))
            assert checked.correct, f"gap {index + 1}: {alternative!r} was graded wrong"


def _answers_of_others(question: QuestionBase, pool: list[list[str]]) -> list[str]:
    """Canonical answers of other questions that this question does not accept.

    Left out: answers that are another form of the same word ("Russian" for "Russia",
    "Crimea" for "Crimean"); a one-letter ending is forgiven as a typo by design."""
    accepted = {normalise(a) for a in _accepted(question)}
    return sorted(
        {
            answers[0]
            for answers in pool
            if not any(_same_word(a, b) for a in accepted for b in map(normalise, answers))
        }
    )


def _same_word(a: str, b: str) -> bool:
    return a == b or (abs(len(a) - len(b)) <= 2 and (a.startswith(b) or b.startswith(a)))


def _accepted(question: QuestionBase) -> list[str]:
    if isinstance(question, Cloze):
        return [a for gap in question.gaps for a in gap.all]
    return list(question.accepted_answers)


POOL = [q.accepted_answers for q in SHORT] + [gap.all for q in CLOZE for gap in q.gaps]


@pytest.mark.parametrize("question", SHORT, ids=lambda q: q.id)
def test_the_answers_of_other_short_answer_questions_are_wrong(question: ShortAnswer) -> None:
    others = _answers_of_others(question, POOL)
    assert len(others) > 10
    forgiven = [o for o in others if grade_text(o, question.accepted_answers).correct]
    assert forgiven == []


@pytest.mark.parametrize("question", CLOZE, ids=lambda q: q.id)
def test_the_answers_of_other_questions_fill_no_gap(question: Cloze) -> None:
    for gap in question.gaps:
        others = _answers_of_others(question, POOL)
        forgiven = [o for o in others if grade_text(o, gap.all).correct]
        assert forgiven == [], f"gap {gap.answer!r} accepts {forgiven}"
