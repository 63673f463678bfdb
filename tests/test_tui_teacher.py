"""The teacher's side of drills in the TUI, driven with the Pilot against a real SQLite
file: the PIN, the drill form, the list, the report and its CSV export."""

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input, Select, SelectionList, Static

from quiz.services.answering import ChoiceResponse, RecallResponse, Response, TypedResponse
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database
from quiz.services.drills import (
    DrillInfo,
    answer_attempt,
    create_drill,
    drill_report,
    finish_attempt,
    list_drills,
    spec_from_dict,
    start_attempt,
)
from quiz.services.paper import PaperView
from quiz.services.profiles import (
    find_profile,
    get_or_create_profile,
    last_profile,
    list_profiles,
    update_profile_settings,
)
from quiz.store.models import Profile
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.drill_editor import DrillEditorScreen
from quiz.tui.screens.drill_picker import PickerScreen, PreviewScreen
from quiz.tui.screens.drill_report import DrillReportScreen
from quiz.tui.screens.drills import DrillResultScreen
from quiz.tui.screens.folder import FolderScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.pin import PinScreen
from quiz.tui.screens.profile import ProfileScreen
from quiz.tui.screens.student_attempts import StudentAttemptsScreen
from quiz.tui.screens.teacher import ManageDrillsScreen

from .conftest import NOW, SCREEN_SIZES
from .drill_steps import PIN, open_drills, open_form, open_report, settle, unlock
from .test_tui_study import type_text

SIZE = (100, 30)


def clock() -> datetime:
    return NOW


def teacher_app(database: Database, name: str = "mr-t") -> QuizApp:
    profile = find_profile(database, name)
    if profile is not None:  # times typed in the form are read in the profile's zone: UTC
        update_profile_settings(database, profile.id, time_zone="UTC")
    return make_app(database, profile_name=name, clock=clock, seed=3)


@pytest.fixture
def mr_t(mini_database: Database) -> Teacher:
    return create_teacher(mini_database, "mr-t", PIN, NOW)


async def fill(pilot: Pilot[None], field: str, text: str) -> None:
    """Focus a field of the form, clear it and type `text`."""
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await type_text(pilot, text)


def problem(app: QuizApp) -> str:
    return str(app.screen.query_one("#problem", Static).render())


def table_rows(app: QuizApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_teacher_creates_a_drill_in_the_form(
    mini_database: Database, mr_t: Teacher
) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_drills(pilot)
        assert "No drills yet" in str(app.screen.query_one("#drills-status", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, DrillEditorScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "title"
        await type_text(pilot, "Dates quiz")
        await fill(pilot, "ids", "mini-begun mini-signed,mini-war")
        await fill(pilot, "time-limit", "20")
        await fill(pilot, "pass-mark", "60")
        await fill(pilot, "attempts", "")  # unlimited
        await fill(pilot, "opens", "2026-03-30 08:00")
        await fill(pilot, "closes", "2026-04-02 17:30")
        app.screen.query_one("#feedback", Select).value = "each"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageDrillsScreen)
        rows = table_rows(app, "#drills")
        assert rows == [
            ["Dates quiz", "open", "3 by id", "20 min", "60%", "after each", "any", "0"]
        ]

    [drill] = list_drills(mini_database)
    spec = drill.spec
    assert drill.title == "Dates quiz" and drill.created_by == "mr-t"
    assert spec.questions == ["mini-begun", "mini-signed", "mini-war"] and spec.draw is None
    assert (spec.time_limit_minutes, spec.pass_mark, spec.attempts) == (20, 60, None)
    assert spec.feedback == "each" and not spec.shuffle_questions
    assert drill.opens_at == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert drill.closes_at == datetime(2026, 4, 2, 17, 30, tzinfo=UTC)


async def test_a_rule_drill_is_edited_and_deleted(mini_database: Database, mr_t: Teacher) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Two dates")
        app.screen.query_one("#source", Select).value = "rule"
        await pilot.pause()
        assert not app.screen.query_one("#ids-row").display
        await fill(pilot, "topics", "dates")
        await fill(pilot, "count", "2")
        await fill(pilot, "seed", "11")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageDrillsScreen)
        assert table_rows(app, "#drills")[0][:3] == ["Two dates", "open", "2 by rule"]

        await pilot.press("e")  # edit: the form shows the drill as saved
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, DrillEditorScreen)
        assert editor.query_one("#source", Select).value == "rule"
        assert editor.query_one("#topics", Input).value == "dates"
        assert editor.query_one("#seed", Input).value == "11"
        await fill(pilot, "pass-mark", "75")
        editor.query_one("#draw", Select).value = "fresh"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageDrillsScreen)
        [drill] = list_drills(mini_database)
        assert drill.spec.pass_mark == 75
        assert drill.spec.draw is not None and drill.spec.draw.fresh_each_attempt
        assert table_rows(app, "#drills")[0][:5] == [
            "Two dates",
            "open",
            "2 by rule, fresh",
            "none",
            "75%",
        ]

        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keeps it
        await settle(pilot)
        assert len(list_drills(mini_database)) == 1
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert list_drills(mini_database) == []
        assert table_rows(app, "#drills") == []


