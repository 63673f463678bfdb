"""Drill services: taking attempts under time limits, windows, attempt limits and feedback
settings; fixed and fresh draws; the teacher's report. Runs on SQLite and PostgreSQL."""

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from quiz.bank.schema import parse_question
from quiz.core.responses import dump_response, parse_response
from quiz.errors import QuizError
from quiz.services.answering import (
    ChoiceResponse,
    GapsResponse,
    OrderResponse,
    Outcome,
    RecallResponse,
    Response,
    TruthResponse,
    TypedResponse,
    right_answers,
)
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database
from quiz.services.drills import (
    DrillInfo,
    answer_attempt,
    attempt_result,
    create_drill,
    delete_drill,
    drill_report,
    drills_for_student,
    finish_attempt,
    get_attempt,
    my_attempts,
    spec_from_dict,
    start_attempt,
    update_drill,
    write_report_csv,
)
from quiz.services.history import ANSWER_FIELDS, session_answers, write_csv
from quiz.services.paper import PaperView
from quiz.services.profiles import ProfileInfo, get_or_create_profile
from quiz.store.models import AnswerRecord, CardState, Drill, StudySession
from tests.conftest import NOW
from tests.probe import fresh_python

RUSSIA = "tp-russia-side"  # multiple choice, answer Russia
SIGNED_MC = "tp-signed-date-mc"  # multiple choice, answer 30 March 1856
SIGNED = "tp-signed-date"  # short answer, 30 March 1856
THREE = [RUSSIA, SIGNED_MC, SIGNED]


@pytest.fixture
def ann(database: Database) -> Teacher:
    return create_teacher(database, "ann", "654321", NOW)


def student(database: Database, name: str) -> ProfileInfo:
    return get_or_create_profile(database, name, NOW)


def make(database: Database, teacher: Teacher, **fields: Any) -> DrillInfo:
    return create_drill(database, teacher, spec_from_dict({"title": "Drill", **fields}), NOW)


def qid(attempt: PaperView, key: str) -> int:
    return next(q.question_id for q in attempt.questions if q.key == key)


def choose(attempt: PaperView, key: str, *picked: str) -> ChoiceResponse:
    """The options `picked` of question `key`, with every option as the attempt shows them."""
    shown = next(q.options for q in attempt.questions if q.key == key)
    assert set(picked) <= set(shown)
    return ChoiceResponse(selected=picked, shown=shown)


def typed(text: str) -> TypedResponse:
    return TypedResponse(typed=text)


def answer(
    database: Database,
    attempt: PaperView,
    key: str,
    response: Response,
    minutes: float = 1,
    duration_ms: int = 1500,
) -> Outcome:
    """Answer through the service, which grades the response."""
    return answer_attempt(
        database,
        attempt.paper_id,
        qid(attempt, key),
        response,
        duration_ms,
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
    russia = choose(attempt, RUSSIA, "Russia")
    saved = answer(database, attempt, RUSSIA, russia)
    assert saved.checked.correct  # the service graded it
    with database.sessions() as session:
        study = session.get(StudySession, attempt.paper_id)
        assert study is not None and study.kind == "drill" and study.drill_id == drill.id
        assert study.details is not None
        assert study.details["question_keys"] == THREE
        stored = datetime.fromisoformat(study.details["deadline"])
        assert stored == NOW + timedelta(minutes=10)
        row = session.scalar(select(AnswerRecord))
        assert row is not None
        assert (row.response, row.correct, row.duration_ms) == (dump_response(russia), True, 1500)
        assert parse_response(row.response) == russia
        assert row.rating is None and row.state_before is None
    assert count(database, CardState, profile_id=bob.id) == 0  # no card was scheduled


def test_timed_drill_runs_out(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=10, pass_mark=30)
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    russia = choose(attempt, RUSSIA, "Russia")
    answer(database, attempt, RUSSIA, russia, minutes=9.9)
    with pytest.raises(QuizError, match="time is up"):
        answer(database, attempt, SIGNED_MC, choose(attempt, SIGNED_MC, "30 March 1856"), 10)
    with pytest.raises(QuizError, match="time is up"):
        answer(database, attempt, SIGNED, typed("30 March 1856"), minutes=11)
    assert count(database, AnswerRecord) == 1
    result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=25))
    assert (result.correct, result.total, result.timed_out) == (1, 3, True)
    assert result.score == pytest.approx(1 / 3)
    assert result.passed  # 33% >= 30%
    assert result.ended_at == NOW + timedelta(minutes=10)  # submitted as it stood
    assert [q.correct for q in result.questions] == [True, False, False]
    assert [q.response for q in result.questions] == [russia, None, None]
    assert [q.given for q in result.questions] == ["Russia", "(no answer)", "(no answer)"]


