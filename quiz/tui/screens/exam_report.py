"""The graded mock exam: score, topics, mistakes; `r` revises what was missed."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quiz.services.answering import Cloze, MultipleChoice, Ordering, QuestionBase
from quiz.services.format import percent
from quiz.services.mock_exam import ExamReport, Mistake, revision_cards
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext


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
