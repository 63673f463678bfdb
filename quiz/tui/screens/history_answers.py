"""One session of the history: every answer, the question, what was given, right or
wrong, how long it took and the rating; x exports them as CSV."""

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.answering import RATING_NAMES
from quiz.services.format import KIND_NAMES, duration_text, local_time, percent, short
from quiz.services.history import ANSWER_FIELDS, AnswerRow, SessionRow, session_answers
from quiz.services.profiles import ProfileInfo
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.history_export import ExportMixin, export_name
from quiz.tui.widgets.charts import accuracy_style, line


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
            f" of {local_time(row.started_at, self.context.tz)}, {duration_text(row.seconds)}: ",
            (f"{row.answered}", "bold"),
            " answered, ",
            (f"{row.correct}", "bold"),
            " right",
        ]
        if row.accuracy is not None:
            parts += [" (", (percent(row.accuracy), accuracy_style(row.accuracy)), ")"]
        if row.score is not None:
            parts += [", score ", (percent(row.score), f"bold {accuracy_style(row.score)}")]
        return line(*parts)

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · session {self.row.session_id}"
        table = self.query_one("#answers", DataTable)
        table.focus()
        table.loading = True
        self.load()

    @work(exclusive=True, group="session")
    async def load(self) -> None:
        answers = await background(
            self, session_answers, self.context.database, self.profile, self.row.session_id
        )
        if not (isinstance(answers, Failed) and answers.error is None):  # None: gone
            self.call_later(self.show_answers, answers)  # on the screen's own queue

    def show_answers(self, answers: list[AnswerRow] | Failed) -> None:
        table = self.query_one("#answers", DataTable)
        table.loading = False
        if isinstance(answers, Failed):
            return  # the learner has been told
        self.answers = answers
        for answer in answers:
            rating = RATING_NAMES.get(answer.rating, "–") if answer.rating else "–"
            table.add_row(
                local_time(answer.answered_at, self.context.tz, fmt="%H:%M:%S"),
                short(answer.prompt, 34),
                short(answer.answer, 22),
                Content.styled("✓ right", "$text-success")
                if answer.correct
                else Content.styled("✗ wrong", "$text-error"),
                f"{answer.duration_ms / 1000:.1f} s",
                rating,
                key=str(answer.answer_id),
            )
        if not answers:
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
        answers = list(self.answers or [])
        self.export(
            export_name(self.profile, self.context.now(), f"session{self.row.session_id}"),
            ANSWER_FIELDS,
            lambda: [a.to_dict() for a in answers],
        )