def test_a_timed_out_attempt_is_scored_before_the_next_one(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, time_limit_minutes=5, attempts=None)
    bob = student(database, "bob")
    first = start_attempt(database, bob, drill.id, NOW)
    assert start_attempt(database, bob, drill.id, NOW + timedelta(minutes=4)) == first  # resumed
    second = start_attempt(database, bob, drill.id, NOW + timedelta(minutes=6))
    assert second.paper_id != first.paper_id
    with database.sessions() as session:
        old = session.get(StudySession, first.paper_id)
        assert old is not None and old.score == 0.0 and old.ended_at is not None
        new = session.get(StudySession, second.paper_id)
        assert new is not None and new.details is not None and new.details["number"] == 2


def test_end_only_feedback_hides_right_answers_until_finished(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="end")
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW)
    saved = answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "France"))
    assert (saved.shown, saved.final, saved.right_answers, saved.explanation) == (
        False,
        False,
        (),
        None,
    )
    with pytest.raises(QuizError, match="not finished yet"):
        attempt_result(database, attempt.paper_id, bob)
    russia = choose(attempt, RUSSIA, "Russia")
    changed = answer(database, attempt, RUSSIA, russia, minutes=2, duration_ms=500)
    # with end feedback an answer may be changed: the new one replaces the earlier one
    assert changed.answer_id == saved.answer_id
    with database.sessions() as session:
        [row] = session.scalars(select(AnswerRecord)).all()
        assert (parse_response(row.response), row.correct) == (russia, True)
        assert row.duration_ms == 2000  # the time spent on both answers
        assert row.answered_at == NOW + timedelta(minutes=2)
    assert get_attempt(database, attempt.paper_id).responses == {qid(attempt, RUSSIA): russia}
    result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=3))
    assert result.answers_shown
    first = result.questions[0]
    assert (first.correct, first.response, first.given, first.right_answers) == (
        True,
        russia,
        "Russia",
        ("Russia",),
    )
    assert result.questions[2].right_answers == ("30 March 1856",)
    assert attempt_result(database, attempt.paper_id, bob) == result


def test_feedback_after_each_question_shows_the_answer_and_allows_no_second_try(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="each")
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    shown = answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "France"))
    assert (shown.shown, shown.final, shown.checked.correct, shown.right_answers) == (
        True,
        True,
        False,
        ("Russia",),
    )
    assert shown.explanation
    with pytest.raises(QuizError, match="already answered"):
        answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "Russia"), minutes=2)
    assert count(database, AnswerRecord) == 1
    resumed = get_attempt(database, attempt.paper_id)
    assert resumed.outcomes[qid(attempt, RUSSIA)].checked.correct is False  # shown again


def test_no_feedback_keeps_right_answers_hidden_after_finishing(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=THREE, feedback="none")
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    france = choose(attempt, RUSSIA, "France")
    saved = answer(database, attempt, RUSSIA, france)
    assert not saved.shown and saved.right_answers == () and saved.explanation is None
    result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=2))
    assert not result.answers_shown
    assert all(q.right_answers is None and q.explanation is None for q in result.questions)
    first = result.questions[0]
    assert (first.response, first.given) == (france, "France")  # their own answer is shown
    assert result.to_json()["questions"][0]["answer"] == "France"


