"""Teacher-set drills: their definitions. Create, edit, delete, list, find.

A drill's definition is stored as a `StoredSpec`: the validated drill file, and for a fixed
draw the drawn question ids (kept across edits as long as the rule does not change).
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.bank.drill import DrawRule, DrillFile, DrillSpec, read_drill_file, spec_problems
from quiz.bank.loader import Problem
from quiz.core.exam import distinct_facts, sample_one_per_fact
from quiz.errors import QuizError
from quiz.services.auth import Teacher, require_teacher
from quiz.services.database import Database
from quiz.store.models import Deck, Drill, Profile, Question

Status = Literal["upcoming", "open", "closed"]


class StoredSpec(DrillSpec):
    """A drill definition as stored: the spec, and the keys of a fixed draw once made."""

    drawn: list[str] | None = None


class DrillProblems(QuizError):
    """A drill file with problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "\n".join(str(p) for p in problems)
            + f"\n{len(problems)} problem(s) found; nothing was written. Fix them and run again."
        )


@dataclass(frozen=True)
class DrillInfo:
    """A drill and its settings."""

    id: int
    title: str
    spec: StoredSpec
    question_count: int
    created_by: str | None
    opens_at: datetime | None
    closes_at: datetime | None

    def status(self, now: datetime) -> Status:
        if self.opens_at is not None and now < self.opens_at:
            return "upcoming"
        if self.closes_at is not None and now >= self.closes_at:
            return "closed"
        return "open"

    def to_json(self, now: datetime) -> dict[str, Any]:
        spec = self.spec
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status(now),
            "questions": self.question_count,
            "draw": "explicit"
            if spec.draw is None
            else "fresh each attempt"
            if spec.draw.fresh_each_attempt
            else "fixed",
            "time_limit_minutes": spec.time_limit_minutes,
            "pass_mark": spec.pass_mark,
            "feedback": spec.feedback,
            "attempts": spec.attempts,
            "opens_at": iso(self.opens_at),
            "closes_at": iso(self.closes_at),
            "created_by": self.created_by,
            "spec": spec.model_dump(mode="json", exclude={"drawn"}),
        }


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


# -- specs and drills ----------------------------------------------------------------


def spec_from_dict(data: dict[str, Any]) -> DrillSpec:
    """Validate a drill definition (e.g. from a form); a problem is one sentence."""
    try:
        return DrillSpec.model_validate(data)
    except ValidationError as exc:
        problem = spec_problems(Path("drill"), exc, {})[0]
        where = f"{problem.field}: " if problem.field else ""
        raise QuizError(f"{where}{problem.message}; fix it and save again") from None


def stored_spec_of(drill: Drill) -> StoredSpec:
    """The drill's stored definition, validated."""
    return StoredSpec.model_validate(drill.spec)


def drill_info(drill: Drill, creator: str | None) -> DrillInfo:
    spec = stored_spec_of(drill)
    count = len(spec.questions) if spec.questions is not None else spec.draw.count  # type: ignore[union-attr]
    return DrillInfo(drill.id, drill.title, spec, count, creator, drill.opens_at, drill.closes_at)


def drill_query() -> Any:
    return select(Drill, Profile.name).outerjoin(Profile, Profile.id == Drill.created_by)


def list_drills(database: Database) -> list[DrillInfo]:
    """Every drill, by title."""
    with database.sessions() as session:
        rows = session.execute(drill_query().order_by(Drill.title)).all()
        return [drill_info(drill, creator) for drill, creator in rows]


def get_drill(database: Database, drill_id: int) -> DrillInfo:
    with database.sessions() as session:
        row = session.execute(drill_query().where(Drill.id == drill_id)).first()
        if row is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        return drill_info(row[0], row[1])


def find_drill(database: Database, ref: str) -> DrillInfo:
    """A drill by title, else by id."""
    with database.sessions() as session:
        row = session.execute(drill_query().where(Drill.title == ref.strip())).first()
        if row is None and ref.strip().isdigit():
            row = session.execute(drill_query().where(Drill.id == int(ref))).first()
        if row is None:
            raise QuizError(f"no drill called {ref!r}; see `quiz drill list` for titles and ids")
        return drill_info(row[0], row[1])


