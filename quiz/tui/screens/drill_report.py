"""A teacher's report on one drill: each student's best and latest score, each question's
facility and most chosen wrong answer (most missed first), the item analysis (`i`);
exported as CSV with a key. While it is shown it refreshes by itself (live: who is
answering, finished or timed out, facility so far); Enter on a student shows their attempts."""

import re
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quiz.errors import QuizError
from quiz.services.auth import Teacher
from quiz.services.database import Database
from quiz.services.drills import (
    DrillNow,
    DrillReport,
    ReportTable,
    drill_now,
    drill_report,
    write_report_csv,
)
from quiz.services.format import percent, sentence, short
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.folder import FolderScreen
from quiz.tui.screens.student_attempts import StudentAttemptsScreen

PROMPT_WIDTH = 38
# Below 100 columns the questions table keeps every column in 80: these cuts.
NARROW_KEY, NARROW_PROMPT, NARROW_WRONG = 12, 18, 17
TABLES: tuple[ReportTable, ...] = ("students", "questions", "items")
NONE = "—"  # this report's mark for "no figure"
LIVE_SECONDS = 3.0  # how often the shown report is read again
CLAIMS_LISTED = 3  # claims spelled out under the tables (more would squeeze them at 80x24)
HINT = (
    "Refreshes by itself. Enter on a student opens their attempts (an open one live, "
    "answer by answer); i item analysis; e saves the tables as CSV in a folder you choose."
)


def report_and_now(
    database: Database, teacher: Teacher, drill_id: int, now: datetime
) -> tuple[DrillReport, DrillNow]:
    """The report and the drill as it stands (for the live columns), in one worker call."""
    return drill_report(database, teacher, drill_id, now), drill_now(
        database, teacher, drill_id, now
    )


def live_state(now: DrillNow, profile_id: int) -> str:
    """A student's latest attempt as it stands: answering (with how far), finished, timed out."""
    student = next((s for s in now.students if s.profile_id == profile_id), None)
    if student is None:
        return NONE
    if student.state == "answering":
        return f"answering {student.answered}/{student.total}"
    return student.state


def slug(title: str) -> str:
    """A file name part from a drill's title."""
    return re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-") or "drill"


def free_path(folder: Path, stem: str, table: str) -> Path:
    """`folder/stem-table.csv`, or with -2, -3, … when that file exists already."""
    path = folder / f"{stem}-{table}.csv"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{table}-{number}.csv"
        number += 1
    return path


def export_report(report: DrillReport, folder: Path, now: datetime) -> list[Path]:
    """Write the report's two tables as CSV files in `folder`; returns their paths. A file
    that cannot be written is a `QuizError` (and no file is left)."""
    stem = f"{slug(report.drill.title)}-report"
    paths: list[Path] = []
    try:
        for table in TABLES:
            path = free_path(folder, stem, table)
            with path.open("x", encoding="utf-8", newline="") as out:
                paths.append(path)
                write_report_csv(report, table, out, now)
    except OSError as error:
        for path in paths:  # all or nothing
            path.unlink(missing_ok=True)
        raise QuizError(
            f"could not write the CSV files in {folder} ({error.strerror or error}); "
            "start quiz from a folder you can write to and press e again"
        ) from error
    return paths


