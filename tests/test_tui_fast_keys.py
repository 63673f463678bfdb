"""Keys pressed while a screen is being dismissed: `q` then another key, typed faster than
the screen goes away (posted at once, as a terminal delivers a burst), never crash: each
key goes to the screen showing when it is handled, and a dismissed screen's workers end
without touching it (quiz/tui/background.py). Issue 10 saw a traceback for `q` then `e`;
on this code every burst below runs clean: these tests keep it so."""

import contextlib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from quiz.services.auth import Teacher
from quiz.services.database import Database

from .test_tui_teacher import SIZE, open_drills, open_report, settle, taken_drill, teacher_app
from .test_tui_teacher import mr_t as mr_t  # the fixture


async def fast(pilot: Pilot[None], *keys: str) -> None:
    """Post the keys all at once, as a fast typist's terminal delivers them."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    for _ in range(3):  # workers of a dismissed screen end cancelled: that is no crash
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_q_then_e_on_the_report(
    mini_database: Database, mr_t: Teacher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken_drill(mini_database, mr_t)
    monkeypatch.chdir(tmp_path)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_report(pilot)
        await fast(pilot, "q", "e")
        await fast(pilot, "q", "e")
        await fast(pilot, "q", "e")
        assert app.is_running
    assert app.return_code in (0, None)


async def test_q_then_e_on_the_drill_list(mini_database: Database, mr_t: Teacher) -> None:
    taken_drill(mini_database, mr_t)
    app = teacher_app(mini_database)
    async with app.run_test(size=SIZE) as pilot:
        await open_drills(pilot)
        await fast(pilot, "q", "e", "escape", "escape")
        assert app.is_running
    assert app.return_code in (0, None)


@pytest.mark.parametrize("key", ["s", "b", "e", "c", "h", "question_mark", "d", "m", "enter", "p"])
async def test_q_then_e_leaving_any_screen_of_home(mini_database: Database, key: str) -> None:
    from quiz.tui.app import make_app

    from .conftest import NOW

    app = make_app(mini_database, profile_name="ann", clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        await fast(pilot, "q", "e", "escape", "q", "e", "escape", "escape")
        await pilot.press(key)
        await settle(pilot)
        await fast(pilot, "escape", "e", "escape", "y", "escape", "escape", "e")
        await pilot.press(key)
        await fast(pilot, "escape", "e", "escape", "y", "escape", "escape", "e")
        assert app.is_running
    assert app.return_code in (0, None)
