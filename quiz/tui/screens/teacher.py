"""The teacher's drills: the list with each drill's settings and attempts taken; from here
a drill is created, edited, deleted (after a confirm) or its report opened."""

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.services.auth import Teacher
from quiz.services.database import Database
from quiz.services.drills import DrillInfo, delete_drill, drill_report, list_drills
from quiz.services.format import FEEDBACK_LABELS, local_text, sentence
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.confirm import ConfirmScreen


def questions_text(info: DrillInfo) -> str:
    """How a drill chooses its questions, in a few words."""
    rule = info.spec.draw
    if rule is None:
        return f"{info.question_count} by id"
    return f"{rule.count} by rule" + (", fresh" if rule.fresh_each_attempt else "")


def rule_text(info: DrillInfo) -> str:
    """The questions of a drill in a sentence."""
    spec = info.spec
    if spec.questions is not None:
        shown = ", ".join(spec.questions[:6]) + (" …" if len(spec.questions) > 6 else "")
        return f"{len(spec.questions)} question(s) by id: {shown}"
    rule = spec.draw
    assert rule is not None
    parts = []
    for label, values in (
        ("decks", rule.decks),
        ("topics", rule.topics),
        ("tags", rule.tags),
        ("types", rule.types),
        ("difficulty", [str(d) for d in rule.difficulty]),
    ):
        if values:
            parts.append(f"{label} {', '.join(values)}")
    where = "; ".join(parts) if parts else "any question"
    draw = "a fresh draw each attempt" if rule.fresh_each_attempt else f"one draw, seed {rule.seed}"
    return f"{rule.count} drawn from {where} ({draw})"


@dataclass(frozen=True)
class DrillRow:
    """A drill in the teacher's list, with the attempts students have taken."""

    info: DrillInfo
    attempts: int
    students: int


def load_drill_rows(database: Database, teacher: Teacher, now: datetime) -> list[DrillRow]:
    """Every drill with its attempts taken (blocking; run in a worker)."""
    rows = []
    for info in list_drills(database):
        report = drill_report(database, teacher, info.id, now)
        rows.append(DrillRow(info, sum(s.attempts for s in report.students), len(report.students)))
    return rows


