"""One question of any of the six types: its prompt, the widgets to answer it with, and the
response they hold. Used by the review screen and by drill and exam attempts.

The view posts `QuestionView.Submitted` when the learner submits (Enter in the last field,
a number key on a single-answer choice, Enter on a list); the screen sends the response to
a service, which grades it, and shows the `Outcome` it gets back (`reveal`). A flashcard
has nothing to fill in: the screen reveals it with its own key.
"""

import random
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from quiz.services.answering import (
    Checked,
    ChoiceResponse,
    Cloze,
    Flashcard,
    GapsResponse,
    MultipleChoice,
    Ordering,
    OrderResponse,
    QuestionBase,
    RecallResponse,
    Response,
    ShortAnswer,
    TrueFalse,
    TruthResponse,
    TypedResponse,
    cloze_parts,
)
from quiz.tui.widgets.choices import ChoiceList, OrderList

TYPE_LABELS = {
    "flashcard": "Flashcard",
    "short_answer": "Type the answer",
    "cloze": "Fill in the gaps",
    "multiple_choice": "Multiple choice",
    "true_false": "True or false?",
    "ordering": "Put in order",
}
TRUE_FALSE = ["True", "False"]


def question_kind(question: QuestionBase) -> str:
    return str(getattr(question, "type", "flashcard"))


def type_label(question: QuestionBase) -> str:
    kind = question_kind(question)
    return TYPE_LABELS.get(kind, kind)


def cloze_text(question: Cloze, typed: Sequence[str], checked: Checked | None = None) -> Content:
    """The cloze text with what was typed in each gap (and, once checked, the verdicts)."""
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


