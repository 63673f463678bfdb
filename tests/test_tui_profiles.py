"""Choosing who studies: the profile screen on first start, remembering, switching, themes."""

from textual.widgets import Input, OptionList

from quiz.services.database import Database
from quiz.services.profiles import find_profile, last_profile, list_profiles
from quiz.tui.app import make_app
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.profile import ProfileScreen

from .conftest import NOW

SIZE = (100, 30)


def clock():  # type: ignore[no-untyped-def]
    return NOW


async def test_first_start_asks_who_is_studying_and_remembers(mini_database: Database) -> None:
    app = make_app(mini_database, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        await pilot.press("escape")  # nothing to go back to on first start
        assert isinstance(app.screen, ProfileScreen)
        assert isinstance(app.focused, Input)
        await pilot.press(*"ann", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.sub_title == "ann"
        assert app.screen.data is not None and app.screen.data.profile.name == "ann"
    assert [p.name for p in list_profiles(mini_database)] == ["ann"]
    assert last_profile(mini_database) == "ann"

    again = make_app(mini_database, clock=clock)  # the next start asks nobody
    async with again.run_test(size=SIZE) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, HomeScreen)
        assert again.context.profile is not None and again.context.profile.name == "ann"


async def test_a_named_profile_skips_the_question(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="bob", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.sub_title == "bob"
    assert find_profile(mini_database, "bob") is not None
    assert last_profile(mini_database) == "bob"


async def test_switch_profile_from_home_and_theme_per_profile(mini_database: Database) -> None:
    app = make_app(mini_database, profile_name="bob", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.theme = "nord"
        await pilot.pause()
        await pilot.press("p")
        assert isinstance(app.screen, ProfileScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1  # only bob exists so far
        await pilot.press("n", *"cy", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.sub_title == "cy"
        await pilot.press("p")
        names = [str(o.id) for o in app.screen.query_one(OptionList).options]
        assert names == ["bob", "cy"]
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen) and app.sub_title == "cy"
    bob = find_profile(mini_database, "bob")
    assert bob is not None and bob.theme == "nord"

    later = make_app(mini_database, profile_name="bob", clock=clock)
    async with later.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert later.theme == "nord"  # the stored theme is applied on open
