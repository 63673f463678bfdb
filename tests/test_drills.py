"""Drill services: taking attempts under time limits, windows, attempt limits and feedback
settings; fixed and fresh draws; the teacher's report. Runs on SQLite and PostgreSQL."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from quiz.errors import QuizError
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database
from quiz.services.drills import (
    DrillAttempt,
    DrillInfo,
    attempt_result,
    create_drill,
    delete_drill,
    drill_report,
    drills_for_student,
    finish_attempt,
    my_attempts,
    record_drill_answer,
    spec_from_dict,
    start_attempt,
    update_drill,
)
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.store.models import AnswerRecord, CardState, Drill, StudySession
from tests.conftest import NOW

RUSSIA = "tp-russia-side"  # multiple choice, answer Russia
SIGNED_MC = "tp-signed-date-mc"  # multiple choice, answer 30 March 1856
SIGNED = "tp-signed-date"  # short answer, 30 March 1856
THREE = [RUSSIA, SIGNED_MC, SIGNED]


@pytest.fixture
def ann(database: Database) -> Teacher:
    return create_teacher(database, "ann", "4321", NOW)


def student(database: Database, name: str) -> ProfileInfo:
    return get_or_create_profile(database, name, NOW)


def make(database: Database, teacher: Teacher, **fields: Any) -> DrillInfo:
    return create_drill(database, teacher, spec_from_dict({"title": "Drill", **fields}), NOW)


def qid(attempt: DrillAttempt, key: str) -> int:
    return next(q.question_id for q in attempt.questions if q.key == key)


def answer(
    database: Database,
    attempt: DrillAttempt,
    key: str,
    response: dict[str, Any],
    correct: bool,
    minutes: float = 1,
) -> Any:
    return record_drill_answer(
        database,
        attempt.attempt_id,
        qid(attempt, key),
        response,
        correct,
        1500,
        NOW + timedelta(minutes=minutes),
    )


def count(database: Database, model: Any, **where: Any) -> int:
    with database.sessions() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(session.scalar(query) or 0)


def test_attempt_records_details_and_answers_without_touching_spaced_repetition(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=10)
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW, seed=1)
    assert [q.key for q in attempt.questions] == THREE
    assert attempt.deadline == NOW + timedelta(minutes=10)
    answer(database, attempt, RUSSIA, {"choice": "Russia"}, True)
    with database.sessions() as session:
        study = session.get(StudySession, attempt.attempt_id)
        assert study is not None and study.kind == "drill" and study.drill_id == drill.id
        assert study.details is not None
        assert study.details["question_keys"] == THREE
        assert study.details["deadline"] == (NOW + timedelta(minutes=10)).isoformat()
        row = session.scalar(select(AnswerRecord))
        assert row is not None
        assert (row.response, row.correct, row.duration_ms) == ({"choice": "Russia"}, True, 1500)
        assert row.rating is None and row.state_before is None
    assert count(database, CardState, profile_id=bob.id) == 0  # no card was scheduled


def test_timed_drill_runs_out(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=10, pass_mark=30)
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    answer(database, attempt, RUSSIA, {"choice": "Russia"}, True, minutes=9.9)
    with pytest.raises(QuizError, match="time is up"):
        answer(database, attempt, SIGNED_MC, {"choice": "30 March 1856"}, True, minutes=10)
    with pytest.raises(QuizError, match="time is up"):
        answer(database, attempt, SIGNED, {"typed": "30 March 1856"}, True, minutes=11)
    assert count(database, AnswerRecord) == 1
    result = finish_attempt(database, attempt.attempt_id, NOW + timedelta(minutes=25))
    assert (result.correct, result.total, result.timed_out) == (1, 3, True)
    assert result.score == pytest.approx(1 / 3)
    assert result.passed  # 33% >= 30%
    assert result.ended_at == NOW + timedelta(minutes=10)  # submitted as it stood
    assert [q.correct for q in result.questions] == [True, False, False]
    assert [q.response for q in result.questions] == [{"choice": "Russia"}, None, None]


def test_a_timed_out_attempt_is_scored_before_the_next_one(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=5, attempts=None)
    bob = student(database, "bob")
    first = start_attempt(database, bob, drill.id, NOW)
    assert start_attempt(database, bob, drill.id, NOW + timedelta(minutes=4)) == first  # resumed
    second = start_attempt(database, bob, drill.id, NOW + timedelta(minutes=6))
    assert second.attempt_id != first.attempt_id and second.number == 2
    with database.sessions() as session:
        old = session.get(StudySession, first.attempt_id)
        assert old is not None and old.score == 0.0 and old.ended_at is not None


def test_end_only_feedback_hides_right_answers_until_finished(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="end")
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW)
    saved = answer(database, attempt, RUSSIA, {"choice": "France"}, False)
    assert (saved.shown, saved.correct, saved.right_answers) == (False, None, None)
    with pytest.raises(QuizError, match="not finished yet"):
        attempt_result(database, attempt.attempt_id, bob)
    changed = answer(database, attempt, RUSSIA, {"choice": "Russia"}, True, minutes=2)
    assert changed.answer_id != saved.answer_id  # with end feedback an answer may be changed
    result = finish_attempt(database, attempt.attempt_id, NOW + timedelta(minutes=3))
    assert result.answers_shown
    first = result.questions[0]
    assert (first.correct, first.response, first.right_answers) == (
        True,
        {"choice": "Russia"},
        ("Russia",),
    )
    assert result.questions[2].right_answers == ("30 March 1856",)
    assert attempt_result(database, attempt.attempt_id, bob) == result


def test_feedback_after_each_question_shows_the_answer_and_allows_no_second_try(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="each")
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    shown = answer(database, attempt, RUSSIA, {"choice": "France"}, False)
    assert (shown.shown, shown.correct, shown.right_answers) == (True, False, ("Russia",))
    assert shown.explanation
    with pytest.raises(QuizError, match="already answered"):
        answer(database, attempt, RUSSIA, {"choice": "Russia"}, True, minutes=2)
    assert count(database, AnswerRecord) == 1


def test_no_feedback_keeps_right_answers_hidden_after_finishing(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="none")
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    assert not answer(database, attempt, RUSSIA, {"choice": "France"}, False).shown
    result = finish_attempt(database, attempt.attempt_id, NOW + timedelta(minutes=2))
    assert not result.answers_shown
    assert all(q.right_answers is None and q.explanation is None for q in result.questions)
    assert result.questions[0].response == {"choice": "France"}  # their own answer is shown


def test_answers_only_for_questions_in_the_attempt_and_not_after_finishing(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=[RUSSIA])
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    other = make(database, ann, title="Other", questions=[SIGNED])
    other_attempt = start_attempt(database, student(database, "bob"), other.id, NOW)
    with pytest.raises(QuizError, match="not in this attempt"):
        record_drill_answer(
            database, attempt.attempt_id, qid(other_attempt, SIGNED), {"typed": "x"}, False, 1, NOW
        )
    finish_attempt(database, attempt.attempt_id, NOW)
    with pytest.raises(QuizError, match="finished"):
        answer(database, attempt, RUSSIA, {"choice": "Russia"}, True)
    assert count(database, AnswerRecord) == 0


def test_attempts_allowed_are_enforced(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, attempts=2)
    bob, cat = student(database, "bob"), student(database, "cat")
    for n in range(2):
        attempt = start_attempt(database, bob, drill.id, NOW + timedelta(hours=n))
        finish_attempt(database, attempt.attempt_id, NOW + timedelta(hours=n, minutes=5))
    [listed] = drills_for_student(database, bob.id, NOW + timedelta(hours=3))
    assert (listed.attempts_used, listed.attempts_left, listed.can_start) == (2, 0, False)
    with pytest.raises(QuizError, match="used all 2 attempt"):
        start_attempt(database, bob, drill.id, NOW + timedelta(hours=3))
    assert count(database, StudySession, profile_id=bob.id) == 2
    start_attempt(database, cat, drill.id, NOW + timedelta(hours=3))  # others are not affected
    assert drills_for_student(database, cat.id, NOW)[0].attempts_left == 1


def test_open_and_close_times(database: Database, ann: Teacher) -> None:
    opens, closes = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
    drill = make(
        database, ann, questions=THREE, opens_at=opens.isoformat(), closes_at=closes.isoformat()
    )
    bob = student(database, "bob")
    assert drills_for_student(database, bob.id, NOW)[0].status == "upcoming"
    with pytest.raises(QuizError, match="opens at 2026-03-30 10:00"):
        start_attempt(database, bob, drill.id, NOW)
    attempt = start_attempt(database, bob, drill.id, opens + timedelta(minutes=50))
    assert attempt.deadline == closes  # the close time ends the attempt too
    with pytest.raises(QuizError, match="time is up"):
        answer(database, attempt, RUSSIA, {"choice": "Russia"}, True, minutes=120)
    assert drills_for_student(database, bob.id, closes) == []
    assert drills_for_student(database, bob.id, closes, include_closed=True)[0].status == "closed"
    with pytest.raises(QuizError, match="closed at"):
        start_attempt(database, student(database, "cat"), drill.id, closes)
    assert count(database, StudySession) == 1


def test_window_must_close_after_it_opens() -> None:
    with pytest.raises(QuizError, match="closes_at` must be after `opens_at"):
        spec_from_dict(
            {
                "title": "x",
                "questions": [RUSSIA],
                "opens_at": NOW.isoformat(),
                "closes_at": NOW.isoformat(),
            }
        )


RULE = {"topics": ["congress and parties"], "count": 5}


def test_fixed_draw_gives_every_student_the_same_set(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, draw={**RULE, "seed": 7}, shuffle_questions=True)
    same = make(database, ann, title="Same", draw={**RULE, "seed": 7})
    other = make(database, ann, title="Other", draw={**RULE, "seed": 8})
    sets = [
        {
            q.key
            for q in start_attempt(database, student(database, name), d.id, NOW, seed=s).questions
        }
        for name, d, s in [
            ("bob", drill, 1),
            ("cat", drill, 2),
            ("dan", same, 3),
            ("eve", other, 4),
        ]
    ]
    assert len(sets[0]) == 5
    assert sets[0] == sets[1] == sets[2]
    assert sets[3] != sets[0]


def test_fixed_draw_without_a_seed_keeps_the_one_chosen(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, draw=RULE)
    with database.sessions() as session:
        row = session.get(Drill, drill.id)
        assert row is not None
        seed, drawn = row.spec["draw"]["seed"], row.spec["drawn"]
    assert isinstance(seed, int) and len(drawn) == 5
    edited = spec_from_dict({"title": "Drill", "draw": RULE, "pass_mark": 80})
    update_drill(database, ann, drill.id, edited, NOW)  # same rule: same questions
    with database.sessions() as session:
        row = session.get(Drill, drill.id)
        assert row is not None
        assert (row.spec["draw"]["seed"], row.spec["drawn"]) == (seed, drawn)
        assert row.spec["pass_mark"] == 80


def test_fresh_draw_differs_between_attempts(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, draw={**RULE, "fresh_each_attempt": True}, attempts=None)
    bob = student(database, "bob")
    first = start_attempt(database, bob, drill.id, NOW, seed=1)
    finish_attempt(database, first.attempt_id, NOW)
    second = start_attempt(database, bob, drill.id, NOW, seed=2)
    again = start_attempt(database, student(database, "cat"), drill.id, NOW, seed=1)
    keys = [[q.key for q in a.questions] for a in (first, second, again)]
    assert set(keys[0]) != set(keys[1])
    assert keys[0] == keys[2]  # the draw depends only on the seed


def test_shuffled_options_are_a_permutation_kept_in_the_attempt(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, shuffle_options=True, shuffle_questions=True)
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW, seed=5)
    russia = next(q for q in attempt.questions if q.key == RUSSIA)
    assert sorted(russia.options) == sorted(russia.question.choice_list)
    short = next(q for q in attempt.questions if q.key == SIGNED)
    assert short.options == ()
    resumed = start_attempt(database, student(database, "bob"), drill.id, NOW)
    assert resumed.questions == attempt.questions


def test_draw_rule_that_matches_too_few_questions_is_refused(
    database: Database, ann: Teacher
) -> None:
    with pytest.raises(QuizError, match=r"matches only .* but `count` is 500"):
        make(database, ann, draw={"topics": ["congress and parties"], "count": 500})
    with pytest.raises(QuizError, match="question tp-nope: no question has this id"):
        make(database, ann, questions=[RUSSIA, "tp-nope"])
    assert count(database, Drill) == 0


def test_report_figures(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, attempts=2, pass_mark=50)
    right = {
        RUSSIA: {"choice": "Russia"},
        SIGNED_MC: {"choice": "30 March 1856"},
        SIGNED: {"typed": "30 March 1856"},
    }

    def sit(
        name: str, hour: int, answers: dict[str, dict[str, Any] | None], finish: bool = True
    ) -> None:
        attempt = start_attempt(
            database, student(database, name), drill.id, NOW + timedelta(hours=hour)
        )
        for key, response in answers.items():
            if response is not None:
                record_drill_answer(
                    database,
                    attempt.attempt_id,
                    qid(attempt, key),
                    response,
                    response == right[key],
                    1000,
                    NOW + timedelta(hours=hour, minutes=1),
                )
        if finish:
            finish_attempt(database, attempt.attempt_id, NOW + timedelta(hours=hour, minutes=5))

    sit("bob", 1, dict(right))
    sit("bob", 2, {RUSSIA: right[RUSSIA], SIGNED_MC: right[SIGNED_MC], SIGNED: None})
    sit(
        "cat",
        1,
        {
            RUSSIA: {"choice": "France"},
            SIGNED_MC: {"choice": "23 October 1853"},
            SIGNED: {"typed": "1856"},
        },
    )
    sit(
        "dan",
        1,
        {RUSSIA: {"choice": "Britain"}, SIGNED_MC: right[SIGNED_MC], SIGNED: right[SIGNED]},
    )
    sit("dan", 2, {RUSSIA: right[RUSSIA], SIGNED_MC: right[SIGNED_MC], SIGNED: {"typed": "1856 "}})
    sit(
        "eve", 1, {RUSSIA: {"choice": "France"}, SIGNED_MC: right[SIGNED_MC], SIGNED: right[SIGNED]}
    )
    sit("fay", 1, {RUSSIA: {"choice": "Britain"}}, finish=False)  # in progress: not counted

    report = drill_report(database, ann, drill.id, NOW + timedelta(hours=3))
    students = {s.name: s for s in report.students}
    assert [s.name for s in report.students] == ["bob", "cat", "dan", "eve", "fay"]
    assert (students["bob"].attempts, students["bob"].best_score) == (2, 1.0)
    assert students["bob"].latest_score == pytest.approx(2 / 3)
    assert (students["cat"].best_score, students["cat"].latest_passed) == (0.0, False)
    assert students["dan"].best_score == pytest.approx(2 / 3)
    assert (students["fay"].attempts, students["fay"].finished) == (1, 0)
    assert students["fay"].best_score is None and students["fay"].latest_score is None
    # over each student's latest finished attempt: bob#2, cat#1, dan#2, eve#1
    rows = [
        (q.key, q.asked, q.right, q.facility, q.common_wrong, q.common_wrong_count, q.unanswered)
        for q in report.questions
    ]
    assert rows == [
        (SIGNED, 4, 1, 0.25, "1856", 2, 1),
        (RUSSIA, 4, 2, 0.5, "France", 2, 0),  # dan's Britain was in an earlier attempt
        (SIGNED_MC, 4, 3, 0.75, "23 October 1853", 1, 0),
    ]
    assert [s.latest_passed for s in report.students] == [True, False, True, True, None]
    assert my_attempts(database, student(database, "fay"))[0].score is None


def test_a_student_sees_only_their_own_results(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE)
    bob, cat = student(database, "bob"), student(database, "cat")
    attempt = start_attempt(database, bob, drill.id, NOW)
    finish_attempt(database, attempt.attempt_id, NOW)
    with pytest.raises(QuizError, match="another learner's"):
        attempt_result(database, attempt.attempt_id, cat)
    assert attempt_result(database, attempt.attempt_id, ann).attempt_id == attempt.attempt_id
    assert [a.attempt_id for a in my_attempts(database, bob)] == [attempt.attempt_id]
    assert my_attempts(database, cat) == []


def test_deleting_a_drill_keeps_the_history(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE)
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW)
    finish_attempt(database, attempt.attempt_id, NOW)
    delete_drill(database, ann, drill.id)
    [kept] = my_attempts(database, bob)
    assert (kept.title, kept.drill_id, kept.score) == ("Drill", None, 0.0)


def test_drill_services_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, quiz.services.drills, quiz.cli.drill; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
