"""Mock exams: the setup, taking it (the attempt screen), the graded report and the focused
revision of what was missed; and the exam-date modal."""

import re
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, Static

from quiz.services.answering import Cloze, MultipleChoice, Ordering, QuestionBase
from quiz.services.mock_exam import (
    DEFAULT_QUESTIONS,
    ExamReport,
    Mistake,
    answer_exam,
    default_time_limit,
    finish_exam,
    revision_cards,
)
from quiz.services.paper import PaperView
from quiz.services.profiles import set_exam_date
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.format import percent, sentence
from quiz.tui.screens.attempt import PaperActions

MAX_QUESTIONS = 500
MAX_MINUTES = 600
DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _report_screen(context: StudyContext, paper: PaperView, report: ExamReport) -> Screen[None]:
    questions = {q.question_id: q.question for q in paper.questions}
    return ExamReportScreen(context, report, questions)


EXAM = PaperActions(
    label="Mock exam",
    answer=answer_exam,
    finish=finish_exam,
    result=_report_screen,
    leave_keeps_it_open=False,
)


# -- the setup -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamSetup:
    count: int
    minutes: int
    deck_id: int | None


class ExamSetupScreen(ModalScreen[ExamSetup | None]):
    """How many questions, how long, which deck. Enter starts, Esc cancels."""

    DEFAULT_CSS = """
    ExamSetupScreen { align: center middle; }
    ExamSetupScreen > Vertical {
        width: 64; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    ExamSetupScreen .title { text-style: bold; margin-bottom: 1; }
    ExamSetupScreen .row { height: auto; }
    ExamSetupScreen .row > Label { width: 22; padding: 1 0 0 0; }
    ExamSetupScreen .row > Input { width: 1fr; }
    ExamSetupScreen #error { color: $text-error; height: auto; }
    ExamSetupScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "start", "Start the exam", id="exam_setup.start"),
        Binding("escape", "cancel", "Cancel", id="exam_setup.cancel"),
    ]

    def __init__(self, deck: tuple[int, str] | None) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Mock exam", classes="title")
            with Horizontal(classes="row"):
                yield Label("Questions")
                yield Input(str(DEFAULT_QUESTIONS), id="count", type="integer")
            with Horizontal(classes="row"):
                yield Label("Time limit (minutes)")
                yield Input(
                    placeholder=str(default_time_limit(DEFAULT_QUESTIONS)),
                    id="minutes",
                    type="integer",
                )
            if self.deck is not None:
                yield Checkbox(f"Only the deck {self.deck[1]}", id="deck_only")
            yield Static("", id="error")
            yield Static(
                "Empty time limit: 1.5 minutes a question. Enter starts; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#count", Input).focus()

    @on(Input.Changed, "#count")
    def count_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if value.isdigit() and 0 < int(value) <= MAX_QUESTIONS:
            self.query_one("#minutes", Input).placeholder = str(default_time_limit(int(value)))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        """Start the exam with these settings."""
        error = self.query_one("#error", Static)
        count_text = self.query_one("#count", Input).value.strip()
        if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_QUESTIONS:
            error.update(
                f"The number of questions must be a whole number from 1 to {MAX_QUESTIONS}."
            )
            self.query_one("#count", Input).focus()
            return
        count = int(count_text)
        minutes_text = self.query_one("#minutes", Input).value.strip()
        if not minutes_text:
            minutes = default_time_limit(count)
        elif minutes_text.isdigit() and 1 <= int(minutes_text) <= MAX_MINUTES:
            minutes = int(minutes_text)
        else:
            error.update(
                f"The time limit must be a whole number of minutes from 1 to {MAX_MINUTES}, "
                "or empty for the default."
            )
            self.query_one("#minutes", Input).focus()
            return
        only = self.query("#deck_only")
        deck_id = (
            self.deck[0]
            if self.deck is not None and only and self.query_one("#deck_only", Checkbox).value
            else None
        )
        self.dismiss(ExamSetup(count, minutes, deck_id))

    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)


# -- the report ------------------------------------------------------------------------


def right_text(question: QuestionBase | None, right: list[str]) -> str:
    """The right answer of a mistake, as a line."""
    if isinstance(question, Ordering):
        return " → ".join(right)
    if isinstance(question, Cloze):
        return " | ".join(right)
    if isinstance(question, MultipleChoice):
        return "; ".join(right)
    return right[0] if right else "?"


class ExamReportScreen(Screen[None]):
    """The graded mock exam: the score, a table of topics (the weakest highlighted) and
    every mistake with the answer given, the right one and the explanation. `r` revises
    the mistakes and the weakest topic."""

    DEFAULT_CSS = """
    ExamReportScreen #report { height: 1fr; padding: 0 2; }
    ExamReportScreen #score {
        height: auto; padding: 0 1; margin-top: 1;
        border: round $primary; background: $surface;
    }
    ExamReportScreen .heading { text-style: bold; margin-top: 1; color: $text-accent; }
    ExamReportScreen #topics { height: auto; padding: 0 1; }
    ExamReportScreen .mistake { height: auto; margin-top: 1; }
    ExamReportScreen .explanation { color: $text-muted; padding-left: 5; }
    """
    BINDINGS = [
        Binding("r", "revise", "Revise mistakes", id="exam_report.revise"),
        Binding("enter", "home", "Home", id="exam_report.home"),
        Binding("escape", "home", "Home", show=False, id="exam_report.home_escape"),
    ]

    def __init__(
        self,
        context: StudyContext,
        report: ExamReport,
        questions: dict[int, QuestionBase] | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.report = report
        self.questions = questions or {}

    def compose(self) -> ComposeResult:
        report = self.report
        yield Header()
        with VerticalScroll(id="report"):
            yield Static(self._score(), id="score")
            yield Static("Score by topic", classes="heading")
            yield Static(self._topics(), id="topics")
            if report.mistakes:
                yield Static(f"Mistakes ({len(report.mistakes)})", classes="heading")
                for number, mistake in enumerate(report.mistakes, start=1):
                    yield Static(self._mistake(number, mistake), classes="mistake")
                    if mistake.explanation:
                        yield Static(mistake.explanation, classes="explanation")
            else:
                yield Static("No mistakes: every answer was right.", classes="heading")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Mock exam report"

    def _topics(self) -> Content:
        """The topics as a table: right, of, score; the weakest one highlighted."""
        report = self.report
        width = max([len("Topic"), *(len(t.topic) for t in report.topics)]) + 2
        lines = [Content.styled(f"{'Topic':<{width}}{'Right':>6}{'Of':>5}{'Score':>8}", "bold")]
        for topic in report.topics:
            row = (
                f"{topic.topic:<{width}}{topic.correct:>6}{topic.total:>5}{percent(topic.score):>8}"
            )
            if topic.topic == report.weakest_topic:
                lines.append(
                    Content.assemble((row, "bold $text-error"), ("   ◀ weakest", "$text-error"))
                )
            else:
                lines.append(Content(row))
        return Content("\n").join(lines)

    def _score(self) -> Content:
        report = self.report
        minutes, seconds = divmod(round(report.seconds), 60)
        lines = [
            Content.assemble(
                ("Mock exam: ", "bold"),
                (f"{report.correct} of {report.total} right", "bold $text-accent"),
                (f"  ({percent(report.score)})", "bold"),
            ),
            Content.assemble(
                ("Answered ", "$text-muted"),
                (f"{report.answered} of {report.total}", ""),
                ("   time ", "$text-muted"),
                (f"{minutes} min {seconds:02d} s", ""),
            ),
        ]
        if report.weakest_topic is not None:
            lines.append(
                Content.assemble(
                    ("Weakest topic ", "$text-muted"),
                    (report.weakest_topic, "bold $text-error"),
                    ("   r: revise the mistakes and this topic", "$text-muted"),
                )
            )
        return Content("\n").join(lines)

    def _mistake(self, number: int, mistake: Mistake) -> Content:
        question = self.questions.get(mistake.question_id)
        return Content("\n").join(
            [
                Content.assemble(
                    ("✗", "bold $text-error"),
                    (f" {number:>2}. ", "$text-muted"),
                    (mistake.prompt, "bold"),
                    (f"   ({mistake.topic})", "$text-muted"),
                ),
                Content.assemble(
                    ("     Your answer   ", "$text-muted"),
                    (mistake.given_text, "$text-error"),
                ),
                Content.assemble(
                    ("     Right answer  ", "$text-muted"),
                    (right_text(question, mistake.right), "$text-success"),
                ),
            ]
        )

    async def action_revise(self) -> None:
        """Study the mistakes, then cards of the weakest topic, rating each as usual."""
        from quiz.tui.screens.revision import RevisionScreen

        profile = self.context.require_profile()
        cards = await background(
            self,
            revision_cards,
            self.context.database,
            profile,
            self.report.exam_id,
            self.context.now(),
        )
        if isinstance(cards, Failed):
            return
        if not cards:
            self.notify("Nothing to revise: no mistakes and no weak topic.")
            return
        self.app.push_screen(RevisionScreen(self.context, cards, "Exam revision"))

    def action_home(self) -> None:
        """Back to the home screen."""
        self.dismiss()


# -- the exam date ---------------------------------------------------------------------


def parse_exam_date(text: str) -> date | None:
    """The date typed (None when empty); ValueError with a sentence when it is not one."""
    text = text.strip()
    if not text:
        return None
    if not DATE_SHAPE.match(text):
        raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-06-15.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text} is not a day of the calendar: check the month (01-12) and the day."
        ) from None


class ExamDateScreen(ModalScreen[bool]):
    """Set or clear the exam date. Dismisses with True when it changed."""

    DEFAULT_CSS = """
    ExamDateScreen { align: center middle; }
    ExamDateScreen > Vertical {
        width: 64; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    ExamDateScreen .title { text-style: bold; margin-bottom: 1; }
    ExamDateScreen #error { color: $text-error; height: auto; }
    ExamDateScreen .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "save", "Save", id="exam_date.save"),
        Binding("escape", "cancel", "Cancel", id="exam_date.cancel"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        current = self.context.require_profile().exam_date
        with Vertical():
            yield Static("Exam date", classes="title")
            yield Input(current.isoformat() if current else "", placeholder="YYYY-MM-DD", id="date")
            yield Static("", id="error")
            yield Static(
                "Every card is planned to be seen before this day. "
                "Leave it empty to clear the date. Enter saves; Esc cancels.",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    @on(Input.Submitted)
    async def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_save()

    async def action_save(self) -> None:
        """Save the date (empty clears it)."""
        error = self.query_one("#error", Static)
        try:
            chosen = parse_exam_date(self.query_one("#date", Input).value)
        except ValueError as problem:
            error.update(str(problem))
            return
        profile = self.context.require_profile()
        changed = await background(
            self,
            set_exam_date,
            self.context.database,
            profile.id,
            chosen,
            self.context.now(),
            quiet=True,
        )
        if isinstance(changed, Failed):
            error.update(sentence(changed.error or "the date could not be saved"))
            return
        self.context.profile = changed
        self.notify(
            f"Exam date set to {chosen.isoformat()}." if chosen else "Exam date cleared.",
            timeout=3,
        )
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Close without changing the date."""
        self.dismiss(False)
