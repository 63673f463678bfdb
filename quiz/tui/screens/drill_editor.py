"""Create or edit a drill in a form. The form is checked by `spec_from_dict` (and the
database by the drill service); a problem is shown as a sentence beside the form, the
field is marked, and nothing is saved."""

import re
from datetime import datetime, tzinfo
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Header, Input, Label, Select, Static

from quiz.errors import QuizError
from quiz.services.drills import (
    DrillInfo,
    DrillSpec,
    bank_topics,
    create_drill,
    preview_drill,
    question_choices,
    spec_from_dict,
    update_drill,
)
from quiz.services.format import TIME_FORMAT, local_text, sentence
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.drill_picker import Choice, PickerScreen, PreviewScreen

BY_IDS, BY_RULE = "ids", "rule"
FIXED, FRESH = "fixed", "fresh"

# spec field -> (form field id, label)
FIELDS: dict[str, tuple[str, str]] = {
    "title": ("title", "Title"),
    "description": ("description", "Description"),
    "questions": ("ids", "Question ids"),
    "draw.decks": ("topics", "Topics"),
    "draw.topics": ("topics", "Topics"),
    "draw.types": ("types", "Types"),
    "draw.difficulty": ("difficulty", "Difficulty"),
    "draw.count": ("count", "How many"),
    "draw.seed": ("seed", "Seed"),
    "time_limit_minutes": ("time-limit", "Time limit"),
    "pass_mark": ("pass-mark", "Pass mark"),
    "feedback": ("feedback", "Feedback"),
    "attempts": ("attempts", "Attempts"),
    "opens_at": ("opens", "Opens"),
    "closes_at": ("closes", "Closes"),
}
HELP: dict[str, str] = {
    "title": "Students see the title; it must differ from every other drill's.",
    "description": "Optional: a line for the students.",
    "source": "Name the questions by id, or give a rule to draw them from the bank.",
    "ids": "Question ids in the order to ask them, separated by commas or spaces; "
    "Ctrl+O picks them from a list.",
    "topics": "Topics separated by commas; empty: any topic. Ctrl+O picks them from a list.",
    "types": "Any of flashcard, multiple_choice, true_false, cloze, short_answer, "
    "ordering; empty: any type.",
    "difficulty": "Difficulties 1 (easy) to 3 (hard), e.g. 1, 2; empty: any.",
    "count": "How many questions each attempt asks.",
    "draw": "One draw that every student gets, or a fresh draw for every attempt.",
    "seed": "The fixed draw's seed; empty: one is chosen (and kept) when you save.",
    "shuffle-questions": "Ask the questions in a new order each attempt.",
    "shuffle-options": "Shuffle the choices of multiple choice and ordering questions.",
    "time-limit": "Minutes per attempt (1 to 1440); empty: no time limit.",
    "pass-mark": "Percent of the questions right needed to pass (0 to 100).",
    "feedback": "When students see the right answers.",
    "attempts": "Attempts per student (1 to 1000); empty: unlimited.",
    "opens": "Local time YYYY-MM-DD HH:MM; empty: open at once.",
    "closes": "Local time YYYY-MM-DD HH:MM; empty: never closes.",
}
_PLAIN = [
    (re.compile(r"Input should be less than or equal to ([^;\s]+)"), r"must be \1 or less"),
    (re.compile(r"Input should be greater than or equal to ([^;\s]+)"), r"must be \1 or more"),
    (re.compile(r"Input should be a valid integer[^;]*"), "must be a whole number"),
    (re.compile(r"Input should be a valid number[^;]*"), "must be a number"),
    (re.compile(r"List should have at least 1 item[^;]*"), "needs at least one"),
    (re.compile(r"String should have at least 1 character"), "cannot be empty"),
    (re.compile(r"String should have at most (\d+) characters"), r"may have at most \1 characters"),
]


