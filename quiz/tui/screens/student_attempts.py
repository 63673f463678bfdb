"""For a teacher, from a drill's report: one student's attempts at the drill (timed-out ones
marked); Enter opens an attempt with every answer as the student gave it."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.drills import AttemptSummary, StudentRow, attempt_result, student_attempts
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.drill_start import attempt_cells
from quiz.tui.screens.drill_student import StudentAttemptScreen
from quiz.tui.screens.drills import DrillResultScreen


class StudentAttemptsScreen(Screen[None]):
    """`student`'s attempts at drill `drill_id`, newest last; Enter opens the highlighted
    one: a finished attempt's result, or an open attempt live, answer by answer."""

    DEFAULT_CSS = """
    StudentAttemptsScreen #who { height: auto; padding: 1 1; }
    StudentAttemptsScreen #attempts { height: 1fr; }
    StudentAttemptsScreen #attempts-status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open attempt", priority=True, id="student_attempts.open"),
        Binding("escape", "back", "Back", id="student_attempts.back"),
    ]

    def __init__(
        self, context: StudyContext, drill_id: int, drill_title: str, student: StudentRow
    ) -> None:
        super().__init__()
        self.context = context
        self.drill_id = drill_id
        self.drill_title = drill_title
        self.student = student
        self.attempts: list[AttemptSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Content.assemble((self.student.name, "bold"), " on ", (self.drill_title, "bold")),
            id="who",
        )
        table: DataTable[str] = DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "Started", "Score", "Result")
        yield table
        yield Static("Loading…", id="attempts-status")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = f"Report: {self.drill_title} · {self.student.name}"
        teacher = self.context.teacher
        if teacher is None:
            return
        found = await background(
            self, student_attempts, self.context.database, teacher, self.student.profile_id
        )
        if isinstance(found, Failed):
            return
        self.attempts = [a for a in found if a.drill_id == self.drill_id]
        table = self.query_one("#attempts", DataTable)
        for number, summary in enumerate(self.attempts, start=1):
            table.add_row(
                *attempt_cells(number, summary, self.context), key=str(summary.attempt_id)
            )
        if self.attempts:
            table.move_cursor(row=len(self.attempts) - 1)
        self.query_one("#attempts-status", Static).update(
            f"{len(self.attempts)} attempt(s). Enter opens the highlighted one: every answer "
            "as given."
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return True if self.highlighted() is not None else None
        return True

    def highlighted(self) -> AttemptSummary | None:
        """The highlighted attempt."""
        if not self.attempts:
            return None
        row = self.query_one("#attempts", DataTable).cursor_row
        return self.attempts[min(row, len(self.attempts) - 1)]

    @on(DataTable.RowHighlighted, "#attempts")
    def highlight_moved(self) -> None:
        self.refresh_bindings()

    async def action_open(self) -> None:
        """The highlighted attempt, question by question."""
        summary, teacher = self.highlighted(), self.context.teacher
        if summary is None or teacher is None:
            return
        if summary.ended_at is None:  # still being answered: watch it live
            self.app.push_screen(StudentAttemptScreen(self.context, teacher, summary.attempt_id))
            return
        result = await background(
            self, attempt_result, self.context.database, summary.attempt_id, teacher
        )
        if isinstance(result, Failed):
            return
        self.app.push_screen(DrillResultScreen(result, student=self.student.name))

    def action_back(self) -> None:
        """Back to the report."""
        self.dismiss()
