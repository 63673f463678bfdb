"""Fuzzing the bank and drill files with hypothesis (atheris would need a libFuzzer build
of Python's extensions; hypothesis shrinks failures to a readable file and is already a
test dependency). Files shaped like real ones, with any field replaced by hostile values
(any unicode, emoji, zero-width and control characters, huge text, wrong types), go
through the real loader and the real import into a SQLite file: the answer is always a
clean bank and a complete import, or clean problems and nothing imported; never a
traceback, a hang or a partial write.

The normal run tries a few dozen files of each kind; `QUIZ_FUZZ=long` tries thousands:
    QUIZ_FUZZ=long pytest tests/test_fuzz_files.py
"""

import itertools
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quiz.bank.drill import load_drill_file
from quiz.bank.loader import load_bank
from quiz.errors import QuizError
from quiz.services.auth import Teacher, create_teacher
from quiz.services.bank import import_banks
from quiz.services.database import Database, open_database
from quiz.services.drills import create_drill, spec_from_dict
from quiz.store.models import Drill, Question

from .conftest import NOW

NUMBERS = itertools.count()
EXAMPLES = 3000 if os.environ.get("QUIZ_FUZZ") == "long" else 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MATERIAL = "the treaty of paris was signed on 30 march 1856 at the congress of paris"

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "f-short",
        "type": "short_answer",
        "topic": "dates",
        "difficulty": 1,
        "prompt": "When was the treaty signed?",
        "answer": "30 March 1856",
        "explanation": "It was signed at the congress.",
        "source": "signed on 30 march 1856",
    },
    {
        "id": "f-choice",
        "type": "multiple_choice",
        "topic": "dates",
        "difficulty": 2,
        "prompt": "Where was it signed?",
        "choices": ["Paris", "London", "Vienna"],
        "answers": "Paris",
        "explanation": "At the congress of Paris.",
        "source": "the congress of paris",
    },
    {
        "id": "f-cloze",
        "type": "cloze",
        "topic": "dates",
        "difficulty": 1,
        "text": "The treaty was signed in {{1}}.",
        "gaps": [{"answer": "Paris"}],
        "explanation": "e",
        "source": "the treaty of paris",
    },
    {
        "id": "f-card",
        "type": "flashcard",
        "topic": "dates",
        "difficulty": 1,
        "front": "Which treaty?",
        "back": "The treaty of Paris",
        "explanation": "e",
        "source": "the treaty of paris",
    },
]

_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(["🙂", "\u200b", "\x1b[2J", "[/]", "{{1}}", "", " ", "a" * 100_000]),
)
_value = st.one_of(
    _text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.none(),
    st.booleans(),
    st.lists(_text, max_size=4),
    st.dictionaries(_text, _text, max_size=3),
)


@pytest.fixture(autouse=True)
def alarm() -> Iterator[None]:
    """A hang fails the example instead of blocking the run."""

    def _timeout(*_: object) -> None:
        raise TimeoutError("hung")

    previous = signal.signal(signal.SIGALRM, _timeout)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Teacher]]:
    folder = tmp_path_factory.mktemp("fuzz")
    database = open_database(f"sqlite:///{folder / 'quiz.db'}", NOW, import_builtin=False)
    teacher = create_teacher(database, "teach", "654321", NOW)
    yield database, teacher
    database.close()


def _count(database: Database, table: type[Question] | type[Drill]) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@FUZZ
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, len(QUESTIONS) - 1), st.sampled_from([*QUESTIONS[1], "deck"]), _value
        ),
        max_size=3,
    ),
    deck=st.one_of(st.just("fuzz"), st.just("fuzz-2"), _text),
)
def test_hostile_bank_files_load_and_import_all_or_nothing(
    tmp_path: Path, target: tuple[Database, Teacher], changes: list[Any], deck: Any
) -> None:
    signal.alarm(20)
    database, _ = target
    questions = [dict(q) for q in QUESTIONS]
    for index, field, value in changes:
        questions[index][field] = value
    (tmp_path / "material.txt").write_text(MATERIAL)
    path = tmp_path / "bank.yaml"
    bank = {"deck": deck, "title": "Fuzz", "material": "material.txt", "questions": questions}
    path.write_text(json.dumps(bank, ensure_ascii=False), errors="surrogatepass")
    loaded, problems = load_bank(path)
    assert (loaded is None) == bool(problems)
    for problem in problems:
        assert str(problem).strip() and len(str(problem)) < 5000
    before = _count(database, Question)
    try:
        report = import_banks(database, [path], NOW)
    except QuizError as error:
        event("bank refused")  # --hypothesis-show-statistics shows how often
        assert str(error).strip()
        assert _count(database, Question) == before  # nothing half-imported
    else:
        event("bank imported")
        assert loaded is not None and report.decks
        assert _count(database, Question) >= before


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "questions",
                "attempts",
                "pass_mark",
                "time_limit_minutes",
                "feedback",
                "opens_at",
                "closes_at",
                "draw",
                "shuffle_questions",
                "seed",
            ]
        ),
        _value,
        max_size=5,
    )
)
def test_hostile_drill_files_load_and_save_all_or_nothing(
    tmp_path: Path, target: tuple[Database, Teacher], fields: dict[str, Any]
) -> None:
    signal.alarm(20)
    database, teacher = target
    data = {"title": f"Fuzz drill {next(NUMBERS)}", "questions": ["f-short"], **fields}
    path = tmp_path / "drill.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), errors="surrogatepass")
    loaded, problems = load_drill_file(path)
    assert (loaded is None) == bool(problems)
    before = _count(database, Drill)
    try:
        spec = spec_from_dict(data)
        create_drill(database, teacher, spec, NOW)
    except QuizError as error:
        event("drill refused")
        assert str(error).strip()
        assert _count(database, Drill) == before
    else:
        event("drill saved")
        assert _count(database, Drill) == before + 1