class FormProblem(QuizError):
    """A problem with one field of the form (`field` is the form field's id, if known)."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.field = field


def _words(text: str, commas_only: bool = False) -> list[str]:
    parts = text.split(",") if commas_only else re.split(r"[,\s]+", text)
    return [part.strip() for part in parts if part.strip()]


def parse_local_time(text: str, label: str, field: str, tz: tzinfo | None) -> datetime | None:
    """`YYYY-MM-DD HH:MM` (or a date alone, at 00:00) in the local zone, as an aware time."""
    text = " ".join(text.split())
    if not text:
        return None
    for form in (TIME_FORMAT, "%Y-%m-%d"):
        try:
            naive = datetime.strptime(text, form)
        except ValueError:
            continue
        return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    raise FormProblem(
        f"{label}: write the time as YYYY-MM-DD HH:MM in local time, e.g. 2026-04-01 09:00; "
        "fix it and save again.",
        field,
    )


def explain(error: QuizError) -> FormProblem:
    """A problem from `spec_from_dict` or the drill service, in the form's words."""
    text = str(error)
    field_id: str | None = None
    match = re.match(r"([a-z_.0-9]+): (.*)$", text, re.S)
    if match is not None:
        path, rest = match.groups()
        key = ".".join(p for p in path.split(".") if not p.isdigit())
        if key in FIELDS:
            field_id, label = FIELDS[key]
            for pattern, plain in _PLAIN:
                rest = pattern.sub(plain, rest)
            text = f"{label}: {rest}"
    elif text.startswith("question "):
        field_id = "ids"
    elif "closes_at" in text:
        field_id = "closes"
    elif "title" in text:
        field_id = "title"
    text = text.replace("(quiz bank export lists them)", "(Ctrl+O picks ids from a list)")
    return FormProblem(sentence(text), field_id)


