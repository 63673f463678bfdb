"""The review screen: today's cards one at a time, graded, then rated Again/Hard/Good/Easy.

Every answer is saved as soon as it is graded (before it is rated), so quitting or a crash
never loses one. DB calls here are single indexed queries (about a millisecond on SQLite),
so they run directly in the handlers.
"""

import time
from dataclasses import dataclass
from enum import Enum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Label, Static

from quiz.services.answering import (
    Checked,
    Cloze,
    Flashcard,
    MultipleChoice,
    Ordering,
    QuestionBase,
    Response,
    ShortAnswer,
    TrueFalse,
    check_response,
    cloze_parts,
)
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
from quiz.tui.widgets.choices import ChoiceList, OrderList
from quiz.tui.widgets.feedback import AnswerFeedback, RatingBar

TYPE_LABELS = {
    "flashcard": "Flashcard",
    "short_answer": "Type the answer",
    "cloze": "Fill in the gaps",
    "multiple_choice": "Multiple choice",
    "true_false": "True or false?",
    "ordering": "Put in order",
}
TRUE_FALSE = ["True", "False"]


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


def _kind(question: QuestionBase) -> str:
    return str(getattr(question, "type", "flashcard"))


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
    ReviewScreen #card > .meta { color: $text-muted; }
    ReviewScreen #card > .prompt { text-style: bold; margin: 1 0; }
    ReviewScreen #card > .hint { color: $text-muted; margin-top: 1; }
    ReviewScreen #card > Input { width: 70; }
    ReviewScreen .gap { height: auto; width: 70; }
    ReviewScreen .gap > Label { width: 4; padding: 1 0 0 1; color: $text-muted; }
    ReviewScreen .gap > Input { width: 1fr; }
    ReviewScreen #back { margin-top: 1; padding: 0 1; border-left: thick $primary; }
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
            self.context.database, self.profile, self.context.now(), self.deck_id
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
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount_all(self._card_widgets(card))
        area.scroll_home(animate=False)
        self._update_progress()
        self._set_phase(Phase.ASKING)
        self._focus_answer(question)
        self.shown_at = time.monotonic()

    def _card_widgets(self, card: StudyCard) -> list[Widget]:
        question = card.question
        kind = _kind(question)
        state = card.kind.name.lower()
        meta = Static(f"{question.topic} · {TYPE_LABELS.get(kind, kind)} · {state} card")
        widgets: list[Widget] = [meta]
        meta.add_class("meta")
        if isinstance(question, Cloze):
            widgets.append(Static(self._cloze_text(question, []), classes="prompt", id="prompt"))
            for number in range(1, len(question.gaps) + 1):
                widgets.append(
                    Horizontal(
                        Label(f"{number}."),
                        Input(placeholder=f"gap {number}", id=f"gap-{number}"),
                        classes="gap",
                    )
                )
            hint = "Tab or Enter goes to the next gap; Enter on the last gap checks."
        else:
            widgets.append(Static(Content(question.prompt_text), classes="prompt", id="prompt"))
            if isinstance(question, ShortAnswer):
                widgets.append(Input(placeholder="Type your answer", id="answer"))
                hint = "Enter checks your answer (with nothing typed, shows it)."
            elif isinstance(question, MultipleChoice):
                options = list(question.choices)
                self.context.rng.shuffle(options)
                multiple = len(question.answers) > 1
                widgets.append(ChoiceList(options, multiple, id="choices"))
                hint = (
                    "Select all that apply: a number or space toggles, Enter checks."
                    if multiple
                    else "Press the number of your answer (or ↑/↓ and Enter)."
                )
            elif isinstance(question, TrueFalse):
                widgets.append(ChoiceList(TRUE_FALSE, id="choices"))
                hint = "Press 1 for true, 2 for false."
            elif isinstance(question, Ordering):
                items = list(question.items)
                while items == question.items and len(items) > 1:
                    self.context.rng.shuffle(items)
                widgets.append(OrderList(items, id="order"))
                hint = "↑/↓ choose an item, [ and ] (or shift+↑/↓) move it, Enter checks."
            else:
                hint = "Recall the answer, then press space to see it."
        widgets.append(Static(hint, classes="hint", id="hint"))
        return widgets

    def _focus_answer(self, question: QuestionBase) -> None:
        for selector in ("#answer", "#gap-1", "#choices", "#order"):
            found = self.query(selector)
            if found:
                found.first().focus()
                return
        self.set_focus(None)

    @staticmethod
    def _cloze_text(question: Cloze, typed: list[str], checked: Checked | None = None) -> Content:
        parts: list[tuple[str, str] | str] = []
        for part in cloze_parts(question):
            if isinstance(part, str):
                parts.append(part)
                continue
            text = typed[part].strip() if part < len(typed) else ""
            if checked is not None and part < len(checked.gaps):
                gap = checked.gaps[part]
                style = "bold $text-success" if gap.correct else "bold $text-error strike"
                parts.append((text or "…", style))
                if not gap.correct:
                    parts.append((f" {gap.expected}", "bold $text-success"))
            elif text:
                parts.append((f"[{part + 1}: {text}]", "bold $text-accent"))
            else:
                parts.append((f"[{part + 1}: ______]", "$text-accent"))
        return Content.assemble(*parts)

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

    @on(Input.Changed)
    def typing(self, event: Input.Changed) -> None:
        if self.card is not None and isinstance(self.card.question, Cloze):
            self.query_one("#prompt", Static).update(
                self._cloze_text(self.card.question, self._gap_texts())
            )

    def _gap_texts(self) -> list[str]:
        assert self.card is not None and isinstance(self.card.question, Cloze)
        return [
            self.query_one(f"#gap-{n}", Input).value
            for n in range(1, len(self.card.question.gaps) + 1)
        ]

    @on(Input.Submitted)
    async def typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.card is None or self.phase is not Phase.ASKING:
            return
        question = self.card.question
        if isinstance(question, Cloze) and event.input.id and event.input.id.startswith("gap-"):
            number = int(event.input.id.removeprefix("gap-"))
            if number < len(question.gaps):
                self.query_one(f"#gap-{number + 1}", Input).focus()
                return
        await self.action_submit()

    @on(ChoiceList.Submitted)
    async def chose(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        await self.action_submit()

    @on(OrderList.Submitted)
    async def ordered(self, event: OrderList.Submitted) -> None:
        event.stop()
        await self.action_submit()

    def _collect(self) -> Response:
        """The response as it stands in the answer widgets."""
        assert self.card is not None
        question = self.card.question
        if isinstance(question, ShortAnswer):
            return Response(typed=self.query_one("#answer", Input).value)
        if isinstance(question, Cloze):
            return Response(gaps=tuple(self._gap_texts()))
        if isinstance(question, MultipleChoice):
            choices = self.query_one("#choices", ChoiceList)
            selected = sorted(choices.selected) or ([] if choices.multiple else [choices.cursor])
            return Response(
                selected=tuple(choices.options[i] for i in selected), shown=tuple(choices.options)
            )
        if isinstance(question, TrueFalse):
            choices = self.query_one("#choices", ChoiceList)
            index = min(choices.selected) if choices.selected else choices.cursor
            return Response(truth=index == 0)
        if isinstance(question, Ordering):
            return Response(order=tuple(self.query_one("#order", OrderList).items))
        return Response(revealed=True)

    async def action_reveal(self) -> None:
        """Show the back of the flashcard."""
        await self.action_submit()

    async def action_submit(self) -> None:
        """Check the answer (flashcards: show the back)."""
        if self.card is None or self.phase is not Phase.ASKING:
            return
        card = self.card
        self.duration_ms = round((time.monotonic() - self.shown_at) * 1000)
        response = self.response = self._collect()
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
        for widget in self.query("#card Input"):
            widget.disabled = True
        for answer_list in self.query("#card ChoiceList, #card OrderList"):
            answer_list.can_focus = False
        if isinstance(question, MultipleChoice | TrueFalse):
            choices = self.query_one("#choices", ChoiceList)
            if isinstance(question, TrueFalse):
                choices.selected = {0 if self.response and self.response.truth else 1}
            correct = (
                {TRUE_FALSE[0 if question.answer else 1]}
                if isinstance(question, TrueFalse)
                else checked.correct_choices
            )
            choices.reveal(frozenset(correct))
        if isinstance(question, Ordering):
            self.query_one("#order", OrderList).reveal(list(question.items))
        if isinstance(question, Cloze):
            self.query_one("#prompt", Static).update(
                self._cloze_text(question, self._gap_texts(), checked)
            )
        self.set_focus(None)
        self.query_one("#hint", Static).display = False
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

    async def show_summary(self) -> None:
        self.card = None
        now = self.context.now()
        summary = self.summary = finish_session(
            self.context.database, self.session_id, self.profile, now
        )
        counts = queue_counts(self.context.database, self.profile, now, self.deck_id)
        rows = [
            ("Cards studied", str(summary.cards)),
            ("Accuracy", f"{round(summary.accuracy * 100)}%" if summary.cards else "–"),
            ("Time", _duration(summary.seconds)),
            ("Due tomorrow", str(summary.due_tomorrow)),
        ]
        title = "Done for today!" if counts.total == 0 else "Done for now"
        lines = [Content.styled(title, "bold $text-success"), Content("")]
        lines += [
            Content.assemble((f"{label:<16}", "$text-muted"), (value, "bold"))
            for label, value in rows
        ]
        if counts.total:
            lines += [
                Content(""),
                Content(f"{counts.total} card(s) come back later today: study again in a while."),
            ]
        lines += [Content(""), Content.styled("Enter or Esc: back home", "$text-muted")]
        area = self.query_one("#card", VerticalScroll)
        await area.remove_children()
        await area.mount(Static(Content("\n").join(lines), id="summary"))
        self._update_progress()
        self._set_phase(Phase.DONE)
        self.set_focus(None)