class DrillReportScreen(Screen[None]):
    """The report on drill `drill_id`, loaded in a worker thread. `e` exports it as CSV
    into a folder the teacher chooses (offered: `folder`, else the current folder)."""

    DEFAULT_CSS = """
    DrillReportScreen #report-summary { height: auto; padding: 0 1; margin-bottom: 1; }
    DrillReportScreen .caption { text-style: bold; color: $text-accent; padding: 0 1; }
    DrillReportScreen #students { height: auto; max-height: 9; margin-bottom: 1; }
    DrillReportScreen #questions, DrillReportScreen #items { height: 1fr; }
    DrillReportScreen #items { display: none; }
    DrillReportScreen #report-status { height: auto; padding: 0 1; color: $text-muted; }
    """
    live_seconds = LIVE_SECONDS
    BINDINGS = [
        Binding("e", "export", "Export CSV", id="report.export"),
        Binding("i", "items", "Item analysis", id="report.items"),
        Binding("r", "refresh", "Refresh", id="report.refresh"),
        Binding("escape", "back", "Back", id="report.back"),
    ]

    def __init__(
        self, context: StudyContext, drill_id: int, title: str, folder: Path | None = None
    ) -> None:
        super().__init__()
        self.context = context
        self.drill_id = drill_id
        self.title_text = title
        self.folder = folder
        self.report: DrillReport | None = None
        self.now: DrillNow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled(self.title_text, "bold"), id="report-summary")
        yield Static("Students", classes="caption")
        students: DataTable[str | int] = DataTable(
            id="students", cursor_type="row", zebra_stripes=True
        )
        students.add_column("Student", key="name")
        students.add_column("Attempts", key="attempts")
        students.add_column("Finished", key="finished")
        students.add_column("Best", key="best")
        students.add_column("Latest", key="latest")
        students.add_column("Latest passed", key="passed")
        students.add_column("Now", key="now")
        yield students
        yield Static("Questions, most missed first", id="questions-caption", classes="caption")
        questions: DataTable[str | int] = DataTable(
            id="questions", cursor_type="row", zebra_stripes=True
        )
        questions.add_column("Question", key="key")
        questions.add_column("Prompt", key="prompt")
        questions.add_column("Right", key="facility")
        questions.add_column("Asked", key="asked")
        narrow = self.app.size.width < 100
        questions.add_column(
            "Most chosen wrong" if narrow else "Most chosen wrong answer", key="wrong"
        )
        questions.add_column("So far", key="so_far")
        yield questions
        items: DataTable[str | int] = DataTable(id="items", cursor_type="row", zebra_stripes=True)
        items.add_column("Question", key="key")
        items.add_column("Facility", key="facility")
        items.add_column("Discr.", key="discrimination")
        items.add_column("Flags", key="flags")
        yield items
        yield Static("Loading the report…", id="report-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Report: {self.title_text}"
        self.set_interval(self.live_seconds, self._tick)
        self.action_refresh()

    def _tick(self) -> None:
        """Live: read the results again while this screen is the one shown."""
        if self.is_current and self.context.teacher is not None:
            self.action_refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export" and self.report is None:
            return None
        return True

    def action_refresh(self) -> None:
        """Read the results again."""
        teacher = self.context.teacher
        if teacher is None:
            self.query_one("#report-status", Static).update(
                "Only a teacher can see drill reports; open a teacher's profile with its PIN."
            )
            return
        self.query_one("#questions", DataTable).loading = self.report is None
        self.load(teacher)

    @work(exclusive=True, group="report")
    async def load(self, teacher: Teacher) -> None:
        report = await background(
            self,
            report_and_now,
            self.context.database,
            teacher,
            self.drill_id,
            self.context.now(),
            quiet=True,
        )
        if not (isinstance(report, Failed) and report.error is None):  # None: replaced, gone
            self.call_later(self.show, report)  # on the screen's own queue

    def show(self, loaded: tuple[DrillReport, DrillNow] | Failed) -> None:
        self.query_one("#questions", DataTable).loading = False
        status = self.query_one("#report-status", Static)
        if isinstance(loaded, Failed):
            assert loaded.error is not None
            status.update(f"{sentence(loaded.error)} Press Esc to go back to the drills.")
            return
        report, now = loaded
        if report == self.report and now == self.now:
            return  # nothing new: the cursors stay where the teacher left them
        self.report, self.now = report, now
        drill = report.drill
        attempts = sum(s.attempts for s in report.students)
        passed = sum(1 for s in report.students if s.latest_passed)
        self.query_one("#report-summary", Static).update(
            Content.assemble(
                (drill.title, "bold"),
                f"   {drill.status(self.context.now())}, pass mark {drill.spec.pass_mark:g}%   ",
                (f"{len(report.students)} student(s)", "bold"),
                f", {attempts} attempt(s), ",
                (f"{passed} passed", "$text-success"),
                " on their latest attempt",
            )
        )
        students = self.query_one("#students", DataTable)
        student_row = students.cursor_row
        students.clear()
        for s in report.students:
            students.add_row(
                s.name,
                s.attempts,
                f"{s.finished} ({s.timed_out} timed out)" if s.timed_out else str(s.finished),
                percent(s.best_score, NONE),
                percent(s.latest_score, NONE),
                NONE if s.latest_passed is None else "yes" if s.latest_passed else "no",
                live_state(now, s.profile_id),
                key=str(s.profile_id),
            )
        students.move_cursor(row=min(student_row, max(0, students.row_count - 1)))
        questions = self.query_one("#questions", DataTable)
        question_row = questions.cursor_row
        questions.clear()
        narrow = self.app.size.width < 100  # every column keeps room at 80 columns
        self_rated = " self" if narrow else " self-rated"  # a flashcard: unverified
        claimed = " {}✓" if narrow else " ({} claimed)"  # as wide as " self" at most
        for q in report.questions:
            wrong = NONE if q.common_wrong is None else f"{q.common_wrong} ({q.common_wrong_count})"
            questions.add_row(
                short(q.key, NARROW_KEY) if narrow else q.key,
                short(q.prompt, NARROW_PROMPT if narrow else PROMPT_WIDTH),
                percent(q.facility, NONE)
                + (self_rated if q.self_rated else "")
                + (claimed.format(q.overridden) if q.overridden else ""),
                q.asked,
                short(wrong, NARROW_WRONG) if narrow else wrong,
                self._so_far(q.question_id, narrow),
                key=str(q.question_id),
            )
        reported = {q.question_id for q in report.questions}
        for q_now in now.questions.values():  # answered so far, in no finished attempt yet
            if q_now.question_id not in reported:
                questions.add_row(
                    short(q_now.key, NARROW_KEY) if narrow else q_now.key,
                    short(q_now.prompt, NARROW_PROMPT if narrow else PROMPT_WIDTH),
                    NONE,
                    0,
                    NONE,
                    self._so_far(q_now.question_id, narrow),
                    key=str(q_now.question_id),
                )
        questions.move_cursor(row=min(question_row, max(0, questions.row_count - 1)))
        self.show_items(report)
        if report.overrides:  # the teacher sees every answer a student claimed right
            shown = report.overrides[:CLAIMS_LISTED]
            claims = "; ".join(f"{o.name} on {o.key}: “{o.answer}”" for o in shown)
            if len(report.overrides) > len(shown):  # the rest: Enter on each student
                claims += f"; and {len(report.overrides) - len(shown)} more"
            status.update(
                f"✓ Claimed right by the student ({len(report.overrides)}): {claims}. {HINT}"
            )
        elif report.students:
            status.update(HINT)
        else:
            status.update("No student has taken this drill yet.")
        self.refresh_bindings()

    def _so_far(self, question_id: int, narrow: bool) -> str:
        """A question's facility over the latest attempts, open ones included."""
        q = None if self.now is None else self.now.questions.get(question_id)
        if q is None or q.facility is None:
            return NONE
        return percent(q.facility) if narrow else f"{percent(q.facility)} of {q.answered}"

    def show_items(self, report: DrillReport) -> None:
        """The item analysis table: facility, discrimination index, flags per question."""
        items = self.query_one("#items", DataTable)
        items.clear()
        analysis = report.analysis
        for row in () if analysis is None else analysis.items:
            d = row.stats.discrimination
            items.add_row(
                short(row.key, 22),
                percent(row.stats.facility, NONE),
                NONE if d is None else f"{d:+.2f}",
                "; ".join(row.stats.flags) or NONE,
                key=row.key,
            )
        if items.display:
            self.query_one("#questions-caption", Static).update(self.items_caption())

    def items_caption(self) -> str:
        analysis = None if self.report is None else self.report.analysis
        if analysis is None or not analysis.attempts:
            return "Item analysis: no finished first attempt yet"
        alpha = NONE if analysis.alpha is None else f"{analysis.alpha:.2f}"
        return (
            f"Item analysis ({analysis.attempts} first attempts): Cronbach's alpha {alpha}; "
            "D: upper − lower 27%"
        )

    def action_items(self) -> None:
        """Switch between the questions table and the item analysis."""
        items = self.query_one("#items", DataTable)
        questions = self.query_one("#questions", DataTable)
        items.display, questions.display = not items.display, items.display
        caption = self.items_caption() if items.display else "Questions, most missed first"
        self.query_one("#questions-caption", Static).update(caption)
        (items if items.display else questions).focus()

    def action_export(self) -> None:
        """Save the report as three CSV files (students, questions, items) in a folder you
        choose (the last one, at first the current folder, already typed in)."""
        if self.report is None:
            return
        self.app.push_screen(
            FolderScreen("the report as CSV", self.folder or Path.cwd()), self._export
        )

    async def _export(self, folder: Path | None) -> None:
        if folder is None or self.report is None:
            return
        self.folder = folder
        paths = await background(self, export_report, self.report, folder, self.context.now())
        if isinstance(paths, Failed):
            return
        self.notify(
            "Saved the report as CSV:\n" + "\n".join(str(p) for p in paths),
            title="Exported",
            timeout=8,
        )

    @on(DataTable.RowSelected, "#students")
    def open_student(self, event: DataTable.RowSelected) -> None:
        """A student's attempts at this drill, each openable with every answer given."""
        if self.report is None:
            return
        student = next(
            (s for s in self.report.students if str(s.profile_id) == event.row_key.value), None
        )
        if student is not None:
            self.app.push_screen(
                StudentAttemptsScreen(self.context, self.drill_id, self.report.drill.title, student)
            )

    def action_back(self) -> None:
        """Back to the drills."""
        self.dismiss()
