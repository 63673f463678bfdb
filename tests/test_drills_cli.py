"""`quiz drill ...` and `quiz profile ...` end to end through `quiz.cli.main`."""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.services.answering import ChoiceResponse, TypedResponse
from quiz.services.database import open_database
from quiz.services.drills import answer_attempt, finish_attempt, start_attempt
from quiz.services.profiles import get_or_create_profile

VALID = """\
title: Dates
questions:
  - tp-russia-side
  - tp-signed-date
pass_mark: 50
feedback: end
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("QUIZ_DATABASE_URL", "QUIZ_PROFILE", "QUIZ_PIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: never prompt
    path = str(tmp_path / "q.db")
    assert main(["--db", path, "profile", "create", "ann", "--teacher", "--pin", "654321"]) == 0
    yield path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def drills(capsys: pytest.CaptureFixture[str], db: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "--db", db, "drill", "list", "--json")
    assert code == 0
    result: list[dict[str, object]] = json.loads(out)
    return result


def test_profiles_create_and_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--db", db, "profile", "create", "bob")[0] == 0
    code, out, _ = run(capsys, "--db", db, "profile", "list", "--json")
    assert code == 0
    assert [(p["name"], p["teacher"]) for p in json.loads(out)] == [("ann", True), ("bob", False)]
    code, _, err = run(
        capsys, "--db", db, "profile", "create", "cat", "--teacher", "--pin", "111111"
    )
    assert code == 1 and "only a teacher can make another teacher" in err
    code, _, _ = run(
        capsys,
        "--db",
        db,
        "profile",
        "create",
        "cat",
        "--teacher",
        "--pin",
        "111111",
        "--by",
        "ann",
        "--by-pin",
        "654321",
    )
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "profile", "list")
    assert out.splitlines() == ["ann (teacher)", "bob", "cat (teacher)"]


def test_create_list_and_schema(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(VALID)
    code, out, err = run(
        capsys, "--db", db, "--profile", "ann", "drill", "create", str(path), "--pin", "654321"
    )
    assert code == 0, err
    assert out.startswith("created drill 1: Dates")
    [listed] = drills(capsys, db)
    assert (listed["title"], listed["questions"], listed["status"]) == ("Dates", 2, "open")
    assert (listed["pass_mark"], listed["feedback"], listed["attempts"]) == (50.0, "end", 1)
    code, _, err = run(
        capsys, "--db", db, "--profile", "ann", "drill", "create", str(path), "--pin", "654321"
    )
    assert code == 1 and "dates.yaml:1: title: a drill with this title already exists" in err
    path.write_text(VALID.replace("pass_mark: 50", "pass_mark: 90"))
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "--profile",
        "ann",
        "drill",
        "create",
        str(path),
        "--replace",
        "--pin",
        "654321",
    )
    assert code == 0 and out.startswith("updated drill 1")
    assert drills(capsys, db)[0]["pass_mark"] == 90.0
    code, out, _ = run(capsys, "drill", "schema")
    schema = json.loads(out)
    assert code == 0 and {"title", "questions", "draw", "pass_mark"} <= set(schema["properties"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("pass_mark: 50", "pass_mark: 50: 6"), "bad.yaml:5: YAML syntax error"),
        (VALID + "colour: red\n", "bad.yaml:7: colour: is not a field of a drill"),
        (
            VALID.replace("tp-signed-date", "tp-no-such"),
            "bad.yaml:4: question tp-no-such: no question has this id",
        ),
        (VALID.replace("pass_mark: 50", "pass_mark: 150"), "bad.yaml:5: pass_mark: Input should"),
        (
            VALID.replace("questions:\n  - tp-russia-side\n  - tp-signed-date\n", ""),
            "bad.yaml:1: give either `questions`",
        ),
        (
            "title: T\ndraw:\n  topics: [consequences]\n  count: 99\n",
            "bad.yaml:4: draw.count: the rule matches only 11 question(s) on different facts",
        ),
        (VALID + "opens_at: 2026-04-01T09:00\n", "bad.yaml:7: opens_at: needs a time zone"),
    ],
    ids=["yaml", "unknown-field", "unknown-id", "pass-mark", "no-questions", "count", "naive"],
)
def test_bad_drill_files_are_located_and_write_nothing(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    code, _out, err = run(
        capsys, "--db", db, "--profile", "ann", "drill", "create", str(path), "--pin", "654321"
    )
    assert code == 1
    assert expected in err, err
    assert "nothing was written" in err and "Traceback" not in err
    assert drills(capsys, db) == []


def test_pin_on_the_command_line_is_accepted_with_a_warning(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(VALID)
    code, _, err = run(
        capsys, "--db", db, "--profile", "ann", "drill", "create", str(path), "--pin", "654321"
    )
    assert code == 0
    assert err == (
        "quiz: warning: --pin shows the PIN to anyone who can list processes (ps); "
        "set QUIZ_PIN or let quiz ask instead\n"
    )


def test_teacher_commands_need_the_right_pin(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(VALID)
    create = ["--db", db, "drill", "create", str(path)]
    code, _, err = run(capsys, *create, "--profile", "ann", "--pin", "0000")
    assert (code, err.splitlines()[-1]) == (1, "quiz: wrong PIN for ann; try again")
    code, _, err = run(capsys, *create, "--profile", "ann")
    assert code == 1 and "set QUIZ_PIN, or run on a terminal to be asked" in err
    assert run(capsys, "--db", db, "profile", "create", "bob")[0] == 0
    code, _, err = run(capsys, *create, "--profile", "bob", "--pin", "654321")
    assert code == 1 and "bob is not a teacher" in err
    assert drills(capsys, db) == []
    monkeypatch.setenv("QUIZ_PIN", "654321")
    code, _, err = run(capsys, *create, "--profile", "ann")
    assert (code, err) == (0, "")  # no warning: the PIN came from the environment
    code, _, err = run(
        capsys,
        "--db",
        db,
        "drill",
        "report",
        "Dates",
        "--profile",
        "bob",
        "--pin",
        "654321",
        "--json",
    )
    assert code == 1 and "bob is not a teacher" in err


def test_report_json_and_csv(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(VALID.replace("feedback: end", "attempts: 2"))
    assert (
        run(
            capsys, "--db", db, "--profile", "ann", "drill", "create", str(path), "--pin", "654321"
        )[0]
        == 0
    )
    now = datetime.now(UTC) - timedelta(hours=1)
    database = open_database(f"sqlite:///{db}", now)
    try:
        for name, russia, typed in [
            ("bob", "Russia", "30 March 1856"),
            ("cat", "France", None),
            ("dan", "France", "1856"),
        ]:
            attempt = start_attempt(database, get_or_create_profile(database, name, now), 1, now)
            ids = {q.key: q.question_id for q in attempt.questions}
            shown = next(q.options for q in attempt.questions if q.key == "tp-russia-side")
            answer_attempt(
                database,
                attempt.paper_id,
                ids["tp-russia-side"],
                ChoiceResponse(selected=(russia,), shown=shown),
                800,
                now,
            )
            if typed:
                answer_attempt(
                    database,
                    attempt.paper_id,
                    ids["tp-signed-date"],
                    TypedResponse(typed=typed),
                    900,
                    now,
                )
            finish_attempt(database, attempt.paper_id, now)
    finally:
        database.close()
    report = ["--db", db, "drill", "report", "Dates", "--profile", "ann", "--pin", "654321"]
    code, out, err = run(capsys, *report, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [(s["name"], s["best_score"], s["latest_passed"]) for s in data["students"]] == [
        ("bob", 1.0, True),
        ("cat", 0.0, False),
        ("dan", 0.0, False),
    ]
    assert [(q["id"], q["facility"], q["most_chosen_wrong"]) for q in data["questions"]] == [
        ("tp-russia-side", 0.3333, "France"),
        ("tp-signed-date", 0.3333, "1856"),
    ]
    code, out, _ = run(capsys, *report, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(r["name"], r["attempts"], r["best_score"]) for r in rows] == [
        ("bob", "1", "1.0"),
        ("cat", "1", "0.0"),
        ("dan", "1", "0.0"),
    ]
    code, out, _ = run(capsys, *report, "--csv", "--table", "questions")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["right"], r["unanswered"], r["most_chosen_wrong_count"]) for r in rows] == [
        ("tp-russia-side", "1", "0", "2"),
        ("tp-signed-date", "1", "1", "1"),
    ]
    code, out, _ = run(
        capsys, "--db", db, "drill", "report", "1", "--profile", "ann", "--pin", "654321"
    )
    assert code == 0 and "tp-russia-side: 33% right of 3, often: France" in out
    # item analysis, first attempts: bob 2/2, cat 0/2, dan 0/2; n = 3, g = 1: upper bob,
    # lower dan (ties: the earlier attempt ranks higher), so D = 1 - 0 = +1 for both;
    # alpha: item variances 2/9 + 2/9, totals 2 0 0 (variance 8/9): 2 * (1 - 4/8) = 1.00
    assert "item analysis (first attempts, 3): Cronbach's alpha 1.00" in out
    assert "  tp-signed-date: facility 33%, discrimination +1.00" in out
    code, out, _ = run(capsys, *report, "--csv", "--table", "items", "--attempts", "all")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["id"], r["discrimination"], r["group_size"]) for r in rows] == [
        ("tp-russia-side", "1.0", "1"),
        ("tp-signed-date", "1.0", "1"),
    ]
    code, _, err = run(
        capsys, "--db", db, "drill", "report", "Nope", "--profile", "ann", "--pin", "654321"
    )
    assert code == 1 and "no drill called 'Nope'" in err


def test_example_drill_file_is_valid(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).parents[1] / "questions" / "drills" / "example.yaml"
    code, _out, err = run(
        capsys, "--db", db, "--profile", "ann", "drill", "create", str(example), "--pin", "654321"
    )
    assert code == 0, err
    assert drills(capsys, db)[0]["questions"] == 10


def test_every_problem_of_a_drill_file_in_one_pass(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad field, an unknown id and a taken title are all reported at once: the ids are
    checked even while the file has other problems."""
    monkeypatch.setenv("QUIZ_PIN", "654321")
    first = tmp_path / "dates.yaml"
    first.write_text(VALID)
    create = ["--db", db, "--profile", "ann", "drill", "create"]
    assert run(capsys, *create, str(first))[0] == 0
    path = tmp_path / "bad.yaml"
    path.write_text(
        VALID.replace("tp-signed-date", "tp-no-such").replace("pass_mark: 50", "pass_mark: 150")
    )
    code, _out, err = run(capsys, *create, str(path))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{path}:1: title: a drill with this title already exists")
    assert lines[1].startswith(f"{path}:4: question tp-no-such: no question has this id")
    assert lines[2].startswith(f"{path}:5: pass_mark:")
    assert lines[3] == (
        "3 problem(s) found; nothing was written. Fix them and run "
        f"`quiz --profile ann drill create {path} --pin PIN` again (or set QUIZ_PIN)."
    )
    assert [d["title"] for d in drills(capsys, db)] == ["Dates"]