async def test_an_invalid_form_shows_the_problem_and_saves_nothing(
    mini_database: Database, mr_t: Teacher
) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Bad")
        await fill(pilot, "ids", "mini-begun")
        await fill(pilot, "pass-mark", "150")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DrillEditorScreen)
        assert problem(app) == "Pass mark: must be 100 or less; fix it and save again."
        assert app.screen.query_one("#pass-mark").has_class("-invalid")
        assert app.focused is app.screen.query_one("#pass-mark")

        await fill(pilot, "pass-mark", "50")
        await fill(pilot, "ids", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem(app) == "Question ids: needs at least one; fix it and save again."
        assert app.screen.query_one("#ids").has_class("-invalid")
        assert not app.screen.query_one("#pass-mark").has_class("-invalid")

        await fill(pilot, "ids", "mini-begun nope")  # only the database knows this one
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem(app).startswith("Question nope: no question has this id")

        await fill(pilot, "ids", "mini-begun")
        await fill(pilot, "closes", "next friday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert problem(app).startswith("Closes: write the time as YYYY-MM-DD HH:MM")

        await fill(pilot, "opens", "2026-04-02 09:00")
        await fill(pilot, "closes", "2026-04-01 09:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "`closes_at` must be after `opens_at`" in problem(app)
        assert isinstance(app.screen, DrillEditorScreen)
        assert list_drills(mini_database) == []

        await pilot.press("escape")  # the form was filled in: discard it?
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: back to the form as it was
        await settle(pilot)
        assert isinstance(app.screen, DrillEditorScreen)
        assert app.screen.query_one("#ids", Input).value == "mini-begun"
        await pilot.press("escape", "y")  # discard: nothing saved
        await settle(pilot)
        assert isinstance(app.screen, ManageDrillsScreen)
    assert list_drills(mini_database) == []


def ticked(app: QuizApp) -> dict[str, tuple[bool, bool]]:
    """Each shuffle box of the form: its value, and whether it shows a tick."""
    boxes = {box.id: box for box in app.screen.query(Checkbox)}
    return {
        name: (box.value, "X" in box.render().plain.split(name)[0])
        for name, box in (
            ("questions", boxes["shuffle-questions"]),
            ("options", boxes["shuffle-options"]),
        )
    }


async def test_the_shuffle_boxes_show_the_drills_settings(
    mini_database: Database, mr_t: Teacher
) -> None:
    for title, shuffle in [("A shuffled", True), ("B in order", False)]:
        spec: dict[str, Any] = {"title": title, "questions": ["mini-war", "mini-begun"]}
        spec |= {"shuffle_questions": shuffle, "shuffle_options": shuffle}
        create_drill(mini_database, mr_t, spec_from_dict(spec), NOW)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)  # a new drill: nothing shuffled, and none looks ticked
        assert ticked(app) == {"questions": (False, False), "options": (False, False)}
        app.screen.query_one("#shuffle-options", Checkbox).focus()
        await pilot.press("space")  # ticking one shows it ticked
        await pilot.pause()
        assert ticked(app) == {"questions": (False, False), "options": (True, True)}
        await pilot.press("escape", "y")  # a box was ticked: discard it
        await settle(pilot)
        assert table_rows(app, "#drills")[0][0] == "A shuffled"
        await pilot.press("e")
        await pilot.pause()
        assert ticked(app) == {"questions": (True, True), "options": (True, True)}
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "e")  # a drill that shuffles nothing
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, DrillEditorScreen) and editor.drill is not None
        assert editor.drill.title == "B in order"
        assert ticked(app) == {"questions": (False, False), "options": (False, False)}
        await pilot.press("ctrl+s")  # saved as shown: still nothing shuffled
        await settle(pilot)
    saved = next(d for d in list_drills(mini_database) if d.title == "B in order")
    assert not saved.spec.shuffle_questions and not saved.spec.shuffle_options


