"""Responses a simulated learner gives (the load test, the tests), built from the typed
models the screens collect, never a stored shape written by hand."""

from collections.abc import Sequence

from quiz.services.answering import (
    ChoiceResponse,
    Cloze,
    Flashcard,
    GapsResponse,
    MultipleChoice,
    Ordering,
    OrderResponse,
    QuestionBase,
    RecallResponse,
    Response,
    ShortAnswer,
    TrueFalse,
    TruthResponse,
    TypedResponse,
)

WRONG = "no idea"


def respond(
    question: QuestionBase, right: bool = True, shown: Sequence[str] = (), paper: bool = False
) -> Response:
    """The response of a learner who knows (`right`) or does not know the answer. `shown`:
    the options (or items) in the order shown. A flashcard in review is only revealed (its
    rating says whether it was known); in a drill or exam (`paper`) the learner says so."""
    if isinstance(question, ShortAnswer):
        return TypedResponse(typed=question.answer if right else WRONG)
    if isinstance(question, Cloze):
        return GapsResponse(gaps=tuple(g.answer if right else WRONG for g in question.gaps))
    if isinstance(question, MultipleChoice):
        wrong = [choice for choice in question.choices if choice not in question.answers]
        chosen = question.answers if right else wrong[:1]
        return ChoiceResponse(selected=tuple(chosen), shown=tuple(shown or question.choices))
    if isinstance(question, TrueFalse):
        return TruthResponse(truth=question.answer if right else not question.answer)
    if isinstance(question, Ordering):
        items = tuple(question.items)
        return OrderResponse(
            order=items if right else items[::-1], shown=tuple(shown or items[::-1])
        )
    if isinstance(question, Flashcard):
        return RecallResponse(knew=right) if paper else RecallResponse()
    raise TypeError(f"no response for {type(question).__name__}")
