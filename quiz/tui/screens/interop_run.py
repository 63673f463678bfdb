"""What the import and export screens share: the work runs in a thread worker that posts
its progress and its end as messages; a panel shows the bar, then the summary or the
error (the service's own message: nothing was changed)."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from quiz.errors import QuizError
from quiz.tui.context import StudyContext

if TYPE_CHECKING:
    from quiz.services.interop import Progress, Summary

Work = Callable[["Progress"], "Summary"]


def error_text(error: QuizError) -> str:
    """The service's message as it is (it may begin with a file name: not capitalised)."""
    text = str(error).strip()
    return text if text.endswith((".", "!", "?")) else text + "."


class Progressed(Message):
    """How far the work is: `total` 0 means the step cannot say (the bar pulses)."""

    def __init__(self, step: str, done: int, total: int) -> None:
        super().__init__()
        self.step, self.done, self.total = step, done, total


class Finished(Message):
    """The work ended with a summary, or with the error that stopped it."""

    def __init__(self, summary: "Summary | None", error: QuizError | None) -> None:
        super().__init__()
        self.summary, self.error = summary, error


class RunPanel(Vertical):
    """The step and its bar while working; the summary (or the error) afterwards."""

    DEFAULT_CSS = """
    RunPanel { height: auto; max-height: 9; }
    RunPanel #step { height: 1; color: $text-muted; }
    RunPanel #progress { height: 1; display: none; }
    RunPanel #result { height: auto; max-height: 7; }
    RunPanel #result.error { color: $text-error; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="step")
        yield ProgressBar(total=None, show_eta=False, id="progress")
        with VerticalScroll(id="result-box"):
            yield Static("", id="result")

    def hint(self, text: str) -> None:
        self.query_one("#step", Static).update(Content(text))  # file names as text

    def started(self, step: str) -> None:
        self.hint(step)
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        result = self.query_one("#result", Static)
        result.remove_class("error")
        result.update("")

    def progressed(self, step: str, done: int, total: int) -> None:
        self.hint(step)
        self.query_one("#progress", ProgressBar).update(total=total or None, progress=done)

    def finished(self, lines: list[str], next_step: str, error: bool = False) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.hint(next_step)
        result = self.query_one("#result", Static)
        result.set_class(error, "error")
        result.update(Content("\n".join(lines)))


class InteropScreen(Screen[None]):
    """A screen that runs one import or export at a time in a thread worker."""

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.running = False

    @property
    def panel(self) -> RunPanel:
        return self.query_one(RunPanel)

    def start(self, step: str, job: Work) -> None:
        """Run `job` off the UI thread; it is told a progress callback."""
        self.running = True
        self.panel.started(step)
        self.refresh_bindings()
        self._run(job)

    @work(thread=True, exclusive=True, group="interop", exit_on_error=True)
    def _run(self, job: Work) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self.post_message(Progressed(step, done, total))

        try:
            summary = job(progress)
        except QuizError as error:
            self.post_message(Finished(None, error))
            return
        self.post_message(Finished(summary, None))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.panel.progressed(message.step, message.done, message.total)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.running = False
        self.refresh_bindings()
        if message.error is not None:  # shown in the panel, in the error colour
            self.panel.finished([error_text(message.error)], self.after_error(), error=True)
        else:
            assert message.summary is not None
            self.panel.finished(message.summary.lines(), self.after(message.summary))

    def after(self, summary: "Summary") -> str:
        """What the learner can do now that `summary` is shown."""
        return "Esc: back"

    def after_error(self) -> str:
        return "Nothing was changed. Fix the file or the choices above and try again."