def _profiles_row_state(database: Database) -> list[tuple[Any, ...]]:
    with database.sessions() as session:
        return [
            (p.id, p.name, p.is_teacher, p.pin_hash)
            for p in session.scalars(select(Profile).order_by(Profile.id))
        ]


async def test_a_student_cannot_reach_teacher_functions(
    mini_database: Database, mr_t: Teacher
) -> None:
    get_or_create_profile(mini_database, "ann", NOW)
    app = teacher_app(mini_database, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert app.context.teacher is None
        assert "M" not in home.active_bindings  # not in the footer, nor in help
        titles = [command.title for command in app.get_system_commands(home)]
        assert "Teach" not in titles and "Browse" in titles
        await pilot.press("M")
        await pilot.pause()
        assert app.screen is home


async def test_f1_on_the_pin_screen_shows_its_keys_and_esc_comes_back(
    mini_database: Database, mr_t: Teacher
) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pin = app.screen
        assert isinstance(pin, PinScreen)
        assert pin.active_bindings["f1"].binding.show  # in the footer
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {description for _, description in app.screen.rows}
        assert {"Choose another profile", "Help"} <= rows
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is pin
        assert pin.query_one("#pin", Input).value == ""  # nothing typed into the PIN


async def test_a_wrong_pin_is_refused_and_changes_nothing(
    mini_database: Database, mr_t: Teacher
) -> None:
    get_or_create_profile(mini_database, "ann", NOW)
    before = _profiles_row_state(mini_database)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot, "0000")
        assert isinstance(app.screen, PinScreen)
        error = str(app.screen.query_one("#pin-error", Static).render())
        assert error == "Wrong PIN for mr-t; try again, or press Esc to choose another profile."
        assert app.screen.query_one("#pin", Input).value == ""
        assert app.context.profile is None and app.context.teacher is None
        assert last_profile(mini_database) is None

        await pilot.press("escape")  # back to the list of profiles
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        assert app.context.profile is None
        await pilot.press("enter")  # ann, the first in the list
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.sub_title == "ann"
        assert app.context.teacher is None
        assert "M" not in app.screen.active_bindings

        await pilot.press("p", "down", "enter")  # mr-t, now with the right PIN
        await unlock(pilot)
        assert isinstance(app.screen, HomeScreen) and app.sub_title == "mr-t"
        assert app.context.teacher is not None and app.context.teacher.name == "mr-t"
        assert app.screen.active_bindings["M"].enabled

        await pilot.press("p", "up", "enter")  # a student again: the teacher is forgotten
        await settle(pilot)
        assert app.sub_title == "ann" and app.context.teacher is None
    assert _profiles_row_state(mini_database) == before
    assert [p.name for p in list_profiles(mini_database)] == ["ann", "mr-t"]


# -- the report ------------------------------------------------------------------------


def _answer(database: Database, attempt: PaperView, key: str, given: str | bool) -> bool:
    """Answer question `key` as the student would (the service grades it): a flashcard
    with whether they knew it, a choice by the option's text, a short answer typed."""
    item = next(q for q in attempt.questions if q.key == key)
    response: Response
    if isinstance(given, bool):
        response = RecallResponse(knew=given)
    elif item.options:
        response = ChoiceResponse(selected=(given,), shown=item.options)
    else:
        response = TypedResponse(typed=given)
    moment = attempt.started_at + timedelta(minutes=1)
    outcome = answer_attempt(database, attempt.paper_id, item.question_id, response, 900, moment)
    return outcome.checked.correct


def _take(database: Database, name: str, drill: DrillInfo, answers: dict[str, Any]) -> None:
    """One finished attempt by `name`: key -> (answer, whether it is right); keys left out
    unanswered."""
    student = get_or_create_profile(database, name, NOW)
    attempt = start_attempt(database, student, drill.id, NOW, seed=1)
    for key, (given, right) in answers.items():
        assert _answer(database, attempt, key, given) is right, (name, key)
    finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=5))


