"""One student's attempt at a drill, answer by answer, for the teacher; while the attempt
is open it refreshes by itself, so the teacher watches the answers arrive."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.auth import Teacher
from quiz.services.drills import AttemptNow, attempt_now
from quiz.services.format import local_time, sentence, short
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext

LIVE_SECONDS = 3.0  # how often an open attempt is read again


def result_text(correct: bool | None, overridden: bool) -> Content:
    if correct is None:
        return Content.styled("– not yet", "dim")
    if overridden:
        return Content.styled("✓ claimed", "$text-warning")
    return (
        Content.styled("✓ right", "$text-success")
        if correct
        else Content.styled("✗ wrong", "$text-error")
    )


class StudentAttemptScreen(Screen[None]):
    """Attempt `attempt_id` question by question: what was given, right or wrong, when."""

    DEFAULT_CSS = """
    StudentAttemptScreen #attempt-about { height: auto; padding: 0 1 1 1; }
    StudentAttemptScreen #attempt-answers { height: 1fr; }
    StudentAttemptScreen #attempt-full { height: auto; padding: 0 1; }
    StudentAttemptScreen #attempt-status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("r", "refresh", "Refresh", id="student.refresh"),
        Binding("escape", "back", "Back", id="student.back"),
    ]
    live_seconds = LIVE_SECONDS

    def __init__(self, context: StudyContext, teacher: Teacher, attempt_id: int) -> None:
        super().__init__()
        self.context = context
        self.teacher = teacher
        self.attempt_id = attempt_id
        self.attempt: AttemptNow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="attempt-about")
        table: DataTable[str | int | Content] = DataTable(
            id="attempt-answers", cursor_type="row", zebra_stripes=True
        )
        table.add_column("#", key="n")
        table.add_column("Question", key="prompt", width=self._prompt_width())
        table.add_column("Given", key="given", width=18)
        table.add_column("Result", key="result", width=9)
        table.add_column("At", key="at")
        yield table
        yield Static("", id="attempt-full")
        yield Static("Loading the attempt…", id="attempt-status")
        yield Footer()

    def _prompt_width(self) -> int:
        return 30 if self.app.size.width < 100 else 44  # every column fits at 80 columns

    def on_mount(self) -> None:
        self.sub_title = "A student's attempt"
        self.query_one(DataTable).loading = True
        self.set_interval(self.live_seconds, self._tick)
        self.action_refresh()

    def _tick(self) -> None:
        if self.is_current and (self.attempt is None or self.attempt.state == "answering"):
            self.action_refresh()

    def action_refresh(self) -> None:
        """Read the attempt again."""
        self.load()

    @work(exclusive=True, group="attempt")
    async def load(self) -> None:
        seen = await background(
            self,
            attempt_now,
            self.context.database,
            self.teacher,
            self.attempt_id,
            self.context.now(),
            quiet=True,
        )
        if not (isinstance(seen, Failed) and seen.error is None):
            self.call_later(self.show, seen)

    def show(self, seen: AttemptNow | Failed) -> None:
        table = self.query_one(DataTable)
        table.loading = False
        status = self.query_one("#attempt-status", Static)
        if isinstance(seen, Failed):
            assert seen.error is not None
            status.update(f"{sentence(seen.error)} Press Esc to go back to the report.")
            return
        if seen == self.attempt:
            return  # nothing new: the cursor stays where the teacher left it
        self.attempt = seen
        self.sub_title = f"{seen.name} · attempt {seen.number}"
        self.query_one("#attempt-about", Static).update(
            Content.assemble(
                (seen.name, "bold"),
                f"  attempt {seen.number}, started {local_time(seen.started_at, self.context.tz)}",
                f", {seen.state}: ",
                (f"{seen.answered} of {len(seen.answers)}", "bold"),
                " answered, ",
                (f"{seen.right}", "bold"),
                " right",
            )
        )
        row = table.cursor_row
        table.clear()
        for number, answer in enumerate(seen.answers, 1):
            table.add_row(
                number,
                short(answer.prompt, self._prompt_width()),
                "" if answer.given is None else short(answer.given, 18),
                result_text(answer.correct, answer.overridden),
                ""
                if answer.answered_at is None
                else local_time(answer.answered_at, self.context.tz, fmt="%H:%M:%S"),
                key=str(answer.question_id),
            )
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))
        status.update(
            "Refreshes by itself while the student is answering. Esc: back to the report."
            if seen.state == "answering"
            else "Esc: back to the report."
        )

    @on(DataTable.RowHighlighted)
    def _full_text(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted question and answer in full (the table shortens them)."""
        if self.attempt is None or event.row_key.value is None:
            return
        answer = next(
            (a for a in self.attempt.answers if str(a.question_id) == event.row_key.value), None
        )
        if answer is not None:
            given = "(not answered yet)" if answer.given is None else answer.given
            self.query_one("#attempt-full", Static).update(
                Content.assemble((answer.prompt, "bold"), "  ", given)
            )

    def action_back(self) -> None:
        """Back to the drill report."""
        self.dismiss()
