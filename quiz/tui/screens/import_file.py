"""Import questions from another tool's file (Anki, CSV/TSV, Moodle GIFT): pick the file,
answer what its format needs (CSV/TSV: deck and question type; Anki: bring the review
log?), see a dry run's summary, then import (one transaction: all or nothing)."""

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox, Footer, Header, Input, Label, Select, Static

from quiz.services.interop import IMPORT_FORMATS, ImportOptions, Progress, Summary, import_file
from quiz.tui.context import StudyContext
from quiz.tui.screens.interop_run import InteropScreen, RunPanel
from quiz.tui.widgets.file_picker import FilePicker

TYPES = [("Flashcard", "flashcard"), ("Short answer (typed)", "short_answer")]


@dataclass(frozen=True)
class ImportChoice:
    """Everything that decides what an import does: a dry run holds for one choice."""

    path: Path
    kind: str
    options: ImportOptions


class ImportScreen(InteropScreen):
    """Pick a file; Enter (or Ctrl+R) shows what importing it would change; Ctrl+S imports
    what the dry run showed (after a dry run of the current choices, else it runs one)."""

    DEFAULT_CSS = """
    ImportScreen .title { text-style: bold; padding: 0 1; }
    ImportScreen FilePicker { padding: 0 1; }
    ImportScreen .row { height: 1; padding: 0 1; margin-top: 1; }
    ImportScreen .row Label { width: 7; }
    ImportScreen #deck { width: 30; }
    ImportScreen #type-label { width: 7; margin-left: 2; }
    ImportScreen #type { width: 30; }
    ImportScreen #history { padding: 0 1; height: 1; margin-top: 1; }
    ImportScreen RunPanel { padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="import.back"),
        Binding("ctrl+r", "check", "Dry run", priority=True, id="import.check"),
        Binding("ctrl+s", "run", "Import", priority=True, id="import.run"),
    ]

    def __init__(self, context: StudyContext, folder: Path | None = None) -> None:
        super().__init__(context)
        self.folder = folder or Path(".")
        self.checked: ImportChoice | None = None  # the choice the last dry run was of
        self.running_choice: ImportChoice | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Import questions from Anki, a spreadsheet or Moodle", classes="title")
        yield FilePicker(
            self.folder,
            IMPORT_FORMATS,
            placeholder="a file: .apkg, .csv, .tsv, .txt or .gift (Tab: pick from the folders)",
        )
        with Horizontal(classes="row"):
            yield Label("Deck")
            yield Input(placeholder="from the file", id="deck", compact=True)
            yield Label("Type", id="type-label")
            yield Select(TYPES, value="flashcard", allow_blank=False, id="type", compact=True)
        profile = self.context.profile
        yield Checkbox(
            Content(
                f"Bring the review log in as {profile.name if profile else 'this profile'}'s "
                "answers (schedules from it)"
            ),
            id="history",
            compact=True,
        )
        yield RunPanel()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self._show_options()
        self.panel.hint("Type a path and press Enter, or Tab to the folders and pick a file.")

    def _kind(self) -> str | None:
        path = self.query_one(FilePicker).path
        return None if path is None else IMPORT_FORMATS.get(path.suffix.lower())

    def _show_options(self) -> None:
        """Deck and question type for a spreadsheet; the review log for an Anki package."""
        kind = self._kind()
        spreadsheet = kind in ("csv", "tsv")
        self.query_one("#type").display = spreadsheet
        self.query_one("#type-label").display = spreadsheet
        self.query_one("#deck", Input).placeholder = (
            f"from the file ({Path(self.query_one(FilePicker).path_text).stem})"
            if spreadsheet
            else "from the file"
        )
        self.query_one("#history").display = kind == "apkg" and self.context.profile is not None

    def choice(self) -> ImportChoice | str:
        """What is chosen now, or why it cannot be imported (and what to do)."""
        path = self.query_one(FilePicker).path
        if path is None:
            return "Type the path of a file, or Tab to the folders and pick one."
        if path.is_dir():
            return f"{path} is a folder: pick a file in it."
        if not path.is_file():
            return f"There is no file {path}: check the path."
        kind = IMPORT_FORMATS.get(path.suffix.lower())
        if kind is None:
            return (
                f"{path.name} is not a file this imports: pick a .apkg, .csv, .tsv, .txt or .gift."
            )
        deck = self.query_one("#deck", Input).value.strip() or None
        kind_type = self.query_one("#type", Select).value
        history = self.query_one("#history", Checkbox).value and kind == "apkg"
        profile = self.context.profile
        options = ImportOptions(
            deck,
            str(kind_type) if kind in ("csv", "tsv") else "flashcard",
            profile.id if history and profile is not None else None,
        )
        return ImportChoice(path, kind, options)

    @on(FilePicker.Edited)
    def _edited(self) -> None:
        self._show_options()

    @on(FilePicker.Chosen)
    def _chosen(self) -> None:
        self._show_options()
        self.action_check()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("check", "run") and self.running:
            return None
        return True

    def action_check(self) -> None:
        """Dry run: show what importing the file would change, changing nothing."""
        self._start(dry_run=True)

    def action_run(self) -> None:
        """Import the file as its dry run showed (a dry run first if there was none)."""
        choice = self.choice()
        self._start(dry_run=not (isinstance(choice, ImportChoice) and choice == self.checked))

    def action_back(self) -> None:
        """Back to home."""
        if not self.running:
            self.dismiss()

    def _start(self, dry_run: bool) -> None:
        if self.running:
            return
        choice = self.choice()
        if isinstance(choice, str):
            self.panel.finished([choice], "Nothing was changed.", error=True)
            return
        self.checked = None
        self.running_choice = choice
        step = "Checking" if dry_run else "Importing"
        self.start(f"{step} {choice.path.name}…", partial(self._job, choice, dry_run))

    def _job(self, choice: ImportChoice, dry_run: bool, progress: Progress) -> Summary:
        return import_file(
            self.context.database,
            choice.path,
            self.context.now(),
            choice.kind,
            choice.options,
            dry_run,
            progress,
        )

    def after(self, summary: Summary) -> str:
        if summary.dry_run:
            self.checked = self.running_choice
            return "Ctrl+S imports what this dry run shows; Esc: back."
        return "Imported. Esc: back to home (its counts include the new questions)."
