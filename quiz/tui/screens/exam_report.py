"""The graded mock exam: score, topics, every answer (or only the mistakes, `a`); `r`
revises what was missed, resuming a revision left half-way (`R` starts it again)."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quiz.services.answering import Cloze, MultipleChoice, Ordering, QuestionBase
from quiz.services.format import percent
from quiz.services.mock_exam import (
    ExamAnswer,
    ExamReport,
    Mistake,
    exam_answers,
    revised_questions,
    revision_cards,
)
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


def as_answer(mistake: Mistake) -> ExamAnswer:
    """A mistake of the stored report as an answer of the exam (answered wrongly or not)."""
    return ExamAnswer(
        mistake.question_id,
        mistake.key,
        mistake.topic,
        mistake.prompt,
        mistake.given,
        False,
        mistake.right,
        mistake.explanation,
    )


TIE_RULE = "lowest score; ties: more mistakes, then A to Z"


class ExamReportScreen(Screen[None]):
    """The graded mock exam: the score, a table of topics (the weakest highlighted) and
    every answer with the right one and the explanation (`a`: only the mistakes). `r`
    revises the mistakes and the weakest topic, resuming where a revision was left; `R`
    starts the revision again from its first card."""

    DEFAULT_CSS = """
    ExamReportScreen #report { height: 1fr; padding: 0 2; }
    ExamReportScreen #score {
        height: auto; padding: 0 1; margin-top: 1;
        border: round $primary; background: $surface;
    }
    ExamReportScreen .heading { text-style: bold; margin-top: 1; color: $text-accent; }
    ExamReportScreen #topics { height: auto; padding: 0 1; }
    ExamReportScreen #answers { height: auto; }
    ExamReportScreen .answer { height: auto; margin-top: 1; }
    ExamReportScreen .explanation { color: $text-muted; padding-left: 5; }
    """
    BINDINGS = [
        Binding("r", "revise", "Revise mistakes", id="exam_report.revise"),
        Binding("R", "revise(True)", "Revise again", id="exam_report.revise_again"),
        Binding("a", "show_answers(True)", "Mistakes only", id="exam_report.mistakes"),
        Binding("a", "show_answers(False)", "Every answer", id="exam_report.every"),
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
        self.answers: list[ExamAnswer] | None = None  # every answer, once loaded
        self.mistakes_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="report"):
            yield Static(self._score(), id="score")
            yield Static("Score by topic", classes="heading")
            yield Static(self._topics(), id="topics")
            yield Static("", id="answers-heading", classes="heading")
            yield Vertical(id="answers")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = "Mock exam report"
        await self._show_answers()
        found = await background(
            self,
            exam_answers,
            self.context.database,
            self.context.require_profile(),
            self.report.exam_id,
        )
        if not isinstance(found, Failed):
            self.answers = found
            await self._show_answers()

    def shown_answers(self) -> list[ExamAnswer]:
        """What the list shows: every answer (the mistakes until they are loaded), or only
        the mistakes."""
        if self.answers is None or self.mistakes_only:
            return [as_answer(m) for m in self.report.mistakes]
        return self.answers

    async def _show_answers(self) -> None:
        report = self.report
        heading = self.query_one("#answers-heading", Static)
        if self.answers is None or self.mistakes_only:
            heading.update(
                f"Mistakes ({len(report.mistakes)})"
                if report.mistakes
                else "No mistakes: every answer was right."
            )
        else:
            heading.update(
                f"Every answer ({report.total}, {len(report.mistakes)} wrong); a: mistakes only"
            )
        area = self.query_one("#answers", Vertical)
        await area.remove_children()
        widgets: list[Static] = []
        for number, answer in enumerate(self.shown_answers(), start=1):
            widgets.append(Static(self._answer(number, answer), classes="answer"))
            if answer.explanation and not answer.correct:
                widgets.append(Static(answer.explanation, classes="explanation"))
        await area.mount_all(widgets)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_answers":  # one of the two, and once every answer is loaded
            return self.answers is not None and parameters != (self.mistakes_only,)
        return True

    async def action_show_answers(self, mistakes_only: bool) -> None:
        """Every answer, or only the mistakes."""
        self.mistakes_only = mistakes_only
        await self._show_answers()

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
                    (f" ({TIE_RULE})", "$text-muted"),
                )
            )
            lines.append(
                Content.styled(
                    "r: revise the mistakes and this topic, resuming where you left off",
                    "$text-muted",
                )
            )
        return Content("\n").join(lines)

    def _answer(self, number: int, answer: ExamAnswer) -> Content:
        question = self.questions.get(answer.question_id)
        mark = ("✓", "bold $text-success") if answer.correct else ("✗", "bold $text-error")
        lines = [
            Content.assemble(
                mark,
                (f" {number:>2}. ", "$text-muted"),
                (answer.prompt, "bold"),
                (f"   ({answer.topic})", "$text-muted"),
            ),
            Content.assemble(
                ("     Your answer   ", "$text-muted"),
                (answer.given_text, "" if answer.correct else "$text-error"),
            ),
        ]
        if not answer.correct:
            lines.append(
                Content.assemble(
                    ("     Right answer  ", "$text-muted"),
                    (right_text(question, answer.right), "$text-success"),
                )
            )
        return Content("\n").join(lines)

    async def action_revise(self, again: bool = False) -> None:
        """Study the mistakes, then cards of the weakest topic, rating each as usual: from
        where the revision was left, or (`again`) from its first card."""
        from quiz.tui.screens.revision import RevisionScreen

        profile, database = self.context.require_profile(), self.context.database
        exam_id = self.report.exam_id
        cards = await background(
            self, revision_cards, database, profile, exam_id, self.context.now()
        )
        if isinstance(cards, Failed):
            return
        if not cards:
            self.notify("Nothing to revise: no mistakes and no weak topic.")
            return
        done: set[int] = set()
        if not again:
            revised = await background(self, revised_questions, database, profile, exam_id)
            if isinstance(revised, Failed):
                return
            done = {card.question_id for card in cards} & revised
        if len(done) == len(cards):
            self.notify(
                f"You have revised all {len(cards)} card(s) of this exam; "
                "R revises them again from the start."
            )
            return
        if done:
            self.notify(
                f"Resuming the revision: {len(done)} of {len(cards)} card(s) done; "
                "R starts it again.",
                timeout=4,
            )
        self.app.push_screen(RevisionScreen(self.context, cards, "Exam revision", exam_id, done))

    def action_home(self) -> None:
        """Back to the home screen."""
        self.dismiss()
