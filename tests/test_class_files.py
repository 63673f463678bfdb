"""A class without a server, with real files between real databases: the teacher's (SQLite
or PostgreSQL) and each student's own SQLite file. A drill file goes out, a signed results
file comes back and is graded again; tampered, replayed, foreign and other students' files
are rejected with nothing written; a feedback "none" file carries no answer key."""

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quiz.bank.class_files import student_key
from quiz.core.responses import (
    ChoiceResponse,
    GapsResponse,
    OrderResponse,
    TruthResponse,
    TypedResponse,
)
from quiz.errors import QuizError
from quiz.services.auth import Teacher, create_teacher
from quiz.services.database import Database, open_database
from quiz.services.drills import (
    attempt_result,
    create_drill,
    drill_report,
    drills_for_student,
    finish_attempt,
    spec_from_dict,
    start_attempt,
)
from quiz.services.drills.attempts import answer_attempt
from quiz.services.drills.drill_files import (
    drill_file_text,
    export_drill_file,
    import_drill_file,
    write_text_file,
)
from quiz.services.drills.result_files import export_results, import_results
from quiz.services.paper import PaperView
from quiz.services.profiles import get_or_create_profile
from quiz.services.progress import deck_progress
from quiz.store.models import AnswerRecord, Drill, StudySession
from tests.conftest import NOW

RUSSIA = "tp-russia-side"  # multiple choice: Russia
SIGNED = "tp-signed-date"  # short answer: 30 March 1856
SEA = "tp-black-sea-demilitarised"  # true/false: true
THREE = [RUSSIA, SIGNED, SEA]
LATER = NOW + timedelta(hours=1)


@pytest.fixture
def ann(database: Database) -> Teacher:
    teacher = create_teacher(database, "ann", "654321", NOW)
    for name in ("bob", "cat"):
        get_or_create_profile(database, name, NOW)
    return teacher


def student_db(tmp_path: Path, name: str) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / f'{name}.db'}", NOW)
    yield db
    db.close()


@pytest.fixture
def bob_db(tmp_path: Path) -> Iterator[Database]:
    yield from student_db(tmp_path, "bob")


def drill(database: Database, ann: Teacher, **fields: Any) -> int:
    spec = {"title": "Paris", "questions": THREE, "feedback": "end", "attempts": 1, **fields}
    return create_drill(database, ann, spec_from_dict(spec), NOW).id


def export(database: Database, ann: Teacher, drill_id: int, who: str, path: Path) -> Path:
    write_text_file(path, drill_file_text(export_drill_file(database, ann, drill_id, who, NOW)))
    return path


def take(db: Database, name: str, given: dict[str, object], hour: float = 1) -> PaperView:
    """`name` takes the only drill in `db`, answering through the service; finished."""
    profile = get_or_create_profile(db, name, NOW)
    [mine] = drills_for_student(db, profile.id, NOW)
    at = NOW + timedelta(hours=hour)
    attempt = start_attempt(db, profile, mine.drill.id, at)
    for question in attempt.questions:
        original = question.key.rsplit(".", 1)[0]
        value = given.get(original)
        if value is None:
            continue
        if original == RUSSIA:
            response: Any = ChoiceResponse(selected=(str(value),), shown=question.options)
        elif original == SEA:
            response = TruthResponse(truth=bool(value))
        else:
            response = TypedResponse(typed=str(value))
        answer_attempt(
            db, attempt.paper_id, question.question_id, response, 1200, at + timedelta(minutes=1)
        )
    finish_attempt(db, attempt.paper_id, at + timedelta(minutes=5))
    return attempt


def results(db: Database, name: str, path: Path, number: int | None = None) -> Path:
    profile = get_or_create_profile(db, name, NOW)
    export_results(db, profile, LATER + timedelta(hours=2), path.write_text, None, number)
    return path


def attempts_at(database: Database, drill_id: int) -> tuple[int, int]:
    """(attempts, answers) the teacher's database holds for the drill."""
    with database.sessions() as session:
        ids = list(
            session.scalars(select(StudySession.id).where(StudySession.drill_id == drill_id))
        )
        answers = session.scalar(
            select(func.count()).select_from(AnswerRecord).where(AnswerRecord.session_id.in_(ids))
        )
        return len(ids), int(answers or 0)


