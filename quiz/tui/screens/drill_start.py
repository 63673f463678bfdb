"""A drill before it starts: what it is (description, questions, time limit, pass mark,
feedback, attempts left, when it closes) and the student's past attempts, whose results
open from here. Nothing is used up until the student presses Enter."""

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.drills import (
    AttemptResult,
    AttemptSummary,
    StudentDrill,
    attempt_result,
    drills_for_student,
    my_attempts,
    start_attempt,
)
from quiz.services.format import FEEDBACK_LABELS, local_time, percent
from quiz.services.paper import PaperView
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext

# Opens a started (or resumed) attempt: the attempt screen, with the drill's actions.
OpenAttempt = Callable[[PaperView], Screen[None]]
# Shows a finished attempt's result.
OpenResult = Callable[[AttemptResult], Screen[None]]


def blocked_reason(item: StudentDrill, context: StudyContext) -> str | None:
    """Why the student cannot start `item` now, as a sentence with a next step (None: they
    can)."""
    if item.can_start:
        return None
    if item.status == "upcoming" and item.drill.opens_at is not None:
        opens = local_time(item.drill.opens_at, context.tz)
        return f"{item.drill.title} opens at {opens}; come back then."
    if item.status == "closed":
        return f"{item.drill.title} has closed; ask your teacher if it should open again."
    return f"You have no attempts left at {item.drill.title}; ask your teacher for another."


def next_step(item: StudentDrill, context: StudyContext) -> Content:
    """What Enter does here, or why it does nothing."""
    blocked = blocked_reason(item, context)
    if blocked is not None:
        return Content.styled(blocked, "$text-warning")
    if item.open_attempt_id is not None:
        return Content("Enter resumes your attempt in progress (its time keeps running).")
    spec = item.drill.spec
    uses = "" if item.attempts_left is None else " and uses one of your attempts"
    timer = " The timer starts then." if spec.time_limit_minutes else ""
    return Content(f"Enter starts the drill{uses}.{timer}")


def drill_facts(item: StudentDrill, context: StudyContext) -> Content:
    """The drill's settings as the student reads them before starting."""
    spec = item.drill.spec
    limit = f"{spec.time_limit_minutes} min" if spec.time_limit_minutes else "none"
    if item.attempts_left is None:
        attempts = f"unlimited ({item.attempts_used} used)"
    else:
        attempts = f"{item.attempts_left} of {spec.attempts}"
    rows = [
        ("Questions", str(item.drill.question_count)),
        ("Time limit", limit),
        ("Pass mark", f"{spec.pass_mark:g}%"),
        ("Feedback", FEEDBACK_LABELS.get(spec.feedback, spec.feedback)),
        ("Attempts left", attempts),
    ]
    if item.best_score is not None:
        rows.append(("Best score", percent(item.best_score)))
    if item.drill.opens_at is not None and item.status == "upcoming":
        rows.append(("Opens", local_time(item.drill.opens_at, context.tz)))
    if item.drill.closes_at is not None:
        rows.append(("Closes", local_time(item.drill.closes_at, context.tz)))
    return Content("\n").join(
        [Content.assemble((f"{name:<15}", "$text-muted"), (value, "bold")) for name, value in rows]
    )


def attempt_cells(number: int, summary: AttemptSummary, context: StudyContext) -> list[str]:
    """One past attempt as a row: number, started, score, result (marked when its time
    ran out)."""
    if summary.ended_at is None:
        score, result = "–", "in progress"
    else:
        score = percent(summary.score)
        result = "passed" if summary.passed else "not passed"
        if summary.timed_out:
            result += ", time ran out"
    return [str(number), local_time(summary.started_at, context.tz), score, result]


