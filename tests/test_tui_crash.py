"""Crash safety in a real terminal: answers given before `kill -9` are all kept, and the
next start continues where the learner was."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from quiz.services.bank import import_banks
from quiz.services.database import open_database
from quiz.store.models import AnswerRecord, Question

from .conftest import NOW

STUDY_BANK = Path(__file__).parent / "data" / "study.yaml"
ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


class Terminal:
    """The app running in a detached tmux session of 100x30."""

    def __init__(self, name: str, command: str) -> None:
        self.name = name
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
            check=True,
            cwd=ROOT,
        )

    def screen(self) -> str:
        result = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.05)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.1)

    def pid(self) -> int:
        result = subprocess.run(
            ["tmux", "display-message", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(result.stdout.strip())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    path = tmp_path / "crash.db"
    db = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    import_banks(db, [STUDY_BANK], NOW)
    db.close()
    return path


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def _start(database_file: Path, name: str) -> Terminal:
    command = (
        f"exec env QUIZ_IMPORT_BUILTIN_BANK=false {sys.executable} -m quiz "
        f"--db {database_file} --profile ann"
    )
    return Terminal(name, command)


def _answers(database_file: Path) -> list[tuple[str, dict[str, object], int | None]]:
    db = open_database(f"sqlite:///{database_file}", NOW, import_builtin=False)
    try:
        with db.sessions() as session:
            rows = session.execute(
                select(Question.key, AnswerRecord.response, AnswerRecord.rating)
                .join(Question, Question.id == AnswerRecord.question_id)
                .order_by(AnswerRecord.id)
            ).all()
            return [(key, response, rating) for key, response, rating in rows]
    finally:
        db.close()


def test_kill_9_keeps_every_answer_and_the_next_start_continues(
    database_file: Path, terminals: list[Terminal]
) -> None:
    name = f"quiz-crash-{os.getpid()}"
    first = _start(database_file, name)
    terminals.append(first)
    first.wait_for("study this deck")
    first.wait_for("left today 5")
    first.keys("Enter")
    first.wait_for("When was the treaty signed?")
    first.type("30 March 1856")
    first.keys("Enter")
    first.wait_for("✓ Correct")
    first.keys("3")
    first.wait_for("Which war did the treaty resolve?")
    first.type("the Boer War")
    first.keys("Enter")
    first.wait_for("✗ Not right")
    first.keys("1")
    first.wait_for("When had the war begun?")

    os.kill(first.pid(), signal.SIGKILL)
    time.sleep(0.3)

    assert _answers(database_file) == [
        ("st-signed", {"typed": "30 March 1856"}, 3),
        ("st-war", {"typed": "the Boer War"}, 1),
    ]

    second = _start(database_file, name + "-again")
    terminals.append(second)
    second.wait_for("study this deck")
    second.wait_for("left today")
    second.keys("Enter")
    shown = second.wait_for("card")
    assert "When was the treaty signed?" not in shown
    assert "Which war did the treaty resolve?" not in shown
    assert "When had the war begun?" in shown