def edit(path: Path, change: Any, resign_with: bytes | None = None) -> Path:
    """Change a results file's JSON in place; re-sign it with a key when given (what a
    student who read their drill file's key can do)."""
    data = json.loads(path.read_text())
    change(data)
    if resign_with is not None:  # HMAC-SHA256 over "results", NUL, the sorted compact JSON
        body = json.dumps(data["results"], sort_keys=True, separators=(",", ":"))
        message = b"results\x00" + body.encode()
        data["signature"] = hmac.new(resign_with, message, hashlib.sha256).hexdigest()
    path.write_text(json.dumps(data))
    return path


BOB = {RUSSIA: "Russia", SIGNED: "1855", SEA: True}  # 2 of 3 right


def test_a_drill_goes_out_and_its_results_come_back_graded_again(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann)
    drill_file = export(database, ann, drill_id, "bob", tmp_path / "paris-bob.quizdrill")
    imported_drill = import_drill_file(bob_db, drill_file, NOW)
    info = imported_drill.drill
    assert (info.title, info.question_count, imported_drill.student) == ("Paris", 3, "bob")
    bob = get_or_create_profile(bob_db, "bob", NOW)
    assert all(d.name.startswith("file-") is False for d in deck_progress(bob_db, bob, NOW))
    attempt = take(bob_db, "bob", BOB)
    mine = attempt_result(bob_db, attempt.paper_id, bob)
    assert (mine.correct, mine.total, mine.graded) == (2, 3, True)  # graded at home too
    again = export_drill_file(database, ann, drill_id, "bob", NOW)  # the drill keeps its secret
    assert again.drill.key == json.loads(drill_file.read_text())["drill"]["key"]
    assert export_drill_file(database, ann, drill_id, "cat", NOW).drill.key != again.drill.key
    with pytest.raises(QuizError, match="the drill 'Paris' from this file is here already"):
        import_drill_file(bob_db, drill_file, NOW)

    sent = results(bob_db, "bob", tmp_path / "bob.results")
    text = sent.read_text()
    assert '"score"' not in text and '"correct"' not in text  # responses, not verdicts
    [imported] = import_results(database, ann, [sent], LATER + timedelta(hours=3))
    assert (imported.student, imported.correct, imported.total, imported.passed) == (
        "bob",
        2,
        3,
        True,
    )
    report = drill_report(database, ann, drill_id, LATER + timedelta(hours=3))
    assert [(s.name, s.finished, s.best_score) for s in report.students] == [
        ("bob", 1, pytest.approx(2 / 3))
    ]
    assert attempts_at(database, drill_id) == (1, 3)
    with pytest.raises(QuizError, match="every one was exported already"):
        results(bob_db, "bob", tmp_path / "again.results")


def test_editing_a_results_file_gains_nothing(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann)
    import_drill_file(bob_db, export(database, ann, drill_id, "bob", tmp_path / "d"), NOW)
    take(bob_db, "bob", BOB)
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    original = sent.read_text()

    def right_answer(data: dict[str, Any]) -> None:
        for answer in data["results"]["attempts"][0]["answers"]:
            if answer["question"] == SIGNED:
                answer["response"] = {"typed": "30 March 1856"}

    edit(sent, right_answer)  # not signed again: the signature no longer matches
    with pytest.raises(QuizError, match="the signature does not match"):
        import_results(database, ann, [sent], LATER)
    sent.write_text(original)
    key = student_key_of(database, drill_id, "bob")
    edit(sent, lambda d: d["results"]["attempts"][0].update(score=1.0), resign_with=key)
    with pytest.raises(QuizError, match="not a valid results file"):  # there is no score field
        import_results(database, ann, [sent], LATER)
    assert attempts_at(database, drill_id) == (0, 0)  # nothing written
    # signed again with bob's own key (he can read it in his drill file), the file is
    # taken, and its responses are graded here: 2 of 3, as he answered
    sent.write_text(original)
    edit(sent, lambda d: None, resign_with=key)
    [imported] = import_results(database, ann, [sent], LATER)
    assert (imported.correct, imported.total) == (2, 3)


def student_key_of(database: Database, drill_id: int, name: str) -> bytes:
    """The key the drill file for `name` carries (the student can read it there)."""
    with database.sessions() as session:
        exchange = session.get(Drill, drill_id).exchange  # type: ignore[union-attr]
    assert exchange is not None
    return student_key(exchange["secret"], exchange["uid"], name)


