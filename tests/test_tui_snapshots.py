"""Snapshots of the screens that the other test files do not photograph, each at 80x24
and 120x40: help, the quit question, settings, study more today, browse and its preview,
profiles, the exam date, the mock exam (set-up and paper), the study summary, the
student's drill list, a drill's start screen and its result, the teacher's PIN."""

from collections.abc import Awaitable, Callable, Iterator

import pytest
from textual.pilot import Pilot

from quiz.services.auth import create_teacher
from quiz.services.bank import import_banks
from quiz.services.database import Database, open_database
from quiz.services.profiles import get_or_create_profile, update_profile_settings
from quiz.tui.app import QuizApp, make_app

from .conftest import NOW, SCREEN_SIZES
from .test_tui_attempt import make_drill
from .test_tui_study import STUDY_BANK, Clock

Steps = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def snap_database(sqlite_url: str) -> Iterator[Database]:
    """The study deck (five questions of every kind) and a profile in UTC."""
    db = open_database(sqlite_url, NOW, import_builtin=False)
    import_banks(db, [STUDY_BANK], NOW)
    profile = get_or_create_profile(db, "ann", NOW)
    update_profile_settings(db, profile.id, time_zone="UTC")
    yield db
    db.close()


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pressing(*keys: str) -> Steps:
    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return steps


def _app(database: Database, name: str = "ann") -> QuizApp:
    return make_app(database, profile_name=name, clock=Clock(NOW), seed=4)


SCREENS: dict[str, Steps] = {
    "help": pressing("question_mark"),
    "quit": pressing("q"),
    "settings": pressing("c"),
    "study_more": pressing("plus"),
    "browse": pressing("b"),
    "browse_preview": pressing("b", "tab", "enter"),
    "profiles": pressing("p"),
    "exam_date": pressing("e"),
    "exam_setup": pressing("m"),
    "exam_paper": pressing("m", "enter"),
    "drills": pressing("d"),
    "drill_start": pressing("d", "enter"),
    "drill_result": pressing("d", "enter", "enter", "ctrl+s", "y"),
    "review_help": pressing("enter", "f1"),
}


@SCREEN_SIZES
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_snapshot(
    snap_compare, size: tuple[int, int], screen: str, snap_database: Database
) -> None:  # type: ignore[no-untyped-def]
    make_drill(snap_database, time_limit_minutes=10, feedback="end", description="Dates, fast.")
    assert snap_compare(_app(snap_database), terminal_size=size, run_before=SCREENS[screen])


@SCREEN_SIZES
def test_study_summary_snapshot(
    snap_compare, size: tuple[int, int], snap_database: Database
) -> None:  # type: ignore[no-untyped-def]
    profile = get_or_create_profile(snap_database, "ann", NOW)
    update_profile_settings(snap_database, profile.id, new_per_day=0)  # nothing to study
    assert snap_compare(_app(snap_database), terminal_size=size, run_before=pressing("enter"))


@SCREEN_SIZES
def test_pin_snapshot(snap_compare, size: tuple[int, int], snap_database: Database) -> None:  # type: ignore[no-untyped-def]
    create_teacher(snap_database, "mr-t", "246810", NOW)
    assert snap_compare(_app(snap_database, "mr-t"), terminal_size=size, run_before=settle)
