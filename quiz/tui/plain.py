"""One rule for everything the TUI shows: text is text, never markup.

Deck titles, topics, prompts, answers, explanations, drill titles and profile names come
from banks and from people; Textual would parse "[/]" or "Revision [week 1]" in them as
markup (a crash, or text silently dropped). Rather than escaping at each of the many call
sites, `install()` turns Textual's markup parsing off by default for every way a string
reaches the screen: Static and Label, a widget's render(), OptionList and Select options,
DataTable cells, toggle and button labels, and notifications. Styling is still possible,
on purpose, with Content objects (Content.styled, Content.assemble, or an explicit
Content.from_markup of a fixed string the code owns).
"""

from typing import Any

from rich.text import Text
from textual import app as textual_app
from textual import widget as textual_widget
from textual.content import Content
from textual.widgets import Label, OptionList, Static
from textual.widgets import _data_table as data_table

_INSTALLED = False


def plain_cell(obj: object, wrap: bool = True, height: int = 0) -> Any:
    """DataTable's cell formatter, with a string cell shown as it is."""
    if isinstance(obj, str):
        return Text(obj, no_wrap=not wrap, end="")
    return _textual_cell(obj, wrap, height)


_textual_cell = data_table.default_cell_formatter


def _markup_off(function: Any) -> None:
    defaults = function.__kwdefaults__
    assert defaults is not None and "markup" in defaults, function
    defaults["markup"] = False


def install() -> None:
    """Make plain text the default everywhere in Textual (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    for function in (
        textual_widget.Widget.__init__,
        textual_widget.Widget.notify,
        Static.__init__,
        Label.__init__,
        OptionList.__init__,
        textual_app.App.notify,
    ):
        _markup_off(function)
    from_text = Content.from_text.__func__  # type: ignore[attr-defined]
    from_text.__defaults__ = (False,)
    data_table.default_cell_formatter = plain_cell
    _INSTALLED = True
