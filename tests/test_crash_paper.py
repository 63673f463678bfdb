"""`kill -9` during a drill attempt and during a backup, with real processes.

As in test_crash_migrate.py, the child is a real `python` that kills itself with SIGKILL
just before its N-th SQL statement (the attempt) or after the N-th page copied (the
backup), so each kill lands at a chosen point. After every kill the database passes
`PRAGMA integrity_check`, every answer the child was told was saved is there, and the next
run resumes the same attempt and finishes it; a killed backup leaves no file that looks
like a backup, and the next backup is sound.

A short run tries a spread of kill points; `QUIZ_CRASH_ALL=1` tries every one.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from quiz.services.auth import create_teacher
from quiz.services.bank import import_banks
from quiz.services.database import check_file, open_database
from quiz.services.drills import create_drill, spec_from_dict
from quiz.services.profiles import get_or_create_profile
from quiz.store.models import AnswerRecord, Question, StudySession

from .conftest import NOW

ROOT = Path(__file__).resolve().parent.parent
STUDY_BANK = Path(__file__).parent / "data" / "study.yaml"
EVERY_POINT = os.environ.get("QUIZ_CRASH_ALL") == "1"

ATTEMPT_CHILD = """
import json, os, signal, sys
from datetime import timedelta
from sqlalchemy import event
from quiz.core.responses import dump_response
from quiz.services.database import open_database
from quiz.services.drills import answer_attempt, find_drill, finish_attempt, start_attempt
from quiz.services.profiles import find_profile
from tests.conftest import NOW
from tests.responses import respond

database = open_database(sys.argv[1], NOW, import_builtin=False)
kill_at = int(sys.argv[2])
count = 0

@event.listens_for(database.engine, "before_cursor_execute")
def _count(*_args: object) -> None:
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

student = find_profile(database, "stu")
drill = find_drill(database, "Crash drill")
attempt = start_attempt(database, student, drill.id, NOW + timedelta(minutes=1), seed=1)
print("attempt", attempt.paper_id, flush=True)
for index, item in enumerate(attempt.questions):
    if item.question_id in attempt.responses:
        continue
    response = respond(item.question, right=index % 2 == 0, shown=item.options, paper=True)
    answer_attempt(
        database, attempt.paper_id, item.question_id, response, 900,
        NOW + timedelta(minutes=2 + index),
    )
    print("saved", item.question_id, json.dumps(dump_response(response)), flush=True)
result = finish_attempt(database, attempt.paper_id, NOW + timedelta(minutes=9))
print("finished", result.correct, result.total, count, flush=True)
"""

BACKUP_CHILD = """
import os, signal, sqlite3, sys
from pathlib import Path
import quiz.store.migrate as migrate
from quiz.services.database import backup_database
from tests.conftest import NOW

kill_at = int(sys.argv[3])
pages = 0

def _progress(status: int, remaining: int, total: int) -> None:
    global pages
    pages += 1
    if pages == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

class Connection:
    # sqlite3's connection, copying one page at a time so the kill lands mid-copy
    def __init__(self, inner: sqlite3.Connection) -> None:
        self.inner = inner
    def backup(self, target: "Connection") -> None:
        self.inner.backup(target.inner, pages=1, progress=_progress)
    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

class Sqlite3:
    def __getattr__(self, name: str) -> object:
        return getattr(sqlite3, name)
    @staticmethod
    def connect(*args: object, **kwargs: object) -> Connection:
        return Connection(sqlite3.connect(*args, **kwargs))

migrate.sqlite3 = Sqlite3()  # type: ignore[assignment]
target = Path(sys.argv[2]) if sys.argv[2] != "-" else None
made = backup_database(sys.argv[1], NOW, target)
print("backup", made, pages, flush=True)
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def _points(total: int, spread: int) -> list[int]:
    """Kill points 1..total: every one, or `spread` of them from first to last."""
    if EVERY_POINT or total <= spread:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (spread - 1)) for i in range(spread)})


@pytest.fixture(scope="module")
def drill_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the study bank (every question type), a teacher's drill of all its
    questions and a student."""
    path = tmp_path_factory.mktemp("drill") / "quiz.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    import_banks(database, [STUDY_BANK], NOW)
    teacher = create_teacher(database, "teach", "654321", NOW)
    keys = ["st-signed", "st-war", "st-begun", "st-cloze", "st-card"]
    spec = spec_from_dict({"title": "Crash drill", "questions": keys, "feedback": "end"})
    create_drill(database, teacher, spec, NOW)
    get_or_create_profile(database, "stu", NOW)
    database.close()
    return path


def _stored(path: Path) -> tuple[list[int], dict[int, object]]:
    """The student's attempts, and the answers of the first one by question."""
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    try:
        with database.sessions() as session:
            attempts = list(session.scalars(select(StudySession.id).order_by(StudySession.id)))
            rows = session.execute(select(AnswerRecord.question_id, AnswerRecord.response)).all()
        return attempts, {question: response for question, response in rows}
    finally:
        database.close()