MC_WRONG = "30 March 1856"
MC_RIGHT = "23 October 1853"


def taken_drill(database: Database, teacher: Teacher) -> DrillInfo:
    """A drill of three questions taken by three students (ann twice)."""
    drill = create_drill(
        database,
        teacher,
        spec_from_dict(
            {
                "title": "Treaty dates",
                "questions": ["mini-war", "mini-begun", "mini-signed"],
                "attempts": 2,
                "pass_mark": 60,
                "time_limit_minutes": 15,
            }
        ),
        NOW,
    )
    flip = True  # a flashcard: knew it
    _take(database, "ann", drill, {"mini-begun": (MC_WRONG, False)})  # 0 of 3
    _take(
        database,
        "ann",
        drill,
        {
            "mini-war": (flip, True),
            "mini-begun": (MC_RIGHT, True),
            "mini-signed": ("30 March 1856", True),
        },
    )  # 3 of 3
    _take(
        database,
        "bob",
        drill,
        {"mini-begun": (MC_WRONG, False), "mini-signed": ("30/3/1856", True)},
    )  # 1 of 3, war unanswered
    _take(
        database,
        "cy",
        drill,
        {
            "mini-war": (flip, True),
            "mini-begun": (MC_WRONG, False),
            "mini-signed": ("1855", False),
        },
    )  # 1 of 3
    return drill


async def test_the_report_shows_the_figures_of_the_answers(
    mini_database: Database, mr_t: Teacher
) -> None:
    drill = taken_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        drills = await open_drills(pilot)
        assert table_rows(app, "#drills")[0][-1] == "4"  # attempts taken
        detail = str(drills.query_one("#drill-detail", Static).render())
        assert "4 attempt(s) taken by 3 student(s)" in detail
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillReportScreen)
        assert table_rows(app, "#students") == [
            ["ann", "2", "2", "100%", "100%", "yes", "finished"],
            ["bob", "1", "1", "33%", "33%", "no", "finished"],
            ["cy", "1", "1", "33%", "33%", "no", "finished"],
        ]
        assert table_rows(app, "#questions") == [  # so far: of those who answered it
            ["mini-begun", "When had the war begun?", "33%", "3", "30 March 1856 (2)", "33% of 3"],
            ["mini-signed", "When was the treaty signed?", "67%", "3", "1855 (1)", "67% of 3"],
            [
                "mini-war",
                "Which war did the treaty resolve?",
                "67% self-rated",
                "3",
                "—",
                "100% of 2",
            ],
        ]
        summary = str(app.screen.query_one("#report-summary", Static).render())
        assert "3 student(s), 4 attempt(s), 1 passed" in summary
    report = drill_report(mini_database, mr_t, drill.id, NOW)  # the same figures
    assert [round((s.best_score or 0) * 100) for s in report.students] == [100, 33, 33]
    assert [q.key for q in report.questions] == ["mini-begun", "mini-signed", "mini-war"]


async def test_the_report_keeps_every_column_at_80_columns(
    mini_database: Database, mr_t: Teacher
) -> None:
    taken_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(pilot)
        questions = app.screen.query_one("#questions", DataTable)
        assert questions.virtual_size.width <= questions.scrollable_content_region.width
        rows = table_rows(app, "#questions")
        assert [row[2] for row in rows] == ["33%", "67%", "67% self"]  # a flashcard: self
        assert [row[-1] for row in rows] == ["33%", "67%", "100%"]  # so far, in view


