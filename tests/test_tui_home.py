"""The home screen, driven with the Pilot against a real SQLite file."""

from textual.widgets import DataTable

from quiz.services.database import Database
from quiz.tui.app import make_app
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen

SIZE = (100, 30)


async def test_home_lists_decks_with_question_counts(sqlite_database: Database) -> None:
    app = make_app(sqlite_database)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows[0][0] == "The Treaty of Paris (1856)"
        assert rows[0][1] > 0


async def test_help_lists_the_keys_and_q_quits(sqlite_database: Database) -> None:
    app = make_app(sqlite_database)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        actions = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert {"Quit", "Help", "Refresh"} <= actions
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
    assert app.return_code == 0


def test_home_snapshot(snap_compare, mini_database: Database) -> None:  # type: ignore[no-untyped-def]
    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(mini_database), terminal_size=SIZE, run_before=settle)
