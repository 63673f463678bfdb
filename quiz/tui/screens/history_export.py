"""CSV export for the history screens: the learner picks the folder (the last one used
typed in), the rows are read and the file written in a worker, then a notification says
where it went."""

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import work
from textual.screen import Screen

from quiz.services.drills.drill_files import write_text_file
from quiz.services.history import write_csv
from quiz.services.profiles import ProfileInfo
from quiz.tui.background import Failed, background
from quiz.tui.screens.folder import FolderScreen

Rows = Callable[[], list[dict[str, Any]]]


def export_name(profile: ProfileInfo, now: datetime, what: str) -> str:
    return f"quiz-{what}-{profile.name}-{now.astimezone():%Y%m%d-%H%M%S}.csv"


def export_csv(path: Path, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> Path:
    """Write rows as the CLI's `quiz history --csv` does (same writer, same columns), whole
    or not at all (a full disk leaves no half file); `QuizError` when it cannot be written."""
    out = io.StringIO(newline="")
    write_csv(rows, fields, out)
    write_text_file(path, out.getvalue(), newline="")
    return path


def write_rows(path: Path, fields: tuple[str, ...], rows: Rows) -> tuple[Path, int]:
    """Read the rows and write them to `path` (blocking: run it in a worker); a file that
    cannot be written is a `QuizError` the learner reads."""
    data = rows()
    return export_csv(path, data, fields), len(data)


class ExportMixin(Screen[None]):
    """A screen that writes CSV files into a folder the learner picks (`export_dir` is
    offered first, then whichever folder was picked last)."""

    export_dir: Path

    def export(self, name: str, fields: tuple[str, ...], rows: Rows) -> None:
        """Ask for the folder, then write `name` there."""

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.export_dir = folder
                self.write_export(name, fields, rows)

        self.app.push_screen(FolderScreen(name, self.export_dir), chosen)

    @work(exclusive=True, group="export")
    async def write_export(self, name: str, fields: tuple[str, ...], rows: Rows) -> None:
        written = await background(self, write_rows, self.export_dir / name, fields, rows)
        if isinstance(written, Failed):
            return
        path, count = written
        self.notify(f"{count} row(s) written to {path}", title="Exported", timeout=8)
