"""The review screen: today's cards one at a time, graded, then rated Again/Hard/Good/Easy.

The screen sends what the learner did (`submit`) and shows what the services say: the
verdict, the intervals, the next card and today's counts. Every answer is saved as soon as
it is checked (before it is rated), so quitting or a crash never loses one. Every database
call runs in a worker (`quiz.tui.background`).
"""

import time
from enum import Enum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quiz.services.answering import (
    Cloze,
    Flashcard,
    Outcome,
    RecallResponse,
    Response,
    ShortAnswer,
)
from quiz.services.cards import StudyCard
from quiz.services.format import duration_text
from quiz.services.queue import QueueCounts
from quiz.services.reviewing import (
    Next,
    SessionSummary,
    StudyRun,
    begin,
    end,
    format_interval,
    override,
    rate,
    submit,
    undo,
)
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.widgets.feedback import AnswerFeedback, RatingBar
from quiz.tui.widgets.question import QuestionView, type_label


class Phase(Enum):
    LOADING = "loading"
    ASKING = "asking"
    GRADED = "graded"
    DONE = "done"


class ReviewScreen(Screen[None]):
    """Study a deck (or all decks), or revise given cards: one card at a time until
    nothing is left."""

    DEFAULT_CSS = """
    ReviewScreen #progress { height: 1; padding: 0 1; background: $boost; }
    ReviewScreen #card { height: 1fr; padding: 1 2 0 2; }
    ReviewScreen #summary {
        width: 60; height: auto; padding: 1 2; border: round $primary; background: $surface;
    }
    ReviewScreen RatingBar { display: none; }
    ReviewScreen.-graded RatingBar { display: block; }
    """
    BINDINGS = [
        Binding("space", "reveal", "Show answer", id="review.reveal"),
        Binding("enter", "reveal", "Show answer", show=False, id="review.reveal_enter"),
        Binding("enter", "submit", "Check", id="review.submit"),
        Binding("space", "rate_suggested", "Suggested rating", id="review.suggested"),
        Binding(
            "enter", "rate_suggested", "Suggested rating", show=False, id="review.suggested_enter"
        ),
        Binding("1", "rate(1)", "Rate Again", show=False, id="review.again"),
        Binding("2", "rate(2)", "Rate Hard", show=False, id="review.hard"),
        Binding("3", "rate(3)", "Rate Good", show=False, id="review.good"),
        Binding("4", "rate(4)", "Rate Easy", show=False, id="review.easy"),
        Binding("o", "override", "I was right", id="review.override"),
        Binding("ctrl+z", "undo", "Undo", id="review.undo"),
        Binding("u", "undo", "Undo", show=False, id="review.undo_u"),
        Binding("enter", "home", "Home", id="review.home"),
        Binding("escape", "leave", "Leave", id="review.leave"),
    ]

    DONE_TITLE: str | None = None  # the summary's title (default: done for today / for now)
    BACK_TEXT = "back home"  # where Enter or Esc goes from the summary

    def __init__(self, context: StudyContext, run: StudyRun, title: str) -> None:
        super().__init__()
        self.context = context
        self.run = run
        self.profile = run.profile
        self.deck_title = title
        self.phase = Phase.LOADING
        self.card: StudyCard | None = None
        self.outcome: Outcome | None = None
        self.counts = QueueCounts(0, 0, 0)
        self.shown_at = 0.0
        self.answers: list[int] = []  # answer ids given in this sitting, for undo
        self.rated = 0
        self.summary: SessionSummary | None = None

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="progress")
        yield VerticalScroll(id="card")
        yield RatingBar(id="ratings")
        yield Footer()

    async def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · {self.deck_title}"
        first = await background(self, begin, self.context.database, self.run, self.context.now())
        if isinstance(first, Failed):
            self.dismiss()
            return
        await self.show(first)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        flashcard = self.card is not None and isinstance(self.card.question, Flashcard)
        if action == "reveal":
            return self.phase is Phase.ASKING and flashcard
        if action == "submit":
            return self.phase is Phase.ASKING and not flashcard
        if action in ("rate", "rate_suggested"):
            return self.phase is Phase.GRADED
        if action == "override":
            return self.phase is Phase.GRADED and self._can_override()
        if action == "undo":
            return bool(self.answers) and self.phase in (Phase.ASKING, Phase.GRADED, Phase.DONE)
        if action == "home":
            return self.phase is Phase.DONE
        return True

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.set_class(phase is Phase.GRADED, "-graded")
        self.refresh_bindings()

    # -- showing cards -----------------------------------------------------------------

    async def show(self, step: Next) -> None:
        self.counts = step.counts
        if step.card is None:
            await self.show_summary()
        else:
            await self.show_card(step.card)

    async def show_card(self, card: StudyCard) -> None:
        self.card, self.outcome = card, None
        question = card.question
        meta = f"{question.topic} · {type_label(question)} · {card.kind.name.lower()} card"
        view = QuestionView(question, meta, rng=self.context.rng, id="question")
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount(view)
        area.scroll_home(animate=False)
        self._update_progress()
        self._set_phase(Phase.ASKING)
        if not view.focus_answer():
            self.set_focus(None)
        self.shown_at = time.monotonic()

    @property
    def view(self) -> QuestionView:
        return self.query_one("#question", QuestionView)

    def _update_progress(self) -> None:
        counts = self.counts
        if self.run.cards is not None:
            left: tuple[str | tuple[str, str], ...] = (
                "cards left: ",
                (str(counts.total), "bold $text-primary"),
                f" of {len(self.run.cards)}",
            )
        else:
            left = (
                "left today: ",
                (f"{counts.new} new", "bold $text-primary"),
                " · ",
                (f"{counts.learning} learning", "bold $text-error"),
                " · ",
                (f"{counts.review} review", "bold $text-success"),
            )
        self.query_one("#progress", Static).update(
            Content.assemble(  # the deck's title is in the header (80 columns fit the counts)
                *left,
                "   done this session: ",
                (str(self.rated), "bold"),
            )
        )

    # -- answering ---------------------------------------------------------------------

    @on(QuestionView.Submitted)
    async def answered(self, event: QuestionView.Submitted) -> None:
        event.stop()
        await self.action_submit()

    async def action_reveal(self) -> None:
        """Show the back of the flashcard."""
        await self._submit(RecallResponse())

    async def action_submit(self) -> None:
        """Check the answer."""
        if self.phase is Phase.ASKING:
            await self._submit(self.view.collect())

    async def _submit(self, response: Response) -> None:
        if self.card is None or self.phase is not Phase.ASKING:
            return
        self._set_phase(Phase.LOADING)
        duration_ms = max(0, round((time.monotonic() - self.shown_at) * 1000))
        outcome = await background(
            self,
            submit,
            self.context.database,
            self.run,
            self.card.question_id,
            response,
            duration_ms,
            self.context.now(),
        )
        if isinstance(outcome, Failed):
            self._set_phase(Phase.ASKING)
            return
        self.outcome = outcome
        self.answers.append(outcome.answer_id)
        await self._show_feedback(self.card, outcome)
        self._set_phase(Phase.GRADED)

    async def _show_feedback(self, card: StudyCard, outcome: Outcome) -> None:
        self.view.reveal(outcome.checked, outcome.response)
        self.set_focus(None)
        feedback = AnswerFeedback(id="feedback")
        await self.query_one("#card", VerticalScroll).mount(feedback)
        feedback.show(card.question, outcome.checked)
        self.query_one(RatingBar).show(
            {rating: format_interval(delta) for rating, delta in (outcome.intervals or {}).items()},
            outcome.suggested_rating,
        )
        feedback.scroll_visible(animate=False)

    def _can_override(self) -> bool:
        """A typed answer (short answer, cloze) marked wrong can be claimed right."""
        return (
            self.card is not None
            and isinstance(self.card.question, ShortAnswer | Cloze)
            and self.outcome is not None
            and not self.outcome.checked.correct
        )

    async def action_override(self) -> None:
        """ "I was right": the typed answer marked wrong counts as right (Good is suggested)."""
        if self.card is None or self.outcome is None or not self._can_override():
            return
        card = self.card
        self._set_phase(Phase.LOADING)
        outcome = await background(
            self, override, self.context.database, self.run, self.outcome, self.context.now()
        )
        if isinstance(outcome, Failed):
            self._set_phase(Phase.GRADED)
            return
        self.outcome = outcome
        feedback = self.query_one("#feedback", AnswerFeedback)
        feedback.show(card.question, outcome.checked)
        self.query_one(RatingBar).show(
            {rating: format_interval(delta) for rating, delta in (outcome.intervals or {}).items()},
            outcome.suggested_rating,
        )
        self._set_phase(Phase.GRADED)

    # -- rating ------------------------------------------------------------------------

    async def action_rate_suggested(self) -> None:
        """Rate with the suggested rating (Again after a wrong answer, else Good)."""
        if self.outcome is not None:
            await self.action_rate(self.outcome.suggested_rating)

    async def action_rate(self, rating: int) -> None:
        """Rate the card: 1 Again, 2 Hard, 3 Good, 4 Easy."""
        if self.outcome is None or self.phase is not Phase.GRADED:
            return
        self._set_phase(Phase.LOADING)
        step = await background(
            self,
            rate,
            self.context.database,
            self.run,
            self.outcome.answer_id,
            rating,
            self.context.now(),
            self.context.fuzz_seed(),
        )
        if isinstance(step, Failed):
            self._set_phase(Phase.GRADED)
            return
        self.rated += 1
        await self.show(step)

    # -- undo, leaving, the summary ----------------------------------------------------

    async def action_undo(self) -> None:
        """Undo the last answer of this session and show its card again."""
        if not self.answers or self.phase is Phase.LOADING:
            return
        was_rated = self.phase is not Phase.GRADED
        phase = self.phase
        self._set_phase(Phase.LOADING)
        step = await background(self, undo, self.context.database, self.run, self.context.now())
        if isinstance(step, Failed) or step is None or step.card is None:
            self._set_phase(phase)
            return
        self.answers.pop()
        self.rated -= 1 if was_rated else 0
        self.summary = None
        self.notify("The last answer was undone.", timeout=2)
        await self.show(step)

    async def action_leave(self) -> None:
        """Back to the home screen (every answer is already saved; this ends the session)."""
        await self._end()
        self.dismiss()

    async def action_home(self) -> None:
        """Back to the home screen."""
        self.dismiss()

    async def _end(self) -> SessionSummary | None:
        if self.summary is not None:
            return self.summary
        result = await background(self, end, self.context.database, self.run, self.context.now())
        if isinstance(result, Failed):
            return None
        self.summary = result
        return result

    async def show_summary(self) -> None:
        self.card = None
        self._set_phase(Phase.DONE)
        summary = await self._end()
        counts = self.counts
        lines = [Content.styled(self._done_title(counts), "bold $text-success"), Content("")]
        if summary is not None:
            rows = [
                ("Cards studied", str(summary.cards)),
                ("Accuracy", f"{round(summary.accuracy * 100)}%" if summary.cards else "–"),
                ("Time", duration_text(summary.seconds)),
                ("Due tomorrow", str(summary.due_tomorrow)),
            ]
            lines += [
                Content.assemble((f"{label:<16}", "$text-muted"), (value, "bold"))
                for label, value in rows
            ]
        else:
            lines.append(Content("Nothing was answered in this session."))
        lines += [Content(""), *[Content(note) for note in self._held_notes(counts)]]
        lines += [Content(""), Content.styled(f"Enter or Esc: {self.BACK_TEXT}", "$text-muted")]
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount(Static(Content("\n").join(lines), id="summary"))
        self._update_progress()
        self.set_focus(None)

    def _done_title(self, counts: QueueCounts) -> str:
        if self.DONE_TITLE is not None:
            return self.DONE_TITLE
        if counts.later_today:
            return "Done for now"
        if counts.new_held or counts.reviews_held:
            return "Today's limits reached"
        return "Done for today!"

    def _held_notes(self, counts: QueueCounts) -> list[str]:
        if self.run.cards is not None:
            return []
        notes = []
        if counts.later_today:
            notes.append(f"{counts.later_today} card(s) come back later today: study again soon.")
        if counts.new_held:
            notes.append(
                f"{counts.new_held} new card(s) wait: today's {self.profile.new_per_day} "
                "new cards are done. To study more: + on home (today only), or raise "
                "new cards a day in settings (c on home)."
            )
        if counts.reviews_held:
            notes.append(
                f"{counts.reviews_held} review(s) wait beyond today's limit of "
                f"{self.profile.max_reviews_per_day}; raise it in settings (c on home)."
            )
        return notes
