"""A file picker, keyboard first: type a path in the box, or Tab to the folder tree (only
folders and the files the screen can use are listed) and pick one with Enter."""

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DirectoryTree, Input


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it (shorter to read)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


class SupportedTree(DirectoryTree):
    """A DirectoryTree that lists folders and the files with one of `suffixes`; hidden
    entries are left out."""

    def __init__(self, path: Path, suffixes: Iterable[str], id: str | None = None) -> None:
        self.suffixes = frozenset(suffix.lower() for suffix in suffixes)
        super().__init__(path, id=id)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = [path for path in paths if not path.name.startswith(".")]
        return [path for path in shown if path.suffix.lower() in self.suffixes or path.is_dir()]


class FilePicker(Vertical):
    """The path box over the tree. Picking a file in the tree fills the box; Enter in the
    box or on a file posts `Chosen`; a folder picked in the tree posts `Folder`."""

    DEFAULT_CSS = """
    FilePicker { height: 1fr; }
    FilePicker > Input { margin-bottom: 1; }
    FilePicker > SupportedTree { height: 1fr; }
    """

    class Chosen(Message):
        """A file was picked (Enter in the box, or on a file in the tree)."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Folder(Message):
        """A folder was picked in the tree."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Edited(Message):
        """The path in the box changed (typed or picked)."""

    def __init__(
        self, folder: Path, suffixes: Iterable[str], value: str = "", placeholder: str = ""
    ) -> None:
        super().__init__()
        self.folder = folder
        self.suffixes = tuple(suffixes)
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(self.value, placeholder=self.placeholder, id="path", compact=True)
        yield SupportedTree(self.folder, self.suffixes, id="tree")

    @property
    def path_text(self) -> str:
        return self.query_one("#path", Input).value.strip()

    @property
    def path(self) -> Path | None:
        """The path in the box (`~` expanded), or None when it is empty."""
        text = self.path_text
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path | str) -> None:
        box = self.query_one("#path", Input)
        box.value = str(path)
        box.cursor_position = len(box.value)

    @on(Input.Changed, "#path")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Edited())

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.path is not None:
            self.post_message(self.Chosen(self.path))

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.set_path(shown_path(event.path))
        self.post_message(self.Chosen(shown_path(event.path)))

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self.post_message(self.Folder(shown_path(event.path)))
