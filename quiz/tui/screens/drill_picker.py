"""Picking a drill's topics or questions from a list instead of typing them (a modal with
a search box and a list to tick), and the preview of the questions a drill would ask."""

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from quiz.services.format import short


class TickList(SelectionList[str]):
    """A selection list whose boxes show a mark only when ticked: Textual's draws an X
    either way, told apart by colour alone (as `TickBox` in the drill form)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        segments = list(strip)
        if len(segments) > 1 and self.get_option_at_index(index).value not in self.selected:
            segments[1] = Segment(" ", segments[1].style)
        return Strip(segments)


@dataclass(frozen=True)
class Choice:
    """One line of the list: the value written into the form and how it is shown."""

    value: str
    label: str  # what is listed (and searched)
    detail: str = ""  # shown muted after the label (and searched)


class PickerScreen(ModalScreen[list[str] | None]):
    """Tick `choices` (those in `chosen` start ticked). Dismisses with the ticked values,
    those already chosen first in their order, then the others in the list's order; None
    when cancelled."""

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical {
        width: 90%; max-width: 100; height: 90%; padding: 0 1;
        border: round $accent; background: $surface;
    }
    PickerScreen .title { text-style: bold; }
    PickerScreen #search { margin: 1 0 0 0; }
    PickerScreen #choices { height: 1fr; }
    PickerScreen .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "keep", "Keep ticked", priority=True, id="picker.keep"),
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
    ]

    def __init__(self, title: str, choices: Sequence[Choice], chosen: Sequence[str]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.chosen = list(dict.fromkeys(chosen))  # in order, once each
        self.ticked = set(self.chosen)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield Input(placeholder="search (Tab)", id="search", compact=True)
            yield TickList(id="choices")
            yield Static(
                "↑/↓ move, space ticks, Tab searches; Enter keeps the ticked; Esc cancels.",
                classes="keys",
            )

    def on_mount(self) -> None:
        self.show("")
        self.query_one("#choices").focus()

    def matching(self, search: str) -> list[Choice]:
        """The choices whose label or detail holds every word of `search`."""
        words = search.casefold().split()
        return [
            c for c in self.choices if all(w in f"{c.label} {c.detail}".casefold() for w in words)
        ]

    def show(self, search: str) -> None:
        listing = self.query_one("#choices", SelectionList)
        listing.clear_options()
        listing.add_options(
            [
                Selection(
                    Content.assemble(c.label, (f"  {short(c.detail, 70)}", "$text-muted"))
                    if c.detail
                    else Content(c.label),
                    c.value,
                    c.value in self.ticked,
                )
                for c in self.matching(search)
            ]
        )
        if listing.option_count:
            listing.highlighted = 0

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(SelectionList.SelectionToggled, "#choices")
    def toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        value = event.selection.value
        if value in self.ticked:
            self.ticked.discard(value)
        else:
            self.ticked.add(value)

    def picked(self) -> list[str]:
        """The ticked values: those chosen before first, in their order, then the rest."""
        kept = [v for v in self.chosen if v in self.ticked]
        return kept + [
            c.value for c in self.choices if c.value in self.ticked and c.value not in kept
        ]

    def action_keep(self) -> None:
        """Keep the ticked ones."""
        self.dismiss(self.picked())

    def action_cancel(self) -> None:
        """Leave the form as it was."""
        self.dismiss(None)


class PreviewScreen(ModalScreen[None]):
    """The questions a drill being written would ask, numbered, with a line on the draw;
    Enter or Esc goes back to the form."""

    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > Vertical {
        width: 90%; max-width: 100; height: 90%; padding: 0 1;
        border: round $accent; background: $surface;
    }
    PreviewScreen .title { text-style: bold; }
    PreviewScreen #drawn { height: 1fr; margin-top: 1; }
    PreviewScreen .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "close", "Back to the form", priority=True, id="preview.close"),
        Binding("escape", "close", "Back", show=False, id="preview.close_escape"),
    ]

    def __init__(self, title: str, note: str, lines: Sequence[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title")
            yield Static(self.note, classes="keys")
            with VerticalScroll(id="drawn"):
                yield Static(
                    Content("\n").join(
                        [
                            Content.assemble(
                                (f"{n:>3}. ", "$text-muted"),
                                (c.label, "bold"),
                                (f"  {c.detail}", "$text-muted"),
                            )
                            for n, c in enumerate(self.lines, start=1)
                        ]
                    )
                )
            yield Static("Enter or Esc: back to the form.", classes="keys")

    def action_close(self) -> None:
        """Back to the form."""
        self.dismiss(None)