@dataclass(frozen=True)
class QuestionChoice:
    """A question a teacher can put in a drill, as the drill form lists it."""

    key: str
    topic: str
    prompt: str


PICK_LIMIT = 2000  # questions listed for picking at most (search narrows them)


def bank_topics(database: Database) -> list[tuple[str, int]]:
    """The topics of the active questions and how many questions each has, by name."""
    with database.sessions() as session:
        rows = session.execute(
            select(Question.topic, func.count())
            .where(Question.retired_at.is_(None))
            .group_by(Question.topic)
            .order_by(Question.topic)
        ).all()
    return [(str(topic), int(count)) for topic, count in rows]


def question_choices(database: Database, limit: int = PICK_LIMIT) -> list[QuestionChoice]:
    """The active questions, by topic then id (at most `limit`), to pick a drill's from."""
    with database.sessions() as session:
        rows = session.execute(
            select(Question.key, Question.topic, Question.prompt)
            .where(Question.retired_at.is_(None))
            .order_by(Question.topic, Question.key)
            .limit(limit)
        ).all()
    return [QuestionChoice(str(k), str(t), str(p)) for k, t, p in rows]


@dataclass(frozen=True)
class DrillPreview:
    """The questions a drill being written would ask: for a fixed draw, the set every
    student gets with `seed` (save with that seed to keep it); for a fresh draw one example
    (`fresh`: each attempt draws anew)."""

    questions: list[QuestionChoice]
    seed: int | None
    fresh: bool


def preview_drill(
    database: Database, spec: DrillSpec, drill_id: int | None = None, seed: int | None = None
) -> DrillPreview:
    """What `spec` would ask if saved (over drill `drill_id` when editing one: a fixed draw
    whose rule is unchanged keeps its questions). Problems raise as saving would."""
    with database.sessions() as session:
        _raise_issues(_spec_issues(session, spec))
        previous = session.get(Drill, drill_id) if drill_id is not None else None
        stored = StoredSpec.model_validate(_stored_spec(session, spec, previous, seed))
        rule = stored.draw
        if stored.questions is not None:
            keys = list(stored.questions)
        elif rule is not None and rule.fresh_each_attempt:
            sample = random.Random(seed) if seed is not None else random.Random()
            keys = draw(sample, candidate_facts(session, rule), rule.count)
        else:
            keys = list(stored.drawn or [])
        rows = {
            key: (topic, prompt)
            for key, topic, prompt in session.execute(
                select(Question.key, Question.topic, Question.prompt).where(Question.key.in_(keys))
            )
        }
    return DrillPreview(
        [QuestionChoice(k, *rows.get(k, ("?", "?"))) for k in keys],
        None if rule is None or rule.fresh_each_attempt else rule.seed,
        bool(rule is not None and rule.fresh_each_attempt),
    )


def candidates(session: Session, rule: DrawRule) -> list[str]:
    """Keys of the active questions a draw rule allows, sorted."""
    return [key for key, _ in candidate_facts(session, rule)]


def candidate_facts(session: Session, rule: DrawRule) -> list[tuple[str, str | None]]:
    """(key, fact) of the active questions a draw rule allows, sorted by key; the fact is
    qualified by its deck (None for a question without one)."""
    query = select(Question.key, Question.tags, Question.deck_id, Question.fact).where(
        Question.retired_at.is_(None)
    )
    if rule.decks:
        query = query.join(Deck, Deck.id == Question.deck_id).where(Deck.name.in_(rule.decks))
    if rule.topics:
        query = query.where(Question.topic.in_(rule.topics))
    if rule.types:
        query = query.where(Question.type.in_(rule.types))
    if rule.difficulty:
        query = query.where(Question.difficulty.in_(rule.difficulty))
    wanted = set(rule.tags)
    return sorted(
        (key, None if fact is None else f"{deck_id}:{fact}")
        for key, tags, deck_id, fact in session.execute(query).all()
        if not wanted or wanted & set(tags)
    )


