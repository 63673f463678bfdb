"""Custom study from home: more new cards today than the daily setting allows."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from quiz.services.format import sentence
from quiz.services.profiles import study_more_new
from quiz.tui.background import Failed, background
from quiz.tui.screens.profile_form import ProfileForm


class StudyMoreScreen(ProfileForm):
    """Ask how many extra new cards to allow today; dismisses with True when allowed."""

    BINDINGS = [
        Binding("enter", "save", "Allow", id="study_more.save"),
        Binding("escape", "cancel", "Cancel", id="study_more.cancel"),
    ]

    def compose(self) -> ComposeResult:
        profile = self.context.require_profile()
        with Vertical():
            yield Static("Study more today: extra new cards", classes="title")
            yield Input("10", placeholder="how many, e.g. 10", id="extra", type="integer")
            yield Static("", id="error")
            yield Static(
                f"Today only, on top of your {profile.new_per_day} new cards a day (change "
                "that in settings, c). Enter allows them; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#extra", Input).focus()

    async def action_save(self) -> None:
        """Allow the extra new cards for today."""
        error = self.query_one("#error", Static)
        text = self.query_one("#extra", Input).value.strip()
        try:
            extra = int(text)
        except ValueError:
            error.update(f"Give a whole number of cards, not “{text}”.")
            return
        profile = self.context.require_profile()
        saved = await background(
            self,
            study_more_new,
            self.context.database,
            profile.id,
            extra,
            self.context.now(),
            quiet=True,
        )
        if isinstance(saved, Failed):
            error.update(sentence(saved.error or "the extra cards could not be allowed"))
            return
        self.context.profile = saved
        self.notify(f"{extra} more new card(s) today.", timeout=3)
        self.dismiss(True)
