"""Taking a teacher-set drill in the TUI: the list, a timed attempt that runs out, the
feedback setting, the result. Pilot against a real SQLite file with a controlled clock."""

from typing import Any

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.services.auth import create_teacher
from quiz.services.database import Database
from quiz.services.drills import DrillInfo, create_drill, spec_from_dict
from quiz.store.models import StudySession
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.attempt import AttemptScreen, Phase
from quiz.tui.screens.drills import DrillResultScreen, DrillsScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.widgets.feedback import AnswerFeedback

from .conftest import NOW
from .test_tui_study import SIZE, Clock, study_database, type_text

__all__ = ["study_database"]

THREE = ["st-signed", "st-war", "st-begun"]


def make_drill(db: Database, **fields: Any) -> DrillInfo:
    teacher = create_teacher(db, "teach", "4321", NOW)
    spec = spec_from_dict({"title": "Dates", "questions": THREE, **fields})
    return create_drill(db, teacher, spec, NOW)


def attempt(app: QuizApp) -> AttemptScreen:
    assert isinstance(app.screen, AttemptScreen)
    return app.screen


def text(app: QuizApp, selector: str) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(selector).results(Static))


async def open_drill(pilot: Pilot[None]) -> AttemptScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("d")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DrillsScreen)
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
    await pilot.press("enter")
    await pilot.pause()
    return attempt(pilot.app)  # type: ignore[arg-type]


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
        assert screen.view.collect().typed == "30 March 1856"
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

        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DrillsScreen)
        row = [str(c) for c in app.screen.query_one("#drills", DataTable).get_row_at(0)]
        assert row[5:] == ["0", "33%"]  # no attempts left, best score


async def test_feedback_after_each_question(study_database: Database) -> None:
    db = study_database
    make_drill(db, feedback="each")
    app = make_app(db, profile_name="ann", clock=Clock(NOW), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("d")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = attempt(app)
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
        await pilot.app.workers.wait_for_complete()
        await pilot.press("d")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
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


def test_drill_attempt_snapshot(snap_compare, study_database: Database) -> None:  # type: ignore[no-untyped-def]
    make_drill(study_database, time_limit_minutes=10, feedback="end")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_drill_snapshot(pilot)

    app = make_app(study_database, profile_name="ann", clock=Clock(NOW), seed=3)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def open_drill_snapshot(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.press("d")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "30 March 1856")
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "The Crimean")
    await pilot.pause()