def draw(rng: random.Random, found: list[tuple[str, str | None]], count: int) -> list[str]:
    """`count` keys drawn from `candidate_facts`, never two questions of one fact."""
    return sample_one_per_fact(rng, found, count)


Issue = tuple[tuple[Any, ...], str | None, str]  # location in the file, question id, message


def _spec_issues(session: Session, spec: DrillSpec) -> list[Issue]:
    """Problems only the database can find: unknown or retired ids, too few questions."""
    if spec.questions is not None:
        return _question_issues(session, list(spec.questions))
    if spec.draw is not None:
        return _draw_issues(session, spec.draw)
    return []


def _question_issues(session: Session, keys: list[Any]) -> list[Issue]:
    """Unknown or retired ids among `keys` (items that are not text are left to the
    file's own checks)."""
    texts = [key for key in keys if isinstance(key, str)]
    found = dict(
        session.execute(
            select(Question.key, Question.retired_at).where(Question.key.in_(texts))
        ).all()
    )
    issues: list[Issue] = []
    for index, key in enumerate(keys):
        if not isinstance(key, str):
            continue
        if key not in found:
            issues.append(
                (
                    ("questions", index),
                    key,
                    "no question has this id; check the id (quiz bank export lists them)",
                )
            )
        elif found[key] is not None:
            issues.append(
                (("questions", index), key, "this question is retired; choose another one")
            )
    return issues


def _draw_issues(session: Session, rule: DrawRule) -> list[Issue]:
    available = distinct_facts(candidate_facts(session, rule))
    if available >= rule.count:
        return []
    return [
        (
            ("draw", "count"),
            None,
            f"the rule matches only {available} question(s) on different facts but "
            f"`count` is {rule.count}; lower the count or widen the rule",
        )
    ]


def _raw_issues(session: Session, data: dict[str, Any]) -> list[Issue]:
    """The database's problems with a drill file whose spec is invalid, from what can be
    read of it: its ids, and its rule when the rule itself is valid."""
    questions = data.get("questions")
    if isinstance(questions, list):
        return _question_issues(session, questions)
    try:
        rule = DrawRule.model_validate(data.get("draw"))
    except ValidationError:
        return []
    return _draw_issues(session, rule)


def _raise_issues(issues: list[Issue]) -> None:
    if issues:
        loc, key, message = issues[0]
        where = f"question {key}: " if key else ".".join(map(str, loc)) + ": "
        more = f" ({len(issues) - 1} more problem(s))" if len(issues) > 1 else ""
        raise QuizError(f"{where}{message}{more}")


def _stored_spec(
    session: Session, spec: DrillSpec, previous: Drill | None, seed: int | None
) -> dict[str, Any]:
    """The spec as stored: a fixed draw gets its seed and its drawn keys, kept across edits
    as long as the rule does not change."""
    rule = spec.draw
    if rule is None or rule.fresh_each_attempt:
        return StoredSpec.model_validate(spec.model_dump()).model_dump(mode="json")
    old = stored_spec_of(previous) if previous is not None else None
    if old is not None and old.draw is not None and old.drawn is not None:
        same_rule = old.draw.model_dump(exclude={"seed"}) == rule.model_dump(exclude={"seed"})
        if same_rule and (rule.seed is None or rule.seed == old.draw.seed):
            kept = spec.model_copy(update={"draw": rule.model_copy(update={"seed": old.draw.seed})})
            return _dump(kept, old.drawn)
    chosen = rule.seed if rule.seed is not None else seed
    if chosen is None:
        chosen = random.SystemRandom().randrange(2**31)
    drawn = draw(random.Random(chosen), candidate_facts(session, rule), rule.count)
    return _dump(spec.model_copy(update={"draw": rule.model_copy(update={"seed": chosen})}), drawn)


