"""Setting up a mock exam: how many questions, how long, which deck."""

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Static

from quiz.services.mock_exam import DEFAULT_QUESTIONS, default_time_limit
from quiz.tui.screens.form_modal import FormModal

MAX_QUESTIONS = 500
MAX_MINUTES = 600


@dataclass(frozen=True)
class ExamSetup:
    count: int
    minutes: int
    deck_id: int | None


class ExamSetupScreen(FormModal[ExamSetup | None]):
    """How many questions, how long, which deck. Enter starts, Esc cancels."""

    DEFAULT_CSS = """
    ExamSetupScreen .row { height: auto; }
    ExamSetupScreen .row > Label { width: 22; padding: 1 0 0 0; }
    ExamSetupScreen .row > Input { width: 1fr; }
    """
    BINDINGS = [
        Binding("enter", "start", "Start the exam", id="exam_setup.start"),
        Binding("escape", "cancel", "Cancel", id="exam_setup.cancel"),
    ]

    def __init__(self, deck: tuple[int, str] | None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Mock exam", classes="title")
            with Horizontal(classes="row"):
                yield Label("Questions")
                yield Input(str(DEFAULT_QUESTIONS), id="count", type="integer")
            with Horizontal(classes="row"):
                yield Label("Time limit (minutes)")
                yield Input(
                    placeholder=str(default_time_limit(DEFAULT_QUESTIONS)),
                    id="minutes",
                    type="integer",
                )
            if self.deck is not None:
                yield Checkbox(f"Only the deck {self.deck[1]}", id="deck_only")
            yield Static("", id="error")
            yield Static(
                "Empty time limit: 1.5 minutes a question. Enter starts; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#count", Input).focus()

    @on(Input.Changed, "#count")
    def count_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value.isdigit() and 0 < int(value) <= MAX_QUESTIONS:
            self.query_one("#minutes", Input).placeholder = str(default_time_limit(int(value)))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        """Start the exam with these settings."""
        error = self.query_one("#error", Static)
        count_text = self.query_one("#count", Input).value.strip()
        if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_QUESTIONS:
            error.update(
                f"The number of questions must be a whole number from 1 to {MAX_QUESTIONS}."
            )
            self.query_one("#count", Input).focus()
            return
        count = int(count_text)
        minutes_text = self.query_one("#minutes", Input).value.strip()
        if not minutes_text:
            minutes = default_time_limit(count)
        elif minutes_text.isdigit() and 1 <= int(minutes_text) <= MAX_MINUTES:
            minutes = int(minutes_text)
        else:
            error.update(
                f"The time limit must be a whole number of minutes from 1 to {MAX_MINUTES}, "
                "or empty for the default."
            )
            self.query_one("#minutes", Input).focus()
            return
        only = self.query("#deck_only")
        deck_id = (
            self.deck[0]
            if self.deck is not None and only and self.query_one("#deck_only", Checkbox).value
            else None
        )
        self.dismiss(ExamSetup(count, minutes, deck_id))

    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)
