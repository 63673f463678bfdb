"""A modal that lists every key of the screen beneath it."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    """Keys and what they do, read from the bindings of the screen that was showing."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    HelpScreen .title { text-style: bold; margin-bottom: 1; }
    HelpScreen DataTable { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", key_display="?", show=False, id="help.close2"),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.rows = [
            (
                active.binding.key_display or self.app.get_key_display(active.binding),
                active.binding.description,
            )
            for active in beneath.active_bindings.values()
            if active.binding.description
        ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Keys  (Ctrl+P opens the command palette)", classes="title")
            table: DataTable[str] = DataTable(cursor_type="none", show_cursor=False)
            table.add_columns("Key", "Action")
            for key, description in self.rows:
                table.add_row(key, description)
            yield table
            yield Static("Esc closes this help.", classes="hint")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
