"""Two app processes on one SQLite file: a teacher editing a drill and reading its report
over and over while a student takes it, attempt after attempt. Neither sees an error and
no answer is lost."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from quiz.services.auth import create_teacher
from quiz.services.bank import import_banks
from quiz.services.database import check_file, open_database
from quiz.services.drills import create_drill, spec_from_dict
from quiz.services.profiles import get_or_create_profile
from quiz.store.models import AnswerRecord, StudySession

from .conftest import NOW

ROOT = Path(__file__).resolve().parent.parent
STUDY_BANK = Path(__file__).parent / "data" / "study.yaml"
KEYS = ["st-signed", "st-war", "st-begun", "st-cloze", "st-card"]
ATTEMPTS = 8

STUDENT = """
import sys
from datetime import timedelta
from quiz.services.database import open_database
from quiz.services.drills import answer_attempt, find_drill, finish_attempt, start_attempt
from quiz.services.profiles import find_profile
from tests.conftest import NOW
from tests.responses import respond

database = open_database(sys.argv[1], NOW, import_builtin=False)
student = find_profile(database, "stu")
for number in range(int(sys.argv[2])):
    at = NOW + timedelta(minutes=10 * number)
    attempt = start_attempt(database, student, find_drill(database, "Shared").id, at, seed=number)
    for index, item in enumerate(attempt.questions):
        response = respond(item.question, right=index != number % 5, shown=item.options, paper=True)
        answer_attempt(database, attempt.paper_id, item.question_id, response, 500, at)
        print("saved", attempt.paper_id, item.question_id, flush=True)
    result = finish_attempt(database, attempt.paper_id, at + timedelta(minutes=1))
    print("finished", result.correct, result.total, flush=True)
open("{done}", "w").close()
"""

TEACHER = """
import os, sys
from quiz.services.auth import unlock_teacher
from quiz.services.database import open_database
from quiz.services.drills import drill_report, find_drill, spec_from_dict, update_drill
from tests.conftest import NOW

database = open_database(sys.argv[1], NOW, import_builtin=False)
teacher = unlock_teacher(database, "teach", "654321", NOW)
keys = sys.argv[2].split(",")
rounds = 0
while not os.path.exists("{done}") or rounds < 3:
    drill = find_drill(database, "Shared")
    spec = spec_from_dict(
        {{"title": "Shared", "questions": keys, "pass_mark": 50 + rounds % 40, "attempts": None}}
    )
    update_drill(database, teacher, drill.id, spec, NOW)
    report = drill_report(database, teacher, drill.id, NOW)
    rounds += 1
print("rounds", rounds, len(report.students), flush=True)
"""


def test_a_teacher_editing_and_reading_while_a_student_answers(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    database = open_database(f"sqlite:///{path}", NOW, import_builtin=False)
    import_banks(database, [STUDY_BANK], NOW)
    teacher = create_teacher(database, "teach", "654321", NOW)
    spec = spec_from_dict({"title": "Shared", "questions": KEYS, "attempts": None})
    create_drill(database, teacher, spec, NOW)
    get_or_create_profile(database, "stu", NOW)
    database.close()

    done = tmp_path / "student-done"
    url = f"sqlite:///{path}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(script: str, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", script.format(done=done), url, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    teaching = start(TEACHER, ",".join(KEYS))
    studying = start(STUDENT, str(ATTEMPTS))
    student_out, student_err = studying.communicate(timeout=300)
    teacher_out, teacher_err = teaching.communicate(timeout=300)
    assert (studying.returncode, student_err) == (0, ""), student_err
    assert (teaching.returncode, teacher_err) == (0, ""), teacher_err
    rounds = int(teacher_out.split()[1])
    assert rounds >= 3
    print(f"teacher rounds (edit + report) during {ATTEMPTS} attempts: {rounds}")

    saved = {
        tuple(map(int, line.split()[1:])) for line in student_out.splitlines() if "saved" in line
    }
    finished = [line.split()[1:] for line in student_out.splitlines() if "finished" in line]
    assert len(saved) == ATTEMPTS * len(KEYS)
    assert finished == [["4", "5"]] * ATTEMPTS  # one wrong answer in each attempt
    database = open_database(url, NOW, import_builtin=False)
    try:
        with database.sessions() as session:
            stored = set(session.execute(select(AnswerRecord.session_id, AnswerRecord.question_id)))
            ended = session.scalar(select(func.count()).where(StudySession.ended_at.is_not(None)))
        assert stored == saved  # nothing lost, nothing extra
        assert ended == ATTEMPTS
    finally:
        database.close()
    assert check_file(path) == []
