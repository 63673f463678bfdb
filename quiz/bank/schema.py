"""The question-bank file format (YAML), validated by pydantic.

A bank file names its deck and the material file its quotes come from, then lists
questions. Each question has a `type` that decides which fields it carries.
"""

import re
import unicodedata
from typing import Annotated, Any, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

QuestionId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        max_length=64,
        description="Stable id: learners' history follows it across edits.",
    ),
]


# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but for
# newline, tab and carriage return; one search instead of a category look-up per character.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def no_control_characters(text: str) -> str:
    """Refuse terminal escape sequences and other control characters (newlines and tabs
    are fine): the CLI prints these texts, and a terminal would obey them."""
    found = _CONTROL_CHARACTER.search(text)
    if found is not None:
        raise ValueError(
            f"contains the control character {found.group()!r}; remove it (plain text only)"
        )
    return text


NonEmpty = Annotated[str, Field(min_length=1), AfterValidator(no_control_characters)]
FactKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]

GAP_MARK = re.compile(r"\{\{(\d+)\}\}")


def _synonym_groups(groups: list[list[str]]) -> list[list[str]]:
    """Each group names at least two different words or phrases (case and accents aside)."""
    for number, group in enumerate(groups, start=1):
        folded = {" ".join(unicodedata.normalize("NFKD", w).casefold().split()) for w in group}
        if len(folded) < 2:
            raise ValueError(
                f"synonym group {number} {group!r} needs at least two different words or "
                "phrases that say the same (e.g. [treaty, peace settlement])"
            )
    return groups