async def test_the_report_is_exported_as_csv(
    mini_database: Database, mr_t: Teacher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken_drill(mini_database, mr_t)
    monkeypatch.chdir(tmp_path)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await pilot.press("e")  # asks where, the current folder typed in: Enter takes it
        await pilot.pause()
        assert isinstance(app.screen, FolderScreen)
        assert app.screen.query_one("#folder", Input).value == str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        students = tmp_path / "treaty-dates-report-students.csv"
        questions = tmp_path / "treaty-dates-report-questions.csv"
        [note] = list(app._notifications)
        assert str(students) in note.message and str(questions) in note.message
        assert str(tmp_path / "treaty-dates-report-items.csv") in note.message
        await pilot.press("e", "enter")  # again: new files, the first ones are kept
        await settle(pilot)
        assert (tmp_path / "treaty-dates-report-students-2.csv").exists()

        # Another folder: a missing one is refused and nothing is written; then one that is
        elsewhere = tmp_path / "reports"
        await pilot.press("e")
        await pilot.pause()
        await fill(pilot, "folder", str(elsewhere))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FolderScreen)
        assert f"There is no folder {elsewhere}" in str(
            app.screen.query_one("#error", Static).render()
        )
        assert not elsewhere.exists()
        elsewhere.mkdir()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillReportScreen)
        assert sorted(p.name for p in elsewhere.iterdir()) == [
            "treaty-dates-report-items.csv",
            "treaty-dates-report-questions.csv",
            "treaty-dates-report-students.csv",
        ]
        await pilot.press("e")  # the folder last used is offered next
        await pilot.pause()
        assert app.screen.query_one("#folder", Input).value == str(elsewhere)
        await pilot.press("escape")  # Esc: nothing written
        await settle(pilot)
        assert isinstance(app.screen, DrillReportScreen) and len(list(elsewhere.iterdir())) == 3
    with students.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["name"], r["attempts"], r["best_score"], r["latest_passed"]) for r in rows] == [
        ("ann", "2", "1.0", "True"),
        ("bob", "1", "0.3333", "False"),
        ("cy", "1", "0.3333", "False"),
    ]
    with questions.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(r["id"], r["right"], r["facility"], r["most_chosen_wrong"]) for r in rows] == [
        ("mini-begun", "1", "0.3333", "30 March 1856"),
        ("mini-signed", "2", "0.6667", "1855"),
        ("mini-war", "2", "0.6667", ""),
    ]
    assert rows[0]["most_chosen_wrong_count"] == "2" and rows[2]["unanswered"] == "1"


async def test_i_switches_to_the_item_analysis_and_back(
    mini_database: Database, mr_t: Teacher
) -> None:
    drill = taken_drill(mini_database, mr_t)
    report = drill_report(mini_database, mr_t, drill.id, NOW)
    assert report.analysis is not None and report.analysis.attempts == 3  # first attempts
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_report(pilot)
        assert not screen.query_one("#items").display
        await pilot.press("i")
        await pilot.pause()
        assert screen.query_one("#items").display and not screen.query_one("#questions").display
        caption = str(screen.query_one("#questions-caption", Static).render())
        assert "(3 first attempts)" in caption and "Cronbach's alpha" in caption
        expected = [
            [row.key, f"{row.stats.facility:.0%}", f"{row.stats.discrimination:+.2f}", "—"]
            for row in report.analysis.items
        ]
        assert table_rows(app, "#items") == expected  # 3 attempts: too few for flags
        await pilot.press("i")
        await pilot.pause()
        assert screen.query_one("#questions").display


# -- snapshots -------------------------------------------------------------------------


def _snapshot_drills(database: Database, teacher: Teacher) -> None:
    taken_drill(database, teacher)
    create_drill(
        database,
        teacher,
        spec_from_dict(
            {
                "title": "Causes and dates, mixed",
                "draw": {"topics": ["dates", "causes"], "count": 2, "fresh_each_attempt": True},
                "shuffle_questions": True,
                "shuffle_options": True,
                "feedback": "each",
                "attempts": None,
                "opens_at": "2026-04-01T09:00:00Z",
                "closes_at": "2026-04-08T17:00:00Z",
            }
        ),
        NOW,
    )


