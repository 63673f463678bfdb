"""The live view of a drill under way (SQLite and PostgreSQL): who is answering, who has
finished or run out of time, each question's facility so far, one attempt answer by
answer; only for a teacher."""

from datetime import timedelta

import pytest

from quiz.errors import QuizError
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database
from quiz.services.drills import attempt_now, drill_now, finish_attempt, start_attempt
from quiz.services.profiles import get_or_create_profile
from tests.conftest import NOW
from tests.test_drills import RUSSIA, SIGNED, SIGNED_MC, THREE, answer, choose, make, typed


@pytest.fixture
def ann(database: Database) -> Teacher:
    return create_teacher(database, "ann", "654321", NOW)


def test_the_class_as_it_stands(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=10, feedback="end")
    kim, lee, max_ = (get_or_create_profile(database, n, NOW) for n in ("kim", "lee", "max"))
    assert drill_now(database, ann, drill.id, NOW).students == ()

    lee_paper = start_attempt(database, lee, drill.id, NOW, seed=1)
    answer(database, lee_paper, RUSSIA, choose(lee_paper, RUSSIA, "Russia"))
    answer(database, lee_paper, SIGNED, typed("30 March 1856"))
    finish_attempt(database, lee_paper.paper_id, NOW + timedelta(minutes=3))
    kim_paper = start_attempt(database, kim, drill.id, NOW + timedelta(minutes=2), seed=2)
    answer(database, kim_paper, RUSSIA, choose(kim_paper, RUSSIA, "France"), minutes=3)
    start_attempt(database, max_, drill.id, NOW - timedelta(minutes=20), seed=3)

    now = drill_now(database, ann, drill.id, NOW + timedelta(minutes=4))
    states = {s.name: (s.state, s.answered, s.right, s.total) for s in now.students}
    assert states == {
        "kim": ("answering", 1, 0, 3),
        "lee": ("finished", 2, 2, 3),
        "max": ("timed out", 0, 0, 3),  # its time ran out; nobody has finished it yet
    }
    assert [s.name for s in now.students] == ["kim", "lee", "max"]
    assert (now.count("answering"), now.count("finished"), now.count("timed out")) == (1, 1, 1)
    russia = now.questions[lee_paper.questions[0].question_id]
    assert (russia.answered, russia.right, russia.facility) == (2, 1, 0.5)  # kim's counts
    assert SIGNED_MC not in {q.question_id for q in now.questions.values()}  # nobody yet
    assert drill_now(database, ann, drill.id, NOW + timedelta(minutes=4)) == now  # unchanged

    answer(database, kim_paper, SIGNED, typed("1856"), minutes=4.5)
    assert drill_now(database, ann, drill.id, NOW + timedelta(minutes=5)) != now


def test_one_attempt_answer_by_answer(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, feedback="none")
    kim = get_or_create_profile(database, "kim", NOW)
    paper = start_attempt(database, kim, drill.id, NOW, seed=1)
    answer(database, paper, SIGNED, typed("30 March 1856"), duration_ms=4200)
    seen = attempt_now(database, ann, paper.paper_id, NOW + timedelta(minutes=2))
    assert (seen.name, seen.number, seen.state) == ("kim", 1, "answering")
    assert [a.key for a in seen.answers] == THREE  # in the order she was asked
    by_key = {a.key: a for a in seen.answers}
    assert by_key[SIGNED].given == "30 March 1856" and by_key[SIGNED].correct is True
    assert by_key[SIGNED].duration_ms == 4200
    assert by_key[RUSSIA].given is None and by_key[RUSSIA].correct is None
    assert (seen.answered, seen.right) == (1, 1)
    finish_attempt(database, paper.paper_id, NOW + timedelta(minutes=3))
    assert attempt_now(database, ann, paper.paper_id, NOW).state == "finished"


def test_an_unknown_drill_or_attempt_is_a_sentence(database: Database, ann: Teacher) -> None:
    with pytest.raises(QuizError, match="no drill with id 999"):
        drill_now(database, ann, 999, NOW)
    with pytest.raises(QuizError, match="there is no drill attempt 999"):
        attempt_now(database, ann, 999, NOW)