def test_a_replayed_file_or_attempt_is_rejected(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann, attempts=2)
    drill_file = export(database, ann, drill_id, "bob", tmp_path / "d")
    import_drill_file(bob_db, drill_file, NOW)
    take(bob_db, "bob", BOB)
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    import_results(database, ann, [sent], LATER)
    with pytest.raises(QuizError, match=r"attempt 1 at 'Paris' was already imported.*replayed"):
        import_results(database, ann, [sent], LATER)
    again = results(bob_db, "bob", tmp_path / "again.results", number=1)  # written anew
    with pytest.raises(QuizError, match="already imported"):
        import_results(database, ann, [again], LATER)
    assert attempts_at(database, drill_id) == (1, 3)

    # the same drill file taken again in a fresh database: attempt 1 again, another id
    with closing(open_database(f"sqlite:///{tmp_path / 'bob2.db'}", NOW)) as fresh:
        import_drill_file(fresh, drill_file, NOW)
        take(fresh, "bob", {RUSSIA: "Russia", SIGNED: "30 March 1856", SEA: True})
        second = results(fresh, "bob", tmp_path / "second.results")
    with pytest.raises(QuizError, match="already imported from another file"):
        import_results(database, ann, [second], LATER)
    assert attempts_at(database, drill_id) == (1, 3)


def test_a_foreign_drill_or_another_students_file_is_rejected(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann)
    other_id = drill(database, ann, title="Other")
    import_drill_file(bob_db, export(database, ann, drill_id, "bob", tmp_path / "d"), NOW)
    take(bob_db, "bob", BOB)
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    original = sent.read_text()
    key = student_key_of(database, drill_id, "bob")

    # another teacher's database, with a drill of the same title and questions
    with closing(open_database(f"sqlite:///{tmp_path / 'zoe.db'}", NOW)) as elsewhere:
        zoe = create_teacher(elsewhere, "zoe", "111111", NOW)
        get_or_create_profile(elsewhere, "bob", NOW)
        drill(elsewhere, zoe)
        with pytest.raises(QuizError, match="not in this database \\(a foreign file"):
            import_results(elsewhere, zoe, [sent], LATER)

    # bob's file made to say it is cat's, signed again with bob's key: not cat's key
    edit(sent, lambda d: d["results"].update(student="cat"), resign_with=key)
    with pytest.raises(QuizError, match=r"the signature does not match.*not cat's"):
        import_results(database, ann, [sent], LATER)
    # bob's results moved to another drill (its file id), signed with bob's key for Paris
    sent.write_text(original)
    other_uid = export_drill_file(database, ann, other_id, "bob", NOW).drill.uid
    edit(sent, lambda d: d["results"].update(uid=other_uid), resign_with=key)
    with pytest.raises(QuizError, match="the signature does not match"):
        import_results(database, ann, [sent], LATER)
    assert attempts_at(database, drill_id) == (0, 0)
    assert attempts_at(database, other_id) == (0, 0)

    # cat cannot take bob's drill in bob's database
    cat = get_or_create_profile(bob_db, "cat", NOW)
    [paris] = drills_for_student(bob_db, cat.id, NOW)
    with pytest.raises(QuizError, match="came in a file for bob; take it as bob"):
        start_attempt(bob_db, cat, paris.drill.id, NOW)


def test_one_bad_file_imports_nothing(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann)
    import_drill_file(bob_db, export(database, ann, drill_id, "bob", tmp_path / "b"), NOW)
    take(bob_db, "bob", BOB)
    good = results(bob_db, "bob", tmp_path / "bob.results")
    with closing(open_database(f"sqlite:///{tmp_path / 'cat.db'}", NOW)) as cat_db:
        import_drill_file(cat_db, export(database, ann, drill_id, "cat", tmp_path / "c"), NOW)
        take(cat_db, "cat", {RUSSIA: "France"})
        bad = results(cat_db, "cat", tmp_path / "cat.results")
    edit(bad, lambda d: d["results"].update(exported_at="2030-01-01T00:00:00Z"))
    with pytest.raises(QuizError, match=r"cat\.results: the signature does not match"):
        import_results(database, ann, [good, bad], LATER)
    assert attempts_at(database, drill_id) == (0, 0)
    damaged = tmp_path / "damaged.results"
    damaged.write_text(good.read_text()[:-30])
    with pytest.raises(QuizError, match=r"damaged\.results: not a quiz results file \(not JSON"):
        import_results(database, ann, [good, damaged], LATER)
    assert attempts_at(database, drill_id) == (0, 0)