def _dump(spec: DrillSpec, drawn: list[str]) -> dict[str, Any]:
    return StoredSpec.model_validate({**spec.model_dump(), "drawn": drawn}).model_dump(mode="json")


def _title_taken(session: Session, title: str, drill_id: int | None) -> bool:
    query = select(Drill.id).where(Drill.title == title)
    if drill_id is not None:
        query = query.where(Drill.id != drill_id)
    return session.scalar(query) is not None


def create_drill(
    database: Database, teacher: Teacher, spec: DrillSpec, now: datetime, seed: int | None = None
) -> DrillInfo:
    """Save a new drill. A fixed draw without a seed gets `seed` (random when None)."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        _raise_issues(_spec_issues(session, spec))
        if _title_taken(session, spec.title, None):
            raise QuizError(f"a drill called {spec.title!r} already exists; choose another title")
        drill = Drill(
            title=spec.title,
            created_by=teacher.profile_id,
            spec=_stored_spec(session, spec, None, seed),
            opens_at=spec.opens_at,
            closes_at=spec.closes_at,
            created_at=now,
            updated_at=now,
        )
        session.add(drill)
        session.flush()
        return drill_info(drill, teacher.name)


def update_drill(
    database: Database,
    teacher: Teacher,
    drill_id: int,
    spec: DrillSpec,
    now: datetime,
    seed: int | None = None,
) -> DrillInfo:
    """Replace a drill's definition. Attempts already made keep their own questions."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        _raise_issues(_spec_issues(session, spec))
        if _title_taken(session, spec.title, drill_id):
            raise QuizError(f"a drill called {spec.title!r} already exists; choose another title")
        drill.spec = _stored_spec(session, spec, drill, seed)
        drill.title = spec.title
        drill.opens_at = spec.opens_at
        drill.closes_at = spec.closes_at
        drill.updated_at = now
        session.flush()
        creator = session.get(Profile, drill.created_by) if drill.created_by else None
        return drill_info(drill, creator.name if creator else None)


def delete_drill(database: Database, teacher: Teacher, drill_id: int) -> None:
    """Delete a drill. Its attempts stay in the students' history (with the drill's title)."""
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        drill = session.get(Drill, drill_id)
        if drill is None:
            raise QuizError(f"no drill with id {drill_id}; see `quiz drill list`")
        session.delete(drill)


def save_drill_file(
    database: Database,
    teacher: Teacher,
    path: Path,
    now: datetime,
    replace: bool = False,
    seed: int | None = None,
) -> tuple[DrillInfo, bool]:
    """Create a drill from a YAML file (or, with `replace`, update the drill with the same
    title). Returns the drill and whether it was new. Problems raise DrillProblems, each
    located `file:line`, and nothing is written."""
    read = read_drill_file(path)
    if read.data is None:
        raise DrillProblems(read.problems)
    spec = read.spec
    with database.sessions.begin() as session:
        require_teacher(session, teacher)
        issues = (
            _spec_issues(session, spec) if spec is not None else _raw_issues(session, read.data)
        )
        file_problems = read.problems + _file_problems(read, issues)
        title = spec.title if spec is not None else read.data.get("title")
        existing = (
            session.scalar(select(Drill).where(Drill.title == title.strip()))
            if isinstance(title, str)
            else None
        )
        if existing is not None and not replace:
            file_problems.append(
                Problem(
                    path,
                    read.line_of("title"),
                    None,
                    "title",
                    "a drill with this title already exists; choose another title "
                    "or pass --replace to update it",
                )
            )
        if file_problems or spec is None:
            raise DrillProblems(sorted(file_problems, key=lambda p: p.line))
    if existing is None:
        return create_drill(database, teacher, spec, now, seed), True
    return update_drill(database, teacher, existing.id, spec, now, seed), False


def _file_problems(loaded: DrillFile, issues: Iterable[Issue]) -> list[Problem]:
    return [
        Problem(
            loaded.path,
            loaded.line_of(*loc),
            key,
            None if key else ".".join(map(str, loc)),
            message,
        )
        for loc, key, message in issues
    ]