def test_kill_9_during_a_drill_attempt_keeps_every_saved_answer(
    drill_file: Path, tmp_path: Path
) -> None:
    probe = tmp_path / "probe.db"
    shutil.copy(drill_file, probe)
    whole = _run(ATTEMPT_CHILD, f"sqlite:///{probe}", "0")
    assert whole.returncode == 0, whole.stderr
    _, correct, total, statements = whole.stdout.split("\n")[-2].split()
    assert (int(correct), int(total)) == (3, 5)  # every other answer right
    kills = 0
    for point in _points(int(statements), 12):
        path = tmp_path / f"at-{point}.db"
        shutil.copy(drill_file, path)
        killed = _run(ATTEMPT_CHILD, f"sqlite:///{path}", str(point))
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        kills += 1
        assert _integrity(path) == "ok"
        assert check_file(path) == []
        saved = {
            int(line.split()[1]): json.loads(line.split(" ", 2)[2])
            for line in killed.stdout.splitlines()
            if line.startswith("saved ")
        }
        attempts, stored = _stored(path)
        assert len(attempts) <= 1, point  # an attempt, or none yet: never two
        assert all(stored.get(question) == response for question, response in saved.items())
        resumed = _run(ATTEMPT_CHILD, f"sqlite:///{path}", "0")  # the next start
        assert resumed.returncode == 0, (point, resumed.stderr)
        assert resumed.stdout.split("\n")[-2].split()[1:3] == ["3", "5"], point
        assert len(_stored(path)[0]) == 1  # the same attempt was resumed and finished
        assert _integrity(path) == "ok"
    assert kills >= min(12, int(statements))


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of some hundred pages (the study bank and 5,000 answers)."""
    path = tmp_path_factory.mktemp("big") / "quiz.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    import_banks(database, [STUDY_BANK], NOW)
    profile = get_or_create_profile(database, "stu", NOW)
    with database.sessions.begin() as session:
        study = StudySession(profile_id=profile.id, kind="review", started_at=NOW, details={})
        session.add(study)
        session.flush()
        first = session.scalar(select(Question.id).order_by(Question.id).limit(1))
        session.add_all(
            AnswerRecord(
                session_id=study.id,
                profile_id=profile.id,
                question_id=first,
                answered_at=NOW,
                response={"typed": f"answer number {n} " * 4},
                correct=n % 2 == 0,
                duration_ms=1000,
                rating=3,
            )
            for n in range(5000)
        )
    database.close()
    return path


@pytest.mark.parametrize("explicit", [False, True])
def test_kill_9_during_a_backup_leaves_no_false_backup(
    big_file: Path, tmp_path: Path, explicit: bool
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "quiz.db"
    shutil.copy(big_file, path)
    elsewhere = tmp_path / "kept"
    elsewhere.mkdir()
    target = str(elsewhere / "copy.db") if explicit else "-"
    probe = _run(BACKUP_CHILD, f"sqlite:///{path}", target, "0")
    assert probe.returncode == 0, probe.stderr
    made, pages = Path(probe.stdout.split()[1]), int(probe.stdout.split()[2])
    assert pages > 50 and check_file(made) == []
    _remove(made)
    for point in _points(pages, 5):
        killed = _run(BACKUP_CHILD, f"sqlite:///{path}", target, str(point))
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)
        assert _integrity(path) == "ok" and check_file(path) == []
        looks_like = [p for p in (*folder.iterdir(), *elsewhere.iterdir()) if _is_backup(p)]
        assert looks_like == [], (point, looks_like)  # only a .partial, never a false copy
        again = _run(BACKUP_CHILD, f"sqlite:///{path}", target, "0")
        assert again.returncode == 0, (point, again.stderr)
        made = Path(again.stdout.split()[1])
        assert check_file(made) == [], point
        _remove(made)
        left = [p.name for p in (*folder.iterdir(), *elsewhere.iterdir()) if "partial" in p.name]
        assert left == [], (point, left)  # the retry cleared the killed try's copy


def _is_backup(path: Path) -> bool:
    name = path.name
    return (".backup-" in name or name.startswith("copy.db")) and ".partial" not in name


def _remove(backup: Path) -> None:
    """A backup checked and done with, and the journal files checking it left."""
    for suffix in ("", "-wal", "-shm"):
        backup.with_name(backup.name + suffix).unlink(missing_ok=True)