def test_answers_only_for_questions_in_the_attempt_and_not_after_finishing(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=[RUSSIA])
    attempt = start_attempt(database, student(database, "bob"), drill.id, NOW)
    other = make(database, ann, title="Other", questions=[SIGNED])
    other_attempt = start_attempt(database, student(database, "bob"), other.id, NOW)
    with pytest.raises(QuizError, match="not on this paper"):
        answer_attempt(database, attempt.paper_id, qid(other_attempt, SIGNED), typed("x"), 1, NOW)
    finish_attempt(database, attempt.paper_id, NOW)
    with pytest.raises(QuizError, match="finished"):
        answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "Russia"))
    assert count(database, AnswerRecord) == 0


def test_attempts_allowed_are_enforced(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE, attempts=2)
    bob, cat = student(database, "bob"), student(database, "cat")
    for n in range(2):
        attempt = start_attempt(database, bob, drill.id, NOW + timedelta(hours=n))
        finish_attempt(database, attempt.paper_id, NOW + timedelta(hours=n, minutes=5))
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
        answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "Russia"), minutes=120)
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
    finish_attempt(database, first.paper_id, NOW)
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
    right = {RUSSIA: "Russia", SIGNED_MC: "30 March 1856", SIGNED: "30 March 1856"}

    def sit(name: str, hour: int, answers: dict[str, str | None], finish: bool = True) -> None:
        """One attempt by `name`, answering each question with the text given (the option
        chosen, or the text typed); None leaves it unanswered."""
        attempt = start_attempt(
            database, student(database, name), drill.id, NOW + timedelta(hours=hour)
        )
        for key, given in answers.items():
            if given is not None:
                response = typed(given) if key == SIGNED else choose(attempt, key, given)
                answer_attempt(
                    database,
                    attempt.paper_id,
                    qid(attempt, key),
                    response,
                    1000,
                    NOW + timedelta(hours=hour, minutes=1),
                )
        if finish:
            finish_attempt(database, attempt.paper_id, NOW + timedelta(hours=hour, minutes=5))

    sit("bob", 1, dict(right))
    sit("bob", 2, {RUSSIA: right[RUSSIA], SIGNED_MC: right[SIGNED_MC], SIGNED: None})
    sit("cat", 1, {RUSSIA: "France", SIGNED_MC: "23 October 1853", SIGNED: "1856"})
    sit("dan", 1, {RUSSIA: "Britain", SIGNED_MC: right[SIGNED_MC], SIGNED: right[SIGNED]})
    sit("dan", 2, {RUSSIA: right[RUSSIA], SIGNED_MC: right[SIGNED_MC], SIGNED: "1856 "})
    sit("eve", 1, {RUSSIA: "France", SIGNED_MC: right[SIGNED_MC], SIGNED: right[SIGNED]})
    sit("fay", 1, {RUSSIA: "Britain"}, finish=False)  # in progress: not counted

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
        (SIGNED, 4, 1, 0.25, "1856", 2, 1),  # "1856" and "1856 " are the same answer
        (RUSSIA, 4, 2, 0.5, "France", 2, 0),  # dan's Britain was in an earlier attempt
        (SIGNED_MC, 4, 3, 0.75, "23 October 1853", 1, 0),
    ]
    assert [s.latest_passed for s in report.students] == [True, False, True, True, None]
    assert my_attempts(database, student(database, "fay"))[0].score is None