SECRETS = ["answers", "answer", "gaps", "accept", "explanation", "source", "back", "fact"]


def keys_in(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys_in(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys_in(v)}
    return set()


def test_a_feedback_none_file_carries_no_answer_key_and_is_graded_at_the_teacher(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    drill_id = drill(database, ann, feedback="none")
    path = export(database, ann, drill_id, "bob", tmp_path / "sealed")
    data = json.loads(path.read_text())
    assert data["drill"]["sealed"] is True
    questions = data["drill"]["questions"]
    assert not keys_in(questions) & set(SECRETS)
    text = path.read_text()
    for secret in ["30 March 1856", "March 30, 1856", "demilitarised the Black Sea to improve"]:
        assert secret not in text
    russia = next(q for q in questions if q["id"] == RUSSIA)
    assert sorted(russia["choices"]) == sorted(
        ["Russia", "France", "Britain", "The Ottoman Empire", "The Kingdom of Sardinia"]
    )
    assert russia["choices"] != ["Russia", "France", "Britain", "The Ottoman Empire",
                                 "The Kingdom of Sardinia"]  # fmt: skip

    import_drill_file(bob_db, path, NOW)
    attempt = take(bob_db, "bob", BOB)
    bob = get_or_create_profile(bob_db, "bob", NOW)
    mine = attempt_result(bob_db, attempt.paper_id, bob)
    assert (mine.graded, mine.correct, mine.to_json()["score"]) == (False, 0, None)
    with bob_db.sessions() as session:  # saved ungraded: the key is not here to grade with
        stored = session.scalars(
            select(AnswerRecord.correct).where(AnswerRecord.session_id == attempt.paper_id)
        ).all()
        assert stored == [False, False, False]
        assert session.get(StudySession, attempt.paper_id).score is None  # type: ignore[union-attr]
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    [imported] = import_results(database, ann, [sent], LATER)
    assert (imported.correct, imported.total) == (2, 3)  # Russia and the Black Sea right


def test_the_whole_exchange_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.cli import main

    for name in ("QUIZ_DATABASE_URL", "QUIZ_PROFILE", "QUIZ_PIN"):
        monkeypatch.delenv(name, raising=False)
    teacher, home = str(tmp_path / "teacher.db"), str(tmp_path / "home.db")
    drill_yaml = tmp_path / "paris.yaml"
    drill_yaml.write_text("title: Paris\nquestions: [tp-russia-side, tp-signed-date]\n")
    pin = ["--profile", "ann", "--pin", "654321"]

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    assert run("--db", teacher, "profile", "create", "ann", "--teacher", "--pin", "654321")[0] == 0
    assert run("--db", teacher, "profile", "create", "bob")[0] == 0
    assert run("--db", teacher, "drill", "create", str(drill_yaml), *pin)[0] == 0
    out_file = tmp_path / "paris-bob.quizdrill"
    code, out, err = run("--db", teacher, "drill", "export", "Paris", "-o", str(out_file),
                         "--student", "bob", *pin)  # fmt: skip
    assert code == 0, err
    assert f"wrote 'Paris' for bob to {out_file}" in out
    code, _, err = run("--db", teacher, "drill", "export", "Paris", "-o", str(out_file),
                       "--student", "nobody", *pin)  # fmt: skip
    assert code == 1 and "no profile called 'nobody'" in err
    assert run("--db", teacher, "profile", "create", "cat")[0] == 0
    code, out, err = run("--db", teacher, "drill", "export", "Paris", "-o", str(tmp_path / "class"),
                         "--student", "bob", "--student", "cat", *pin)  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "class").iterdir()) == [
        "paris-bob.quizdrill",
        "paris-cat.quizdrill",
    ]
    code, out, err = run("--db", home, "drill", "import", str(out_file))
    assert code == 0 and "imported the drill 'Paris' (2 questions) for bob" in out, err
    with closing(open_database(f"sqlite:///{home}", NOW)) as db:
        take(db, "bob", {RUSSIA: "Russia", SIGNED: "30 March 1856"})
    sent = tmp_path / "bob.results"
    code, out, err = run("--db", home, "--profile", "bob", "drill", "results", "--export",
                         "-o", str(sent))  # fmt: skip
    assert code == 0 and "wrote bob's attempt(s) 1" in out, err
    code, out, err = run("--db", teacher, "drill", "results", "--import", str(sent), *pin)
    assert code == 0, err
    assert "bob, attempt 1 at 'Paris': 2 of 2 right (100%), passed" in out
    code, _, err = run("--db", teacher, "drill", "results", "--import", str(sent), *pin)
    assert code == 1 and "already imported" in err and "Traceback" not in err
    code, out, _ = run("--db", teacher, "drill", "report", "Paris", "--json", *pin)
    assert [s["name"] for s in json.loads(out)["students"]] == ["bob"]


