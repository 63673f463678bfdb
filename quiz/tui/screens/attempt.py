"""Taking a drill or a mock exam: one question at a time, a progress line, a countdown.

The screen knows nothing of drills or exams: it is given a `PaperView` (what to ask, until
when, with which feedback, what is answered) and the `PaperActions` of its kind. It sends
what the learner did; the services grade it, save it at once and say what to show.

With feedback at the end an answer can be changed until the attempt is submitted; with
feedback after each question the verdict is shown once the answer is saved and the answer
is final. When the countdown reaches zero the attempt is submitted as it stands.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static

from quiz.services.answering import (
    Cloze,
    Outcome,
    QuestionBase,
    RecallResponse,
    Response,
    ShortAnswer,
    describe_response,
)
from quiz.services.database import Database
from quiz.services.format import sentence
from quiz.services.paper import PaperQuestion, PaperView
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.widgets.feedback import AnswerFeedback
from quiz.tui.widgets.question import QuestionView, type_label


@dataclass(frozen=True)
class PaperActions:
    """What differs between a drill and a mock exam on this screen: the services that save
    an answer and finish the paper, the screen that shows the result, and whether leaving
    keeps the paper open (a drill) or submits it (an exam)."""

    label: str  # "Drill" or "Mock exam", for the header
    answer: Callable[[Database, int, int, Response, int, datetime], Outcome]
    finish: Callable[[Database, int, datetime], Any]
    result: Callable[[StudyContext, PaperView, Any], Screen[None]]
    leave_keeps_it_open: bool
    # "I was right" on a wrong typed answer, where the paper allows it (drills only)
    override: Callable[[Database, int, int, datetime], Outcome] | None = None


class Phase(Enum):
    ASKING = "asking"
    RECALLING = "recalling"  # a flashcard's back is shown: did the learner know it?
    FEEDBACK = "feedback"  # the verdict after an answer (feedback "each")
    ANSWERED = "answered"  # a question already answered, shown again
    DONE = "done"


def clock_text(seconds: float) -> str:
    whole = int(seconds)  # never shows 0:00 before time is really up
    if seconds > whole:
        whole += 1
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def given_note(response: Response, after: str) -> Content:
    """The learner's saved answer as they read it, then `after` (what happens next)."""
    return Content.assemble(
        "Your answer: ", (describe_response(response), "bold $text-accent"), f"   {after}"
    )


