"""A yes/no question in a small modal."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Asks `question`; dismisses with True (y) or False (n or Esc)."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; height: auto; padding: 1 2;
        border: round $warning; background: $surface;
    }
    ConfirmScreen .question { text-style: bold; }
    ConfirmScreen .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "Cancel", show=False, id="confirm.cancel"),
        Binding("q", "answer(False)", "Cancel", show=False, id="confirm.cancel_q"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, classes="question")
            if self.detail:
                yield Static(self.detail)
            yield Static("y: yes   n or Esc: no", classes="keys")

    def action_answer(self, yes: bool) -> None:
        """Answer the question."""
        self.dismiss(yes)
