"""The teacher watches a drill live: the report refreshes by itself as a student (another
connection, like another browser tab) starts and answers; Enter on the student shows the
attempt answer by answer, and that screen follows the answers too."""

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database, open_database
from quiz.services.drills import start_attempt
from quiz.services.profiles import get_or_create_profile
from quiz.tui.screens.drill_report import DrillReportScreen
from quiz.tui.screens.drill_student import StudentAttemptScreen
from quiz.tui.screens.student_attempts import StudentAttemptsScreen
from tests.conftest import NOW, SCREEN_SIZES
from tests.test_tui_teacher import (
    PIN,
    SIZE,
    _answer,
    open_report,
    settle,
    table_rows,
    taken_drill,
    teacher_app,
)

LIVE = 0.2  # seconds between reads, in these tests


@pytest.fixture
def mr_t(mini_database: Database) -> Teacher:
    return create_teacher(mini_database, "mr-t", PIN, NOW)


@pytest.fixture(autouse=True)
def quick_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DrillReportScreen, "live_seconds", LIVE)
    monkeypatch.setattr(StudentAttemptScreen, "live_seconds", LIVE)


async def wait_live(pilot: Pilot[None]) -> None:
    await pilot.pause(LIVE * 3)
    await settle(pilot)


async def test_the_report_and_the_students_answers_follow_the_class(
    mini_database: Database, mr_t: Teacher, sqlite_url: str
) -> None:
    drill = taken_drill(mini_database, mr_t)
    tab = open_database(sqlite_url, NOW, import_builtin=False)  # the student's own process
    app = teacher_app(mini_database)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_report(pilot)
            assert "dan" not in {row[0] for row in table_rows(app, "#students")}
            dan = get_or_create_profile(tab, "dan", NOW)
            attempt = start_attempt(tab, dan, drill.id, NOW, seed=1)
            await wait_live(pilot)  # no key pressed
            assert ["dan", "1", "0", "—", "—", "—", "answering 0/3"] in table_rows(app, "#students")
            assert _answer(tab, attempt, "mini-signed", "30 March 1856")
            await wait_live(pilot)
            assert table_rows(app, "#students")[-1][-1] == "answering 1/3"
            signed = next(r for r in table_rows(app, "#questions") if r[0] == "mini-signed")
            assert signed[2:] == ["67%", "3", "1855 (1)", "75% of 4"]  # so far: dan counts

            students = app.screen.query_one("#students", DataTable)
            students.focus()
            students.move_cursor(row=3)
            await pilot.press("enter")  # dan's attempts: the open one is highlighted
            await settle(pilot)
            assert isinstance(app.screen, StudentAttemptsScreen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, StudentAttemptScreen)
            rows = table_rows(app, "#attempt-answers")
            assert [row[1] for row in rows] == [
                "Which war did the treaty resolve?",
                "When had the war begun?",
                "When was the treaty signed?",
            ]
            assert rows[2][2:4] == ["30 March 1856", "✓ right"]
            assert rows[1][2:4] == ["", "– not yet"]
            assert not _answer(tab, attempt, "mini-begun", "30 March 1856")
            await wait_live(pilot)
            assert table_rows(app, "#attempt-answers")[1][2:4] == ["30 March 1856", "✗ wrong"]
            await pilot.press("escape")
            await pilot.press("escape")
            assert isinstance(app.screen, DrillReportScreen)
    finally:
        tab.close()


@SCREEN_SIZES
def test_student_attempt_snapshot(
    snap_compare, size: tuple[int, int], mini_database: Database, mr_t: Teacher
) -> None:  # type: ignore[no-untyped-def]
    drill = taken_drill(mini_database, mr_t)
    dan = get_or_create_profile(mini_database, "dan", NOW)
    attempt = start_attempt(mini_database, dan, drill.id, NOW, seed=1)
    _answer(mini_database, attempt, "mini-signed", "30 March 1856")
    _answer(mini_database, attempt, "mini-war", False)

    async def run_before(pilot: Pilot[None]) -> None:
        await open_report(pilot)
        students = pilot.app.screen.query_one("#students", DataTable)
        students.focus()
        students.move_cursor(row=3)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(teacher_app(mini_database), terminal_size=size, run_before=run_before)