class QuestionView(Vertical):
    """A question and its answer widgets. `options` fixes the order of the choices (multiple
    choice) or the starting order of the items (ordering); without it they are shuffled with
    `rng`. `saving` words the hints for an attempt, where Enter saves rather than checks."""

    DEFAULT_CSS = """
    QuestionView { height: auto; }
    QuestionView > .meta { color: $text-muted; }
    QuestionView > .prompt { text-style: bold; margin: 1 0; }
    QuestionView > .hint { color: $text-muted; margin-top: 1; }
    QuestionView > Input { width: 70; }
    QuestionView .gap { height: auto; width: 70; }
    QuestionView .gap > Label { width: 4; padding: 1 0 0 1; color: $text-muted; }
    QuestionView .gap > Input { width: 1fr; }
    """

    class Submitted(Message):
        """The learner submitted the response now in the widgets."""

        def __init__(self, view: "QuestionView", response: Response) -> None:
            super().__init__()
            self.view = view
            self.response = response

        @property
        def control(self) -> "QuestionView":
            return self.view

    def __init__(
        self,
        question: QuestionBase,
        meta: str,
        *,
        options: Sequence[str] = (),
        rng: random.Random | None = None,
        saving: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.meta = meta
        self.saving = saving
        self.revealed = False
        rng = rng or random.Random()
        self.options: list[str] = []
        if isinstance(question, MultipleChoice):
            self.options = list(options) or list(question.choices)
            if not options:
                rng.shuffle(self.options)
        elif isinstance(question, Ordering):
            self.options = list(options) or list(question.items)
            if not options:
                while self.options == question.items and len(self.options) > 1:
                    rng.shuffle(self.options)

    @property
    def is_flashcard(self) -> bool:
        return isinstance(self.question, Flashcard)

    def compose(self) -> ComposeResult:
        question = self.question
        yield Static(self.meta, classes="meta")
        check = "saves" if self.saving else "checks"
        if isinstance(question, Cloze):
            yield Static(cloze_text(question, []), classes="prompt", id="prompt")
            for number in range(1, len(question.gaps) + 1):
                yield Horizontal(
                    Label(f"{number}."),
                    Input(placeholder=f"gap {number}", id=f"gap-{number}"),
                    classes="gap",
                )
            hint = f"Tab or Enter goes to the next gap; Enter on the last gap {check}."
        else:
            yield Static(Content(question.prompt_text), classes="prompt", id="prompt")
            if isinstance(question, ShortAnswer):
                yield Input(placeholder="Type your answer", id="answer")
                hint = (
                    "Enter saves your answer."
                    if self.saving
                    else "Enter checks your answer (with nothing typed, shows it)."
                )
            elif isinstance(question, MultipleChoice):
                multiple = len(question.answers) > 1
                yield ChoiceList(self.options, multiple, id="choices")
                hint = (
                    f"Select all that apply: a number or space toggles, Enter {check}."
                    if multiple
                    else "Press the number of your answer (or ↑/↓ and Enter)."
                )
            elif isinstance(question, TrueFalse):
                yield ChoiceList(TRUE_FALSE, id="choices")
                hint = "Press 1 for true, 2 for false."
            elif isinstance(question, Ordering):
                yield OrderList(self.options, id="order")
                hint = f"↑/↓ choose an item, [ and ] (or shift+↑/↓) move it, Enter {check}."
            elif self.saving:
                hint = "Recall the answer, then press space to see it and say if you knew it."
            else:
                hint = "Recall the answer, then press space to see it."
        yield Static(Content(hint), classes="hint", id="hint")

    # -- focus and the response ---------------------------------------------------------

    def focus_answer(self) -> bool:
        """Focus the first answer widget; False when there is none (a flashcard)."""
        for selector in ("#answer", "#gap-1", "#choices", "#order"):
            found = self.query(selector)
            if found:
                found.first().focus()
                return True
        return False

    def gap_texts(self) -> list[str]:
        assert isinstance(self.question, Cloze)
        return [
            self.query_one(f"#gap-{n}", Input).value for n in range(1, len(self.question.gaps) + 1)
        ]

    def collect(self) -> Response:
        """The response as it stands in the answer widgets."""
        question = self.question
        if isinstance(question, ShortAnswer):
            return TypedResponse(typed=self.query_one("#answer", Input).value)
        if isinstance(question, Cloze):
            return GapsResponse(gaps=tuple(self.gap_texts()))
        if isinstance(question, MultipleChoice):
            choices = self.query_one("#choices", ChoiceList)
            selected = sorted(choices.selected) or ([] if choices.multiple else [choices.cursor])
            return ChoiceResponse(
                selected=tuple(choices.options[i] for i in selected), shown=tuple(choices.options)
            )
        if isinstance(question, TrueFalse):
            choices = self.query_one("#choices", ChoiceList)
            index = min(choices.selected) if choices.selected else choices.cursor
            return TruthResponse(truth=index == 0)
        if isinstance(question, Ordering):
            return OrderResponse(
                order=tuple(self.query_one("#order", OrderList).items), shown=tuple(self.options)
            )
        return RecallResponse()

    def restore(self, response: Response) -> None:
        """Put an earlier response back into the widgets (going back to a question)."""
        question = self.question
        if isinstance(question, ShortAnswer) and isinstance(response, TypedResponse):
            self.query_one("#answer", Input).value = response.typed
        elif isinstance(question, Cloze) and isinstance(response, GapsResponse):
            for number, text in enumerate(response.gaps[: len(question.gaps)], start=1):
                self.query_one(f"#gap-{number}", Input).value = text
            self.query_one("#prompt", Static).update(cloze_text(question, self.gap_texts()))
        elif isinstance(question, MultipleChoice) and isinstance(response, ChoiceResponse):
            choices = self.query_one("#choices", ChoiceList)
            picked = {choices.options.index(s) for s in response.selected if s in choices.options}
            choices.selected = picked
            choices.cursor = min(picked, default=0)
            choices.refresh()
        elif isinstance(question, TrueFalse) and isinstance(response, TruthResponse):
            choices = self.query_one("#choices", ChoiceList)
            choices.selected = {0 if response.truth else 1}
            choices.cursor = 0 if response.truth else 1
            choices.refresh()
        elif isinstance(question, Ordering) and isinstance(response, OrderResponse):
            order_list = self.query_one("#order", OrderList)
            if sorted(response.order) == sorted(order_list.items):
                order_list.items = list(response.order)
            order_list.refresh()

    def freeze(self) -> None:
        """No more answering: inputs disabled, lists no longer focusable, hint hidden."""
        for widget in self.query(Input):
            widget.disabled = True
        answer_lists: list[Widget] = [*self.query(ChoiceList), *self.query(OrderList)]
        for answer_list in answer_lists:
            answer_list.can_focus = False
        self.query_one("#hint", Static).display = False

    def reveal(self, checked: Checked, response: Response) -> None:
        """Lock the answer as given and mark it: the pick and the right options, each item
        in the learner's order against its right place, each gap."""
        self.revealed = True
        question = self.question
        self.restore(response)
        self.freeze()
        if isinstance(question, MultipleChoice | TrueFalse):
            correct = (
                {TRUE_FALSE[0 if question.answer else 1]}
                if isinstance(question, TrueFalse)
                else checked.correct_choices
            )
            self.query_one("#choices", ChoiceList).reveal(frozenset(correct))
        if isinstance(question, Ordering):
            self.query_one("#order", OrderList).reveal(list(question.items))
        if isinstance(question, Cloze):
            gaps = response.gaps if isinstance(response, GapsResponse) else ()
            self.query_one("#prompt", Static).update(cloze_text(question, gaps, checked))

    # -- events -------------------------------------------------------------------------

    @on(Input.Changed)
    def _typing(self, event: Input.Changed) -> None:
        if isinstance(self.question, Cloze) and not self.revealed:  # restored, then marked
            self.query_one("#prompt", Static).update(cloze_text(self.question, self.gap_texts()))

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.revealed:
            return
        question = self.question
        if isinstance(question, Cloze) and event.input.id and event.input.id.startswith("gap-"):
            number = int(event.input.id.removeprefix("gap-"))
            if number < len(question.gaps):
                self.query_one(f"#gap-{number + 1}", Input).focus()
                return
        self.post_message(self.Submitted(self, self.collect()))

    @on(ChoiceList.Submitted)
    @on(OrderList.Submitted)
    def _chosen(self, event: ChoiceList.Submitted | OrderList.Submitted) -> None:
        event.stop()
        if not self.revealed:
            self.post_message(self.Submitted(self, self.collect()))
