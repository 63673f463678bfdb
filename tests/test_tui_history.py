"""The history screen, driven with the Pilot against a SQLite file whose sessions the test
wrote through the review and mock exam services at known times."""

import csv
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from quiz.errors import QuizError
from quiz.services.database import Database
from quiz.services.mock_exam import finish_exam, start_exam
from quiz.services.profiles import find_profile
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.folder import FolderScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.history import PAGE_SIZE, HistoryScreen, SessionScreen
from quiz.tui.screens.history_export import write_rows
from quiz.tui.screens.home import HomeScreen

from .conftest import NOW, SCREEN_SIZES
from .drill_steps import open_from_home
from .tui_history_data import PLAN, Given, history_database, simulate

SIZE = (100, 30)


@pytest.fixture
def learner_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    with history_database(tmp_path, monkeypatch) as db:
        yield db


def clock():  # type: ignore[no-untyped-def]
    return NOW


def rows_of(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_history(pilot: Pilot[None]) -> HistoryScreen:
    return await open_from_home(pilot, "h", HistoryScreen)


def sessions_given(log: list[Given]) -> dict[int, list[Given]]:
    by_session: dict[int, list[Given]] = {}
    for given in log:
        by_session.setdefault(given.session_id, []).append(given)
    return by_session


def make(db: Database, name: str = "ann") -> QuizApp:
    return make_app(db, profile_name=name, clock=clock, seed=1)


async def test_history_lists_sessions_and_opens_one(learner_db: Database, tmp_path: Path) -> None:
    _, log, exam_id = simulate(learner_db)
    simulate(learner_db, "bob")  # someone else's sessions are never shown
    by_session = sessions_given(log)
    assert len(by_session) == len(PLAN) == 18

    app = make(learner_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#sessions", DataTable)
        rows = rows_of(table)
        assert len(rows) == 19  # 18 reviews and the exam, newest first
        keys = [int(k.value or 0) for k in table.rows]
        newest_first = sorted(by_session, key=lambda s: by_session[s][0].at, reverse=True)
        # the exam (five days ago, 17:30) sits between the sessions of days 4 and 6
        assert keys == [*newest_first[:5], exam_id, *newest_first[5:]]

        started, kind, took, answered, right, accuracy, score = rows[0]
        today = by_session[newest_first[0]]
        assert started == "2026-03-30 06:00" and kind == "Review"
        assert answered == str(len(today)) == "6"
        assert right == str(sum(g.correct for g in today)) == "5"
        assert accuracy == "83%" and score == "–"
        assert took == "1 min 30 s"  # six answers 15 s apart, finished 15 s after the last
        exam = rows[5]
        assert exam[1] == "Mock exam" and exam[3:] == ["5", "3", "60%", "60%"]
        assert exam[2] == "4 min"

        # Enter opens the highlighted session: every answer, in order
        await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        session_screen = app.screen
        assert isinstance(session_screen, SessionScreen)
        yesterday = by_session[newest_first[1]]
        answers = rows_of(session_screen.query_one("#answers", DataTable))
        assert len(answers) == len(yesterday) == 13
        for row, given in zip(answers, yesterday, strict=True):
            time, question, typed, result, took, rating = row
            assert time == given.at.strftime("%H:%M:%S")
            assert question.startswith("Question ")
            assert typed == given.typed
            assert result == ("✓ right" if given.correct else "✗ wrong")
            assert rating == {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}[given.rating or 0]
        assert answers[0][4] == "4.0 s" and answers[1][4] == "4.5 s"
        about = str(session_screen.query_one("#about", Static).render())
        assert "13 answered" in about and "12 right" in about and "92%" in about

        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_history_pages(learner_db: Database, tmp_path: Path) -> None:
    simulate(learner_db)
    for n in range(3):  # three more exams: 22 sessions, two pages
        profile = find_profile(learner_db, "ann")
        assert profile is not None
        paper = start_exam(learner_db, profile, NOW - timedelta(days=40 + n), count=2, seed=n)
        finish_exam(learner_db, paper.paper_id, NOW - timedelta(days=40 + n, minutes=-3))
    app = make(learner_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one("#sessions", DataTable)
        assert table.row_count == PAGE_SIZE
        assert screen.check_action("page", (-1,)) is None
        await pilot.press("n")
        await settle(pilot)
        rows = rows_of(table)
        assert len(rows) == 2
        assert [r[0][:10] for r in rows] == ["2026-02-17", "2026-02-16"]  # the two oldest exams
        assert rows[0][3:] == ["0", "0", "–", "0%"]  # unanswered exam questions count as wrong
        assert "page 2" in str(screen.query_one("#page", Static).render())
        await pilot.press("p")
        await settle(pilot)
        assert table.row_count == PAGE_SIZE


async def test_export_writes_the_history_as_csv(learner_db: Database, tmp_path: Path) -> None:
    _, log, exam_id = simulate(learner_db)
    simulate(learner_db, "bob")
    by_session = sessions_given(log)
    out = tmp_path / "exports"
    app = make_app(learner_db, profile_name="ann", clock=clock, seed=1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(app.context, export_dir=out))
        await settle(pilot)
        await pilot.press("x")  # asks for the folder, offering export_dir; it does not exist
        await settle(pilot)
        assert isinstance(app.screen, FolderScreen)
        assert app.screen.query_one("#folder", Input).value == str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no folder" in str(app.screen.query_one("#error", Static).render())
        assert not out.exists()  # nothing written
        out.mkdir()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        files = list(out.glob("*.csv"))
        assert [f.name for f in files] == ["quiz-history-ann-20260330-090000.csv"]
        assert list(out.iterdir()) == files  # written whole: no temporary file left
        assert files[0].read_bytes().startswith(b"session_id,kind,started_at,ended_at,")
        assert files[0].read_bytes().count(b"\r\n") == 20  # the CLI's CSV line ends
        notes = [n.message for n in app._notifications]
        assert any(f"19 row(s) written to {files[0]}" in m for m in notes)

        with files[0].open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == 19
        assert list(rows[0])[:4] == ["session_id", "kind", "started_at", "ended_at"]
        by_id = {int(r["session_id"]): r for r in rows}
        assert set(by_id) == set(by_session) | {exam_id}
        for session_id, given in by_session.items():
            row = by_id[session_id]
            assert row["kind"] == "review"
            assert int(row["answered"]) == len(given)
            assert int(row["correct"]) == sum(g.correct for g in given)
            assert row["score"] == ""
        exam = by_id[exam_id]
        assert (exam["kind"], exam["answered"], exam["correct"], exam["score"]) == (
            "exam",
            "5",
            "3",
            "0.6",
        )

        # one session's answers, from its own screen
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("x", "enter")  # the folder picked last is offered
        await settle(pilot)
        name = f"quiz-session{app.screen.row.session_id}-ann-20260330-090000.csv"
        with (out / name).open(encoding="utf-8") as f:
            answers = list(csv.DictReader(f))
        today = by_session[app.screen.row.session_id]
        assert "response" not in answers[0]  # the answer as a person reads it, not JSON
        assert [(a["answer"], a["correct"], a["rating"]) for a in answers] == [
            (g.typed, str(g.correct), str(g.rating)) for g in today
        ]


async def test_history_of_a_new_learner_and_help(learner_db: Database, tmp_path: Path) -> None:
    app = make(learner_db, "carol")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert "No sessions yet" in str(screen.query_one("#summary", Static).render())
        assert screen.check_action("export", ()) is None
        assert screen.check_action("open", ()) is None
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {
            "Open: a session's answers",
            "Next page",
            "Prev page",
            "Export CSV",
            "Back",
        } <= actions


async def test_history_and_statistics_are_in_the_palette(learner_db: Database) -> None:
    simulate(learner_db)
    app = make_app(learner_db, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"History", "Stats"} <= titles
        await pilot.press("h")
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Export CSV", "Back", "Refresh"} <= titles


@SCREEN_SIZES
def test_history_snapshot(
    snap_compare, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_history(pilot)

    with history_database(tmp_path, monkeypatch) as db:
        simulate(db)
        app = make_app(db, profile_name="ann", clock=clock, seed=1)
        assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_session_snapshot(
    snap_compare, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_history(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)

    with history_database(tmp_path, monkeypatch) as db:
        simulate(db)
        app = make_app(db, profile_name="ann", clock=clock, seed=1)
        assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_export_that_cannot_be_written_says_so_and_leaves_nothing() -> None:
    """/proc takes no new file, even from root; the learner is told where and what next."""
    with pytest.raises(QuizError, match=r"could not write /proc/h\.csv .*choose a folder"):
        write_rows(Path("/proc/h.csv"), ("kind",), lambda: [{"kind": "review"}])
