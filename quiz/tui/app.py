"""The Textual application and its factory, used by the CLI and by the tests."""

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quiz.services.database import Database
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen


class QuizApp(App[None]):
    """The quiz app: opens on the home screen with the decks of `database`."""

    TITLE = "quiz"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
    ]

    def __init__(self, database: Database, profile_name: str | None = None) -> None:
        super().__init__()
        self.database = database
        self.profile_name = profile_name

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.database))

    def action_help(self) -> None:
        """Show every key of the current screen."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key binding of the screen is also a command in the palette."""
        yield from super().get_system_commands(screen)
        seen = {"quit"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.description and binding.action not in seen and active.enabled:
                seen.add(binding.action)
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or f"key: {binding.key_display or binding.key}",
                    partial(self.run_action, binding.action, active.node),
                )


def make_app(database: Database, profile_name: str | None = None) -> QuizApp:
    """Build the app for an open database (the CLI and the tests both use this)."""
    return QuizApp(database, profile_name)