class TickBox(Checkbox):
    """A check box that shows its mark only when ticked: Textual's draws an X either way,
    told apart by colour alone, so an unticked box looked ticked."""

    def render(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()


class DrillEditorScreen(Screen[DrillInfo | None]):
    """The drill form: a new drill, or `drill` to edit. Ctrl+S saves (dismissing with the
    saved drill); Esc goes back without saving, asking first when the form was changed."""

    DEFAULT_CSS = """
    DrillEditorScreen #editor { height: 1fr; }
    DrillEditorScreen #form { width: 1fr; padding: 0 1; }
    DrillEditorScreen #side {
        width: 30; padding: 0 1; border-left: solid $primary;
    }
    DrillEditorScreen .section { text-style: bold; color: $text-accent; margin-top: 1; }
    DrillEditorScreen .section.first { margin-top: 0; }
    DrillEditorScreen #rule { height: auto; }
    DrillEditorScreen .row { height: 1; }
    DrillEditorScreen .row > Label { width: 18; color: $text-muted; }
    DrillEditorScreen .row > Input, DrillEditorScreen .row > Select { width: 1fr; }
    DrillEditorScreen .row > Checkbox { width: auto; margin-right: 1; }
    DrillEditorScreen #problem { color: $text-error; height: auto; margin-bottom: 1; }
    DrillEditorScreen #field-help { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("ctrl+o", "pick", "Pick from list", priority=True, id="editor.pick"),
        Binding("ctrl+r", "preview", "Preview", priority=True, id="editor.preview"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(self, context: StudyContext, drill: DrillInfo | None = None) -> None:
        super().__init__()
        self.context = context
        self.drill = drill

    def compose(self) -> ComposeResult:
        spec = self.drill.spec if self.drill is not None else None
        rule = spec.draw if spec is not None else None
        tz = self.context.tz

        def row(label: str, *widgets: Widget, id: str | None = None) -> Horizontal:
            return Horizontal(Label(label), *widgets, classes="row", id=id)

        def field(name: str, value: str = "", placeholder: str = "") -> Input:
            return Input(value, placeholder=placeholder, id=name, compact=True)

        def words(values: list[Any]) -> str:
            return ", ".join(str(v) for v in values)

        yield Header()
        with Horizontal(id="editor"):
            with VerticalScroll(id="form"):
                yield Static("Drill", classes="section first")
                yield row("Title", field("title", spec.title if spec else "", "e.g. Dates"))
                yield row(
                    "Description",
                    field("description", spec.description if spec else "", "optional"),
                )
                yield Static("Questions", classes="section")
                yield row(
                    "Questions from",
                    Select(
                        [("question ids", BY_IDS), ("a rule", BY_RULE)],
                        value=BY_RULE if rule is not None else BY_IDS,
                        allow_blank=False,
                        compact=True,
                        id="source",
                    ),
                )
                yield row(
                    "Question ids",
                    field(
                        "ids",
                        words(spec.questions) if spec and spec.questions else "",
                        "e.g. tp-russia-side, tp-signed-date",
                    ),
                    id="ids-row",
                )
                with Vertical(id="rule"):
                    yield row("Topics", field("topics", words(rule.topics) if rule else "", "any"))
                    yield row("Types", field("types", words(rule.types) if rule else "", "any"))
                    yield row(
                        "Difficulty",
                        field("difficulty", words(rule.difficulty) if rule else "", "any (1-3)"),
                    )
                    yield row("How many", field("count", str(rule.count) if rule else "10"))
                    yield row(
                        "Draw",
                        Select(
                            [("one draw for everyone", FIXED), ("fresh each attempt", FRESH)],
                            value=FRESH if rule and rule.fresh_each_attempt else FIXED,
                            allow_blank=False,
                            compact=True,
                            id="draw",
                        ),
                    )
                    yield row(
                        "Seed",
                        field(
                            "seed",
                            "" if rule is None or rule.seed is None else str(rule.seed),
                            "chosen when saved",
                        ),
                        id="seed-row",
                    )
                yield row(
                    "Shuffle",
                    TickBox(
                        "questions",
                        spec.shuffle_questions if spec else False,
                        compact=True,
                        id="shuffle-questions",
                    ),
                    TickBox(
                        "options",
                        spec.shuffle_options if spec else False,
                        compact=True,
                        id="shuffle-options",
                    ),
                )
                yield Static("How it runs", classes="section")
                limit = spec.time_limit_minutes if spec else None
                yield row(
                    "Time limit (min)",
                    field("time-limit", "" if limit is None else str(limit), "none"),
                )
                yield row(
                    "Pass mark (%)", field("pass-mark", f"{spec.pass_mark:g}" if spec else "50")
                )
                yield row(
                    "Feedback",
                    Select(
                        [
                            ("after each question", "each"),
                            ("at the end", "end"),
                            ("score only", "none"),
                        ],
                        value=spec.feedback if spec else "end",
                        allow_blank=False,
                        compact=True,
                        id="feedback",
                    ),
                )
                attempts = spec.attempts if spec else 1
                yield row(
                    "Attempts",
                    field("attempts", "" if attempts is None else str(attempts), "unlimited"),
                )
                yield Static("When (local time)", classes="section")
                yield row(
                    "Opens",
                    field(
                        "opens",
                        local_text(self.drill.opens_at, tz) if self.drill else "",
                        "YYYY-MM-DD HH:MM (empty: now)",
                    ),
                )
                yield row(
                    "Closes",
                    field(
                        "closes",
                        local_text(self.drill.closes_at, tz) if self.drill else "",
                        "YYYY-MM-DD HH:MM (empty: never)",
                    ),
                )
            with Vertical(id="side"):
                yield Static("", id="problem")
                yield Static("", id="field-help")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Edit {self.drill.title}" if self.drill else "New drill"
        self._show_source()
        self.query_one("#title", Input).focus()
        self.as_opened = self.form_state()

    def form_state(self) -> tuple[object, ...]:
        """Every field's value as it stands, to tell whether the form was changed."""
        fields: list[object] = [i.value for i in self.query(Input)]
        fields += [select.value for select in self.query(Select)]
        fields += [box.value for box in self.query(Checkbox)]
        return tuple(fields)

    def _source(self) -> str:
        return str(self.query_one("#source", Select).value)

    def _show_source(self) -> None:
        by_rule = self._source() == BY_RULE
        self.query_one("#ids-row").display = not by_rule
        self.query_one("#rule").display = by_rule
        self.query_one("#seed-row").display = str(self.query_one("#draw", Select).value) == FIXED

    @on(Select.Changed)
    def source_changed(self) -> None:
        self._show_source()

    @on(Input.Submitted)
    def next_field(self) -> None:
        """Enter in a field moves to the next one (Ctrl+S saves)."""
        self.focus_next()

    def on_descendant_focus(self, event: object) -> None:
        focused = self.focused
        name = focused.id if focused is not None else None
        self.query_one("#field-help", Static).update(HELP.get(name or "", ""))

    def form_data(self) -> dict[str, Any]:
        """The form as a drill definition for `spec_from_dict` (times already parsed)."""

        def text(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        def optional(name: str) -> str | None:
            return text(name) or None

        data: dict[str, Any] = {
            "title": text("title"),
            "description": text("description"),
            "shuffle_questions": self.query_one("#shuffle-questions", Checkbox).value,
            "shuffle_options": self.query_one("#shuffle-options", Checkbox).value,
            "time_limit_minutes": optional("time-limit"),
            "pass_mark": text("pass-mark"),
            "feedback": str(self.query_one("#feedback", Select).value),
            "attempts": optional("attempts"),
        }
        if self._source() == BY_IDS:
            data["questions"] = _words(text("ids"))
        else:
            fresh = str(self.query_one("#draw", Select).value) == FRESH
            data["draw"] = {
                "topics": _words(text("topics"), commas_only=True),
                "types": _words(text("types")),
                "difficulty": _words(text("difficulty")),
                "count": text("count"),
                "fresh_each_attempt": fresh,
                "seed": None if fresh else optional("seed"),
            }
        tz = self.context.tz
        data["opens_at"] = parse_local_time(text("opens"), "Opens", "opens", tz)
        data["closes_at"] = parse_local_time(text("closes"), "Closes", "closes", tz)
        return data

    async def action_save(self) -> None:
        """Check the form and save the drill (in a worker); on a problem, show it beside the
        form and save nothing."""
        teacher = self.context.teacher
        if teacher is None:
            self._problem(
                FormProblem("Only a teacher can save drills; open a teacher's profile.", None)
            )
            return
        spec = self.checked_spec()
        if spec is None:
            return
        now, database, seed = self.context.now(), self.context.database, self.context.seed
        if self.drill is None:
            saved = await background(
                self, create_drill, database, teacher, spec, now, seed, quiet=True
            )
        else:
            saved = await background(
                self, update_drill, database, teacher, self.drill.id, spec, now, seed, quiet=True
            )
        if isinstance(saved, Failed):
            if saved.error is not None:  # shown beside the form; None: the screen has gone
                self._problem(explain(saved.error))
            return
        self.dismiss(saved)

    def _problem(self, problem: FormProblem) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.query_one("#problem", Static).update(str(problem))
        if problem.field is not None:
            widget = self.query_one(f"#{problem.field}")
            widget.add_class("-invalid")
            widget.focus()
        self.app.bell()

    async def action_pick(self) -> None:
        """Pick the topics (a rule) or the question ids from a list of the bank's."""
        by_rule = self._source() == BY_RULE
        field = self.query_one("#topics" if by_rule else "#ids", Input)
        database = self.context.database
        if by_rule:
            topics = await background(self, bank_topics, database)
            if isinstance(topics, Failed):
                return
            choices = [Choice(t, t, f"{n} question(s)") for t, n in topics]
            chosen, title = _words(field.value, commas_only=True), "Topics to draw from"
        else:
            found = await background(self, question_choices, database)
            if isinstance(found, Failed):
                return
            choices = [Choice(q.key, q.key, f"{q.topic} · {q.prompt}") for q in found]
            chosen, title = _words(field.value), "Questions, in the order to ask them"

        def picked(values: list[str] | None) -> None:
            if values is not None:
                field.value = ", ".join(values)
            field.focus()

        self.app.push_screen(PickerScreen(title, choices, chosen), picked)

    def checked_spec(self) -> DrillSpec | None:
        """The form as a drill definition, or None after showing its problem."""
        try:
            return spec_from_dict(self.form_data())
        except FormProblem as problem:
            self._problem(problem)
        except QuizError as error:
            self._problem(explain(error))
        return None

    async def action_preview(self) -> None:
        """Show the questions the drill would ask. A fixed draw's seed is written into the
        form, so saving keeps the set previewed."""
        spec = self.checked_spec()
        if spec is None:
            return
        drill_id = self.drill.id if self.drill is not None else None
        preview = await background(
            self,
            preview_drill,
            self.context.database,
            spec,
            drill_id,
            self.context.seed,
            quiet=True,
        )
        if isinstance(preview, Failed):
            if preview.error is not None:
                self._problem(explain(preview.error))
            return
        self.query_one("#problem", Static).update("")
        if preview.fresh:
            note = "A fresh draw for every attempt: one example of what a student may get."
        elif preview.seed is not None:
            self.query_one("#seed", Input).value = str(preview.seed)
            note = f"The set every student gets (seed {preview.seed}, now in the form)."
        else:
            note = "The questions in the order they are asked (unless shuffled)."
        lines = [Choice(q.key, q.key, f"{q.topic} · {q.prompt}") for q in preview.questions]
        self.app.push_screen(PreviewScreen(f"{spec.title}: {len(lines)} question(s)", note, lines))

    def action_cancel(self) -> None:
        """Back to the drills without saving; asks first when the form was changed."""
        if self.form_state() == self.as_opened:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard your changes to this drill?",
                "Nothing has been saved. y discards the changes; n goes back to the form "
                "(Ctrl+S saves it).",
            ),
            answered,
        )