@SCREEN_SIZES
def test_drill_list_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    _snapshot_drills(mini_database, mr_t)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_drills(pilot)

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_drill_editor_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    _snapshot_drills(mini_database, mr_t)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_form(pilot, "e")  # the first drill: Causes and dates, a rule
        await fill(pilot, "count", "9")
        await pilot.press("ctrl+s")
        await pilot.pause()

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_drill_picker_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await open_form(pilot)
        await fill(pilot, "ids", "mini-signed")
        await pilot.press("ctrl+o")
        await settle(pilot)

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_drill_preview_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await open_form(pilot)
        await type_text(pilot, "Dates")
        await fill(pilot, "ids", "mini-signed, mini-begun")
        await pilot.press("ctrl+r")
        await settle(pilot)

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_drill_report_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    taken_drill(mini_database, mr_t)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_report(pilot)

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_drill_report_items_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    taken_drill(mini_database, mr_t)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_report(pilot)
        await pilot.press("i")
        await pilot.pause()

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_report_folder_snapshot(
    snap_compare,
    size: tuple[int, int],
    mini_database: Database,
    mr_t: Teacher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    """Where to save the report's CSV files: the current folder offered (here /)."""
    taken_drill(mini_database, mr_t)
    monkeypatch.chdir("/")

    async def run_before(pilot: Pilot[None]) -> None:
        await open_report(pilot)
        await pilot.press("e")
        await pilot.pause()

    app = teacher_app(mini_database)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def keys_listed(pilot: Pilot[None]) -> tuple[set[str], set[str]]:
    """What help (F1; ? types into a field of the form) and the palette list here."""
    app = pilot.app
    titles = {command.title for command in app.get_system_commands(app.screen)}
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    table = app.screen.query_one(DataTable)
    described = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
    await pilot.press("escape")
    await pilot.pause()
    return described, titles


async def test_help_and_palette_list_every_teacher_key(
    mini_database: Database, mr_t: Teacher
) -> None:
    taken_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        described, titles = await keys_listed(pilot)
        assert "Teach: manage drills: create, edit, delete; reports" in described
        assert "Teach" in titles
        await pilot.press("M")
        await settle(pilot)
        for wanted in (
            {"Report", "New", "Edit", "Delete", "Refresh", "Back"},  # the drills
            {"Export CSV", "Refresh", "Back"},  # the report (enter)
            {"Save", "Cancel"},  # the form (n)
        ):
            described, titles = await keys_listed(pilot)
            assert wanted <= described and wanted <= titles, type(app.screen)
            if "Report" in wanted:
                await pilot.press("enter")
            else:
                await pilot.press("escape", "n")
            await settle(pilot)
        assert isinstance(app.screen, DrillEditorScreen)


def _claimed_drill(
    database: Database, teacher: Teacher, students: tuple[str, ...] = ("bob",)
) -> None:
    """A drill of one short answer that each student (bob) answered wrong ("Easter") and
    claimed right."""
    from quiz.services.drills.attempts import override_attempt_answer

    spec = {"title": "Claims", "questions": ["mini-signed"], "feedback": "each"}
    drill = create_drill(database, teacher, spec_from_dict({**spec, "allow_override": True}), NOW)
    for name in students:
        student = get_or_create_profile(database, name, NOW)
        attempt = start_attempt(database, student, drill.id, NOW, seed=1)
        assert _answer(database, attempt, "mini-signed", "Easter") is False
        (question,) = attempt.questions
        override_attempt_answer(database, attempt.paper_id, question.question_id, NOW)
        finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=5))


async def test_the_report_shows_every_answer_a_student_claimed_right(
    mini_database: Database, mr_t: Teacher
) -> None:
    _claimed_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        assert table_rows(app, "#questions")[0][2] == "100% (1 claimed)"
        status = str(app.screen.query_one("#report-status", Static).render())
        assert "Claimed right by the student (1): bob on mini-signed: “Easter”" in status


async def test_a_claim_keeps_the_questions_table_in_80_columns(
    mini_database: Database, mr_t: Teacher
) -> None:
    """At 80 columns a claim is marked `n✓` (the line below says what ✓ is), as wide as
    `self`, so no column is pushed out of sight."""
    _claimed_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(pilot)
        assert table_rows(app, "#questions")[0][2] == "100% 1✓"
        table = app.screen.query_one("#questions", DataTable)
        assert table.max_scroll_x == 0
        status = str(app.screen.query_one("#report-status", Static).render())
        assert status.startswith("✓ Claimed right by the student (1)")


async def test_many_claims_are_counted_and_the_first_listed_at_80x24(
    mini_database: Database, mr_t: Teacher
) -> None:
    """Every claim spelled out would squeeze the tables at 80x24: three are listed and the
    rest counted (Enter on a student shows each answer)."""
    students = ("ann", "bob", "cem", "dee", "eve")
    _claimed_drill(mini_database, mr_t, students)
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(pilot)
        assert table_rows(app, "#questions")[0][2] == "100% 5✓"
        status = str(app.screen.query_one("#report-status", Static).render())
        assert status.startswith("✓ Claimed right by the student (5):")
        listed = [name for name in students if f"{name} on mini-signed" in status]
        assert len(listed) == 3 and "; and 2 more." in status


