"""The statistics screen: the current learner's figures and charts, loaded in a worker.

Answers and accuracy per day over the chosen range (4, 12 or 52 weeks), the daily streak
as a calendar heatmap, true retention with the number of reviews it rests on, the cards
due on each of the next 30 days, and mastery per topic (with the share right of the
reviews of its seen cards: drill and exam answers are in their own reports)."""

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quiz.services.format import percent
from quiz.services.profiles import ProfileInfo
from quiz.services.stats import Statistics, statistics
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.widgets.charts import (
    MUTED,
    DailyChart,
    ForecastChart,
    Heatmap,
    TopicBar,
    TopicBars,
    accuracy_style,
)

RANGES = {4: "4 weeks", 12: "12 weeks", 52: "year"}  # "last …"; "accuracy over the last …"


class Figure(Static):
    """A headline figure in a small box: the value in bold, a note beneath it."""

    DEFAULT_CSS = """
    Figure {
        width: 1fr; height: 4; padding: 0 1;
        border: round $panel; border-title-color: $text-muted;
    }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__("…", id=id)
        self.border_title = title

    def show(self, value: str, note: str, style: str = "bold") -> None:
        self.update(Content.assemble((value, style), "\n", (note, MUTED)))


class Panel(Vertical):
    """A titled box around a chart."""

    DEFAULT_CSS = """
    Panel {
        height: auto; padding: 0 1;
        border: round $panel; border-title-color: $text-accent; border-title-style: bold;
    }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title


class StatsScreen(Screen[None]):
    """The learner's statistics as charts; 1/2/3 choose the range, r reloads."""

    DEFAULT_CSS = """
    StatsScreen #body { height: 1fr; scrollbar-size-vertical: 1; }
    StatsScreen #figures { height: auto; }
    StatsScreen #middle { height: auto; }
    StatsScreen #calendar-panel { width: 1fr; }
    StatsScreen #forecast-panel { width: 44; }
    """
    BINDINGS = [
        Binding("1", "range(4)", "4 weeks", id="stats.weeks4"),
        Binding("2", "range(12)", "12 weeks", id="stats.weeks12"),
        Binding("3", "range(52)", "1 year", id="stats.weeks52"),
        Binding("r", "refresh", "Refresh", id="stats.refresh"),
        Binding("escape", "leave", "Back", id="stats.leave"),
    ]

    def __init__(self, context: StudyContext, weeks: int = 4) -> None:
        super().__init__()
        self.context = context
        self.profile: ProfileInfo = context.require_profile()
        self.weeks = weeks
        self.stats: Statistics | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            with Horizontal(id="figures"):
                yield Figure("Today", id="today")
                yield Figure("Streak", id="streak")
                yield Figure("Retention", id="retention")
                yield Figure("Answers", id="period")
                yield Figure("Due", id="due")
            with Panel("Answers per day", id="daily-panel"):
                yield DailyChart(id="daily")
            with Horizontal(id="middle"):
                with Panel("Study calendar", id="calendar-panel"):
                    yield Heatmap(id="calendar")
                with Panel("Due in the next 30 days", id="forecast-panel"):
                    yield ForecastChart(id="forecast")
            with Panel("Mastery per topic", id="topics-panel"):
                yield TopicBars(id="topics")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · statistics"
        self.query_one("#body").focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reload the statistics."""
        self.query_one("#body").loading = True
        self.load(self.weeks)

    def action_range(self, weeks: int) -> None:
        """Show the last `weeks` weeks."""
        self.weeks = weeks
        self.refresh_bindings()
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "range" and parameters and parameters[0] == self.weeks:
            return None  # the range shown: greyed out in the footer
        return True

    def action_leave(self) -> None:
        """Back to the home screen."""
        self.dismiss()

    @work(exclusive=True, group="stats")
    async def load(self, weeks: int) -> None:
        stats = await background(
            self, statistics, self.context.database, self.profile, self.context.now(), weeks=weeks
        )
        if not (isinstance(stats, Failed) and stats.error is None):  # None: replaced, or gone
            self.call_later(self.show, weeks, stats)  # on the screen's own queue

    def show(self, weeks: int, stats: Statistics | Failed) -> None:
        if weeks != self.weeks:
            return  # an older range finished late
        self.query_one("#body").loading = False
        if isinstance(stats, Failed):
            return  # the learner has been told
        self.stats = stats
        span = RANGES.get(self.weeks, f"{self.weeks} weeks")

        today = stats.days[-1] if stats.days else None
        figure = self.query_one("#today", Figure)
        if today is None or not today.answers:
            figure.show("0 answered", "nothing yet today", MUTED)
        else:
            rate = today.accuracy or 0.0
            figure.show(
                f"{today.answers} answered",
                f"{percent(rate)} right",
                f"bold {accuracy_style(rate)}",
            )

        days = "day" if stats.streak_days == 1 else "days"
        active = sum(1 for d in stats.days if d.answers)
        self.query_one("#streak", Figure).show(
            f"{stats.streak_days} {days}", f"{active}/{len(stats.days)} days"
        )

        retention = stats.retention
        reviews = "review" if retention.reviews == 1 else "reviews"
        if retention.rate is None:
            self.query_one("#retention", Figure).show("–", "no reviews yet", MUTED)
        else:
            self.query_one("#retention", Figure).show(
                percent(retention.rate),
                f"{retention.reviews} {reviews}",
                f"bold {accuracy_style(retention.rate)}",
            )

        answers = sum(d.answers for d in stats.days)
        correct = sum(d.correct for d in stats.days)
        period = self.query_one("#period", Figure)
        period.border_title = span[:1].upper() + span[1:]  # the card: 16 columns at 80
        period.show(
            f"{answers} answered",
            (f"{percent(correct / answers)} right" if answers else "none yet")
            + (f" · {stats.overridden} claimed right" if stats.overridden else ""),
        )

        due_today = stats.forecast[0][1] if stats.forecast else 0
        due_tomorrow = stats.forecast[1][1] if len(stats.forecast) > 1 else 0
        self.query_one("#due", Figure).show(f"{due_today} today", f"{due_tomorrow} tomorrow")

        self.query_one("#daily-panel", Panel).border_title = f"Answers per day · last {span}"
        self.query_one("#daily", DailyChart).set_days(
            [(d.day, d.answers, d.correct) for d in stats.days]
        )
        self.query_one(
            "#calendar-panel", Panel
        ).border_title = f"Study days · streak {stats.streak_days} {days}"
        self.query_one("#calendar", Heatmap).set_calendar(
            [(d.day, d.answers) for d in stats.calendar]
        )
        self.query_one("#forecast", ForecastChart).set_forecast(stats.forecast)
        self.query_one(
            "#topics-panel", Panel
        ).border_title = f"Mastery per topic · right: reviews of seen cards, last {span}"
        self.query_one("#topics", TopicBars).set_topics(
            [TopicBar(t.topic, t.cards, t.seen, t.mastered, t.accuracy) for t in stats.topics]
        )
