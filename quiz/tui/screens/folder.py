"""Where to save files: a modal that asks for a folder (the last one used already typed in);
Enter saves there, Esc cancels. A folder that does not exist is refused with a sentence."""

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from quiz.tui.screens.form_modal import FormModal


def chosen_folder(typed: str) -> Path | str:
    """The folder typed (`~` expanded), or why it cannot be used, as a sentence."""
    text = typed.strip()
    if not text:
        return "Type a folder to save the files in."
    folder = Path(text).expanduser()
    if not folder.is_dir():
        return f"There is no folder {folder}; type one that exists (or create it first)."
    return folder


class FolderScreen(FormModal[Path | None]):
    """Asks for a folder to save `what` in; dismisses with the folder, or None (Esc)."""

    DEFAULT_CSS = "FolderScreen > Vertical { width: 72; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="folder.cancel")]

    def __init__(self, what: str, folder: Path) -> None:
        super().__init__()
        self.what = what
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Save {self.what} in", classes="title")
            yield Input(str(self.folder), placeholder="a folder", id="folder")
            yield Static("", id="error")
            yield Static("Enter saves there; Esc cancels.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#folder", Input).focus()

    @on(Input.Submitted, "#folder")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        chosen = chosen_folder(event.value)
        if isinstance(chosen, str):
            self.query_one("#error", Static).update(chosen)
        else:
            self.dismiss(chosen)

    def action_cancel(self) -> None:
        """Close without saving anything."""
        self.dismiss(None)
