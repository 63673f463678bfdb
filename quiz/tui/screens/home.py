"""The home screen: every deck with its question count."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.database import Database
from quiz.services.decks import DeckSummary, deck_summaries


class HomeScreen(Screen[None]):
    """Lists the decks; counts are loaded in a worker thread."""

    DEFAULT_CSS = """
    HomeScreen #decks { height: 1fr; }
    HomeScreen #status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="home.refresh"),
    ]

    class DecksLoaded(Message):
        """Posted by the loading worker with the deck summaries."""

        def __init__(self, decks: list[DeckSummary]) -> None:
            super().__init__()
            self.decks = decks

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str | int] = DataTable(id="decks", cursor_type="row")
        table.add_column("Deck", key="title")
        table.add_column("Questions", key="questions")
        yield table
        yield Static("Loading decks…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reload the deck counts."""
        self.query_one("#decks", DataTable).loading = True
        self.load_decks()

    @work(thread=True, exclusive=True, group="home")
    def load_decks(self) -> None:
        self.post_message(self.DecksLoaded(deck_summaries(self.database)))

    @on(DecksLoaded)
    def show_decks(self, message: DecksLoaded) -> None:
        table = self.query_one("#decks", DataTable)
        table.loading = False
        table.clear()
        for deck in message.decks:
            table.add_row(deck.title, deck.questions, key=deck.name)
        total = sum(d.questions for d in message.decks)
        status = self.query_one("#status", Static)
        if message.decks:
            status.update(f"{len(message.decks)} deck(s), {total} questions. Press ? for keys.")
        else:
            status.update("No decks yet: import one with `quiz bank import FILE.yaml`.")
