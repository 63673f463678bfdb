"""Keys across the app: q and Ctrl+Q, j/k, binding ids, the keymap file, the settings screen."""

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import DataTable, Input, Static

import quiz.tui.screens
import quiz.tui.widgets
from quiz.services.database import Database
from quiz.services.profiles import find_profile, update_profile_settings
from quiz.tui.app import QuizApp, make_app
from quiz.tui.keymap import load_keymap
from quiz.tui.screens.browse import BrowseScreen
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.review import ReviewScreen
from quiz.tui.screens.settings import SettingsScreen
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.screens.study_more import StudyMoreScreen

from .conftest import NOW
from .drill_steps import open_from_home, press_for

SIZE = (80, 24)


def clock():  # type: ignore[no-untyped-def]
    return NOW


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _owners() -> list[type[DOMNode]]:
    owners: list[type[DOMNode]] = [QuizApp]
    for package in (quiz.tui.screens, quiz.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _name, owner in inspect.getmembers(module, inspect.isclass):
                if issubclass(owner, DOMNode) and owner.__module__ == module.__name__:
                    owners.append(owner)
    return owners


def test_every_binding_of_every_screen_has_its_own_id() -> None:
    seen: dict[str, str] = {}
    for owner in _owners():
        for binding in owner.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{owner.__name__}: {binding}"
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"
            other = seen.setdefault(binding.id, owner.__name__)
            assert other == owner.__name__, f"{binding.id} in {other} and {owner.__name__}"
    assert len(seen) > 60


async def test_q_goes_back_and_asks_on_home(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("q")  # back, like Esc
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_every_key_in_help_is_reached_with_the_keys_at_80x24(
    mini_database: Database,
) -> None:
    """The help box scrolls as a whole (Down, End), so its last rows, the app's keys, are
    reached without a mouse: the table inside never scrolls on its own."""
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        box = app.screen.query_one(VerticalScroll)
        assert table.max_scroll_y == 0  # every row laid out in the box
        assert box.max_scroll_y > 0  # more rows than 24 lines hold
        await pilot.press("end")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y  # the last rows in view


async def test_ctrl_q_asks_mid_card_and_quits_at_once_elsewhere(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # study: a card is shown, not yet answered
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert "not checked yet" in app.screen.detail
        await pilot.press("n")
        assert isinstance(app.screen, ReviewScreen) and app.is_running
        await pilot.press("ctrl+q", "ctrl+q")  # twice: quit
    assert app.return_code == 0

    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")  # nothing in progress on home
    assert app.return_code == 0


async def test_j_and_k_move_in_tables(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("tab")  # from the search box to the list
        table = app.screen.query_one("#questions", DataTable)
        assert table.row_count == 3 and table.has_focus
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0


def test_keymap_file(tmp_path: Path) -> None:
    path = tmp_path / "keymap.yaml"
    assert load_keymap(path) == ({}, None)  # no file: the default keys
    path.write_text("home.study_all: A\nreview.again: 1, z\nstats.weeks4: 7\n")
    assert load_keymap(path) == (
        {"home.study_all": "A", "review.again": "1,z", "stats.weeks4": "7"},
        None,
    )
    path.write_text("home.study_all: [A\n")
    keymap, problem = load_keymap(path)
    assert keymap == {} and problem is not None and "not valid YAML" in problem
    path.write_text("- A\n")
    keymap, problem = load_keymap(path)
    assert keymap == {} and problem is not None and "home.study_all: A" in problem
    path.write_text("home.browse: B\nhome.drills:\n")
    keymap, problem = load_keymap(path)
    assert keymap == {"home.browse": "B"} and problem is not None and "home.drills" in problem


async def test_a_remapped_key_runs_the_binding(mini_database: Database, tmp_path: Path) -> None:
    path = tmp_path / "keymap.yaml"
    path.write_text("home.browse: B\n")
    keymap, problem = load_keymap(path)
    assert problem is None
    app = make_app(mini_database, profile_name="ann", clock=clock, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")  # no longer bound
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)


async def test_settings_screen_saves_and_refuses_bad_values(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "c", SettingsScreen, settle)
        assert screen.query_one("#new_per_day", Input).value == "20"
        assert screen.query_one("#desired_retention", Input).value == "90%"
        screen.query_one("#time_zone", Input).value = "Mars/Olympus"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # refused, and said why
        assert str(screen.query_one("#error", Static).render())
        screen.query_one("#desired_retention", Input).value = "50%"
        screen.query_one("#time_zone", Input).value = "Europe/London"
        await pilot.press("enter")
        await settle(pilot)
        assert "70% to 99%" in str(screen.query_one("#error", Static).render())
        screen.query_one("#desired_retention", Input).value = "85"
        screen.query_one("#new_per_day", Input).value = "2"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        stored = find_profile(mini_database, "ann")
        assert stored is not None
        assert (stored.new_per_day, stored.desired_retention, stored.time_zone) == (
            2,
            0.85,
            "Europe/London",
        )
        today = str(app.screen.query_one("#today", Static).render())
        assert "left today 2" in today  # home counts with the new limit


async def test_settings_screen_sets_load_balancing_and_easy_days(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_from_home(pilot, "c", SettingsScreen, settle)
        balance, easy = (
            screen.query_one("#load_balance", Input),
            screen.query_one("#easy_days", Input),
        )
        assert (balance.value, easy.value) == ("off", "")
        for value, problem in (("maybe", "on or off"), ("on", "not a weekday")):
            balance.value, easy.value = value, "sat funday"
            await pilot.press("enter")
            await settle(pilot)
            assert problem in str(screen.query_one("#error", Static).render())
        assert app.screen is screen  # refused, nothing saved
        stored = find_profile(mini_database, "ann")
        assert stored is not None and (stored.load_balance, stored.easy_days) == (False, ())
        easy.value = "Sunday, sat"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        stored = find_profile(mini_database, "ann")
        assert stored is not None and (stored.load_balance, stored.easy_days) == (True, (5, 6))
        again = await press_for(pilot, "c", SettingsScreen, settle)
        shown = again.query_one("#load_balance", Input), again.query_one("#easy_days", Input)
        assert [box.value for box in shown] == ["on", "sat sun"]


async def test_r_on_home_reads_settings_changed_elsewhere(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = app.screen.query_one("#today", Static)
        assert "left today 3" in str(today.render())
        profile = app.context.profile
        assert profile is not None
        update_profile_settings(mini_database, profile.id, new_per_day=1)  # e.g. the CLI
        await pilot.press("r")
        await settle(pilot)
        assert "left today 1" in str(today.render())
        assert app.context.profile is not None and app.context.profile.new_per_day == 1


async def test_study_more_today_from_home(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        profile = app.context.profile
        assert profile is not None
        update_profile_settings(mini_database, profile.id, new_per_day=1)
        await pilot.press("r")
        await settle(pilot)
        today = app.screen.query_one("#today", Static)
        assert "left today 1" in str(today.render())
        await pilot.press("plus")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StudyMoreScreen)
        screen.query_one("#extra", Input).value = "lots"
        await pilot.press("enter")
        assert "whole number" in str(screen.query_one("#error", Static).render())
        screen.query_one("#extra", Input).value = "1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "left today 2" in str(today.render())  # the queue offers the same: tested
        # in test_answer_path (home counts are what studying offers)
