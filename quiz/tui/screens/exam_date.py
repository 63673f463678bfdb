"""Setting or clearing the exam date that the scheduler plans every card for."""

import re
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from quiz.services.format import sentence
from quiz.services.profiles import set_exam_date
from quiz.tui.background import Failed, background
from quiz.tui.screens.profile_form import ProfileForm

DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_exam_date(text: str) -> date | None:
    """The date typed (None when empty); ValueError with a sentence when it is not one."""
    text = text.strip()
    if not text:
        return None
    if not DATE_SHAPE.match(text):
        raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-06-15.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text} is not a day of the calendar: check the month (01-12) and the day."
        ) from None


class ExamDateScreen(ProfileForm):
    """Set or clear the exam date. Dismisses with True when it changed."""

    DEFAULT_CSS = """
    ExamDateScreen { align: center middle; }
    ExamDateScreen > Vertical {
        width: 64; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    ExamDateScreen .title { text-style: bold; margin-bottom: 1; }
    ExamDateScreen #error { color: $text-error; height: auto; }
    ExamDateScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "save", "Save", id="exam_date.save"),
        Binding("escape", "cancel", "Cancel", id="exam_date.cancel"),
    ]

    def compose(self) -> ComposeResult:
        current = self.context.require_profile().exam_date
        with Vertical():
            yield Static("Exam date", classes="title")
            yield Input(current.isoformat() if current else "", placeholder="YYYY-MM-DD", id="date")
            yield Static("", id="error")
            yield Static(
                "Every card is planned to be seen before this day. "
                "Leave it empty to clear the date. Enter saves; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    async def action_save(self) -> None:
        """Save the date (empty clears it)."""
        error = self.query_one("#error", Static)
        try:
            chosen = parse_exam_date(self.query_one("#date", Input).value)
        except ValueError as problem:
            error.update(str(problem))
            return
        profile = self.context.require_profile()
        changed = await background(
            self,
            set_exam_date,
            self.context.database,
            profile.id,
            chosen,
            self.context.now(),
            quiet=True,
        )
        if isinstance(changed, Failed):
            error.update(sentence(changed.error or "the date could not be saved"))
            return
        self.context.profile = changed
        self.notify(
            f"Exam date set to {chosen.isoformat()}." if chosen else "Exam date cleared.",
            timeout=3,
        )
        self.dismiss(True)
