"""`kill -9` during first-time creation and during an upgrade: the database still opens,
passes an integrity check, keeps its data, and the retries make no more than one backup.

The child process is a real `python` that upgrades the file and kills itself with SIGKILL
just before its N-th SQL statement, so the kill lands at a chosen point inside the upgrade;
one more child is killed from outside at a time of the parent's choosing.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from quiz.store.engine import make_engine
from quiz.store.migrate import SCHEMA_HEAD, alembic_config, current_revision, upgrade
from tests.conftest import NOW, reset_postgres
from tests.test_migrations import _seed_0001

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = 20_000

CHILD = """
import os, signal, sys
from sqlalchemy import event
from quiz.store.engine import make_engine
from quiz.store.migrate import upgrade

engine = make_engine(sys.argv[1])
kill_at = int(sys.argv[2])
count = 0

@event.listens_for(engine, "before_cursor_execute")
def _count(*_args: object) -> None:
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

print("start", flush=True)
upgrade(engine)
print(count, flush=True)
"""


def _run_child(path: Path | str, kill_at: int) -> subprocess.CompletedProcess[str]:
    url = path if isinstance(path, str) else f"sqlite:///{path}"
    return subprocess.run(
        [sys.executable, "-c", CHILD, url, str(kill_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _statements(path: Path) -> int:
    """How many statements a whole upgrade of (a copy of) `path` runs."""
    probe = path.with_name("probe.db")
    if path.exists():
        shutil.copy(path, probe)
    done = _run_child(probe, 0)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _backups(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".backup-" in p.name)


def _open_and_check(path: Path) -> int:
    """Open (upgrade) the file as the app would; the number of answers it holds."""
    assert _integrity(path) == "ok"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, NOW)
    assert current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as connection:
        answers = int(connection.execute(text("SELECT count(*) FROM answers")).scalar_one())
    engine.dispose()
    assert _integrity(path) == "ok"
    return answers


def test_kill_during_first_time_creation_leaves_a_database_that_opens(tmp_path: Path) -> None:
    total = _statements(tmp_path / "none.db")
    for fraction in (0.1, 0.5, 0.9, 0.99):
        folder = tmp_path / f"at-{fraction}"
        folder.mkdir()
        path = folder / "quiz.db"
        done = _run_child(path, max(2, int(total * fraction)))
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert _open_and_check(path) == 0
        assert _backups(folder) == []  # nothing worth keeping, so nothing copied


def _seeded_at_0003(path: Path | str) -> None:
    engine = make_engine(path if isinstance(path, str) else f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0003_drills_and_exams")
    with engine.begin() as connection:
        _seed_0001(connection)
        connection.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < :last)"
                " INSERT INTO answers (id, session_id, profile_id, question_id, answered_at,"
                " response, correct, duration_ms, rating) SELECT i, 1, 1, 1,"
                " '2026-01-01 00:00:00', '{\"revealed\": true}',"
                " i % 3 = 0, 1000, 3 FROM n"
            ),
            {"last": ANSWERS},
        )
    engine.dispose()


@pytest.fixture(scope="module")
def old_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "quiz.db"
    _seeded_at_0003(path)
    return path


def test_kill_during_a_migration_keeps_the_data_and_one_backup(
    tmp_path: Path, old_database: Path
) -> None:
    total = _statements(old_database)
    for fraction in (0.05, 0.5, 0.95):
        folder = tmp_path / f"at-{fraction}"
        folder.mkdir()
        path = folder / "quiz.db"
        shutil.copy(old_database, path)
        done = _run_child(path, max(2, int(total * fraction)))
        assert done.returncode == -signal.SIGKILL, done.stderr
        assert _integrity(path) == "ok"
        engine = make_engine(f"sqlite:///{path}")
        assert current_revision(engine) == "0003_drills_and_exams"  # all or nothing
        engine.dispose()
        again = _run_child(path, max(2, int(total * fraction)))  # a second failed try
        assert again.returncode == -signal.SIGKILL
        assert len(_backups(folder)) <= 1, _backups(folder)  # a retry reuses the backup
        assert _open_and_check(path) == ANSWERS
        assert len(_backups(folder)) == 1
        assert not (folder / "quiz.db.upgrade-pending").exists()


def test_kill_from_outside_mid_migration(tmp_path: Path, old_database: Path) -> None:
    path = tmp_path / "quiz.db"
    shutil.copy(old_database, path)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, f"sqlite:///{path}", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "start"
    time.sleep(0.15)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert _open_and_check(path) == ANSWERS
    assert len(_backups(tmp_path)) == 1


def test_kill_during_creation_and_migration_on_postgresql(postgres_url: str) -> None:
    reset_postgres(postgres_url)
    total = _statements_on(postgres_url)
    for fraction in (0.3, 0.9):
        reset_postgres(postgres_url)
        done = _run_child(postgres_url, max(2, int(total * fraction)))
        assert done.returncode == -signal.SIGKILL, done.stderr
        engine = make_engine(postgres_url)
        assert current_revision(engine) is None  # the server rolled it all back
        upgrade(engine, NOW)
        assert current_revision(engine) == SCHEMA_HEAD
        engine.dispose()
    reset_postgres(postgres_url)
    _seeded_at_0003(postgres_url)
    total = _statements_on(postgres_url)
    _seeded_at_0003(postgres_url)
    done = _run_child(postgres_url, total // 2)
    assert done.returncode == -signal.SIGKILL, done.stderr
    engine = make_engine(postgres_url)
    assert current_revision(engine) == "0003_drills_and_exams"
    upgrade(engine, NOW)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answers")).scalar_one() == ANSWERS
    engine.dispose()
    reset_postgres(postgres_url)


def _statements_on(url: str) -> int:
    done = _run_child(url, 0)
    assert done.returncode == 0, done.stderr
    reset_postgres(url)
    return int(done.stdout.split()[-1])
