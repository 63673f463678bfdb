"""The look the small modal forms share: a box with a border centred over the current
screen, holding a bold `.title`, an `#error` line and muted `.hint`s."""

from textual.screen import ModalScreen, ScreenResultType


class FormModal(ModalScreen[ScreenResultType]):
    """A modal form; subclasses compose a `Vertical` (64 columns wide unless their own CSS
    says otherwise) with a `.title`, an `#error` line and `.hint`s."""

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    FormModal .title { text-style: bold; margin-bottom: 1; }
    FormModal #error { color: $text-error; height: auto; }
    FormModal .hint { color: $text-muted; margin-top: 1; }
    """