def _one_group_as_list(value: Any) -> Any:
    """A flat list of words (`synonyms: [razed, demolished]`) is one group."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return [value]
    return value


Synonyms = Annotated[
    list[Annotated[list[NonEmpty], Field(min_length=2)]],
    BeforeValidator(_one_group_as_list),
    AfterValidator(_synonym_groups),
    Field(
        default_factory=list,
        description="Groups of words or phrases that say the same for this question, on top of "
        "the grader's own list (quiz.core.meaning.SYNONYMS): any word of a group typed for "
        "another counts. Exact equivalents only, never words of the same kind.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class QuestionBase(_Strict):
    """Fields every question has."""

    id: QuestionId
    topic: NonEmpty = Field(description="One topic from the bank's list of topics.")
    tags: list[NonEmpty] = Field(default_factory=list, description="People, places, dates.")
    difficulty: int = Field(ge=1, le=3, description="1 easy, 2 medium, 3 hard.")
    explanation: NonEmpty = Field(description="Why the answer is right, for the learner.")
    source: NonEmpty = Field(description="A quote that stands word for word in the material.")
    fact: FactKey | None = Field(
        default=None,
        description="A short slug shared by the questions asking about one fact: once one is "
        "rated in a study day its siblings wait for the next day, and a drill or an exam "
        "draws one question per fact.",
    )

    @property
    def prompt_text(self) -> str:
        """The question as shown to the learner."""
        raise NotImplementedError

    @property
    def accepted_answers(self) -> list[str]:
        """Every answer that counts as right (for ordering: the items in order)."""
        raise NotImplementedError

    @property
    def choice_list(self) -> list[str]:
        """The options shown, for question types that show options."""
        return []


class Flashcard(QuestionBase):
    """Front and back: the learner recalls the back and rates themself."""

    type: Literal["flashcard"]
    front: NonEmpty
    back: NonEmpty

    @property
    def prompt_text(self) -> str:
        return self.front

    @property
    def accepted_answers(self) -> list[str]:
        return [self.back]


class MultipleChoice(QuestionBase):
    """Choices, of which one or more are correct."""

    type: Literal["multiple_choice"]
    prompt: NonEmpty
    choices: list[NonEmpty] = Field(min_length=2)
    answers: list[NonEmpty] = Field(min_length=1, description="The correct choices.")

    @field_validator("answers", mode="before")
    @classmethod
    def _one_answer_as_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _answers_are_choices(self) -> "MultipleChoice":
        if len(set(self.choices)) != len(self.choices):
            raise ValueError("choices must all be different")
        missing = [a for a in self.answers if a not in self.choices]
        if missing:
            raise ValueError(f"answers {missing} are not among the choices")
        if len(self.answers) == len(self.choices):
            raise ValueError("at least one choice must be wrong")
        return self

    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def accepted_answers(self) -> list[str]:
        return list(self.answers)

    @property
    def choice_list(self) -> list[str]:
        return list(self.choices)


class TrueFalse(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    prompt: NonEmpty = Field(description="The statement to judge.")
    answer: bool

    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def accepted_answers(self) -> list[str]:
        return ["true" if self.answer else "false"]

    @property
    def choice_list(self) -> list[str]:
        return ["true", "false"]


class Answer(_Strict):
    """A canonical answer with the alternatives a teacher would also accept."""

    answer: NonEmpty
    accept: list[NonEmpty] = Field(default_factory=list)
    hint: NonEmpty | None = Field(
        default=None,
        exclude_if=lambda value: value is None,  # absent, so older gaps keep their hash
        description="Shown in the gap, as an Anki cloze hint {{c1::answer::hint}} is.",
    )

    @property
    def all(self) -> list[str]:
        """The canonical answer first, then the alternatives."""
        return [self.answer, *self.accept]


class Cloze(QuestionBase):
    """Text with numbered gaps `{{1}}`, `{{2}}`, ... each with its accepted answers."""

    type: Literal["cloze"]
    text: NonEmpty = Field(description="Text with gaps marked {{1}}, {{2}}, ...")
    gaps: list[Answer] = Field(min_length=1)
    synonyms: Synonyms

    @model_validator(mode="after")
    def _gaps_match_marks(self) -> "Cloze":
        marks = [int(m) for m in GAP_MARK.findall(self.text)]
        expected = list(range(1, len(self.gaps) + 1))
        if sorted(marks) != expected:
            raise ValueError(
                f"text must mark each of the {len(self.gaps)} gaps once as "
                + ", ".join(f"{{{{{n}}}}}" for n in expected)
            )
        return self

    @property
    def prompt_text(self) -> str:
        def blank(mark: re.Match[str]) -> str:
            number = int(mark.group(1))
            hint = self.gaps[number - 1].hint if number <= len(self.gaps) else None
            return f"_____ ({hint})" if hint else "_____"

        return GAP_MARK.sub(blank, self.text)

    @property
    def accepted_answers(self) -> list[str]:
        return [gap.answer for gap in self.gaps]


class ShortAnswer(QuestionBase):
    """A typed answer: a canonical answer plus accepted alternatives."""

    type: Literal["short_answer"]
    prompt: NonEmpty
    answer: NonEmpty
    accept: list[NonEmpty] = Field(default_factory=list)
    synonyms: Synonyms

    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def accepted_answers(self) -> list[str]:
        return [self.answer, *self.accept]


class Ordering(QuestionBase):
    """Items to put in order; the file lists them in the correct order."""

    type: Literal["ordering"]
    prompt: NonEmpty
    items: list[NonEmpty] = Field(min_length=2, description="In the correct order.")

    @model_validator(mode="after")
    def _items_unique(self) -> "Ordering":
        if len(set(self.items)) != len(self.items):
            raise ValueError("items must all be different")
        return self

    @property
    def prompt_text(self) -> str:
        return self.prompt

    @property
    def accepted_answers(self) -> list[str]:
        return list(self.items)

    @property
    def choice_list(self) -> list[str]:
        return list(self.items)


Question = Annotated[
    Flashcard | MultipleChoice | TrueFalse | Cloze | ShortAnswer | Ordering,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("flashcard", "multiple_choice", "true_false", "cloze", "short_answer", "ordering")


class BankFile(_Strict):
    """One bank file: a deck, the material it quotes, and its questions."""

    deck: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)] = Field(
        description="The deck's stable name (lower case, digits, - and _)."
    )
    title: NonEmpty = Field(description="The deck's title as shown to learners.")
    description: str = ""
    material: NonEmpty = Field(description="The material file, relative to this bank file.")
    topics: list[NonEmpty] = Field(
        default_factory=list, description="If given, every question's topic must be one of these."
    )
    questions: list[Question] = Field(min_length=1)


def question_payload(question: QuestionBase) -> dict[str, Any]:
    """The type-specific fields of a question, as stored in the database."""
    common = set(QuestionBase.model_fields) | {"type"}
    return question.model_dump(mode="json", exclude=common)


def bank_json_schema() -> dict[str, Any]:
    """The JSON Schema of a bank file, for people writing their own banks."""
    return BankFile.model_json_schema()


QUESTION_ADAPTER: TypeAdapter[QuestionBase] = TypeAdapter(Question)
QUESTIONS_ADAPTER = cast("TypeAdapter[list[QuestionBase]]", TypeAdapter(list[Question]))


def parse_question(data: dict[str, Any]) -> QuestionBase:
    """Rebuild a question from its stored (or exported) fields."""
    return QUESTION_ADAPTER.validate_python(data)
