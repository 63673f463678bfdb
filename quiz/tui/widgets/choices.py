"""Options to choose from (multiple choice, true/false) and items to put in order."""

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

MAX_NUMBERED = 9


def _pick_bindings(prefix: str) -> list[Binding]:
    return [
        Binding(str(n), f"pick({n})", f"Choose option {n}", show=False, id=f"{prefix}.pick{n}")
        for n in range(1, MAX_NUMBERED + 1)
    ]


class ChoiceList(Widget, can_focus=True):
    """Numbered options. One answer: a number key (or Enter on the highlighted option)
    answers. Several answers: space or a number key toggles, Enter submits."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; padding: 0 1; }
    ChoiceList:focus { background-tint: $foreground 3%; }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous option", show=False, id="choices.up"),
        Binding("down,j", "move(1)", "Next option", show=False, id="choices.down"),
        Binding("space", "toggle_option", "Toggle option", id="choices.toggle"),
        Binding("enter", "submit", "Check", id="choices.submit"),
        *_pick_bindings("choices"),
    ]

    cursor: reactive[int] = reactive(0)

    class Submitted(Message):
        """The learner chose: the selected options, in the order shown."""

        def __init__(self, choices: "ChoiceList", selected: tuple[str, ...]) -> None:
            super().__init__()
            self.choices = choices
            self.selected = selected

        @property
        def control(self) -> "ChoiceList":
            return self.choices

    def __init__(
        self,
        options: list[str],
        multiple: bool = False,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        self.multiple = multiple
        self.selected: set[int] = set()
        self.correct: frozenset[str] | None = None  # set when the answer is revealed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.correct is not None:
            return False
        if action == "toggle_option":
            return self.multiple
        if action == "pick":
            return isinstance(parameters[0], int) and parameters[0] <= len(self.options)
        return True

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)

    def action_toggle_option(self) -> None:
        self.selected ^= {self.cursor}
        self.refresh()

    def action_pick(self, number: int) -> None:
        self.cursor = number - 1
        if self.multiple:
            self.action_toggle_option()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        if not self.multiple:
            self.selected = {self.cursor}
        elif not self.selected:
            self.notify("Choose at least one option (space or its number), then Enter.")
            return
        chosen = tuple(self.options[i] for i in sorted(self.selected))
        self.refresh()
        self.post_message(self.Submitted(self, chosen))

    def reveal(self, correct: frozenset[str]) -> None:
        """Mark the right options (and the wrongly chosen ones); no more choosing."""
        self.correct = correct
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.correct is None and 0 <= event.y < len(self.options):
            self.focus()
            self.action_pick(event.y + 1)

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def render(self) -> Content:
        lines = []
        for index, option in enumerate(self.options):
            chosen = index in self.selected
            box = ("[x]" if chosen else "[ ]") if self.multiple else ("(•)" if chosen else "( )")
            number = f"{index + 1}" if index < MAX_NUMBERED else " "
            current = index == self.cursor and self.correct is None and self.has_focus
            style = "bold $accent" if current else ""
            mark: tuple[str, str] = ("  ", "")
            if self.correct is not None:
                if option in self.correct:
                    mark = ("✓ ", "bold $text-success")
                    style = "$text-success"
                elif chosen:
                    mark = ("✗ ", "bold $text-error")
                    style = "$text-error"
            lines.append(
                Content.assemble(
                    ("▸ " if current else "  ", "bold $accent"),
                    mark,
                    (f"{number}  {box} ", "$text-muted" if not current else style),
                    (option, style),
                )
            )
        return Content("\n").join(lines)


class OrderList(Widget, can_focus=True):
    """Items to put in order: arrows choose an item, shift+arrows or [ and ] move it,
    Enter submits the order."""

    DEFAULT_CSS = """
    OrderList { height: auto; padding: 0 1; }
    OrderList:focus { background-tint: $foreground 3%; }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous item", show=False, id="order.up"),
        Binding("down,j", "move(1)", "Next item", show=False, id="order.down"),
        Binding(
            "shift+up,left_square_bracket",
            "shift(-1)",
            "Move up",
            key_display="[",
            id="order.shift_up",
        ),
        Binding(
            "shift+down,right_square_bracket",
            "shift(1)",
            "Move down",
            key_display="]",
            id="order.shift_down",
        ),
        Binding("enter", "submit", "Check order", id="order.submit"),
    ]

    cursor: reactive[int] = reactive(0)

    class Submitted(Message):
        """The learner submitted this order."""

        def __init__(self, order_list: "OrderList", order: tuple[str, ...]) -> None:
            super().__init__()
            self.order_list = order_list
            self.order = order

        @property
        def control(self) -> "OrderList":
            return self.order_list

    def __init__(
        self, items: list[str], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.items = list(items)
        self.correct: list[str] | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.correct is None

    def action_move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.items) - 1, self.cursor + step))

    def action_shift(self, step: int) -> None:
        target = self.cursor + step
        if 0 <= target < len(self.items):
            items = self.items
            items[self.cursor], items[target] = items[target], items[self.cursor]
            self.cursor = target
            self.refresh()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, tuple(self.items)))

    def reveal(self, correct: list[str]) -> None:
        """Mark each item right or wrong in place, with its right position."""
        self.correct = correct
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.correct is None and 0 <= event.y < len(self.items):
            self.focus()
            self.cursor = event.y

    def watch_cursor(self) -> None:
        self.refresh()

    def render(self) -> Content:
        lines = []
        for index, item in enumerate(self.items):
            current = index == self.cursor and self.correct is None and self.has_focus
            style = "bold $accent" if current else ""
            mark: tuple[str, str] = ("  ", "")
            suffix: tuple[str, str] = ("", "")
            if self.correct is not None:
                right = self.correct.index(item) if item in self.correct else -1
                if right == index:
                    mark, style = ("✓ ", "bold $text-success"), "$text-success"
                else:
                    mark, style = ("✗ ", "bold $text-error"), "$text-error"
                    suffix = (f"   (belongs at {right + 1})", "$text-muted")
            lines.append(
                Content.assemble(
                    ("▸ " if current else "  ", "bold $accent"),
                    mark,
                    (f"{index + 1}. ", "$text-muted"),
                    (item, style),
                    suffix,
                )
            )
        return Content("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