async def test_the_report_marks_timed_out_attempts_and_opens_a_students_answers(
    mini_database: Database, mr_t: Teacher
) -> None:
    """A timed-out attempt is marked in the students table; Enter on a student lists their
    attempts (marked too) and Enter on one shows every answer as it was typed."""
    drill = create_drill(
        mini_database,
        mr_t,
        spec_from_dict(
            {
                "title": "Quick",
                "questions": ["mini-signed", "mini-begun"],
                "time_limit_minutes": 5,
                "pass_mark": 60,
                "feedback": "none",  # the teacher still sees every answer
            }
        ),
        NOW,
    )
    bob = get_or_create_profile(mini_database, "bob", NOW)
    attempt = start_attempt(mini_database, bob, drill.id, NOW, seed=1)
    assert _answer(mini_database, attempt, "mini-signed", "30 MARCH 1856") is True
    finish_attempt(mini_database, attempt.paper_id, NOW + timedelta(minutes=20))  # ran out
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_report(pilot)
        assert table_rows(app, "#students") == [
            ["bob", "1", "1 (1 timed out)", "50%", "50%", "no", "timed out"]
        ]
        assert "Enter on a student opens their attempts" in str(
            app.screen.query_one("#report-status", Static).render()
        )
        app.screen.query_one("#students", DataTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudentAttemptsScreen)
        [row] = table_rows(app, "#attempts")
        assert row[2:] == ["50%", "not passed, time ran out"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillResultScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(".question").results(Static))
        assert "Answer given  30 MARCH 1856" in shown  # as typed, not lower-cased
        assert "Answer given  (no answer)" in shown and "Right answer" in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DrillReportScreen)


async def test_topics_and_questions_are_picked_from_a_list(
    mini_database: Database, mr_t: Teacher
) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await fill(pilot, "ids", "mini-signed")
        await pilot.press("ctrl+o")  # the questions, with their topic and prompt
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        listing = picker.query_one(SelectionList)
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert labels[0].startswith("mini-war  causes · Which war")
        assert listing.selected == ["mini-signed"]  # what the field held is ticked
        picker.query_one("#search", Input).focus()  # the search box
        await type_text(pilot, "begun")
        await pilot.pause()
        assert listing.option_count == 1
        listing.focus()
        await pilot.press("space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillEditorScreen)
        assert app.screen.query_one("#ids", Input).value == "mini-signed, mini-begun"

        app.screen.query_one("#source", Select).value = "rule"
        await pilot.pause()
        await pilot.press("ctrl+o")  # the topics, with how many questions each has
        await settle(pilot)
        listing = app.screen.query_one(SelectionList)
        labels = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert labels == ["causes  1 question(s)", "dates  2 question(s)"]
        await pilot.press("down", "space", "enter")
        await settle(pilot)
        assert app.screen.query_one("#topics", Input).value == "dates"
        await pilot.press("ctrl+o", "escape")  # cancelled: the field is left as it was
        await settle(pilot)
        assert app.screen.query_one("#topics", Input).value == "dates"


async def test_the_drawn_set_is_previewed_and_saved_as_previewed(
    mini_database: Database, mr_t: Teacher
) -> None:
    app = teacher_app(mini_database)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Two of three")
        app.screen.query_one("#source", Select).value = "rule"
        await pilot.pause()
        await fill(pilot, "count", "2")
        await pilot.press("ctrl+r")
        await settle(pilot)
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        shown = "\n".join(str(w.render()) for w in preview.query(Static).results(Static))
        assert "Two of three: 2 question(s)" in shown and "now in the form" in shown
        previewed = [line.split()[1] for line in shown.splitlines() if line[3:5] == ". "]
        assert len(previewed) == 2 and set(previewed) <= {"mini-war", "mini-begun", "mini-signed"}
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, DrillEditorScreen)
        assert editor.query_one("#seed", Input).value.isdigit()  # the previewed draw's seed

        await fill(pilot, "count", "9")  # a problem is shown beside the form, not previewed
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is editor and "How many: the rule matches only" in problem(app)
        await fill(pilot, "count", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ManageDrillsScreen)
    [drill] = list_drills(mini_database)
    assert drill.spec.drawn == previewed  # what was previewed is what students get
