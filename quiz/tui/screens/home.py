"""The home screen: the decks with the current profile's counts, streak and today's work.

It is the first frame: this module imports Textual only; the counts come from
`home_data` (the services) in a worker, with a loading state until they arrive."""

import time
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext

if TYPE_CHECKING:
    from quiz.services.exam_plan import ExamPlan
    from quiz.services.profiles import ProfileInfo
    from quiz.services.progress import DeckProgress
    from quiz.tui.screens.exam import ExamSetup
    from quiz.tui.screens.home_data import HomeData

ALL_DECKS = "__all__"
# usable once the counts have loaded (the database is open then)
WAIT_FOR_DECKS = frozenset(
    {"study", "study_all", "browse", "mock_exam", "import_questions", "export_questions"}
)


def buried_note(buried: int) -> str:
    """Why fewer cards are left: siblings of cards rated today wait (Anki's burying)."""
    cards = "1 card waits" if buried == 1 else f"{buried} cards wait"
    return f"{cards} for tomorrow: siblings of a card rated today (same fact)"


class HomeScreen(Screen[None]):
    """Lists the decks with new, learning and due counts; counts load in a worker.
    Enter studies the highlighted deck."""

    DEFAULT_CSS = """
    HomeScreen #decks { height: 1fr; }
    HomeScreen #today { height: auto; padding: 1 1; }
    HomeScreen #status { height: auto; padding: 0 1; color: $text-muted; }
    HomeScreen #exam { height: auto; padding: 0 1 1 1; display: none; }
    """
    HELP_UNLISTED = frozenset({"home.manage_drills"})  # a student never sees it
    BINDINGS = [
        Binding("enter", "study", "Study", priority=True, id="home.study"),
        Binding("a", "study_all", "Study all decks", show=False, id="home.study_all"),
        Binding("d", "drills", "Drills", id="home.drills"),
        Binding("m", "mock_exam", "Exam", tooltip="a timed mock exam", id="home.mock_exam"),
        Binding("h", "history", "History", id="home.history"),
        Binding("s", "statistics", "Stats", id="home.statistics"),
        Binding("b", "browse", "Browse", id="home.browse"),
        Binding("c", "settings", "Settings", id="home.settings"),
        Binding(
            "M",
            "manage_drills",
            "Teach",
            tooltip="manage drills: create, edit, delete; reports",
            id="home.manage_drills",
        ),
        Binding("q", "app.back", "Quit", tooltip="asks first", id="home.quit"),
        # In the status line, help (?) and the palette; the footer has no room at 80 columns:
        Binding(
            "plus",
            "study_more",
            "Study more today",
            key_display="+",
            show=False,
            id="home.study_more",
        ),
        Binding("e", "exam_date", "Exam date", show=False, id="home.exam_date"),
        Binding("x", "exam_cram", "Exam cram", show=False, id="home.exam_cram"),
        Binding("p", "app.switch_profile", "Switch profile", show=False, id="home.profile"),
        Binding("t", "app.change_theme", "Theme", show=False, id="home.theme"),
        Binding(
            "r", "refresh", "Reload", tooltip="counts and settings", show=False, id="home.refresh"
        ),
        Binding(
            "i",
            "import_questions",
            "Import questions…",
            tooltip="Anki, CSV/TSV or Moodle GIFT",
            show=False,
            id="home.import",
        ),
        Binding(
            "o",
            "export_questions",
            "Export questions…",
            tooltip="Anki, CSV/TSV, GIFT or JSON",
            show=False,
            id="home.export",
        ),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.data: HomeData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="today")
        yield Static("", id="exam")
        table: DataTable[str | int] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        table.add_column("Deck", key="title")
        table.add_column("Questions", key="questions")
        table.add_column("New", key="new")
        table.add_column("Learning", key="learning")
        table.add_column("Due", key="due")
        table.add_column("Studied today", key="studied")
        yield table
        yield Static("Loading decks…", id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # "Loading decks…" (#status) says the counts are coming: no animated indicator,
        # which would take the GIL from the worker opening the database meanwhile
        if self.context.first_paint_at is None:
            self.call_after_refresh(self._first_painted)
        if self.context.profile is not None:
            self.action_refresh()

    class Painted(Message):
        """Home's first frame is on the screen (the app then opens the database)."""

    def _first_painted(self) -> None:
        self.context.first_paint_at = time.time()
        self.post_message(self.Painted())

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "manage_drills":
            return self.context.teacher is not None  # a student never sees it
        if action in WAIT_FOR_DECKS and self.data is None:
            return None  # shown, but not yet usable
        if (
            action in ("history", "statistics", "settings", "study_more")
            and self.context.profile is None
        ):
            return None
        return True

    def action_refresh(self) -> None:
        """Reload the deck counts."""
        profile = self.context.profile
        if profile is None:
            return
        if self.data is None:
            self.query_one("#status", Static).update("Loading decks…")
        self.load_decks(profile)

    @work(exclusive=True, group="home")
    async def load_decks(self, profile: "ProfileInfo") -> None:
        from quiz.tui.screens.home_data import load_home

        data = await background(self, load_home, self.context, profile)
        if not (isinstance(data, Failed) and data.error is None):  # None: replaced
            self.call_later(self.show_decks, data)  # on the screen's own queue

    def show_decks(self, data: "HomeData | Failed") -> None:
        table = self.query_one("#decks", DataTable)
        table.loading = False
        if isinstance(data, Failed):  # the learner has been told
            self.query_one("#status", Static).update("r loads the decks again.")
            return
        self.data = data
        current = self.context.profile
        if current is not None and current.id == data.profile.id:
            self.context.profile = data.profile  # as stored now (r reloads the settings)
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
        exam = self.query_one("#exam", Static)
        exam.display = data.plan is not None
        if data.plan is not None:
            exam.update(self._exam_lines(data.plan))
        status = self.query_one("#status", Static)
        if data.decks:
            total = sum(d.questions for d in data.decks)
            status.update(
                f"{len(data.decks)} deck(s), {total} questions · Enter: study this deck · "
                "i/o: import/export\n"
                "a: study all · +: more today · e: exam date · p: profile · r: reload"
            )
        else:
            status.update(
                "No decks yet: i imports a file (Anki, CSV, Moodle GIFT), or use "
                "`quiz bank import FILE.yaml`."
            )
        self.refresh_bindings()
        if self.context.ready_at is None:
            self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        self.context.ready_at = time.time()
        if self.context.exit_when_ready:
            self.app.exit()

    @staticmethod
    def _today_line(data: "HomeData") -> Content:
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
        if data.study_day:
            parts.append((f"\n{data.study_day}", "$text-muted"))
        buried = sum(d.buried for d in data.decks)
        if buried:
            parts.append((f"\n{buried_note(buried)}", "$text-muted"))
        return Content.assemble(*parts)

    @staticmethod
    def _exam_lines(plan: "ExamPlan") -> Content:
        days = "day" if plan.days_left == 1 else "days"
        lines = [
            Content.assemble(
                "exam ",
                (plan.exam_date.isoformat(), "bold"),
                "   ",
                (f"{plan.days_left} {days} left", "bold $text-warning"),
                "   cards to see before it ",
                (str(plan.cards_to_see), "bold"),
                f" (about {plan.cards_per_day} a day)" if plan.days_left else "",
            )
        ]
        lines += [Content.styled(note, "$text-muted") for note in plan.notes]
        if plan.forecast is not None:
            lines.append(Content(f"{plan.forecast.line()} x: exam cram"))
        return Content("\n").join(lines)

    def _selected_deck(self) -> "DeckProgress | None":
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
        """Open the review screen; with nothing left today it says why (done, cards later
        today, or a daily limit reached) and how to study more."""
        from quiz.services.reviewing import StudyRun
        from quiz.tui.screens.review import ReviewScreen

        run = StudyRun(self.context.require_profile(), "review", deck_id)
        self.app.push_screen(ReviewScreen(self.context, run, title))

    def action_browse(self) -> None:
        """Search the questions, see their schedule, suspend cards."""
        from quiz.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.context))

    def action_history(self) -> None:
        """Your sessions, drills and exams with their scores; export them as CSV."""
        from quiz.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.context))

    def action_statistics(self) -> None:
        """Charts: answers per day, streak calendar, retention, due forecast, mastery."""
        from quiz.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen(self.context))

    def action_drills(self) -> None:
        """The drills your teacher set: take one, see your results."""
        from quiz.tui.screens.drills import DrillsScreen

        if self.context.profile is not None:
            self.app.push_screen(DrillsScreen(self.context))

    def action_mock_exam(self) -> None:
        """A timed mock exam across topics, then a graded report."""
        from quiz.tui.screens.exam import ExamSetupScreen

        deck = self._selected_deck()
        self.app.push_screen(
            ExamSetupScreen(None if deck is None else (deck.deck_id, deck.title)),
            self._start_exam,
        )

    async def _start_exam(self, setup: "ExamSetup | None") -> None:
        from quiz.services.mock_exam import start_exam
        from quiz.tui.screens.attempt import AttemptScreen
        from quiz.tui.screens.exam import EXAM

        if setup is None:
            return
        paper = await background(
            self,
            start_exam,
            self.context.database,
            self.context.require_profile(),
            self.context.now(),
            setup.count,
            setup.minutes,
            setup.deck_id,
            self.context.fuzz_seed(),
        )
        if isinstance(paper, Failed):
            return
        self.app.push_screen(AttemptScreen(self.context, paper, EXAM))

    def action_exam_date(self) -> None:
        """Set or clear the date of your exam."""
        from quiz.tui.screens.exam import ExamDateScreen

        if self.context.profile is not None:
            self.app.push_screen(ExamDateScreen(self.context), self._exam_date_set)

    async def action_exam_cram(self) -> None:
        """With an exam date: the cards most likely forgotten by the exam, those first."""
        from quiz.services.cram import cram_cards
        from quiz.tui.screens.cram import CRAM_CARDS, CramScreen

        profile = self.context.profile
        if profile is None or profile.exam_date is None:
            self.notify("Set an exam date first (e).", timeout=4)
            return
        cards = await background(
            self, cram_cards, self.context.database, profile, self.context.now(), CRAM_CARDS
        )
        if not isinstance(cards, Failed):
            self.app.push_screen(CramScreen(self.context, cards))

    def action_study_more(self) -> None:
        """Custom study: allow more new cards today than the daily setting."""
        from quiz.tui.screens.study_more import StudyMoreScreen

        if self.context.profile is not None:
            self.app.push_screen(StudyMoreScreen(self.context), self._exam_date_set)

    def action_settings(self) -> None:
        """Your study settings: new cards and reviews a day, retention, day start, zone."""
        from quiz.tui.screens.settings import SettingsScreen

        if self.context.profile is not None:
            self.app.push_screen(SettingsScreen(self.context), self._exam_date_set)

    def _exam_date_set(self, changed: bool | None) -> None:
        if changed:
            self.action_refresh()

    def action_import_questions(self) -> None:
        """Import a file from Anki, a spreadsheet or Moodle: dry run, then import."""
        from quiz.tui.screens.import_file import ImportScreen

        self.app.push_screen(ImportScreen(self.context))

    def action_export_questions(self) -> None:
        """Export questions to Anki, CSV/TSV, Moodle GIFT or our JSON."""
        from quiz.tui.screens.export_file import ExportScreen

        self.app.push_screen(ExportScreen(self.context))

    def action_manage_drills(self) -> None:
        """Teacher: create, edit and delete drills, and see their reports."""
        if self.context.teacher is None:
            return
        from quiz.tui.screens.teacher import ManageDrillsScreen

        self.app.push_screen(ManageDrillsScreen(self.context))

    def profile_changed(self) -> None:
        """The app opened another profile: forget the old counts and load the new ones."""
        shown, self.data = self.data, None
        if not self.is_mounted:
            return  # on_mount loads the counts
        if shown is not None:  # (else nothing is shown yet: the first profile of a start)
            self.query_one("#decks", DataTable).clear()
            self.query_one("#today", Static).update("")
        self.refresh_bindings()
        self.action_refresh()
