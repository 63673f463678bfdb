"""Browsing questions: search narrows the list, suspending keeps a card out of study."""

from textual.widgets import DataTable, Input, Static

from quiz.services.browse import browse_questions
from quiz.services.database import Database
from quiz.services.queue import next_card, queue_counts
from quiz.tui.app import make_app
from quiz.tui.screens.browse import BrowseScreen, PreviewScreen
from quiz.tui.screens.home import HomeScreen

from .conftest import NOW

SIZE = (100, 30)


def clock():  # type: ignore[no-untyped-def]
    return NOW


def keys(screen: BrowseScreen) -> list[str]:
    assert screen.page is not None
    return [row.key for row in screen.page.rows]


async def test_search_narrows_and_suspend_hides_from_study(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert keys(screen) == ["mini-begun", "mini-signed", "mini-war"]
        assert screen.query_one(DataTable).row_count == 3

        await pilot.press(*"war")  # the search box has the focus
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert keys(screen) == ["mini-begun", "mini-war"]  # "war" in either prompt
        assert "matching “war”" in str(screen.query_one("#page", Static).render())

        await pilot.press("space", *"begun")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert keys(screen) == ["mini-begun"]

        profile = app.context.profile
        assert profile is not None
        first = next_card(mini_database, profile, NOW)
        assert first is not None and first.key == "mini-war"

        # suspend mini-war: search it, go to the list, press s
        await pilot.press(*["backspace"] * 9, *"mini-war", "enter")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert keys(screen) == ["mini-war"]
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.page is not None and screen.page.rows[0].suspended
        table = screen.query_one(DataTable)
        assert table.get_row_at(0)[-1] == "yes"  # under the header Suspended
        assert queue_counts(mini_database, profile, NOW).new == 2
        card = next_card(mini_database, profile, NOW)
        assert card is not None and card.key != "mini-war"

        await pilot.press("s")  # and back
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.page is not None and not screen.page.rows[0].suspended
        card = next_card(mini_database, profile, NOW)
        assert card is not None and card.key == "mini-war"


async def test_typing_searches_and_enter_previews(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert all(labels) and labels[0] == "Id"  # every column has a header
        assert screen.query_one("#search", Input).has_focus
        await pilot.press("tab")  # the list
        await pilot.press("j", "j", "k")
        assert table.cursor_row == 1
        await pilot.press("slash", *"signed s")  # an s while typing is text, not "suspend"
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#search", Input).value == "signed s"
        assert screen.page is not None and not any(r.suspended for r in screen.page.rows)
        await pilot.press(*["backspace"] * 8, *"war")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert keys(screen) == ["mini-begun", "mini-war"]
        assert table.cursor_row == 0  # the first match, not the old row
        await pilot.press("enter", "enter")  # to the list, then preview the row
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        text = str(app.screen.query_one("#preview", Static).render())
        assert "When had the war begun?" in text and "Answer: 23 October 1853" in text
        assert "Source:" in text and "Schedule: new" in text
        await pilot.press("q")
        assert app.screen is screen
        await pilot.press("q")  # q goes back like Esc
        assert isinstance(app.screen, HomeScreen)


def test_browse_pages_with_limit_and_offset(sqlite_database: Database) -> None:
    first = browse_questions(sqlite_database, profile_id=0, limit=10)
    second = browse_questions(sqlite_database, profile_id=0, offset=10, limit=10)
    assert len(first.rows) == len(second.rows) == 10
    assert first.total == second.total > 20
    assert {r.key for r in first.rows}.isdisjoint(r.key for r in second.rows)
    assert (first.page, second.page, first.pages) == (1, 2, -(-first.total // 10))
    assert browse_questions(sqlite_database, 0, "zzzz-no-such-thing").total == 0
    matches = browse_questions(sqlite_database, 0, "100%_")  # LIKE wildcards are literal
    assert matches.total == 0


async def test_every_column_fits_at_80_columns(sqlite_database: Database) -> None:
    """At 80×24 the list shows every column, the suspended one last, without scrolling
    sideways (the built-in bank's long ids and prompts, cut)."""
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("b", *"black sea")
        await pilot.pause(0.4)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and keys(screen)
        table = screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels[-3:] == ["Stab.", "Lap.", "Susp."]
        await pilot.press("enter", "s")  # to the list; suspend the first row
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.get_row_at(0)[-1] == "yes"
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        status = str(screen.query_one("#page", Static).render())
        assert status.endswith("Enter: preview") and len(status) <= 78
