"""Browse the questions: search, see the current profile's schedule, suspend cards."""

import asyncio
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from quiz.services.answering import right_answers
from quiz.services.browse import PAGE_SIZE, BrowsePage, BrowseRow, browse_questions, set_suspended
from quiz.services.cards import StudyCard, study_card
from quiz.services.format import short
from quiz.services.profiles import ProfileInfo
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext

SEARCH_DELAY = 0.25  # seconds of quiet typing before searching
PROMPT_WIDTH = 38
NARROW_PROMPT = 16  # below WIDE every column still fits in 80 columns (beside the scrollbar)
WIDE = 110
TYPE_NAMES = {
    "flashcard": "flashcard",
    "short_answer": "short",
    "cloze": "cloze",
    "multiple_choice": "choice",
    "true_false": "true/false",
    "ordering": "ordering",
}
NARROW_TYPE_NAMES = TYPE_NAMES | {"flashcard": "card", "true_false": "t/f", "ordering": "order"}


def _due(row: BrowseRow, now: datetime, wide: bool = True) -> str:
    if row.is_new or row.due is None:
        return "new"
    days = (row.due - now).total_seconds() / 86400
    if days <= 0:
        return "due now" if wide else "now"
    return row.due.strftime("%Y-%m-%d" if wide else "%d %b")


def _stability(row: BrowseRow) -> str:
    return "–" if row.stability is None else f"{row.stability:.1f}d"


