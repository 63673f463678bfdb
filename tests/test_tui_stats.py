"""The statistics screen, driven with the Pilot against a SQLite file whose answers the
test wrote through the study services at known times."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.services.database import Database
from quiz.store.models import CardState
from quiz.tui.app import QuizApp, make_app
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.stats import StatsScreen
from quiz.tui.widgets.charts import (
    SEEN,
    Bucket,
    DailyChart,
    ForecastChart,
    Heatmap,
    TopicBar,
    TopicBars,
    layout_bars,
)

from .conftest import NOW, SCREEN_SIZES
from .tui_history_data import Given, history_database, simulate, study_date

SIZE = (100, 30)
REVIEW = 2


@pytest.fixture
def learner_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    with history_database(tmp_path, monkeypatch) as db:
        yield db


def clock():  # type: ignore[no-untyped-def]
    return NOW


async def open_stats(pilot: Pilot[None]) -> StatsScreen:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("s")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


def figure(app: QuizApp, name: str) -> str:
    return str(app.screen.query_one(f"#{name}", Static).render())


def expected_retention(log: list[Given], first_day: object) -> tuple[int, int]:
    """The first rated answer each study day of each card that was in review, and how many
    of those were not Again: worked out here from the answers given."""
    first: dict[tuple[object, int], Given] = {}
    for given in log:
        day = study_date(given.at)
        if given.state_before == REVIEW and day >= first_day:  # type: ignore[operator]
            first.setdefault((day, given.question_id), given)
    return len(first), sum(1 for g in first.values() if (g.rating or 0) > 1)


async def test_statistics_show_the_known_answers(learner_db: Database) -> None:
    profile, log, _ = simulate(learner_db)
    today = study_date(NOW)
    todays = [g for g in log if study_date(g.at) == today]
    assert len(todays) == 6 and sum(g.correct for g in todays) == 5  # the plan, "ggeagh"
    reviews, passed = expected_retention(log, today - timedelta(days=27))
    assert reviews > 10 and passed < reviews  # the plan gives a meaningful figure
    with learner_db.sessions() as session:
        due_tomorrow = session.scalar(
            select(func.count())
            .select_from(CardState)
            .where(
                CardState.profile_id == profile.id,
                CardState.state != 0,
                CardState.due >= NOW.replace(hour=4) + timedelta(days=1),
                CardState.due < NOW.replace(hour=4) + timedelta(days=2),
            )
        )

    app = make_app(learner_db, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(pilot)
        assert not screen.query_one("#body").loading

        assert "6 answered" in figure(app, "today") and "83% right" in figure(app, "today")
        # studied each of the last seven days (the mock exam five days ago counts)
        assert "7 days" in figure(app, "streak")
        assert f"{round(passed / reviews * 100)}%" in figure(app, "retention")
        assert f"{reviews} reviews" in figure(app, "retention")
        in_range = [g for g in log if study_date(g.at) > today - timedelta(days=28)]
        exam_answers = 5
        assert f"{len(in_range) + exam_answers} answered" in figure(app, "period")
        assert app.screen.query_one("#period").border_title == "4 weeks"
        assert f"{due_tomorrow} tomorrow" in figure(app, "due")

        # the charts hold the same figures
        daily = screen.query_one(DailyChart)
        assert len(daily.days) == 28
        assert (daily.days[-1].value, daily.days[-1].correct) == (6, 5)
        per_day: dict[object, int] = defaultdict(int)
        for given in log:
            per_day[study_date(given.at)] += 1
        per_day[today - timedelta(days=5)] += exam_answers
        assert {b.first: b.value for b in daily.days if b.value} == {
            day: n for day, n in per_day.items() if day > today - timedelta(days=28)
        }
        heatmap = screen.query_one(Heatmap)
        assert heatmap.today == today
        assert {d: n for d, n in heatmap.counts.items() if n} == dict(per_day)
        forecast = screen.query_one(ForecastChart)
        assert len(forecast.days) == 30 and forecast.days[1].value == due_tomorrow
        topics = screen.query_one(TopicBars).topics
        assert [t.topic for t in topics] == ["causes", "dates", "signatories", "territory"]
        assert all(t.cards == 20 for t in topics)
        assert sum(t.seen for t in topics) == len({g.question_id for g in log})
        rendered = str(screen.query_one(TopicBars).render())
        assert "causes" in rendered and "mastered" in rendered

        # a year: every answer is in range
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.weeks == 52
        assert f"{len(log) + exam_answers} answered" in figure(app, "period")
        assert screen.query_one("#period").border_title == "Year"
        assert len(screen.query_one(DailyChart).days) == 364
        assert "last year" in str(screen.query_one("#daily-panel").border_title)

        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_statistics_of_a_new_learner(learner_db: Database) -> None:
    app = make_app(learner_db, profile_name="bob", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        assert "0 answered" in figure(app, "today")
        assert "0 days" in figure(app, "streak")
        assert "no reviews yet" in figure(app, "retention")
        assert "No answers in these weeks" in str(app.screen.query_one(DailyChart).render())


async def test_statistics_keys_are_in_help(learner_db: Database) -> None:
    from textual.widgets import DataTable

    app = make_app(learner_db, profile_name="ann", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_stats(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {
            str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(table.row_count)
        }
        assert {"4 weeks", "12 weeks", "1 year", "Refresh", "Back"} <= set(rows)
        assert rows["1 year"] == "3"


def test_every_binding_has_an_id() -> None:
    from quiz.tui.screens.history import HistoryScreen, SessionScreen

    for owner in (StatsScreen, HistoryScreen, SessionScreen):
        for binding in owner.BINDINGS:
            assert getattr(binding, "id", None), f"{owner.__name__}: {binding}"


@SCREEN_SIZES
def test_stats_snapshot(
    snap_compare, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_stats(pilot)

    with history_database(tmp_path, monkeypatch) as db:
        simulate(db)
        app = make_app(db, profile_name="ann", clock=clock, seed=1)
        assert snap_compare(app, terminal_size=size, run_before=run_before)


@SCREEN_SIZES
def test_stats_snapshot_scrolled(
    snap_compare, size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await open_stats(pilot)
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen.query_one("#body").scroll_end(animate=False)
        await pilot.pause()

    with history_database(tmp_path, monkeypatch) as db:
        simulate(db)
        app = make_app(db, profile_name="ann", clock=clock, seed=1)
        assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_bars_share_the_whole_width_evenly() -> None:
    days = [
        Bucket(date(2026, 3, 3) + timedelta(days=n), date(2026, 3, 3) + timedelta(days=n), 1)
        for n in range(28)
    ]
    for width in (60, 75, 90, 110):
        layout = layout_bars(days, width)
        assert layout.width == width and layout.days_per_bucket == 1
        assert max(layout.widths) - min(layout.widths) <= 1
    assert layout_bars(days[:5], 100).widths == (6,) * 5  # not wider than a bar should be


def test_the_daily_axis_reaches_today_and_the_legend_tells_seen_from_not_seen() -> None:
    chart = DailyChart()
    chart.days = [
        Bucket(date(2026, 3, 3) + timedelta(days=n), date(2026, 3, 3) + timedelta(days=n), n, n)
        for n in range(28)
    ]
    axis = "".join(text for text, _ in chart.draw(90)[-1])
    assert axis.endswith("today") and len(axis) == 90
    bars = TopicBars()
    bars.topics = [TopicBar("dates", 10, 6, 2, 0.5)]
    row, legend = bars.draw(80)
    glyphs = {style: text for text, style in legend if text.strip() and text.strip()[0] in "█▓░"}
    assert len(set(glyphs.values())) == 3 and len(glyphs) == 3  # three glyphs, three colours
    seen = next(text for text, style in row if text and text[0] == SEEN[0])
    assert len(seen) > 0
