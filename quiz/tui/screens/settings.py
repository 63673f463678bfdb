"""The current profile's study settings: daily limits, retention, day start, time zone."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from quiz.services.format import sentence
from quiz.services.profiles import ProfileInfo, update_profile_settings
from quiz.tui.background import Failed, background
from quiz.tui.screens.profile_form import ProfileForm

# (input id, label, hint shown as placeholder)
FIELDS = (
    ("new_per_day", "New cards a day", "e.g. 20"),
    ("max_reviews_per_day", "Reviews a day (at most)", "e.g. 200"),
    ("desired_retention", "Retention wanted", "e.g. 90%"),
    ("day_start_hour", "A new day starts at (hour)", "0-23, e.g. 4"),
    ("time_zone", "Time zone", "e.g. Europe/London; empty: this computer's"),
)


def shown_values(profile: ProfileInfo) -> dict[str, str]:
    """The profile's settings as they appear in the boxes."""
    return {
        "new_per_day": str(profile.new_per_day),
        "max_reviews_per_day": str(profile.max_reviews_per_day),
        "desired_retention": f"{round(profile.desired_retention * 100)}%",
        "day_start_hour": str(profile.day_start_hour),
        "time_zone": profile.time_zone or "",
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
    return values


class SettingsScreen(ProfileForm):
    """Edit the profile's study settings; dismisses with True when they were saved."""

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > Vertical {
        width: 76; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    SettingsScreen .title { text-style: bold; margin-bottom: 1; }
    SettingsScreen .row { height: 1; margin-bottom: 1; }
    SettingsScreen .row Label { width: 28; color: $text; }
    SettingsScreen .row Input { width: 1fr; }
    SettingsScreen #error { color: $text-error; height: auto; }
    SettingsScreen .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="settings.save"),
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
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
            yield Static(
                "Tab: next box · Enter or Ctrl+S: save · Esc: cancel. Limits count per study "
                "day, which starts at the hour given in your time zone.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#new_per_day", Input).focus()

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