class BrowseScreen(Screen[None]):
    """A searchable, paged list of the questions with this profile's card state."""

    DEFAULT_CSS = """
    BrowseScreen #search { margin: 0 1; }
    BrowseScreen #questions { height: 1fr; }
    BrowseScreen #page { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="browse.search"),
        Binding("s", "suspend", "Suspend/unsuspend", id="browse.suspend"),
        Binding("n", "page(1)", "Next page", id="browse.next"),
        Binding("p", "page(-1)", "Previous page", id="browse.previous"),
        Binding("escape", "leave", "Back", id="browse.leave"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.profile: ProfileInfo = context.require_profile()
        self.search = ""
        self.first_row = 0
        self.page: BrowsePage | None = None
        self.shown_search: str | None = None  # the search whose page is shown

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search prompt, topic or id (Enter: go to the list)", id="search")
        table: DataTable[str | int] = DataTable(id="questions", cursor_type="row")
        wide = self.app.size.width >= WIDE
        table.add_column("Id", key="id")
        table.add_column("Question", key="prompt", width=PROMPT_WIDTH if wide else NARROW_PROMPT)
        table.add_column("Topic", key="topic")
        table.add_column("Type", key="type")
        table.add_column("Due", key="due")
        table.add_column("Stability" if wide else "Stab.", key="stability")
        table.add_column("Lapses" if wide else "Lap.", key="lapses")
        table.add_column("Suspended" if wide else "Susp.", key="status")
        yield table
        yield Static("Loading…", id="page")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.profile.name} · browse"
        self.query_one("#search", Input).focus()  # typing searches; Enter goes to the list
        self.load()

    def load(self, delay: float = 0.0) -> None:
        self.load_page(self.search, self.first_row, delay)

    @work(exclusive=True, group="browse")
    async def load_page(self, search: str, offset: int, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)  # a newer search cancels this one meanwhile
        page = await background(
            self, browse_questions, self.context.database, self.profile.id, search, offset=offset
        )
        if not isinstance(page, Failed):  # else shown, or replaced, or the screen has gone
            self.call_later(self.show_page, search, page)  # on the screen's own queue

    def show_page(self, search: str, page: BrowsePage) -> None:
        if search != self.search:
            return  # an older search finished late
        new_search = search != self.shown_search
        self.shown_search = search
        self.page = page
        self.first_row = page.offset
        table = self.query_one("#questions", DataTable)
        cursor = 0 if new_search else table.cursor_row  # a new search: its first match
        table.clear()
        now = self.context.now()
        wide = self.app.size.width >= WIDE
        for row in page.rows:
            table.add_row(
                short(row.key, 24 if wide else 9),
                short(row.prompt, PROMPT_WIDTH if wide else NARROW_PROMPT),
                short(row.topic, 14 if wide else 8),
                (TYPE_NAMES if wide else NARROW_TYPE_NAMES).get(row.type, row.type),
                _due(row, now, wide),
                _stability(row),
                row.lapses,
                "yes" if row.suspended else "",
                key=str(row.question_id),
            )
        if page.rows:
            table.move_cursor(row=min(cursor, len(page.rows) - 1))
        if page.total:
            first, last = page.offset + 1, page.offset + len(page.rows)
            where = f" matching “{self.search}”" if self.search.strip() else ""
            text = (
                f"{first}-{last} of {page.total} questions{where} · page {page.page} of "
                f"{page.pages} · Enter: preview"
            )
            if wide:  # narrower, the footer shows these keys
                text += " · s: suspend · n/p: page"
        else:
            text = f"No question matches “{self.search}”." if self.search else "No questions."
        self.query_one("#page", Static).update(text)
        self.refresh_bindings()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self.first_row = 0
        self.load(delay=SEARCH_DELAY)

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#questions", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page" and self.page is not None:
            step = parameters[0] if parameters else 0
            if step == 1:
                return self.page.page < self.page.pages or None
            return self.page.page > 1 or None
        if action == "suspend":
            return bool(self.page and self.page.rows) or None
        return True

    def action_search(self) -> None:
        """Type to search."""
        self.query_one("#search", Input).focus()

    def action_leave(self) -> None:
        """Back to the home screen."""
        if self.query_one("#search", Input).has_focus and self.search:
            self.query_one("#search", Input).value = ""
            return
        self.dismiss()

    def action_page(self, step: int) -> None:
        """Show the next or previous page."""
        if self.page is None:
            return
        self.first_row = max(0, self.first_row + step * PAGE_SIZE)
        self.load()

    def _current(self) -> BrowseRow | None:
        table = self.query_one("#questions", DataTable)
        if self.page is None or not self.page.rows:
            return None
        return self.page.rows[min(table.cursor_row, len(self.page.rows) - 1)]

    @on(DataTable.RowSelected, "#questions")
    def row_chosen(self) -> None:
        self.action_preview()

    def action_preview(self) -> None:
        """Show the highlighted question with its answer, explanation, source and schedule."""
        row = self._current()
        if row is not None:
            self.run_worker(self._preview(row), group="preview")

    async def _preview(self, row: BrowseRow) -> None:
        card = await background(
            self,
            study_card,
            self.context.database,
            self.profile,
            row.question_id,
            self.context.now(),
        )
        if isinstance(card, Failed):
            return
        if card is None:
            self.notify("This question is no longer in the bank; r reloads the list.", timeout=4)
            return
        self.app.push_screen(PreviewScreen(card, row, self.context.now()))

    async def action_suspend(self) -> None:
        """Suspend the highlighted card (it is never studied), or unsuspend it."""
        row = self._current()
        if row is None:
            return
        changed = await background(
            self,
            set_suspended,
            self.context.database,
            self.profile.id,
            [row.question_id],
            not row.suspended,
        )
        if isinstance(changed, Failed):
            return
        if changed:
            self.notify(
                f"{'Unsuspended' if row.suspended else 'Suspended'}: {short(row.prompt, 50)}",
                timeout=3,
            )
        self.load()


class PreviewScreen(ModalScreen[None]):
    """One question as the bank has it: prompt, options, answer, explanation, source, and
    this profile's schedule for it."""

    DEFAULT_CSS = """
    PreviewScreen { align: center middle; }
    PreviewScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,enter,q", "close", "Close", id="preview.close"),
    ]

    def __init__(self, card: StudyCard, row: BrowseRow, now: datetime) -> None:
        super().__init__()
        self.card = card
        self.row = row
        self.now = now

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._text(), id="preview")

    def _text(self) -> Content:
        question = self.card.question
        row = self.row
        lines: list[Content] = [
            Content.assemble(
                (row.key, "bold"), f"  ·  {row.topic}  ·  {TYPE_NAMES.get(row.type, row.type)}"
            ),
            Content(question.prompt_text),
        ]
        if question.choice_list:
            lines.append(Content("\n").join(Content(f"  • {o}") for o in question.choice_list))
        lines += [
            Content.assemble(
                ("Answer: ", "bold $text-success"), " / ".join(right_answers(question))
            ),
            Content.assemble(("Why: ", "bold"), question.explanation),
            Content.assemble(("Source: ", "bold"), ("“" + question.source + "”", "italic")),
            Content.styled(
                f"Schedule: {_due(row, self.now)} · stability {_stability(row)} · "
                f"{row.reps} review(s), {row.lapses} lapse(s)"
                + (" · suspended" if row.suspended else ""),
                "$text-muted",
            ),
            Content.styled("Esc, Enter or q closes.", "$text-muted"),
        ]
        return Content("\n\n").join(lines)

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss()
