"""A teacher's profile opens only with its PIN: a modal with a masked input."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from quiz.errors import QuizError
from quiz.services.auth import PIN_MAX, Teacher, unlock_teacher
from quiz.services.database import Database


class PinScreen(ModalScreen[Teacher | None]):
    """Asks for the PIN of the teacher `name`. Dismisses with the unlocked `Teacher`, or
    None when cancelled. A wrong PIN is refused with a sentence and asked again; the PIN
    is checked in a worker thread (scrypt takes a moment)."""

    DEFAULT_CSS = """
    PinScreen { align: center middle; }
    PinScreen > Vertical {
        width: 56; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    PinScreen .title { text-style: bold; margin-bottom: 1; }
    PinScreen .hint { color: $text-muted; margin-top: 1; }
    PinScreen #pin-error { color: $text-error; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Choose another profile", id="pin.cancel"),
    ]

    class Checked(Message):
        """Posted by the checking worker: the teacher, or the sentence that refused it."""

        def __init__(self, teacher: Teacher | None, error: str | None) -> None:
            super().__init__()
            self.teacher = teacher
            self.error = error

    def __init__(self, database: Database, name: str) -> None:
        super().__init__()
        self.database = database
        self.teacher_name = name
        self.checking = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.teacher_name} is a teacher profile", classes="title")
            yield Input(placeholder="PIN", password=True, id="pin", max_length=PIN_MAX)
            yield Static("", id="pin-error")
            yield Static(
                "Enter the PIN and press Enter; Esc chooses another profile.", classes="hint"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def action_cancel(self) -> None:
        """Go back to the list of profiles."""
        self.dismiss(None)

    @on(Input.Submitted, "#pin")
    def submit(self, event: Input.Submitted) -> None:
        if self.checking:
            return
        if not event.value:
            self.query_one("#pin-error", Static).update("Type the PIN first, then press Enter.")
            return
        self.checking = True
        self.query_one("#pin-error", Static).update("Checking…")
        self.check(event.value)

    @work(thread=True, exclusive=True, group="pin")
    def check(self, pin: str) -> None:
        try:
            teacher = unlock_teacher(self.database, self.teacher_name, pin)
        except QuizError as error:
            self.post_message(self.Checked(None, str(error)))
        else:
            self.post_message(self.Checked(teacher, None))

    @on(Checked)
    def checked(self, message: Checked) -> None:
        self.checking = False
        if message.teacher is not None:
            self.dismiss(message.teacher)
            return
        pin = self.query_one("#pin", Input)
        pin.value = ""
        pin.focus()
        error = message.error or "the PIN was refused"
        self.query_one("#pin-error", Static).update(
            f"{error[0].upper()}{error[1:]}, or press Esc to choose another profile."
        )
