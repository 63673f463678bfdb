"""The drill file format (YAML), validated by pydantic.

A drill names its questions either explicitly (`questions: [id, ...]`) or by a `draw`
rule (topics, tags, types, difficulty, how many; one fixed draw for every student, or a
fresh draw for each attempt), then says how it is run: shuffling, time limit, pass mark,
feedback, attempts allowed, and when it opens and closes.

Checking that question ids exist needs the database, so it is done by the drill service;
`load_drill_file` returns the line of every key so the service can locate those problems.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from quiz.bank.loader import (
    MAX_DRILL_BYTES,
    Problem,
    UnreadableFile,
    line_of,
    parse_yaml,
    read_limited,
)
from quiz.bank.schema import QUESTION_TYPES, QuestionId, no_control_characters

QuestionType = Literal[
    "flashcard", "multiple_choice", "true_false", "cloze", "short_answer", "ordering"
]
assert set(get_args(QuestionType)) == set(QUESTION_TYPES)
NonEmpty = Annotated[str, Field(min_length=1), AfterValidator(no_control_characters)]
Feedback = Literal["each", "end", "none"]


def _in_utc_range(moment: datetime) -> datetime:
    """Refuse a time that has no UTC form (year 9999 with a zone behind UTC): it is stored
    in UTC."""
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is too far in the future to store; give a date before 9999") from None
    return moment


StoredTime = Annotated[AwareDatetime, AfterValidator(_in_utc_range)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class DrawRule(_Strict):
    """Which questions to draw, and how many. Empty lists mean "any"."""

    decks: list[NonEmpty] = Field(default_factory=list, description="Deck names.")
    topics: list[NonEmpty] = Field(default_factory=list)
    tags: list[NonEmpty] = Field(
        default_factory=list, description="A question qualifies when it has any of these tags."
    )
    types: list[QuestionType] = Field(default_factory=list)
    difficulty: list[Annotated[int, Field(ge=1, le=3)]] = Field(
        default_factory=list, description="Difficulties to include (1 easy .. 3 hard)."
    )
    count: int = Field(ge=1, le=500, description="How many questions to draw.")
    fresh_each_attempt: bool = Field(
        default=False,
        description="false: one draw (with `seed`) that every student gets; "
        "true: a new draw for every attempt.",
    )
    seed: int | None = Field(
        default=None,
        ge=0,
        description="Seed of the fixed draw; chosen (and kept) when the drill is created.",
    )


class DrillSpec(_Strict):
    """One drill file."""

    title: NonEmpty = Field(max_length=200, description="Unique; students see it.")
    description: str = ""
    questions: list[QuestionId] | None = Field(
        default=None, min_length=1, description="Question ids, in order (or use `draw`)."
    )
    draw: DrawRule | None = Field(default=None, description="A rule (or use `questions`).")
    shuffle_questions: bool = False
    shuffle_options: bool = False
    time_limit_minutes: int | None = Field(
        default=None, ge=1, le=1440, description="Omit (or null) for no time limit."
    )
    pass_mark: float = Field(
        default=50, ge=0, le=100, description="Percent of questions right needed to pass."
    )
    feedback: Feedback = Field(
        default="end",
        description="each: right answer after every question; end: only when finished; "
        "none: score only.",
    )
    attempts: int | None = Field(
        default=1, ge=1, le=1000, description="Attempts allowed per student; null: unlimited."
    )
    opens_at: StoredTime | None = Field(
        default=None, description="ISO time with a zone, e.g. 2026-04-01T09:00:00Z."
    )
    closes_at: StoredTime | None = None
    allow_override: bool = Field(
        default=False,
        description="Let students claim a typed answer marked wrong was right (with feedback "
        "after each question); the report lists every such claim.",
    )

    @model_validator(mode="after")
    def _one_source_of_questions(self) -> "DrillSpec":
        if (self.questions is None) == (self.draw is None):
            raise ValueError("give either `questions` (a list of ids) or a `draw` rule, not both")
        if self.questions is not None and len(set(self.questions)) != len(self.questions):
            raise ValueError("`questions` lists an id twice; list each question once")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValueError("`closes_at` must be after `opens_at`")
        return self


def drill_json_schema() -> dict[str, Any]:
    """The JSON Schema of a drill file, for teachers writing drills."""
    return DrillSpec.model_json_schema()


@dataclass(frozen=True)
class LoadedDrill:
    """A valid drill file and the line of every key in it."""

    path: Path
    spec: DrillSpec
    lines: dict[tuple[Any, ...], int]

    def line_of(self, *loc: Any) -> int:
        return line_of(loc, self.lines)


_MESSAGES = {
    "missing": "is missing",
    "extra_forbidden": "is not a field of a drill; see `quiz drill schema`",
    "timezone_aware": "needs a time zone, e.g. 2026-04-01T09:00:00Z",
}


def spec_problems(
    path: Path, error: ValidationError, lines: dict[tuple[Any, ...], int]
) -> list[Problem]:
    """Located problems from a validation error of a drill file."""
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        message = _MESSAGES.get(item["type"], item["msg"].removeprefix("Value error, "))
        field = ".".join(str(part) for part in loc) or None
        problems.append(Problem(path, line_of(loc, lines), None, field, message))
    return problems


@dataclass(frozen=True)
class DrillFile:
    """A drill file as read, valid or not: its data (None when it could not be parsed),
    the line of every key, the spec when valid, and the problems the file alone shows. The
    service checks what only the database knows (ids, titles) even when the spec is invalid,
    so that every problem is reported in one pass."""

    path: Path
    data: dict[str, Any] | None
    lines: dict[tuple[Any, ...], int]
    spec: DrillSpec | None
    problems: list[Problem]

    def line_of(self, *loc: Any) -> int:
        return line_of(loc, self.lines)


def read_drill_file(path: Path) -> DrillFile:
    """Parse and validate a drill file, keeping what was read even when it is invalid."""
    try:
        text = read_limited(path, MAX_DRILL_BYTES).decode("utf-8")
    except UnreadableFile as exc:
        return DrillFile(path, None, {}, None, [Problem(path, 1, None, None, str(exc))])
    except UnicodeDecodeError as exc:
        problem = Problem(path, 1, None, None, f"not UTF-8 text ({exc.reason}); save it as UTF-8")
        return DrillFile(path, None, {}, None, [problem])
    data, lines, syntax = parse_yaml(path, text)
    if syntax:
        return DrillFile(path, None, lines, None, [syntax])
    if not isinstance(data, dict):
        problem = Problem(path, 1, None, None, "a drill file is a mapping with title and questions")
        return DrillFile(path, None, lines, None, [problem])
    try:
        spec = DrillSpec.model_validate(data)
    except ValidationError as exc:
        problems = sorted(spec_problems(path, exc, lines), key=lambda p: p.line)
        return DrillFile(path, data, lines, None, problems)
    return DrillFile(path, data, lines, spec, [])


def load_drill_file(path: Path) -> tuple[LoadedDrill | None, list[Problem]]:
    """Parse and validate a drill file; return it, or None and every problem found."""
    read = read_drill_file(path)
    if read.spec is None:
        return None, read.problems
    return LoadedDrill(path, read.spec, read.lines), []
