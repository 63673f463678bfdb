"""The Pilot steps that open a drill, shared by the TUI tests: a student's (home, the drill
list, the start screen, the attempt) and a teacher's (the PIN, the list of drills, the
drill form, the report)."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen

from quiz.tui.screens.attempt import AttemptScreen
from quiz.tui.screens.drill_editor import DrillEditorScreen
from quiz.tui.screens.drill_report import DrillReportScreen
from quiz.tui.screens.drill_start import DrillStartScreen
from quiz.tui.screens.drills import DrillsScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.pin import PinScreen
from quiz.tui.screens.teacher import ManageDrillsScreen

from .test_tui_study import type_text

PIN = "654321"
S = TypeVar("S", bound=Screen[Any])
Waiter = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Let the screen's workers finish and the screen catch up, twice."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_from_home(pilot: Pilot[None], key: str, kind: type[S], wait: Waiter = settle) -> S:
    """Once home has settled, `key`: the screen of type `kind` it opens, settled (`wait`
    says how to wait for a screen)."""
    await wait(pilot)
    assert isinstance(pilot.app.screen, HomeScreen)
    return await press_for(pilot, key, kind, wait)


async def press_for(pilot: Pilot[None], key: str, kind: type[S], wait: Waiter = settle) -> S:
    """`key`, then `wait`: the screen it opens, of type `kind`."""
    await pilot.press(key)
    await wait(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


# -- a student -------------------------------------------------------------------------


async def open_drill_list(pilot: Pilot[None]) -> DrillsScreen:
    """From home, `d`: the drills the learner can take."""
    return await open_from_home(pilot, "d", DrillsScreen)


async def start_from_list(pilot: Pilot[None]) -> None:
    """Enter on the drill list opens the start screen; Enter there starts the attempt."""
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, DrillStartScreen)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()


async def start_first_drill(pilot: Pilot[None]) -> AttemptScreen:
    """From home: the drill list, the first drill's start screen, its attempt (started or
    resumed)."""
    await open_drill_list(pilot)
    await start_from_list(pilot)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AttemptScreen)
    return screen


# -- a teacher -------------------------------------------------------------------------


async def unlock(pilot: Pilot[None], pin: str = PIN) -> None:
    """Type the PIN the app asks for at start."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, PinScreen)
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def open_drills(pilot: Pilot[None]) -> ManageDrillsScreen:
    """The PIN, then `M` on home: the teacher's list of drills."""
    await unlock(pilot)
    return await open_from_home(pilot, "M", ManageDrillsScreen)


async def open_form(pilot: Pilot[None], key: str = "n") -> DrillEditorScreen:
    """The drill form from the teacher's list: `n` a new drill, `e` the highlighted one."""
    await open_drills(pilot)
    return await press_for(pilot, key, DrillEditorScreen, Pilot.pause)


async def open_report(pilot: Pilot[None]) -> DrillReportScreen:
    """Enter on the teacher's list: the highlighted drill's report."""
    await open_drills(pilot)
    return await press_for(pilot, "enter", DrillReportScreen)
