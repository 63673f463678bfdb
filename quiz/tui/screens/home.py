"""The home screen: the decks with the current profile's counts, streak and today's work."""

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.profiles import ProfileInfo
from quiz.services.study import (
    DeckProgress,
    TodayStats,
    deck_progress,
    study_streak,
    sync_cards,
    today_stats,
)
from quiz.tui.context import StudyContext

ALL_DECKS = "__all__"


@dataclass(frozen=True)
class HomeData:
    """Everything the home screen shows for one profile."""

    profile: ProfileInfo
    decks: list[DeckProgress]
    streak: int
    today: TodayStats


def load_home(context: StudyContext, profile: ProfileInfo) -> HomeData:
    """Sync the profile's cards with the questions, then read the counts (blocking)."""
    now = context.now()
    database = context.database
    sync_cards(database, profile.id)
    return HomeData(
        profile,
        deck_progress(database, profile, now),
        study_streak(database, profile, now),
        today_stats(database, profile, now),
    )


class HomeScreen(Screen[None]):
    """Lists the decks with new, learning and due counts; counts load in a worker thread.
    Enter studies the highlighted deck."""

    DEFAULT_CSS = """
    HomeScreen #decks { height: 1fr; }
    HomeScreen #today { height: auto; padding: 1 1; }
    HomeScreen #status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "study", "Study deck", priority=True, id="home.study"),
        Binding("a", "study_all", "Study all decks", id="home.study_all"),
        Binding("b", "browse", "Browse", id="home.browse"),
        Binding("p", "app.switch_profile", "Switch profile", id="home.profile"),
        Binding("t", "app.change_theme", "Theme", id="home.theme"),
        Binding("r", "refresh", "Refresh", id="home.refresh"),
        Binding("m", "manage_drills", "Manage drills", id="home.manage_drills"),
    ]

    class DecksLoaded(Message):
        """Posted by the loading worker with the profile's deck counts."""

        def __init__(self, data: HomeData) -> None:
            super().__init__()
            self.data = data

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.data: HomeData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="today")
        table: DataTable[str | int] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.add_column("Deck", key="title")
        table.add_column("Questions", key="questions")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Due", key="due")
        table.add_column("Studied today", key="studied")
        yield table
        yield Static("Loading decks…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.context.profile is not None:
            self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "manage_drills":
            return self.context.teacher is not None  # a student never sees it
        if action in ("study", "study_all", "browse") and self.data is None:
            return None  # shown, but not yet usable
        return True

    def action_refresh(self) -> None:
        """Reload the deck counts."""
        profile = self.context.profile
        if profile is None:
            return
        self.query_one("#decks", DataTable).loading = self.data is None
        self.load_decks(profile)

    @work(thread=True, exclusive=True, group="home")
    def load_decks(self, profile: ProfileInfo) -> None:
        self.post_message(self.DecksLoaded(load_home(self.context, profile)))

    @on(DecksLoaded)
    def show_decks(self, message: DecksLoaded) -> None:
        data = self.data = message.data
        table = self.query_one("#decks", DataTable)
        table.loading = False
        cursor = table.cursor_row
        table.clear()
        for deck in data.decks:
            table.add_row(
                deck.title,
                deck.questions,
                deck.new,
                deck.learning,
                deck.due,
                deck.studied_today,
                key=str(deck.deck_id),
            )
        if data.decks:
            table.move_cursor(row=min(cursor, len(data.decks) - 1))
        self.query_one("#today", Static).update(self._today_line(data))
        status = self.query_one("#status", Static)
        if data.decks:
            total = sum(d.questions for d in data.decks)
            status.update(
                f"{len(data.decks)} deck(s), {total} questions. "
                "Enter studies the highlighted deck; ? lists every key."
            )
        else:
            status.update("No decks yet: import one with `quiz bank import FILE.yaml`.")
        self.refresh_bindings()

    @staticmethod
    def _today_line(data: HomeData) -> Content:
        today = data.today
        days = "day" if data.streak == 1 else "days"
        parts: list[tuple[str, str] | str] = [
            (data.profile.name, "bold"),
            "   streak ",
            (f"{data.streak} {days}", "bold $text-accent"),
            "   today ",
            (f"{today.answers} answered", "bold"),
        ]
        if today.accuracy is not None:
            parts.append(f" ({round(today.accuracy * 100)}% right)")
        left = sum(d.new + d.learning + d.due for d in data.decks)
        parts += ["   left today ", (str(left), "bold")]
        if left == 0 and today.answers:
            parts.append(("   all done for today", "$text-success"))
        return Content.assemble(*parts)

    def _selected_deck(self) -> DeckProgress | None:
        table = self.query_one("#decks", DataTable)
        if self.data is None or not self.data.decks or table.row_count == 0:
            return None
        return self.data.decks[min(table.cursor_row, len(self.data.decks) - 1)]

    def action_study(self) -> None:
        """Study the highlighted deck."""
        deck = self._selected_deck()
        if deck is not None:
            self._study(deck.deck_id, deck.title, deck.new + deck.learning + deck.due)

    def action_study_all(self) -> None:
        """Study every deck in one session."""
        if self.data is not None:
            left = sum(d.new + d.learning + d.due for d in self.data.decks)
            self._study(None, "All decks", left)

    @on(DataTable.RowSelected, "#decks")
    def clicked(self) -> None:
        self.action_study()

    def _study(self, deck_id: int | None, title: str, left: int) -> None:
        if left == 0:
            self.notify(f"Nothing left to study in {title} today. Well done!", title="Done")
            return
        from quiz.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.context, deck_id, title))

    def action_browse(self) -> None:
        """Search the questions, see their schedule, suspend cards."""
        from quiz.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.context))

    def action_manage_drills(self) -> None:
        """Teacher: create, edit and delete drills, and see their reports."""
        if self.context.teacher is None:
            return
        from quiz.tui.screens.teacher import DrillsScreen

        self.app.push_screen(DrillsScreen(self.context))

    def profile_changed(self) -> None:
        """The app opened another profile: forget the old counts and load the new ones."""
        self.data = None
        if not self.is_mounted:
            return  # on_mount loads the counts
        self.query_one("#decks", DataTable).clear()
        self.query_one("#today", Static).update("")
        self.refresh_bindings()
        self.action_refresh()
