"""Database faults a person can meet: another process holding the write lock past the busy
timeout, a read-only file, a full disk, a damaged file. Each is one sentence with a next
step (a QuizError in the services, exit 1 in the CLI), never a traceback, and nothing is
half-saved: once the fault is gone the same call succeeds."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from quiz.errors import QuizError
from quiz.services.database import open_database
from quiz.services.profiles import find_profile, get_or_create_profile, list_profiles
from quiz.store import engine as store_engine

from .conftest import NOW

ROOT = Path(__file__).resolve().parent.parent

HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE app_state SET value = value")
print("locked", flush=True)
sys.stdin.readline()  # hold the write lock until the test says so
connection.execute("COMMIT")
"""


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(store_engine, "SQLITE_BUSY_TIMEOUT_MS", 300)  # keep the test quick
    path = tmp_path / "quiz.db"
    open_database(f"sqlite:///{path}", NOW, import_builtin=False).close()
    yield path


class Holder:
    """Another real process holding the database's write lock."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0
        assert self.process.stdout is not None
        self.process.stdout.close()


def test_a_write_lock_held_by_another_process_is_one_sentence_then_works(db_file: Path) -> None:
    database = open_database(f"sqlite:///{db_file}", NOW, import_builtin=False)
    holder = Holder(db_file)
    try:
        with pytest.raises(QuizError, match=r"is busy: another quiz process .* try again"):
            get_or_create_profile(database, "ann", NOW)
        assert [p.name for p in list_profiles(database)] == []  # reading still works
    finally:
        holder.release()
    assert get_or_create_profile(database, "ann", NOW).name == "ann"  # the retry works
    database.close()


def test_the_cli_under_a_held_lock_exits_1_with_one_sentence(db_file: Path) -> None:
    holder = Holder(db_file)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "quiz", "--db", str(db_file), "profile", "create", "bob"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.release()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "is busy" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_read_only_database_is_one_sentence(db_file: Path) -> None:
    database = open_database(f"sqlite:///file:{db_file}?mode=ro&uri=true", NOW, False)
    assert list_profiles(database) == []
    with pytest.raises(QuizError, match="is read-only, so nothing can be saved; make the file"):
        get_or_create_profile(database, "ann", NOW)
    database.close()


def test_a_full_disk_is_one_sentence_and_saves_nothing(db_file: Path) -> None:
    database = open_database(f"sqlite:///{db_file}", NOW, import_builtin=False)

    def _tiny_disk(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")  # SQLITE_FULL on growth

    event.listen(database.engine, "connect", _tiny_disk)
    database.engine.dispose()
    with pytest.raises(QuizError, match="the disk is full or failing"):
        for number in range(2000):
            get_or_create_profile(database, f"learner-{number}-" + "x" * 60, NOW)
    database.close()
    reopened = open_database(f"sqlite:///{db_file}", NOW, import_builtin=False)
    names = [p.name for p in list_profiles(reopened)]
    assert all(find_profile(reopened, name) is not None for name in names)
    reopened.close()


def test_a_damaged_database_names_the_newest_backup(db_file: Path) -> None:
    backup = db_file.with_name("quiz.db.backup-20260101T000000Z")
    backup.write_bytes(db_file.read_bytes())
    data = bytearray(db_file.read_bytes())
    data[0:16] = b"garbage-garbage!"
    db_file.write_bytes(bytes(data))
    with pytest.raises(
        QuizError, match=f"damaged; restore the newest backup with: quiz db restore {backup}"
    ):
        open_database(f"sqlite:///{db_file}", NOW, import_builtin=False)


async def test_a_rating_pressed_while_another_process_writes_is_kept(tmp_path: Path) -> None:
    """The review screen: the rating fails with a notification, the graded card stays, and
    pressing the rating again once the lock is gone saves it."""
    from sqlalchemy import select

    from quiz.services.bank import import_banks
    from quiz.store.models import AnswerRecord
    from quiz.tui.app import make_app
    from quiz.tui.screens.review import Phase, ReviewScreen

    from .test_tui_study import STUDY_BANK, Clock, start_studying, type_text

    path = tmp_path / "quiz.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    import_banks(database, [STUDY_BANK], NOW)
    app = make_app(database, profile_name="ann", clock=Clock(NOW), seed=7)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_studying(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        key = screen.card.key if screen.card else None
        await type_text(pilot, "march 30, 1856")
        await pilot.press("enter")
        assert screen.phase is Phase.GRADED
        holder = Holder(path)
        try:
            await pilot.press("4")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.phase is Phase.GRADED  # the card is still there, graded
            assert screen.card is not None and screen.card.key == key
            notes = [n.message for n in app._notifications]
            assert any("is busy" in note for note in notes), notes
        finally:
            holder.release()
        await pilot.press("4")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.card is not None and screen.card.key != key
    with database.sessions() as session:
        ratings = list(session.scalars(select(AnswerRecord.rating)))
    assert ratings[0] == 4
    database.close()
