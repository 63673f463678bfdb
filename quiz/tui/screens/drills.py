"""Drills for a student: the drills open to the current profile, taking one, its result."""

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.drills import (
    AttemptResult,
    QuestionResult,
    StudentDrill,
    answer_attempt,
    drills_for_student,
    finish_attempt,
    override_attempt_answer,
)
from quiz.services.format import FEEDBACK_LABELS, percent
from quiz.services.paper import PaperView
from quiz.services.profiles import ProfileInfo
from quiz.tui.context import StudyContext
from quiz.tui.screens.attempt import AttemptScreen, PaperActions
from quiz.tui.screens.drill_start import DrillStartScreen


def _result_screen(context: StudyContext, paper: PaperView, result: AttemptResult) -> Screen[None]:
    return DrillResultScreen(result)


DRILL = PaperActions(
    label="Drill",
    answer=answer_attempt,
    finish=finish_attempt,
    result=_result_screen,
    leave_keeps_it_open=True,
    override=override_attempt_answer,
)


class DrillsScreen(Screen[None]):
    """The drills open to the current profile (and those opening later); Enter opens the
    highlighted one's start screen."""

    DEFAULT_CSS = """
    DrillsScreen #drills { height: 1fr; }
    DrillsScreen #status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "start", "Open", priority=True, id="drills.start"),
        Binding("r", "refresh", "Refresh", id="drills.refresh"),
        Binding("escape", "back", "Back", id="drills.back"),
    ]

    class Loaded(Message):
        """Posted by the loading worker."""

        def __init__(self, drills: list[StudentDrill]) -> None:
            super().__init__()
            self.drills = drills

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.profile = context.require_profile()
        self.drills: list[StudentDrill] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str | Content] = DataTable(
            id="drills", cursor_type="row", zebra_stripes=True
        )
        table.add_column("Drill", key="title")
        table.add_column("Status", key="status")
        table.add_column("Questions", key="questions")
        table.add_column("Time limit", key="limit")
        table.add_column("Feedback", key="feedback")
        table.add_column("Attempts left", key="left")
        table.add_column("Best score", key="best")
        yield table
        yield Static("Loading drills…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · drills"
        self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.drills is not None:
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return None if not self.drills else True
        return True

    def action_refresh(self) -> None:
        """Reload the list of drills."""
        self.query_one("#drills", DataTable).loading = self.drills is None
        self.load(self.profile)

    @work(thread=True, exclusive=True, group="drills")
    def load(self, profile: ProfileInfo) -> None:
        self.post_message(
            self.Loaded(drills_for_student(self.context.database, profile.id, self.context.now()))
        )

    @on(Loaded)
    def show(self, message: Loaded) -> None:
        drills = self.drills = message.drills
        table = self.query_one("#drills", DataTable)
        table.loading = False
        cursor = table.cursor_row
        table.clear()
        for item in drills:
            spec = item.drill.spec
            if item.open_attempt_id is not None:
                status = Content.styled("in progress", "bold $text-warning")
            elif item.status == "open" and not item.can_start:
                status = Content.styled("no attempts", "$text-muted")
            elif item.status == "open":
                status = Content.styled("open", "$text-success")
            else:
                status = Content.styled(item.status, "$text-muted")
            table.add_row(
                item.drill.title,
                status,
                str(item.drill.question_count),
                f"{spec.time_limit_minutes} min" if spec.time_limit_minutes else "none",
                FEEDBACK_LABELS.get(spec.feedback, spec.feedback),
                "unlimited" if item.attempts_left is None else str(item.attempts_left),
                "–" if item.best_score is None else percent(item.best_score),
                key=str(item.drill.id),
            )
        if drills:
            table.move_cursor(row=min(cursor, len(drills) - 1))
            self.query_one("#status", Static).update(
                f"{len(drills)} drill(s). Enter opens the highlighted drill: what it asks "
                "and your results."
            )
        else:
            self.query_one("#status", Static).update(
                "No drills are open to you now; your teacher sets them."
            )
        self.refresh_bindings()

    def selected(self) -> StudentDrill | None:
        table = self.query_one("#drills", DataTable)
        if not self.drills or table.row_count == 0:
            return None
        return self.drills[min(table.cursor_row, len(self.drills) - 1)]

    def action_start(self) -> None:
        """Open the highlighted drill: what it asks, your past attempts; Enter there starts."""
        item = self.selected()
        if item is None:
            return
        context = self.context
        self.app.push_screen(
            DrillStartScreen(
                context,
                item,
                open_attempt=lambda paper: AttemptScreen(context, paper, DRILL),
                open_result=DrillResultScreen,
            )
        )

    @on(DataTable.RowSelected, "#drills")
    def clicked(self) -> None:
        self.action_start()

    def action_back(self) -> None:
        """Back to the home screen."""
        self.dismiss()


class DrillResultScreen(Screen[None]):
    """A finished attempt: score, pass or fail, and each question with the answer given
    and the right one (when the drill shows them)."""

    DEFAULT_CSS = """
    DrillResultScreen #result { height: 1fr; padding: 1 2; }
    DrillResultScreen #score {
        height: auto; padding: 0 1; border: round $primary; background: $surface;
    }
    DrillResultScreen .question { height: auto; margin-top: 1; }
    DrillResultScreen .explanation { color: $text-muted; padding-left: 5; }
    """
    BINDINGS = [
        Binding("enter", "back", "Back", id="drill_result.back"),
        Binding("escape", "back", "Back", show=False, id="drill_result.back_escape"),
    ]

    def __init__(self, result: AttemptResult, student: str | None = None) -> None:
        """`student`: the name of whose attempt it is, when a teacher looks at it."""
        super().__init__()
        self.result = result
        self.student = student

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="result"):
            yield Static(self._score(), id="score")
            if self.result.answers_shown:
                for number, question in enumerate(self.result.questions, start=1):
                    yield Static(self._question(number, question), classes="question")
                    if question.explanation and not question.correct:
                        yield Static(question.explanation, classes="explanation")
            else:
                yield Static(
                    "This drill shows the score only; your teacher can go over the questions."
                    if self.result.graded
                    else "Your answers are saved; your teacher sees them with your results.",
                    classes="question",
                )
        yield Footer()

    def on_mount(self) -> None:
        whose = f" · {self.student}" if self.student else ""
        self.sub_title = f"Drill result · {self.result.title}{whose}"

    def _score(self) -> Content:
        result = self.result
        if not result.graded:  # a drill file without its answer key
            return Content("\n").join(
                [
                    Content.assemble((result.title, "bold"), "   ", ("SUBMITTED", "bold")),
                    Content(
                        f"{result.total} question(s). Your teacher grades this drill: "
                        "export your results with `quiz drill results --export -o FILE` "
                        "and send the file to your teacher."
                    ),
                ]
            )
        verdict = (
            ("PASSED", "bold $text-success")
            if result.passed
            else ("NOT PASSED", "bold $text-error")
        )
        lines = [
            Content.assemble((result.title, "bold"), "   ", verdict),
            Content.assemble(
                ("Score ", "$text-muted"),
                (f"{result.correct} of {result.total} right ({percent(result.score)})", "bold"),
                ("   pass mark ", "$text-muted"),
                (f"{result.pass_mark:g}%", "bold"),
            ),
        ]
        if result.timed_out:
            lines.append(
                Content.styled(
                    "Time ran out: the questions not answered count as wrong.", "$text-warning"
                )
            )
        return Content("\n").join(lines)

    def _question(self, number: int, question: QuestionResult) -> Content:
        mark = ("✓", "bold $text-success") if question.correct else ("✗", "bold $text-error")
        given = "     Answer given  " if self.student else "     Your answer   "
        lines = [
            Content.assemble(mark, (f" {number:>2}. ", "$text-muted"), (question.prompt, "bold")),
            Content.assemble((given, "$text-muted"), question.given),
        ]
        if question.right_answers is not None:
            lines.append(
                Content.assemble(
                    ("     Right answer  ", "$text-muted"),
                    (" · ".join(question.right_answers), "$text-success"),
                )
            )
        return Content("\n").join(lines)

    def action_back(self) -> None:
        """Back to the list of drills."""
        self.dismiss()
