""" "I was right": a typed answer the grader marked wrong, claimed right by the learner, end
to end on real databases: stored correct and overridden, Good suggested, and shown apart
from graded-right answers in history, statistics and the teacher's drill report; refused
for answers graded right, rated, not typed, and in drills that do not allow it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from quiz.errors import QuizError
from quiz.services.answering import ChoiceResponse, GapsResponse, TypedResponse
from quiz.services.auth import Teacher, create_teacher
from quiz.services.cards import cards_for, sync_cards
from quiz.services.database import Database
from quiz.services.drills import (
    answer_attempt,
    create_drill,
    drill_report,
    finish_attempt,
    spec_from_dict,
    start_attempt,
)
from quiz.services.drills.attempts import override_attempt_answer
from quiz.services.history import session_answers
from quiz.services.profiles import ProfileInfo, get_or_create_profile, update_profile_settings
from quiz.services.reviewing import override, rate, revision_run, submit
from quiz.services.stats import statistics
from quiz.store.models import AnswerRecord, Question
from tests.conftest import NOW

GOOD = 3
SIGNED = "tp-signed-date"  # short answer: 30 March 1856
CLOZE = "tp-black-sea-cloze"  # the {{1}} ... {{2}}: Black Sea, trade
RUSSIA = "tp-russia-side"  # multiple choice


def _ids(database: Database, *keys: str) -> list[int]:
    with database.sessions() as session:
        rows = dict(
            session.execute(select(Question.key, Question.id).where(Question.key.in_(keys))).all()
        )
    return [rows[key] for key in keys]


def _learner(database: Database, name: str = "bob") -> ProfileInfo:
    profile = get_or_create_profile(database, name, NOW)
    sync_cards(database, profile.id)
    return update_profile_settings(database, profile.id, time_zone="UTC")


def test_a_wrong_typed_answer_claimed_right_is_kept_apart_in_history_and_statistics(
    database: Database,
) -> None:
    bob = _learner(database)
    signed, cloze, russia = _ids(database, SIGNED, CLOZE, RUSSIA)
    run = revision_run(bob, cards_for(database, bob, [signed, cloze, russia], NOW))
    wrong = submit(database, run, signed, TypedResponse(typed="Easter 1856"), 1000, NOW)
    assert (wrong.checked.correct, wrong.suggested_rating) == (False, 1)
    claimed = override(database, run, wrong, NOW)
    assert claimed.checked.correct and claimed.checked.overridden
    assert claimed.suggested_rating == GOOD
    rate(database, run, claimed.answer_id, claimed.suggested_rating, NOW)
    with pytest.raises(QuizError, match="already graded right"):
        override(database, run, claimed, NOW)

    later = NOW + timedelta(minutes=1)
    gaps = submit(database, run, cloze, GapsResponse(gaps=("Black Sea", "peace")), 900, later)
    assert not gaps.checked.correct
    rate(database, run, gaps.answer_id, 1, later)
    with pytest.raises(QuizError, match="already rated"):
        override(database, run, gaps, later)
    choice = ChoiceResponse(selected=("France",), shown=("France", "Russia"))
    picked = submit(database, run, russia, choice, 800, later)
    with pytest.raises(QuizError, match="only a typed answer"):
        override(database, run, picked, later)

    assert run.session_id is not None
    rows = {row.key: row for row in session_answers(database, bob, run.session_id)}
    assert (rows[SIGNED].correct, rows[SIGNED].overridden) == (True, True)
    assert rows[SIGNED].to_dict()["overridden"] is True
    assert (rows[CLOZE].correct, rows[CLOZE].overridden) == (False, False)
    stats = statistics(database, bob, later)
    assert stats.overridden == 1 and stats.to_dict()["overridden"] == 1
    with database.sessions() as session:
        stored = session.scalars(select(AnswerRecord).order_by(AnswerRecord.id)).all()
    assert [(a.correct, a.overridden, a.rating) for a in stored] == [
        (True, True, GOOD),
        (False, False, 1),
        (False, False, None),
    ]


@pytest.fixture
def ann(database: Database) -> Teacher:
    return create_teacher(database, "ann", "654321", NOW)


def test_drills_refuse_the_claim_unless_the_teacher_allows_it(
    database: Database, ann: Teacher
) -> None:
    (signed,) = _ids(database, SIGNED)
    spec = {"title": "Dates", "questions": [SIGNED], "feedback": "each"}
    strict = create_drill(database, ann, spec_from_dict(spec), NOW)
    bob = get_or_create_profile(database, "bob", NOW)
    attempt = start_attempt(database, bob, strict.id, NOW)
    answer_attempt(database, attempt.paper_id, signed, TypedResponse(typed="Easter"), 500, NOW)
    with pytest.raises(QuizError, match="does not let you mark an answer right"):
        override_attempt_answer(database, attempt.paper_id, signed, NOW)

    lenient = create_drill(
        database, ann, spec_from_dict({**spec, "title": "Lenient", "allow_override": True}), NOW
    )
    attempt = start_attempt(database, bob, lenient.id, NOW)
    given = answer_attempt(
        database, attempt.paper_id, signed, TypedResponse(typed="Easter"), 500, NOW
    )
    assert not given.checked.correct
    claimed = override_attempt_answer(database, attempt.paper_id, signed, NOW)
    assert claimed.checked.correct and claimed.checked.overridden
    result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=1))
    assert result.correct == 1
    with pytest.raises(QuizError, match="finished"):
        override_attempt_answer(database, attempt.paper_id, signed, NOW)

    report = drill_report(database, ann, lenient.id, NOW + timedelta(minutes=2))
    (row,) = report.questions
    assert (row.right, row.overridden) == (1, 1)
    (claim,) = report.overrides
    assert (claim.name, claim.key, claim.answer) == ("bob", SIGNED, "Easter")
    data = report.to_json(NOW)
    assert data["questions"][0]["overridden"] == 1
    assert data["overrides"][0]["answer"] == "Easter"
    strict_report = drill_report(database, ann, strict.id, NOW + timedelta(minutes=2))
    assert strict_report.overrides == ()
