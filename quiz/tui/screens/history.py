"""The history screen: the current learner's sessions (reviews, drills, exams, revision),
newest first and paged; Enter opens one to list every answer; x exports as CSV.

The services take the profile, so a learner only ever sees their own sessions."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.errors import QuizError
from quiz.services.answering import RATING_NAMES
from quiz.services.history import AnswerRow, SessionRow, history, session_answers
from quiz.services.profiles import ProfileInfo
from quiz.tui.context import StudyContext
from quiz.tui.widgets.charts import MUTED, accuracy_style, line

PAGE_SIZE = 20
KIND_NAMES = {"review": "Review", "drill": "Drill", "exam": "Mock exam", "revision": "Revision"}


def local_time(moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone().strftime(fmt)


def duration(seconds: float) -> str:
    """12 s, 1 min 30 s, 25 min, 1 h 05 min."""
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, rest = divmod(total, 60)
    if minutes < 10:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def percent_cell(rate: float | None) -> Content:
    if rate is None:
        return Content.styled("–", MUTED)
    return Content.styled(f"{round(rate * 100)}%", accuracy_style(rate))


def response_text(response: dict[str, Any]) -> str:
    """What was typed or chosen, in one line."""
    if "typed" in response:
        return str(response["typed"])
    if "gaps" in response:
        return " / ".join(str(g) for g in response["gaps"])
    if "selected" in response:
        return ", ".join(str(s) for s in response["selected"])
    if "truth" in response:
        return "True" if response["truth"] else "False"
    if "order" in response:
        return " → ".join(str(o) for o in response["order"])
    if response.get("revealed"):
        return "(card turned)"
    if not response:
        return "(no answer)"
    return json.dumps(response, ensure_ascii=False)


def short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def export_name(profile: ProfileInfo, now: datetime, what: str) -> str:
    return f"quiz-{what}-{profile.name}-{now.astimezone():%Y%m%d-%H%M%S}.csv"


def export_csv(path: Path, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> Path:
    """Write rows as the CLI's `quiz history --csv` does (same writer, same columns)."""
    from quiz.services.history import write_csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        write_csv(rows, fields, out)
    return path


@dataclass(frozen=True)
class HistoryPage:
    offset: int
    rows: list[SessionRow]
    more: bool

    @property
    def page(self) -> int:
        return self.offset // PAGE_SIZE + 1


class ExportMixin(Screen[None]):
    """A worker that writes a CSV file and notifies where it went."""

    export_dir: Path

    class Exported(Message):
        def __init__(self, path: Path | None, count: int, error: str | None = None) -> None:
            super().__init__()
            self.path = path
            self.count = count
            self.error = error

    @work(thread=True, exclusive=True, group="export")
    def export(
        self, name: str, fields: tuple[str, ...], rows: Callable[[], list[dict[str, Any]]]
    ) -> None:
        try:
            data = rows()
            path = export_csv(self.export_dir / name, data, fields)
        except (OSError, QuizError) as error:
            self.post_message(self.Exported(None, 0, str(error)))
            return
        self.post_message(self.Exported(path, len(data)))

    @on(Exported)
    def exported(self, message: Exported) -> None:
        if message.path is None:
            self.notify(
                f"Could not export: {message.error}. Check that the folder is writable.",
                severity="error",
            )
            return
        self.notify(
            f"{message.count} row(s) written to {message.path}", title="Exported", timeout=8
        )