class DrillStartScreen(Screen[None]):
    """One drill before it starts. Enter starts it (or resumes the attempt in progress);
    `v` shows the result of the highlighted past attempt."""

    DEFAULT_CSS = """
    DrillStartScreen #about { height: 1fr; padding: 1 2 0 2; }
    DrillStartScreen #about > Static { height: auto; }
    DrillStartScreen #description { margin-top: 1; }
    DrillStartScreen #facts { margin-top: 1; }
    DrillStartScreen #next { margin-top: 1; }
    DrillStartScreen #attempts-title { margin-top: 1; color: $text-muted; }
    DrillStartScreen #attempts { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True, id="drill_start.start"),
        Binding("v", "view", "See result", id="drill_start.view"),
        Binding("escape", "back", "Back", id="drill_start.back"),
    ]

    def __init__(
        self,
        context: StudyContext,
        item: StudentDrill,
        open_attempt: OpenAttempt,
        open_result: OpenResult,
    ) -> None:
        super().__init__()
        self.context = context
        self.item = item
        self.open_attempt = open_attempt
        self.open_result = open_result
        self.attempts: list[AttemptSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="about"):
            yield Static(Content.styled(self.item.drill.title, "bold"), id="title")
            yield Static(Content(self.item.drill.spec.description), id="description")
            yield Static(id="facts")
            yield Static(id="next")
            yield Static("Your attempts", id="attempts-title")
            table: DataTable[str] = DataTable(id="attempts", cursor_type="row")
            table.add_columns("#", "Started", "Score", "Result")
            yield table
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = f"{self.context.require_profile().name} · drill"
        self.query_one("#description").display = bool(self.item.drill.spec.description)
        self._show()
        await self.reload()

    async def on_screen_resume(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        """Read the drill (attempts left, best score) and this student's attempts again."""
        profile = self.context.require_profile()
        drills = await background(
            self, drills_for_student, self.context.database, profile.id, self.context.now(), True
        )
        attempts = await background(self, my_attempts, self.context.database, profile)
        if isinstance(drills, Failed) or isinstance(attempts, Failed):
            return
        self.item = next((d for d in drills if d.drill.id == self.item.drill.id), self.item)
        self.attempts = [a for a in attempts if a.drill_id == self.item.drill.id]
        self._show()

    def _show(self) -> None:
        self.query_one("#facts", Static).update(drill_facts(self.item, self.context))
        self.query_one("#next", Static).update(next_step(self.item, self.context))
        table = self.query_one("#attempts", DataTable)
        table.clear()
        for number, summary in enumerate(self.attempts, start=1):
            table.add_row(
                *attempt_cells(number, summary, self.context), key=str(summary.attempt_id)
            )
        if self.attempts:
            table.move_cursor(row=len(self.attempts) - 1)  # the latest
            self.query_one("#attempts-title", Static).update(
                "Your attempts (v shows the highlighted one's result)"
            )
        else:
            self.query_one("#attempts-title", Static).update("Your attempts: none yet")
        table.display = bool(self.attempts)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "view":
            return True if self.highlighted() is not None else None
        return True

    def highlighted(self) -> AttemptSummary | None:
        """The highlighted past attempt, when it is finished."""
        table = self.query_one("#attempts", DataTable)
        if not self.attempts:
            return None
        summary = self.attempts[min(table.cursor_row, len(self.attempts) - 1)]
        return summary if summary.ended_at is not None else None

    @on(DataTable.RowHighlighted, "#attempts")
    def highlight_moved(self) -> None:
        self.refresh_bindings()

    async def action_start(self) -> None:
        """Start the drill, or resume the attempt in progress."""
        blocked = blocked_reason(self.item, self.context)
        if blocked is not None:
            self.notify(blocked, severity="warning")
            return
        attempt = await background(
            self,
            start_attempt,
            self.context.database,
            self.context.require_profile(),
            self.item.drill.id,
            self.context.now(),
            seed=self.context.fuzz_seed(),
        )
        if isinstance(attempt, Failed):
            return
        self.app.push_screen(self.open_attempt(attempt))

    async def action_view(self) -> None:
        """The highlighted past attempt's result."""
        summary = self.highlighted()
        if summary is None:
            return
        result = await background(
            self,
            attempt_result,
            self.context.database,
            summary.attempt_id,
            self.context.require_profile(),
        )
        if isinstance(result, Failed):
            return
        self.app.push_screen(self.open_result(result))

    def action_back(self) -> None:
        """Back to the list of drills."""
        self.dismiss()
