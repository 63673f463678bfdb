"""A teacher's profile opens only with its PIN: a modal with a masked input."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from quiz.services.auth import PIN_MAX, Teacher, unlock_teacher
from quiz.services.format import sentence
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext


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
        # a modal screen hides the app's keys, and the PIN box takes `?`:
        Binding("f1", "app.help", "Help", id="pin.help"),
    ]

    def __init__(self, context: StudyContext, name: str) -> None:
        super().__init__()
        self.context = context
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

    @work(exclusive=True, group="pin")
    async def check(self, pin: str) -> None:
        teacher = await background(
            self,
            unlock_teacher,
            self.context.database,
            self.teacher_name,
            pin,
            self.context.now(),
            quiet=True,
        )
        if not (isinstance(teacher, Failed) and teacher.error is None):  # None: gone
            self.call_later(self.checked, teacher)  # on the screen's own queue

    def checked(self, teacher: Teacher | Failed) -> None:
        self.checking = False
        if not isinstance(teacher, Failed):
            self.dismiss(teacher)
            return
        assert teacher.error is not None
        field = self.query_one("#pin", Input)
        field.value = ""
        field.focus()
        # shown here, not as a toast: "Wrong PIN for …; try again, or press Esc …"
        refused = sentence(teacher.error).removesuffix(".") or "The PIN was refused"
        self.query_one("#pin-error", Static).update(
            f"{refused}, or press Esc to choose another profile."
        )
