"""Setting or clearing the exam date that the scheduler plans every card for."""

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from quiz.errors import QuizError
from quiz.services.exam_plan import read_exam_date
from quiz.services.format import sentence
from quiz.services.profiles import set_exam_date
from quiz.tui.background import Failed, background
from quiz.tui.screens.profile_form import ProfileForm


class ExamDateScreen(ProfileForm):
    """Set or clear the exam date. Dismisses with True when it changed."""

    BINDINGS = [
        Binding("enter", "save", "Save", id="exam_date.save"),
        Binding("escape", "cancel", "Cancel", id="exam_date.cancel"),
    ]

    def today(self) -> date:
        """Today's study day on the learner's calendar (a date without a year is the next
        such day from today on)."""
        return self.context.require_profile().calendar.study_date(self.context.now())

    def compose(self) -> ComposeResult:
        current = self.context.require_profile().exam_date
        ahead = self.today() + timedelta(days=120)
        with Vertical():
            yield Static("Exam date", classes="title")
            yield Input(
                current.isoformat() if current else "",
                placeholder=f"e.g. {ahead.day} {ahead:%B %Y} or {ahead.isoformat()}",
                id="date",
            )
            yield Static("", id="error")
            yield Static(
                "Every card is planned to be seen before this day. Write it as you like "
                f"({ahead.isoformat()}, {ahead:%d/%m/%Y}, {ahead.day} {ahead:%B}: "
                "day first; no year is the next one). "
                "Leave it empty to clear the date. Enter saves; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    async def action_save(self) -> None:
        """Save the date (empty clears it)."""
        error = self.query_one("#error", Static)
        try:
            chosen = read_exam_date(self.query_one("#date", Input).value, self.today())
        except QuizError as problem:
            error.update(sentence(problem))
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