def test_the_same_wrong_choice_in_other_orders_counts_once(
    database: Database, ann: Teacher
) -> None:
    drill = make(database, ann, questions=[RUSSIA], shuffle_options=True, attempts=None)
    orders = []
    for name, seed, given in [("bob", 1, "Britain"), ("cat", 2, "Britain"), ("dan", 3, "France")]:
        attempt = start_attempt(database, student(database, name), drill.id, NOW, seed=seed)
        response = choose(attempt, RUSSIA, given)
        orders.append(response.shown)
        answer(database, attempt, RUSSIA, response)
        finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=5))
    assert orders[0] != orders[1]  # bob and cat were shown the options in different orders
    [row] = drill_report(database, ann, drill.id, NOW + timedelta(hours=1)).questions
    assert (row.asked, row.right, row.common_wrong, row.common_wrong_count) == (
        3,
        0,
        "Britain",
        2,
    )


ONE_OF_EACH = {  # a question of each type in the built-in bank
    "flashcard": "tp-black-sea-flash",
    "multiple_choice": RUSSIA,
    "true_false": "tp-black-sea-demilitarised",  # true
    "cloze": "tp-black-sea-cloze",  # the Black Sea, trade
    "short_answer": SIGNED,
    "ordering": "tp-peace-chain",
}
PEACE_CHAIN = (
    "The treaty is signed at the congress of Paris",
    "Disagreements, even amongst the allies, about the nature of the treaty",
    "An uncertain peace",
    "Further diplomatic issues involving the Ottoman Empire",
)


def one_of_each(attempt: PaperView, right: bool) -> dict[str, tuple[Response, str]]:
    """A response to each question of the attempt (all right or all wrong), and the text a
    person should read for it."""
    ordering = next(q.options for q in attempt.questions if q.key == ONE_OF_EACH["ordering"])
    order = PEACE_CHAIN if right else ordering  # as shown: never the right order
    return {
        "flashcard": (
            RecallResponse(knew=right),
            "knew it" if right else "did not know it",
        ),
        "multiple_choice": (
            choose(attempt, RUSSIA, "Russia" if right else "Britain"),
            "Russia" if right else "Britain",
        ),
        "true_false": (TruthResponse(truth=right), "True" if right else "False"),
        "cloze": (
            GapsResponse(gaps=("Black Sea", "trade") if right else ("Baltic Sea", "war")),
            "Black Sea | trade" if right else "Baltic Sea | war",
        ),
        "short_answer": (
            typed("30 March 1856" if right else "March 1855"),
            "30 March 1856" if right else "March 1855",
        ),
        "ordering": (OrderResponse(order=order, shown=ordering), " → ".join(order)),
    }


