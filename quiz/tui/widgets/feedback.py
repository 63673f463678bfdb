"""What the learner sees after answering: verdict, the right answer, the difference between
what was typed and what was expected, the explanation and the source quote; and the four
rating choices with their intervals."""

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from quiz.services.answering import RATING_NAMES, Checked, QuestionBase, Segments

EXTRA_STYLE = "$text-error strike"
MISSING_STYLE = "bold $text-warning underline"
MAX_ALSO = 3  # alternatives listed after the answer


def typed_line(segments: Segments) -> Content:
    """What was typed: characters that should not be there struck out in the error colour."""
    return Content.assemble(
        *[
            (text, EXTRA_STYLE if kind == "extra" else "")
            for kind, text in segments
            if kind != "missing"
        ]
    )


def expected_line(segments: Segments) -> Content:
    """What was expected: characters that were not typed underlined in the warning colour."""
    return Content.assemble(
        *[
            (text, MISSING_STYLE if kind == "missing" else "")
            for kind, text in segments
            if kind != "extra"
        ]
    )


def why_right(checked: Checked) -> str:
    """Why a right answer counts, as the learner reads it: "typo forgiven", "synonym",
    "extra words from the question" ... (nothing for an exact answer)."""
    if checked.overridden:
        return "(you marked it right)"
    reason = checked.reason
    if checked.exact or not reason or reason == "exact":
        return ""
    if checked.matched:
        return f"({reason}: expected {checked.matched!r})"
    return f"({reason})"


class AnswerFeedback(Vertical):
    """The verdict and everything the learner should read after answering."""

    DEFAULT_CSS = """
    AnswerFeedback {
        height: auto; margin: 1 0 0 0; padding: 0 1;
        border-left: thick $primary;
    }
    AnswerFeedback.-right { border-left: thick $success; }
    AnswerFeedback.-wrong { border-left: thick $error; }
    AnswerFeedback > Static { height: auto; }
    AnswerFeedback #diff { margin-top: 1; }
    AnswerFeedback #explanation { margin-top: 1; }
    AnswerFeedback #source { color: $text-muted; text-style: italic; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        yield Static(id="answer")
        yield Static(id="diff")
        yield Static(id="explanation")
        yield Static(id="source")

    def show(self, question: QuestionBase, checked: Checked) -> None:
        """Fill in the feedback for `checked`."""
        self.set_class(not checked.self_graded and checked.correct, "-right")
        self.set_class(not checked.correct, "-wrong")
        verdict = self.query_one("#verdict", Static)
        answer = self.query_one("#answer", Static)
        answer.display = not checked.self_graded
        if checked.self_graded:
            verdict.update(Content.styled(checked.expected, "bold"))
        elif checked.correct:
            verdict.update(
                Content.assemble(
                    ("✓ Correct", "bold $text-success"), ("  " + why_right(checked), "$text-muted")
                )
            )
        else:
            note = checked.feedback.removeprefix("Wrong").strip(" ()")
            if checked.correct_choices:
                note = ""  # the options show what was missed and what was wrong
            verdict.update(
                Content.assemble(("✗ Not right", "bold $text-error"), ("  " + note, "$text-muted"))
            )
        shown = Content.assemble(("Answer: ", "$text-muted"), (checked.expected, "bold"))
        if checked.also_accepted:
            extra = list(checked.also_accepted[:MAX_ALSO])
            more = len(checked.also_accepted) - len(extra)
            shown += Content.styled(
                "   also accepted: " + " · ".join(extra) + (f" (+{more} more)" if more else ""),
                "$text-muted",
            )
        answer.update(shown)
        self.query_one("#diff", Static).update(self._diff(checked))
        self.query_one("#diff", Static).display = bool(checked.diff or checked.gaps)
        self.query_one("#explanation", Static).update(Content(question.explanation))
        self.query_one("#source", Static).update(Content(f"Source: “{question.source}”"))

    @staticmethod
    def _diff(checked: Checked) -> Content:
        if checked.diff:
            return Content("\n").join(
                [
                    Content.assemble(("You typed  ", "$text-muted"), typed_line(checked.diff)),
                    Content.assemble(("Expected   ", "$text-muted"), expected_line(checked.diff)),
                ]
            )
        lines = []
        for number, gap in enumerate(checked.gaps, start=1):
            mark = ("✓", "bold $text-success") if gap.correct else ("✗", "bold $text-error")
            if gap.diff:
                lines.append(
                    Content.assemble(
                        mark,
                        (f" {number}. ", "$text-muted"),
                        typed_line(gap.diff),
                        ("  →  ", "$text-muted"),
                        expected_line(gap.diff),
                    )
                )
            else:
                typed = gap.typed.strip() or "(empty)"
                shown = [mark, (f" {number}. ", "$text-muted"), (typed, "")]
                if not gap.correct or not gap.exact:
                    shown += [("  →  ", "$text-muted"), (gap.expected, "bold")]
                lines.append(Content.assemble(*shown))
        return Content("\n").join(lines)


# The hint after the ratings, longest first: the first that fits the line is shown.
RATING_HINTS = ("   space/Enter: {name}", "  space/Enter")


def rating_line(intervals: Mapping[int, str], suggested: int, width: int) -> Content:
    """Again, Hard, Good, Easy with their intervals on one line of `width` cells, the
    suggested one highlighted, followed by the longest hint that still fits."""
    parts: list[Content] = []
    for rating, name in RATING_NAMES.items():
        label = f" {rating} {name} · {intervals.get(rating, '?')} "
        style = "bold reverse $accent" if rating == suggested else ""
        parts.append(
            Content.from_markup(f"[@click=screen.rate({rating})]{label}[/]").stylize(style)
        )
    line = Content("  ").join(parts)
    for hint in RATING_HINTS:
        text = hint.format(name=RATING_NAMES.get(suggested, ""))
        if line.cell_length + len(text) <= width:
            return line + Content.styled(text, "$text-muted")
    return line


class RatingBar(Widget):
    """Again, Hard, Good, Easy on keys 1-4, each with the interval it gives; the suggested
    rating is highlighted (space or Enter takes it). Clicking a rating rates. Always one
    line: the hint is shortened, then left out, when the line is narrow."""

    DEFAULT_CSS = """
    RatingBar { height: 1; padding: 0 1; margin-top: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals: Mapping[int, str] = {}
        self.suggested = 0

    def show(self, intervals: Mapping[int, str], suggested: int) -> None:
        self.intervals = dict(intervals)
        self.suggested = suggested
        self.refresh()

    def render(self) -> Content:
        return rating_line(self.intervals, self.suggested, self.size.width or 10_000)
