"""What a learner did with a question, as stored with every answer (the `response` JSON).

One model per way of answering, told apart by the key it stores (the shapes the app has
always written): `typed` (short answer), `gaps` (cloze), `selected` + `shown` (multiple
choice), `truth` (true/false), `order` + `shown` (ordering), `revealed` (+ `knew` when the
learner said whether they knew it: a flashcard). Nothing in a response is a verdict.
"""

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Tag,
    TypeAdapter,
    ValidationError,
)


def without_controls(text: str) -> str:
    """Typed text without control characters (terminal escape sequences would be obeyed
    where the answer is printed, in a teacher's terminal too); tabs and line breaks are
    spaces. Everything else stays as typed."""
    if text.isprintable():
        return text
    return "".join(
        " " if c in "\t\n\r" else c
        for c in text
        if c in "\t\n\r" or unicodedata.category(c) != "Cc"
    )


Typed = Annotated[str, AfterValidator(without_controls)]


class _Response(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TypedResponse(_Response):
    """A typed answer, as typed (control characters left out)."""

    typed: Typed


class GapsResponse(_Response):
    """What was typed in each gap of a cloze, in gap order."""

    gaps: tuple[Typed, ...]


class ChoiceResponse(_Response):
    """The options chosen, and every option in the order it was shown."""

    selected: tuple[str, ...]
    shown: tuple[str, ...] = ()


class TruthResponse(_Response):
    """True or false."""

    truth: bool


class OrderResponse(_Response):
    """The items in the order the learner put them, and the order they started in."""

    order: tuple[str, ...]
    shown: tuple[str, ...] = ()


class RecallResponse(_Response):
    """A flashcard's back was shown; `knew` is the learner's own verdict when asked for
    (drills and exams), None in review, where the rating says it."""

    revealed: Literal[True] = True
    knew: bool | None = None


_KEYS = ("typed", "gaps", "selected", "truth", "order", "revealed")


def _tag(value: Any) -> str | None:
    keys = value.keys() if isinstance(value, dict) else vars(value) if value is not None else ()
    return next((key for key in _KEYS if key in keys), None)


Response = Annotated[
    Annotated[TypedResponse, Tag("typed")]
    | Annotated[GapsResponse, Tag("gaps")]
    | Annotated[ChoiceResponse, Tag("selected")]
    | Annotated[TruthResponse, Tag("truth")]
    | Annotated[OrderResponse, Tag("order")]
    | Annotated[RecallResponse, Tag("revealed")],
    Discriminator(_tag),
]
_ADAPTER: TypeAdapter[Response] = TypeAdapter(Response)


def parse_response(data: Any) -> Response:
    """A stored response (JSON) as its model; ValueError when it is not one."""
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise ValueError(f"not a stored response: {data!r}") from error


def dump_response(response: Response) -> dict[str, Any]:
    """The response as stored (JSON-ready)."""
    return response.model_dump(mode="json", exclude_defaults=True) | (
        {"revealed": True} if isinstance(response, RecallResponse) else {}
    )


def describe_response(response: Response | None) -> str:
    """A response as a person reads it (history, results, reports, CSV): typed text as
    typed, the chosen options' text, the order given."""
    match response:
        case None:
            return "(no answer)"
        case TypedResponse(typed=typed):
            return typed.strip() or "(empty)"
        case GapsResponse(gaps=gaps):
            return " | ".join(gap.strip() or "…" for gap in gaps)
        case ChoiceResponse(selected=selected):
            return "; ".join(selected) or "(none chosen)"
        case TruthResponse(truth=truth):
            return "True" if truth else "False"
        case OrderResponse(order=order):
            return " → ".join(order)
        case RecallResponse(knew=knew):
            return "(answer shown)" if knew is None else "knew it" if knew else "did not know it"
    raise TypeError(f"not a response: {response!r}")


def describe_stored(data: Any) -> str:
    """A stored response (JSON) as a person reads it; one that cannot be read says so."""
    if data is None:
        return describe_response(None)
    try:
        return describe_response(parse_response(data))
    except ValueError:
        return "(unreadable answer)"


def same_answer_key(response: Response) -> str:
    """What makes two responses the same answer, for counting (e.g. the most chosen wrong
    answer): the options chosen whatever order they were shown in, typed text whatever its
    case and spacing."""
    match response:
        case ChoiceResponse(selected=selected):
            return "\x1f".join(sorted(selected))
        case TypedResponse(typed=typed):
            return " ".join(typed.casefold().split())
        case GapsResponse(gaps=gaps):
            return "\x1f".join(" ".join(gap.casefold().split()) for gap in gaps)
        case _:
            return describe_response(response)
