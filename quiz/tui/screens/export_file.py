"""Export questions to another tool's format (Anki, CSV/TSV, Moodle GIFT) or our JSON:
choose the format and the deck, the file (a name is suggested; a file that exists is
replaced only after asking), then the summary of what was written and left out. A dry run
(Ctrl+R) says what would be written and left out, and writes nothing."""

from functools import partial
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, Header, Label, Select, Static

from quiz.services.interop import Progress, Summary, deck_choices, export_file
from quiz.tui.background import Failed, background
from quiz.tui.context import StudyContext
from quiz.tui.screens.confirm import ConfirmScreen
from quiz.tui.screens.interop_run import InteropScreen, RunPanel
from quiz.tui.widgets.file_picker import FilePicker, SupportedTree

FORMATS = [
    ("Anki package (.apkg)", "apkg"),
    ("CSV, Anki's text format (.csv)", "csv"),
    ("TSV, Anki's text format (.tsv)", "tsv"),
    ("Moodle GIFT (.gift)", "gift"),
    ("quiz JSON (.json)", "json"),
]
ALL = "*"  # not a deck name (those are lower-case letters, digits, - and _)


def suggested_name(kind: str, deck: str | None, stamp: str) -> str:
    """The file name offered for an export, e.g. quiz-all-20261202.apkg."""
    return f"quiz-{deck or 'all'}-{stamp}.{kind}"


class ExportScreen(InteropScreen):
    """Choose format, deck and file; Enter in the path box (or Ctrl+S) exports."""

    DEFAULT_CSS = """
    ExportScreen .title { text-style: bold; padding: 0 1; }
    ExportScreen .row { height: 1; padding: 0 1; margin-bottom: 1; }
    ExportScreen .row Label { width: 8; }
    ExportScreen #format { width: 36; }
    ExportScreen #deck-label { margin-left: 2; width: 6; }
    ExportScreen #deck { width: 1fr; max-width: 40; }
    ExportScreen FilePicker { padding: 0 1; }
    ExportScreen RunPanel { padding: 0 1; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", id="export.back"),
        Binding("ctrl+r", "check", "Dry run", priority=True, id="export.check"),
        Binding("ctrl+s", "run", "Export", priority=True, id="export.run"),
    ]

    def __init__(self, context: StudyContext, folder: Path | None = None) -> None:
        super().__init__(context)
        self.folder = folder or Path(".")
        self.stamp = f"{context.now().astimezone(context.tz):%Y%m%d}"
        self.suggested = str(self.folder / suggested_name("apkg", None, self.stamp))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Export questions", classes="title")
        with Horizontal(classes="row"):
            yield Label("Format")
            yield Select(FORMATS, value="apkg", allow_blank=False, id="format", compact=True)
            yield Label("Deck", id="deck-label")
            yield Select(
                [("All decks", ALL)], value=ALL, allow_blank=False, id="deck", compact=True
            )
        yield FilePicker(self.folder, [".apkg"], self.suggested, placeholder="the file to write")
        yield RunPanel()
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.query_one("#format", Select).focus()
        self.panel.hint(
            "Tab moves on; a folder picked puts the file there. Enter or Ctrl+S exports."
        )
        decks = await background(self, deck_choices, self.context.database)
        if not isinstance(decks, Failed):
            self.query_one("#deck", Select).set_options(
                [("All decks", ALL), *((Content(title), name) for name, title in decks)]
            )

    def _kind(self) -> str:
        return str(self.query_one("#format", Select).value)

    def _deck(self) -> str | None:
        value = self.query_one("#deck", Select).value
        return None if value in (ALL, Select.BLANK) else str(value)

    @on(Select.Changed)
    def _changed(self) -> None:
        """A new format or deck: offer its file name (unless another was typed), and list
        the files of that format."""
        picker = self.query_one(FilePicker)
        if picker.path_text == self.suggested:
            folder = Path(self.suggested).parent
            self.suggested = str(folder / suggested_name(self._kind(), self._deck(), self.stamp))
            picker.set_path(self.suggested)
        tree = self.query_one(SupportedTree)
        suffixes = frozenset({f".{self._kind()}"})
        if tree.suffixes != suffixes:
            tree.suffixes = suffixes
            tree.reload()

    @on(FilePicker.Folder)
    def _folder(self, message: FilePicker.Folder) -> None:
        picker = self.query_one(FilePicker)
        name = Path(picker.path_text).name or suggested_name(self._kind(), self._deck(), self.stamp)
        path = str(message.path / name)
        if picker.path_text == self.suggested:
            self.suggested = path
        picker.set_path(path)

    @on(FilePicker.Chosen)
    def _chosen(self) -> None:
        self.action_run()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "check") and self.running:
            return None
        return True

    def action_back(self) -> None:
        """Back to home."""
        if not self.running:
            self.dismiss()

    def action_check(self) -> None:
        """A dry run: what would be written and left out (nothing is written)."""
        path = self._path()
        if path is not None:
            self._export(path, dry_run=True)

    def action_run(self) -> None:
        """Export (asks first when the file exists)."""
        path = self._path()
        if path is None:
            return
        if path.exists():
            self.app.push_screen(
                ConfirmScreen(
                    f"Replace {path.name}?",
                    f"{path} exists; exporting writes over it (the old file is replaced).",
                ),
                partial(self._replace, path),
            )
            return
        self._export(path)

    def _path(self) -> Path | None:
        """The file to write (a folder typed gets the suggested name); None when none was
        typed (the learner is told) or an export is running."""
        if self.running:
            return None
        path = self.query_one(FilePicker).path
        if path is None:
            self.panel.finished(["Type the file to write."], "Nothing was written.", error=True)
            return None
        if path.is_dir():
            name = suggested_name(self._kind(), self._deck(), self.stamp)
            self.query_one(FilePicker).set_path(path / name)
            path = path / name
        return path

    def _replace(self, path: Path, yes: bool | None) -> None:
        if yes:
            self._export(path)
        else:
            self.panel.hint("Not replaced. Choose another name, or Ctrl+S to ask again.")

    def _export(self, path: Path, dry_run: bool = False) -> None:
        kind, deck = self._kind(), self._deck()
        step = "Checking the export to" if dry_run else "Exporting to"
        self.start(f"{step} {path.name}…", partial(self._job, path, kind, deck, dry_run))

    def _job(
        self, path: Path, kind: str, deck: str | None, dry_run: bool, progress: Progress
    ) -> Summary:
        decks = None if deck is None else [deck]
        return export_file(self.context.database, path, kind, decks, None, dry_run, progress)

    def after(self, summary: Summary) -> str:
        if summary.dry_run:
            return "Dry run: nothing was written. Enter or Ctrl+S exports; Esc: back."
        self.query_one(SupportedTree).reload()  # the new file is listed
        return "Exported. Esc: back; or choose another format or deck and export again."
