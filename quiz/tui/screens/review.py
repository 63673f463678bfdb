"""The review screen: today's cards one at a time, graded, then rated Again/Hard/Good/Easy.

Every answer is saved as soon as it is graded (before it is rated), so quitting or a crash
never loses one. DB calls here are single indexed queries (about a millisecond on SQLite),
so they run directly in the handlers.
"""

import time
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quiz.services.answering import Checked, Flashcard, Response, check_response
from quiz.services.study import (
    SessionSummary,
    StudyCard,
    finish_session,
    format_interval,
    next_card,
    queue_counts,
    rate_answer,
    record_answer,
    start_session,
    study_card,
    undo_last_answer,
)
from quiz.tui.context import StudyContext
from quiz.tui.widgets.feedback import AnswerFeedback, RatingBar
from quiz.tui.widgets.question import QuestionView, type_label


class Phase(Enum):
    LOADING = "loading"
    ASKING = "asking"
    GRADED = "graded"
    DONE = "done"


@dataclass
class Given:
    """An answer given in this sitting (for undo and the done count)."""

    answer_id: int
    rated: bool


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


class ReviewScreen(Screen[None]):
    """Study a deck (or all decks): one card at a time until nothing is left today."""

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
        Binding("ctrl+z", "undo", "Undo", id="review.undo"),
        Binding("u", "undo", "Undo", show=False, id="review.undo_u"),
        Binding("enter", "home", "Home", id="review.home"),
        Binding("escape", "leave", "Leave", id="review.leave"),
    ]

    KIND = "review"  # the kind of study session
    DONE_TITLE: str | None = None  # the summary's title (default: done for today / for now)

    def __init__(self, context: StudyContext, deck_id: int | None, title: str) -> None:
        super().__init__()
        self.context = context
        self.profile = context.require_profile()
        self.deck_id = deck_id
        self.deck_title = title
        self.phase = Phase.LOADING
        self.session_id = 0
        self.card: StudyCard | None = None
        self.checked: Checked | None = None
        self.response: Response | None = None
        self.answer_id: int | None = None
        self.shown_at = 0.0
        self.duration_ms = 0
        self.last_topic: str | None = None
        self.given: list[Given] = []
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
        self.session_id = start_session(
            self.context.database, self.profile, self.context.now(), self.deck_id, self.KIND
        )
        await self.show_next()

    @property
    def done(self) -> int:
        """Cards rated in this sitting."""
        return sum(g.rated for g in self.given)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        flashcard = self.card is not None and isinstance(self.card.question, Flashcard)
        if action == "reveal":
            return self.phase is Phase.ASKING and flashcard
        if action == "submit":
            return self.phase is Phase.ASKING
        if action in ("rate", "rate_suggested"):
            return self.phase is Phase.GRADED
        if action == "undo":
            return bool(self.given) and self.phase is not Phase.LOADING
        if action == "home":
            return self.phase is Phase.DONE
        return True

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.set_class(phase is Phase.GRADED, "-graded")
        self.refresh_bindings()

    # -- showing cards -----------------------------------------------------------------

    async def show_next(self) -> None:
        card = next_card(
            self.context.database,
            self.profile,
            self.context.now(),
            self.deck_id,
            self.last_topic,
        )
        if card is None:
            await self.show_summary()
        else:
            await self.show_card(card)

    async def show_card(self, card: StudyCard) -> None:
        self.card, self.checked, self.response, self.answer_id = card, None, None, None
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
        counts = queue_counts(self.context.database, self.profile, self.context.now(), self.deck_id)
        self.query_one("#progress", Static).update(
            Content.assemble(
                (self.deck_title, "bold"),
                "   left today: ",
                (f"{counts.new} new", "bold $text-primary"),
                " · ",
                (f"{counts.learning} learning", "bold $text-error"),
                " · ",
                (f"{counts.review} review", "bold $text-success"),
                "   done this session: ",
                (str(self.done), "bold"),
            )
        )

    # -- answering ---------------------------------------------------------------------

    @on(QuestionView.Submitted)
    async def answered(self, event: QuestionView.Submitted) -> None:
        event.stop()
        await self.action_submit()

    async def action_reveal(self) -> None:
        """Show the back of the flashcard."""
        await self.action_submit()

    async def action_submit(self) -> None:
        """Check the answer (flashcards: show the back)."""
        if self.card is None or self.phase is not Phase.ASKING:
            return
        card = self.card
        self.duration_ms = round((time.monotonic() - self.shown_at) * 1000)
        response = self.response = self.view.collect()
        checked = self.checked = check_response(card.question, response)
        if not checked.self_graded:
            self.answer_id = record_answer(
                self.context.database,
                self.session_id,
                self.profile,
                card,
                response.to_dict(),
                checked.correct,
                self.duration_ms,
                self.context.now(),
                rating=None,
            )
            self.given.append(Given(self.answer_id, rated=False))
        await self._show_feedback(card, checked)
        self._set_phase(Phase.GRADED)

    async def _show_feedback(self, card: StudyCard, checked: Checked) -> None:
        question = card.question
        self.view.reveal(checked, self.response or Response())
        self.set_focus(None)
        feedback = AnswerFeedback(id="feedback")
        await self.query_one("#card", VerticalScroll).mount(feedback)
        feedback.show(question, checked)
        suggested = checked.suggested_rating
        self.query_one(RatingBar).show(
            {rating: format_interval(delta) for rating, delta in card.intervals.items()},
            suggested,
        )
        feedback.scroll_visible(animate=False)

    # -- rating ------------------------------------------------------------------------

    async def action_rate_suggested(self) -> None:
        """Rate with the suggested rating (Again after a wrong answer, else Good)."""
        if self.checked is not None:
            await self.action_rate(self.checked.suggested_rating)

    async def action_rate(self, rating: int) -> None:
        """Rate the card: 1 Again, 2 Hard, 3 Good, 4 Easy."""
        if self.card is None or self.checked is None or self.phase is not Phase.GRADED:
            return
        database, now = self.context.database, self.context.now()
        seed = self.context.fuzz_seed()
        if self.answer_id is None:  # a flashcard: saved when rated
            answer_id = record_answer(
                database,
                self.session_id,
                self.profile,
                self.card,
                (self.response or Response(revealed=True)).to_dict(),
                rating > 1,
                self.duration_ms,
                now,
                rating=rating,
                seed=seed,
            )
            self.given.append(Given(answer_id, rated=True))
        else:
            rate_answer(database, self.answer_id, self.profile, rating, now, seed)
            self.given[-1].rated = True
        self.last_topic = self.card.question.topic
        self._set_phase(Phase.LOADING)
        await self.show_next()

    # -- undo, leaving, the summary ----------------------------------------------------

    async def action_undo(self) -> None:
        """Undo the last answer of this session and show its card again."""
        if not self.given:
            return
        question_id = undo_last_answer(self.context.database, self.session_id)
        self.given.pop()
        if question_id is None:
            return
        card = study_card(self.context.database, self.profile, question_id, self.context.now())
        if card is not None:
            self.notify("The last answer was undone.", timeout=2)
            await self.show_card(card)

    def action_leave(self) -> None:
        """Back to the home screen (every answer is already saved)."""
        self.dismiss()

    def action_home(self) -> None:
        """Back to the home screen."""
        self.dismiss()

    def _left_later(self, now: datetime) -> int:
        """Cards still to study today once this session is over."""
        return queue_counts(self.context.database, self.profile, now, self.deck_id).total

    async def show_summary(self) -> None:
        self.card = None
        now = self.context.now()
        summary = self.summary = finish_session(
            self.context.database, self.session_id, self.profile, now
        )
        left = self._left_later(now)
        rows = [
            ("Cards studied", str(summary.cards)),
            ("Accuracy", f"{round(summary.accuracy * 100)}%" if summary.cards else "–"),
            ("Time", _duration(summary.seconds)),
            ("Due tomorrow", str(summary.due_tomorrow)),
        ]
        title = self.DONE_TITLE or ("Done for today!" if left == 0 else "Done for now")
        lines = [Content.styled(title, "bold $text-success"), Content("")]
        lines += [
            Content.assemble((f"{label:<16}", "$text-muted"), (value, "bold"))
            for label, value in rows
        ]
        if left:
            lines += [
                Content(""),
                Content(f"{left} card(s) come back later today: study again in a while."),
            ]
        lines += [Content(""), Content.styled("Enter or Esc: back home", "$text-muted")]
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount(Static(Content("\n").join(lines), id="summary"))
        self._update_progress()
        self._set_phase(Phase.DONE)
        self.set_focus(None)