@pytest.mark.parametrize("feedback", ["each", "end", "none"])
def test_every_type_of_answer_reads_as_given_in_the_result_report_and_history(
    database: Database, ann: Teacher, feedback: str
) -> None:
    drill = make(database, ann, questions=list(ONE_OF_EACH.values()), feedback=feedback)
    given: dict[str, dict[str, str]] = {}
    for name, right in [("bob", True), ("cat", False)]:
        learner = student(database, name)
        attempt = start_attempt(database, learner, drill.id, NOW, seed=4)
        answers = one_of_each(attempt, right)
        for kind, key in ONE_OF_EACH.items():
            outcome = answer(database, attempt, key, answers[kind][0])
            assert outcome.checked.correct is right, kind
        result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=5))
        assert (result.correct, result.total) == ((6 if right else 0), 6)
        texts = {kind: text for kind, (_, text) in answers.items()}
        by_key = {kind: texts[kind] for kind in ONE_OF_EACH}
        assert [q.given for q in result.questions] == list(by_key.values())
        assert [q["answer"] for q in result.to_json()["questions"]] == list(by_key.values())
        history = session_answers(database, learner, attempt.paper_id)
        assert [row.key for row in history] == list(ONE_OF_EACH.values())
        assert [row.answer for row in history] == list(by_key.values())
        out = io.StringIO()
        write_csv([row.to_dict() for row in history], ANSWER_FIELDS, out)
        csv_rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert [r["answer"] for r in csv_rows] == list(by_key.values())
        assert "{" not in out.getvalue() and "}" not in out.getvalue()
        given[name] = by_key

    report = drill_report(database, ann, drill.id, NOW + timedelta(hours=1))
    wrong = {q.key: (q.common_wrong, q.common_wrong_count, q.right) for q in report.questions}
    assert wrong == {key: (given["cat"][kind], 1, 1) for kind, key in ONE_OF_EACH.items()}
    out = io.StringIO()
    assert write_report_csv(report, "questions", out, NOW) == 6
    rows = {r["id"]: r["most_chosen_wrong"] for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows == {key: given["cat"][kind] for kind, key in ONE_OF_EACH.items()}
    assert "{" not in out.getvalue() and "}" not in out.getvalue()


def test_a_student_sees_only_their_own_results(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE)
    bob, cat = student(database, "bob"), student(database, "cat")
    attempt = start_attempt(database, bob, drill.id, NOW)
    finish_attempt(database, attempt.paper_id, NOW)
    with pytest.raises(QuizError, match="another learner's"):
        attempt_result(database, attempt.paper_id, cat)
    assert attempt_result(database, attempt.paper_id, ann).attempt_id == attempt.paper_id
    assert [a.attempt_id for a in my_attempts(database, bob)] == [attempt.paper_id]
    assert my_attempts(database, cat) == []


def test_deleting_a_drill_keeps_the_history(database: Database, ann: Teacher) -> None:
    drill = make(database, ann, questions=THREE)
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW)
    finish_attempt(database, attempt.paper_id, NOW)
    delete_drill(database, ann, drill.id)
    [kept] = my_attempts(database, bob)
    assert (kept.title, kept.drill_id, kept.score) == ("Drill", None, 0.0)


def test_drill_services_do_not_import_textual() -> None:
    code = "import sys, quiz.services.drills, quiz.cli.drill; print('textual' in sys.modules)"
    assert fresh_python(code) == "False"


def test_a_drill_of_flashcards_is_reported_self_rated_not_verified(
    database: Database, ann: Teacher
) -> None:
    flashcards = ["tp-signed-flash", "tp-parties-flash"]
    drill = make(database, ann, questions=[*flashcards, RUSSIA])
    bob = student(database, "bob")
    attempt = start_attempt(database, bob, drill.id, NOW)
    for key in flashcards:  # "I knew it" is all a flashcard asks
        assert answer(database, attempt, key, RecallResponse(knew=True)).checked.correct
    answer(database, attempt, RUSSIA, choose(attempt, RUSSIA, "Russia"))
    finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=5))

    report = drill_report(database, ann, drill.id, NOW + timedelta(hours=1))
    assert report.students[0].best_score == 1.0
    assert {q.key: (q.right, q.self_rated) for q in report.questions} == {
        "tp-signed-flash": (1, True),
        "tp-parties-flash": (1, True),
        RUSSIA: (1, False),
    }
    assert report.self_rated == 2
    data = report.to_json(NOW)
    assert data["drill"]["self_rated_questions"] == 2
    assert {q["id"]: q["self_rated"] for q in data["questions"]}[RUSSIA] is False
    out = io.StringIO()
    write_report_csv(report, "questions", out, NOW)
    rows = {row["id"]: row["self_rated"] for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows == {"tp-signed-flash": "True", "tp-parties-flash": "True", RUSSIA: "False"}


@pytest.mark.parametrize("truth", [True, False])
def test_a_true_false_right_answer_reads_as_its_options(truth: bool) -> None:
    """Drill results, exam reports and the browse preview show True or False, as the options
    read, not the stored lower-case form."""
    question = parse_question(
        {
            "id": "tf",
            "type": "true_false",
            "topic": "t",
            "difficulty": 1,
            "prompt": "The treaty was signed in Paris.",
            "answer": truth,
            "explanation": "e",
            "source": "s",
        }
    )
    assert right_answers(question) == ("True" if truth else "False",)
