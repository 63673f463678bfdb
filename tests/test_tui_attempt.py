"""Taking a teacher-set drill in the TUI: the list, a timed attempt that runs out, the
feedback setting, the result; every question type answered with the keys a learner uses
and read back as given. Pilot against a real SQLite file with a controlled clock."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.services.answering import (
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    RecallResponse,
    ShortAnswer,
    TrueFalse,
    TypedResponse,
    describe_response,
)
from quiz.services.auth import create_teacher, unlock_teacher
from quiz.services.database import Database, open_database
from quiz.services.drills import (
    DrillInfo,
    answer_attempt,
    create_drill,
    drill_report,
    spec_from_dict,
    start_attempt,
    write_report_csv,
)
from quiz.services.history import ANSWER_FIELDS, history, session_answers, write_csv
from quiz.services.profiles import find_profile, get_or_create_profile
from quiz.store.models import StudySession
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.attempt import AttemptScreen, Phase
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.drill_start import DrillStartScreen
from quiz.tui.screens.drills import DrillResultScreen, DrillsScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.widgets.choices import ChoiceList, OrderList
from quiz.tui.widgets.feedback import AnswerFeedback

from .conftest import NOW, SCREEN_SIZES
from .drill_steps import open_drill_list, start_first_drill, start_from_list
from .test_tui_study import SIZE, Clock, study_database, type_text

__all__ = ["study_database"]

THREE = ["st-signed", "st-war", "st-begun"]


def make_drill(db: Database, **fields: Any) -> DrillInfo:
    teacher = create_teacher(db, "teach", "654321", NOW)
    spec = spec_from_dict({"title": "Dates", "questions": THREE, **fields})
    return create_drill(db, teacher, spec, NOW)


def attempt(app: QuizApp) -> AttemptScreen:
    assert isinstance(app.screen, AttemptScreen)
    return app.screen


def text(app: QuizApp, selector: str) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(selector).results(Static))


async def open_drill(pilot: Pilot[None]) -> AttemptScreen:
    screen = await open_drill_list(pilot)
    row = screen.query_one("#drills", DataTable).get_row_at(0)
    assert [str(cell) for cell in row] == [
        "Dates",
        "open",
        "3",
        "5 min",
        "at the end",
        "1",
        "–",
    ]
    await start_from_list(pilot)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AttemptScreen)
    return screen


async def test_a_timed_drill_runs_out_and_is_submitted(study_database: Database) -> None:
    db = study_database
    make_drill(db, time_limit_minutes=5, feedback="end", pass_mark=50)
    clock = Clock(NOW)
    app = make_app(db, profile_name="ann", clock=clock, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_drill(pilot)
        assert screen.current.key == "st-signed"
        assert "question 1 of 3" in text(app, "#progress")
        assert "time left 05:00" in text(app, "#timer")

        # Feedback at the end: saving an answer shows no verdict, just the next question
        await type_text(pilot, "30 March 1856")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current.key == "st-war"
        assert not screen.query(AnswerFeedback)
        assert "answered 1 of 3" in text(app, "#progress")
        assert "30 March 1856" not in text(app, "Static")

        # Going back shows the saved answer again, still changeable
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.current.key == "st-signed" and screen.phase is Phase.ASKING
        assert screen.view.collect() == TypedResponse(typed="30 March 1856")
        await pilot.press("pagedown")
        await pilot.pause()

        # The countdown follows the app clock ...
        clock.advance(minutes=4, seconds=30)
        screen.tick()
        assert "time left 00:30" in text(app, "#timer")
        assert screen.query_one("#timer").has_class("-low")

        # ... and when it reaches zero the attempt is submitted as it stands
        clock.advance(seconds=30)
        screen.tick()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        result = app.screen.result
        assert (result.correct, result.total, result.timed_out, result.passed) == (
            1,
            3,
            True,
            False,
        )
        assert [q.correct for q in result.questions] == [True, False, False]
        assert [q.response for q in result.questions][1:] == [None, None]
        shown = text(app, "Static")
        assert "1 of 3 right (33%)" in shown and "NOT PASSED" in shown
        assert "Time ran out" in shown
        assert shown.count("(no answer)") == 2
        assert "Right answer  The Crimean War" in shown  # feedback at the end: shown now

        with db.sessions() as session:
            study = session.scalars(select(StudySession).where(StudySession.kind == "drill")).one()
            assert study.ended_at == NOW.replace(minute=5)  # ended at the deadline
            assert study.score is not None and abs(study.score - 1 / 3) < 1e-9

        # Back on the start screen: no attempts left, the past attempt and its result
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        start = app.screen
        assert isinstance(start, DrillStartScreen)
        assert "no attempts left at Dates" in text(app, "#next")
        facts = text(app, "#facts")
        assert "Attempts left  0 of 1" in facts and "Best score     33%" in facts
        past = start.query_one("#attempts", DataTable)
        row = [str(c) for c in past.get_row_at(0)]
        assert row[0] == "1" and row[2:] == ["33%", "not passed, time ran out"]
        await pilot.press("enter")  # nothing starts: the reason is told
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is start
        assert any("no attempts left" in n.message for n in app._notifications)
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        assert app.screen.result.timed_out and app.screen.result.correct == 1
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DrillsScreen)
        row = [str(c) for c in app.screen.query_one("#drills", DataTable).get_row_at(0)]
        assert row[1] == "no attempts"  # not "open"
        assert row[5:] == ["0", "33%"]  # no attempts left, best score


async def test_feedback_after_each_question(study_database: Database) -> None:
    db = study_database
    make_drill(db, feedback="each")
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        assert not screen.query_one("#timer").display  # no time limit, no countdown
        await type_text(pilot, "1855")
        await pilot.press("enter")
        await pilot.pause()
        # The verdict and the right answer right away; the answer is final
        assert screen.phase is Phase.FEEDBACK
        assert "✗ Not right" in text(app, "#verdict")
        assert "30 March 1856" in text(app, "AnswerFeedback #answer")
        assert screen.current.key == "st-signed"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current.key == "st-war" and screen.phase is Phase.ASKING

        # Help lists the screen's keys; the palette offers them too
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        keys = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Next", "Previous", "Submit all", "Leave"} <= keys
        await pilot.press("escape")
        commands = {c.title for c in app.get_system_commands(screen)}
        assert {"Previous", "Submit all", "Leave"} <= commands

        # Submitting early asks first; "n" keeps going, "y" submits
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2 question(s) are not answered" in text(app, "Static")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        assert app.screen.result.correct == 0
        assert not app.screen.result.timed_out


async def test_score_only_drill_hides_the_answers(study_database: Database) -> None:
    db = study_database
    make_drill(db, feedback="none")
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await start_first_drill(pilot)
        await type_text(pilot, "30 March 1856")
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.query(AnswerFeedback)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        shown = text(app, "Static")
        assert "1 of 3 right" in shown
        assert "Right answer" not in shown and "Crimean" not in shown


@SCREEN_SIZES
def test_drill_attempt_snapshot(
    snap_compare, size: tuple[int, int], study_database: Database
) -> None:  # type: ignore[no-untyped-def]
    make_drill(study_database, time_limit_minutes=10, feedback="end")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_drill_snapshot(pilot)

    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=3)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def open_drill_snapshot(pilot: Pilot[None]) -> None:
    await start_first_drill(pilot)
    await type_text(pilot, "30 March 1856")
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "The Crimean")
    await pilot.pause()


# -- every question type, every feedback setting -----------------------------------------

ONE_OF_EACH = {  # a question of each type in the built-in bank, asked in this order
    "flashcard": "tp-black-sea-flash",
    "multiple_choice": "tp-russia-side",  # Russia
    "true_false": "tp-black-sea-demilitarised",  # true
    "cloze": "tp-black-sea-cloze",  # the Black Sea, trade
    "short_answer": "tp-signed-date",  # 30 March 1856
    "ordering": "tp-peace-chain",
}
PEACE_CHAIN = [
    "The treaty is signed at the congress of Paris",
    "Disagreements, even amongst the allies, about the nature of the treaty",
    "An uncertain peace",
    "Further diplomatic issues involving the Ottoman Empire",
]


def bank_drill(db: Database, keys: list[str], **fields: Any) -> DrillInfo:
    teacher = create_teacher(db, "teach", "654321", NOW)
    spec = spec_from_dict({"title": "Every type", "questions": keys, **fields})
    return create_drill(db, teacher, spec, NOW)


async def put_in_order(pilot: Pilot[None], order_list: OrderList, wanted: list[str]) -> None:
    """Move the items into the order `wanted` with the keys a learner uses."""
    for place, item in enumerate(wanted):
        at = order_list.items.index(item)
        while order_list.cursor < at:
            await pilot.press("down")
        while order_list.cursor > at:
            await pilot.press("up")
        for _ in range(at - place):
            await pilot.press("left_square_bracket")
    assert order_list.items == wanted


async def answer_here(pilot: Pilot[None], screen: AttemptScreen, right: bool) -> str:
    """Answer the question on the screen with the keys a learner presses, right or wrong;
    returns the answer as the learner should read it back."""
    question = screen.current.question
    view = screen.view
    if isinstance(question, Flashcard):
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("y" if right else "n")
        given = "knew it" if right else "did not know it"
    elif isinstance(question, MultipleChoice):
        given = "Russia" if right else "Britain"
        options = view.query_one(ChoiceList).options
        await pilot.press(str(options.index(given) + 1))
    elif isinstance(question, TrueFalse):
        await pilot.press("1" if right else "2")
        given = "True" if right else "False"
    elif isinstance(question, Cloze):
        gaps = ["the black sea", "Trade"] if right else ["Baltic Sea", "war"]
        for gap in gaps:
            await type_text(pilot, gap)
            await pilot.press("enter")
        given = " | ".join(gaps)  # as typed
    elif isinstance(question, ShortAnswer):
        typed = "march 30, 1856" if right else "March 1855"
        await type_text(pilot, typed)
        await pilot.press("enter")
        given = typed
    else:
        assert isinstance(question, Ordering)
        order_list = view.query_one(OrderList)
        assert order_list.items == list(screen.current.options)  # the order fixed at the start
        if right:
            await put_in_order(pilot, order_list, PEACE_CHAIN)
        given = " → ".join(order_list.items)  # wrong: as shown, never the right order
        await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return given


def check_revealed(screen: AttemptScreen, right: bool) -> None:
    """With feedback after each question: the answer is shown as given, and marked."""
    assert screen.phase is Phase.FEEDBACK
    item = screen.current
    question = item.question
    verdict = "✓ Correct" if right else "✗ Not right"
    assert verdict in str(screen.query_one("#verdict", Static).render())
    if isinstance(question, MultipleChoice):
        choices = screen.view.query_one(ChoiceList)
        assert choices.options == list(item.options)  # the options keep their order
        assert choices.selected == {choices.options.index("Russia" if right else "Britain")}
        assert choices.correct == frozenset({"Russia"})
        marked = str(choices.render())
        assert ("✓" in marked) and (("✗" in marked) is not right)
    if isinstance(question, TrueFalse):
        choices = screen.view.query_one(ChoiceList)
        assert choices.options == ["True", "False"]
        assert choices.selected == {0 if right else 1}
        assert choices.correct == frozenset({"True"})
    if isinstance(question, Ordering):
        order_list = screen.view.query_one(OrderList)
        assert order_list.correct == PEACE_CHAIN
        if right:  # in the learner's order, every item marked right
            assert order_list.items == PEACE_CHAIN
            shown = str(order_list.render())
            assert (
                shown.count("✓") == len(PEACE_CHAIN)
                and "✗" not in shown
                and "belongs at" not in shown
            )
        else:  # as the learner left it, the misplaced items marked
            assert order_list.items == list(item.options)
            assert "✗" in str(order_list.render())


async def take_every_type(db: Database, name: str, right: bool) -> list[str]:
    """`name` takes the drill in the TUI, answering every question right or wrong, and
    submits; returns each answer as the learner should read it back."""
    app = make_app(db, profile_name=name, clock=Clock(NOW), seed=3)
    given = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        each = screen.paper.feedback_each
        assert [q.key for q in screen.paper.questions] == list(ONE_OF_EACH.values())
        for number, key in enumerate(ONE_OF_EACH.values(), start=1):
            assert screen.current.key == key
            given.append(await answer_here(pilot, screen, right))
            if each:
                assert screen.current.key == key  # the verdict, on the same question
                check_revealed(screen, right)
                await pilot.press("enter")
                await pilot.pause()
            else:
                assert not screen.query(AnswerFeedback)  # no verdict
            progress = str(screen.query_one("#progress", Static).render())
            assert f"answered {number} of 6" in progress
        assert isinstance(app.screen, ConfirmScreen)  # every question answered: submit?
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        result = app.screen.result
        assert (result.correct, result.total) == (6 if right else 0, 6)
        assert [q.correct for q in result.questions] == [right] * 6
        assert [q.given for q in result.questions] == given
        assert [q["answer"] for q in result.to_json()["questions"]] == given
        shown = text(app, "Static")
        assert "{" not in shown and "}" not in shown
        if result.answers_shown:
            for answer in given:
                assert f"Your answer   {answer}" in shown
        else:
            assert "Your answer" not in shown
    return given


@pytest.mark.parametrize("feedback", ["each", "end", "none"])
async def test_every_question_type_is_answered_and_read_back_as_given(
    sqlite_database: Database, feedback: str
) -> None:
    db = sqlite_database
    drill = bank_drill(db, list(ONE_OF_EACH.values()), feedback=feedback, shuffle_options=True)
    right = await take_every_type(db, "bob", right=True)
    wrong = await take_every_type(db, "cy", right=False)
    assert right[:4] == ["knew it", "Russia", "True", "the black sea | Trade"]
    assert right[4:] == ["march 30, 1856", " → ".join(PEACE_CHAIN)]
    assert wrong[:5] == ["did not know it", "Britain", "False", "Baltic Sea | war", "March 1855"]

    # The learner's history: each answer as given, in the list and in the CSV
    for name, given in [("bob", right), ("cy", wrong)]:
        learner = find_profile(db, name)
        assert learner is not None
        [paper] = [s for s in history(db, learner) if s.kind == "drill"]
        rows = session_answers(db, learner, paper.session_id)
        assert [row.key for row in rows] == list(ONE_OF_EACH.values())
        assert [row.answer for row in rows] == given
        out = io.StringIO()
        write_csv([row.to_dict() for row in rows], ANSWER_FIELDS, out)
        assert [r["answer"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == given
        assert "{" not in out.getvalue() and "}" not in out.getvalue()

    # The teacher's report: the wrong answers as the student gave them
    teacher = unlock_teacher(db, "teach", "654321", NOW)
    report = drill_report(db, teacher, drill.id, NOW + timedelta(hours=1))
    assert {q.key: (q.right, q.common_wrong, q.common_wrong_count) for q in report.questions} == {
        key: (1, text, 1) for key, text in zip(ONE_OF_EACH.values(), wrong, strict=True)
    }
    out = io.StringIO()
    write_report_csv(report, "questions", out, NOW)
    table = csv.DictReader(io.StringIO(out.getvalue()))
    assert {r["id"]: r["most_chosen_wrong"] for r in table} == dict(
        zip(ONE_OF_EACH.values(), wrong, strict=True)
    )
    assert "{" not in out.getvalue() and "}" not in out.getvalue()


def shown_options(screen: AttemptScreen) -> list[str]:
    """The options (or items to order) as the question on the screen shows them."""
    found = [*screen.view.query(ChoiceList), *screen.view.query(OrderList)]
    if not found:
        return []
    widget = found[0]
    return list(widget.options if isinstance(widget, ChoiceList) else widget.items)


@pytest.mark.parametrize("feedback", ["each", "end"])
async def test_options_keep_their_order_when_going_back_to_a_question(
    sqlite_database: Database, feedback: str
) -> None:
    keys = ["tp-russia-side", "tp-signed-date-mc", "tp-peace-chain", "tp-black-sea-flash"]
    bank_drill(sqlite_database, keys, feedback=feedback, shuffle_options=True)
    app = make_app(sqlite_database, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        fixed = {q.key: list(q.options) for q in screen.paper.questions}
        assert fixed["tp-russia-side"] != [
            "Russia",
            "France",
            "Britain",
            "The Ottoman Empire",
            "The Kingdom of Sardinia",
        ]  # shuffled at the start
        seen: dict[str, list[list[str]]] = {key: [] for key in keys}

        async def visit(step: str) -> None:
            await pilot.press(step)
            await pilot.pause()
            seen[screen.current.key].append(shown_options(screen))

        seen[screen.current.key].append(shown_options(screen))
        down, up = "pagedown", "pageup"
        for step in [down, down, down, up, up, up, down, up, down, down, down, up, up, up]:
            await visit(step)
        assert all(len(visits) >= 2 for visits in seen.values())
        for key, visits in seen.items():
            assert all(shown == fixed[key] for shown in visits), key

        # Answered, then visited again: the same order, the pick still marked
        assert screen.current.key == "tp-russia-side"
        pick = fixed["tp-russia-side"].index("Britain")
        await pilot.press(str(pick + 1))
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if feedback == "each":
            await pilot.press("enter")
            await pilot.pause()
        assert screen.current.key == "tp-signed-date-mc"
        await pilot.press("pageup")
        await pilot.pause()
        choices = screen.view.query_one(ChoiceList)
        assert (choices.options, choices.selected) == (fixed["tp-russia-side"], {pick})
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        choices = screen.view.query_one(ChoiceList)
        assert (choices.options, choices.selected) == (fixed["tp-russia-side"], {pick})


async def test_a_changed_answer_replaces_the_earlier_one(sqlite_database: Database) -> None:
    db = sqlite_database
    keys = ["tp-black-sea-flash", "tp-russia-side", "tp-signed-date"]
    bank_drill(db, keys, feedback="end")
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        assert await answer_here(pilot, screen, right=False) == "did not know it"
        assert await answer_here(pilot, screen, right=False) == "Britain"
        assert screen.current.key == "tp-signed-date"
        await pilot.press("pageup", "pageup")  # back to the flashcard, answered: saved
        await pilot.pause()
        assert screen.current.key == "tp-black-sea-flash" and screen.phase is Phase.ASKING
        assert "Saved." in text(app, "#note")
        assert await answer_here(pilot, screen, right=True) == "knew it"
        assert screen.current.key == "tp-signed-date"  # on to the one not answered
        await pilot.press("pageup")
        await pilot.pause()
        assert screen.current.key == "tp-russia-side"
        assert await answer_here(pilot, screen, right=True) == "Russia"
        assert screen.current.key == "tp-signed-date"
        assert "answered 2 of 3" in text(app, "#progress")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DrillResultScreen)
        result = app.screen.result
        assert [q.given for q in result.questions] == ["knew it", "Russia", "(no answer)"]
        assert (result.correct, result.total) == (2, 3)
    learner = find_profile(db, "ann")
    assert learner is not None
    [paper] = [s for s in history(db, learner) if s.kind == "drill"]
    assert (paper.answered, paper.correct) == (2, 2)  # one row per question answered
    rows = session_answers(db, learner, paper.session_id)
    assert [(row.key, row.answer, row.correct) for row in rows] == [
        ("tp-black-sea-flash", "knew it", True),
        ("tp-russia-side", "Russia", True),
    ]


async def test_i_was_right_in_a_drill_that_allows_it(study_database: Database) -> None:
    """With allow_override and feedback after each question, o claims a wrong typed answer
    right: it is stored correct and overridden and the verdict on screen says so (the
    teacher's report of claims: tests/test_override.py). Without allow_override the key is
    not offered."""
    db = study_database
    make_drill(db, feedback="each", allow_override=True)
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        assert screen.current.key == "st-signed"
        assert screen.check_action("override", ()) is False  # nothing answered yet
        await type_text(pilot, "the thirtieth of march")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.phase is Phase.FEEDBACK and "✗ Not right" in text(app, "#verdict")
        assert screen.check_action("override", ()) is True
        await pilot.press("o")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert "✓" in text(app, "#verdict")
        assert screen.check_action("override", ()) is False  # claimed once
        ann = find_profile(db, "ann")
        assert ann is not None
        rows = history(db, ann, limit=None)
        answers = session_answers(db, ann, rows[0].session_id)
        assert [(a.key, a.correct, a.overridden) for a in answers] == [("st-signed", True, True)]


async def test_no_i_was_right_when_the_drill_does_not_allow_it(study_database: Database) -> None:
    db = study_database
    make_drill(db, feedback="each")
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_first_drill(pilot)
        await type_text(pilot, "1855")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.phase is Phase.FEEDBACK and "✗ Not right" in text(app, "#verdict")
        assert screen.check_action("override", ()) is False
        await pilot.press("o")
        await pilot.pause()
        assert "✗ Not right" in text(app, "#verdict")


async def test_the_start_screen_tells_the_drill_and_uses_nothing(study_database: Database) -> None:
    db = study_database
    make_drill(
        db, time_limit_minutes=5, pass_mark=60, attempts=2, description="Three [dates], fast."
    )
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_drill_list(pilot)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DrillStartScreen)
        assert text(app, "#description") == "Three [dates], fast."  # as text, not markup
        facts = text(app, "#facts")
        for fact in ("Questions      3", "Time limit     5 min", "Pass mark      60%"):
            assert fact in facts
        assert "Attempts left  2 of 2" in facts and "Feedback       at the end" in facts
        assert "The timer starts then" in text(app, "#next")
        assert "none yet" in text(app, "#attempts-title")
        with db.sessions() as session:  # nothing started yet
            assert not session.scalars(select(StudySession)).all()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrillsScreen)


@pytest.mark.parametrize("feedback", ["each", "end"])
async def test_a_drill_resumed_after_a_restart_shows_every_saved_answer(
    sqlite_url: str, feedback: str
) -> None:
    """Every type answered (right and wrong by turns), the app closed mid-drill and the
    database opened again from its file: going back to each answered question shows the
    answer as given and, with feedback after each question, its verdict."""
    keys = [*ONE_OF_EACH.values(), "tp-signed-date-mc"]  # the last one left unanswered
    db = open_database(sqlite_url, NOW)
    bank_drill(db, keys, feedback=feedback, shuffle_options=True)
    given: dict[str, tuple[str, bool]] = {}
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_first_drill(pilot)
        for number, key in enumerate(keys[:-1]):
            assert screen.current.key == key
            right = number % 2 == 0
            given[key] = (await answer_here(pilot, screen, right), right)
            if feedback == "each":
                await pilot.press("enter")
                await pilot.pause()
        assert screen.current.key == keys[-1]
        await pilot.press("escape")  # leave: the attempt stays open
        await pilot.pause()
    db.close()

    db = open_database(sqlite_url, NOW)
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_first_drill(pilot)  # resumes the attempt in progress
        assert screen.current.key == keys[-1]  # at the question not answered yet
        assert "answered 6 of 7" in text(app, "#progress")
        for key in reversed(keys[:-1]):
            await pilot.press("pageup")
            await pilot.pause()
            assert screen.current.key == key
            answer, right = given[key]
            shown = text(app, "Static")
            assert "answered this question earlier" not in shown
            if isinstance(screen.current.question, Flashcard):  # no widget holds the answer
                assert f"Your answer: {answer}" in text(app, "#note")
            else:
                assert describe_response(screen.view.collect()) == answer
            if feedback == "each":
                check_revealed(screen, right)  # final: shown as given, and marked
                assert ("✓ Correct" if right else "✗ Not right") in text(app, "#verdict")
            else:
                assert screen.phase is Phase.ASKING and "Saved." in text(app, "#note")
    db.close()


@SCREEN_SIZES
def test_resumed_drill_snapshot(
    snap_compare, size: tuple[int, int], study_database: Database
) -> None:  # type: ignore[no-untyped-def]
    """A flashcard answered before the app was closed, revisited after resuming (feedback
    after each question): the verdict, and the answer given written out."""
    drill = make_drill(study_database, questions=["st-card", "st-signed"], feedback="each")
    ann = get_or_create_profile(study_database, "ann", NOW)
    paper = start_attempt(study_database, ann, drill.id, NOW, seed=3)
    card = next(q for q in paper.questions if q.key == "st-card")
    answer_attempt(
        study_database, paper.paper_id, card.question_id, RecallResponse(knew=True), 0, NOW
    )

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await start_first_drill(pilot)
        assert screen.current.key == "st-signed"
        await pilot.press("pageup")
        await pilot.pause()

    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=3)
    assert snap_compare(app, terminal_size=size, run_before=run_before)