class HistoryScreen(ExportMixin):
    """The learner's sessions, newest first, PAGE_SIZE a page."""

    DEFAULT_CSS = """
    HistoryScreen #summary { height: auto; padding: 0 1; }
    HistoryScreen #sessions { height: 1fr; }
    HistoryScreen #page { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open session", priority=True, id="history.open"),
        Binding("n", "page(1)", "Next page", id="history.next"),
        Binding("p", "page(-1)", "Previous page", id="history.previous"),
        Binding("x", "export", "Export CSV", id="history.export"),
        Binding("r", "refresh", "Refresh", id="history.refresh"),
        Binding("escape", "leave", "Back", id="history.leave"),
    ]

    class PageLoaded(Message):
        """Posted by the loading worker with one page of sessions."""

        def __init__(self, page: HistoryPage) -> None:
            super().__init__()
            self.page = page

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

    @work(thread=True, exclusive=True, group="history")
    def load(self, offset: int) -> None:
        rows = history(self.context.database, self.profile, limit=PAGE_SIZE + 1, offset=offset)
        self.post_message(
            self.PageLoaded(HistoryPage(offset, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE))
        )

    @on(PageLoaded)
    def show_page(self, message: PageLoaded) -> None:
        page = self.page = message.page
        self.first_row = page.offset
        table = self.query_one("#sessions", DataTable)
        table.loading = False
        cursor = table.cursor_row
        table.clear()
        for row in page.rows:
            table.add_row(
                local_time(row.started_at),
                KIND_NAMES.get(row.kind, row.kind),
                duration(row.seconds),
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
        from quiz.services.history import SESSION_FIELDS

        database, profile = self.context.database, self.profile
        self.export(
            export_name(profile, self.context.now(), "history"),
            SESSION_FIELDS,
            lambda: [s.to_dict() for s in history(database, profile, limit=None)],
        )


class SessionScreen(ExportMixin):
    """Every answer of one session: the question, what was given, right or wrong, how
    long it took and the rating."""

    DEFAULT_CSS = """
    SessionScreen #about { height: auto; padding: 0 1 1 1; }
    SessionScreen #answers { height: 1fr; }
    SessionScreen #hint { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("x", "export", "Export CSV", id="session.export"),
        Binding("escape", "leave", "Back", id="session.leave"),
    ]

    class AnswersLoaded(Message):
        def __init__(self, answers: list[AnswerRow] | None, error: str | None = None) -> None:
            super().__init__()
            self.answers = answers
            self.error = error

    def __init__(self, context: StudyContext, row: SessionRow, export_dir: Path) -> None:
        super().__init__()
        self.context = context
        self.profile: ProfileInfo = context.require_profile()
        self.row = row
        self.export_dir = export_dir
        self.answers: list[AnswerRow] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._about(), id="about")
        table: DataTable[str | int | Content] = DataTable(
            id="answers", cursor_type="row", zebra_stripes=True
        )
        table.add_column("Time", key="time")
        table.add_column("Question", key="question", width=34)
        table.add_column("Given", key="given", width=22)
        table.add_column("Result", key="result", width=8)
        table.add_column("Took", key="took")
        table.add_column("Rating", key="rating")
        yield table
        yield Static("Esc: back to the sessions · x: export these answers as CSV", id="hint")
        yield Footer()

    def _about(self) -> Content:
        row = self.row
        kind = KIND_NAMES.get(row.kind, row.kind)
        parts: list[tuple[str, str] | str] = [
            (f"{kind} session", "bold"),
            f" of {local_time(row.started_at)}, {duration(row.seconds)}: ",
            (f"{row.answered}", "bold"),
            " answered, ",
            (f"{row.correct}", "bold"),
            " right",
        ]
        if row.accuracy is not None:
            parts += [" (", (f"{round(row.accuracy * 100)}%", accuracy_style(row.accuracy)), ")"]
        if row.score is not None:
            parts += [
                ", score ",
                (f"{round(row.score * 100)}%", f"bold {accuracy_style(row.score)}"),
            ]
        return line(*parts)

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · session {self.row.session_id}"
        table = self.query_one("#answers", DataTable)
        table.focus()
        table.loading = True
        self.load()

    @work(thread=True, exclusive=True, group="session")
    def load(self) -> None:
        try:
            answers = session_answers(self.context.database, self.profile, self.row.session_id)
        except QuizError as error:
            self.post_message(self.AnswersLoaded(None, str(error)))
            return
        self.post_message(self.AnswersLoaded(answers))

    @on(AnswersLoaded)
    def show_answers(self, message: AnswersLoaded) -> None:
        table = self.query_one("#answers", DataTable)
        table.loading = False
        if message.answers is None:
            self.notify(f"{message.error}.", severity="error")
            return
        self.answers = message.answers
        for answer in message.answers:
            rating = RATING_NAMES.get(answer.rating, "–") if answer.rating else "–"
            table.add_row(
                local_time(answer.answered_at, "%H:%M:%S"),
                short(answer.prompt, 34),
                short(response_text(answer.response), 22),
                Content.styled("✓ right", "$text-success")
                if answer.correct
                else Content.styled("✗ wrong", "$text-error"),
                f"{answer.duration_ms / 1000:.1f} s",
                rating,
                key=str(answer.answer_id),
            )
        if not message.answers:
            self.query_one("#hint", Static).update("No answers in this session.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return bool(self.answers) or None
        return True

    def action_leave(self) -> None:
        """Back to the list of sessions."""
        self.dismiss()

    def action_export(self) -> None:
        """Write this session's answers to a CSV file."""
        from quiz.services.history import ANSWER_FIELDS

        answers = list(self.answers or [])
        self.export(
            export_name(self.profile, self.context.now(), f"session{self.row.session_id}"),
            ANSWER_FIELDS,
            lambda: [a.to_dict() for a in answers],
        )