class ManageDrillsScreen(Screen[None]):
    """A teacher's drills. Enter opens the highlighted drill's report; n creates a drill,
    e edits it, Delete deletes it after a confirm. Loads in a worker thread."""

    DEFAULT_CSS = """
    ManageDrillsScreen #drills { height: 1fr; }
    ManageDrillsScreen #drill-detail {
        height: auto; min-height: 5; padding: 0 1;
        border-top: solid $primary;
    }
    ManageDrillsScreen #drills-status { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "report", "Report", priority=True, id="manage.report"),
        Binding("n", "new", "New", id="manage.new"),
        Binding("e", "edit", "Edit", id="manage.edit"),
        Binding("delete", "delete", "Delete", key_display="Del", id="manage.delete"),
        Binding("r", "refresh", "Refresh", id="manage.refresh"),
        Binding("escape", "back", "Back", id="manage.back"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.rows: list[DrillRow] | None = None
        self.select_id: int | None = None

    def _columns(self) -> list[tuple[str, str]]:
        """The list's columns; below 100 columns feedback and tries are only in the detail."""
        columns = [
            ("title", "Drill"),
            ("status", "Status"),
            ("questions", "Questions"),
            ("limit", "Limit"),
            ("pass", "Pass"),
            ("feedback", "Feedback"),
            ("tries", "Tries"),
            ("taken", "Taken"),
        ]
        if self.app.size.width < 100:
            columns = [c for c in columns if c[0] not in ("feedback", "tries")]
        return columns

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str | int] = DataTable(id="drills", cursor_type="row", zebra_stripes=True)
        for key, label in self._columns():
            table.add_column(label, key=key)
        yield table
        yield Static("", id="drill-detail")
        yield Static("Loading drills…", id="drills-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Drills"
        self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("report", "edit", "delete"):
            return None if self._selected() is None else True
        return True

    def _teacher(self) -> Teacher | None:
        teacher = self.context.teacher
        if teacher is None:
            self.notify(
                "Only a teacher can manage drills; open a teacher's profile with its PIN.",
                severity="error",
            )
        return teacher

    def action_refresh(self) -> None:
        """Reload the drills."""
        teacher = self._teacher()
        if teacher is None:
            return
        self.query_one("#drills", DataTable).loading = self.rows is None
        self.load(teacher)

    @work(exclusive=True, group="drills")
    async def load(self, teacher: Teacher) -> None:
        rows = await background(
            self, load_drill_rows, self.context.database, teacher, self.context.now(), quiet=True
        )
        if not (isinstance(rows, Failed) and rows.error is None):  # None: replaced, or gone
            self.call_later(self.show, rows)  # on the screen's own queue

    def show(self, rows: list[DrillRow] | Failed) -> None:
        table = self.query_one("#drills", DataTable)
        table.loading = False
        if isinstance(rows, Failed):
            assert rows.error is not None
            self.query_one("#drills-status", Static).update(sentence(rows.error))
            return
        keep = self.select_id
        if keep is None and self.rows and table.row_count:
            keep = self.rows[min(table.cursor_row, len(self.rows) - 1)].info.id
        self.rows = rows
        now = self.context.now()
        table.clear()
        shown = [key for key, _label in self._columns()]
        for row in rows:
            spec = row.info.spec
            cells: dict[str, str | int] = {
                "title": row.info.title,
                "status": row.info.status(now),
                "questions": questions_text(row.info),
                "limit": f"{spec.time_limit_minutes} min" if spec.time_limit_minutes else "none",
                "pass": f"{spec.pass_mark:g}%",
                "feedback": FEEDBACK_LABELS[spec.feedback],
                "tries": "any" if spec.attempts is None else str(spec.attempts),
                "taken": row.attempts,
            }
            table.add_row(*(cells[key] for key in shown), key=str(row.info.id))
        index = next((i for i, r in enumerate(rows) if r.info.id == keep), 0)
        if rows:
            table.move_cursor(row=index)
        self.select_id = None
        status = self.query_one("#drills-status", Static)
        if rows:
            status.update(
                f"{len(rows)} drill(s). Enter shows the highlighted drill's report; "
                "n creates a drill; ? lists every key."
            )
        else:
            status.update("No drills yet: press n to create one.")
        self._show_detail()
        self.refresh_bindings()

    def _selected(self) -> DrillRow | None:
        if not self.rows or not self.is_mounted:
            return None
        table = self.query_one("#drills", DataTable)
        if table.row_count == 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    @on(DataTable.RowHighlighted, "#drills")
    def highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#drill-detail", Static)
        row = self._selected()
        if row is None:
            detail.update("")
            return
        info, spec, tz = row.info, row.info.spec, self.context.tz
        feedback = FEEDBACK_LABELS[spec.feedback]
        shuffle = [
            name
            for name, on_ in (
                ("questions", spec.shuffle_questions),
                ("options", spec.shuffle_options),
            )
            if on_
        ]
        window = []
        if info.opens_at is not None:
            window.append(f"opens {local_text(info.opens_at, tz)}")
        if info.closes_at is not None:
            window.append(f"closes {local_text(info.closes_at, tz)}")
        limit = f"{spec.time_limit_minutes} min" if spec.time_limit_minutes else "no time limit"
        attempts = "unlimited attempts" if spec.attempts is None else f"{spec.attempts} attempt(s)"
        taken = f"{row.attempts} attempt(s) taken by {row.students} student(s)"
        detail.update(
            Content.assemble(
                (info.title, "bold"),
                f"  ({info.status(self.context.now())}",
                f"; {', '.join(window)})" if window else ", no dates)",
                "\n",
                rule_text(info),
                "\n",
                f"{limit}, pass mark {spec.pass_mark:g}%, feedback {feedback}, ",
                f"{attempts}, shuffle {' and '.join(shuffle) if shuffle else 'nothing'}",
                "\n",
                (taken, "$text-accent"),
            )
        )

    @on(DataTable.RowSelected, "#drills")
    def clicked(self) -> None:
        self.action_report()

    def action_report(self) -> None:
        """Each student's scores and each question's facility for the highlighted drill."""
        row = self._selected()
        if row is None or self._teacher() is None:
            return
        from quiz.tui.screens.drill_report import DrillReportScreen

        self.app.push_screen(DrillReportScreen(self.context, row.info.id, row.info.title))

    def action_new(self) -> None:
        """Create a drill in a form."""
        if self._teacher() is None:
            return
        from quiz.tui.screens.drill_editor import DrillEditorScreen

        self.app.push_screen(DrillEditorScreen(self.context), self._saved)

    def action_edit(self) -> None:
        """Change the highlighted drill (attempts already taken keep their questions)."""
        row = self._selected()
        if row is None or self._teacher() is None:
            return
        from quiz.tui.screens.drill_editor import DrillEditorScreen

        self.app.push_screen(DrillEditorScreen(self.context, row.info), self._saved)

    def _saved(self, info: DrillInfo | None) -> None:
        if info is not None:
            self.notify(f"Saved the drill {info.title!r}.", title="Saved")
            self.select_id = info.id
            self.action_refresh()

    def action_delete(self) -> None:
        """Delete the highlighted drill, after a confirm."""
        row = self._selected()
        if row is None:
            return
        self.app.push_screen(
            ConfirmScreen(
                f"Delete the drill {row.info.title!r}?",
                f"Students can no longer take it. The {row.attempts} attempt(s) already "
                "taken stay in the students' history.",
            ),
            lambda yes: self._delete(row.info, yes),
        )

    async def _delete(self, info: DrillInfo, yes: bool | None) -> None:
        teacher = self._teacher()
        if not yes or teacher is None:
            return
        deleted = await background(self, delete_drill, self.context.database, teacher, info.id)
        if isinstance(deleted, Failed):
            return
        self.notify(f"Deleted the drill {info.title!r}.", title="Deleted")
        self.action_refresh()

    def action_back(self) -> None:
        """Back to the decks."""
        self.dismiss()
