"""The current profile's study settings: daily limits, retention, day start, time zone,
load balancing and easy days; and its schedule: optimise FSRS on the learner's reviews, the
workload of each retention."""

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from quiz.services.balancing import WEEKDAYS, parse_easy_days
from quiz.services.format import sentence
from quiz.services.optimising import describe_parameters, optimise, refit_offer
from quiz.services.profiles import ProfileInfo, update_profile_settings
from quiz.services.workload import WorkloadReport, simulate_retentions
from quiz.tui.background import Failed, background
from quiz.tui.screens.profile_form import ProfileForm

# (input id, label, hint shown as placeholder)
FIELDS = (
    ("new_per_day", "New cards a day", "e.g. 20"),
    ("max_reviews_per_day", "Reviews a day (at most)", "e.g. 200"),
    ("desired_retention", "Retention wanted", "e.g. 90%"),
    ("day_start_hour", "A new day starts at (hour)", "0-23, e.g. 4"),
    ("time_zone", "Time zone", "e.g. Europe/London; empty: this computer's"),
    ("load_balance", "Spread reviews evenly", "on or off"),
    ("easy_days", "Easy days", "e.g. sat sun: half the reviews"),
)
ON, OFF = ("on", "yes", "true"), ("off", "no", "false", "")


def shown_values(profile: ProfileInfo) -> dict[str, str]:
    """The profile's settings as they appear in the boxes."""
    return {
        "new_per_day": str(profile.new_per_day),
        "max_reviews_per_day": str(profile.max_reviews_per_day),
        "desired_retention": f"{round(profile.desired_retention * 100)}%",
        "day_start_hour": str(profile.day_start_hour),
        "time_zone": profile.time_zone or "",
        "load_balance": "on" if profile.load_balance else "off",
        "easy_days": " ".join(WEEKDAYS[day] for day in profile.easy_days),
    }


def read_values(boxes: dict[str, str]) -> dict[str, object]:
    """The settings typed in the boxes; ValueError with a sentence for one that is not a
    number (the service checks the ranges and the zone)."""
    values: dict[str, object] = {}
    for key, label in (
        ("new_per_day", "New cards a day"),
        ("max_reviews_per_day", "Reviews a day"),
        ("day_start_hour", "The day-start hour"),
    ):
        text = boxes[key].strip()
        try:
            values[key] = int(text)
        except ValueError:
            raise ValueError(f"{label} must be a whole number, not “{text}”.") from None
    text = boxes["desired_retention"].strip().removesuffix("%").strip()
    try:
        retention = float(text)
    except ValueError:
        raise ValueError(
            f"Retention must be a percentage such as 90%, not “{boxes['desired_retention']}”."
        ) from None
    retention = retention / 100 if retention > 1 else retention
    if not 0.7 <= retention <= 0.99:
        raise ValueError("Retention must be from 70% to 99% (90% is usual).")
    values["desired_retention"] = retention
    values["time_zone"] = boxes["time_zone"].strip()
    switch = boxes["load_balance"].strip().lower()
    if switch not in ON + OFF:
        raise ValueError(f"Spread reviews evenly is on or off, not “{boxes['load_balance']}”.")
    values["load_balance"] = switch in ON
    try:
        values["easy_days"] = parse_easy_days(boxes["easy_days"].replace(",", " ").split())
    except ValueError as problem:
        raise ValueError(f"Easy days: {problem}.") from None
    return values


