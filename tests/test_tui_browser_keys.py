"""Served in a browser (`quiz serve`), a key the browser keeps for itself never reaches the
app: Ctrl+W closes the tab, Ctrl+T and Ctrl+N open new ones. No binding of ours uses one."""

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import quiz.tui

BROWSER_KEYS = {
    "ctrl+w",
    "ctrl+t",
    "ctrl+n",
    "ctrl+shift+w",
    "ctrl+shift+t",
    "ctrl+shift+n",
    "ctrl+tab",
    "ctrl+shift+tab",
    "ctrl+pageup",
    "ctrl+pagedown",
    *(f"ctrl+{digit}" for digit in range(1, 10)),
}


def our_bindings() -> dict[str, list[str]]:
    """Each binding id (or class and action) declared in quiz.tui, with its keys."""
    found: dict[str, list[str]] = {}
    for module_info in pkgutil.walk_packages(quiz.tui.__path__, "quiz.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or not cls.__module__.startswith("quiz."):
                continue
            for binding in cls.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding), f"{cls.__name__}: bind with Binding(..., id=)"
                name = binding.id or f"{cls.__name__}.{binding.action}"
                found[name] = [key.strip().lower() for key in binding.key.split(",")]
    return found


def test_no_binding_uses_a_key_the_browser_keeps() -> None:
    bindings = our_bindings()
    assert len(bindings) > 40  # the walk found the screens
    reserved = {name: keys for name, keys in bindings.items() if BROWSER_KEYS & set(keys)}
    assert reserved == {}
