"""The history screen: the current learner's sessions (reviews, drills, exams, revision),
newest first and paged; Enter opens one to list every answer (`history_answers`); x
exports as CSV.

The services take the profile, so a learner only ever sees their own sessions."""

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.format import KIND_NAMES, duration_text, local_time, percent
from quiz.services.history import SESSION_FIELDS, SessionRow, history
from quiz.services.profiles import ProfileInfo
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.history_answers import SessionScreen as SessionScreen
from quiz.tui.screens.history_export import ExportMixin, export_name
from quiz.tui.widgets.charts import MUTED, accuracy_style

PAGE_SIZE = 20


def percent_cell(rate: float | None) -> Content:
    if rate is None:
        return Content.styled("–", MUTED)
    return Content.styled(percent(rate), accuracy_style(rate))


@dataclass(frozen=True)
class HistoryPage:
    offset: int
    rows: list[SessionRow]
    more: bool

    @property
    def page(self) -> int:
        return self.offset // PAGE_SIZE + 1


def history_page(context: StudyContext, profile: ProfileInfo, offset: int) -> HistoryPage:
    """One page of the profile's sessions (blocking: run it in a worker)."""
    rows = history(context.database, profile, limit=PAGE_SIZE + 1, offset=offset)
    return HistoryPage(offset, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE)


class HistoryScreen(ExportMixin):
    """The learner's sessions, newest first, PAGE_SIZE a page."""

    DEFAULT_CSS = """
    HistoryScreen #summary { height: auto; padding: 0 1; }
    HistoryScreen #sessions { height: 1fr; }
    HistoryScreen #page { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding(
            "enter", "open", "Open", tooltip="a session's answers", priority=True, id="history.open"
        ),
        Binding("n", "page(1)", "Next page", id="history.next"),
        Binding("p", "page(-1)", "Prev page", id="history.previous"),
        Binding("x", "export", "Export CSV", id="history.export"),
        Binding("r", "refresh", "Refresh", id="history.refresh"),
        Binding("escape", "leave", "Back", id="history.leave"),
    ]

    def __init__(self, context: StudyContext, export_dir: Path | None = None) -> None:
        super().__init__()
        self.context = context
        self.profile: ProfileInfo = context.require_profile()
        self.export_dir = export_dir or Path.cwd()
        self.first_row = 0
        self.page: HistoryPage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary")
        table: DataTable[str | int | Content] = DataTable(
            id="sessions", cursor_type="row", zebra_stripes=True
        )
        table.add_column("Started", key="started")
        table.add_column("Kind", key="kind")
        table.add_column("Took", key="took")
        table.add_column("Answered", key="answered")
        table.add_column("Right", key="right")
        table.add_column("Accuracy", key="accuracy")
        table.add_column("Score", key="score")
        yield table
        yield Static("Loading…", id="page")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · history"
        self.query_one("#sessions", DataTable).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reload the sessions."""
        self.query_one("#sessions", DataTable).loading = self.page is None
        self.load(self.first_row)

    @work(exclusive=True, group="history")
    async def load(self, offset: int) -> None:
        page = await background(self, history_page, self.context, self.profile, offset)
        if not (isinstance(page, Failed) and page.error is None):  # None: replaced, or gone
            self.call_later(self.show_page, page)  # on the screen's own queue, if it is there

    def show_page(self, page: HistoryPage | Failed) -> None:
        table = self.query_one("#sessions", DataTable)
        table.loading = False
        if isinstance(page, Failed):
            return  # the learner has been told
        self.page = page
        self.first_row = page.offset
        cursor = table.cursor_row
        table.clear()
        for row in page.rows:
            table.add_row(
                local_time(row.started_at, self.context.tz),
                KIND_NAMES.get(row.kind, row.kind),
                duration_text(row.seconds),
                row.answered,
                row.correct,
                percent_cell(row.accuracy),
                percent_cell(row.score),
                key=str(row.session_id),
            )
        if page.rows:
            table.move_cursor(row=min(cursor, len(page.rows) - 1))
        summary = self.query_one("#summary", Static)
        status = self.query_one("#page", Static)
        if page.rows:
            first, last = page.offset + 1, page.offset + len(page.rows)
            summary.update(
                Content.assemble(
                    (self.profile.name, "bold"),
                    ("'s sessions, newest first. Enter lists a session's answers.", MUTED),
                )
            )
            status.update(
                f"Sessions {first}-{last} · page {page.page}"
                + (" · n: next page" if page.more else "")
                + (" · p: previous page" if page.page > 1 else "")
                + " · x: export CSV"
            )
        else:
            summary.update(Content.styled("No sessions yet.", MUTED))
            status.update("Study a deck from the home screen (Enter), and it appears here.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = self.page
        if action == "page":
            if page is None:
                return None
            step = parameters[0] if parameters else 0
            return (page.more if step == 1 else page.page > 1) or None
        if action in ("open", "export"):
            return bool(page and page.rows) or None
        return True

    def action_page(self, step: int) -> None:
        """Show the next or previous page."""
        self.first_row = max(0, self.first_row + step * PAGE_SIZE)
        self.load(self.first_row)

    def action_leave(self) -> None:
        """Back to the home screen."""
        self.dismiss()

    def current(self) -> SessionRow | None:
        table = self.query_one("#sessions", DataTable)
        if self.page is None or not self.page.rows:
            return None
        return self.page.rows[min(table.cursor_row, len(self.page.rows) - 1)]

    def action_open(self) -> None:
        """List every answer of the highlighted session."""
        row = self.current()
        if row is not None:
            self.app.push_screen(SessionScreen(self.context, row, self.export_dir))

    @on(DataTable.RowSelected, "#sessions")
    def clicked(self) -> None:
        self.action_open()

    def action_export(self) -> None:
        """Write every session of this learner to a CSV file."""
        database, profile = self.context.database, self.profile
        self.export(
            export_name(profile, self.context.now(), "history"),
            SESSION_FIELDS,
            lambda: [s.to_dict() for s in history(database, profile, limit=None)],
        )