class SettingsScreen(ProfileForm):
    """Edit the profile's study settings; dismisses with True when they were saved."""

    DEFAULT_CSS = """
    SettingsScreen > Vertical { width: 76; max-height: 100%; padding: 0 2; }
    SettingsScreen .row { height: 1; }
    SettingsScreen .row Label { width: 28; color: $text; }
    SettingsScreen .row Input { width: 1fr; }
    SettingsScreen .hint { margin-top: 0; }
    SettingsScreen #schedule { height: auto; }
    SettingsScreen #schedule-buttons { height: 1; margin-bottom: 1; }
    SettingsScreen #schedule-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="settings.save"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
        Binding("ctrl+o", "optimise", "Optimise", priority=True, id="settings.optimise"),
        Binding("ctrl+k", "workload", "Workload", priority=True, id="settings.workload"),
    ]

    def compose(self) -> ComposeResult:
        profile = self.context.require_profile()
        values = shown_values(profile)
        with Vertical():
            yield Static(f"Settings of {profile.name}", classes="title")
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(values[key], placeholder=placeholder, id=key, compact=True)
            yield Static("", id="error")
            yield Static(f"Schedule: {describe_parameters(profile)}.", id="schedule")
            with Horizontal(id="schedule-buttons"):
                yield Button("Optimise (Ctrl+O)", id="optimise", compact=True)
                yield Button("Workload by retention (Ctrl+K)", id="workload", compact=True)
            yield Static(
                "Tab: next box · Enter or Ctrl+S: save · Esc: cancel. Limits count per study "
                "day, which starts at the hour given in your time zone. Spread reviews: no "
                "study day gets more than the reviews a day (an easy day half as many).",
                classes="hint",
            )

    async def on_mount(self) -> None:
        self.query_one("#new_per_day", Input).focus()
        profile = self.context.require_profile()
        offer = await background(self, refit_offer, self.context.database, profile, quiet=True)
        if isinstance(offer, str):
            self.query_one("#schedule", Static).update(
                f"Schedule: {describe_parameters(profile)}. {offer}"
            )

    @on(Button.Pressed, "#optimise")
    async def optimise_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_optimise()

    @on(Button.Pressed, "#workload")
    async def workload_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_workload()

    async def action_optimise(self) -> None:
        """Fit FSRS to the learner's reviews and show what it found."""
        schedule = self.query_one("#schedule", Static)
        schedule.update("Schedule: optimising on your reviews…")
        profile = self.context.require_profile()
        report = await background(
            self, optimise, self.context.database, profile, self.context.now()
        )
        if isinstance(report, Failed):
            schedule.update(f"Schedule: {describe_parameters(profile)}.")
            return
        self.context.profile = report.updated  # the next card is scheduled with them
        schedule.update(f"Schedule: {describe_parameters(report.updated)}.")
        self.app.push_screen(ScheduleReport("Optimised schedule", report.lines()))

    async def action_workload(self) -> None:
        """Simulate a year at each usual retention and show the cost of each."""
        profile = self.context.require_profile()
        report = await background(self, simulate_retentions, self.context.database, profile)
        if not isinstance(report, Failed):
            self.app.push_screen(ScheduleReport("Workload by retention", workload_lines(report)))

    async def action_save(self) -> None:
        """Check and save the settings."""
        error = self.query_one("#error", Static)
        boxes = {key: self.query_one(f"#{key}", Input).value for key, _l, _p in FIELDS}
        try:
            values = read_values(boxes)
        except ValueError as problem:
            error.update(str(problem))
            return
        profile = self.context.require_profile()
        saved = await background(
            self,
            update_profile_settings,
            self.context.database,
            profile.id,
            quiet=True,
            **values,
        )
        if isinstance(saved, Failed):
            error.update(sentence(saved.error or "the settings could not be saved"))
            return
        self.context.profile = saved
        self.notify("Settings saved.", timeout=3)
        self.dismiss(True)


def workload_lines(report: WorkloadReport) -> list[str]:
    """The workload report narrow enough for the settings screen at 80 columns."""
    days = report.workloads[0].days if report.workloads else 0
    times = "your answer times" if report.own_times else "typical answer times"
    lines = [
        f"{report.cards} cards for {days} days, with {report.parameters}, {times}; "
        "s a card: study time per card remembered at the end.",
        "",
    ]
    for w in report.workloads:
        mark = "  <- least work" if w.retention == report.best else ""
        lines.append(
            f"{w.retention:.0%}: {w.reviews_per_day:.0f} reviews, {w.minutes_per_day:.1f} min "
            f"a day; {w.remembered_share:.0%} remembered; "
            f"{w.seconds_per_remembered:.0f} s a card{mark}"
        )
    lines += ["", "Set the retention you choose in the Retention box."]
    return lines


class ScheduleReport(ModalScreen[None]):
    """What an optimisation or a workload simulation found; Esc or Enter closes it."""

    DEFAULT_CSS = """
    ScheduleReport { align: center middle; }
    ScheduleReport > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: round $accent; background: $surface;
    }
    ScheduleReport .title { text-style: bold; margin-bottom: 1; }
    ScheduleReport VerticalScroll { height: auto; max-height: 16; }
    ScheduleReport .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="schedule_report.close"),
        Binding("enter", "close", "Close", show=False, id="schedule_report.enter"),
    ]

    def __init__(self, title: str, lines: Sequence[str]) -> None:
        super().__init__()
        self.heading = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, classes="title")
            with VerticalScroll():
                yield Static("\n".join(self.lines), id="report")
            yield Static("Esc or Enter: back to the settings", classes="hint")

    def action_close(self) -> None:
        """Back to the settings."""
        self.dismiss(None)
