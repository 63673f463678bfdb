"""The schedule on the settings screen: optimise (with too little history it says so and
keeps the defaults), the workload of each retention, and the re-fit offer."""

from datetime import timedelta

import pytest
from textual.widgets import Static

import quiz.services.optimising as optimising
from quiz.services.cards import sync_cards
from quiz.services.database import Database
from quiz.services.profiles import get_or_create_profile, update_profile_settings
from quiz.tui.app import make_app
from quiz.tui.screens.settings import ScheduleReport, SettingsScreen
from tests.simulated_learner import Learner

from .conftest import NOW

SIZE = (80, 24)
LATER = NOW + timedelta(days=10)


def clock():  # type: ignore[no-untyped-def]
    return LATER


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _text(screen, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(selector, Static).render())


async def test_optimise_and_workload_from_the_settings_screen(sqlite_database: Database) -> None:
    profile = get_or_create_profile(sqlite_database, "ann", NOW)
    sync_cards(sqlite_database, profile.id)
    profile = update_profile_settings(sqlite_database, profile.id, time_zone="UTC")
    Learner(sqlite_database, profile).study(NOW, 1)  # one day: too little to fit
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        assert "FSRS default parameters" in _text(settings, "#schedule")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleReport)
        assert "Too little history" in _text(app.screen, "#report")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is settings
        assert app.context.profile is not None and app.context.profile.fsrs_parameters is None
        await pilot.click("#workload")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleReport)
        report = _text(app.screen, "#report")
        assert "your answer times" in report and report.count("least work") == 1
        for retention in ("80%", "85%", "90%", "95%"):
            assert f"{retention}:" in report


@pytest.mark.parametrize("after", [5])
async def test_settings_offer_a_refit_after_many_reviews(
    sqlite_database: Database, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    monkeypatch.setattr(optimising, "REFIT_AFTER", after)  # instead of 1,000 reviews
    profile = get_or_create_profile(sqlite_database, "ann", NOW)
    sync_cards(sqlite_database, profile.id)
    profile = update_profile_settings(sqlite_database, profile.id, time_zone="UTC")
    Learner(sqlite_database, profile).study(NOW, 1)
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "optimise your schedule" in _text(app.screen, "#schedule")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "optimise your schedule" not in _text(app.screen, "#schedule")


async def test_home_shows_the_exam_day_forecast_and_x_crams(sqlite_database: Database) -> None:
    from datetime import date

    from quiz.services.profiles import set_exam_date
    from quiz.tui.screens.cram import CramScreen

    profile = get_or_create_profile(sqlite_database, "ann", NOW)
    sync_cards(sqlite_database, profile.id)
    profile = update_profile_settings(sqlite_database, profile.id, time_zone="UTC")
    Learner(sqlite_database, profile).study(NOW, 3)
    set_exam_date(sqlite_database, profile.id, date(2026, 5, 1), NOW)
    app = make_app(sqlite_database, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        exam = _text(app.screen, "#exam")
        assert "Predicted remembered on exam day" in exam and "x: exam cram" in exam
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CramScreen)
        assert app.screen.run.kind == "cram" and not app.screen.run.reschedule
