"""Many learners on one database at once, on SQLite and PostgreSQL: each thread opens its
own `Database` (its own engine and connections), as each served browser tab is its own
process. Two students answering together are both kept; one student's two tabs never get
two attempts past the limit nor one answer saved twice."""

import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from quiz.errors import QuizError
from quiz.services.answering import ChoiceResponse
from quiz.services.auth import create_teacher
from quiz.services.database import Database, open_database
from quiz.services.drills import (
    answer_attempt,
    create_drill,
    finish_attempt,
    spec_from_dict,
    start_attempt,
)
from quiz.services.paper import PaperView
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.store.models import AnswerRecord, StudySession
from tests.conftest import NOW

T = TypeVar("T")
RUSSIA = "tp-russia-side"
TABS = 4
ROUNDS = 5


@pytest.fixture
def tabs(database: Database, db_url: str) -> Iterator[list[Database]]:
    """TABS more connections to the test database, one per simulated browser tab."""
    opened = [open_database(db_url, NOW, import_builtin=False) for _ in range(TABS)]
    yield opened
    for tab in opened:
        tab.close()


def at_once(tabs: list[Database], call: Callable[[Database], T]) -> list[T | Exception]:
    """`call` on every tab at the same moment; what each returned or raised."""
    barrier = threading.Barrier(len(tabs))
    results: list[T | Exception] = [RuntimeError("not run")] * len(tabs)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = call(tabs[index])
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def drill(database: Database, **fields: Any) -> int:
    teacher = create_teacher(database, "ann", "654321", NOW)
    spec = spec_from_dict({"title": "Drill", "questions": [RUSSIA], **fields})
    return create_drill(database, teacher, spec, NOW).id


def russia(attempt: PaperView) -> tuple[int, ChoiceResponse]:
    question = attempt.questions[0]
    return question.question_id, ChoiceResponse(selected=("Russia",), shown=question.options)


def attempts_of(database: Database, profile: ProfileInfo) -> int:
    with database.sessions() as session:
        return (
            session.scalar(select(func.count()).where(StudySession.profile_id == profile.id)) or 0
        )


def test_a_students_tabs_starting_at_once_share_one_attempt(
    database: Database, tabs: list[Database]
) -> None:
    drill_id = drill(database, attempts=ROUNDS)
    kim = get_or_create_profile(database, "kim", NOW)
    for used in range(1, ROUNDS + 1):
        started = at_once(tabs, lambda tab: start_attempt(tab, kim, drill_id, NOW))
        assert all(isinstance(view, PaperView) for view in started), started
        ids = {view.paper_id for view in started if isinstance(view, PaperView)}
        assert len(ids) == 1  # every tab resumed the one attempt the first tab started
        assert attempts_of(database, kim) == used
        finish_attempt(database, ids.pop(), NOW)
    refused = at_once(tabs, lambda tab: start_attempt(tab, kim, drill_id, NOW))
    assert all(isinstance(error, QuizError) for error in refused), refused
    assert "used all 5 attempt(s)" in str(refused[0])
    assert attempts_of(database, kim) == ROUNDS


def test_one_question_answered_from_two_tabs_at_once_is_saved_once(
    database: Database, tabs: list[Database]
) -> None:
    drill_id = drill(database, feedback="each", attempts=ROUNDS)
    kim = get_or_create_profile(database, "kim", NOW)
    for _ in range(ROUNDS):
        attempt = start_attempt(database, kim, drill_id, NOW)
        question_id, response = russia(attempt)
        send = partial(
            answer_attempt,
            attempt_id=attempt.paper_id,
            question_id=question_id,
            response=response,
            duration_ms=900,
            now=NOW,
        )
        outcomes = at_once(tabs, send)
        saved = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(saved) == 1, outcomes  # the answer is final: the other tabs are refused
        assert all(isinstance(e, QuizError) and "already answered" in str(e) for e in refused)
        with database.sessions() as session:
            rows = session.scalars(
                select(AnswerRecord).where(AnswerRecord.session_id == attempt.paper_id)
            ).all()
        assert len(rows) == 1 and rows[0].duration_ms == 900
        finish_attempt(database, attempt.paper_id, NOW)


def test_a_changeable_answer_sent_from_two_tabs_at_once_keeps_one_row(
    database: Database, tabs: list[Database]
) -> None:
    drill_id = drill(database, feedback="end")
    kim = get_or_create_profile(database, "kim", NOW)
    attempt = start_attempt(database, kim, drill_id, NOW)
    question_id, response = russia(attempt)
    for _ in range(ROUNDS):
        outcomes = at_once(
            tabs,
            lambda tab: answer_attempt(tab, attempt.paper_id, question_id, response, 100, NOW),
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    with database.sessions() as session:
        rows = session.scalars(
            select(AnswerRecord).where(AnswerRecord.session_id == attempt.paper_id)
        ).all()
    assert len(rows) == 1
    assert rows[0].duration_ms == 100 * TABS * ROUNDS  # every tab's time counted, once


def test_students_answering_at_once_are_all_kept(database: Database, tabs: list[Database]) -> None:
    drill_id = drill(database, feedback="each")
    students = [get_or_create_profile(database, f"s{i}", NOW) for i in range(len(tabs))]
    by_tab = dict(zip((id(tab) for tab in tabs), students, strict=True))

    def take(tab: Database) -> float | None:
        kid = by_tab[id(tab)]
        attempt = start_attempt(tab, kid, drill_id, NOW)
        question_id, response = russia(attempt)
        answer_attempt(tab, attempt.paper_id, question_id, response, 1000, NOW)
        return finish_attempt(tab, attempt.paper_id, NOW).score

    scores = at_once(tabs, take)
    assert scores == [1.0] * len(tabs)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == len(tabs)