class AttemptScreen(Screen[None]):
    """One question at a time; PgDn/PgUp (or ctrl+f/ctrl+b) move between questions,
    ctrl+s submits early (after a confirm), the countdown submits when time is up."""

    DEFAULT_CSS = """
    AttemptScreen #bar { height: 1; background: $boost; padding: 0 1; }
    AttemptScreen #progress { width: 1fr; }
    AttemptScreen #timer { width: auto; text-style: bold; }
    AttemptScreen #timer.-low { color: $text-error; }
    AttemptScreen #card { height: 1fr; padding: 1 2 0 2; }
    AttemptScreen #note { margin-top: 1; color: $text-muted; }
    AttemptScreen #note.-saved { color: $text-success; }
    """
    BINDINGS = [
        Binding("enter", "submit", "Save answer", id="attempt.submit"),
        Binding("space", "reveal", "Show answer", id="attempt.reveal"),
        Binding("y", "recalled(True)", "I knew it", id="attempt.knew"),
        Binding("n", "recalled(False)", "I did not", id="attempt.not_knew"),
        Binding("enter", "proceed", "Next question", id="attempt.proceed"),
        Binding("o", "override", "I was right", id="attempt.override"),
        Binding(
            "pagedown,ctrl+f",
            "move(1)",
            "Next",
            key_display="PgDn",
            priority=True,
            id="attempt.next",
        ),
        Binding(
            "pageup,ctrl+b",
            "move(-1)",
            "Previous",
            key_display="PgUp",
            priority=True,
            id="attempt.previous",
        ),
        Binding(
            "ctrl+s", "finish", "Submit all", key_display="^s", priority=True, id="attempt.finish"
        ),
        Binding("escape", "leave", "Leave", id="attempt.leave"),
    ]

    def __init__(self, context: StudyContext, paper: PaperView, actions: PaperActions) -> None:
        super().__init__()
        self.context = context
        self.paper = paper
        self.actions = actions
        self.index = 0
        self.phase = Phase.ASKING
        self.responses: dict[int, Response] = dict(paper.responses)
        self.outcomes: dict[int, Outcome] = dict(paper.outcomes)  # verdicts shown ("each")
        self.shown_at = 0.0
        self.timer: Timer | None = None
        self.finishing = False
        self.saving = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bar"):
            yield Static("", id="progress")
            yield Static("", id="timer")
        yield VerticalScroll(id="card")
        yield Footer()

    async def on_mount(self) -> None:
        title, kind = self.paper.title, self.actions.label
        self.sub_title = title if title.startswith(kind) else f"{kind} · {title}"
        first = next(
            (i for i, q in enumerate(self.paper.questions) if q.question_id not in self.answered),
            0,
        )
        self.tick()
        if self.paper.deadline is not None:
            self.timer = self.set_interval(1.0, self.tick)
        if not self.finishing:
            await self.show_question(first)

    @property
    def answered(self) -> set[int]:
        return set(self.responses)

    @property
    def current(self) -> PaperQuestion:
        return self.paper.questions[self.index]

    @property
    def view(self) -> QuestionView:
        return self.query_one("#question", QuestionView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.phase is Phase.DONE:
            return False
        asking = self.phase is Phase.ASKING
        flashcard = asking and self.view_is_flashcard()
        if action == "submit":
            return asking and not flashcard
        if action == "reveal":
            return flashcard
        if action == "recalled":
            return self.phase is Phase.RECALLING
        if action == "proceed":
            return self.phase in (Phase.FEEDBACK, Phase.ANSWERED)
        if action == "override":
            return self.phase is Phase.FEEDBACK and self._can_override()
        if action == "move":
            step = parameters[0] if parameters else 1
            target = self.index + (step if isinstance(step, int) else 1)
            return 0 <= target < len(self.paper.questions)
        return True

    def view_is_flashcard(self) -> bool:
        found = self.query("#question")
        return bool(found) and isinstance(found.first(), QuestionView) and self.view.is_flashcard

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.refresh_bindings()

    # -- the countdown -----------------------------------------------------------------

    def tick(self) -> None:
        """Update the countdown; submit the attempt when time is up."""
        if self.finishing:
            return
        left = self.paper.seconds_left(self.context.now())
        timer = self.query_one("#timer", Static)
        if left is None:
            timer.display = False
            return
        timer.update(f"time left {clock_text(left)}")
        timer.set_class(left < 60, "-low")
        if left <= 0:
            self.notify("Time is up: your answers were submitted.", title="Time is up")
            self.finish()

    # -- showing a question ------------------------------------------------------------

    async def show_question(self, index: int) -> None:
        self.index = index
        item = self.current
        question = item.question
        view = QuestionView(
            question,
            f"{question.topic} · {type_label(question)}",
            options=item.options,
            rng=self.context.rng,
            saving=True,
            id="question",
        )
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount(view)
        area.scroll_home(animate=False)
        response = self.responses.get(item.question_id)
        outcome = self.outcomes.get(item.question_id)
        self._update_progress()
        if response is not None and self.paper.feedback_each:
            if outcome is not None and outcome.shown:
                view.reveal(outcome.checked, outcome.response)
                await self._mount_feedback(question, outcome)
                self._set_phase(Phase.FEEDBACK)
            else:  # final but without a verdict to show (a paper graded elsewhere)
                view.restore(response)
                view.freeze()
                await area.mount(Static(given_note(response, "Saved, final"), id="note"))
                self._set_phase(Phase.ANSWERED)
            self.set_focus(None)
        else:
            if response is not None:
                view.restore(response)
            if response is not None:
                again = "Saved. Answer again to replace your answer, or go on (PgDn)."
                if isinstance(response, RecallResponse):  # a flashcard's widgets hold no answer
                    note = Static(given_note(response, again), id="note")
                else:
                    note = Static(again, id="note")
                note.add_class("-saved")
                await area.mount(note)
            if not view.focus_answer():
                self.set_focus(None)
            self._set_phase(Phase.ASKING)
        self.shown_at = time.monotonic()

    def _update_progress(self) -> None:
        total = len(self.paper.questions)
        self.query_one("#progress", Static).update(
            Content.assemble(
                (self.paper.title, "bold"),
                "   question ",
                (f"{self.index + 1} of {total}", "bold $text-accent"),
                "   answered ",
                (f"{len(self.answered)}", "bold"),
                f" of {total}",
            )
        )

    async def _mount_feedback(self, question: QuestionBase, outcome: Outcome) -> None:
        feedback = AnswerFeedback(id="feedback")
        await self.query_one("#card", VerticalScroll).mount(feedback)
        feedback.show(question, outcome.checked)
        hint = Static("Enter: next question", id="note")
        if isinstance(outcome.response, RecallResponse):  # a flashcard's widgets hold no answer
            hint = Static(given_note(outcome.response, "Enter: next question"), id="note")
        await self.query_one("#card", VerticalScroll).mount(hint)
        feedback.scroll_visible(animate=False)

    # -- answering ---------------------------------------------------------------------

    @on(QuestionView.Submitted)
    async def answered_view(self, event: QuestionView.Submitted) -> None:
        event.stop()
        await self.save(event.response)

    async def action_submit(self) -> None:
        """Save the answer as it stands."""
        if self.phase is Phase.ASKING and not self.view.is_flashcard:
            await self.save(self.view.collect())

    async def action_reveal(self) -> None:
        """Show the back of the flashcard, then say whether you knew it."""
        if self.phase is not Phase.ASKING or not self.view.is_flashcard:
            return
        question = self.current.question
        self.view.freeze()
        card = self.query_one("#card", VerticalScroll)
        await card.query("#note").remove()  # "Saved. Answer again…" when answered earlier
        await card.mount(
            Static(
                Content.assemble(
                    ("Answer: ", "$text-muted"),
                    (question.accepted_answers[0], "bold"),
                    ("\nDid you know it?  y: yes   n: no", "$text-muted"),
                ),
                id="note",
            )
        )
        self._set_phase(Phase.RECALLING)

    async def action_recalled(self, knew: bool) -> None:
        """Say whether you knew the flashcard's answer."""
        if self.phase is Phase.RECALLING:
            await self.save(RecallResponse(knew=knew))

    async def save(self, response: Response) -> None:
        """Send the response; the service grades and saves it and says what to show."""
        if self.finishing or self.saving:
            return
        item = self.current
        duration_ms = max(0, round((time.monotonic() - self.shown_at) * 1000))
        self.saving = True
        try:
            outcome = await background(
                self,
                self.actions.answer,
                self.context.database,
                self.paper.paper_id,
                item.question_id,
                response,
                duration_ms,
                self.context.now(),
                quiet=True,
            )
        finally:
            self.saving = False
        if isinstance(outcome, Failed):
            left = self.paper.seconds_left(self.context.now())
            if left is not None and left <= 0:
                self.tick()
            elif outcome.error is not None:
                self.notify(sentence(outcome.error), severity="error")
            return
        self.responses[item.question_id] = outcome.response
        if outcome.shown:
            self.outcomes[item.question_id] = outcome
            await self.show_question(self.index)
            return
        await self.advance()

    def _can_override(self) -> bool:
        """A wrong typed answer whose verdict is shown, on a paper that allows the claim."""
        outcome = self.outcomes.get(self.current.question_id)
        return (
            self.actions.override is not None
            and self.paper.allow_override
            and outcome is not None
            and not outcome.checked.correct
            and isinstance(self.current.question, ShortAnswer | Cloze)
        )

    async def action_override(self) -> None:
        """I was right: the answer shown wrong counts as right (the teacher sees the claim)."""
        if self.actions.override is None or not self._can_override():
            return
        item = self.current
        outcome = await background(
            self,
            self.actions.override,
            self.context.database,
            self.paper.paper_id,
            item.question_id,
            self.context.now(),
        )
        if isinstance(outcome, Failed):
            return
        self.outcomes[item.question_id] = outcome
        self.notify("Counted as right; your teacher sees that you claimed it.", timeout=3)
        await self.show_question(self.index)

    async def action_proceed(self) -> None:
        """Go on to the next question."""
        await self.advance()

    async def advance(self) -> None:
        """The next question not yet answered (after this one, then from the start); when
        every question is answered, offer to submit."""
        count = len(self.paper.questions)
        for step in range(1, count + 1):
            index = (self.index + step) % count
            if self.paper.questions[index].question_id not in self.answered:
                await self.show_question(index)
                return
        await self.show_question(self.index)
        self.app.push_screen(
            ConfirmScreen(
                "Every question is answered. Submit now?",
                "Answer no to look over your answers first; ctrl+s submits later.",
            ),
            self._confirmed,
        )

    async def action_move(self, step: int) -> None:
        """Go to the next (1) or previous (-1) question."""
        target = self.index + step
        if 0 <= target < len(self.paper.questions) and self.phase is not Phase.DONE:
            await self.show_question(target)

    # -- finishing ---------------------------------------------------------------------

    def action_finish(self) -> None:
        """Submit the attempt now (after a confirm)."""
        unanswered = len(self.paper.questions) - len(self.answered)
        detail = (
            f"{unanswered} question(s) are not answered and will count as wrong."
            if unanswered
            else "Every question is answered."
        )
        self.app.push_screen(
            ConfirmScreen("Submit now and see your score?", detail), self._confirmed
        )

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self.finish()

    def action_leave(self) -> None:
        """Leave (a drill can be resumed from the drill list; an exam is submitted)."""
        if self.actions.leave_keeps_it_open:
            self.notify("Your answers are saved; resume from the drill list.", timeout=3)
            self.dismiss()
        else:
            self.action_finish()

    def finish(self) -> None:
        """Submit the paper and show the result instead of this screen."""
        if self.finishing:
            return
        self.finishing = True
        if self.timer is not None:
            self.timer.stop()
        self._set_phase(Phase.DONE)
        self.run_worker(self._finish(), group="finish")

    async def _finish(self) -> None:
        result = await background(
            self,
            self.actions.finish,
            self.context.database,
            self.paper.paper_id,
            self.context.now(),
        )
        if isinstance(result, Failed):
            self.finishing = False
            self._set_phase(Phase.ASKING)
            return
        self.app.call_later(
            self._show_result, self.actions.result(self.context, self.paper, result)
        )

    async def _show_result(self, result: Screen[None]) -> None:
        """Run by the app (not by this screen's worker, which the switch ends)."""
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            await self.app.pop_screen()  # a confirm or the help over the attempt
        await self.app.switch_screen(result)
