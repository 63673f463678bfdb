"""Start-up paints first: the modules imported before home's first frame are Textual's and a
few light ones; the store, SQLAlchemy, pydantic and the services come after (DESIGN.md's
start-up budget; as harlequin checks its own). No time is asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# What the first frame must not wait for: each costs tens of milliseconds to import.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "fsrs",
    "rapidfuzz",
    "quiz.store",
    "quiz.services",
    "quiz.bank",
    "quiz.core",
    "quiz.settings",
)
# The one services module the first frame may use: the text formats the TUI and the CLI
# share, which import nothing but the standard library (checked below).
LIGHT = {"quiz.services", "quiz.services.format"}

# Runs `quiz` as the CLI does; when the app calls the opener (after the first frame), it
# prints the modules imported by then, and stops the app with a QuizError.
PROBE = """
import json, sys
import quiz.cli
from quiz.errors import QuizError
from quiz.tui import app as tui_app

def probe(opener, **kwargs):
    def record():
        print(json.dumps({"painted": app.context.first_paint_at is not None,
                          "modules": sorted(sys.modules)}))
        raise QuizError("stopped by the probe")
    app = original(record, **kwargs)
    return app

original = tui_app.make_opening_app
tui_app.make_opening_app = probe
sys.exit(quiz.cli.main(sys.argv[1:]))
"""


def _modules_at_first_frame(tmp_path: Path, *args: str) -> tuple[bool, list[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(tmp_path / "q.db"), *args, "--exit-when-ready"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    found = json.loads(line)
    return found["painted"], found["modules"], result.stderr


@pytest.mark.parametrize("args", [(), ("--profile", "ann")])
def test_nothing_heavy_is_imported_before_the_first_frame(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    painted, modules, stderr = _modules_at_first_frame(tmp_path, *args)
    assert painted  # the opener runs after the first frame, not before
    heavy = sorted(
        m for m in modules if (m.split(".")[0] in HEAVY or m.startswith(HEAVY)) and m not in LIGHT
    )
    assert heavy == []
    assert "textual" in modules  # the probe did see the app's modules
    assert "quiz: stopped by the probe" in stderr  # an error opening is one sentence
    assert not (tmp_path / "q.db").exists()  # nothing opened before the first frame


def test_a_database_that_cannot_open_ends_the_app_with_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not SQLite")
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "--db", str(bad), "--profile", "ann", "--exit-when-ready"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("quiz: ")
    assert "Traceback" not in result.stderr


def test_the_shared_formats_import_only_the_standard_library() -> None:
    import ast

    import quiz.services.format as formats

    tree = ast.parse(Path(formats.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


# Runs `quiz` as the CLI does; when home's counts are painted, prints the modules imported by
# then and the decks counted (the app then exits: --exit-when-ready).
COUNTS_PROBE = """
import json, sys
import quiz.cli
from quiz.tui.screens import home

painted = home.HomeScreen._painted

def probe(self):
    decks = [] if self.data is None else [d.title for d in self.data.decks]
    print(json.dumps({"decks": decks, "modules": sorted(sys.modules)}))
    painted(self)

home.HomeScreen._painted = probe
sys.exit(quiz.cli.main(sys.argv[1:]))
"""
# What counting needs not: the scheduler (cards are counted, not rated), the grader, the
# migrations (the database is at head: one query says so), the bank schema and its YAML,
# and, with no QUIZ_* variable set, the settings' pydantic-settings (each has its default).
NOT_FOR_COUNTING = (
    "fsrs",
    "rapidfuzz",
    "snowballstemmer",
    "alembic",
    "yaml",
    "quiz.bank",
    "quiz.core.grading",
    "quiz.services.answering",
    "quiz.services.reviewing",
    "quiz.settings",
    "pydantic",
    "pydantic_settings",
)


def test_home_counts_import_only_what_counting_needs(tmp_path: Path) -> None:
    command = [sys.executable, "-c", COUNTS_PROBE, "--db", str(tmp_path / "q.db")]
    command += ["--profile", "ann", "--exit-when-ready"]
    environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("QUIZ_")}
    first = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    assert first.returncode == 0, first.stderr  # created: the built-in bank imported
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode == 0, result.stderr
    found = json.loads(next(x for x in result.stdout.splitlines() if x.startswith("{")))
    assert found["decks"]  # the counts were read and shown
    assert "sqlalchemy" in found["modules"]  # the probe saw the services at work
    loaded = sorted(
        m
        for m in found["modules"]
        if m.split(".")[0] in NOT_FOR_COUNTING or m.startswith(NOT_FOR_COUNTING)
    )
    assert loaded == []


def test_the_card_kinds_and_again_are_fsrs_numbers() -> None:
    from fsrs import Rating, State

    from quiz.core.scheduling import AGAIN, CardKind

    kinds = (CardKind.LEARNING, CardKind.REVIEW, CardKind.RELEARNING)
    assert tuple(kind.value for kind in kinds) == (
        State.Learning.value,
        State.Review.value,
        State.Relearning.value,
    )
    assert Rating.Again.value == AGAIN