SEALED_TYPES = {  # a question of each type but the flashcard, with its right response
    "tp-russia-side": lambda q: ChoiceResponse(selected=("Russia",), shown=q.options),
    "tp-black-sea-demilitarised": lambda q: TruthResponse(truth=True),
    "tp-black-sea-cloze": lambda q: GapsResponse(gaps=("Black Sea", "trade")),
    "tp-signed-date": lambda q: TypedResponse(typed="30 March 1856"),
    "tp-peace-chain": lambda q: OrderResponse(order=PEACE_CHAIN, shown=q.options),
}
PEACE_CHAIN = (
    "The treaty is signed at the congress of Paris",
    "Disagreements, even amongst the allies, about the nature of the treaty",
    "An uncertain peace",
    "Further diplomatic issues involving the Ottoman Empire",
)


def test_every_type_travels_sealed_and_is_graded_at_the_teacher(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    with_card = drill(
        database, ann, title="Cards", questions=["tp-black-sea-flash"], feedback="none"
    )
    with pytest.raises(QuizError, match="is a flashcard, whose back is its answer"):
        export_drill_file(database, ann, with_card, "bob", NOW)
    drill_id = drill(database, ann, questions=list(SEALED_TYPES), feedback="none")
    path = export(database, ann, drill_id, "bob", tmp_path / "sealed")
    assert 'Black Sea"' not in path.read_text() and 'trade"' not in path.read_text()
    chain = next(q for q in json.loads(path.read_text())["drill"]["questions"] if "items" in q)
    assert sorted(chain["items"]) == sorted(PEACE_CHAIN) and tuple(chain["items"]) != PEACE_CHAIN
    import_drill_file(bob_db, path, NOW)
    bob = get_or_create_profile(bob_db, "bob", NOW)
    [paris] = drills_for_student(bob_db, bob.id, NOW)
    attempt = start_attempt(bob_db, bob, paris.drill.id, NOW)
    for question in attempt.questions:
        respond = SEALED_TYPES[question.key.rsplit(".", 1)[0]]
        outcome = answer_attempt(
            bob_db, attempt.paper_id, question.question_id, respond(question), 900, LATER
        )
        assert not outcome.shown and not outcome.checked.correct  # not graded here
    finish_attempt(bob_db, attempt.paper_id, LATER)
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    [imported] = import_results(database, ann, [sent], LATER)
    assert (imported.correct, imported.total) == (5, 5)


def test_a_claim_travels_and_shows_in_the_teachers_report(
    database: Database, ann: Teacher, bob_db: Database, tmp_path: Path
) -> None:
    from quiz.services.drills import override_attempt_answer

    drill_id = drill(database, ann, questions=[SIGNED], feedback="each", allow_override=True)
    import_drill_file(bob_db, export(database, ann, drill_id, "bob", tmp_path / "d"), NOW)
    bob = get_or_create_profile(bob_db, "bob", NOW)
    [paris] = drills_for_student(bob_db, bob.id, NOW)
    attempt = start_attempt(bob_db, bob, paris.drill.id, NOW)
    [question] = attempt.questions
    shown = answer_attempt(
        bob_db, attempt.paper_id, question.question_id, TypedResponse(typed="1856"), 900, NOW
    )
    assert shown.shown and not shown.checked.correct  # feedback each: graded at home too
    override_attempt_answer(bob_db, attempt.paper_id, question.question_id, NOW)
    finish_attempt(bob_db, attempt.paper_id, LATER)
    sent = results(bob_db, "bob", tmp_path / "bob.results")
    [imported] = import_results(database, ann, [sent], LATER)
    assert imported.correct == 1  # the claim counts, as it does in the app,
    # and the teacher's report lists it for checking
    report = drill_report(database, ann, drill_id, LATER)
    assert [(o.name, o.key, o.answer) for o in report.overrides] == [("bob", SIGNED, "1856")]
