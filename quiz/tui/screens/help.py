"""A modal that lists every key of the screen beneath it."""

from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

PALETTE = "Command palette: every action by name"
ACTION_WIDTH = 46  # in the 70-column box, beside the keys and the scrollbar


def help_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) for the screen: its own keys first (those not usable at this
    moment marked "later"), then the app's (q, ?, Ctrl+Q, Ctrl+P), then the generic keys
    of the focused widget (cursor, paging, copy)."""
    app = screen.app
    own: list[tuple[str, str]] = []
    of_app: list[tuple[str, str]] = []
    generic: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(rows: list[tuple[str, str]], binding: Binding, note: str = "") -> None:
        key = binding.key_display or app.get_key_display(binding)
        description = PALETTE if binding.action == "command_palette" else binding.description
        if description and binding.tooltip and binding.id and not binding.id.startswith("app."):
            description = f"{description}: {binding.tooltip}"
        if description and (key, description) not in seen:
            seen.add((key, description))
            rows.append((key, description + note))

    active = screen.active_bindings
    for item in active.values():
        binding_id = item.binding.id or ""
        if item.node is app:
            add(of_app, item.binding)
        elif binding_id and not binding_id.startswith("app."):
            add(own, item.binding)
        else:
            add(generic, item.binding)
    active_ids = {item.binding.id for item in active.values()}
    never: frozenset[str] = getattr(screen, "HELP_UNLISTED", frozenset())
    for _key, binding in screen._bindings:  # the screen's keys hidden at this moment
        if binding.id not in active_ids and binding.id not in never and binding.description:
            _namespace, name, parameters = parse_action(binding.action)
            usable = screen.check_action(name, parameters)  # else a text box takes the key
            add(own, binding, "" if usable else " (later)")
    first = ("Back (home: quit)", "Help", "Quit", PALETTE)
    of_app.sort(key=lambda row: first.index(row[1]) if row[1] in first else len(first))
    return own + of_app + generic


class HelpScreen(ModalScreen[None]):
    """Keys and what they do, read from the bindings of the screen that was showing."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    HelpScreen .title { text-style: bold; margin-bottom: 1; }
    HelpScreen DataTable { height: auto; max-height: initial; }  /* the box scrolls, not it */
    """
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", key_display="?", show=False, id="help.close2"),
        Binding("q", "dismiss", "Close", show=False, id="help.close_q"),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.rows = help_rows(beneath)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Keys of this screen, then of the app", classes="title")
            table: DataTable[str] = DataTable(cursor_type="none", show_cursor=False)
            table.add_column("Key")
            table.add_column("Action", width=ACTION_WIDTH)  # a longer one wraps
            for key, description in self.rows:
                table.add_row(key, description, height=None)
            yield table
            yield Static(
                "Esc or q closes this help. Remap keys in keymap.yaml (README).", classes="hint"
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
